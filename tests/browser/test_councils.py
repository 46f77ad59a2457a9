"""A Hackney parent on Hackney's own address (#17), in a real browser: Chromium sends
hackney.localhost to this machine, as it would send the council's real name to the server."""

from tests.browser.conftest import assert_accessible


def test_a_hackney_parent_finds_their_hub_on_hackneys_address(page, live_url):
    hackney = live_url.replace("127.0.0.1", "hackney.localhost")
    page.goto(f"{hackney}/find-your-hub/")
    assert "Hackney" in page.locator("header").inner_text()

    page.get_by_label("Postcode").fill("e8 3rp")
    page.get_by_role("button", name="Find your hub").click()

    assert page.locator("h1").inner_text() == "Your hub is South West Hub"
    assert "Sample data: this hub" in page.locator("main").inner_text()
    assert "020 8356 5500" in page.content()  # Hackney's MASH, not Barnet's
    assert_accessible(page)


def test_a_barnet_postcode_on_hackneys_address_is_told_it_is_in_barnet(page, live_url):
    hackney = live_url.replace("127.0.0.1", "hackney.localhost")
    page.goto(f"{hackney}/find-your-hub/?postcode=N2+8LG")
    assert page.locator("h1").inner_text() == "This postcode is in Barnet"
    assert_accessible(page)
