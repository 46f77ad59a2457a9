"""A parent on a phone finds their hub, in a real browser, with accessibility checked."""

from tests.browser.conftest import assert_accessible


def test_a_parent_types_a_postcode_and_sees_their_hub(page):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("button", name="Find your hub").click()
    assert page.locator("h1").inner_text() == "Find your early help hub"
    assert_accessible(page)

    page.get_by_label("Postcode").fill("nw9 4br")
    page.get_by_role("button", name="Find your hub").click()

    assert page.locator("h1").inner_text() == "Your hub is West Hub"
    assert (
        page.get_by_role("link", name="020 8359 3510").get_attribute("href") == "tel:+442083593510"
    )
    assert_accessible(page)


def test_a_mistyped_postcode_shows_an_error_summary_that_links_to_the_field(page):
    page.goto("/find-your-hub/")
    page.get_by_label("Postcode").fill("N2 8L")
    page.get_by_role("button", name="Find your hub").click()

    summary = page.locator(".govuk-error-summary")
    assert "Enter a full UK postcode, like N2 8LG" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Postcode").input_value() == "N2 8L"
    assert_accessible(page)

    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_postcode"


def test_other_answers_are_accessible(page):
    for postcode in ["N20 0AA", "HA8 5AL", "NW9", "ZE9 9ZZ"]:
        page.goto(f"/find-your-hub/?postcode={postcode}")
        assert_accessible(page)


def test_hub_pages_are_accessible(page):
    page.goto("/hubs/")
    assert_accessible(page)
    page.get_by_role("link", name="South Hub").click()
    assert page.locator("h1").inner_text() == "South Hub"
    assert "NW4" in page.locator("table").inner_text()
    assert_accessible(page)


def test_the_footer_pages_are_accessible(page):
    page.goto("/")
    for name in ["Accessibility statement", "Privacy notice", "Cookies", "About the data"]:
        page.get_by_role("contentinfo").get_by_role("link", name=name).click()
        assert page.locator("h1").inner_text() == name
        assert_accessible(page)


def test_the_journey_works_without_javascript(browser, live_url):
    context = browser.new_context(base_url=live_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/find-your-hub/")
    page.get_by_label("Postcode").fill("NW4 3PS")
    page.get_by_role("button", name="Find your hub").click()
    assert page.locator("h1").inner_text() == "Your hub is South Hub"
    context.close()
