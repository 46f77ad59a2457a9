import functools

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from modeltrans.utils import build_localized_fieldname

from directory.apps import DIRECTORY_VERSION
from directory.filters import METRES_PER_MILE
from earlyhelp import versions
from hubs import councils

register = template.Library()


# Parts of search results drawn, kept in this process per council, listing, language and part
# while the directory is unchanged (a listing shows in many searches).
_RESULT_PARTS = versions.Kept(DIRECTORY_VERSION, limit=10_000)


@register.simple_tag
def result_part(service, template_name: str) -> str:
    """A part of a search result that is the same in every search (its heading and summary,
    its ages and cost), drawn once per language while the directory is unchanged (#18)."""
    key = (councils.current_council_id(), service.pk, get_language(), template_name)
    return _RESULT_PARTS.get_or_build(
        key, lambda: render_to_string(template_name, {"service": service})
    )


# Stands for the page's query string in a kept pagination (pagination below).
_QUERY = "__page_query__"


@register.simple_tag
def pagination(page, page_query: str) -> str:
    """The GOV.UK pagination of a page of results (directory/_pagination.html), drawn once per
    language, page number and number of pages, the query put into its links (0.5 ms a search
    page at 10 links, #18)."""
    drawn = _pagination(get_language(), page.number, page.paginator.num_pages)
    return mark_safe(drawn.replace(_QUERY, conditional_escape(page_query)))  # noqa: S308 - escaped


@functools.lru_cache(maxsize=2048)
def _pagination(language: str, number: int, pages: int) -> str:
    page = Paginator(range(pages), 1).page(number)
    return render_to_string("directory/_pagination.html", {"page": page, "page_query": _QUERY})


@register.filter
def page_links(page) -> list[dict]:
    """The GOV.UK pagination items of a page: the first and last pages, the pages either side
    of this one, and an ellipsis where pages are left out. Worked out for those few numbers, not
    by a template loop over every page (a hundred of them for a common word cost a search 1.9
    ms, #18)."""
    current, last = page.number, page.paginator.num_pages
    shown = {1, last, *range(current - 2, current + 3)}
    items = []
    for number in sorted(n for n in shown if 1 <= n <= last):
        if number == current or number in (1, last) or abs(number - current) == 1:
            items.append({"number": number, "is_current": number == current})
        elif abs(number - current) == 2:
            items.append({"is_ellipsis": True})
    return items


@register.filter
def miles(metres: float | None) -> str:
    """A distance in metres as miles for people: "0.4", "2.5" (in the reader's number format)."""
    if metres is None:
        return ""
    return number_format(round(metres / METRES_PER_MILE, 1), decimal_pos=1)


@register.filter
def term_name(name: str) -> str:
    """A DfE family hubs taxonomy name in the page's language (directory/taxonomy_messages.py
    lists them for the translation catalogues); a council's own term stays as it is."""
    return gettext(name) if name else name


@register.simple_tag
def in_language(service, field: str, *, lines: bool = False) -> str:
    """A listing's `field` (name, summary or description) in the page's language (#16).

    Where the listing has no translation into it, the English is shown, marked as English for
    screen readers and browsers (lang, dir) and said to be "(in English)". `lines` keeps the
    text's line breaks (a description).
    """
    language = get_language()
    english = getattr(service, field) or ""
    translated = ""
    if language != settings.LANGUAGE_CODE:
        translated = (service.i18n or {}).get(build_localized_fieldname(field, language), "")
    show = linebreaksbr if lines else conditional_escape
    if translated or language == settings.LANGUAGE_CODE or not english:
        return show(translated or english)
    return format_html(
        '<span lang="en-GB" dir="ltr">{}</span> <span class="app-in-english">({})</span>',
        show(english),
        gettext("in English"),
    )
