"""The board scorecard: every figure the 0-19 Early Help Strategic Board, the Supporting Families
return and an Ofsted inspection ask for, for one period, hub scope and ward.

Every figure is aggregated in SQL (COUNT, FILTER, percentile_cont, window functions); nothing
here loops over records in Python. Each measure says what it counts and from which dates in its
``summary``; the README lists them too.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    Func,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth, TruncWeek

from directory.models import Feedback, Service
from hubs.models import Hub, Postcode
from referrals.ethnicity import GROUP_OF
from referrals.models import (
    Child,
    ConnectionRequest,
    Decision,
    Episode,
    FamilyFeedback,
    NeedArea,
    Outcome,
    Person,
    Source,
    SupportRequest,
)
from reports.periods import Period


class Median(Aggregate):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class DaysBetween(Func):
    """Days from the second expression to the first (timestamps or dates)."""

    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)"
    arg_joiner = "::timestamptz - "
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        return sql.replace(")) / 86400.0)", "::timestamptz)) / 86400.0)", 1), params

    def __init__(self, later, earlier):
        super().__init__(later, earlier)


@dataclass
class Row:
    label: str
    values: list  # one per column
    measure: str = ""  # a drill-down key, for people who may see the records behind a figure
    params: dict = field(default_factory=dict)

    @property
    def value(self):
        return self.values[0] if self.values else None


@dataclass
class Section:
    key: str
    title: str
    summary: str
    columns: list[str]
    rows: list[Row]
    chart: bool = True  # a bar chart of the first column, beside the table

    @property
    def chart_rows(self) -> list[Row]:
        """The parts, not the total row ("All ..."), which would flatten every other bar."""
        return [
            r
            for r in self.rows
            if isinstance(r.value, (int, float)) and not r.label.startswith("All ")
        ]


@dataclass(frozen=True)
class Scope:
    """What a reader may see: which hubs (None: every hub) and, optionally, one ward."""

    hubs: tuple[int, ...] | None = None
    ward: str = ""


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- The records behind each figure -------------------------------------------------------------


def _ward_postcodes(ward: str):
    return Postcode.objects.filter(ward_code=ward).values("postcode")


def contacts(period: Period, scope: Scope) -> QuerySet[SupportRequest]:
    """Contacts received in the period, by any route."""
    queryset = SupportRequest.objects.filter(
        received_at__gte=period.starts_at, received_at__lt=period.ends_before
    )
    if scope.hubs is not None:
        queryset = queryset.filter(hub__in=scope.hubs)
    if scope.ward:
        queryset = queryset.filter(family__postcode__in=_ward_postcodes(scope.ward))
    return queryset


def _episodes(scope: Scope) -> QuerySet[Episode]:
    queryset = Episode.objects.all()
    if scope.hubs is not None:
        queryset = queryset.filter(hub__in=scope.hubs)
    if scope.ward:
        queryset = queryset.filter(family__postcode__in=_ward_postcodes(scope.ward))
    return queryset


def episodes_started(period: Period, scope: Scope) -> QuerySet[Episode]:
    return _episodes(scope).filter(
        opened_at__gte=period.starts_at, opened_at__lt=period.ends_before
    )


def episodes_closed(period: Period, scope: Scope) -> QuerySet[Episode]:
    return _episodes(scope).filter(
        closed_at__gte=period.starts_at, closed_at__lt=period.ends_before
    )


def episodes_open_during(period: Period, scope: Scope) -> QuerySet[Episode]:
    """Episodes open on any day of the period."""
    return _episodes(scope).filter(
        Q(closed_at=None) | Q(closed_at__gte=period.starts_at), opened_at__lt=period.ends_before
    )


def episodes_open_at_end(period: Period, scope: Scope) -> QuerySet[Episode]:
    return _episodes(scope).filter(
        Q(closed_at=None) | Q(closed_at__gte=period.ends_before), opened_at__lt=period.ends_before
    )


def re_referrals(period: Period, scope: Scope) -> QuerySet[SupportRequest]:
    return contacts(period, scope).exclude(previous_episode=None)


def step_downs(period: Period, scope: Scope) -> QuerySet[SupportRequest]:
    return contacts(period, scope).filter(kind=SupportRequest.Kind.STEP_DOWN)


def step_ups_at_front_door(period: Period, scope: Scope) -> QuerySet[SupportRequest]:
    decided = Decision.objects.filter(
        support_request=OuterRef("pk"),
        kind=Decision.Kind.STEP_UP,
        decided_at__gte=period.starts_at,
        decided_at__lt=period.ends_before,
    )
    queryset = SupportRequest.objects.filter(Exists(decided))
    if scope.hubs is not None:
        queryset = queryset.filter(hub__in=scope.hubs)
    if scope.ward:
        queryset = queryset.filter(family__postcode__in=_ward_postcodes(scope.ward))
    return queryset


def step_ups_from_episodes(period: Period, scope: Scope) -> QuerySet[Episode]:
    return episodes_closed(period, scope).filter(closure_reason=Episode.ClosureReason.STEPPED_UP)


def children_with_episode(period: Period, scope: Scope) -> QuerySet[Child]:
    """Distinct children with an early help episode open on any day of the period."""
    families = episodes_open_during(period, scope).values("family")
    return Child.objects.filter(
        pk__in=Person.objects.filter(family__in=families, child__isnull=False).values("child")
    )


# Drill-downs: a measure's key -> (kind of record, the queryset function).
MEASURES = {
    "contacts": ("contact", contacts),
    "re_referrals": ("contact", re_referrals),
    "step_downs": ("contact", step_downs),
    "step_ups_at_front_door": ("contact", step_ups_at_front_door),
    "episodes_started": ("episode", episodes_started),
    "episodes_closed": ("episode", episodes_closed),
    "episodes_open": ("episode", episodes_open_at_end),
    "step_ups_from_episodes": ("episode", step_ups_from_episodes),
    "children_with_episode": ("child", children_with_episode),
}


# --- Sections -----------------------------------------------------------------------------------


def _counted(queryset, field_name: str, labels: dict) -> list[Row]:
    counts = {
        row[field_name]: row["n"]
        for row in queryset.order_by().values(field_name).annotate(n=Count("pk"))
    }
    return [Row(label, [counts.get(value, 0)]) for value, label in labels.items()]


def _contacts_sections(period: Period, scope: Scope) -> list[Section]:
    base = contacts(period, scope)
    total = base.count()
    by_kind = _counted(base, "kind", dict(SupportRequest.Kind.choices))
    for row, kind in zip(by_kind, SupportRequest.Kind.values, strict=True):
        row.measure, row.params = "contacts", {"kind": kind}
    by_source = _counted(base, "source", {**dict(Source.choices), "": "Not recorded"})
    hubs = Hub.objects.filter(pk__in=scope.hubs) if scope.hubs is not None else Hub.objects.all()
    by_hub = {row["hub"]: row["n"] for row in base.order_by().values("hub").annotate(n=Count("pk"))}
    hub_rows = [Row(hub.name, [by_hub.get(hub.pk, 0)]) for hub in hubs.order_by("name")]
    if by_hub.get(None):
        hub_rows.append(Row("No hub yet (outside the borough)", [by_hub[None]]))
    by_month = {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["n"]
        for row in base.order_by()
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("pk"))
    }
    month_rows = [Row(f"{m:%b %Y}", [by_month.get(m, 0)]) for m in period.months()]
    return [
        Section(
            "contacts_by_route",
            "Contacts by route",
            f"{total} contacts arrived in the period, by every route. A contact is counted on "
            "the day it was received.",
            ["Contacts"],
            [*by_kind, Row("All contacts", [total], "contacts")],
        ),
        Section(
            "contacts_by_source",
            "Contacts by source",
            "Who brought each contact received in the period.",
            ["Contacts"],
            [r for r in by_source if r.value],
        ),
        Section(
            "contacts_by_hub",
            "Contacts by hub",
            "Contacts received in the period, by the hub they were sent to.",
            ["Contacts"],
            hub_rows,
        ),
        Section(
            "contacts_by_month",
            "Contacts by month",
            "Contacts received in each month of the period.",
            ["Contacts"],
            month_rows,
        ),
    ]


def _decisions_section(period: Period, scope: Scope) -> Section:
    decisions = Decision.objects.filter(
        decided_at__gte=period.starts_at, decided_at__lt=period.ends_before
    )
    if scope.hubs is not None:
        decisions = decisions.filter(from_hub__in=scope.hubs)
    if scope.ward:
        decisions = decisions.filter(
            support_request__family__postcode__in=_ward_postcodes(scope.ward)
        )
    on_time = Q(decided_date__lte=F("support_request__decision_due"))
    figures = {
        row["kind"]: (row["n"], row["on_time"])
        for row in decisions.order_by()
        .annotate(decided_date=Cast("decided_at", DateField()))
        .values("kind")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=on_time))
    }
    rows = []
    for kind, label in Decision.Kind.choices:
        n, timely = figures.get(kind, (0, 0))
        rows.append(Row(label, [n, percent(timely, n)]))
    n = sum(v[0] for v in figures.values())
    timely = sum(v[1] for v in figures.values())
    rows.append(Row("All decisions", [n, percent(timely, n)]))
    return Section(
        "decisions",
        "Front door decisions",
        f"{n} decisions were made in the period; {percent(timely, n) or 0}% on or before the "
        f"day they were due ({settings.DECISION_DUE_WORKING_DAYS} working days after arrival).",
        ["Decisions", "% within target"],
        rows,
    )


def _reviews_on_time(period: Period, scope: Scope) -> tuple[int, int]:
    """Reviews held in the period, and those held by the date the previous meeting set."""
    hubs = "" if scope.hubs is None else "AND e.hub_id = ANY(%(hubs)s)"
    if scope.ward:
        hubs += (
            " AND e.family_id IN (SELECT f.id FROM referrals_family f JOIN hubs_postcode p"
            " ON p.postcode = f.postcode WHERE p.ward_code = %(ward)s)"
        )
    sql = f"""
        WITH ordered AS (
            SELECT m.kind, m.held_on, e.review_weeks,
                   LAG(m.held_on) OVER (PARTITION BY m.episode_id ORDER BY m.held_on,
                                        m.recorded_at) AS previous
            FROM referrals_meeting m JOIN referrals_episode e ON e.id = m.episode_id
            WHERE TRUE {hubs}
        )
        SELECT COUNT(*),
               COUNT(*) FILTER (WHERE held_on <= previous + review_weeks * 7)
        FROM ordered
        WHERE kind = 'review' AND held_on BETWEEN %(start)s AND %(end)s
    """  # noqa: S608 (the only interpolation is a fixed clause; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "hubs": list(scope.hubs or ()),
                "ward": scope.ward,
                "start": period.start,
                "end": period.end,
            },
        )
        held, on_time = cursor.fetchone()
    return held, on_time


def _timeliness_section(period: Period, scope: Scope) -> Section:
    started = episodes_started(period, scope)
    assessed = (
        started.exclude(assessment_due=None)
        .annotate(completed_date=Cast("assessment_completed_at", DateField()))
        .aggregate(
            due=Count("pk"),
            done=Count("pk", filter=Q(assessment_completed_at__isnull=False)),
            on_time=Count(
                "pk",
                filter=Q(assessment_completed_at__isnull=False)
                & Q(completed_date__lte=F("assessment_due")),
            ),
            median=Median(
                DaysBetween(F("assessment_completed_at"), F("opened_at")),
                filter=Q(assessment_completed_at__isnull=False),
            ),
        )
    )
    first = Subquery(
        Episode.objects.filter(pk=OuterRef("pk"))
        .annotate(first=Min("meetings__held_on"))
        .values("first")[:1],
        output_field=DateField(),
    )
    met = (
        started.annotate(first_held=first, opened_date=Cast("opened_at", DateField()))
        .exclude(first_held=None)
        .aggregate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(first_held__lte=F("first_meeting_due"))),
            median=Median(DaysBetween(F("first_held"), F("opened_date"))),
        )
    )
    held, reviews_on_time = _reviews_on_time(period, scope)

    def days(value):
        return round(value, 1) if value is not None else None

    rows = [
        Row(
            "Assessment after allocation (median days; % within target)",
            [days(assessed["median"]), percent(assessed["on_time"], assessed["due"])],
        ),
        Row(
            "First TAF meeting after allocation (median days; % within target)",
            [days(met["median"]), percent(met["on_time"], met["n"])],
        ),
        Row("Reviews held on time (reviews; % on time)", [held, percent(reviews_on_time, held)]),
    ]
    return Section(
        "timeliness",
        "Timeliness",
        f"For episodes opened in the period: the lead's assessment is due "
        f"{settings.ASSESSMENT_DUE_WORKING_DAYS} working days after an allocation without one "
        f"({assessed['done']} of {assessed['due']} done), the first meeting "
        f"{settings.TAF_FIRST_MEETING_WORKING_DAYS} working days after allocation; a review is "
        "on time when held within the episode's review interval of the meeting before.",
        ["Median days or reviews", "% within target"],
        rows,
        chart=False,
    )


def _caseload_section(period: Period, scope: Scope) -> Section:
    open_now = episodes_open_at_end(period, scope)
    by_lead = list(
        open_now.order_by()
        .values("lead_practitioner__first_name", "lead_practitioner__last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_practitioner__last_name")[:25]
    )
    total = open_now.count()
    rows = [Row("Open at the end of the period", [total], "episodes_open")]
    rows += [
        Row(f"{r['lead_practitioner__first_name']} {r['lead_practitioner__last_name']}", [r["n"]])
        for r in by_lead
    ]
    return Section(
        "caseload",
        "Open episodes and caseloads",
        f"{total} episodes were open at the end of {period.end:%-d %B %Y}; below, the open "
        "episodes each lead practitioner holds (the 25 largest caseloads).",
        ["Open episodes"],
        rows,
    )


def _transitions_section(period: Period, scope: Scope) -> Section:
    total_contacts = contacts(period, scope).count()
    closed = episodes_closed(period, scope).count()
    front_door = step_ups_at_front_door(period, scope).count()
    from_episodes = step_ups_from_episodes(period, scope)
    ups = from_episodes.count()
    downs = step_downs(period, scope).count()
    outcomes = {
        row["mash_outcome"]: row["n"]
        for row in from_episodes.order_by().values("mash_outcome").annotate(n=Count("pk"))
    }
    rows = [
        Row("Stepped up at the front door", [front_door, None], "step_ups_at_front_door"),
        Row(
            "Stepped up from an episode (% of episodes closed)",
            [ups, percent(ups, closed)],
            "step_ups_from_episodes",
        ),
        Row(
            "Stepped down from social care (% of contacts)",
            [downs, percent(downs, total_contacts)],
            "step_downs",
        ),  # fmt: skip
    ]
    rows += [
        Row(f"MASH outcome: {label}", [outcomes.get(value, 0), None])
        for value, label in Episode.MashOutcome.choices
    ]
    rows.append(Row("MASH outcome: not recorded yet", [outcomes.get("", 0), None]))
    return Section(
        "step_up_down",
        "Step up and step down",
        "Step-ups decided at the front door or closing an episode in the period, what the MASH "
        "decided for the episodes stepped up, and step-downs received in the period.",
        ["Count", "Rate %"],
        rows,
    )


def _re_referrals_section(period: Period, scope: Scope) -> Section:
    total = contacts(period, scope).count()
    again = re_referrals(period, scope).count()
    return Section(
        "re_referrals",
        "Re-referrals",
        f"Contacts in the period for a child whose episode closed within "
        f"{settings.RE_REFERRAL_MONTHS} months before (matched on the child ID): {again} of "
        f"{total} ({percent(again, total) or 0}%).",
        ["Contacts", "%"],
        [Row("Re-referrals", [again, percent(again, total)], "re_referrals")],
        chart=False,
    )


def _closures_section(period: Period, scope: Scope) -> Section:
    closed = episodes_closed(period, scope)
    rows = _counted(closed, "closure_reason", dict(Episode.ClosureReason.choices))
    total = sum(r.value for r in rows)
    rows.append(Row("All closures", [total], "episodes_closed"))
    return Section(
        "closures",
        "Closures by reason",
        f"{total} episodes closed (signed off, or stepped up) in the period.",
        ["Episodes"],
        rows,
    )


def _outcomes_section(period: Period, scope: Scope) -> Section:
    outcomes = Outcome.objects.filter(episode__in=episodes_closed(period, scope).values("pk"))
    figures = {
        row["area"]: row
        for row in outcomes.order_by()
        .values("area")
        .annotate(
            achieved=Count("pk", filter=Q(result=Outcome.Result.ACHIEVED)),
            partly=Count("pk", filter=Q(result=Outcome.Result.PARTLY)),
            not_achieved=Count("pk", filter=Q(result=Outcome.Result.NOT_ACHIEVED)),
            sustained=Count("pk", filter=Q(sustained=Outcome.Sustained.SUSTAINED)),
        )
    }
    rows = []
    for area, label in NeedArea.choices:
        row = figures.get(area, {})
        rows.append(
            Row(
                label,
                [
                    row.get("achieved", 0),
                    row.get("partly", 0),
                    row.get("not_achieved", 0),
                    row.get("sustained", 0),
                ],
            )
        )
    return Section(
        "outcomes",
        "Outcomes by Supporting Families headline",
        "For episodes closed in the period: each outcome's result at closure, and how many "
        "have since been confirmed significant and sustained.",
        ["Achieved", "Partly", "Not achieved", "Sustained"],
        rows,
    )


def _feedback_section(period: Period, scope: Scope) -> Section:
    given = FamilyFeedback.objects.filter(
        given_at__gte=period.starts_at, given_at__lt=period.ends_before
    )
    if scope.hubs is not None:
        given = given.filter(episode__hub__in=scope.hubs)
    if scope.ward:
        given = given.filter(episode__family__postcode__in=_ward_postcodes(scope.ward))
    rows = _counted(given, "helpful", dict(FamilyFeedback.Helpful.choices))
    said = given.aggregate(
        n=Count("pk"), yes=Count("pk", filter=Q(had_a_say=FamilyFeedback.Say.YES))
    )
    rows.append(Row("Had a say in their lead practitioner (%)", [percent(said["yes"], said["n"])]))
    return Section(
        "feedback",
        "Family feedback",
        f"{said['n']} families gave feedback in the period, through their one-time link or to "
        "their lead practitioner.",
        ["Families"],
        rows,
    )


AGE_BANDS = ["Unborn or not known", "0 to 4", "5 to 10", "11 to 15", "16 to 19", "20 to 25 (SEND)"]


def _age_band(period: Period):
    end = period.end

    def born_after(years: int):
        return end - relativedelta(years=years)

    return Case(
        When(date_of_birth=None, then=Value("Unborn or not known")),
        When(date_of_birth__gt=born_after(5), then=Value("0 to 4")),
        When(date_of_birth__gt=born_after(11), then=Value("5 to 10")),
        When(date_of_birth__gt=born_after(16), then=Value("11 to 15")),
        When(date_of_birth__gt=born_after(20), then=Value("16 to 19")),
        default=Value("20 to 25 (SEND)"),
        output_field=CharField(),
    )


def _ethnic_group():
    groups: dict[str, list[str]] = {}
    for code, group in GROUP_OF.items():
        groups.setdefault(group, []).append(code)
    return Case(
        *[When(ethnicity__in=codes, then=Value(group)) for group, codes in groups.items()],
        default=Value("Not recorded"),
        output_field=CharField(),
    )


def _equality_section(period: Period, scope: Scope) -> Section:
    children = children_with_episode(period, scope)
    ward = Subquery(
        Postcode.objects.filter(postcode=OuterRef("postcode")).values("ward_name")[:1],
        output_field=CharField(),
    )
    latest_send = Subquery(
        Person.objects.filter(child=OuterRef("pk"))
        .exclude(send="")
        .order_by("-family__created_at")
        .values("send")[:1],
        output_field=CharField(),
    )
    annotated = children.annotate(
        age_band=_age_band(period),
        ethnic_group=_ethnic_group(),
        ward_name=ward,
        send_now=latest_send,
    )
    rows: list[Row] = []
    total = children.count()
    rows.append(Row("Children receiving early help", [total], "children_with_episode"))
    sexes = dict(Child.Sex.choices)
    sends = dict(Person.Send.choices)
    for heading, field_name, labels in [
        ("Age", "age_band", None),
        ("Sex", "sex", sexes),
        ("Ethnic group", "ethnic_group", None),
        ("SEND", "send_now", sends),
        ("Ward", "ward_name", None),
    ]:
        counts = list(
            annotated.order_by().values(field_name).annotate(n=Count("pk")).order_by(field_name)
        )
        if field_name == "age_band":
            counts.sort(key=lambda row: AGE_BANDS.index(row["age_band"]))
        for row in counts:
            value = row[field_name] or ""
            label = (labels or {}).get(value, value) or "Not recorded"
            rows.append(Row(f"{heading}: {label}", [row["n"]]))
    return Section(
        "equality",
        "Who receives early help",
        f"{total} children had an early help episode open on at least one day of the period, "
        "by age at the end of the period, sex, ethnic group, SEND and the ward of their latest "
        "postcode.",
        ["Children"],
        rows,
        chart=False,
    )


def _listings_section(period: Period, scope: Scope) -> Section:
    published = Service.objects.published()
    due_before = period.end - relativedelta(months=settings.LISTING_REVIEW_MONTHS)
    figures = published.aggregate(
        n=Count("pk"), reviewed=Count("pk", filter=Q(last_reviewed__gte=due_before))
    )
    open_reports = Feedback.objects.filter(resolved_at=None).count()
    return Section(
        "listings",
        "Directory listings",
        f"Published services checked within {settings.LISTING_REVIEW_MONTHS} months of the end "
        "of the period, and reports of wrong information not yet resolved.",
        ["Count", "%"],
        [
            Row(
                "Listings reviewed on time",
                [figures["reviewed"], percent(figures["reviewed"], figures["n"])],
            ),
            Row("Open reports of wrong information", [open_reports, None]),
        ],
        chart=False,
    )


def _connections_section(period: Period, scope: Scope) -> Section:
    sent = ConnectionRequest.objects.filter(
        sent_at__gte=period.starts_at, sent_at__lt=period.ends_before
    )
    if scope.hubs is not None:
        sent = sent.filter(action__outcome__episode__hub__in=scope.hubs)
    if scope.ward:
        sent = sent.filter(
            action__outcome__episode__family__postcode__in=_ward_postcodes(scope.ward)
        )
    week_rows = [
        Row(
            f"Week of {row['week']:%-d %b %Y}",
            [row["sent"], row["accepted"], row["declined"]],
        )
        for row in sent.order_by()
        .annotate(week=TruncWeek("sent_at"))
        .values("week")
        .annotate(
            sent=Count("pk"),
            accepted=Count("pk", filter=Q(status=ConnectionRequest.Status.ACCEPTED)),
            declined=Count("pk", filter=Q(status=ConnectionRequest.Status.DECLINED)),
        )
        .order_by("week")
    ]
    last_week = sent.filter(sent_at__gte=period.ends_before - timedelta(days=7)).aggregate(
        sent=Count("pk"),
        accepted=Count("pk", filter=Q(status=ConnectionRequest.Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=ConnectionRequest.Status.DECLINED)),
    )
    rows = [
        Row(
            "Last 7 days of the period",
            [last_week["sent"], last_week["accepted"], last_week["declined"]],
        ),
        *week_rows,
    ]
    return Section(
        "connections",
        "Connection requests",
        "Requests from family plans to directory services, sent in the period, and what the "
        "services answered (the measures of the DfE's Connect service).",
        ["Sent", "Accepted", "Declined"],
        rows,
        chart=False,
    )


def scorecard(period: Period, scope: Scope) -> list[Section]:
    return [
        *_contacts_sections(period, scope),
        _decisions_section(period, scope),
        _timeliness_section(period, scope),
        _caseload_section(period, scope),
        _transitions_section(period, scope),
        _re_referrals_section(period, scope),
        _closures_section(period, scope),
        _outcomes_section(period, scope),
        _feedback_section(period, scope),
        _equality_section(period, scope),
        _listings_section(period, scope),
        _connections_section(period, scope),
    ]


# --- The scorecard as measure,breakdown,value rows (manage.py report_scorecard) ------------------

TOTALS = {
    "contacts": contacts,
    "episodes_started": episodes_started,
    "episodes_closed": episodes_closed,
    "step_ups": None,  # front door and episodes together, below
    "step_downs": step_downs,
    "re_referrals": re_referrals,
    "children_with_episode": children_with_episode,
}


def _total(measure: str, period: Period, scope: Scope) -> int:
    if measure == "step_ups":
        return (
            step_ups_at_front_door(period, scope).count()
            + step_ups_from_episodes(period, scope).count()
        )
    return TOTALS[measure](period, scope).count()


def measure_rows(period: Period, scope: Scope) -> list[tuple[str, str, int]]:
    """Each measure for all, by hub and by month: the rows a scheduled report writes."""
    from reports import periods

    rows = []
    hubs = Hub.objects.order_by("name")
    if scope.hubs is not None:
        hubs = hubs.filter(pk__in=scope.hubs)
    for measure in TOTALS:
        rows.append((measure, "all", _total(measure, period, scope)))
        for hub in hubs:
            rows.append(
                (measure, f"hub:{hub.slug}", _total(measure, period, Scope((hub.pk,), scope.ward)))
            )
        for first in period.months():
            month = periods.month(first.year, first.month)
            part = periods.Period(
                max(month.start, period.start), min(month.end, period.end), month.label
            )
            rows.append((measure, f"month:{first:%Y-%m}", _total(measure, part, scope)))
    return rows
