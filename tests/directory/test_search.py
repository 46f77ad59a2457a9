"""The public service search at /services/, as a parent sees it, against the real Barnet directory.

The session database holds the council's bundled directory (data/barnet/directory.json, the sample
services and the places list): 47 published services, all in English, only Unitas Youth Zone
charges, and no sessions at weekends.
"""

import html
import re

import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.filters import ServiceFilter, _count_with_a_place_near
from directory.models import Location, Service, ServiceAtLocation, TaxonomyTerm
from directory.templatetags.directory_tags import page_links

pytestmark = pytest.mark.django_db

URL = reverse("directory:search")

ALL_SERVICES = 47
BREASTFEEDING = "Breastfeeding and infant feeding support"
EARLY_HELP_HUBS = "Child and Family Early Help Hubs (0-19)"
SEND_SUPPORT = (
    "Early identification and support for special educational needs and disabilities (SEND)"
)
UNITAS = "Unitas Youth Zone"
MELLOW_DADS = "Mellow Dads"
SCHOOL_NURSING = "School nursing"
MOVE_INTO_ADULTHOOD = "Support to move into adulthood (16-25)"
SPEECH = "Speech and language therapy"
STAY_AND_PLAY = "Stay and play and baby groups at Silkstream Children's Centre"
CHILDRENS_CENTRES = "Children's centre activities and support"
MIDWIFERY = "Midwifery (care in pregnancy and after birth)"
PREGNANCY_WELLBEING = "Health and wellbeing support in pregnancy and after birth"
EMOTIONAL_WELLBEING = "Emotional wellbeing and mental health support"
WELFARE = "Welfare and money advice"
LIBRARIES = (
    "Library activities and events for children and families",
    "Family time and quiet study space in libraries",
    "Library books, digital resources and information",
)


def search(client, **params):
    return client.get(URL, params)


def text(response) -> str:
    return html.unescape(response.content.decode())


def heading(response) -> str:
    """The results heading, such as "3 results for ‘baby’ within 5 miles of N2 8LG"."""
    found = re.search(r'id="results-heading">(.*?)</h2>', text(response), re.S)
    assert found, "the page shows no results heading"
    return found.group(1).strip()


def result_count(response) -> int:
    return int(heading(response).split()[0])


def result_names(response) -> list[str]:
    return re.findall(r'<li class="app-result">\s*<h3[^>]*><a[^>]*>(.*?)</a>', text(response))


def distances(response) -> list[float]:
    """Each result's distance in miles, in page order; a result without one fails the test."""
    blocks = text(response).split('<li class="app-result">')[1:]
    found = [re.search(r"<dt>Distance</dt><dd>([\d.]+) miles, at [^<]+</dd>", b) for b in blocks]
    assert all(found), "a result shows no distance"
    return [float(match.group(1)) for match in found]


def filter_tags(response) -> dict[str, str]:
    """Selected-filter tags: label -> the link that removes it."""
    return {
        label: href
        for href, label in re.findall(
            r'<a class="app-filter-tag" href="([^"]*)"><span class="govuk-visually-hidden">'
            r"Remove filter </span>(.*?) <span",
            text(response),
        )
    }


def errors(response) -> list[tuple[str, str]]:
    """The error summary as (link target, message) pairs."""
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', text(response), re.S)
    if summary is None:
        return []
    return re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary.group(1))


def every_result(client, **params) -> list[str]:
    """Every result's name, walking the pages 20 at a time."""
    names: list[str] = []
    page = 1
    while True:
        response = search(client, **params, per_page="20", page=str(page))
        names += result_names(response)
        if len(names) >= result_count(response):
            return names
        page += 1


def first_three(typed: str) -> list[str]:
    """The first three results for some words, ranked by the FilterSet the page uses.

    Straight from the filter rather than through the page: rendering the page's form for every
    query would take seconds; a test of the order on the page checks the page keeps this order.
    """
    data = QueryDict(mutable=True)
    data["q"] = typed
    ranked = ServiceFilter(data, queryset=Service.objects.published())
    assert ranked.is_valid(), ranked.errors
    return list(ranked.qs.values_list("name", flat=True)[:3])


def follow(client, href: str):
    assert href.startswith("?"), href
    return client.get(URL + href)


# --- filters -----------------------------------------------------------------------------------


