"""Reports in a real browser, axe-core on every page (tests/browser/conftest.py).

A performance analyst opens Reports from the navigation, chooses a quarter, reads the
scorecard, downloads one section as CSV, opens the returns, and prints the scorecard for the
board pack without the navigation or the filters.
"""

import csv
import io
import itertools

import pytest

from tests.browser.test_team_around_the_family import sign_in

_people = itertools.count()


@pytest.fixture
def analyst(django_db_blocker):
    """Ana, a performance analyst, and one West family allocated to Alice this week: both
    committed to the test database, so the live server sees them."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import roles
    from accounts.models import Agency
    from tests.factories import UserFactory, allocated_episode, practitioner

    with django_db_blocker.unblock():
        n = next(_people)
        ana = UserFactory(
            email=f"ana.reports{n}@barnet.example.org",
            first_name="Ana",
            last_name="Alvarez",
            agency=Agency.FAMILY_SERVICES,
            job_title="Performance analyst",
            roles=[roles.PERFORMANCE_ANALYST],
        )
        TOTPDevice.objects.create(user=ana, name="phone", confirmed=True)
        alice = practitioner(email=f"alice.reports{n}@school.example.org", first_name="Alice")
        allocated_episode(alice, child=f"Reportkid{n}")
        yield ana


def _current_quarter():
    from django.utils import timezone

    from reports import periods

    today = timezone.localdate()
    year = periods.financial_year_of(today)
    number = (today.month - 4) % 12 // 3 + 1
    return f"q:{year}-{number}", periods.quarter(year, number).label


def test_an_analyst_reads_the_scorecard_downloads_a_section_and_opens_the_returns(page, analyst):
    sign_in(page, analyst)
    page.get_by_role("navigation", name="Menu").get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    assert page.locator("h1").inner_text().startswith("Early help scorecard: Financial year")

    value, label = _current_quarter()
    page.get_by_label("Period", exact=True).select_option(value)
    page.get_by_role("button", name="Show figures").click()
    assert page.locator("h1").inner_text() == f"Early help scorecard: {label}"
    main = page.get_by_role("main")
    assert main.get_by_role("heading", name="Contacts by route").is_visible()
    assert main.get_by_role("img", name="Contacts by route").count() == 1
    assert main.get_by_role(
        "table", name="Contacts by route: the figures in the chart"
    ).is_visible()
    # Figures only: no link to the records behind them.
    assert main.get_by_role("link", name="the records behind this figure").count() == 0

    with page.expect_download() as downloading:
        main.get_by_role("link", name="Download contacts by route as CSV").click()
    download = downloading.value
    assert download.suggested_filename.startswith("contacts_by_route-")
    with open(download.path(), encoding="utf-8") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert rows[0] == ["measure", "Contacts"]
    assert rows[-1][0] == "All contacts"
    assert int(rows[-1][1]) >= 1

    main.get_by_role("link", name="Returns and exports").click()
    assert page.locator("h1").inner_text() == "Returns and exports"
    assert page.get_by_role("button", name="Download Annex A (CSV)").is_visible()
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download Supporting Families figures (CSV)").click()
    assert downloading.value.suggested_filename.startswith("supporting-families-")


def test_the_scorecard_prints_without_the_navigation_or_the_filters(page, analyst):
    sign_in(page, analyst)
    page.goto("/reports/")
    assert page.locator(".app-report-filters").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".govuk-service-navigation").is_hidden()
    assert page.locator(".govuk-header").is_hidden()
    assert page.locator(".app-report-filters").is_hidden()
    assert page.get_by_role("link", name="Download contacts by route as CSV").is_hidden()
    assert page.locator("h1").is_visible()
    assert page.locator("svg.app-chart").first.is_visible()
    assert page.locator(".app-report-section table").first.is_visible()
    page.emulate_media(media="screen")
    assert page.locator(".app-report-filters").is_visible()
