"""The public pages every other page links to."""

import html

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("home", "Get early help for your family in Barnet"),
        ("accessibility", "Accessibility statement"),
        ("privacy", "Privacy notice"),
        ("cookies", "Cookies"),
        ("about_data", "About the data"),
        ("hubs:list", "Barnet's early help hubs"),
    ],
)
def test_each_public_page_has_its_heading_and_the_govuk_template(client, name, heading):
    response = client.get(reverse(name))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f">{heading}</h1>" in page
    assert 'class="govuk-skip-link"' in page
    assert '<main class="govuk-main-wrapper" id="main-content">' in page
    assert "govuk-phase-banner" in page
    assert "Barnet Council" in page


def test_the_footer_links_the_accessibility_privacy_and_cookie_pages(client):
    page = client.get(reverse("home")).content.decode()
    for name in ["accessibility", "privacy", "cookies", "about_data"]:
        assert f'href="{reverse(name)}"' in page


def test_the_about_the_data_page_carries_the_postcode_attribution(client):
    page = client.get(reverse("about_data")).content.decode()
    assert "Contains OS data © Crown copyright and database right 2025" in page
    assert "Contains Royal Mail data © Royal Mail copyright and database right 2025" in page
    assert "Open Government Licence v3.0" in page


def test_the_cookies_page_names_the_cookies_really_set(client, settings):
    page = client.get(reverse("cookies")).content.decode()
    assert settings.SESSION_COOKIE_NAME in page
    assert settings.CSRF_COOKIE_NAME in page


def test_public_pages_set_no_cookies(client):
    response = client.get(reverse("hubs:find"), {"postcode": "N2 8LG"})
    assert response.cookies == {}


def test_every_page_shows_how_to_report_a_child_in_danger(client):
    page = client.get(reverse("hubs:find")).content.decode()
    assert "call 999" in page
    assert 'href="tel:+442083594066"' in page


def test_an_unknown_page_gets_a_govuk_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_unknown_hub_is_a_404(client):
    assert client.get(reverse("hubs:detail", kwargs={"slug": "north"})).status_code == 404


def test_a_hub_page_lists_its_areas_with_wards(client):
    page = client.get(reverse("hubs:detail", kwargs={"slug": "west"})).content.decode()
    assert "HA8" in page
    assert "Part of NW9: NW9 4, NW9 5, NW9 6" in page
    assert "Colindale North" in page
    assert "Burnt Oak" in page


def test_a_hub_page_takes_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("hubs:detail", kwargs={"slug": "south"}))


def test_security_headers_are_set_on_a_public_page(client):
    response = client.get(reverse("hubs:find"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
