"""Administrators look after staff accounts (#14): they approve invitations of people outside
the council's partner agencies, and reset a person's password or authenticator app, audited and
with the person told. Setting up an authenticator needs the emailed link, not a password alone."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles, services
from earlyhelp.models import AuditEvent
from tests.factories import PASSWORD, practitioner, sign_in
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def hana(alice):
    """Hana, a housing officer a lead practitioner asked for an account for: waiting."""
    return services.invite_user(
        data={"email": "hana@notapartner.example.org", "first_name": "Hana", "last_name": "Haddad"},
        role=roles.PRACTITIONER,
        managed_hubs=[],
        by=alice,
        approved=False,
    )


def _link_in(message) -> str:
    return re.search(r"http://\S+/set-password/\S+/", message.body).group(0).split("8000", 1)[1]


@pytest.mark.parametrize(
    "name",
    ["person", "approve_invitation", "refuse_invitation", "reset_password", "reset_authenticator"],
)
def test_only_administrators_reach_a_staff_account(client, alice, mo, hana, name):
    url = reverse(f"accounts:{name}", args=[hana.pk])
    for person in (alice, mo):
        sign_in(client, person)
        assert client.post(url).status_code == 403
        assert client.get(url).status_code in {403, 405}
        client.logout()
    assert client.get(url).status_code == 302  # to sign in
    hana.refresh_from_db()
    assert hana.awaiting_approval
    assert hana.is_active


def test_an_administrator_sees_who_waits_and_approves_them(
    client, ada, hana, django_capture_on_commit_callbacks
):
    sign_in(client, ada)
    listing = client.get(reverse("accounts:staff")).content.decode()
    assert "Waiting for your approval" in listing
    assert "asked for by Alice Adams" in listing
    page = client.get(reverse("accounts:person", args=[hana.pk])).content.decode()
    assert "no invitation has been sent" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:approve_invitation", args=[hana.pk]))
    hana.refresh_from_db()
    assert not hana.awaiting_approval
    run_tasks()
    (invitation,) = [m for m in mail.outbox if m.to == [hana.email]]
    assert "invited" in invitation.subject
    assert AuditEvent.objects.filter(
        action="user.invitation_approved", record_id=str(hana.pk), actor=ada
    ).exists()


def test_a_refused_account_is_switched_off_and_never_invited(client, ada, hana):
    sign_in(client, ada)
    client.post(reverse("accounts:refuse_invitation", args=[hana.pk]))
    hana.refresh_from_db()
    assert not hana.is_active
    run_tasks()
    assert not [m for m in mail.outbox if m.to == [hana.email]]
    # Nor can an invitation be sent again.
    client.post(reverse("accounts:resend_invitation", args=[hana.pk]))
    run_tasks()
    assert not [m for m in mail.outbox if m.to == [hana.email]]


def test_a_waiting_account_cannot_be_invited_by_sending_again(client, ada, hana):
    sign_in(client, ada)
    response = client.post(reverse("accounts:resend_invitation", args=[hana.pk]), follow=True)
    assert "Approve the account" in response.content.decode()
    run_tasks()
    assert not [m for m in mail.outbox if m.to == [hana.email]]


def test_resetting_a_password_ends_it_and_tells_the_person(
    client, ada, bob, django_capture_on_commit_callbacks
):
    other = client.__class__()
    sign_in(other, bob)
    assert other.get(reverse("referrals:my_assessments")).status_code == 200

    sign_in(client, ada)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:reset_password", args=[bob.pk]), follow=True)
    assert "emailed a link" in response.content.decode()
    bob.refresh_from_db()
    assert not bob.has_usable_password()
    # Bob's own session has ended, and his old password no longer works.
    assert other.get(reverse("referrals:my_assessments")).status_code == 302
    again = other.post(reverse("accounts:sign_in"), {"username": bob.email, "password": PASSWORD})
    assert again.status_code == 200  # the form again, with an error
    run_tasks()
    (told,) = [m for m in mail.outbox if m.to == [bob.email]]
    assert "was reset" in told.subject
    assert "/set-password/" in told.body
    assert AuditEvent.objects.filter(action="user.password_reset", actor=ada).exists()
    # His authenticator is kept.
    assert TOTPDevice.objects.filter(user=bob, confirmed=True).exists()


def test_resetting_an_authenticator_needs_the_emailed_link_to_set_up_again(
    client, ada, bob, django_capture_on_commit_callbacks
):
    sign_in(client, ada)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:reset_authenticator", args=[bob.pk]))
    assert not TOTPDevice.objects.filter(user=bob).exists()
    assert AuditEvent.objects.filter(action="user.authenticator_reset", actor=ada).exists()
    run_tasks()
    (told,) = [m for m in mail.outbox if m.to == [bob.email]]
    client.logout()

    # Bob follows the link, chooses a password, signs in and sets up a new authenticator.
    form = client.get(_link_in(told), follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    client.post(
        reverse("accounts:sign_in"), {"username": bob.email, "password": "a brand new passphrase"}
    )
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Set up two-factor authentication" in page


def test_a_password_alone_never_shows_the_authenticator_secret(client, db):
    """Someone who learns a new colleague's password before they enrol sees no secret."""
    priya = practitioner(email="priya@school.example.org")
    TOTPDevice.objects.filter(user=priya).delete()
    client.post(reverse("accounts:sign_in"), {"username": priya.email, "password": PASSWORD})
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Use the link in your email" in page
    assert not TOTPDevice.objects.filter(user=priya).exists()
    assert client.get(reverse("accounts:two_factor_qr")).status_code == 404


def test_no_one_resets_their_own_sign_in(client, ada):
    sign_in(client, ada)
    response = client.post(reverse("accounts:reset_password", args=[ada.pk]), follow=True)
    assert "Ask another administrator" in response.content.decode()
    ada.refresh_from_db()
    assert ada.has_usable_password()


def test_the_staff_page_of_a_person_is_audited(client, ada, bob):
    sign_in(client, ada)
    assert client.get(reverse("accounts:person", args=[bob.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="user.viewed", record_id=str(bob.pk)).exists()


def test_a_partner_agency_is_matched_by_domain_not_by_look_alike(settings):
    settings.AGENCY_EMAIL_DOMAINS = ["barnet.sch.uk", "nhs.net"]
    assert services.on_agency_allowlist("head@hendon.barnet.sch.uk")
    assert services.on_agency_allowlist("A.Nurse@NHS.net")
    assert not services.on_agency_allowlist("x@evilbarnet.sch.uk")
    assert not services.on_agency_allowlist("x@nhs.net.example.org")


def test_only_administrators_may_make_accounts():
    """No other role holds the permission that creates staff accounts."""
    holders = [
        role for role, names in roles.ROLE_PERMISSIONS.items() if "accounts.invite_user" in names
    ]
    assert holders == [roles.ADMINISTRATOR]
