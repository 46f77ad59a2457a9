from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, get_language_bidi

from earlyhelp import js_i18n

# The pages every page links to (header, navigation, footer), reversed once per process rather
# than by a dozen {% url %} tags on every request.
LINKED_FROM_EVERY_PAGE = [
    "home",
    "staff_home",
    "hubs:find",
    "hubs:list",
    "directory:search",
    "directory:dashboard",
    "referrals:ask_for_help",
    "referrals:my_assessments",
    "referrals:caseload",
    "referrals:connections",
    "referrals:front_door",
    "reports:scorecard",
    "accounts:sign_in",
    "accounts:sign_out",
    "feedback",
    "accessibility",
    "privacy",
    "cookies",
    "about_data",
    "open_data",
]


@cache
def _links(script_prefix: str, language: str) -> dict[str, str]:
    """The links, in the page's language (/fa/services/ on a Persian page)."""
    return {name.replace(":", "_"): reverse(name) for name in LINKED_FROM_EVERY_PAGE}


def _languages(request: HttpRequest, current: str) -> list[dict]:
    """The language picker: each language in its own script, linked to this page in it."""
    chooser = reverse("choose_language")
    here = request.get_full_path()
    return [
        {
            "code": code,
            "name": name,
            "is_current": code == current,
            "url": f"{chooser}?{urlencode({'language': code, 'next': here})}",
        }
        for code, name in settings.LANGUAGES
    ]


def _council_in(language: str) -> dict:
    """The council's facts with its safeguarding hours in `language` where its data gives them
    (council.json: hours_i18n, out_of_hours_i18n), else in English."""
    safeguarding = dict(settings.COUNCIL.get("safeguarding", {}))
    for field in ("hours", "out_of_hours"):
        safeguarding[field] = safeguarding.get(f"{field}_i18n", {}).get(
            language, safeguarding.get(field, "")
        )
    return {**settings.COUNCIL, "safeguarding": safeguarding}


def service(request: HttpRequest) -> dict:
    """The council's and the service's names and safeguarding contact, for every page."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "service_name": settings.SERVICE_NAME,
        "council": _council_in(get_language()),
        "re_referral_months": settings.RE_REFERRAL_MONTHS,
        "links": _links(get_script_prefix(), language := get_language()),
        "site_languages": _languages(request, language),
        # For <html lang dir>: en-GB, fa, ar...
        "html_lang": "en-GB" if language == settings.LANGUAGE_CODE else language,
        "html_dir": "rtl" if get_language_bidi() else "ltr",
        # GOV.UK Frontend's JavaScript messages in the page's language (earlyhelp/js_i18n.py).
        "js_i18n": js_i18n.messages(language),
    }
