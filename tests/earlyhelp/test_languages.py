"""The public pages in the council's languages (#16): addresses, picker, cookie and direction."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

COMMUNITY = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def picker_links(response) -> dict[str, str]:
    """The language picker's links, by language code."""
    html = response.content.decode()
    nav = html[html.index('class="app-language-select"') :]
    nav = nav[: nav.index("</nav>")]
    links = re.findall(r'<a class="govuk-link" href="([^"]+)" lang="([^"]+)"', nav)
    return {code: href.replace("&amp;", "&") for href, code in links}


def test_barnet_offers_english_and_six_community_languages_from_its_data():
    # ONS Census 2021 TS024: the five most spoken after English, and Arabic (data/barnet).
    assert [code for code, _ in settings.LANGUAGES] == ["en-gb", "ro", "fa", "pl", "gu", "pt", "ar"]
    names = dict(settings.LANGUAGES)
    assert names["fa"] == "فارسی"
    assert names["gu"] == "ગુજરાતી"
    assert names["pl"] == "polski"


def test_english_pages_keep_their_addresses_and_each_language_has_its_own(client):
    assert client.get("/services/?q=toddler").status_code == 200
    for code in COMMUNITY:
        response = client.get(f"/{code}/services/?q=toddler")
        assert response.status_code == 200
        assert f'<html lang="{code}"' in response.content.decode()


@pytest.mark.parametrize(("code", "direction"), [("fa", "rtl"), ("ar", "rtl"), ("pl", "ltr")])
def test_persian_and_arabic_pages_are_right_to_left_with_the_mirrored_styles(
    client, code, direction
):
    html = client.get(f"/{code}/find-your-hub/").content.decode()
    assert f'dir="{direction}"' in html.split(">", 2)[1]
    assert ("govuk-frontend.rtl.min.css" in html) == (direction == "rtl")
    assert ("rtl-fixes.css" in html) == (direction == "rtl")


def test_the_picker_names_each_language_in_its_own_script_and_marks_its_language(client):
    html = client.get("/find-your-hub/").content.decode()
    assert '<span class="app-language-select__current" aria-current="true" lang="en-gb">' in html
    assert 'lang="fa" hreflang="fa">فارسی</a>' in html
    assert 'lang="ar" hreflang="ar">العربيّة</a>' in html


def test_switching_language_keeps_the_page_and_the_query(client):
    links = picker_links(client.get("/services/?q=toddler&postcode=N2+8LG&within=2"))
    response = client.get(links["fa"])
    assert response.status_code == 302
    there = urlsplit(response["Location"])
    assert there.path == "/fa/services/"
    assert parse_qs(there.query) == {"q": ["toddler"], "postcode": ["N2 8LG"], "within": ["2"]}
    # ... and back to English from the Persian page.
    back = client.get(picker_links(client.get(response["Location"]))["en-gb"])
    assert urlsplit(back["Location"]).path == "/services/"


def test_the_choice_is_kept_in_a_cookie_with_the_language_code_only(client):
    response = client.get(reverse("choose_language"), {"language": "pl", "next": "/hubs/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "pl"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"]
    # A public page asked for at its English address then opens in Polish.
    again = client.get("/hubs/?sort=name")
    assert again.status_code == 302
    assert again["Location"] == "/pl/hubs/?sort=name"
    # Choosing English again keeps English at the plain addresses.
    client.get(reverse("choose_language"), {"language": "en-gb", "next": "/hubs/"})
    assert client.get("/hubs/").status_code == 200


def test_a_translated_address_is_shared_as_it_is_whatever_the_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    assert client.get("/pl/hubs/").status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"language": "xx", "next": "/hubs/"},
        {"language": "fa", "next": "https://evil.example.org/"},
        {"language": "fa", "next": "//evil.example.org/"},
        {"language": "fa"},
        {},
    ],
)
def test_the_language_link_never_sends_anyone_off_the_site(client, params):
    response = client.get(reverse("choose_language"), params)
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert not response["Location"].startswith("//")


def test_staff_pages_and_the_open_data_feed_are_not_redirected_by_the_cookie(client, alice):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    assert client.get("/api/openreferral/services").status_code == 200
    client.force_login(alice)
    response = client.get(reverse("accounts:sign_in"))
    assert response.status_code in (200, 302)
    assert not response.get("Location", "").startswith("/fa/")


def test_other_language_pages_say_the_translation_is_unchecked_and_how_to_report_it(client):
    html = client.get("/fa/hubs/").content.decode()
    assert "/fa/service-feedback/?page=hubs%3Alist&amp;about=translation" in html