def test_the_page_asks_what_you_are_looking_for_and_shows_no_results_yet(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Find support for your family" in text(response)
    assert 'name="q"' in text(response)
    assert 'id="results-heading"' not in text(response)


def test_a_category_shows_only_services_of_that_type_and_stays_ticked(client):
    response = search(client, category="health", per_page="20")
    names = result_names(response)
    assert len(names) == result_count(response) < ALL_SERVICES
    assert SCHOOL_NURSING in names
    assert "Sexual health services" in names
    assert "Healthy weight and healthy lifestyles for children" in names
    assert MELLOW_DADS not in names
    assert re.search(r'value="health"\s+checked', text(response))
    assert not re.search(r'value="transport"\s+checked', text(response))


def test_ticking_two_categories_shows_services_of_either_type(client):
    names = every_result(client, category=["health", "pregnancy-birth-and-early-years"])
    assert SCHOOL_NURSING in names  # health
    assert MIDWIFERY in names  # early years
    assert MELLOW_DADS not in names  # parenting support


def test_a_topic_shows_only_services_on_that_topic(client):
    response = search(client, topic="health-visiting")
    assert result_names(response) == ["Health visiting (Healthy Child Programme)"]


def test_an_age_shows_services_for_that_age_and_up_to_25_with_send(client):
    names = every_result(client, age="22")
    assert MOVE_INTO_ADULTHOOD in names  # 16 to 25
    assert SPEECH in names  # 0 to 19, up to 25 with SEND
    assert "Safe spaces and positive activities for young people" not in names  # 11 to 19
    assert MELLOW_DADS not in names  # 0 to 5


def test_a_life_stage_shows_services_for_that_stage(client):
    names = every_result(client, life_stage="pre-birth-0-2")
    assert "Baby Steps antenatal course" in names
    assert MIDWIFERY in names
    assert SCHOOL_NURSING not in names
    assert MOVE_INTO_ADULTHOOD not in names


def test_a_day_shows_services_with_a_session_that_day(client):
    names = every_result(client, day="5")  # Friday
    assert UNITAS in names
    assert "Incredible Years" in names
    assert MELLOW_DADS not in names  # Tuesday to Thursday
    assert SCHOOL_NURSING not in names  # no sessions at all


def test_ticking_two_days_shows_services_on_either_day(client):
    names = every_result(client, day=["1", "3"])
    assert "Incredible Years" in names  # Monday and Friday
    assert BREASTFEEDING in names  # Wednesday to Friday
    assert "Teen Triple P" not in names  # Tuesday and Thursday


def test_online_shows_only_services_given_online(client):
    assert every_result(client, delivery="online") == [
        "Finding good quality childcare",
        "Free early education for young children",
        "Library books, digital resources and information",
    ]


def test_a_language_no_service_speaks_shows_none(client):
    # Every listing is in English only, so another language empties the list.
    response = search(client, language="pl")
    assert result_count(response) == 0
    assert list(filter_tags(response)) == ["Polish"]


def test_free_only_leaves_out_services_that_charge(client):
    # In name order Unitas Youth Zone would be on the last page, after Understanding your child.
    last_page = search(client, free="on", page="5")
    assert result_count(last_page) == ALL_SERVICES - 1
    assert "Understanding your child (Solihull Approach)" in result_names(last_page)
    assert UNITAS not in result_names(last_page)


def test_send_shows_services_for_children_with_send(client):
    assert every_result(client, send="on") == [SEND_SUPPORT, SPEECH, MOVE_INTO_ADULTHOOD, UNITAS]


def test_send_and_free_together_leave_out_the_youth_zone_that_charges(client):
    assert every_result(client, send="on", free="on") == [SEND_SUPPORT, SPEECH, MOVE_INTO_ADULTHOOD]


def test_three_filters_show_only_services_meeting_all_three(client):
    names = every_result(client, category="family-support", age="14", day="3")
    assert names == [
        "Non-Violent Resistance (NVR) parent group",
        "Strengthening Families, Strengthening Communities",
        "Survivor Mums",
        "Understanding your child (Solihull Approach)",
        WELFARE,
    ]
    # Two of the three let in more: Teen Triple P is for 14-year-olds but never on a Wednesday.
    assert "Teen Triple P" in every_result(client, category="family-support", age="14")


def test_words_and_filters_together_narrow_the_words(client):
    response = search(client, q="parenting", age="14", day="4")
    assert heading(response) == "6 results for ‘parenting’"
    assert "Teen Triple P" in result_names(response)
    assert "Incredible Years" not in result_names(response)  # 3 to 8


# --- order and distance ------------------------------------------------------------------------


def test_with_a_postcode_the_nearest_services_come_first_with_a_distance_in_miles(client):
    response = search(client, postcode="HA8 0UB", within="10", per_page="20")
    miles = distances(response)
    assert len(miles) == 20
    assert miles == sorted(miles)
    assert miles[0] < miles[-1] <= 10
    # Burnt Oak Library is at HA8 0UB itself.
    assert "0.0 miles, at Burnt Oak Library" in text(response)
    assert heading(response) == f"{result_count(response)} results within 10 miles of HA8 0UB"


def test_a_smaller_distance_shows_fewer_services(client):
    near = search(client, postcode="EN5 4QT", within="1")
    far = search(client, postcode="EN5 4QT", within="10")
    assert heading(near).endswith("results within 1 mile of EN5 4QT")
    assert 0 < result_count(near) < result_count(far)
    assert all(distance <= 1 for distance in distances(near))


def test_with_only_words_a_name_match_comes_before_a_mention_in_the_description(client):
    names = result_names(search(client, q="breastfeeding"))
    # The hubs' description lists "breastfeeding help" among many things.
    assert names == [BREASTFEEDING, EARLY_HELP_HUBS]
    assert names[:3] == first_three("breastfeeding")  # the page keeps the ranked order


# --- pages -------------------------------------------------------------------------------------


def test_ten_results_a_page_unless_you_ask_for_twenty_and_page_two_carries_on(client):
    ten = search(client, q="")
    first = search(client, q="", per_page="20")
    second = search(client, q="", per_page="20", page="2")
    assert len(result_names(ten)) == 10
    assert len(result_names(first)) == len(result_names(second)) == 20
    assert result_count(ten) == result_count(first) == ALL_SERVICES
    assert result_names(ten) == result_names(first)[:10]
    assert not set(result_names(first)) & set(result_names(second))


def test_the_next_page_link_keeps_the_search_and_filters(client):
    page = text(search(client, q="parenting", free="on", page="1"))
    next_link = re.search(r'href="\?([^"]*)" rel="next"', page).group(1)
    assert next_link == "q=parenting&free=on&page=2"
    assert 'aria-label="Page 1" aria-current="page"' in page


@pytest.mark.parametrize("page", ["abc", "9" * 30])
def test_a_page_that_does_not_exist_never_breaks_the_search(client, page):
    response = search(client, q="", page=page)
    assert response.status_code == 200
    assert result_count(response) == ALL_SERVICES
    assert result_names(response)


def test_a_page_past_the_end_shows_the_last_page(client):
    response = search(client, page="99")
    assert len(result_names(response)) == ALL_SERVICES - 40
    assert 'aria-label="Page 5" aria-current="page"' in text(response)


# --- selected filters --------------------------------------------------------------------------


def test_each_chosen_filter_shows_as_a_tag_whose_link_drops_just_that_filter(client):
    response = search(client, q="baby", category="health", age="3", day=["1", "3"], free="on")
    tags = filter_tags(response)
    assert list(tags) == ["Health", "Age 3", "Monday", "Wednesday", "Free only"]
    assert tags["Health"] == "?q=baby&age=3&day=1&day=3&free=on"
    assert tags["Age 3"] == "?q=baby&category=health&day=1&day=3&free=on"
    assert tags["Monday"] == "?q=baby&category=health&age=3&day=3&free=on"
    assert tags["Free only"] == "?q=baby&category=health&age=3&day=1&day=3"


def test_following_a_tag_link_shows_the_first_page_without_that_filter(client):
    response = search(client, category="health", send="on", page="2")
    href = filter_tags(response)["Health"]
    assert href == "?send=on"
    after = follow(client, href)
    assert list(filter_tags(after)) == [
        "Support for special educational needs and disabilities (SEND)"
    ]
    assert result_names(after) == [SEND_SUPPORT, SPEECH, MOVE_INTO_ADULTHOOD, UNITAS]


def test_clear_all_filters_keeps_the_words_and_postcode(client):
    page = text(search(client, q="baby", postcode="N2 8LG", category="health", free="on"))
    assert '<a class="govuk-link" href="?q=baby&postcode=N2%208LG">Clear all filters</a>' in page


def test_a_chosen_topic_shows_as_a_removable_tag(client):
    tags = filter_tags(search(client, q="baby", topic="health-visiting"))
    assert tags == {"Health visiting": "?q=baby"}


def test_a_search_from_the_form_shows_no_distance_tag_without_a_postcode(client):
    # Exactly what the form sends: the distance select always has a value, postcode or not.
    response = search(client, q="baby", postcode="", within="5", search="Search")
    assert filter_tags(response) == {}


# --- nothing found -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "tag"),
    [({"category": "transport"}, "Transport"), ({"day": "6"}, "Saturday")],
)
def test_no_results_with_filters_says_to_remove_a_filter(client, params, tag):
    response = search(client, q="parenting", **params)
    assert result_count(response) == 0
    assert list(filter_tags(response)) == [tag]
    assert "No services match all of your filters. Remove a filter to see more" in text(response)


