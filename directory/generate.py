"""Synthetic services for scale tests: realistic names, categories, ages and places across the
council's postcodes. Everything made here is marked sample data."""

import random
import uuid
from datetime import time

from django.db import transaction

from directory.models import (
    SAMPLE_SESSION_NOTE,
    Location,
    LocationType,
    Organisation,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from hubs import councils
from hubs.models import Postcode

WHAT = ["Stay and play", "Baby massage", "Parenting course", "Youth club", "Homework club",
        "Dads' group", "Breastfeeding café", "Speech and language drop-in", "Family cooking",
        "Money advice clinic", "Teen talk", "Messy play", "Story time", "Football club",
        "Coding club", "Mindfulness for parents", "Bumps and babies", "SEND parent forum",
        "Music and movement", "Walk and talk"]  # fmt: skip
WHERE = ["Community", "Neighbourhood", "Estate", "Church hall", "Park", "School", "Centre"]
DESCRIPTION_WORDS = [
    "friendly",
    "relaxed",
    "weekly",
    "sessions",
    "children",
    "parents",
    "carers",
    "play",
    "learn",
    "meet",
    "others",
    "advice",
    "support",
    "trained",
    "staff",
    "volunteers",
    "confidence",
    "wellbeing",
    "fun",
    "activities",
    "games",
    "crafts",
    "healthy",
    "routines",
    "sleep",
    "feeding",
    "behaviour",
]
TIMES = [(time(9, 30), time(11, 0)), (time(10, 0), time(12, 0)), (time(13, 0), time(14, 30)),
         (time(15, 30), time(17, 0)), (time(18, 0), time(19, 30))]  # fmt: skip


def generate_services(count: int, *, seed: int = 2026, batch_size: int = 5000) -> int:
    """Add `count` synthetic services (and a place for every five) across the council."""
    made = _generate(count, seed=seed, batch_size=batch_size)
    analyse_directory()
    return made


@transaction.atomic
def _generate(count: int, *, seed: int, batch_size: int) -> int:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    council = councils.current().ons_code
    postcodes = list(
        Postcode.objects.filter(local_authority_code=council).values_list(
            "postcode", "latitude", "longitude", "ward_name"
        )
    )
    terms = list(TaxonomyTerm.objects.exclude(parent=None).values_list("id", flat=True))
    organisation, _ = Organisation.objects.get_or_create(
        key="synthetic-providers",
        defaults={"name": "Synthetic providers (sample data)", "description": "Scale tests."},
    )
    run = uuid.uuid4().hex[:8]
    places = []
    for n in range(max(1, count // 5)):
        postcode, lat, lon, ward = rng.choice(postcodes)
        places.append(
            Location(
                slug=f"synthetic-{run}-{n}",
                name=f"{ward} {rng.choice(WHERE)} {n}",
                location_type=rng.choice(LocationType.values),
                address_1=f"{rng.randint(1, 200)} Sample Road",
                postal_code=postcode,
                latitude=lat,
                longitude=lon,
                is_sample=True,
                source="Synthetic (generate_services)",
            )
        )
    Location.objects.bulk_create(places, batch_size=batch_size)

    made = 0
    while made < count:
        size = min(batch_size, count - made)
        services, links, sessions, tagged = [], [], [], []
        for n in range(made, made + size):
            low = rng.choice([0, 0, 2, 5, 8, 11, 13, 16])
            high = min(25, low + rng.choice([2, 3, 5, 8, 19]))
            service = Service(
                key=f"synthetic-{run}-{n}",
                organisation=organisation,
                name=f"{rng.choice(WHAT)} {n}",
                summary=" ".join(rng.choices(DESCRIPTION_WORDS, k=12)).capitalize() + ".",
                description=" ".join(rng.choices(DESCRIPTION_WORDS, k=40)).capitalize() + ".",
                how_to_access=rng.choice(Service.Access.values),
                is_free=rng.random() < 0.8,
                minimum_age=low,
                maximum_age=high,
                send_up_to_25=rng.random() < 0.1,
                delivery=rng.sample(Service.Delivery.values, k=rng.randint(1, 2)),
                languages=["en"]
                + rng.sample(["ar", "pl", "ro", "so", "ur", "fa"], k=rng.randint(0, 2)),
                is_sample=True,
                source="Synthetic (generate_services)",
            )
            services.append(service)
            for place in rng.sample(places, k=min(len(places), rng.randint(1, 3))):
                link = ServiceAtLocation(service=service, location=place)
                links.append(link)
                opens, closes = rng.choice(TIMES)
                sessions.append(
                    Schedule(
                        service_at_location=link,
                        weekday=rng.randint(1, 7),
                        opens_at=opens,
                        closes_at=closes,
                        notes=SAMPLE_SESSION_NOTE,
                    )
                )
            tagged.extend(
                Service.terms.through(service=service, taxonomyterm_id=term)
                for term in rng.sample(terms, k=rng.randint(1, 3))
            )
        Service.objects.bulk_create(services)
        ServiceAtLocation.objects.bulk_create(links)
        Schedule.objects.bulk_create(sessions)
        Service.terms.through.objects.bulk_create(tagged)
        made += size
    return made


def analyse_directory() -> None:
    """Refresh the planner's statistics after a bulk load, so search plans fit the new sizes."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in (Location, Service, ServiceAtLocation, Schedule, Service.terms.through):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
