"""Open Referral UK 3.0 (HSDS-UK-3.0): the public directory as open data.

The reads behind the feed (which services, places and categories it may show, filtered and in
order) and the mapping of each model to the JSON the ORUK 3.0 schemas describe. The views in
directory/api.py parse the request and call these.

Contract for everything here:

- Only published services (``Service.objects.published()``). Never a confidential location (a
  refuge, say), nor a session held at one. No member of staff: the only contact details are the
  service's and its organisation's own public email, phone number and website.
- An optional field with no value is left out, never sent as null or as an empty string.
- Records ORUK has and the models do not (taxonomies, addresses, contacts, phones, languages, cost
  options, accessibility, attributes) get ids derived from their parent's id with uuid5, so they
  are UUIDs, as ORUK requires, and the same on every request.
- Sample data (invented for the demonstration) is said so in the service's ``alert`` and the
  place's ``description``.
"""

import math
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from django.db.models import Exists, F, Max, Min, OuterRef, Prefetch, Q, QuerySet

from directory.filters import LANGUAGE_NAMES, METRES_PER_MILE, Distance, nearby_places
from directory.models import (
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
    Weekday,
)
from directory.search import build_queries, tidy
from hubs import councils

VERSION = "HSDS-UK-3.0"
# Where the profile is described and the OpenAPI document this feed implements (the ORUK
# validator reads `version` from GET / to choose the specification, and `openapi_url` to read it).
PROFILE_URL = "https://github.com/openreferral/uk-profile"
OPENAPI_URL = "https://openreferraluk.org/specifications/3.0/openapi.json"

# The namespace of derived ids. Changing it would change every derived id in the feed.
NAMESPACE = uuid.UUID("ea23e8c2-a381-4348-afaf-543bf0eb9567")

PUBLISHED = [Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED]
STATUS = {Service.Status.ACTIVE: "active", Service.Status.TEMPORARILY_CLOSED: "temporarily closed"}
BYDAY = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}

# What the feed says about each taxonomy the terms come from (TaxonomyTerm.taxonomy).
TAXONOMIES = {
    "dfe-family-hubs": {
        "name": "DfE Family Hubs service directory categories",
        "description": "The two-level categories of the Department for Education's Family Hubs "
        "service directory (its published seed data), used by family hub directories in England.",
    },
}

# The nation of an address, from the first letter of the council's ONS local authority code.
NATIONS = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}

SAMPLE_SERVICE = (
    "Sample data: this listing is an example for the demonstration. "
    "Check with your hub before you rely on it."
)
SAMPLE_PLACE = "Sample data: this place was invented for the demonstration."


def derived_id(parent_id, kind: str) -> str:
    """The stable id of a record that hangs off `parent_id` (see the module docstring)."""
    return str(uuid.uuid5(NAMESPACE, f"{parent_id}/{kind}"))


def taxonomy_id(slug: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"taxonomy/{slug}")


# --- Reads ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedQuery:
    """What a list request asked for, already checked by the view.

    Ages are in years, times UK local time, days ISO weekday numbers (Monday is 1), the origin a
    postcode's (latitude, longitude) and proximity metres from it.
    """

    search: str = ""
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    days: tuple[int, ...] = ()
    start_time: time | None = None
    end_time: time | None = None
    origin: tuple[float, float] | None = None
    proximity: float | None = None


def taxonomy_slugs() -> list[str]:
    return list(
        TaxonomyTerm.objects.order_by("taxonomy").values_list("taxonomy", flat=True).distinct()
    )


def taxonomy_slug(id: uuid.UUID) -> str | None:
    """The taxonomy with this id, or None."""
    return next((slug for slug in taxonomy_slugs() if taxonomy_id(slug) == id), None)


def page_of(rows: QuerySet, number: int, size: int) -> tuple[int, list]:
    """(how many rows in all, the rows of page `number` of `size`); pages count from 1."""
    total = rows.count()
    start = (number - 1) * size
    if start >= total:
        return total, []
    return total, list(rows[start : start + size])


def in_order(records: QuerySet, ids: list) -> list:
    """The records with these ids, in the order of `ids` (any no longer in `records` left out).

    Pages of services are read in two steps: the ids of the page, in order, from a narrow query
    (sorting 100,000 ids and names is cheap; sorting whole rows is not), then those records.
    """
    found = records.in_bulk(ids) if ids else {}
    return [found[pk] for pk in ids if pk in found]


def service_page(query: FeedQuery, number: int, size: int) -> tuple[int, list[Service]]:
    """A page of published services matching `query`: A to Z, or nearest first with a postcode.

    With a postcode only services with a place that has coordinates are listed (and with a
    proximity, only those with one within it).
    """
    if query.origin is None:
        total, ids = page_of(services(query).values_list("pk", flat=True), number, size)
    else:
        total, ids = _nearest_services_page(query, number, size)
    published = Service.objects.filter(status__in=PUBLISHED).select_related("organisation")
    return total, in_order(published, ids)