def test_no_results_near_a_barnet_postcode_names_its_hub_and_phone(client):
    response = search(client, q="xyzzy", postcode="N2 8LG")
    page = text(response)
    assert heading(response) == "0 results for ‘xyzzy’ within 5 miles of N2 8LG"
    assert "We could not find any services for ‘xyzzy’ near N2 8LG." in page
    assert "choose a larger distance" in page
    assert ">East/Central Hub</a>, phone" in page
    assert '<a class="govuk-link" href="tel:+442083593460">020 8359 3460</a>' in page


def test_a_search_from_the_form_with_no_results_near_a_barnet_postcode_names_its_hub(client):
    # Exactly what the form sends: the distance select always has a value.
    response = search(client, q="xyzzy", postcode="N2 8LG", within="5", search="Search")
    page = text(response)
    assert "No services match all of your filters" not in page  # none were chosen
    assert "We could not find any services for ‘xyzzy’ near N2 8LG." in page
    assert "020 8359 3460" in page


def test_no_results_without_a_postcode_points_to_find_your_hub(client):
    response = search(client, q="xyzzy")
    page = text(response)
    assert "We could not find any services for ‘xyzzy’." in page
    assert "check the spelling, or use fewer or different words" in page
    assert "choose a larger distance" not in page
    assert f'href="{reverse("hubs:find")}">Find your hub</a>' in page


# --- bad input ---------------------------------------------------------------------------------


def test_nul_bytes_are_ignored(client):
    response = search(client, q="breast\x00feeding", postcode="N2\x008LG", within="10")
    assert response.status_code == 200
    assert heading(response).endswith("for ‘breastfeeding’ within 10 miles of N2 8LG")
    assert BREASTFEEDING in result_names(response)
    assert "\x00" not in response.content.decode()


def test_a_very_long_search_is_cut_short_not_refused(client):
    response = search(client, q="toddler group " * 715)  # about 10,000 characters
    assert response.status_code == 200
    assert not errors(response)
    assert heading(response).startswith(f"{result_count(response)} result")
    assert len(heading(response)) < 200


