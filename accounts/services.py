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


@transaction.atomic
def invite_user(*, data: dict, role: str, managed_hubs, by, request=None):
    """Create a staff account with no password and email them a link to set one."""
    user = User(**data)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    user.managed_hubs.set(managed_hubs if role == roles.HUB_MANAGER else [])
    if role != roles.PROVIDER_EDITOR and user.provider_organisation_id:
        user.provider_organisation = None
        user.save(update_fields=["provider_organisation"])
    send_invitation(user, request=request)
    return user