def services(query: FeedQuery) -> QuerySet[Service]:
    """Published services matching `query`, A to Z."""
    matching = _matching_services(Service.objects.all(), query, path="", service="pk")
    return matching.order_by("name", "id")


def _nearest_services_page(query: FeedQuery, number: int, size: int) -> tuple[int, list]:
    """(how many services have a place near the postcode, the ids of page `number`, nearest
    first). Counted as services with such a place (a semi-join, cheaper than counting groups);
    ordered by grouping their places."""
    matching = _matching_services(Service.objects.all(), query, path="", service="pk")
    links = _near(
        ServiceAtLocation.objects.filter(
            location__is_confidential=False, location__latitude__isnull=False
        ),
        query,
    )
    total = matching.filter(Exists(links.filter(service_id=OuterRef("pk")))).count()
    start = (number - 1) * size
    if start >= total:
        return total, []
    nearest = (
        links.filter(service__in=matching.values("id"))
        .values("service_id")
        .annotate(
            distance=Min(Distance(query.origin, F("location__latitude"), F("location__longitude"))),
            service_name=Max("service__name"),
        )
        .order_by("distance", "service_name", "service_id")
    )
    return total, [row["service_id"] for row in nearest[start : start + size]]


def service_at_location_page(
    query: FeedQuery, number: int, size: int
) -> tuple[int, list[ServiceAtLocation]]:
    """A page of published services at public places matching `query` (see
    service_at_locations())."""
    total, ids = page_of(service_at_locations(query).values_list("pk", flat=True), number, size)
    public = ServiceAtLocation.objects.filter(
        location__is_confidential=False, service__status__in=PUBLISHED
    ).select_related("service__organisation", "location")
    return total, in_order(public, ids)


def service_at_locations(query: FeedQuery) -> QuerySet[ServiceAtLocation]:
    """Published services at public places matching `query`: by service, then place, A to Z;
    with a postcode, nearest first (places without coordinates last)."""
    links = ServiceAtLocation.objects.filter(location__is_confidential=False)
    links = _matching_services(links, query, path="service__", service="service_id", sessions=False)
    if (sessions := _session_conditions(query)) is not None:
        links = links.filter(
            Exists(Schedule.objects.filter(sessions, service_at_location_id=OuterRef("pk")))
        )
    order: list = ["service__name", "service_id", "location__name", "id"]
    if query.origin is not None:
        links = _near(links, query).annotate(
            distance=Distance(query.origin, F("location__latitude"), F("location__longitude"))
        )
        order = [F("distance").asc(nulls_last=True), *order]
    return links.order_by(*order)


def published_service(pk: uuid.UUID) -> Service:
    """A published service with everything its full record shows; DoesNotExist otherwise."""
    links = (
        ServiceAtLocation.objects.filter(location__is_confidential=False)
        .select_related("location")
        .prefetch_related(Prefetch("schedules", queryset=_sessions()))
        .order_by("location__name", "id")
    )
    return (
        Service.objects.filter(status__in=PUBLISHED)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("terms", queryset=_terms()),
            Prefetch("service_at_locations", queryset=links),
        )
        .get(pk=pk)
    )


def published_service_at_location(pk: uuid.UUID) -> ServiceAtLocation:
    """A published service at a public place, with its sessions there; DoesNotExist otherwise."""
    return (
        ServiceAtLocation.objects.filter(
            location__is_confidential=False, service__status__in=PUBLISHED
        )
        .select_related("service__organisation", "location")
        .prefetch_related(
            Prefetch("schedules", queryset=_sessions()),
            Prefetch("service__terms", queryset=_terms()),
        )
        .get(pk=pk)
    )


def _sessions() -> QuerySet[Schedule]:
    return Schedule.objects.order_by("weekday", "opens_at", "id")


def _terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.order_by("taxonomy", "name", "id")


