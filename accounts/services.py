from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import roles
from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS
from earlyhelp import audit
from hubs import councils


def sync_roles(**kwargs) -> None:
    """Create each role's group and give it exactly the permissions ROLE_PERMISSIONS lists.

    Runs after every migrate (permissions exist only once their app has migrated).
    """
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                return  # that app has not migrated yet; a later post_migrate will finish
            permissions.append(permission)
        group.permissions.set(permissions)


def invitation_link(user) -> str:
    """A single-use set-password link: it stops working once a password is set, or expires
    after INVITATION_VALID_DAYS (Django's password-reset token)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("accounts:set_password", args=[uid, token])


def send_invitation(user, *, request=None) -> None:
    from earlyhelp.email import notify

    notify(
        to=[user.email],
        subject=f"You have been invited to {settings.SERVICE_NAME}",
        template="accounts/email/invitation.txt",
        context={"link": invitation_link(user), "days": settings.INVITATION_VALID_DAYS},
    )
    audit.record(request, "user.invited", user)


def on_agency_allowlist(email: str) -> bool:
    """Whether an address belongs to one of the council's partner agencies (AGENCY_EMAIL_DOMAINS,
    from the council's data); a subdomain counts, a look-alike does not."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    return any(
        domain == allowed or domain.endswith("." + allowed)
        for allowed in councils.agency_email_domains()
    )


def administrators():
    return (
        User.objects.of_council()
        .filter(groups__name=roles.ADMINISTRATOR, is_active=True)
        .distinct()
    )


@transaction.atomic
def invite_user(*, data: dict, role: str, managed_hubs, by, request=None, approved=True):
    """Create a staff account with no password and email them a link to set one.

    Only administrators invite directly. A lead practitioner's invitation of an outside
    professional is made with ``approved=False`` unless their email is on the council's agency
    allowlist: then the account waits, unusable, until an administrator approves it.
    """
    user = User(**data)
    user.set_unusable_password()
    user.invited_by = by
    user.awaiting_approval = not approved
    user.full_clean()
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    user.managed_hubs.set(managed_hubs if role == roles.HUB_MANAGER else [])
    if role != roles.PROVIDER_EDITOR and user.provider_organisation_id:
        user.provider_organisation = None
        user.save(update_fields=["provider_organisation"])
    if approved:
        send_invitation(user, request=request)
    else:
        _ask_administrators_to_approve(user, by=by, request=request)
    return user


def _ask_administrators_to_approve(user, *, by, request=None) -> None:
    from earlyhelp.email import link, notify

    audit.record(request, "user.invitation_requested", user, user=by)
    notify(
        to=[admin.email for admin in administrators()],
        subject="An invitation is waiting for your approval",
        template="accounts/email/approval_needed.txt",
        context={
            "inviter": str(by),
            "domain": user.email.rsplit("@", 1)[-1],
            "link": link("accounts:person", user.pk),
        },
    )


@transaction.atomic
def approve_invitation(user, *, by, request=None) -> None:
    user.awaiting_approval = False
    user.save(update_fields=["awaiting_approval"])
    audit.record(request, "user.invitation_approved", user, user=by)
    send_invitation(user, request=request)


@transaction.atomic
def refuse_invitation(user, *, by, request=None) -> None:
    """The account is switched off (kept, like every account with a history)."""
    user.awaiting_approval = False
    user.is_active = False
    user.save(update_fields=["awaiting_approval", "is_active"])
    audit.record(request, "user.invitation_refused", user, user=by)


def _send_reset(user, *, subject: str, what: str) -> None:
    from earlyhelp.email import notify

    notify(
        to=[user.email],
        subject=subject,
        template="accounts/email/reset.txt",
        context={
            "what": what,
            "link": invitation_link(user),
            "days": settings.INVITATION_VALID_DAYS,
        },
    )


@transaction.atomic
def reset_password(user, *, by, request=None) -> None:
    """The old password stops working (and every session signed in with it ends: Django ties a
    session to the password); the person is emailed a link to choose a new one."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit.record(request, "user.password_reset", user, user=by)
    _send_reset(
        user,
        subject=f"Your password for {settings.SERVICE_NAME} was reset",
        what="An administrator reset your password.",
    )


@transaction.atomic
def reset_authenticator(user, *, by, request=None) -> None:
    """Their authenticator app stops working. Setting up a new one needs a link from their
    email as well as a password, so the password is reset too."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    user.set_unusable_password()
    user.save(update_fields=["password"])
    audit.record(request, "user.authenticator_reset", user, user=by)
    _send_reset(
        user,
        subject=f"Your sign-in for {settings.SERVICE_NAME} was reset",
        what=(
            "An administrator reset your authenticator app and your password. Choose a new "
            "password, then set up your authenticator app again when you sign in."
        ),
    )
