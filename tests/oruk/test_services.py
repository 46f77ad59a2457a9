"""GET /services and /services/{id}: published services, page by page and in full."""

import math
import uuid

import pytest
from django.urls import reverse

from tests.oruk.conftest import hold, make_service
from tests.oruk.validation import assert_valid, assert_valid_page, operation_schema

pytestmark = pytest.mark.django_db

URL = reverse("oruk:services")
BARNET_SERVICES = 47


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert_valid_page(body, "/services")
    return body


def names(body) -> list[str]:
    return [item["name"] for item in body["contents"]]


def detail(client, service_id):
    response = client.get(reverse("oruk:service", kwargs={"id": service_id}))
    assert response.status_code == 200, response.content
    body = response.json()
    assert_valid(body, operation_schema("/services/{id}"))
    return body


# --- Pages -----------------------------------------------------------------------------------


def test_the_first_middle_and_last_pages_match_the_schema(client, many_services):
    first = get(client, per_page=20)
    total = BARNET_SERVICES + many_services
    assert first["total_items"] == total
    assert first["total_pages"] == math.ceil(total / 20)
    assert (first["page_number"], first["size"], first["first_page"]) == (1, 20, True)
    assert (first["last_page"], first["empty"]) == (False, False)

    middle = get(client, per_page=20, page=first["total_pages"] // 2)
    assert (middle["first_page"], middle["last_page"], middle["size"]) == (False, False, 20)

    last = get(client, per_page=20, page=first["total_pages"])
    assert (last["first_page"], last["last_page"]) == (False, True)
    assert last["size"] == total - 20 * (first["total_pages"] - 1)


def test_the_pages_together_hold_every_published_service_once_a_to_z(client, many_services):
    seen = []
    for page in range(1, 3):
        seen += [item["id"] for item in get(client, per_page=200, page=page)["contents"]]
    from directory.models import Service

    expected = Service.objects.published().order_by("name", "id").values_list("id", flat=True)
    assert seen == [str(pk) for pk in expected]


def test_a_page_holds_50_by_default_and_never_more_than_200(client, many_services):
    assert get(client)["size"] == 50
    capped = get(client, per_page=1000)
    assert capped["size"] == 200
    assert capped["total_pages"] == math.ceil(capped["total_items"] / 200)


def test_a_page_past_the_end_is_empty(client):
    body = get(client, page=99)
    assert body["contents"] == []
    assert (body["empty"], body["last_page"]) == (True, True)
    assert body["total_items"] == BARNET_SERVICES


@pytest.mark.parametrize("per_page", [1, 200])
def test_a_page_takes_the_same_few_queries_whatever_its_size(
    client, many_services, django_assert_max_num_queries, per_page
):
    with django_assert_max_num_queries(3):  # the count, the page's ids, then its services
        body = get(client, per_page=per_page)
    assert body["size"] == per_page


@pytest.mark.parametrize("per_page", [1, 200])
def test_a_filtered_page_takes_the_same_few_queries_whatever_its_size(
    client, many_services, django_assert_max_num_queries, per_page
):
    from directory.oruk import taxonomy_id

    filters = {"search": "play", "taxonomy_id": taxonomy_id("dfe-family-hubs"), "minimum_age": 0,
               "maximum_age": 25, "day": "MO,TU,WE,TH,FR,SA,SU"}  # fmt: skip
    with django_assert_max_num_queries(4):  # the taxonomy's id, the count, ids, services
        body = get(client, per_page=per_page, **filters)
    assert body["size"] == min(per_page, body["total_items"])
    assert body["total_items"] > 100


@pytest.mark.parametrize("per_page", [1, 200])
def test_a_page_near_a_postcode_takes_the_same_few_queries_whatever_its_size(
    client, many_services, django_assert_max_num_queries, per_page
):
    with django_assert_max_num_queries(4):  # the postcode, the count, ids, services
        body = get(client, per_page=per_page, postcode="N2 8LG")
    assert body["size"] == per_page


# --- One service in full -------------------------------------------------------------------------


def test_a_service_is_served_in_full(client, parents_group, hall):
    body = detail(client, parents_group.pk)
    assert body["id"] == str(parents_group.pk)
    assert body["status"] == "active"
    assert body["description"] == parents_group.description
    assert body["email"] == "group@khulisa.example.org"
    assert body["url"] == "https://khulisa.example.org/group"
    assert (body["minimum_age"], body["maximum_age"]) == (0, 5)
    assert body["assured_date"] == "2026-01-15"
    assert body["last_modified"] == "2026-01-15T09:30:00.000Z"
    assert body["organization"] == {
        "id": str(parents_group.organisation_id),
        "name": "Khulisa",
        "description": parents_group.organisation.description,
        "email": "hello@khulisa.example.org",
        "website": "https://khulisa.example.org",
    }
    [link] = body["service_at_locations"]
    assert link["location"]["name"] == "Test community hall"
    assert link["location"]["addresses"] == [
        {
            "id": link["location"]["addresses"][0]["id"],
            "location_id": str(hall.pk),
            "address_1": "1 Test Road",
            "city": "London",
            "state_province": "England",
            "postal_code": "N2 8LG",
            "country": "GB",
            "address_type": "physical",
        }
    ]
    assert link["location"]["accessibility"][0]["description"] == "Step-free entrance."
    [session] = body["schedules"]
    assert session["service_at_location_id"] == link["id"]
    assert (session["freq"], session["interval"], session["byday"]) == ("WEEKLY", 1, "SU")
    assert (session["opens_at"], session["closes_at"]) == ("10:00:00", "11:30:00")
    assert session["description"] == (
        "Every Sunday from 10:00 to 11:30 (UK time), in school term time only"
    )
    assert session["notes"] == "Bring a snack."
    assert [(lang["code"], lang["name"]) for lang in body["languages"]] == [
        ("en", "English"),
        ("pl", "Polish"),
    ]
    assert body["cost_options"][0]["amount_description"] == "£2 a session"
    assert "amount" not in body["cost_options"][0]
    [contact] = body["contacts"]
    assert contact["phones"][0]["number"] == "020 7946 0123"
    [category] = body["attributes"]
    assert category["taxonomy_term"]["name"] == "Parent, baby and toddler groups"
    assert category["taxonomy_term"]["parent_id"]


def test_the_same_derived_ids_come_back_every_time(client, parents_group):
    assert detail(client, parents_group.pk) == detail(client, parents_group.pk)


def test_optional_fields_without_a_value_are_left_out(client, khulisa):
    bare = make_service(khulisa, name="Bare service", summary="Just a name.")
    body = detail(client, bare.pk)
    for field in ("url", "email", "minimum_age", "maximum_age", "assured_date", "alert",
                  "last_modified", "schedules", "service_at_locations", "contacts",
                  "attributes", "languages"):  # fmt: skip
        assert field not in body
    assert body["description"] == "Just a name."
    assert body["cost_options"][0]["amount"] == 0


def test_a_confidential_place_and_its_sessions_are_never_shown(client, parents_group, refuge):
    response = client.get(reverse("oruk:service", kwargs={"id": parents_group.pk}))
    text = response.content.decode()
    assert "Secret refuge" not in text
    assert "Hidden Street" not in text
    assert str(refuge.pk) not in text
    assert [s["byday"] for s in response.json()["schedules"]] == ["SU"]


def test_no_staff_contact_details_are_published(client, parents_group, editor):
    for url in (URL, reverse("oruk:service", kwargs={"id": parents_group.pk})):
        text = client.get(url, {"per_page": 200}).content.decode()
        assert "editor.private@khulisa.example.org" not in text
        assert "07700 900111" not in text
        assert "Eddie" not in text


def test_a_full_service_takes_the_same_few_queries_however_many_places(
    client, parents_group, khulisa, django_assert_max_num_queries
):
    from datetime import time

    from tests.oruk.conftest import make_place

    for n in range(10):
        hold(parents_group, make_place(name=f"Hall {n}"), weekday=1, opens=time(9), closes=time(10))
    with django_assert_max_num_queries(4):  # the service, its categories, places, sessions
        body = detail(client, parents_group.pk)
    assert len(body["service_at_locations"]) == 11
    assert len(body["schedules"]) == 11


# --- Only what is published ----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "inactive", "archived"])
def test_an_unpublished_service_is_not_in_the_feed(client, khulisa, status):
    hidden = make_service(khulisa, name="Not yet public", status=status)
    assert "Not yet public" not in names(get(client, per_page=200))
    assert get(client, per_page=200)["total_items"] == BARNET_SERVICES
    assert client.get(reverse("oruk:service", kwargs={"id": hidden.pk})).status_code == 404


def test_a_temporarily_closed_service_is_published_as_such(client, khulisa):
    closed = make_service(khulisa, name="Closed for repairs", status="temporarily_closed")
    assert detail(client, closed.pk)["status"] == "temporarily closed"


def test_sample_data_is_marked(client, khulisa):
    from directory.models import Service

    invented = Service.objects.published().filter(is_sample=True).first()
    assert detail(client, invented.pk)["alert"].startswith("Sample data:")
    partly = Service.objects.published().exclude(sample_fields=[]).first()
    assert "have not been confirmed" in detail(client, partly.pk)["alert"]
    real = make_service(khulisa, name="Fully confirmed")
    assert "alert" not in detail(client, real.pk)


# --- Filters -------------------------------------------------------------------------------------


def test_search_finds_services_by_their_words_and_synonyms(client):
    assert "Breastfeeding and infant feeding support" in names(get(client, search="breastfeeding"))
    teen = names(get(client, search="teenagers"))
    assert "Teen Triple P" in teen
    assert get(client, search="xyzzyqq")["total_items"] == 0


def test_a_search_of_no_words_lists_everything(client):
    assert get(client, search="  !! ")["total_items"] == BARNET_SERVICES


def test_taxonomy_term_id_finds_services_in_that_category_or_its_topics(client, parents_group):
    from directory.models import Service

    topic = parents_group.terms.get()
    by_topic = get(client, taxonomy_term_id=topic.pk, per_page=200)
    assert parents_group.name in names(by_topic)
    expected = Service.objects.published().filter(terms=topic).count()
    assert by_topic["total_items"] == expected
    by_category = get(client, taxonomy_term_id=topic.parent_id, per_page=200)
    assert by_category["total_items"] >= expected
    assert parents_group.name in names(by_category)
    assert get(client, taxonomy_term_id=uuid.uuid4())["total_items"] == 0


def test_taxonomy_id_finds_services_with_any_term_of_that_taxonomy(client, khulisa):
    from directory.models import Service
    from directory.oruk import taxonomy_id

    make_service(khulisa, name="Uncategorised")
    body = get(client, taxonomy_id=taxonomy_id("dfe-family-hubs"), per_page=200)
    assert "Uncategorised" not in names(body)
    categorised = Service.objects.published().filter(terms__isnull=False).distinct()
    assert body["total_items"] == categorised.count()
    assert get(client, taxonomy_id=uuid.uuid4())["total_items"] == 0


def test_minimum_age_finds_services_whose_minimum_is_at_least_that(client):
    body = get(client, minimum_age=11, per_page=200)
    assert body["total_items"] > 0
    assert all(item["minimum_age"] >= 11 for item in body["contents"])


def test_maximum_age_finds_services_whose_maximum_is_at_most_that(client):
    body = get(client, maximum_age=5, per_page=200)
    assert body["total_items"] > 0
    assert all(item["maximum_age"] <= 5 for item in body["contents"])
    assert get(client, maximum_age=4.5)["total_items"] <= body["total_items"]


def test_day_finds_services_with_a_session_that_day_at_a_public_place(client, parents_group):
    # No Barnet service meets at weekends; the parents' group meets on Sundays at the hall and
    # on Saturdays at the refuge, which does not count.
    assert names(get(client, day="SU")) == [parents_group.name]
    assert names(get(client, day="sunday")) == [parents_group.name]
    assert get(client, day="SA")["total_items"] == 0


def test_start_and_end_times_find_sessions_within_them(client, parents_group):
    assert names(get(client, day="SU", start_time="09:30", end_time="12:00")) == [
        parents_group.name
    ]
    assert get(client, day="SU", start_time="10:30")["total_items"] == 0
    assert get(client, day="SU", end_time="11:00")["total_items"] == 0


def test_a_postcode_lists_services_with_places_nearest_first(client, parents_group):
    body = get(client, postcode="N2 8LG", proximity=500, per_page=200)
    assert parents_group.name in names(body)
    far = get(client, postcode="EN5 4QT", proximity=500, per_page=200)  # Chipping Barnet
    assert parents_group.name not in names(far)


# --- Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("page", "0"),
        ("page", "two"),
        ("page", "-1"),
        ("page", "99999999999999999999"),
        ("per_page", "0"),
        ("per_page", "1.5"),
        ("minimum_age", "old"),
        ("maximum_age", "nan"),
        ("maximum_age", "1e400"),
        ("day", "Funday"),
        ("start_time", "25:00"),
        ("end_time", "noon"),
        ("taxonomy_term_id", "not-a-uuid"),
        ("taxonomy_id", "42"),
        ("postcode", "NOT A POSTCODE"),
        ("proximity", "1000"),
    ],
)
def test_a_bad_parameter_is_a_400_that_names_it(client, name, value):
    response = client.get(URL, {name: value})
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["message"].startswith(f"{name} must be")
    assert value not in body["message"]