def _matching_services(
    rows: QuerySet, query: FeedQuery, *, path: str, service: str, sessions: bool = True
) -> QuerySet:
    """`rows` narrowed to published services matching `query`.

    `rows` are services (path "", service "pk") or rows pointing at one (path "service__",
    service "service_id"). With `sessions`, the day and time filters ask for a session at any of
    the service's public places.
    """
    rows = rows.filter(**{f"{path}status__in": PUBLISHED})
    # The public search's words, synonyms and near-miss names (directory/search.py); every idea
    # typed must match.
    strict, _ = build_queries(query.search)
    if strict is not None:
        rows = rows.filter(
            Q(**{f"{path}search_vector": strict})
            | Q(**{f"{path}name__trigram_word_similar": tidy(query.search)})
        )
    tagged = Service.terms.through.objects.filter(service_id=OuterRef(service))
    if query.taxonomy_term_id is not None:
        # A category stands for its topics too: the taxonomy has two levels.
        term = query.taxonomy_term_id
        rows = rows.filter(
            Exists(tagged.filter(Q(taxonomyterm_id=term) | Q(taxonomyterm__parent_id=term)))
        )
    if query.taxonomy_id is not None:
        slug = taxonomy_slug(query.taxonomy_id)
        if slug is None:
            return rows.none()
        rows = rows.filter(Exists(tagged.filter(taxonomyterm__taxonomy=slug)))
    # ORUK: "a minimum age of at least" and "a maximum age equal to or below" the value. No
    # minimum age means from birth (0); no maximum age means no upper limit.
    if query.minimum_age is not None and (lowest := math.ceil(query.minimum_age)) > 0:
        rows = rows.filter(**{f"{path}minimum_age__gte": min(lowest, 1000)})
    if query.maximum_age is not None:
        highest = math.floor(query.maximum_age)
        if highest < 0:
            return rows.none()
        rows = rows.filter(**{f"{path}maximum_age__lte": min(highest, 1000)})
    if sessions and (conditions := _session_conditions(query)) is not None:
        held = Schedule.objects.filter(
            conditions,
            service_at_location__service_id=OuterRef(service),
            service_at_location__location__is_confidential=False,
        )
        rows = rows.filter(Exists(held))
    return rows


def _session_conditions(query: FeedQuery) -> Q | None:
    """Sessions on one of the days that start no earlier than start_time and end by end_time."""
    conditions = Q()
    if query.days:
        conditions &= Q(weekday__in=query.days)
    if query.start_time is not None:
        conditions &= Q(opens_at__gte=query.start_time)
    if query.end_time is not None:
        conditions &= Q(closes_at__lte=query.end_time)
    return conditions or None


def _near(links: QuerySet, query: FeedQuery) -> QuerySet:
    """Links at places within the query's proximity of its origin (all of them without one)."""
    if query.proximity is None:
        return links
    nearby = nearby_places(query.origin, query.proximity / METRES_PER_MILE)
    return links.filter(location__in=nearby.values("id"))


# --- JSON -------------------------------------------------------------------------------------


def _optional(**fields: Any) -> dict[str, Any]:
    """The fields that have a value: ORUK feeds leave out what they do not know."""
    return {name: value for name, value in fields.items() if value not in (None, "", [])}


