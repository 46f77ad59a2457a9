"""No lost updates on a listing: every form that changes a service sends back the version the
person opened it on, and a form without one is refused rather than saved over changes the person
never saw (a finding of the production review, #14). Place changes are version-checked too."""

from datetime import time

import pytest
from django.urls import reverse

from directory import editing
from directory.models import Location, Proposal, Service
from tests.access import as_
from tests.directory.test_listings_access import name_section

pytestmark = pytest.mark.django_db

STALE = "We could not tell which version of this listing you were looking at"


def _someone_else_renames(service: Service, by) -> None:
    editing.save_changes(
        service, {"name": "Renamed meanwhile"}, by=by, seen_version=None, summary="Renamed"
    )


def _session(service: Service):
    link = service.service_at_locations.get()
    return link, link.schedules.create(weekday=1, opens_at=time(9), closes_at=time(11))


def test_a_section_posted_without_its_version_is_not_saved_and_keeps_what_was_typed(
    client, mo, west_service
):
    url = reverse("directory:edit_section", args=[west_service.pk, "name"])
    data = name_section(west_service, "Typed but not saved")
    del data["version"]
    response = as_(client, mo).post(url, data)
    assert response.status_code == 409
    page = response.content.decode()
    assert STALE in page
    assert 'value="Typed but not saved"' in page
    assert f'name="version" value="{west_service.version}"' in page
    assert Service.objects.get(pk=west_service.pk).name == west_service.name


def test_a_status_change_without_its_version_changes_nothing(client, mo, west_service):
    url = reverse("directory:service_status", args=[west_service.pk])
    response = as_(client, mo).post(url, {"action": "close"}, follow=True)
    assert STALE in response.content.decode()
    assert Service.objects.get(pk=west_service.pk).status == Service.Status.ACTIVE


def test_confirming_a_listing_checks_the_version_the_manager_looked_at(
    client, mo, ada, west_service
):
    url = reverse("directory:confirm_service", args=[west_service.pk])
    before = west_service.last_reviewed
    as_(client, mo)
    assert STALE in client.post(url, {}, follow=True).content.decode()
    seen = west_service.version
    _someone_else_renames(west_service, ada)
    page = client.post(url, {"version": seen}, follow=True).content.decode()
    assert "changed since you opened it" in page
    assert Service.objects.get(pk=west_service.pk).last_reviewed == before


def test_a_place_added_without_a_version_or_over_a_newer_one_is_refused(
    client, mo, ada, west_service
):
    url = reverse("directory:edit_places", args=[west_service.pk])
    place = Location.objects.filter(hub__slug="west", is_confidential=False).exclude(
        service_at_locations__service=west_service
    )[0]
    data = {"location": place.pk, "weekday": "2", "opens_at": "10:00", "closes_at": "11:30"}
    as_(client, mo)
    response = client.post(url, data)
    assert response.status_code == 409
    assert STALE in response.content.decode()
    seen = west_service.version
    _someone_else_renames(west_service, ada)
    response = client.post(url, {**data, "version": seen})
    assert response.status_code == 409
    assert "Someone changed this listing while you were looking at it" in response.content.decode()
    assert not west_service.service_at_locations.filter(location=place).exists()
    response = client.post(url, {**data, "version": seen + 1})
    assert response.status_code == 302
    assert west_service.service_at_locations.filter(location=place).exists()


def test_a_place_or_session_removed_over_a_newer_version_stays(client, mo, ada, west_service):
    link, session = _session(west_service)
    seen = west_service.version
    _someone_else_renames(west_service, ada)
    as_(client, mo)
    for route, args in [
        ("directory:remove_session", [west_service.pk, session.pk]),
        ("directory:remove_place", [west_service.pk, link.pk]),
    ]:
        for data in ({}, {"version": seen}):
            response = client.post(reverse(route, args=args), data, follow=True)
            assert "while you were looking" in response.content.decode() or STALE in (
                response.content.decode()
            )
    assert link.schedules.filter(pk=session.pk).exists()
    assert west_service.service_at_locations.filter(pk=link.pk).exists()


def test_the_places_page_sends_the_version_with_every_form(client, mo, west_service):
    _session(west_service)
    page = as_(client, mo).get(reverse("directory:edit_places", args=[west_service.pk]))
    html = page.content.decode().split("<main")[1]  # the header's sign-out form is not one
    assert html.count('<form method="post"') == html.count(
        f'name="version" value="{west_service.version}"'
    )


def test_an_approved_place_proposal_is_checked_against_the_version_seen(
    client, pat, mo, ada, khulisa_service
):
    link = khulisa_service.service_at_locations.first()
    as_(client, pat).post(
        reverse("directory:edit_places", args=[khulisa_service.pk]),
        {
            "location": link.location_id,
            "weekday": "3",
            "opens_at": "10:00",
            "closes_at": "11:00",
            "version": khulisa_service.version,
        },
    )
    proposal = Proposal.objects.get(section="places")
    before = link.schedules.count()
    url = reverse("directory:proposal", args=[proposal.pk])
    as_(client, mo)
    response = client.post(url, {"decision": "approve"})
    assert response.status_code == 409
    seen = khulisa_service.version
    _someone_else_renames(khulisa_service, ada)
    client.post(url, {"decision": "approve", "version": seen})
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.PENDING
    assert link.schedules.count() == before


def test_the_places_editor_styles_its_time_boxes(client, mo, west_service):
    import re

    page = as_(client, mo).get(reverse("directory:edit_places", args=[west_service.pk]))
    for name in ("opens_at", "closes_at"):
        box = re.search(rf'<input[^>]*name="{name}"[^>]*>', page.content.decode()).group(0)
        assert "govuk-input" in box
