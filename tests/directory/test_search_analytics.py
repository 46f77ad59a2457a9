"""Search analytics for the public directory: what is recorded (no personal data), when, and the
reports on it at /reports/searches/."""

from datetime import timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory import analytics
from directory.models import RecordedSearch
from hubs.models import Hub
from tests.factories import sign_in

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.directory.analytics_test_urls"),
]

SEARCH = "/services/"
REPORT = "/reports/searches/"
NOT_FOUND = "/reports/searches/not-found/"
NONSENSE = "qwzxv"  # found by no service, and close to no word the directory uses


@pytest.fixture
def grant(db):
    """Give someone a reports permission (declared by the reports app)."""
    from django.contrib.auth.models import Permission

    def grant(user, *codenames):
        for codename in codenames:
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label="reports", codename=codename)
            )
        return user

    return grant


def recorded(**kwargs) -> RecordedSearch:
    """A search recorded today (or on `searched_on`) with no results unless said otherwise."""
    kwargs.setdefault("searched_on", timezone.localdate())
    kwargs.setdefault("results", 0)
    return RecordedSearch.objects.create(**kwargs)


# --- Recording ----------------------------------------------------------------------------------


def test_a_search_is_recorded_with_normalised_words_and_the_district_only(client):
    client.get(SEARCH, {"q": "  Help with my TEENAGER ", "postcode": "n2 8lg", "free": "on"})

    search = RecordedSearch.objects.get()
    assert search.words == "help with my teenager"
    assert search.district == "N2"
    assert search.hub == Hub.objects.get(slug="east-central")
    assert search.filters == {"free": True, "within": "5"}
    assert search.searched_on == timezone.localdate()
    assert search.results > 0
    row = repr(RecordedSearch.objects.values().get())
    assert "8LG" not in row.upper()
    assert "127.0.0.1" not in row


def test_a_recorded_search_has_no_place_for_an_address_a_session_a_user_or_a_time():
    columns = {field.column for field in RecordedSearch._meta.concrete_fields}
    assert columns == {
        "id",
        "council_id",  # the council whose directory was searched (#17)
        "searched_on",
        "words",
        "filters",
        "district",
        "hub_id",
        "results",
    }
    assert RecordedSearch._meta.get_field("searched_on").get_internal_type() == "DateField"


def test_words_that_say_who_searched_are_left_out():
    typed = "Speech therapy N2 8LG call 07700 900982 or jo.bloggs@example.com nw94br"
    assert analytics.normalised_words(typed) == "speech therapy call or"
    assert analytics.normalised_words("toddler group N2") == "toddler group n2"


def test_a_search_with_no_postcode_has_no_district_or_hub(client):
    client.get(SEARCH, {"q": "breastfeeding", "within": "5"})

    search = RecordedSearch.objects.get()
    assert (search.words, search.district, search.hub, search.filters) == (
        "breastfeeding", "", None, {},
    )  # fmt: skip


def test_a_search_that_found_nothing_records_the_hub_its_answer_gave(client):
    client.get(SEARCH, {"q": NONSENSE, "postcode": "NW9 4BR"})

    search = RecordedSearch.objects.get()
    assert (search.results, search.district, search.hub.slug) == (0, "NW9", "west")


def test_an_empty_search_form_is_not_recorded(client):
    client.get(SEARCH)
    client.get(SEARCH, {"q": "", "postcode": "", "within": "5", "per_page": "20"})

    assert not RecordedSearch.objects.exists()


def test_a_search_the_form_refuses_is_not_recorded(client):
    client.get(SEARCH, {"q": "toddler", "postcode": "not a postcode"})

    assert not RecordedSearch.objects.exists()


def test_the_next_pages_of_a_search_are_not_recorded_again(client):
    client.get(SEARCH, {"free": "on"})
    client.get(SEARCH, {"free": "on", "page": "2"})
    client.get(SEARCH, {"free": "on", "page": "3"})

    search = RecordedSearch.objects.get()
    assert search.filters == {"free": True}
    assert search.results > 20  # there were next pages to see


@pytest.mark.parametrize(
    "params",
    [
        {"q": "toddler group", "postcode": "N2 8LG"},
        {"q": NONSENSE, "postcode": "NW9 4BR"},  # found nothing: the page works out the hub
        {"q": "money", "category": "family-support", "age": "4"},
    ],
    ids=["words and postcode", "nothing found", "words and filters"],
)
def test_recording_adds_at_most_one_query_to_the_search_page(
    client, monkeypatch, django_assert_max_num_queries, params
):
    client.get(SEARCH, params)  # fills the caches of category and topic choices
    with monkeypatch.context() as patched:
        patched.setattr("directory.views.record_search", lambda **kwargs: False)
        with CaptureQueriesContext(connection) as without:
            client.get(SEARCH, params)

    with django_assert_max_num_queries(len(without) + 1):
        client.get(SEARCH, params)

    assert RecordedSearch.objects.count() == 2  # the first request and the last


# --- Reports ------------------------------------------------------------------------------------


def test_anonymous_people_are_asked_to_sign_in(client):
    response = client.get(REPORT)

    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={REPORT}"


