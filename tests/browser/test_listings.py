"""Keeping listings right, in a real browser with axe-core on every page.

A hub manager adds a service page by page with a course and publishes it, confirms a stale
listing from the dashboard; a provider editor proposes a change that the manager approves; a
parent registers interest in the course.
"""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.test_front_door import sign_in

_people = itertools.count()


@pytest.fixture
def people(django_db_blocker):
    """A West hub manager and Khulisa's provider editor, committed so the live server sees
    them, and a West listing last checked a year ago."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import roles
    from accounts.models import Agency
    from directory.models import Location, LocationType, Organisation, Service
    from hubs.models import Hub
    from tests.factories import UserFactory, hub_manager

    with django_db_blocker.unblock():
        n = next(_people)
        mo = hub_manager(email=f"mo.listings{n}@barnet.example.org", first_name="Mo")
        mo.managed_hubs.set([Hub.objects.get(slug="west")])
        pat = UserFactory(
            email=f"pat{n}@khulisa.example.org",
            first_name="Pat",
            last_name="Parker",
            agency=Agency.VOLUNTARY,
            roles=[roles.PROVIDER_EDITOR],
            provider_organisation=Organisation.objects.get(key="khulisa"),
        )
        for user in (mo, pat):
            TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        office = Location.objects.get(location_type=LocationType.FAMILY_HUB, hub__slug="west")
        stale = Service.objects.published().filter(service_at_locations__location=office).first()
        stale.last_reviewed = timezone.localdate() - timedelta(days=400)
        stale.save()
        yield {
            "mo": mo,
            "pat": pat,
            "office": office,
            "stale": stale,
            "khulisa": Service.objects.get(organisation__key="khulisa"),
        }


def _continue(page):
    page.get_by_role("button", name="Save and continue").click()


def test_a_manager_adds_a_service_with_a_course_and_a_parent_registers_interest(page, people):
    mo, office = people["mo"], people["office"]
    sign_in(page, mo)
    page.goto("/manage/listings/")
    page.get_by_role("main").get_by_role("link", name="Add a service").click()

    page.get_by_role("button", name="Save and continue").click()  # nothing chosen
    assert "Choose the organisation" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Which organisation runs the service?").select_option(
        label="Barnet Family Services (London Borough of Barnet)"
    )
    _continue(page)
    page.get_by_label("Name of the service").fill("Browser dads' group")
    page.get_by_label("Summary").fill("A ten-week group for fathers of young children.")
    _continue(page)
    _continue(page)  # description left empty: an error, nothing lost
    assert "Describe the service" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Describe the service").fill("Fathers meet, play and talk.")
    _continue(page)
    page.get_by_role("main").locator("input[type=checkbox]").first.check()
    _continue(page)
    page.get_by_label("Youngest age (years)").fill("0")
    page.get_by_label("Oldest age (years)").fill("5")
    _continue(page)
    page.get_by_label("English").check()
    _continue(page)
    page.get_by_label("Yes, it is free").check()
    _continue(page)
    page.get_by_label("Book a place").check()
    _continue(page)
    page.get_by_label("In person").check()
    _continue(page)
    assert page.locator("h1").inner_text() == "Places and times"
    page.get_by_label("Place").select_option(label=office.name)
    page.get_by_role("button", name="Add place").click()
    page.get_by_role("link", name="Continue").click()
    page.get_by_label("Phone number (optional)").fill("020 8359 6622")
    _continue(page)

    assert page.locator("h1").inner_text() == "Check your answers before publishing"
    page.get_by_role("button", name="Publish").click()
    assert "is now active" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name="Add a course").click()
    start = timezone.localdate() + timedelta(days=10)
    group = page.get_by_role("group", name="Date of the first session")
    group.get_by_label("Day").fill(str(start.day))
    group.get_by_label("Month").fill(str(start.month))
    group.get_by_label("Year").fill(str(start.year))
    page.get_by_label("Number of weekly sessions").fill("10")
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Ends at").fill("11:30")
    page.get_by_label("Number of places").fill("1")
    page.get_by_label("Register interest online").check()
    page.get_by_role("button", name="Save course").click()
    assert "Course saved" in page.locator(".govuk-notification-banner").inner_text()

    # The stale listing is on the dashboard; confirming it means opening it first.
    page.goto("/manage/listings/")
    overdue = page.get_by_role("table").filter(has_text="Overdue")
    assert people["stale"].name in overdue.inner_text()
    row = overdue.get_by_role("row").filter(has_text=people["stale"].name)
    assert row.get_by_role("button", name="Confirm still correct").count() == 0
    row.get_by_role("link", name=f"Check {people['stale'].name}").click()
    page.get_by_role("button", name="Confirm still correct").click()
    assert "checked: next check due" in page.locator(".govuk-notification-banner").inner_text()
    page.context.clear_cookies()

    # A parent finds the course and registers interest; the next parent joins the waiting list.
    page.goto("/services/?q=Browser+dads")
    page.get_by_role("link", name="Browser dads' group").click()
    assert "1 place left" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Register interest").click()
    page.get_by_role("button", name="Register interest").click()
    assert "Enter your name" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Your name").fill("Sam Parent")
    page.get_by_label("Phone number (optional)").fill("07700 900982")
    page.get_by_label("2 to 4").check()
    page.get_by_label("I agree that the organisers").check()
    page.get_by_role("button", name="Register interest").click()
    assert page.locator("h1").inner_text() == "Interest registered"
    assert "CR-" in page.locator(".govuk-panel").inner_text()

    page.goto(page.url.replace("/registered/", "/register/"))
    assert "This course is full" in page.get_by_role("main").inner_text()


def test_a_providers_change_is_approved_by_the_hub_manager(page, people):
    khulisa = people["khulisa"]
    sign_in(page, people["pat"])
    page.goto("/manage/services/")
    page.get_by_role("link", name=khulisa.name).click()
    page.get_by_role("link", name="Change name and summary").click()
    page.get_by_label("Name of the service").fill("Parent Champions with Khulisa")
    _continue(page)
    assert "sent to a hub manager" in page.locator(".govuk-notification-banner").first.inner_text()
    page.context.clear_cookies()

    page.goto(f"/services/{khulisa.pk}/")
    assert "Parent Champions with Khulisa" not in page.locator("h1").inner_text()

    sign_in(page, people["mo"])
    page.goto("/manage/listings/")
    page.get_by_role("link", name="review the change").first.click()
    assert "Parent Champions with Khulisa" in page.get_by_role("table").inner_text()
    page.get_by_label("Approve the change").check()
    page.get_by_role("button", name="Save decision").click()
    page.context.clear_cookies()

    page.goto(f"/services/{khulisa.pk}/")
    assert "Parent Champions with Khulisa" in page.locator("h1").inner_text()


def test_the_open_data_page_is_linked_from_the_footer_and_the_feed_answers(page):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Open data").click()
    assert page.locator("h1").inner_text() == "Open data"
    response = page.request.get("/api/openreferral/")
    assert response.json()["version"] == "HSDS-UK-3.0"
    assert response.headers["access-control-allow-origin"] == "*"
