from functools import cache, lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, get_language_bidi, gettext

from earlyhelp import js_i18n
from hubs import councils

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


@lru_cache(maxsize=1024)
def _language_links(
    offered: tuple, current: str, here: str, page_name: str, feedback_url: str
) -> tuple[SafeString, SafeString]:
    """The language picker and the alternate links of a page, in a language: the same for the
    same address, so kept for the addresses asked for most (#18)."""
    languages = _languages(offered, current, here)
    return _picker(languages, page_name, feedback_url), _alternates(languages)


def _languages(offered: tuple, current: str, here: str) -> list[dict]:
    """Each language in its own script, with the link to this page in it (through
    choose_language, which keeps the choice)."""
    chooser = reverse("choose_language")
    return [
        {
            "code": code,
            "name": name,
            "is_current": code == current,
            "url": f"{chooser}?{urlencode({'language': code, 'next': here})}",
        }
        for code, name in offered
    ]


def _picker(languages: list[dict], page_name: str, feedback_url: str) -> SafeString:
    """The language picker (#16), built here rather than by a template loop on every page:
    plain links, each language named in its own script and marked with its language
    (templates/base.html shows it under the phase banner)."""
    items = format_html_join(
        "",
        '<li class="app-language-select__item">{}</li>',
        (
            (
                format_html(
                    '<span class="app-language-select__current" aria-current="true" '
                    'lang="{}">{}</span>',
                    language["code"],
                    language["name"],
                )
                if language["is_current"]
                else format_html(
                    '<a class="govuk-link" href="{}" lang="{}" hreflang="{}">{}</a>',
                    language["url"],
                    language["code"],
                    language["code"],
                    language["name"],
                ),
            )
            for language in languages
        ),
    )
    if get_language() == settings.LANGUAGE_CODE:
        note = gettext("Our translations have not yet been checked by a qualified translator.")
    else:
        note = format_html(
            '{} <a class="govuk-link" href="{}?{}">{}</a>',
            gettext(
                "This translation has not yet been checked by a qualified translator. If "
                "something is unclear, the English page is the one to rely on."
            ),
            feedback_url,
            urlencode({"page": page_name, "about": "translation"}),
            gettext("Is this translation wrong? Tell us"),
        )
    return format_html(
        '<nav class="app-language-select" aria-label="{}">'
        '<ul class="govuk-body-s app-language-select__list">{}</ul>'
        '<p class="govuk-body-s app-language-select__note">{}</p></nav>',
        gettext("Choose a language"),
        items,
        note,
    )


def _alternates(languages: list[dict]) -> SafeString:
    """<link rel="alternate" hreflang> for this page in each other language."""
    return format_html_join(
        "",
        '<link rel="alternate" hreflang="{}" href="{}">',
        (
            (language["code"], language["url"])
            for language in languages
            if not language["is_current"]
        ),
    )


def _council_in(data: dict, language: str) -> dict:
    """The council's facts with its safeguarding hours in `language` where its data gives them
    (council.json: hours_i18n, out_of_hours_i18n), else in English."""
    safeguarding = dict(data.get("safeguarding", {}))
    for field in ("hours", "out_of_hours"):
        safeguarding[field] = safeguarding.get(f"{field}_i18n", {}).get(
            language, safeguarding.get(field, "")
        )
    return {**data, "safeguarding": safeguarding}


def service(request: HttpRequest) -> dict:
    """The council's and the service's names and safeguarding contact, the links and the
    language picker, for every page."""
    language = get_language()
    # The request's council (from its host name: earlyhelp/middleware.py), else the default.
    council = getattr(request, "council", None) or councils.current()
    links = _links(get_script_prefix(), language)
    page_name = request.resolver_match.view_name if request.resolver_match else ""
    picker, alternates = _language_links(
        tuple(councils.languages()), language, request.get_full_path(), page_name, links["feedback"]
    )
    return {
        "council_name": council.name,
        "council_slug": council.slug,
        "service_name": settings.SERVICE_NAME,
        "council": _council_in(council.data, language),
        "re_referral_months": settings.RE_REFERRAL_MONTHS,
        "links": links,
        "language_picker": picker,
        "alternate_languages": alternates,
        # The public navigation is cached per language and highlighted item (base.html).
        "nav_key": request.path if request.path in links.values() else "",
        # For <html lang dir>: en-GB, fa, ar...
        "html_lang": "en-GB" if language == settings.LANGUAGE_CODE else language,
        "html_dir": "rtl" if get_language_bidi() else "ltr",
        # GOV.UK Frontend's JavaScript messages in the page's language (earlyhelp/js_i18n.py).
        "js_i18n_script": js_i18n.script(language),
    }
