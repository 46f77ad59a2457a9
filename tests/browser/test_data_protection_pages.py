"""axe-core on the pages #14 added: an administrator's page for one staff account, data
protection requests, a legal hold, and what someone sees who has only a password."""

import itertools
from datetime import date

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_every_page import _submit_empty
from tests.browser.test_team_around_the_family import sign_in

_people = itertools.count()


@pytest.fixture
def admin_world(django_db_blocker):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import roles, services
    from privacy.models import RightsRequest
    from referrals.models import Child
    from tests.factories import administrator, allocated_episode, practitioner

    with django_db_blocker.unblock():
        n = next(_people)
        ada = administrator(email=f"ada.dp{n}@barnet.example.org", first_name="Ada")
        alice = practitioner(email=f"alice.dp{n}@school.example.org", first_name="Alice")
        TOTPDevice.objects.create(user=ada, name="phone", confirmed=True)
        waiting = services.invite_user(
            data={"email": f"hana.dp{n}@outside.example.org", "first_name": "Hana"},
            role=roles.PRACTITIONER,
            managed_hubs=[],
            by=alice,
            approved=False,
        )
        episode = allocated_episode(alice)
        child = Child.objects.filter(records__family=episode.family).first()
        record = RightsRequest.objects.create(
            kind=RightsRequest.Kind.ACCESS,
            child=child,
            requester_name="A parent",
            relationship=RightsRequest.Relationship.PARENT,
            received_on=date(2026, 11, 30),
            recorded_by=ada,
        )
        newcomer = practitioner(email=f"new.dp{n}@school.example.org")
        TOTPDevice.objects.filter(user=newcomer).delete()
    return {
        "ada": ada,
        "waiting": waiting,
        "child": child,
        "record": record,
        "newcomer": newcomer,
    }


def test_an_administrators_data_protection_pages(page, admin_world):
    sign_in(page, admin_world["ada"])
    for url in [
        "/manage/staff/",
        f"/manage/staff/{admin_world['waiting'].pk}/",
        "/manage/privacy/",
        f"/manage/privacy/{admin_world['record'].pk}/",
        f"/children/{admin_world['child'].pk}/legal-hold/",
    ]:
        page.goto(url)
        assert_accessible(page)
    page.goto("/manage/privacy/new/")
    assert_accessible(page)
    _submit_empty(page, "Record the request")
    assert_accessible(page)
    page.goto(f"/children/{admin_world['child'].pk}/legal-hold/")
    _submit_empty(page, "Place a legal hold")
    assert_accessible(page)


def test_a_password_alone_is_told_to_use_the_emailed_link(page, admin_world):
    from tests.factories import PASSWORD

    page.goto("/sign-in/")
    page.get_by_label("Work email address").fill(admin_world["newcomer"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "Use the link in your email" in page.locator("h1").inner_text()
    assert_accessible(page)
