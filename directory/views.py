import hashlib
from itertools import groupby

from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from directory.analytics import record_search
from directory.apps import DIRECTORY_VERSION
from directory.courses import upcoming_courses
from directory.filters import LANGUAGE_NAMES, ServiceFilter
from directory.models import (
    SAMPLE_SESSION_NOTE,
    LifeStage,
    Location,
    LocationType,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from directory.selectors import life_stage_page, place_programme, selected_filters
from earlyhelp import versions
from earlyhelp.access import public
from hubs import councils
from hubs.services import find_hub

SEARCH_PARAMS = [
    "q", "postcode", "within", "category", "topic", "age", "life_stage", "day", "delivery",
    "language", "free", "send", "per_page", "page",
]  # fmt: skip


@public(params=SEARCH_PARAMS)
@require_safe
def service_search(request: HttpRequest) -> HttpResponse:
    """Search published services by words, postcode and filters. A GET form: no JavaScript."""
    search = ServiceFilter(request.GET or None)
    context = {
        "filter": search,
        "form": search.form,
        "searched": bool(request.GET),
        "filters_key": _filters_key(request.GET),
    }
    if request.GET and search.is_valid():
        per_page = int(search.form.cleaned_data.get("per_page") or 10)
        page, results = search.page(request.GET.get("page"), per_page)
        context.update(
            show_results=True,
            page=page,
            results=results,
            has_postcode=search.form.cleaned_data.get("origin") is not None,
            corrected_text=search.corrected_text,
            tags=(tags := selected_filters(search.form, request.GET)),
            has_filters=any(not tag["is_distance"] for tag in tags),
            page_query=_without(request.GET, "page"),
        )
        if page.paginator.count == 0 and search.form.cleaned_data.get("postcode"):
            context["hub_answer"] = find_hub(search.form.cleaned_data["postcode"])
        # One row per search, not per page: the next pages of the same search are not counted.
        if page.number == 1:
            record_search(
                data=search.form.cleaned_data,
                results=page.paginator.count,
                hub_answer=context.get("hub_answer"),
            )
    return render(request, "directory/search.html", context)


FILTER_FIELDS = ["category", "topic", "age", "life_stage", "day", "delivery", "language", "free",
                 "send", "per_page"]  # fmt: skip


def _filters_key(query: QueryDict) -> str:
    """Identifies the filter panel's state, so its rendering (dozens of GOV.UK form templates)
    can be cached: same choices in, same HTML out."""
    chosen = sorted((name, value) for name in FILTER_FIELDS for value in query.getlist(name))
    return hashlib.sha256(repr(chosen).encode()).hexdigest()


def _without(query: QueryDict, *names: str) -> str:
    query = query.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# Public service pages' records, kept in this process under the directory's shared version
# token (earlyhelp.versions, bumped by any change to a listing: directory.apps); courses, whose
# places left change with every registration, are always read afresh.
_SERVICE_PAGES = versions.Kept(DIRECTORY_VERSION, limit=2000)


def _service_page(pk) -> dict:
    sessions = Schedule.objects.order_by("weekday", "opens_at")
    places = (
        ServiceAtLocation.objects.filter(location__is_confidential=False)
        .select_related("location__hub")
        .prefetch_related(Prefetch("schedules", queryset=sessions))
    )
    service = get_object_or_404(
        Service.objects.published()
        .select_related("organisation")
        .prefetch_related(
            Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("parent")),
            Prefetch("service_at_locations", queryset=places),
        ),
        pk=pk,
    )
    # With no contact details of its own, the service is reached through the hub of its place.
    contact_hub = None
    if not (service.phone or service.email or service.url):
        contact_hub = next(
            (at.location.hub for at in service.service_at_locations.all() if at.location.hub_id),
            None,
        )
    return {
        "service": service,
        "contact_hub": contact_hub,
        "languages": [LANGUAGE_NAMES.get(code, code) for code in service.languages],
        "sample_times": any(
            session.notes == SAMPLE_SESSION_NOTE
            for at in service.service_at_locations.all()
            for session in at.schedules.all()
        ),
        "sample_note": SAMPLE_SESSION_NOTE,
        "exit_this_page": any(
            "domestic abuse" in term.name.lower() for term in service.terms.all()
        ),
        # Most services run no courses: only those that do read theirs for every page (#18).
        "has_courses": service.courses.filter(is_cancelled=False).exists(),
    }


@public
@require_safe
def service_detail(request: HttpRequest, pk) -> HttpResponse:
    # Kept per council: a service is found only on its own council's host.
    key = (councils.current_council_id(), str(pk))
    page = _SERVICE_PAGES.get_or_build(key, lambda: _service_page(pk))
    return render(
        request,
        "directory/service.html",
        {
            **page,
            "courses": upcoming_courses(page["service"]) if page["has_courses"] else [],
            # The template keeps the listing's rendered parts under it (a changed listing,
            # or any other, is drawn afresh).
            "listing_version": versions.current(DIRECTORY_VERSION),
        },
    )


@public
@require_safe
def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(
        Location.objects.filter(is_confidential=False).select_related("hub"), slug=slug
    )
    days = place_programme(place)
    return render(
        request,
        "directory/place.html",
        {
            "place": place,
            "days": days,
            "sample_times": any(
                session.notes == SAMPLE_SESSION_NOTE for _, sessions in days for session in sessions
            ),
            "sample_note": SAMPLE_SESSION_NOTE,
        },
    )


@public
@require_safe
def library_list(request: HttpRequest) -> HttpResponse:
    """The libraries, grouped by the early help hub for each one's area (Location.hub, set
    when the places are loaded), with their opening hours."""
    libraries = (
        Location.objects.filter(location_type=LocationType.LIBRARY, is_confidential=False)
        .select_related("hub")
        .order_by(F("hub__name").asc(nulls_last=True), "name")
    )
    groups = [(hub, list(places)) for hub, places in groupby(libraries, key=lambda p: p.hub)]
    return render(request, "directory/libraries.html", {"groups": groups})


@public
@require_safe
def life_stage_list(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/life_stages.html", {"stages": LifeStage.choices})


@public
@require_safe
def life_stage_detail(request: HttpRequest, stage: str) -> HttpResponse:
    if stage not in LifeStage.values:
        raise Http404
    return render(request, "directory/life_stage.html", life_stage_page(LifeStage(stage)))