def _timestamp(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def api_root() -> dict[str, str]:
    return {"version": VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}


def organization(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": str(organisation.id),
        "name": organisation.name,
        # Required by ORUK; the name says at least who they are.
        "description": organisation.description or organisation.name,
        **_optional(email=organisation.email, website=organisation.website),
    }


def service_summary(service: Service) -> dict[str, Any]:
    """A service's one-to-one fields and its organisation: an item of GET /services."""
    return {
        "id": str(service.id),
        "organization_id": str(service.organisation_id),
        "name": service.name,
        **_optional(
            description=service.description or service.summary,
            url=service.url,
            email=service.email,
        ),
        "status": STATUS.get(service.status, "inactive"),
        **_optional(
            minimum_age=service.minimum_age,
            maximum_age=service.maximum_age,
            assured_date=service.last_reviewed.isoformat() if service.last_reviewed else None,
            alert=_alert(service),
            last_modified=_timestamp(service.updated_at),
        ),
        "organization": organization(service.organisation),
    }


def service_full(service: Service) -> dict[str, Any]:
    """GET /services/{id}: the service with its places, sessions, categories and contacts.

    `service` comes from published_service(), which keeps confidential places out.
    """
    links = list(service.service_at_locations.all())
    return {
        **service_summary(service),
        **_optional(
            schedules=[
                schedule(session, link) for link in links for session in link.schedules.all()
            ],
            service_at_locations=[
                {
                    "id": str(link.id),
                    "service_id": str(link.service_id),
                    "location_id": str(link.location_id),
                    "location": location_full(link.location),
                }
                for link in links
            ],
        ),
        **_service_details(service),
    }


def service_at_location_summary(link: ServiceAtLocation) -> dict[str, Any]:
    """A service at a place, one-to-one fields only: an item of GET /service_at_locations."""
    return {
        "id": str(link.id),
        "service_id": str(link.service_id),
        "location_id": str(link.location_id),
        "location": location_summary(link.location),
        "service": service_summary(link.service),
    }


def service_at_location_full(link: ServiceAtLocation) -> dict[str, Any]:
    """GET /service_at_locations/{id}: the place in full and the service with its sessions
    there."""
    return {
        "id": str(link.id),
        "service_id": str(link.service_id),
        "location_id": str(link.location_id),
        "location": location_full(link.location),
        "service": {
            **service_summary(link.service),
            **_optional(schedules=[schedule(session, link) for session in link.schedules.all()]),
            **_service_details(link.service),
        },
    }


def _service_details(service: Service) -> dict[str, Any]:
    """Languages, costs, contact and categories: the parts of a full service record that the
    models keep on the service itself."""
    contact_id = derived_id(service.id, "contact")
    return _optional(
        languages=[
            {
                "id": derived_id(service.id, f"language/{code}"),
                "service_id": str(service.id),
                "name": LANGUAGE_NAMES.get(code, code),
                "code": code,
            }
            for code in service.languages
        ],
        cost_options=[
            {
                "id": derived_id(service.id, "cost"),
                "service_id": str(service.id),
                **(
                    {"amount": 0, "amount_description": service.cost_description or "Free"}
                    if service.is_free
                    else {"amount_description": service.cost_description or "There is a charge"}
                ),
            }
        ],
        # The service's own public phone number; never a member of staff's.
        contacts=[
            {
                "id": contact_id,
                "service_id": str(service.id),
                "name": service.name,
                "phones": [
                    {
                        "id": derived_id(service.id, "phone"),
                        "contact_id": contact_id,
                        "number": service.phone,
                    }
                ],
            }
        ]
        if service.phone
        else [],
        attributes=[
            {
                "id": derived_id(service.id, f"attribute/{term.id}"),
                "link_id": str(service.id),
                "taxonomy_term_id": str(term.id),
                "taxonomy_term": taxonomy_term(term),
            }
            for term in service.terms.all()
        ],
    )


def _alert(service: Service) -> str:
    if service.is_sample:
        return SAMPLE_SERVICE
    if service.sample_fields:
        return (
            "Some details are examples for the demonstration and have not been confirmed: "
            + ", ".join(service.sample_field_labels)
            + "."
        )
    return ""


def schedule(session: Schedule, link: ServiceAtLocation) -> dict[str, Any]:
    """A weekly session as an RFC 5545 rule. Times are UK local time (the offset from UTC
    changes with the season, so none is given)."""
    when = (
        f"Every {Weekday(session.weekday).label} from {session.opens_at:%H:%M} to "
        f"{session.closes_at:%H:%M} (UK time)"
    )
    return {
        "id": str(session.id),
        "service_id": str(link.service_id),
        "service_at_location_id": str(link.id),
        "freq": "WEEKLY",
        "interval": 1,
        "byday": BYDAY[session.weekday],
        "opens_at": session.opens_at.strftime("%H:%M:%S"),
        "closes_at": session.closes_at.strftime("%H:%M:%S"),
        "description": when + (", in school term time only" if session.term_time_only else ""),
        **_optional(notes=session.notes),
    }


def location_summary(place: Location) -> dict[str, Any]:
    description = " ".join(
        filter(None, [place.description, SAMPLE_PLACE if place.is_sample else ""])
    )
    return {
        "id": str(place.id),
        "location_type": "physical",
        **_optional(
            name=place.name,
            description=description,
            latitude=place.latitude,
            longitude=place.longitude,
        ),
    }


def location_full(place: Location) -> dict[str, Any]:
    """A place with its address and accessibility."""
    address = {
        "id": derived_id(place.id, "address"),
        "location_id": str(place.id),
        "address_1": place.address_1,
        "city": place.city,
        "state_province": NATIONS.get(councils.current().ons_code[:1], ""),
        "postal_code": place.postal_code,
        "country": "GB",
        "address_type": "physical",
    }
    return {
        **location_summary(place),
        **_optional(
            addresses=[address] if place.address_1 or place.postal_code else [],
            accessibility=[
                {
                    "id": derived_id(place.id, "accessibility"),
                    "location_id": str(place.id),
                    "description": place.accessibility,
                }
            ]
            if place.accessibility
            else [],
        ),
    }


def taxonomy(slug: str, terms: list[TaxonomyTerm] | None = None) -> dict[str, Any]:
    about = TAXONOMIES.get(slug, {})
    return {
        "id": str(taxonomy_id(slug)),
        "name": about.get("name", slug),
        "description": about.get("description", slug),
        **_optional(taxonomy_terms=[taxonomy_term(term) for term in terms or []]),
    }


def taxonomy_term(term: TaxonomyTerm) -> dict[str, Any]:
    return {
        "id": str(term.id),
        "name": term.name,
        # Required by ORUK; the terms have no description of their own.
        "description": term.name,
        **_optional(parent_id=str(term.parent_id) if term.parent_id else None),
        "taxonomy": TAXONOMIES.get(term.taxonomy, {}).get("name", term.taxonomy),
        "taxonomy_id": str(taxonomy_id(term.taxonomy)),
        "term": term.name,
    }