@pytest.mark.parametrize(
    "typed", ["'; DROP TABLE directory_service; --", "' OR '1'='1", "baby:* & !toddler | (%_\\"]
)
def test_sql_and_search_syntax_is_just_words(client, typed):
    response = search(client, q=typed)
    assert response.status_code == 200
    assert not errors(response)
    assert result_count(response) >= 0
    assert Service.objects.published().count() == ALL_SERVICES


BAD_VALUES = {
    "category": "nope",
    "topic": "nope",
    "age": "abc",
    "life_stage": "bad",
    "day": "9",
    "delivery": "pigeon",
    "language": "zz",
    "within": "3",
    "per_page": "7",
}


def test_every_unknown_filter_value_gets_an_error_and_the_other_inputs_are_kept(client):
    # One request for them all: a parent sees every problem at once.
    response = search(client, q="toddler group", postcode="N2 8LG", free="on", **BAD_VALUES)
    assert response.status_code == 200
    page = text(response)
    found = dict(errors(response))
    # Checkboxes and radios link to their first option (see the test below).
    choices = {"category", "life_stage", "day", "delivery", "per_page"}
    assert sorted(found) == sorted(
        f"id_{name}_1" if name in choices else f"id_{name}" for name in BAD_VALUES
    )
    assert found["id_age"] == "Enter the child's age as a whole number, like 4"
    assert found["id_day_1"] == "Choose day of the week from the list"
    assert found["id_language"] == "Choose language spoken from the list"
    assert page.count('<span class="govuk-visually-hidden">Error:</span>') == len(BAD_VALUES)
    assert "<title>Error: Find support for your family" in page
    assert 'value="toddler group"' in page
    assert 'value="N2 8LG"' in page
    assert re.search(r'name="free"[^>]*checked', page)
    assert 'id="results-heading"' not in page


@pytest.mark.parametrize(
    ("age", "message"),
    [
        ("-1", "Enter an age of 0 or more"),
        ("99", "Enter an age of 25 or less"),
    ],
)
def test_an_age_out_of_range_gets_an_error_and_keeps_the_words(client, age, message):
    response = search(client, q="toddler group", age=age)
    assert response.status_code == 200
    assert errors(response) == [("id_age", message)]
    assert 'value="toddler group"' in text(response)
    assert f'value="{age}"' in text(response)


def test_an_error_for_checkboxes_or_radios_links_to_the_first_option(client):
    # GOV.UK: the summary link for checkboxes or radios goes to the first one, so that following
    # it moves to the question; there is no element with the field's own id to move to.
    response = search(client, q="toddler group", category="nope", life_stage="bad")
    assert [target for target, _ in errors(response)] == ["id_category_1", "id_life_stage_1"]
    assert 'id="id_category_1"' in text(response)
    assert 'id="id_life_stage_1"' in text(response)


@pytest.mark.parametrize("postcode", ["N2 8L", "x" * 10_000])
def test_a_malformed_postcode_asks_for_a_full_one_and_keeps_the_words(client, postcode):
    response = search(client, q="toddler group", postcode=postcode)
    assert response.status_code == 200
    assert errors(response) == [("id_postcode", "Enter a full UK postcode, like N2 8LG")]
    page = text(response)
    assert "Error:</span> Enter a full UK postcode, like N2 8LG" in page
    assert 'value="toddler group"' in page
    assert f'value="{postcode}"' in page
    assert 'id="results-heading"' not in page


def test_a_postcode_that_does_not_exist_says_so_and_keeps_the_words(client):
    response = search(client, q="toddler group", postcode="ZE9 9ZZ")
    assert response.status_code == 200
    [(target, message)] = errors(response)
    assert target == "id_postcode"
    assert message.startswith("We could not find ZE9 9ZZ")
    assert 'value="toddler group"' in text(response)
    assert 'value="ZE9 9ZZ"' in text(response)


def test_an_unknown_postcode_in_a_known_district_searches_from_the_district(client):
    response = search(client, q="library", postcode="EN5 9ZZ")
    assert not errors(response)
    assert "within 5 miles of EN5 9ZZ" in heading(response)
    assert distances(response)


def test_a_repeated_parameter_does_not_break_the_search(client):
    response = client.get(URL + "?q=baby&q=toddler&postcode=N2+8LG&postcode=NW4+3PS&age=1&age=2")
    assert response.status_code == 200


def test_it_refuses_to_be_posted_to(client):
    assert client.post(URL, {"q": "baby"}).status_code == 405


# --- relevance ---------------------------------------------------------------------------------


