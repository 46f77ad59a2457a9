"""Returns: Ofsted's ILACS Annex A list 2 (early help) and the Supporting Families quarterly
figures. Each is a list of rows for csv.writer, the same for a web download and a command."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from referrals.models import Child, Episode, Outcome, Person
from reports import periods
from reports.scorecard import Scope, episodes_open_during

ANNEX_A_COLUMNS = [
    "Child ID",
    "Gender",
    "Ethnicity",
    "Date of birth",
    "Age",
    "Early help start date",
    "Early help end date",
    "Organisation",
]
GENDER = {Child.Sex.MALE: "Male", Child.Sex.FEMALE: "Female"}
SF_COLUMNS = [
    "quarter",
    "families_worked_with",
    "outcomes_achieved",
    "outcomes_sustained",
    "claims",
]


def _ddmmyyyy(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _age(born: date | None, at: date, *, unborn: bool) -> int | str:
    if unborn:
        return -1
    if born is None:
        return ""
    return at.year - born.year - ((at.month, at.day) < (born.month, born.day))


def annex_a_period(at: date) -> periods.Period:
    """The 6 months before the chosen date, which Annex A's early help list covers."""
    return periods.custom(at - relativedelta(months=6) + relativedelta(days=1), at)


def annex_a_rows(at: date, scope: Scope | None = None) -> list[list]:
    """One row per child per early help episode that started, or was open, in the 6 months
    before ``at``. Dates dd/mm/yyyy; age in whole years at ``at`` (-1 for an unborn child)."""
    from django.utils import timezone

    scope = scope or Scope()
    period = annex_a_period(at)
    # One filter() for the episode join, so the values read come from the same open episode.
    people = (
        Person.objects.filter(
            family__episodes__in=episodes_open_during(period, scope), child__isnull=False
        )
        .values(
            "child__number",
            "child__sex",
            "child__ethnicity",
            "child__date_of_birth",
            "role",
            "family__episodes__pk",
            "family__episodes__opened_at",
            "family__episodes__closed_at",
            "family__episodes__hub__name",
        )
        .order_by("child__number", "family__episodes__opened_at")
        .distinct()
    )
    rows = []
    for person in people:
        closed = person["family__episodes__closed_at"]
        rows.append(
            [
                f"C-{person['child__number']:06d}",
                GENDER.get(person["child__sex"], "Unknown"),
                person["child__ethnicity"] or "NOBT",
                _ddmmyyyy(person["child__date_of_birth"]),
                _age(person["child__date_of_birth"], at, unborn=person["role"] == "unborn"),
                _ddmmyyyy(timezone.localdate(person["family__episodes__opened_at"])),
                _ddmmyyyy(timezone.localdate(closed) if closed else None),
                person["family__episodes__hub__name"],
            ]
        )
    return rows


def sf_quarterly_rows(year: int, scope: Scope | None = None) -> list[list]:
    """For each quarter of the financial year starting in April ``year``: families worked with
    (households with an episode open in the quarter), outcomes achieved at closures in the
    quarter, outcomes confirmed sustained in the quarter, and claims made for the quarter."""
    from django.utils import timezone

    scope = scope or Scope()
    rows = []
    for number in range(1, 5):
        quarter = periods.quarter(year, number)
        if quarter.start > timezone.localdate():
            rows.append([f"{year}-Q{number}", "", "", "", ""])  # not started yet
            continue
        open_episodes = episodes_open_during(quarter, scope)
        families = open_episodes.exclude(household=None).values("household").distinct().count()
        closed = open_episodes.filter(
            closed_at__gte=quarter.starts_at, closed_at__lt=quarter.ends_before
        )
        outcomes = Outcome.objects.filter(episode__in=closed.values("pk")).aggregate(
            achieved=Count("pk", filter=Q(result=Outcome.Result.ACHIEVED))
        )
        sustained = Outcome.objects.filter(
            sustained=Outcome.Sustained.SUSTAINED,
            sustained_checked_at__gte=quarter.starts_at,
            sustained_checked_at__lt=quarter.ends_before,
        )
        claims = Episode.objects.filter(
            claim_status=Episode.ClaimStatus.CLAIMED, claim_quarter=f"{year}-Q{number}"
        )
        if scope.hubs is not None:
            sustained = sustained.filter(episode__hub__in=scope.hubs)
            claims = claims.filter(hub__in=scope.hubs)
        rows.append(
            [f"{year}-Q{number}", families, outcomes["achieved"], sustained.count(), claims.count()]
        )
    return rows
