"""Load the council's directory (categories, organisations, places, services) from data/<council>/.

Real details come from the council's documents (`directory.json`, each service citing its source)
and `barnet_places.csv`. What the sources do not give is made up for demonstration and marked:
weekly session times, and the example parenting programmes are all sample data, flagged in the
database (`is_sample`, `sample_fields`) and shown as such on every page.
"""

import csv
import hashlib
import json
import random
import re
from datetime import date, time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F
from django.utils.text import slugify

from directory.apps import directory_changed
from directory.models import (
    SAMPLE_SESSION_NOTE,
    LifeStageGuide,
    Location,
    LocationType,
    Organisation,
    Schedule,
    SearchLanguage,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from hubs import councils
from hubs.loaders import _already_loaded, _mark_loaded
from hubs.models import Hub, Postcode
from hubs.postcodes import parse
from hubs.services import find_hub

# Bump when the loader itself changes what it makes of the same files, so data loads again.
LOADER_VERSION = b"4"  # 4: places say who runs them and where they are in plain words

PLACE_TYPES = {
    "library": LocationType.LIBRARY,
    "family_hub_office": LocationType.FAMILY_HUB,
    "children_centre": LocationType.CHILDRENS_CENTRE,
    "youth_centre": LocationType.YOUTH_CENTRE,
}
HUB_SLUGS = {"West": "west", "East/Central": "east-central", "South": "south"}


# Sessions made up for services that people drop in to or book, so that "what's on" and the day
# filter have something to show. All are marked sample data.
SAMPLE_TIMES = [
    (time(9, 30), time(11, 30)),
    (time(10, 0), time(12, 0)),
    (time(13, 30), time(15, 0)),
    (time(16, 0), time(18, 0)),
    (time(18, 30), time(20, 0)),
]


def _keyed(key: str) -> str:
    """A loader key unique across councils: the default council's keys as they always were,
    another council's prefixed with its slug (keys and slugs are unique in the database)."""
    council = councils.current()
    return key if council.is_default else f"{council.slug}-{key}"[:200]


def _council_dir(council: str | None) -> Path:
    return Path(settings.BASE_DIR) / "data" / (council or settings.COUNCIL_DATA)


def load_search_languages() -> int | None:
    """Record the text search configuration of each of the council's languages (#16), and
    re-index the translated listings if one changed; None when already up to date."""
    wanted = dict(settings.SEARCH_CONFIGURATIONS)
    if dict(SearchLanguage.objects.values_list("language", "configuration")) == wanted:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        known = {name for (name,) in cursor.fetchall()}
    unknown = sorted(set(wanted.values()) - known)
    if unknown:
        raise ImproperlyConfigured(
            f"search_configurations names text search configurations PostgreSQL does not have: "
            f"{', '.join(unknown)}"
        )
    with transaction.atomic():
        SearchLanguage.objects.exclude(language__in=wanted).delete()
        for language, configuration in wanted.items():
            SearchLanguage.objects.update_or_create(
                language=language, defaults={"configuration": configuration}
            )
        # The trigger reads the table: listings with translations are indexed again.
        Service.objects.exclude(i18n={}).update(i18n=F("i18n"))
    return len(wanted)


def load_directory(council: str | None = None) -> int | None:
    """Create or update the directory from the council's files; None when already loaded."""
    from directory.generate import analyse_directory

    loaded = _load_directory(council)
    if loaded is not None:
        analyse_directory()
        cache.delete_many(["directory:category-choices", "directory:topic-choices"])
        directory_changed()  # bulk loading sends no signals: public pages read it afresh
    return loaded


@transaction.atomic
def _load_directory(council: str | None) -> int | None:
    folder = _council_dir(council)
    files = [
        folder / "directory.json",
        folder / f"{folder.name}_places.csv",
        folder / "sample_services.json",
    ]
    if not files[0].exists():
        return None
    digest = hashlib.sha256(
        LOADER_VERSION + b"".join(f.read_bytes() for f in files if f.exists())
    ).hexdigest()
    name = f"directory:{folder.name}"
    if _already_loaded(name, digest):
        return None
    data = json.loads(files[0].read_text(encoding="utf-8"))
    terms = _load_taxonomy(data["taxonomy"])
    organisations = _load_organisations(data["organisations"])
    places = _load_places(files[1]) if files[1].exists() else {}
    count = _load_services(data["services"], terms, organisations, places)
    if files[2].exists():
        samples = json.loads(files[2].read_text(encoding="utf-8"))["services"]
        count += _load_sample_services(samples, terms, organisations, places)
    # The life stage guides are shared by every council for now: the default council's.
    for stage in data.get("life_stages", []) if councils.current().is_default else []:
        LifeStageGuide.objects.update_or_create(
            stage=stage["key"],
            defaults={"priorities": stage["priorities"], "source": stage.get("source_quote", "")},
        )
    _mark_loaded(name, digest, count)
    return count


def _load_taxonomy(taxonomy: list[dict]) -> dict[str, TaxonomyTerm]:
    terms = {}
    for position, parent in enumerate(taxonomy):
        top, _ = TaxonomyTerm.objects.update_or_create(
            taxonomy="dfe-family-hubs",
            slug=slugify(parent["name"]),
            defaults={"name": parent["name"], "parent": None, "position": position},
        )
        terms[parent["name"]] = top
        for child_position, child in enumerate(parent["children"]):
            terms[child], _ = TaxonomyTerm.objects.update_or_create(
                taxonomy="dfe-family-hubs",
                slug=slugify(child),
                defaults={"name": child, "parent": top, "position": child_position},
            )
    return terms


def _load_organisations(organisations: list[dict]) -> dict[str, Organisation]:
    return {
        org["key"]: Organisation.objects.update_or_create(
            key=_keyed(org["key"]),
            defaults={
                "name": org["name"],
                "description": org.get("description", ""),
                "website": org.get("website", ""),
            },
        )[0]
        for org in organisations
    }


# Research notes in the places file that mean nothing to a parent: a library's category in
# the council's libraries strategy, where a fact was cross-checked, a gap in the source.
_NOTE_PATTERNS = [
    (re.compile(r";\s*'[^']+' library$"), ""),
    (re.compile(r"^Council-run \((.+)\)$"), r"\1"),
    (re.compile(r"\s*\([^()]*(?:ACE \d{4}|given in source)[^()]*\)"), ""),
    (re.compile(r";\s*not one of the council's \d+ libraries$"), ""),
    (re.compile(r",?\s*\(council provided [^()]*\)"), ""),
]


def public_text(text: str) -> str:
    """A place's "run by" or address as a parent should read it (the full note stays in
    `source`, shown under "Where this information comes from")."""
    for pattern, replacement in _NOTE_PATTERNS:
        text = pattern.sub(replacement, text)
    return text.strip()


def _load_places(path: Path) -> dict[str, Location]:
    hubs = {hub.slug: hub for hub in Hub.objects.all()}
    places = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["type"] not in PLACE_TYPES:
                continue
            postcode = Postcode.objects.filter(postcode=row["postcode"]).first()
            hub = hubs.get(HUB_SLUGS.get(row["hub"], row["hub"]))
            place, _ = Location.objects.update_or_create(
                slug=_keyed(slugify(row["name"])[:200]),
                defaults={
                    "name": row["name"],
                    "location_type": PLACE_TYPES[row["type"]],
                    "address_1": public_text(row["address"]),
                    "postal_code": row["postcode"],
                    "latitude": postcode.latitude if postcode else None,
                    "longitude": postcode.longitude if postcode else None,
                    "opening_hours": public_text(row["opening_hours"]),
                    "description": public_text(row["run_by"]),
                    "hub": hub,
                    "is_sample": row["notes"].upper().startswith("SAMPLE"),
                    "source": f"{row['source_url']} ({row['source_date']}). {row['notes']}",
                },
            )
            places[row["name"]] = place
    if path.name != "barnet_places.csv":
        return _in_hub_areas(places)
    # Parent Champions work in Grahame Park; the seed names no venue, so this place is a sample.
    grahame_park = Postcode.objects.filter(postcode="NW9 5TQ").first()
    places["Grahame Park"], _ = Location.objects.update_or_create(
        slug="grahame-park-community-venue",
        defaults={
            "name": "Grahame Park community venue",
            "location_type": LocationType.COMMUNITY_VENUE,
            "address_1": "Grahame Park, Colindale (exact venue to be confirmed)",
            "postal_code": grahame_park.postcode if grahame_park else "",
            "latitude": grahame_park.latitude if grahame_park else None,
            "longitude": grahame_park.longitude if grahame_park else None,
            "is_sample": True,
            "source": "Sample: the news article names Grahame Park but no venue.",
        },
    )
    return _in_hub_areas(places)


def _in_hub_areas(places: dict[str, Location]) -> dict[str, Location]:
    """Every place no row gives a hub belongs to the hub whose area it is in: that hub's
    managers keep it."""
    for place in places.values():
        if place.hub_id is None and (parsed := parse(place.postal_code)) is not None:
            place.hub = find_hub(parsed).hub
            place.save(update_fields=["hub"])
    return places


def _places_for(entry: dict, places: dict[str, Location]) -> list[Location]:
    named = [places[name] for name in entry.get("named_places", []) if name in places]
    if named:
        return named
    types = set(entry.get("place_types", []))
    return [
        place
        for place in places.values()
        if place.location_type in types and place.location_type != LocationType.LIBRARY
    ]


def _save_service(key: str, defaults: dict, terms: list[TaxonomyTerm], where: list[Location]):
    key = _keyed(key)
    if Service.objects.filter(key=key, version__gt=1).exists():
        return  # changed in /manage/ since it was loaded: the portal's copy wins
    service, _ = Service.objects.update_or_create(key=key, defaults=defaults)
    service.terms.set(terms)
    ServiceAtLocation.objects.filter(service=service).delete()
    rng = random.Random(key)  # noqa: S311 - deterministic sample times, not security
    for place in where:
        at = ServiceAtLocation.objects.create(service=service, location=place)
        if service.how_to_access in (Service.Access.DROP_IN, Service.Access.BOOK):
            opens, closes = rng.choice(SAMPLE_TIMES)
            Schedule.objects.create(
                service_at_location=at,
                weekday=rng.randint(1, 5),
                opens_at=opens,
                closes_at=closes,
                term_time_only=rng.random() < 0.5,
                notes=SAMPLE_SESSION_NOTE,
            )
    return service


def _load_services(entries, terms, organisations, places) -> int:
    for entry in entries:
        free = entry.get("cost", "free") == "free"
        _save_service(
            entry["key"],
            {
                "organisation": organisations[entry["organisation"]],
                "name": entry["name"],
                "summary": entry["summary"],
                "description": entry["description"],
                "status": Service.Status.ACTIVE,
                "how_to_access": entry["how_to_access"],
                "is_free": free,
                "cost_description": entry.get("cost_description", ""),
                "minimum_age": entry.get("minimum_age"),
                "maximum_age": entry.get("maximum_age"),
                "send_up_to_25": entry.get("send_up_to_25", False),
                "delivery": entry.get("delivery", []),
                "languages": entry.get("languages", ["en"]),
                "life_stages": entry.get("life_stages", []),
                "last_reviewed": date(2026, 11, 23),
                "is_sample": False,
                "sample_fields": sorted(set(entry.get("sample_fields", [])) | {"schedules"}),
                "source": f"{entry['source']['file']}: \u201c{entry['source']['quote']}\u201d",
            },
            [terms[name] for name in entry.get("categories", []) if name in terms],
            _places_for(entry, places),
        )
    return len(entries)


def _tagged(tag: str, extra: dict, terms: dict[str, TaxonomyTerm]) -> list[TaxonomyTerm]:
    """The categories a sample's tag adds: named above, else those whose name holds the tag."""
    if tag in extra:
        return extra[tag]
    return [term for name, term in terms.items() if tag.lower() in name.lower()]


def _load_sample_services(samples, terms, organisations, places) -> int:
    """Example services (sample_services.json), all marked sample data, offered at the hubs."""
    hubs = [p for p in places.values() if p.location_type == LocationType.FAMILY_HUB]
    parenting = [terms[n] for n in ("Parenting support",) if n in terms]
    extra = {
        "domestic abuse": [t for n, t in terms.items() if "domestic abuse" in n.lower()],
        "teenager": [t for n, t in terms.items() if n == "Targeted youth support"],
        "pregnancy": [t for n, t in terms.items() if n == "Midwife and maternity"],
    }
    organisation = organisations.get("barnet-family-services") or next(iter(organisations.values()))
    for sample in samples:
        summary, low, high = sample["summary"], sample["minimum_age"], sample["maximum_age"]
        _save_service(
            f"sample-{sample['key']}",
            {
                "organisation": organisation,
                "name": sample["name"],
                "summary": summary,
                "description": (
                    f"{summary} This is an example listing: the programme is run by other "
                    "councils, and this council has not confirmed that it runs it."
                ),
                "status": Service.Status.ACTIVE,
                "how_to_access": Service.Access.BOOK,
                "is_free": True,
                "minimum_age": low,
                "maximum_age": high,
                "delivery": [Service.Delivery.IN_PERSON],
                "languages": ["en"],
                "life_stages": ["pre-birth-0-2"] if high == 0 else [],
                "is_sample": True,
                "sample_fields": [],
                "source": "Sample: named in other councils' case studies (LGA parenting report).",
            },
            parenting + [t for tag in sample["tags"] for t in _tagged(tag, extra, terms)],
            hubs,
        )
    return len(samples)
