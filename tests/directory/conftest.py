import pytest


@pytest.fixture
def pat(db):
    """Pat, a provider editor for Khulisa (a voluntary organisation): proposes changes to
    Khulisa's listings only."""
    from accounts import roles
    from accounts.models import Agency
    from directory.models import Organisation
    from tests.factories import UserFactory

    return UserFactory(
        email="pat@khulisa.example.org",
        first_name="Pat",
        last_name="Parker",
        agency=Agency.VOLUNTARY,
        roles=[roles.PROVIDER_EDITOR],
        provider_organisation=Organisation.objects.get(key="khulisa"),
    )


@pytest.fixture
def west_service(db):
    """A published service held only at the West hub office."""
    from directory.models import Location, LocationType, Service, ServiceAtLocation

    office = Location.objects.get(location_type=LocationType.FAMILY_HUB, hub__slug="west")
    service = Service.objects.filter(service_at_locations__location=office).first()
    ServiceAtLocation.objects.filter(service=service).exclude(location=office).delete()
    return service


@pytest.fixture
def khulisa_service(db):
    from directory.models import Service

    return Service.objects.published().get(organisation__key="khulisa")
