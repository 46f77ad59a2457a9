"""Search analytics for the public directory: what parents look for, and what they do not find.

Each search of /services/ is kept as one row with no personal data (see RecordedSearch): the
words as the search normalised them, less anything that looks like a postcode, a phone number or
an email address; the filters chosen; the postcode district; the hub covering the postcode; the
day. Reports read them for a period, scoped to the hubs a person may see.
"""

import json
import re
import uuid
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from directory.filters import DISTANCES, LANGUAGE_NAMES, category_choices, topic_choices
from directory.models import LifeStage, RecordedSearch, Service, Weekday
from directory.search import tidy
from hubs import councils
from hubs.models import Hub
from hubs.postcodes import ParsedPostcode, parse
from hubs.services import HubAnswer, covering_hub_id

EVERY_HUB = "reports.view_every_hub_report"

# The filters of the search form worth counting. Not the page size (how results are shown), and
# the distance only with a postcode (the form always sends one).
FILTERS = ["category", "topic", "age", "life_stage", "day", "delivery", "language", "free", "send"]

PERIODS = {
    "7d": ("Last 7 days", relativedelta(days=7)),
    "30d": ("Last 30 days", relativedelta(days=30)),
    "13m": ("Last 13 months", relativedelta(months=13)),
}
DEFAULT_PERIOD = "30d"
# Rows of the "not found" report: the long tail of one-off searches is left off.
NOT_FOUND_ROWS = 100

# Things a parent may type in the search box that say who they are: an email address, or five or
# more digits in a row (a phone number, a date of birth), spaces and dashes allowed between them.
_EMAIL = re.compile(r"\S+@\S+")
_DIGITS = re.compile(r"(?:\+?\d[\s().-]*){5,}")


# --- Recording -----------------------------------------------------------------------------------


def record_search(*, data: dict, results: int, hub_answer: HubAnswer | None = None) -> bool:
    """Record one search of the directory, from the search form's cleaned data, in one INSERT.

    Only a real search counts: words, a filter or a postcode (not an empty form). The hub is
    the one the search page already worked out when it did (`hub_answer`); otherwise the hub
    whose coverage rule is the most specific for the postcode (hubs.services.covering_hub_id,
    kept per postcode); none without a postcode. Returns whether a search was recorded.
    """
    postcode: ParsedPostcode | None = data.get("postcode")
    filters = chosen_filters(data)
    if not (data.get("q") or filters or postcode):
        return False
    if postcode is not None:
        filters["within"] = str(data.get("within") or "5")
    if hub_answer is not None:
        hub_id = hub_answer.hub.pk if hub_answer.hub is not None else None
    elif postcode is not None:
        hub_id = covering_hub_id(postcode)
    else:
        hub_id = None
    # Written out: the ORM's create (a model, each field's conversion, the compiled INSERT) cost
    # every search 0.25 ms more than the INSERT itself (#18). The columns are RecordedSearch's.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RecordedSearch._meta.db_table} "  # noqa: S608 - our own SQL; values are parameters
            "(id, council_id, searched_on, words, filters, district, hub_id, results) "
            "VALUES (%s, %s, %s, %s, %s::jsonb, %s, %s, %s)",
            (
                uuid.uuid4(),
                councils.current_council_id(),
                timezone.localdate(),
                normalised_words(data.get("q") or ""),
                json.dumps(filters),
                postcode.district if postcode is not None else "",
                hub_id,
                results,
            ),
        )
    return True


def normalised_words(text: str) -> str:
    """The words as the search reads them (see search.tidy), less anything that looks like an
    email address, a phone number or a full postcode, which would say who searched."""
    text = _DIGITS.sub(" ", _EMAIL.sub(" ", text))
    words = tidy(text).split()
    kept: list[str] = []
    index = 0
    while index < len(words):
        word = following = words[index]
        if index + 1 < len(words):
            following = word + words[index + 1]
        if _is_full_postcode(following) and following != word:
            index += 2  # "n2 8lg"
        elif _is_full_postcode(word):
            index += 1  # "n28lg"
        else:
            kept.append(word)
            index += 1
    return " ".join(kept)


def _is_full_postcode(text: str) -> bool:
    parsed = parse(text)
    return parsed is not None and parsed.is_full


def chosen_filters(data: dict) -> dict:
    """The filters a search used, as JSON: lists sorted (so the same choices group together),
    the age as a whole number, yes/no filters only when ticked."""
    chosen: dict = {}
    for name in FILTERS:
        value = data.get(name)
        if value in (None, "", [], False):
            continue
        if isinstance(value, list | tuple):
            chosen[name] = sorted(str(item) for item in value)
        elif value is True:
            chosen[name] = True
        elif name == "age":
            chosen[name] = int(value)
        else:
            chosen[name] = str(value)
    return chosen


# --- Who sees what -------------------------------------------------------------------------------


def hubs_reported_to(user) -> QuerySet[Hub]:
    """Every hub for analysts and administrators; a hub manager's own hubs; else none."""
    if user.has_perm(EVERY_HUB):
        return Hub.objects.all()
    return Hub.objects.filter(managers=user)


