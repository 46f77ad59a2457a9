"""Hackney beside Barnet on one deployment (#17): each council answers on its own host name with
its own hubs, directory, feed and safeguarding contact, and Barnet's answers are unchanged."""

import csv
import json
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from hubs.models import Council
from tests.factories import practitioner
from tests.oruk.validation import assert_valid_page

pytestmark = pytest.mark.django_db

BARNET = "barnet.localhost"
HACKNEY = "hackney.localhost"
DATA = Path(settings.BASE_DIR) / "data"


def _hackney_hub_of_ward() -> dict[str, str]:
    data = json.loads((DATA / "hackney" / "hubs.json").read_text(encoding="utf-8"))
    names = {hub["slug"]: hub["name"] for hub in data["hubs"]}
    return {rule["ward"]: names[rule["hub"]] for rule in data["coverage_rules"]}


def _held_out_hackney_postcodes(per_ward: int = 3) -> list[tuple[str, str]]:
    """A few live Hackney postcodes from every ward, picked at random (seeded), with the ward."""
    by_ward: dict[str, list[str]] = {}
    path = DATA / "postcodes" / "hackney_and_neighbours_postcodes.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["lad_code"] == "E09000012":
                by_ward.setdefault(row["ward_code"], []).append(row["postcode"])
    rng = random.Random(17)  # noqa: S311 - a sample for a test
    return [
        (postcode, ward)
        for ward, postcodes in sorted(by_ward.items())
        for postcode in rng.sample(postcodes, per_ward)
    ]


HACKNEY_POSTCODES = _held_out_hackney_postcodes()


def find(client, postcode: str, host: str):
    return client.get(reverse("hubs:find"), {"postcode": postcode}, HTTP_HOST=host)


def test_every_hackney_ward_is_sampled():
    assert len({ward for _, ward in HACKNEY_POSTCODES}) == len(_hackney_hub_of_ward()) == 21


@pytest.mark.parametrize(("postcode", "ward"), HACKNEY_POSTCODES)
def test_a_hackney_postcode_on_hackneys_host_gets_the_hackney_hub_for_its_ward(
    client, postcode, ward
):
    response = find(client, postcode, HACKNEY)
    assert response.status_code == 200
    assert response.context["answer"].outcome.value == "covered"
    assert response.context["hub"].name == _hackney_hub_of_ward()[ward]
    assert response.context["hub"].council.slug == "hackney"


@pytest.mark.parametrize(
    ("postcode", "hub"),
    [("N2 8LG", "East/Central Hub"), ("HA8 0UB", "West Hub"), ("NW4 3PS", "South Hub")],
)
@pytest.mark.parametrize("host", [BARNET, "127.0.0.1"])
def test_barnet_postcodes_on_barnets_hosts_get_barnet_hubs_as_before(client, postcode, hub, host):
    response = find(client, postcode, host)
    assert response.context["hub"].name == hub


def test_a_barnet_postcode_on_hackneys_host_is_told_it_is_in_barnet(client):
    response = find(client, "N2 8LG", HACKNEY)
    assert response.context["answer"].outcome.value == "other_authority"
    assert "This postcode is in Barnet" in response.content.decode()


def test_a_hackney_postcode_on_barnets_host_is_told_it_is_in_hackney(client):
    response = find(client, "E8 3RP", BARNET)
    assert response.context["answer"].outcome.value == "other_authority"
    assert "This postcode is in Hackney" in response.content.decode()


def test_no_wrong_door_another_council_here_is_one_link_away(client):
    """A postcode in a council this deployment also serves links to that council's answer."""
    to_hackney = find(client, "E8 3RP", BARNET)
    assert to_hackney.context["elsewhere_url"] == (
        "http://hackney.localhost:8000/find-your-hub/?postcode=E8+3RP"
    )
    assert "Find your early help hub in Hackney" in to_hackney.content.decode()
    to_barnet = find(client, "N2 8LG", HACKNEY)
    assert to_barnet.context["elsewhere_url"] == (
        f"{settings.SITE_URL}/find-your-hub/?postcode=N2+8LG"
    )
    # Enfield is not on this deployment: GOV.UK's council finder only.
    assert find(client, "EN1 1AA", BARNET).context.get("elsewhere_url", "") == ""


def test_a_hackney_district_is_answered_from_its_wards(client):
    response = find(client, "E9", HACKNEY)
    # E9's Hackney postcodes lie in wards of more than one hub: the full postcode is needed.
    assert response.context["answer"].outcome.value in {"covered", "ask_full_postcode"}
    assert response.context["answer"].hub is None or response.context["hub"].council.slug == (
        "hackney"
    )


def test_each_host_shows_its_own_councils_hubs_and_safeguarding_contact(client):
    hackney = client.get(reverse("hubs:list"), HTTP_HOST=HACKNEY).content.decode()
    barnet = client.get(reverse("hubs:list"), HTTP_HOST=BARNET).content.decode()
    assert "North West Hub" in hackney
    assert "West Hub" in barnet
    assert "East/Central Hub" not in hackney
    assert "North West Hub" not in barnet
    assert "020 8356 5500" in hackney
    assert "020 8359 4066" not in hackney
    assert "020 8359 4066" in barnet
    assert "020 8356 5500" not in barnet


