"""The Open Referral UK 3.0 feed under /api/openreferral/, and the page that explains it.

The nine read endpoints of the ORUK 3.0 OpenAPI document; directory/oruk.py chooses what they
show and shapes it. The feed is open data for anyone: every answer carries
``Access-Control-Allow-Origin: *``, only GET and HEAD are answered (any other method gets 405) and
errors are JSON (``{"status": 400, "error": "Bad Request", "message": "..."}``), not the site's
HTML pages. An error message names the parameter and never repeats what was sent.
"""

import math
import re
import uuid
from collections.abc import Callable
from datetime import time
from functools import wraps
from http import HTTPStatus

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from directory import oruk
from directory.apps import DIRECTORY_VERSION
from directory.filters import locate
from directory.models import TaxonomyTerm
from earlyhelp import versions
from earlyhelp.access import public
from hubs.postcodes import parse as parse_postcode

PER_PAGE = 50
MAX_PER_PAGE = 200  # a larger per_page is served as this many

PAGE_PARAMS = ["page", "per_page"]
# ORUK names postcode and proximity for service_at_locations only; /services takes them too.
LIST_PARAMS = ["search", "page", "per_page", "taxonomy_term_id", "taxonomy_id", "minimum_age",
               "maximum_age", "day", "start_time", "end_time", "postcode", "proximity"]  # fmt: skip

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# Days as ORUK writes them (RFC 5545: MO, TU...) or in English (Monday, Mon).
DAYS = {
    alias: number
    for number, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], 1
    )
    for alias in (oruk.BYDAY[number].lower(), name[:3], name)
}
NUMBER = re.compile(r"[+-]?(?:\d{1,6}(?:\.\d{0,6})?|\.\d{1,6})")


class BadParameter(Exception):
    def __init__(self, name: str, expected: str):
        super().__init__(f"{name} must be {expected}")


def _error(status: int, message: str) -> JsonResponse:
    phrase = HTTPStatus(status).phrase
    return JsonResponse({"status": status, "error": phrase, "message": message}, status=status)


# Answers kept in this process under the directory's shared version token (earlyhelp.versions):
# the feed is the same for everyone until a listing changes, and aggregators ask for the same
# pages again and again. Only whole successful answers are kept, at most this many.
_ANSWERS = versions.Kept(DIRECTORY_VERSION, limit=1000)


def _answered(request: HttpRequest, view, args, kwargs) -> HttpResponse:
    # The host too: answers carry absolute links.
    key = (request.get_host(), request.path, request.GET.urlencode())
    body = _ANSWERS.get(key)
    if body is not None:
        return HttpResponse(body, content_type="application/json")
    try:
        response = view(request, *args, **kwargs)
    except BadParameter as error:
        return _error(400, str(error))
    except (Http404, ObjectDoesNotExist):
        return _error(404, "There is nothing published with that id.")
    if response.status_code == 200:
        _ANSWERS.put(key, response.content)
    return response


