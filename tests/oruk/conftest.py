"""Records for the Open Referral feed tests, on top of the council's directory that the session
database holds (tests/conftest.py): 47 published Barnet services, none on a weekend, none with a
phone number or email address."""

import uuid
from datetime import UTC, date, datetime, time

import pytest

# A few metres from N2 8LG (East Finchley), where the East/Central hub is.
NEAR_N2_8LG = (51.5978, -0.1742)


def make_service(organisation, **fields):
    from directory.models import Service

    values = {
        "key": f"oruk-test-{uuid.uuid4().hex[:12]}",
        "organisation": organisation,
        "name": "Test service",
        "summary": "A service made for the feed's tests.",
        "how_to_access": Service.Access.DROP_IN,
        **fields,
    }
    terms = values.pop("terms", [])
    service = Service.objects.create(**values)
    service.terms.set(terms)
    return service


def make_place(*, confidential: bool = False, **fields):
    from directory.models import Location, LocationType

    latitude, longitude = NEAR_N2_8LG
    values = {
        "slug": f"oruk-test-{uuid.uuid4().hex[:12]}",
        "name": "Test community hall",
        "location_type": LocationType.COMMUNITY_VENUE,
        "address_1": "1 Test Road",
        "postal_code": "N2 8LG",
        "latitude": latitude,
        "longitude": longitude,
        "is_confidential": confidential,
        **fields,
    }
    return Location.objects.create(**values)


def hold(service, place, *, weekday: int, opens: time, closes: time, **fields):
    """A weekly session of `service` at `place`; returns the service-at-location link."""
    from directory.models import Schedule, ServiceAtLocation

    link, _ = ServiceAtLocation.objects.get_or_create(service=service, location=place)
    Schedule.objects.create(
        service_at_location=link, weekday=weekday, opens_at=opens, closes_at=closes, **fields
    )
    return link


@pytest.fixture
def khulisa(db):
    """A voluntary organisation from the council's directory, with a public email and website."""
    from directory.models import Organisation

    organisation = Organisation.objects.get(key="khulisa")
    organisation.email = "hello@khulisa.example.org"
    organisation.website = "https://khulisa.example.org"
    organisation.save()
    return organisation


@pytest.fixture
def hall(db):
    return make_place(name="Test community hall", accessibility="Step-free entrance.")


@pytest.fixture
def refuge(db):
    """A confidential place: its address must never be published."""
    return make_place(
        confidential=True,
        name="Secret refuge",
        address_1="99 Hidden Street",
        postal_code="N2 9ZZ",
    )


@pytest.fixture
def parents_group(khulisa, hall, refuge):
    """A published service with every detail the feed can show: held at the hall on Sundays
    and, confidentially, at the refuge on Saturdays."""
    from directory.models import Service, TaxonomyTerm

    topic = TaxonomyTerm.objects.get(slug="parent-baby-and-toddler-groups")
    service = make_service(
        khulisa,
        name="Polish-speaking parents' group",
        summary="Meet other Polish-speaking parents.",
        description="A relaxed group for Polish-speaking parents and their under-fives.",
        email="group@khulisa.example.org",
        phone="020 7946 0123",
        url="https://khulisa.example.org/group",
        languages=["en", "pl"],
        is_free=False,
        cost_description="£2 a session",
        minimum_age=0,
        maximum_age=5,
        last_reviewed=date(2026, 1, 15),
        terms=[topic],
    )
    Service.objects.filter(pk=service.pk).update(
        updated_at=datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
    )
    hold(service, hall, weekday=7, opens=time(10), closes=time(11, 30), term_time_only=True,
         notes="Bring a snack.")  # fmt: skip
    hold(service, refuge, weekday=6, opens=time(14), closes=time(15))
    service.refresh_from_db()
    return service


@pytest.fixture
def editor(khulisa):
    """A provider editor at Khulisa: staff, whose details must never be in the feed."""
    from accounts import roles
    from tests.factories import UserFactory

    return UserFactory(
        email="editor.private@khulisa.example.org",
        first_name="Eddie",
        last_name="Private",
        work_phone="07700 900111",
        roles=[roles.PROVIDER_EDITOR],
        provider_organisation=khulisa,
    )


@pytest.fixture
def many_services(db):
    """220 synthetic services (sample data) on top of the council's 47: several pages."""
    from directory.generate import generate_services

    return generate_services(220, seed=7)