# What parents type, and the services they would expect to see in the first three results.
RELEVANCE = [
    ("toddler group", (STAY_AND_PLAY, CHILDRENS_CENTRES)),
    ("breastfeeding", (BREASTFEEDING,)),
    ("brestfeeding", (BREASTFEEDING,)),
    ("feeding my baby", (BREASTFEEDING,)),
    ("baby", (STAY_AND_PLAY, "Baby Steps antenatal course")),
    ("pregnant", (MIDWIFERY, PREGNANCY_WELLBEING)),
    ("antenatal", (MIDWIFERY, "Baby Steps antenatal course")),
    ("health visitor", ("Health visiting (Healthy Child Programme)",)),
    ("speech", (SPEECH,)),
    ("library", LIBRARIES),
    ("dad", (MELLOW_DADS,)),
    ("behaviour", ("1-2-3 Magic", "Understanding your child (Solihull Approach)")),
    ("tantrums", ("1-2-3 Magic",)),
    ("teenagers", ("Teen Triple P",)),
    ("mental health", (EMOTIONAL_WELLBEING,)),
    ("counselling", (EMOTIONAL_WELLBEING,)),
    ("money worries", (WELFARE,)),
    ("debt", (WELFARE,)),
    ("foodbank", ("Family support at Silkstream Children's Centre",)),
    ("school nurse", (SCHOOL_NURSING,)),
    ("sexual health", ("Sexual health services",)),
    ("drugs", ("Drug and alcohol services",)),
    ("domestic abuse", ("Survivor Mums",)),
    ("gangs", ("Support for young people at risk of exploitation",)),
    ("SEND", (SEND_SUPPORT,)),
    ("special needs", (SEND_SUPPORT,)),
    ("healthy eating", ("Healthy weight and healthy lifestyles for children",)),
    ("free nursery hours", ("Free early education for young children",)),
    ("help with teenager", ("Teen Triple P",)),
    ("youth club", (UNITAS,)),
    ("free childcare", ("Free early education for young children",)),
    ("autism", (SEND_SUPPORT,)),
    ("anxiety", (EMOTIONAL_WELLBEING,)),
    ("postnatal depression", (PREGNANCY_WELLBEING,)),
    ("food bank", ("Family support at Silkstream Children's Centre",)),
    ("libary", LIBRARIES[:1]),
    ("pregnent", (MIDWIFERY,)),
]


@pytest.mark.parametrize(("typed", "expected"), RELEVANCE)
def test_a_parents_search_finds_what_they_meant_in_the_first_three(typed, expected):
    top_three = first_three(typed)
    for name in expected:
        assert name in top_three, f"{typed!r}: {name!r} not in {top_three}"


# --- cost --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "shown"),
    [({"q": "xyzzy"}, 0), ({"q": "parenting", "per_page": "20"}, 20)],
)
def test_the_number_of_queries_does_not_grow_with_the_results(
    client, django_assert_max_num_queries, params, shown
):
    # Category and topic choices (cached), whether every word matches (else any word, else a
    # spelling correction in one query), the count, and the page: at most 6 whatever is shown.
    with django_assert_max_num_queries(6):
        response = search(client, **params)
    assert len(result_names(response)) == shown


def test_the_page_orders_by_distance_exactly_as_the_full_query_does():
    # The page uses a faster grouped query over service-at-location rows; it must agree with the
    # filter's whole ordered queryset.
    data = QueryDict(mutable=True)
    data.update({"q": "parenting", "postcode": "NW4 3PS", "within": "10"})
    search = ServiceFilter(data, queryset=Service.objects.published())
    assert search.is_valid(), search.errors
    page, results = search.page(1, 20)
    expected = list(search.qs[:20])
    assert [s.pk for s in results] == [s.pk for s in expected]
    assert [round(s.distance) for s in results] == [round(s.distance) for s in expected]


@pytest.mark.parametrize(
    ("params", "first", "again"),
    [
        # The recorded search: no grouping of nearby places for a word found nowhere. The
        # first time, also the words' matches (strict, then loose), the spelling correction,
        # the directory's and the hubs' version tokens, the categories and topics for the form,
        # the postcode's place and its hub, all kept in the process for the next search (#18).
        ({"q": "xyzzy", "postcode": "NW4 3PS"}, 11, 1),
        # The page and its count in one query; the recorded search. The first time, also the
        # words' matches, the tokens, the form's choices, the postcode's place, the page's
        # services and the postcode's hub, kept in the process for the next search (#18).
        ({"q": "parenting", "postcode": "NW4 3PS", "per_page": "20"}, 7, 2),
    ],
)
def test_a_search_near_a_postcode_is_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, django_assert_num_queries, settings, params, first, again
):
    settings.VERSION_CHECK_SECONDS = 3600  # the tokens are read once, as within a second
    with django_assert_max_num_queries(first):
        response = search(client, **params)
    assert response.status_code == 200
    with django_assert_num_queries(again):
        response = search(client, **params)
    assert response.status_code == 200


def test_a_search_is_answered_for_its_own_words_and_filters(client, settings):
    # A search's matches are kept for the next search for the same words and filters (#18),
    # not for other filters (another language: test_listing_translations).
    settings.VERSION_CHECK_SECONDS = 3600
    everything = search(client, q="parenting", postcode="NW4 3PS", within="10", per_page="20")
    older = search(client, q="parenting", postcode="NW4 3PS", within="10", age="17")
    counted = everything.context["page"].paginator.count
    assert 0 < older.context["page"].paginator.count < counted
    assert (
        search(client, q="parenting", postcode="NW4 3PS", within="10")
        .context["page"]
        .paginator.count
        == counted
    )


def test_a_renamed_listing_shows_its_new_name_in_the_next_search(client, settings):
    settings.VERSION_CHECK_SECONDS = 3600  # the listings are kept in the process (#18)
    first = search(client, q="parenting", postcode="NW4 3PS", per_page="20")
    service = Service.objects.get(pk=first.context["results"][0].pk)
    service.name = "Parenting, renamed for this test"
    service.save()
    again = search(client, q="parenting", postcode="NW4 3PS", per_page="20")
    assert "Parenting, renamed for this test" in result_names(again)


def test_a_listing_changed_to_use_the_words_is_found_by_the_next_search_for_them(
    client, settings, west_service
):
    settings.VERSION_CHECK_SECONDS = 3600  # the words' matches are kept in the process (#18)
    assert "Zumbafit" not in text(search(client, q="zumbafit"))
    west_service.name = "Zumbafit for parents and toddlers"
    west_service.save()
    assert "Zumbafit for parents and toddlers" in result_names(search(client, q="zumbafit"))


