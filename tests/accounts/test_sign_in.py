"""Staff are invited, set a password, and sign in with a password and a two-factor code."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.factories import PASSWORD, sign_in
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in_with_password(client, user, password=PASSWORD):
    return client.post(reverse("accounts:sign_in"), {"username": user.email, "password": password})


def test_an_admin_invites_someone_who_sets_a_password_then_two_factor(
    client, ada, django_capture_on_commit_callbacks
):
    sign_in(client, ada)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invite"),
            {
                "first_name": "Priya",
                "last_name": "Patel",
                "email": "Priya@School.example.org",
                "agency": "school",
                "job_title": "Teacher",
                "role": "Practitioner",
            },
        )
    assert response.status_code == 302
    priya = User.objects.get(email="priya@school.example.org")
    assert not priya.has_usable_password()
    assert priya.has_perm("referrals.add_assessment")
    run_tasks()
    (invitation,) = [m for m in mail.outbox if m.to == [priya.email]]
    link = re.search(r"http://\S+/set-password/\S+/", invitation.body).group(0)
    path = link.split("8000", 1)[1]

    client.logout()
    form = client.get(path, follow=True)
    assert "Create your password" in form.content.decode()
    weak = client.post(
        form.redirect_chain[-1][0], {"new_password1": "password", "new_password2": "password"}
    )
    assert "too common" in weak.content.decode() or "too short" in weak.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "three random words here", "new_password2": "three random words here"},
    )
    assert done["Location"] == reverse("accounts:sign_in")
    assert client.get(path, follow=True).content.decode().count("This link has expired") >= 1

    response = client.post(
        reverse("accounts:sign_in"),
        {"username": priya.email, "password": "three random words here"},
    )
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    setup = client.get(response["Location"]).content.decode()
    assert "Set up two-factor authentication" in setup
    assert client.get(reverse("accounts:two_factor_qr"))["Content-Type"] == "image/svg+xml"
    device = TOTPDevice.objects.get(user=priya)
    client.post(reverse("accounts:two_factor"), {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("referrals:my_assessments")).status_code == 200


def test_a_password_alone_does_not_open_any_staff_page(client, alice):
    sign_in_with_password(client, alice)
    response = client.get(reverse("referrals:my_assessments"))
    assert response["Location"].startswith(reverse("accounts:two_factor"))


def test_a_wrong_code_is_refused_with_a_clear_message(client, alice):
    TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    sign_in_with_password(client, alice)
    response = client.post(reverse("accounts:two_factor"), {"code": "000000"})
    page = response.content.decode()
    assert "That code is not right" in page or "too many wrong codes" in page
    assert "Enter your security code" in page


def test_a_code_that_is_not_six_digits_is_explained(client, alice):
    TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    sign_in_with_password(client, alice)
    response = client.post(reverse("accounts:two_factor"), {"code": "12ab"})
    assert "Enter the code as 6 digits" in response.content.decode()


def test_the_two_factor_step_returns_you_to_where_you_were_going(client, alice):
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    target = reverse("referrals:family_lookup")
    response = client.post(
        reverse("accounts:sign_in") + f"?next={target}",
        {"username": alice.email, "password": PASSWORD},
    )
    response = client.post(response["Location"], {"code": code_for(device), "next": target})
    assert response["Location"] == target


def test_the_two_factor_step_will_not_send_you_to_another_site(client, alice):
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    sign_in_with_password(client, alice)
    response = client.post(
        reverse("accounts:two_factor"), {"code": code_for(device), "next": "https://evil.example"}
    )
    assert response["Location"] == reverse("staff_home")


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, alice, password="wrong password")
    response = sign_in_with_password(client, alice)  # even the right one
    assert response.status_code == 429
    assert "Sign in is locked for now" in response.content.decode()


def test_a_session_ends_after_the_idle_timeout(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_only_admins_can_invite(client, mo):
    sign_in(client, mo)
    assert client.get(reverse("accounts:invite")).status_code == 403


def test_an_invitation_to_an_existing_email_is_refused(client, ada, alice):
    sign_in(client, ada)
    response = client.post(
        reverse("accounts:invite"),
        {
            "first_name": "A",
            "last_name": "B",
            "email": alice.email.upper(),
            "agency": "school",
            "job_title": "T",
            "role": "Practitioner",
        },
    )
    assert "Someone already has an account with this email address" in response.content.decode()


def test_a_hub_manager_must_be_given_a_hub(client, ada):
    sign_in(client, ada)
    response = client.post(
        reverse("accounts:invite"),
        {
            "first_name": "A",
            "last_name": "B",
            "email": "new@barnet.example.org",
            "agency": "family_services",
            "job_title": "Manager",
            "role": "Hub manager",
        },
    )
    assert "Choose the hubs this hub manager decides requests for" in response.content.decode()


def test_an_over_long_email_is_refused_like_a_wrong_one(client, db):
    """Found by the hostile-input test: 255+ characters reached django-axes' column (a 500)."""
    response = client.post("/sign-in/", {"username": "A" * 300, "password": "x"})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()