def feed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Make `view` an ORUK endpoint: read-only, open to any site, JSON errors.

    CSRF checks are off because nothing here accepts a write: a POST gets 405 rather than the
    site's CSRF failure page.
    """

    @wraps(view)
    def endpoint(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            # A browser's preflight: anything may be asked for, by GET.
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "*"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = _error(405, "The Open Referral feed is read-only: use GET.")
        else:
            response = _answered(request, view, args, kwargs)
        if response.status_code in (204, 405):
            response["Allow"] = ALLOWED_METHODS
        response["Access-Control-Allow-Origin"] = "*"
        # Other sites' pages may read the feed (the site's own default is same-origin).
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    return csrf_exempt(endpoint)


# --- Reading the query string ------------------------------------------------------------------


def _value(params: QueryDict, name: str) -> str | None:
    value = (params.get(name) or "").strip()
    return value or None


def _whole_number(params: QueryDict, name: str, default: int) -> int:
    value = _value(params, name)
    if value is None:
        return default
    if not re.fullmatch(r"\d{1,9}", value) or int(value) < 1:
        raise BadParameter(name, "a whole number of 1 or more")
    return int(value)


def _number(params: QueryDict, name: str) -> float | None:
    value = _value(params, name)
    if value is None:
        return None
    if not NUMBER.fullmatch(value):
        raise BadParameter(name, "a number, like 5")
    return float(value)


def _uuid(params: QueryDict, name: str) -> uuid.UUID | None:
    value = _value(params, name)
    if value is None:
        return None
    try:
        return uuid.UUID(value[:64])
    except ValueError:
        raise BadParameter(name, "an id (a UUID)") from None


def _days(params: QueryDict, name: str) -> tuple[int, ...]:
    value = _value(params, name)
    if value is None:
        return ()
    days = [DAYS.get(part.strip().lower()) for part in value[:100].split(",")]
    if None in days:
        raise BadParameter(name, "a day of the week, like MO or Monday (or several, like MO,WE)")
    return tuple(sorted(set(days)))


def _time(params: QueryDict, name: str) -> time | None:
    value = _value(params, name)
    if value is None:
        return None
    try:
        if len(value) > 20:
            raise ValueError
        # Sessions are kept in UK local time; a time zone sent with the value is not applied.
        return time.fromisoformat(value).replace(tzinfo=None)
    except ValueError:
        raise BadParameter(name, "a time, like 09:30 or 09:30:00") from None


def _paging(params: QueryDict) -> tuple[int, int]:
    number = _whole_number(params, "page", 1)
    size = min(_whole_number(params, "per_page", PER_PAGE), MAX_PER_PAGE)
    return number, size


def _feed_query(params: QueryDict) -> oruk.FeedQuery:
    minimum_age, maximum_age = _number(params, "minimum_age"), _number(params, "maximum_age")
    origin = proximity = None
    if (postcode := _value(params, "postcode")) is not None:
        parsed = parse_postcode(postcode)
        if parsed is None:
            raise BadParameter("postcode", "a UK postcode, like N2 8LG")
        origin = locate(parsed)
        if origin is None:
            raise BadParameter("postcode", "a postcode we know the location of")
    if (proximity := _number(params, "proximity")) is not None:
        if origin is None:
            raise BadParameter("proximity", "given with a postcode")
        if proximity <= 0:
            raise BadParameter("proximity", "a distance in metres, more than 0")
    return oruk.FeedQuery(
        search=(_value(params, "search") or "")[:100],
        taxonomy_term_id=_uuid(params, "taxonomy_term_id"),
        taxonomy_id=_uuid(params, "taxonomy_id"),
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        days=_days(params, "day"),
        start_time=_time(params, "start_time"),
        end_time=_time(params, "end_time"),
        origin=origin,
        proximity=proximity,
    )


def _id(value: str) -> uuid.UUID:
    """The id in the path; not a UUID means nothing has it."""
    try:
        return uuid.UUID(value[:64])
    except ValueError:
        raise Http404 from None


def _page(total: int, number: int, size: int, contents: list) -> JsonResponse:
    """The ORUK page envelope. `size` is how many items this page holds."""
    pages = math.ceil(total / size)
    return JsonResponse(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": number,
            "size": len(contents),
            "first_page": number == 1,
            "last_page": number >= pages,
            "empty": not contents,
            "contents": contents,
        }
    )


# --- The endpoints -----------------------------------------------------------------------------


@public
@feed
def root(request: HttpRequest) -> HttpResponse:
    return JsonResponse(oruk.api_root())


@public(params=LIST_PARAMS)
@feed
def services(request: HttpRequest) -> HttpResponse:
    """Published services, A to Z (with a postcode: nearest first). The postcode and proximity
    parameters are an extension here: ORUK names them for service_at_locations only."""
    query = _feed_query(request.GET)
    number, size = _paging(request.GET)
    total, found = oruk.service_page(query, number, size)
    return _page(total, number, size, [oruk.service_summary(service) for service in found])


@public
@feed
def service(request: HttpRequest, id: str) -> HttpResponse:
    return JsonResponse(oruk.service_full(oruk.published_service(_id(id))))


@public(params=LIST_PARAMS)
@feed
def service_at_locations(request: HttpRequest) -> HttpResponse:
    query = _feed_query(request.GET)
    number, size = _paging(request.GET)
    total, found = oruk.service_at_location_page(query, number, size)
    return _page(total, number, size, [oruk.service_at_location_summary(link) for link in found])


@public
@feed
def service_at_location(request: HttpRequest, id: str) -> HttpResponse:
    link = oruk.published_service_at_location(_id(id))
    return JsonResponse(oruk.service_at_location_full(link))


@public(params=PAGE_PARAMS)
@feed
def taxonomies(request: HttpRequest) -> HttpResponse:
    number, size = _paging(request.GET)
    slugs = oruk.taxonomy_slugs()
    start = (number - 1) * size
    chosen = slugs[start : start + size]
    return _page(len(slugs), number, size, [oruk.taxonomy(slug) for slug in chosen])


@public
@feed
def taxonomy(request: HttpRequest, id: str) -> HttpResponse:
    slug = oruk.taxonomy_slug(_id(id))
    if slug is None:
        raise Http404
    terms = list(TaxonomyTerm.objects.filter(taxonomy=slug).order_by("name", "id"))
    return JsonResponse(oruk.taxonomy(slug, terms))


@public(params=PAGE_PARAMS)
@feed
def taxonomy_terms(request: HttpRequest) -> HttpResponse:
    number, size = _paging(request.GET)
    terms = TaxonomyTerm.objects.order_by("taxonomy", "name", "id")
    total, found = oruk.page_of(terms, number, size)
    return _page(total, number, size, [oruk.taxonomy_term(term) for term in found])


@public
@feed
def taxonomy_term(request: HttpRequest, id: str) -> HttpResponse:
    return JsonResponse(oruk.taxonomy_term(TaxonomyTerm.objects.get(pk=_id(id))))


# --- The page for people -----------------------------------------------------------------------


@public
@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    """What the feed is, where it is and what may be done with it, in plain English."""
    endpoints = [
        ("oruk:root", "What this feed is: its version and specification."),
        ("oruk:services", "Published services."),
        ("oruk:service_at_locations", "Each service at each public place where it happens."),
        ("oruk:taxonomies", "The category lists services are sorted by."),
        ("oruk:taxonomy_terms", "The categories themselves."),
    ]
    return render(
        request,
        "pages/open_data.html",
        {
            "endpoints": [
                (request.build_absolute_uri(reverse(name)), text) for name, text in endpoints
            ],
            "root_url": request.build_absolute_uri(reverse("oruk:root")),
            "per_page": PER_PAGE,
            "max_per_page": MAX_PER_PAGE,
            "openapi_url": oruk.OPENAPI_URL,
        },
    )
