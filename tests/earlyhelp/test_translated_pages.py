"""Every public page, rendered in each of the council's languages, has no English left in it (#16).

For each page and language, the page is rendered in English and in that language. A line of text
the two have in common, with an English word in it, is English left untranslated: a string not
marked for translation, or marked but not translated. What is not ours to translate is taken out
first: the council's data (names, addresses, phone numbers of hubs, places and services), text
marked as English with lang="en-GB" (a listing with no translation, said to be "in English"), and
the language picker, which names each language in its own script.
"""

import html
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from directory.models import Location, Organisation, Service
from hubs.models import Hub, Postcode
from referrals.forms import ASK_FOR_HELP_STEPS
from tests.referrals.test_ask_for_help import ANSWERS, fill_in

pytestmark = pytest.mark.django_db

COMMUNITY = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# Words that are the same in every language here: names, abbreviations and codes.
SAME_EVERYWHERE = {
    "GOV.UK", "Barnet", "SEND", "NHS", "OS", "Open Referral UK", "ORUK", "JSON", "CSV", "API",
    "WhatsApp", "0-19", "BETA", "Nomis", "ONS", "Ofsted", "EHA", "TAF", "MASH", "csrftoken",
    "sessionid", "language", "Open Government Licence v3.0", "Information Commissioner's Office",
}  # fmt: skip
# ... and words a language has taken from English as they are.
SAME_IN = {
    "ro": {"Cookies", "Bengali", "Online", "Transport", "Urdu", "Cost", "Contact"},
    "pl": {"Menu", "Online", "Transport", "Urdu"},
    "pt": {"Cookies", "Menu", "Bengali", "Online", "Somali", "Urdu"},
}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


class _Text(HTMLParser):
    """The text of a page, one entry per text node, less scripts, styles, the language picker
    and anything marked as English."""

    SKIPPED = {"script", "style", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.lines: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skip = (
            tag in self.SKIPPED
            or (tag != "html" and (attributes.get("lang") or "").lower().startswith("en"))
            or "app-language-select" in (attributes.get("class") or "")
            or (self.stack and self.stack[-1][1])
        )
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            self.stack.append((tag, bool(skip)))
        for name in ("aria-label", "alt", "placeholder"):
            if attributes.get(name) and not skip:
                self.lines.append(attributes[name].strip())

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][1]:
            return
        text = " ".join(data.split())
        if text:
            self.lines.append(text)


def text_lines(response) -> list[str]:
    parser = _Text()
    parser.feed(response.content.decode())
    return parser.lines


def _data_strings() -> list[str]:
    """The council's own data as pages show it: longest first, so a name is removed whole."""
    values: set[str] = {settings.COUNCIL_NAME, settings.SERVICE_NAME}
    for hub in Hub.objects.all():
        values |= {hub.name, hub.office_name, hub.address, hub.postcode, hub.phone, hub.email,
                   hub.opening_times, hub.how_to_get_help}  # fmt: skip
        values |= set(hub.address.splitlines())
    for place in Location.objects.all():
        values |= {place.name, place.address_1, place.city, place.postal_code, place.description,
                   place.source}  # fmt: skip
    values |= set(Postcode.objects.exclude(ward_name="").values_list("ward_name", flat=True))
    for service in Service.objects.all():
        values |= {service.name, service.summary, service.email, service.phone, service.url,
                   service.cost_description, service.source}  # fmt: skip
    values |= set(Organisation.objects.values_list("name", flat=True))
    # Whole values only (a one-letter address line must not take letters out of words).
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 4}, key=len, reverse=True)


def untranslated(
    english: list[str], translated: list[str], data: list[str], code: str
) -> list[str]:
    shared = (set(english) & set(translated)) - SAME_IN.get(code, set())
    left = []
    for line in shared:
        rest = f" {line} "
        for value in data:
            if value in rest:
                rest = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", rest)
        for word in SAME_EVERYWHERE:
            rest = rest.replace(word, " ")
        if LATIN_WORD.search(rest):
            left.append(line)
    return sorted(left)


