"""A parent on a phone finds their hub, in a real browser. The `page` fixture runs axe-core on
every page these tests load (tests/browser/conftest.py)."""

from tests.browser.conftest import assert_accessible, tab_to


def test_a_parent_types_a_postcode_and_sees_their_hub(page):
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Find your hub").click()
    assert page.locator("h1").inner_text() == "Find your early help hub"

    page.get_by_label("Postcode").fill("nw9 4br")
    page.get_by_role("button", name="Find your hub").click()

    assert page.locator("h1").inner_text() == "Your hub is West Hub"
    assert (
        page.get_by_role("link", name="020 8359 3510").get_attribute("href") == "tel:+442083593510"
    )
    page.audit()
    assert len(page.audited) == 3


def test_a_mistyped_postcode_shows_an_error_summary_that_links_to_the_field(page):
    page.goto("/find-your-hub/")
    page.get_by_label("Postcode").fill("N2 8L")
    page.get_by_role("button", name="Find your hub").click()

    summary = page.locator(".govuk-error-summary")
    assert "Enter a full UK postcode, like N2 8LG" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert page.get_by_label("Postcode").input_value() == "N2 8L"
    # GOV.UK Frontend moves focus to the summary so screen readers announce it.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")

    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_postcode"
    assert_accessible(page)


def test_every_kind_of_answer_is_accessible(page):
    for postcode in ["N20 0AA", "HA8 5AL", "NW9", "ZE9 9ZZ", "HA8"]:
        page.goto(f"/find-your-hub/?postcode={postcode}")
        assert page.locator("h1").count() == 1


def test_hub_pages(page):
    page.goto("/hubs/")
    page.get_by_role("link", name="South Hub").click()
    assert page.locator("h1").inner_text() == "South Hub"
    assert "NW4" in page.locator("table").inner_text()


def test_the_footer_pages(page):
    page.goto("/")
    for name in ["Accessibility statement", "Privacy notice", "Cookies", "About the data"]:
        page.get_by_role("contentinfo").get_by_role("link", name=name).click()
        assert page.locator("h1").inner_text() == name


def test_find_your_hub_with_the_keyboard_alone(page):
    page.goto("/find-your-hub/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    tab_to(page, "id_postcode")
    page.keyboard.type("NW4 3PS")
    page.keyboard.press("Tab")
    button = page.get_by_role("button", name="Find your hub")
    assert button.evaluate("element => element === document.activeElement")
    with page.expect_navigation():
        page.keyboard.press("Space")
    assert page.locator("h1").inner_text() == "Your hub is South Hub"


def test_the_journey_works_without_javascript(browser, live_url):
    context = browser.new_context(base_url=live_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/find-your-hub/")
    page.get_by_label("Postcode").fill("NW4 3PS")
    page.get_by_role("button", name="Find your hub").click()
    assert page.locator("h1").inner_text() == "Your hub is South Hub"
    context.close()


def test_a_member_of_staff_can_sign_in_and_out(page, live_url):
    page.goto("/")
    page.get_by_role("link", name="Staff sign in").click()
    page.get_by_role("button", name="Sign in").click()
    assert "Enter your work email address" in page.locator(".govuk-error-summary").inner_text()


def test_the_home_page_searches_by_postcode_on_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/")
    search = page.get_by_role("textbox", name="Find support near you")
    assert search.bounding_box()["y"] < 812, "the postcode box is on the first screen"
    search.fill("N2 8LG")
    page.get_by_role("button", name="Search", exact=True).click()
    assert "N2 8LG" in page.locator("h1").inner_text() or "N2 8LG" in page.content()
    assert_accessible(page)
