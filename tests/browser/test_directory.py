"""A parent searches for support on a phone, filters, opens a service and a place. The `page`
fixture audits every loaded page with axe-core (tests/browser/conftest.py)."""

from tests.browser.conftest import tab_to


def test_a_parent_searches_with_a_postcode_filters_and_opens_a_service(page):
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Find support").click()
    assert page.locator("h1").inner_text() == "Find support for your family"

    page.get_by_label("What are you looking for?").fill("toddler group")
    page.get_by_label("Postcode").fill("N2 8LG")
    page.get_by_role("button", name="Search").click()
    heading = page.locator("#results-heading").inner_text()
    assert "for ‘toddler group’" in heading
    assert "miles" in page.locator(".app-result").first.inner_text()

    # On a phone the filters wait behind "Filter results".
    assert not page.get_by_label("Free only").is_visible()
    page.get_by_text("Filter results").click()
    page.get_by_label("Free only").check()
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("link", name="Remove filter Free only").count() == 1

    first = page.locator(".app-result h3 a").first
    name = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text().startswith(name)
    assert page.get_by_role("heading", name="Where and when").count() == 1


def test_removing_a_filter_tag_keeps_the_other_choices(page):
    page.goto("/services/?q=parenting&free=on&day=2")
    page.get_by_role("link", name="Remove filter Tuesday").click()
    assert page.get_by_label("Free only").is_checked()
    assert page.get_by_label("What are you looking for?").input_value() == "parenting"
    assert not page.get_by_label("Tuesday").is_checked()


def test_the_empty_and_error_states(page):
    page.goto("/services/?q=xyzzyq&postcode=N2+8LG")
    assert "We could not find any services" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="020 8359 3460").count() == 1

    page.goto("/services/?q=baby&postcode=N2+8L")
    assert (
        "Enter a full UK postcode, like N2 8LG" in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.get_by_label("What are you looking for?").input_value() == "baby"


def test_a_place_shows_whats_on(page):
    page.goto("/libraries/")
    page.get_by_role("link", name="Burnt Oak Library").click()
    assert page.locator("h1").inner_text().startswith("Burnt Oak Library")
    assert page.get_by_role("heading", name="What's on here").count() == 1


def test_life_stage_pages(page):
    page.goto("/life-stages/")
    page.get_by_role("link", name="0 to 5").click()
    assert page.locator("h1").inner_text() == "0 to 5"


def test_a_domestic_abuse_service_offers_exit_this_page(page):
    page.goto("/services/?q=survivor+mums")
    page.locator(".app-result h3 a").first.click()
    exit_link = page.get_by_role("button", name="Emergency Exit this page")
    assert exit_link.count() == 1
    assert exit_link.get_attribute("href").startswith("https://")


def test_search_with_the_keyboard_alone(page):
    page.goto("/services/")
    tab_to(page, "id_q")
    page.keyboard.type("breastfeeding")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "for ‘breastfeeding’" in page.locator("#results-heading").inner_text()


def test_the_filters_are_open_on_a_wide_screen_without_a_click(page):
    page.set_viewport_size({"width": 1200, "height": 900})
    page.goto("/services/?q=parenting")
    assert page.get_by_label("Free only").is_visible()
    assert not page.get_by_text("Filter results").is_visible()
