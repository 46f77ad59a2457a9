"""GET /service_at_locations and /service_at_locations/{id}: each published service at each public
place, page by page, near a postcode, and in full."""

import math
from datetime import time

import pytest
from django.urls import reverse

from directory.filters import METRES_PER_DEGREE
from tests.oruk.conftest import hold, make_place
from tests.oruk.validation import assert_valid, assert_valid_page, profile_schema

pytestmark = pytest.mark.django_db

URL = reverse("oruk:service_at_locations")


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_valid_page(body, "/service_at_locations")
    return body


def public_links():
    from directory.models import ServiceAtLocation

    return ServiceAtLocation.objects.filter(
        service__status__in=["active", "temporarily_closed"], location__is_confidential=False
    )


def test_the_first_middle_and_last_pages_match_the_schema(client, many_services):
    total = public_links().count()
    first = get(client, per_page=50)
    assert first["total_items"] == total
    assert first["total_pages"] == math.ceil(total / 50)
    assert (first["first_page"], first["last_page"], first["size"]) == (True, False, 50)
    middle = get(client, per_page=50, page=first["total_pages"] // 2)
    assert (middle["first_page"], middle["last_page"], middle["size"]) == (False, False, 50)
    last = get(client, per_page=50, page=first["total_pages"])
    assert last["last_page"]
    assert last["size"] == total - 50 * (first["total_pages"] - 1)


def test_each_item_names_its_service_and_place(client, parents_group, hall):
    [item] = get(client, day="SU")["contents"]
    assert item["service_id"] == item["service"]["id"] == str(parents_group.pk)
    assert item["location_id"] == item["location"]["id"] == str(hall.pk)
    assert item["location"]["latitude"] == hall.latitude
    assert item["service"]["organization"]["name"] == "Khulisa"


@pytest.mark.parametrize("per_page", [1, 200])
def test_a_page_takes_the_same_few_queries_whatever_its_size(
    client, many_services, django_assert_max_num_queries, per_page
):
    with django_assert_max_num_queries(3):  # the count, the page's ids, then its rows
        assert get(client, per_page=per_page, page=2)["size"] == per_page


@pytest.mark.parametrize("per_page", [1, 200])
def test_a_page_near_a_postcode_takes_the_same_few_queries(
    client, many_services, django_assert_max_num_queries, per_page
):
    with django_assert_max_num_queries(4):  # the postcode, the count, ids, rows
        assert get(client, per_page=per_page, postcode="N2 8LG")["size"] == per_page


def test_a_confidential_place_is_never_listed(client, parents_group, refuge):
    text = client.get(URL, {"per_page": 200, "search": "Polish"}).content.decode()
    assert "Test community hall" in text
    assert "Secret refuge" not in text
    assert str(refuge.pk) not in text
    assert get(client, day="SA")["total_items"] == 0


def test_the_service_at_a_confidential_place_is_not_found(client, parents_group, refuge):
    link = parents_group.service_at_locations.get(location=refuge)
    response = client.get(reverse("oruk:service_at_location", kwargs={"id": link.pk}))
    assert response.status_code == 404


def test_an_unpublished_service_is_not_found_at_any_place(client, parents_group, hall):
    parents_group.status = "draft"
    parents_group.save()
    link = parents_group.service_at_locations.get(location=hall)
    response = client.get(reverse("oruk:service_at_location", kwargs={"id": link.pk}))
    assert response.status_code == 404
    assert get(client, search="Polish")["total_items"] == 0


def test_a_service_at_a_place_is_served_in_full(client, parents_group, hall, editor):
    link = parents_group.service_at_locations.get(location=hall)
    response = client.get(reverse("oruk:service_at_location", kwargs={"id": link.pk}))
    assert response.status_code == 200
    body = response.json()
    # openapi.json names compiled/service.json for this response, but what it describes (and
    # the ORUK example shows) is a service_at_location: see directory/api.py.
    assert_valid(body, profile_schema("compiled/service_at_location.json"))
    assert body["location"]["addresses"][0]["postal_code"] == "N2 8LG"
    assert body["service"]["name"] == parents_group.name
    assert [s["byday"] for s in body["service"]["schedules"]] == ["SU"]
    assert body["service"]["contacts"][0]["phones"][0]["number"] == "020 7946 0123"
    assert "editor.private" not in response.content.decode()


def test_a_postcode_puts_the_nearest_places_first(client, many_services):
    body = get(client, postcode="N2 8LG", per_page=200)
    assert body["total_items"] == public_links().count()
    from hubs.models import Postcode

    origin = Postcode.objects.values_list("latitude", "longitude").get(postcode="N2 8LG")
    located = [item["location"] for item in body["contents"] if "latitude" in item["location"]]
    metres = [_metres(origin, place) for place in located]
    assert metres == sorted(metres)


def test_proximity_keeps_only_places_within_that_many_metres(client, many_services, hall):
    from hubs.models import Postcode

    origin = Postcode.objects.values_list("latitude", "longitude").get(postcode="N2 8LG")
    body = get(client, postcode="N2 8LG", proximity=1500, per_page=200)
    assert 0 < body["total_items"] < public_links().count()
    assert all(_metres(origin, item["location"]) <= 1500 for item in body["contents"])


def test_a_district_is_enough_for_a_postcode(client):
    assert get(client, postcode="n2", proximity=3000)["total_items"] > 0


def test_proximity_needs_a_postcode(client):
    response = client.get(URL, {"proximity": "1000"})
    assert response.status_code == 400
    assert response.json()["message"] == "proximity must be given with a postcode"


def test_a_postcode_we_cannot_place_is_a_400(client):
    response = client.get(URL, {"postcode": "ZA1 1AA"})  # well formed, but no such district
    assert response.status_code == 400
    assert response.json()["message"].startswith("postcode must be")


def test_the_filters_apply_to_the_service_and_its_sessions_at_that_place(client, parents_group):
    other = make_place(name="Weekday hall")
    hold(parents_group, other, weekday=1, opens=time(9), closes=time(10))
    by_day = get(client, day="MO", search="Polish")
    assert [item["location"]["name"] for item in by_day["contents"]] == ["Weekday hall"]
    assert get(client, search="Polish")["total_items"] == 2
    assert get(client, search="Polish", minimum_age=1)["total_items"] == 0


def _metres(origin, place) -> float:
    """The same flat-earth distance the feed orders by (directory.filters.Distance)."""
    latitude, longitude = origin
    dy = (place["latitude"] - latitude) * METRES_PER_DEGREE
    dx = (place["longitude"] - longitude) * METRES_PER_DEGREE * math.cos(math.radians(latitude))
    return math.hypot(dx, dy)
