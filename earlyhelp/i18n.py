"""The public pages in the council's languages (#16).

A page's language is in its address: /services/ is English, /fa/services/ Persian, so a
translated page can be shared. Django's LocaleMiddleware reads it from there (i18n_patterns in
earlyhelp/urls.py, English without a prefix).

The language picker on every page links to `choose_language`, which keeps the choice in a
cookie (the language code, nothing else) and sends the person to the same page and query in that
language. A public page asked for without a prefix (a bookmark, a link in a leaflet) is then
answered in the chosen language: ChosenLanguageMiddleware redirects it to the prefixed address.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path
from django.views.decorators.http import require_safe

from earlyhelp.access import PUBLIC, public

LANGUAGE_CODES = {code for code, _ in settings.LANGUAGES}


class ChosenLanguageMiddleware:
    """Sends a GET for a public page without a language prefix to the chosen language's page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "_language_unprefixed", False):
            patch_vary_headers(response, ["Cookie"])
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if request.method not in ("GET", "HEAD") or getattr(view, "audience", None) != PUBLIC:
            return None
        if get_language_from_path(request.path_info) is not None:
            return None
        request._language_unprefixed = True
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in LANGUAGE_CODES or chosen == settings.LANGUAGE_CODE:
            return None
        there = translate_url(request.get_full_path(), chosen)
        if there == request.get_full_path():  # not a page with translated addresses (the feed)
            return None
        return HttpResponseRedirect(there)


@public(params=["language", "next"])
@require_safe
def choose_language(request: HttpRequest) -> HttpResponse:
    """Keep the language chosen in the picker and show the same page in it.

    A GET link rather than a form, so the picker is a list of plain links that each carry
    `hreflang`; changing the language changes no data but the cookie.
    """
    language = request.GET.get("language", "")
    page = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not page.startswith("/"):
        page = "/"
    if language not in LANGUAGE_CODES:
        return HttpResponseRedirect(page)
    # The page's address is resolved in its own language (/fa/... in Persian), then reversed.
    with translation.override(get_language_from_path(page) or settings.LANGUAGE_CODE):
        there = translate_url(page, language)
    response = HttpResponseRedirect(there)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
