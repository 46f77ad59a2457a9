"""A parent on a service page can see how to reach the service before anything else (phone
review, #15): its own phone, email and website at the top, or else its hub's phone."""

import pytest

from directory.models import Service

pytestmark = pytest.mark.django_db


def _page(client, service) -> str:
    return client.get(service.get_absolute_url()).content.decode()


def test_a_services_own_contact_details_come_before_the_details(client, west_service):
    Service.objects.filter(pk=west_service.pk).update(
        phone="020 8359 6622", email="group@example.org", url="https://example.org/group"
    )
    page = _page(client, west_service)
    contact = page.index('href="tel:02083596622"')
    assert contact < page.index("Who it is for") < page.index("Languages")
    assert 'href="mailto:group@example.org"' in page
    assert 'href="https://example.org/group"' in page


def test_a_service_with_no_contact_details_sends_parents_to_its_hubs_phone(client, west_service):
    Service.objects.filter(pk=west_service.pk).update(phone="", email="", url="")
    hub = west_service.service_at_locations.get().location.hub
    page = _page(client, west_service)
    assert f"Contact {hub.name} about this service" in page
    assert page.index(f'href="tel:{hub.phone.replace(" ", "")}"') < page.index("Who it is for")


def test_a_service_with_no_contact_and_no_place_points_to_find_your_hub(client, west_service):
    Service.objects.filter(pk=west_service.pk).update(phone="", email="", url="")
    west_service.service_at_locations.all().delete()
    page = _page(client, west_service)
    assert "Find your hub and its phone number" in page


def test_place_pages_speak_to_parents_not_researchers(client):
    from directory.models import Location

    library = Location.objects.get(name="Chipping Barnet Library")
    page = client.get(library.get_absolute_url()).content.decode()
    run_by = page.split("Run by</dt>")[1].split("</dd>")[0]
    assert "London Borough of Barnet" in run_by
    assert "Core Plus" not in run_by
    hyde = Location.objects.get(name__startswith="The Hyde Children")
    assert "not given in source" not in client.get(hyde.get_absolute_url()).content.decode()
    new_barnet = Location.objects.get(name__startswith="New Barnet")
    assert "ACE 2023" not in new_barnet.description


def test_sample_session_times_are_marked_once_not_on_every_line(client):
    from directory.models import SAMPLE_SESSION_NOTE, Schedule

    session = (
        Schedule.objects.filter(notes=SAMPLE_SESSION_NOTE)
        .select_related("service_at_location__service", "service_at_location__location")
        .first()
    )
    assert session is not None, "the loader marks the session times it invents"
    for url in (
        session.service_at_location.service.get_absolute_url(),
        session.service_at_location.location.get_absolute_url(),
    ):
        page = client.get(url).content.decode()
        assert page.count("Sample data") >= 1
        assert "These session times are examples" in page
        assert SAMPLE_SESSION_NOTE not in page


def test_a_life_stage_page_groups_services_by_need(client, django_assert_max_num_queries):
    from django.urls import reverse

    with django_assert_max_num_queries(8):
        page = client.get(reverse("directory:life_stage", args=["pre-birth-0-2"])).content.decode()
    assert "Support for this stage, by need" in page
    assert 'id="pregnancy-birth-and-early-years"' in page
    # The services come before the council's strategy, which waits behind a disclosure.
    assert page.index("Support for this stage, by need") < page.index("is focusing on")
    assert '<details class="govuk-details">' in page


def test_a_programme_is_explained_in_a_line_wherever_a_place_lists_it(client):
    from directory.models import Schedule

    session = Schedule.objects.select_related(
        "service_at_location__service", "service_at_location__location"
    ).filter(service_at_location__service__name="1-2-3 Magic")[0]
    page = client.get(session.service_at_location.location.get_absolute_url()).content.decode()
    line = page.split(">1-2-3 Magic</a>")[1].split("</li>")[0]
    assert "managing difficult behaviour in children aged 2 to 12" in line
