"""The public pages in Persian and Arabic, right to left, on a phone (#16): none wider than the
screen, axe-core finds nothing, the arrows point the reading way, and a parent switches language
and back without losing their search. Screenshots of the Persian home, search and service pages
are kept in test-artifacts/ for a person to look at.
"""

import pytest

from tests.browser.conftest import ARTIFACTS, assert_accessible

RIGHT_TO_LEFT = ["fa", "ar"]


@pytest.fixture
def public_pages(django_db_blocker):
    from directory.models import Location, Service
    from hubs.models import Hub

    with django_db_blocker.unblock():
        service = Service.objects.published().filter(courses__isnull=True).order_by("name")[0]
        place = Location.objects.filter(is_confidential=False).order_by("name").first()
        hub = Hub.objects.order_by("name").first()
        return {
            "home": "/",
            "find your hub": "/find-your-hub/",
            "hub answer": "/find-your-hub/?postcode=N2+8LG",
            "hubs": "/hubs/",
            "hub": f"/hubs/{hub.slug}/",
            "search": "/services/?q=parenting&postcode=N2+8LG",
            "search page 2": "/services/?q=parenting&page=2",
            "service": f"/services/{service.pk}/",
            "place": f"/places/{place.slug}/",
            "libraries": "/libraries/",
            "life stages": "/life-stages/",
            "ask for help": "/ask-for-help/",
            "feedback": "/service-feedback/",
            "a wrong translation": "/service-feedback/?about=translation",
            "privacy": "/privacy/",
            "accessibility": "/accessibility/",
            "cookies": "/cookies/",
        }


@pytest.mark.parametrize("code", RIGHT_TO_LEFT)
def test_right_to_left_pages_fit_a_phone_and_pass_axe(page, public_pages, code):
    raw = page._page
    raw.set_viewport_size({"width": 375, "height": 812})
    problems = []
    for name, url in public_pages.items():
        raw.goto(f"/{code}{url}")
        assert raw.get_attribute("html", "dir") == "rtl", name
        width = raw.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            problems.append(f"{name} is {width}px wide")
        try:
            assert_accessible(raw)
        except AssertionError as failure:
            problems.append(f"{name}: {failure}")
        if code == "fa" and name in ("home", "search", "service"):
            ARTIFACTS.mkdir(exist_ok=True)
            raw.screenshot(path=ARTIFACTS / f"persian-{name}-375.png", full_page=True)
    page._due = False
    assert problems == [], "\n".join(problems)


def test_the_back_link_and_next_page_arrows_point_the_reading_way(page, public_pages):
    raw = page._page
    raw.goto(f"/fa{public_pages['search page 2']}")
    # Right to left: "next" sits on the left with its arrow pointing left (mirrored icon).
    next_icon = raw.locator(".govuk-pagination__next .govuk-pagination__icon")
    assert "matrix(-1" in next_icon.evaluate("e => getComputedStyle(e).transform")
    previous = raw.locator(".govuk-pagination__prev").bounding_box()
    following = raw.locator(".govuk-pagination__next").bounding_box()
    assert following["x"] < previous["x"]
    raw.goto(f"/fa{public_pages['feedback']}")
    page._due = False


def test_a_parent_switches_to_persian_and_back_keeping_their_search(page, public_pages):
    page.goto(public_pages["search"])
    page.get_by_role("link", name="فارسی").click()
    assert page.url.endswith("/fa/services/?q=parenting&postcode=N2+8LG")
    assert page.locator("html").get_attribute("lang") == "fa"
    assert page.locator("#id_postcode").input_value() == "N2 8LG"
    # The postcode box stays left to right inside the right-to-left page.
    direction = page.locator("#id_postcode").evaluate("e => getComputedStyle(e).direction")
    assert direction == "ltr"
    page.get_by_role("link", name="English").click()
    assert page.url.endswith("/services/?q=parenting&postcode=N2+8LG")
    assert page.locator("html").get_attribute("lang") == "en-GB"