def test_hackneys_unverified_hubs_say_they_are_sample_data(client):
    page = client.get(
        reverse("hubs:detail", kwargs={"slug": "north-west"}), HTTP_HOST=HACKNEY
    ).content.decode()
    assert "Sample data: this hub" in page


def test_a_hub_of_one_council_is_not_found_on_the_others_host(client):
    assert (
        client.get(reverse("hubs:detail", kwargs={"slug": "west"}), HTTP_HOST=HACKNEY).status_code
        == 404
    )
    assert (
        client.get(
            reverse("hubs:detail", kwargs={"slug": "north-west"}), HTTP_HOST=BARNET
        ).status_code
        == 404
    )


def test_each_directory_lists_only_its_own_councils_services(client):
    hackney = client.get(reverse("directory:search"), {"q": "parent"}, HTTP_HOST=HACKNEY)
    barnet = client.get(reverse("directory:search"), {"q": "parent"}, HTTP_HOST=BARNET)
    hackney_councils = {s.council_id for s in hackney.context["page"].object_list}
    barnet_councils = {s.council_id for s in barnet.context["page"].object_list}
    assert hackney_councils == {Council.objects.get(slug="hackney").pk}
    assert barnet_councils == {Council.objects.get(slug="barnet").pk}


def test_a_service_of_one_council_is_not_found_on_the_others_host(client):
    from directory.models import Service

    barnet_service = Service.objects.published().first()
    url = reverse("directory:service", kwargs={"pk": barnet_service.pk})
    assert client.get(url, HTTP_HOST=BARNET).status_code == 200
    assert client.get(url, HTTP_HOST=HACKNEY).status_code == 404


def _feed(client, host: str) -> dict:
    response = client.get(reverse("oruk:services"), {"per_page": 500}, HTTP_HOST=host)
    assert response.status_code == 200
    return response.json()


def test_each_council_has_its_own_open_referral_feed_and_a_combined_one(client):
    from directory.models import Service

    hackney, barnet = _feed(client, HACKNEY), _feed(client, BARNET)
    combined = _feed(client, "feeds.localhost")
    for body in (hackney, barnet, combined):
        assert_valid_page(body, "/services")
    with scopes_disabled():
        ids = {
            slug: {
                str(pk) for (pk,) in Service.objects.filter(council__slug=slug).values_list("pk")
            }
            for slug in ("barnet", "hackney")
        }
    hackney_ids = {item["id"] for item in hackney["contents"]}
    barnet_ids = {item["id"] for item in barnet["contents"]}
    assert hackney_ids
    assert hackney_ids <= ids["hackney"]
    assert barnet_ids
    assert barnet_ids <= ids["barnet"]
    assert combined["total_items"] == hackney["total_items"] + barnet["total_items"]


def test_the_combined_feeds_host_answers_nothing_but_the_feed(client):
    assert client.get(reverse("hubs:find"), HTTP_HOST="feeds.localhost").status_code == 404


def test_staff_sign_in_only_at_their_own_councils_address(client):
    alice = practitioner(email="alice.barnet@example.org", password="correct horse battery")
    sign_in = reverse("accounts:sign_in")
    answers = {"username": alice.email, "password": "correct horse battery"}
    refused = client.post(sign_in, answers, HTTP_HOST=HACKNEY)
    assert refused.status_code == 200
    assert "Enter a correct email address and password" in refused.content.decode()
    accepted = client.post(sign_in, answers, HTTP_HOST=BARNET)
    assert accepted.status_code == 302


@pytest.fixture
def councils_read_afresh():
    from hubs import councils

    councils.forget()
    yield councils
    councils.forget()  # the test's changes are rolled back: read the councils as they are


def test_each_council_keeps_its_own_records_for_as_long_as_its_schedule_says(
    councils_read_afresh,
):
    hackney = Council.objects.get(slug="hackney")
    assert hackney.data["retention"]["closed_episodes_years"] == 7  # loaded from retention.json
    hackney.data["retention"]["closed_episodes_years"] = 3
    hackney.save(update_fields=["data"])
    councils_read_afresh.forget()
    with scope(council=hackney.pk):
        assert councils_read_afresh.retention()["closed_episodes_years"] == 3
    assert councils_read_afresh.retention()["closed_episodes_years"] == 7  # Barnet's


def test_each_council_has_its_own_levels_of_need_and_partner_agencies(councils_read_afresh):
    hackney = Council.objects.get(slug="hackney")
    with scope(council=hackney.pk):
        assert "hackney.gov.uk" in councils_read_afresh.agency_email_domains()
        assert "barnet.gov.uk" not in councils_read_afresh.agency_email_domains()
    assert "barnet.gov.uk" in councils_read_afresh.agency_email_domains()