def test_a_practitioner_may_not_see_the_reports(client, alice):
    sign_in(client, alice)

    assert client.get(REPORT).status_code == 403
    assert client.get(NOT_FOUND).status_code == 403


def test_searches_that_found_nothing_are_grouped_by_words_with_the_filters_used():
    east = Hub.objects.get(slug="east-central")
    recorded(words="sign language", filters={"free": True}, district="N2", hub=east)
    recorded(words="sign language", filters={"age": 4}, district="N11", hub=east)
    recorded(words="sign language", filters={"age": 4}, district="N2", hub=east)
    recorded(words="sign language", results=3)

    (row,) = analytics.not_found(RecordedSearch.objects.all())

    assert row["words"] == "sign language"
    assert row["searches"] == 3
    assert row["filters"] == ["Child's age: 4", "Free only"]
    assert row["districts"] == ["N11", "N2"]


def test_a_hub_manager_reads_only_their_hubs_searches(mo):
    recorded(words="west words", hub=Hub.objects.get(slug="west"))
    recorded(words="east words", hub=Hub.objects.get(slug="east-central"))
    recorded(words="no postcode words")

    assert [s.words for s in analytics.searches_for(mo)] == ["west words"]


def test_zero_result_searches_appear_in_what_parents_do_not_find(client, nia, grant):
    client.get(SEARCH, {"q": f"{NONSENSE} classes", "postcode": "N2 8LG", "free": "on"})
    client.get(SEARCH, {"q": "breastfeeding", "postcode": "N2 8LG"})  # found something
    sign_in(client, grant(nia, "view_reports"))

    response = client.get(NOT_FOUND)

    assert response.status_code == 200
    assert f"{NONSENSE} classes" in response.text
    assert "Free only; Distance: Within 5 miles" in response.text
    assert "breastfeeding" not in response.text


def test_a_hub_manager_sees_only_their_hubs_areas(client, mo, nia, grant):
    recorded(words="west words", hub=Hub.objects.get(slug="west"))
    recorded(words="east words", hub=Hub.objects.get(slug="east-central"))
    recorded(words="south words", hub=Hub.objects.get(slug="south"))

    for manager, seen, unseen in [(mo, "west", "east"), (nia, "east", "west")]:
        sign_in(client, grant(manager, "view_reports"))
        for url in (REPORT, NOT_FOUND, f"{REPORT}?hub=south", f"{NOT_FOUND}?hub=south"):
            page = client.get(url).text
            assert f"{seen} words" in page, url
            assert f"{unseen} words" not in page, url
            assert "south words" not in page, url


def test_an_analyst_sees_every_area_and_may_choose_a_hub(client, ada, grant):
    recorded(words="west words", hub=Hub.objects.get(slug="west"))
    recorded(words="east words", hub=Hub.objects.get(slug="east-central"))
    recorded(words="no postcode words")
    sign_in(client, grant(ada, "view_reports", "view_every_hub_report"))

    every = client.get(REPORT).text
    west = client.get(REPORT, {"hub": "west"}).text

    assert all(f"{w} words" in every for w in ("west", "east", "no postcode"))
    assert "West Hub" in every
    assert "East/Central Hub" in every
    assert "west words" in west
    assert "east words" not in west


def test_the_report_counts_the_chosen_period_week_by_week(client, ada, grant):
    today = timezone.localdate()
    recorded(words="this week", searched_on=today)
    recorded(words="last month", searched_on=today - timedelta(days=20))
    recorded(words="last year", searched_on=today - relativedelta(months=6))
    sign_in(client, grant(ada, "view_reports", "view_every_hub_report"))

    week = client.get(REPORT, {"period": "7d"}).text
    month = client.get(REPORT, {"period": "30d"}).text
    year = client.get(REPORT, {"period": "13m"}).text

    assert "this week" in week
    assert "last month" not in week
    assert "last month" in month
    assert "last year" not in month
    assert "last year" in year
    assert year.count('<th scope="row" class="govuk-table__header">') > 50  # weeks in the trend


def test_a_period_that_is_not_a_choice_is_an_error_and_the_default_is_used(client, ada, grant):
    sign_in(client, grant(ada, "view_reports"))

    response = client.get(REPORT, {"period": "forever"})

    assert response.status_code == 200
    assert "Choose a period from the list" in response.text
    assert "Last 30 days" in response.text


# --- Retention ----------------------------------------------------------------------------------


def test_pruning_deletes_searches_older_than_13_months():
    today = timezone.localdate()
    recorded(words="too old", searched_on=today - relativedelta(months=13) - timedelta(days=1))
    recorded(words="kept", searched_on=today - relativedelta(months=13))
    recorded(words="today")

    call_command("prune_search_analytics", stdout=StringIO())

    assert sorted(RecordedSearch.objects.values_list("words", flat=True)) == ["kept", "today"]


def test_pruning_follows_the_setting(settings):
    settings.SEARCH_ANALYTICS_MONTHS = 1
    recorded(words="two months ago", searched_on=timezone.localdate() - relativedelta(months=2))

    call_command("prune_search_analytics", stdout=StringIO())

    assert not RecordedSearch.objects.exists()