def searches_for(user, *, hub: Hub | None = None) -> QuerySet[RecordedSearch]:
    """The searches a person may report on: in their hubs' areas, or all with the permission
    to see every hub (then optionally one hub's)."""
    searches = RecordedSearch.objects.all()
    if not user.has_perm(EVERY_HUB):
        searches = searches.filter(hub__in=hubs_reported_to(user))
    if hub is not None:
        searches = searches.filter(hub=hub)
    return searches


# --- Reports -------------------------------------------------------------------------------------


def period_start(period: str, today: date | None = None) -> date:
    """The first day of a period ending today ("7d" is today and the six days before)."""
    today = today or timezone.localdate()
    return today - PERIODS[period][1] + timedelta(days=1)


def retention_months() -> int:
    """How long searches are kept: SEARCH_ANALYTICS_MONTHS, 13 by default (a year, and the same
    month of the year before for comparison)."""
    return getattr(settings, "SEARCH_ANALYTICS_MONTHS", 13)


def retention_cutoff(today: date | None = None) -> date:
    """Searches before this day are deleted."""
    return (today or timezone.localdate()) - relativedelta(months=retention_months())


def counts() -> dict:
    """Searches, and searches that found nothing, as aggregates."""
    return {"searches": Count("id"), "found_nothing": Count("id", filter=Q(results=0))}


def top_searches(searches: QuerySet[RecordedSearch], limit: int = 20) -> list[dict]:
    """The words searched most often, with how many of those searches found nothing."""
    return list(
        searches.exclude(words="")
        .values("words")
        .annotate(**counts())
        .order_by("-searches", "words")[:limit]
    )


def not_found(searches: QuerySet[RecordedSearch], limit: int = NOT_FOUND_ROWS) -> list[dict]:
    """Searches that found nothing, grouped by words (most often first), with the filters and
    districts used, each filter set described in words."""
    rows = (
        searches.found_nothing()
        .values("words")
        .annotate(
            searches=Count("id"),
            filter_sets=ArrayAgg("filters", distinct=True),
            districts=ArrayAgg("district", distinct=True, filter=~Q(district="")),
        )
        .order_by("-searches", "words")[:limit]
    )
    labels = _value_labels()
    return [
        {
            **row,
            "filters": sorted({describe_filters(f, labels) for f in row.pop("filter_sets") if f}),
            "districts": sorted(row["districts"] or []),
        }
        for row in rows
    ]


def by_hub(searches: QuerySet[RecordedSearch]) -> list[dict]:
    """Searches by the hub covering the postcode given; searches without one count as no hub."""
    return list(
        searches.values("hub__name").annotate(**counts()).order_by("hub__name", "-searches")
    )


def weekly(searches: QuerySet[RecordedSearch], start: date, today: date | None = None) -> list:
    """Searches per week (weeks start on Monday) from `start` to today, empty weeks included."""
    today = today or timezone.localdate()
    counted = {
        row["week"]: row
        for row in searches.annotate(week=TruncWeek("searched_on"))
        .values("week")
        .annotate(**counts())
    }
    week = start - timedelta(days=start.weekday())
    rows = []
    while week <= today:
        row = counted.get(week, {"searches": 0, "found_nothing": 0})
        rows.append(
            {"week": week, "searches": row["searches"], "found_nothing": row["found_nothing"]}
        )
        week += timedelta(weeks=1)
    return rows


# --- Filters in words ----------------------------------------------------------------------------

FILTER_LABELS = {
    "category": "Type of support",
    "topic": "Topic",
    "age": "Child's age",
    "life_stage": "Life stage",
    "day": "Day",
    "delivery": "How it is given",
    "language": "Language",
    "free": "Free only",
    "send": "SEND support",
    "within": "Distance",
}


def _value_labels() -> dict[str, dict[str, str]]:
    """Each filter's values in words; categories and topics from the (cached) search choices."""
    topics = {slug: name for _, group in topic_choices()[1:] for slug, name in group}
    return {
        "category": dict(category_choices()),
        "topic": topics,
        "life_stage": {str(k): str(v) for k, v in LifeStage.choices},
        "day": {str(k): str(v) for k, v in Weekday.choices},
        "delivery": {str(k): str(v) for k, v in Service.Delivery.choices},
        "language": {k: str(v) for k, v in LANGUAGE_NAMES.items()},
        "within": {k: str(v) for k, v in DISTANCES},
    }


def describe_filters(filters: dict, labels: dict | None = None) -> str:
    """A search's filters in words: "Type of support: Money; Child's age: 4; Free only"."""
    labels = labels if labels is not None else _value_labels()
    parts = []
    for name, label in FILTER_LABELS.items():
        if name not in filters:
            continue
        value = filters[name]
        if value is True:
            parts.append(label)
            continue
        names = labels.get(name, {})
        values = value if isinstance(value, list) else [value]
        parts.append(f"{label}: {', '.join(names.get(str(v), str(v)) for v in values)}")
    return "; ".join(parts)