def test_a_page_past_the_end_of_a_search_near_a_postcode_shows_the_last_page(client):
    last = search(client, q="parenting", postcode="NW4 3PS", within="10", page="999")
    count = last.context["page"].paginator.count
    pages = -(-count // 10)
    assert pages > 1
    assert last.context["page"].number == pages
    assert len(result_names(last)) == count - 10 * (pages - 1)
    assert search(client, q="parenting", postcode="NW4 3PS", page="x").context["page"].number == 1


@pytest.fixture(autouse=True)
def searches_worked_out_afresh():
    """Each test works out its searches' matches anew, and leaves none behind: what a search
    keeps (directory.filters._MATCHED) depends on COUNT_LIMIT, which tests here change."""
    from directory import filters

    filters._MATCHED.clear()
    yield
    filters._MATCHED.clear()


@pytest.fixture
def few_counted(monkeypatch):
    """The count cap at 5, so Barnet's listings take the paths built for 100,000 (#18)."""
    monkeypatch.setattr("directory.filters.COUNT_LIMIT", 5)
    monkeypatch.setattr("directory.pagination.COUNT_LIMIT", 5)


def filtered(**params) -> ServiceFilter:
    data = QueryDict(mutable=True)
    data.update(params)
    search = ServiceFilter(data, queryset=Service.objects.published())
    assert search.is_valid(), search.errors
    return search


@pytest.mark.parametrize("few_places", [0, 500], ids=["many places", "few places"])
@pytest.mark.parametrize("postcode", ["NW4 3PS", "EN5 2BE", "N2 8LG"])
def test_with_many_matches_each_page_near_a_postcode_is_the_full_querys_page(
    few_counted, monkeypatch, postcode, few_places
):
    # Past the cap the page is worked out from a growing circle of places, not every place.
    monkeypatch.setattr("directory.filters.FEW_PLACES", few_places)
    everything = list(filtered(q="parenting", postcode=postcode, within="10").qs)
    assert len(everything) > 6
    for number in (1, 2, 3):
        page, results = filtered(q="parenting", postcode=postcode, within="10").page(number, 2)
        assert page.paginator.capped
        expected = everything[(number - 1) * 2 : number * 2]
        assert [s.pk for s in results] == [s.pk for s in expected], f"page {number}"
        assert [round(s.distance) for s in results] == [round(s.distance) for s in expected]


def _counted_near(**params) -> int:
    """The count a search near a postcode shows past the cap (from its places' copied
    coordinates), checked against the full query's (which reads the places themselves)."""
    page, _ = filtered(**params).page(1, 10)
    assert page.paginator.count == min(len(filtered(**params).qs), 6)
    return page.paginator.count


@pytest.mark.parametrize("few_places", [0, 500], ids=["from the matches", "from the places"])
@pytest.mark.parametrize("change", ["moved away", "made confidential"])
def test_with_many_matches_the_count_follows_places_as_they_change(
    few_counted, monkeypatch, few_places, change
):
    # Counted from whichever side is the fewer to check: the matches, each looked up among the
    # places nearby, or the services at the few places nearby, each checked for the words.
    monkeypatch.setattr("directory.filters.FEW_PLACES", few_places)
    near = {"q": "support", "postcode": "EN5 2BE", "within": "1"}
    before = _counted_near(**near)
    assert 0 < before < 6, "the test needs a count below the cap"
    nearest = filtered(**near).qs[0]
    for place in Location.objects.filter(service_at_locations__service=nearest):
        if change == "moved away":
            place.latitude += 1  # about 69 miles north
        else:
            place.is_confidential = True
        place.save()
    assert _counted_near(**near) < before
    # A new place for it nearby counts again.
    place = Location.objects.create(name="A new place nearby", latitude=51.647, longitude=-0.192)
    ServiceAtLocation.objects.create(service=nearest, location=place)
    assert _counted_near(**near) == before


@pytest.mark.parametrize("within", ["1", "10"])
def test_with_many_matches_the_count_near_a_postcode_takes_in_names_like_the_words(
    few_counted, monkeypatch, within
):
    # Services using the words are counted first, those merely named like them only while
    # fewer than the cap are nearby: "zumbafitt" (misspelt) uses no listing's words.
    monkeypatch.setattr("directory.filters.FEW_PLACES", 0)
    nearby = list(filtered(q="support", postcode="EN5 2BE", within="1").qs[:3])
    for number, service in enumerate([*nearby, *Service.objects.published()[:6]]):
        service.name = f"Zumbafit class {number}"
        service.save()
    near = {"q": "zumbafitt", "postcode": "EN5 2BE", "within": within}
    assert len(filtered(**near).qs) > 0
    _counted_near(**near)
    # Counted from the matches (the page's circle stops short of the distance when it holds
    # the page), in two parts or in one, as the nearby matches' density suggests.
    search = filtered(**near)
    services = search._matches(search.queryset)[0]
    ids_sql = search._read_ids(services)[1]
    origin, miles = search.form.cleaned_data["origin"], float(within)
    expected = min(len(filtered(**near).qs), 6)
    assert search._count_parts is not None
    assert _count_with_a_place_near(ids_sql, origin, miles) == expected
    assert _count_with_a_place_near(ids_sql, origin, miles, search._count_parts) == expected


def test_with_many_matches_a_postcode_with_no_places_nearby_finds_none_at_once(
    client, few_counted, django_assert_max_num_queries
):
    # A postcode outside the borough, with none of its places within a mile: the matches are
    # not each checked for a place nearby (#18: 280 ms for a common word at 100,000 listings),
    # and no circle of places is grouped for a page.
    search(client, q="support", postcode="E8 1DY", within="2")  # the words' matches, kept
    # the places nearby; the hub for the postcode; the recorded search
    with django_assert_max_num_queries(3):
        response = search(client, q="support", postcode="E8 1DY", within="1")
    assert response.context["page"].paginator.count == 0
    assert "We could not find any services for ‘support’ near E8 1DY" in text(response)


def test_with_many_matches_services_named_with_the_words_still_rank_first(few_counted, monkeypatch):
    monkeypatch.setattr("directory.filters.CANDIDATES", 2)
    # Ranked over a bounded candidate set: the named services and the first few matches.
    page, results = filtered(q="parenting").page(1, 3)
    assert page.paginator.capped
    assert "parenting" in results[0].name.lower()
    # Every page is full, however few candidates: a later page takes as many as it needs.
    assert len(results) == 3
    # Candidates are taken from the services the filters chose: only matches are shown.
    matching = {service.pk for service in filtered(q="parenting").qs}
    assert {service.pk for service in results} <= matching
    assert len(filtered(q="parenting").page(2, 3)[1]) == 3


def test_a_search_with_many_matches_is_a_fixed_number_of_queries(
    client, few_counted, django_assert_max_num_queries
):
    # postcode; the matches counted; those nearby counted; one grouped query per circle tried
    # (at most 4 here); the page's services; the recorded search.
    with django_assert_max_num_queries(9):
        assert search(client, q="parenting", postcode="NW4 3PS").status_code == 200
    # the matches counted; the candidates; their order; the page's services; the record.
    with django_assert_max_num_queries(5):
        assert search(client, q="parenting").status_code == 200


@pytest.mark.parametrize("limit", [1000, 5], ids=["all grouped", "circled"])
@pytest.mark.parametrize("postcode", ["NW4 3PS", "EN5 2BE", "N2 8LG"])
def test_a_search_made_again_near_a_postcode_pages_as_the_full_query_does(
    settings, monkeypatch, postcode, limit
):
    # The second time, the count is kept and the page read from one circle about as wide as
    # the one that held it (#18): the pages in any order are still the full query's.
    settings.VERSION_CHECK_SECONDS = 3600
    monkeypatch.setattr("directory.filters.COUNT_LIMIT", limit)
    monkeypatch.setattr("directory.pagination.COUNT_LIMIT", limit)
    params = {"q": "parenting", "postcode": postcode, "within": "10"}
    everything = [service.pk for service in filtered(**params).qs]
    assert len(everything) > 6
    for number in (1, 3, 2, 1, 3, 1):
        data = QueryDict(mutable=True)
        data.update(params)
        public = ServiceFilter(data)  # the public directory's: its matches are kept
        assert public.is_valid()
        page, results = public.page(number, 2)
        assert [service.pk for service in results] == everything[(number - 1) * 2 : number * 2]
        assert page.paginator.count == min(len(everything), limit + 1)


@pytest.mark.parametrize("few_places", [0, 500], ids=["from the matches", "from the places"])
def test_with_many_matches_a_search_near_a_postcode_is_counted_once(
    client, few_counted, settings, monkeypatch, few_places
):
    # The count is kept with the search's matches for the next page and the same search
    # again (#18); another distance is counted afresh.
    monkeypatch.setattr("directory.filters.FEW_PLACES", few_places)
    settings.VERSION_CHECK_SECONDS = 3600
    first = search(client, q="parenting", postcode="EN5 2BE", within="10")
    assert first.context["page"].paginator.capped
    with CaptureQueriesContext(connection) as queries:
        again = search(client, q="parenting", postcode="EN5 2BE", within="10", page="2")
    assert not [q for q in queries if q["sql"].startswith("SELECT count(*)")]
    assert again.context["page"].paginator.capped  # one page of 10 only: the first again
    assert result_names(again) == result_names(first)
    # none of the matches within 2 miles of EN5 2BE
    nearer = search(client, q="parenting", postcode="EN5 2BE", within="2")
    assert nearer.context["page"].paginator.count == 0


@pytest.mark.parametrize("many", [False, True], ids=["all matches", "candidates"])
def test_a_search_without_a_postcode_is_ranked_once_for_every_page(
    client, settings, monkeypatch, django_assert_num_queries, django_assert_max_num_queries, many
):
    # The order of a search's matches is kept with them (#18): the next page, or the same
    # search from another parent, reads only the services it shows, or nothing more at all.
    settings.VERSION_CHECK_SECONDS = 3600
    if many:
        monkeypatch.setattr("directory.filters.COUNT_LIMIT", 5)
        monkeypatch.setattr("directory.pagination.COUNT_LIMIT", 5)
    first = search(client, q="parenting", per_page="20")
    with django_assert_num_queries(1):  # the recorded search
        again = search(client, q="parenting", per_page="20")
    assert result_names(again) == result_names(first)
    # the second page's services, unless the first page read them; a later page is not recorded
    with django_assert_max_num_queries(1):
        second = search(client, q="parenting", page="2")
    # (with the cap at 5, "more than 5" is one page of 10: page 2 is page 1)
    assert result_names(second) == result_names(first)[slice(0, 10) if many else slice(10, 20)]


def test_with_many_matches_the_pages_without_a_postcode_never_repeat_a_service(
    few_counted, monkeypatch
):
    # Ranked over candidates in bands of CANDIDATES results: the pages of a band are ranked
    # together, so a service is on one of them only, and in the same place every time.
    monkeypatch.setattr("directory.filters.CANDIDATES", 6)
    pages = [filtered(q="parenting").page(number, 2)[1] for number in (1, 2, 3)]
    shown = [service.pk for results in pages for service in results]
    assert len(shown) == len(set(shown)) == 6
    assert [s.pk for s in filtered(q="parenting").page(2, 2)[1]] == shown[2:4]
    matching = {service.pk for service in filtered(q="parenting").qs}
    assert set(shown) <= matching


@pytest.mark.parametrize("many", [False, True], ids=["in order once", "A to Z by index"])
@pytest.mark.parametrize("params", [{"category": "family-support"}, {"age": "3"}])
def test_filters_alone_page_from_a_to_z_as_the_full_query_does(monkeypatch, many, params):
    if many:
        monkeypatch.setattr("directory.filters.COUNT_LIMIT", 5)
        monkeypatch.setattr("directory.pagination.COUNT_LIMIT", 5)
    everything = [service.pk for service in filtered(**params).qs]
    assert len(everything) > 6
    for number in (1, 2, 3):
        results = filtered(**params).page(number, 2)[1]
        assert [service.pk for service in results] == everything[(number - 1) * 2 : number * 2]


def test_a_result_without_a_postcode_says_where_the_service_is(client):
    response = search(client, q="parenting", per_page="20")
    results = response.context["results"]
    assert results
    for service in results:
        places = (
            ServiceAtLocation.objects.filter(service=service, location__is_confidential=False)
            .order_by("location__name")
            .values_list("location__name", flat=True)
        )
        assert service.place_count == (len(places) or None)
        if len(places) == 1:
            assert service.first_place == places[0]
    shown = text(response)
    assert any(
        f"<dt>Where</dt><dd>{html.escape(s.first_place)}</dd>" in shown
        for s in results
        if s.place_count == 1
    )


def test_renaming_a_category_updates_what_search_finds():
    term = TaxonomyTerm.objects.get(slug="parenting-support")
    service = term.services.first()
    term.name = "Zebracrossing help"
    term.save()
    service.refresh_from_db()
    assert "Zebracrossing" in service.term_names
    assert service in Service.objects.filter(search_vector=SearchQuery("zebracrossing"))


# --- the distance shown is the distance used (phone review, #15) --------------------------------


def _selected_distance(response) -> str:
    select = text(response).split('name="within"')[1].split("</select>")[0]
    return re.search(r'<option value="(\d+)"\s+selected', select).group(1)


def test_a_search_from_the_hub_answer_shows_and_uses_the_default_distance(client):
    response = client.get(URL, {"postcode": "N2 8LG"})  # the hub answer's link: no distance
    assert "within 5 miles of N2 8LG" in text(response)
    assert _selected_distance(response) == "5"
    assert re.search(
        r'name="per_page"[^>]*value="10"\s+checked|value="10"[^>]*checked', text(response)
    )


def test_ticking_a_filter_keeps_the_distance_the_parent_saw(client):
    everything = search(client, postcode="N2 8LG", within="5", category="health")
    no_distance = search(client, postcode="N2 8LG", category="health")
    assert result_count(no_distance) == result_count(everything)
    assert _selected_distance(no_distance) == "5"
    tags = [tag["label"] for tag in no_distance.context["tags"]]
    assert "Within 1 mile" not in tags


def test_the_search_forms_send_only_the_search(client):
    page = text(client.get(URL, {"q": "toddler", "postcode": "N2 8LG"}))
    form = page.split('action="/services/"')[1].split("</form>")[0]
    assert "csrfmiddlewaretoken" not in form
    assert not re.search(r'<(button|input)[^>]*type="submit"[^>]*name=', form)


def test_the_filters_are_styled_and_each_choice_has_any(client):
    page = text(search(client, q="toddler"))
    age = re.search(r'<input[^>]*name="age"[^>]*>', page).group(0)
    assert "govuk-input" in age
    assert 'inputmode="numeric"' in age
    any_stage = re.search(r'<input[^>]*name="life_stage"[^>]*value=""[^>]*>', page).group(0)
    assert "checked" in any_stage


@pytest.mark.parametrize(
    ("current", "pages", "shown"),
    [
        (1, 1, ["1*"]),
        (1, 3, ["1*", "2", "3"]),
        (3, 5, ["1", "2", "3*", "4", "5"]),
        (5, 10, ["1", "…", "4", "5*", "6", "…", "10"]),
        (10, 10, ["1", "…", "9", "10*"]),
        (50, 101, ["1", "…", "49", "50*", "51", "…", "101"]),
    ],
)
def test_pagination_shows_the_ends_the_neighbours_and_the_gaps(current, pages, shown):
    items = page_links(Paginator(range(pages * 10), 10).page(current))
    assert [
        "…" if item.get("is_ellipsis") else f"{item['number']}{'*' * item['is_current']}"
        for item in items
    ] == shown
