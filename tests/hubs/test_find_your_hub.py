"""The public "Find your hub" journey, against the real Barnet data."""

import html

import pytest
from django.urls import reverse

from hubs.models import CoverageGap, CoverageRule, Hub

pytestmark = pytest.mark.django_db

URL = reverse("hubs:find")


def find(client, postcode):
    return client.get(URL, {"postcode": postcode})


def text(response) -> str:
    return html.unescape(response.content.decode())


def h1(response) -> str:
    html = response.content.decode()
    start = html.index(">", html.index("<h1")) + 1
    return html[start : html.index("</h1>", start)].strip()


def test_the_form_asks_for_a_postcode(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert h1(response) == "Find your early help hub"
    assert 'name="postcode"' in text(response)
    assert 'autocomplete="postal-code"' in text(response)


@pytest.mark.parametrize(
    ("postcode", "hub"),
    [
        ("NW9 4BR", "West Hub"),  # West Hub's own office
        ("HA8 0UB", "West Hub"),  # Burnt Oak Library
        ("n28lg", "East/Central Hub"),  # East/Central Hub's office, typed sloppily
        ("EN5 4QT", "East/Central Hub"),  # Chipping Barnet Library
        ("NW4 3PS", "South Hub"),  # South Hub's office
        ("NW2 2QE", "South Hub"),  # Childs Hill Library
    ],
)
def test_a_covered_postcode_names_its_hub_with_contact_details(client, postcode, hub):
    response = find(client, postcode)
    assert response.status_code == 200
    assert h1(response) == f"Your hub is {hub}"
    page = response.content.decode()
    the_hub = Hub.objects.get(name=hub)
    assert the_hub.address in text(response)
    assert f'href="{the_hub.phone_uri}"' in page
    assert "openstreetmap.org/?mlat=" in page
    assert "Phone the hub to check when the office is open." in page


def test_the_phone_link_dials_the_hub_in_international_form(client):
    page = find(client, "N2 8LG").content.decode()
    assert 'href="tel:+442083593460"' in page


def test_the_most_specific_rule_wins(client):
    west = Hub.objects.get(slug="west")
    CoverageRule.objects.create(hub=west, area="N2 8LG", reason="test")
    assert h1(find(client, "N2 8LG")) == "Your hub is West Hub"
    assert h1(find(client, "N2 8LH")) == "Your hub is East/Central Hub"


def test_nw9_is_split_between_west_and_south_by_sector(client):
    assert h1(find(client, "NW9 4BR")) == "Your hub is West Hub"
    # NW9 6 is mostly Colindale, so its West Hendon streets go with the sector to West Hub.
    assert h1(find(client, "NW9 6AA")) == "Your hub is West Hub"
    assert h1(find(client, "NW9 7AA")) == "Your hub is South Hub"


def test_n3_is_split_between_east_central_and_south_by_sector(client):
    assert h1(find(client, "N3 2AA")) == "Your hub is East/Central Hub"
    assert h1(find(client, "N3 3AA")) == "Your hub is South Hub"


def test_an_uncovered_barnet_postcode_gets_the_nearest_hub_and_is_recorded(client):
    response = find(client, "N20 0AA")
    assert response.status_code == 200
    assert h1(response) == "Your nearest hub is East/Central Hub"
    # Parents are not told about the council's gaps in its own lists, only what to do.
    assert "list of areas" not in text(response)
    assert "They will help you, or make sure the right hub does" in text(response)
    gap = CoverageGap.objects.get(area="N20 0")
    assert gap.lookups == 1
    find(client, "N20 0AB")
    gap.refresh_from_db()
    assert gap.lookups == 2


def test_the_gap_record_never_holds_the_full_postcode(client):
    find(client, "N20 9AA")
    assert not CoverageGap.objects.filter(area__contains="AA").exists()


@pytest.mark.parametrize(
    ("postcode", "authority"),
    [
        ("HA8 5AL", "Harrow"),  # HA8 is mostly Barnet, but not this part
        ("NW9 0AA", "Brent"),  # NW9 is shared with Brent
        ("NW3 1AA", "Camden"),
        ("EN1 1AA", "Enfield"),
    ],
)
def test_another_councils_postcode_names_that_council_and_no_hub(client, postcode, authority):
    response = find(client, postcode)
    assert response.status_code == 200
    assert h1(response) == f"This postcode is in {authority}"
    assert "Hub" not in h1(response)
    assert 'href="https://www.gov.uk/find-local-council"' in text(response)


def test_a_district_with_one_hub_is_answered(client):
    assert h1(find(client, "NW4")) == "Your hub is South Hub"


def test_a_district_shared_with_another_council_says_so(client):
    response = find(client, "HA8")
    assert h1(response) == "Your hub is West Hub"
    assert "Part of HA8 is in Brent and Harrow" in text(response)


@pytest.mark.parametrize("district", ["NW9", "N3"])
def test_a_district_shared_by_two_hubs_asks_for_the_full_postcode(client, district):
    response = find(client, district)
    assert h1(response) == "Enter your full postcode"
    assert f'value="{district}"' in text(response)


def test_a_district_no_rule_covers_gets_the_nearest_hub(client):
    response = find(client, "N20")
    assert h1(response) == "Your nearest hub is East/Central Hub"
    assert CoverageGap.objects.filter(area="N20").exists()


def test_a_district_outside_the_council_names_its_council(client):
    assert h1(find(client, "SW1A")) == "This postcode is in City of Westminster"


def test_an_unknown_postcode_in_a_one_hub_district_is_answered_from_the_district(client):
    response = find(client, "NW4 9ZZ")
    assert h1(response) == "Your hub is South Hub"
    assert "We could not find NW4 9ZZ in our list of postcodes" in text(response)


def test_a_terminated_postcode_in_a_split_sector_is_answered_from_the_sector(client):
    # NW9 5XL was Colindale Library's postcode until it was terminated.
    assert h1(find(client, "NW9 5XL")) == "Your hub is West Hub"


def test_an_unknown_postcode_in_a_district_shared_with_another_council_carries_a_caveat(client):
    response = find(client, "HA8 9ZZ")
    assert h1(response) == "Your hub is West Hub"
    assert "Part of HA8 is in Brent and Harrow" in text(response)


def test_an_unknown_postcode_in_an_uncovered_district_shared_with_others_is_not_guessed(client):
    # N6 is mostly Haringey with one Barnet postcode and no rule: no hub can be inferred.
    assert h1(find(client, "N6 9ZZ")) == "We could not find N6 9ZZ"


def test_an_unknown_postcode_in_an_unknown_district_keeps_what_was_typed(client):
    response = find(client, "ze9 9zz")
    assert h1(response) == "We could not find ZE9 9ZZ"
    assert 'value="ze9 9zz"' in text(response)


def test_an_unknown_postcode_in_another_councils_district_names_that_council(client):
    assert h1(find(client, "SW1A 9ZZ")) == "This postcode looks like it is in City of Westminster"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a postcode"),
        ("   ", "Enter a postcode"),
        ("\x00", "Enter a postcode"),
        ("hello", "Enter a full UK postcode, like N2 8LG"),
        ("N2 8L", "Enter a full UK postcode, like N2 8LG"),
        ("😀😀😀", "Enter a full UK postcode, like N2 8LG"),
        ("N2\x008LG" * 3, "Enter a full UK postcode, like N2 8LG"),
        ("x" * 10_000, "Enter a full UK postcode, like N2 8LG"),
        ("<script>alert(1)</script>", "Enter a full UK postcode, like N2 8LG"),
    ],
)
def test_bad_input_gets_a_govuk_error_summary_and_never_a_500(client, typed, message):
    response = find(client, typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert f'<a href="#id_postcode">{message}</a>' in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in page
    assert "<title>Error: Find your early help hub" in page
    assert "<script>alert(1)</script>" not in page
    assert "\x00" not in page


def test_the_postcode_someone_typed_stays_in_the_box_after_an_error(client):
    response = find(client, "N2 8L")
    assert 'value="N2 8L"' in text(response)


def test_a_repeated_postcode_parameter_does_not_break_the_page(client):
    response = client.get(URL + "?postcode=N2+8LG&postcode=NW4+3PS")
    assert response.status_code == 200


def test_it_refuses_to_be_posted_to(client):
    assert client.post(URL, {"postcode": "N2 8LG"}).status_code == 405


def test_the_same_postcode_again_is_answered_without_reading_the_database(
    client, settings, django_assert_num_queries
):
    settings.VERSION_CHECK_SECONDS = 3600  # the hubs' version token read once, as within a second
    find(client, "NW9 4BR")
    with django_assert_num_queries(0):  # the answer is kept in the process (#18)
        response = find(client, "nw94br")
    assert h1(response) == "Your hub is West Hub"


def test_a_new_rule_changes_an_answer_kept_in_the_process_at_once(client, settings):
    settings.VERSION_CHECK_SECONDS = 3600
    assert h1(find(client, "N2 8LG")) == "Your hub is East/Central Hub"
    CoverageRule.objects.create(hub=Hub.objects.get(slug="west"), area="N2 8LG", reason="test")
    assert h1(find(client, "N2 8LG")) == "Your hub is West Hub"


def test_finding_a_covered_hub_takes_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the answer, and the map's mark for the postcode
        find(client, "NW9 4BR")


def test_finding_the_nearest_hub_takes_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # +1: the map's mark for the postcode
        find(client, "N20 0AA")


def test_answering_a_district_takes_few_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        find(client, "HA8")