def _pages() -> list[tuple[str, str]]:
    search = reverse("directory:search")
    service = Service.objects.published().order_by("name").first()
    place = Location.objects.filter(is_confidential=False).order_by("name").first()
    hub = Hub.objects.order_by("name").first()
    return [
        ("home", reverse("home")),
        ("find your hub", reverse("hubs:find")),
        ("a hub covering the postcode", reverse("hubs:find") + "?postcode=N2+8LG"),
        ("a district to narrow down", reverse("hubs:find") + "?postcode=N2"),
        ("another council's postcode", reverse("hubs:find") + "?postcode=WC2N+5DU"),
        ("a postcode not found", reverse("hubs:find") + "?postcode=ZZ99+9ZZ"),
        ("a postcode typed wrong", reverse("hubs:find") + "?postcode=hello"),
        ("the hubs", reverse("hubs:list")),
        ("a hub", hub.get_absolute_url()),
        ("search", search),
        ("search results near a postcode", search + "?q=parenting&postcode=N2+8LG"),
        ("search with filters", search + "?q=play&category=family-support&free=on&age=3"),
        ("search with no results", search + "?q=xyzzyqq&postcode=N2+8LG"),
        ("a service", service.get_absolute_url()),
        ("report a problem with a service", reverse("directory:report", args=[service.pk])),
        ("a place", place.get_absolute_url()),
        ("the libraries", reverse("directory:libraries")),
        ("life stages", reverse("directory:life_stages")),
        ("a life stage", reverse("directory:life_stage", args=["early-years"])),
        ("feedback", reverse("feedback")),
        ("accessibility", reverse("accessibility")),
        ("privacy", reverse("privacy")),
        ("cookies", reverse("cookies")),
        ("about the data", reverse("about_data")),
        ("a page not found", "/no-such-page/"),
    ]  # fmt: skip


def test_the_open_data_page_for_developers_says_it_is_in_english(client):
    # The feed and its documentation are for developers and in English (a stated exception).
    html_text = client.get("/fa" + reverse("open_data")).content.decode()
    assert '<div lang="en-GB" dir="ltr" class="app-in-english-page">' in html_text


def in_language(url: str, code: str) -> str:
    return f"/{code}{url}"


@pytest.mark.parametrize("code", COMMUNITY)
def test_every_public_page_is_in_the_language_with_no_english_left(client, code):
    data = _data_strings()
    found = {}
    for name, url in _pages():
        english = client.get(url)
        translated = client.get(in_language(url, code))
        assert translated.status_code == english.status_code, name
        left = untranslated(text_lines(english), text_lines(translated), data, code)
        if left:
            found[name] = left
    assert not found, f"{code}: English left on {len(found)} pages: {found}"


@pytest.mark.parametrize("code", COMMUNITY)
def test_asking_for_help_is_in_the_language_at_every_step(client, code):
    # What the parent typed is theirs, not ours to translate.
    data = sorted([*_data_strings(), *(v for v in ANSWERS.values() if len(v) >= 4)], key=len)[::-1]
    fill_in(client)  # every answer given, in English, so each page can be shown
    found = {}
    pages = [reverse("referrals:ask_for_help_step", args=[s.slug]) for s in ASK_FOR_HELP_STEPS]
    pages.append(reverse("referrals:ask_for_help_check"))
    for url in pages:
        english = client.get(url)
        translated = client.get(in_language(url, code))
        assert translated.status_code == english.status_code == 200, url
        left = untranslated(text_lines(english), text_lines(translated), data, code)
        if left:
            found[url] = left
    assert not found, f"{code}: English left: {found}"


@pytest.mark.parametrize("code", COMMUNITY)
def test_mistakes_are_explained_in_the_language(client, code):
    response = client.get(in_language(reverse("hubs:find"), code), {"postcode": "hello"})
    summary = html.unescape(response.content.decode())
    assert "Enter a full UK postcode" not in summary
    assert 'class="govuk-error-summary' in summary
