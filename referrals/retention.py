"""The retention schedule (data/<council>/retention.json, reasons in the README).

Past its date a case file is anonymised, not deleted: dates, hub, route, kinds, needs areas,
outcomes, levels of need and demographics stay, so reports and returns still count it; names,
contact details, addresses, identifiers and everything written in free text go. Unsent drafts
are deleted (they were never part of a case). A legal hold on a family record stops all of it.

- closed episodes, with their assessments and front-door history: 7 years after closure;
- requests closed without a lead practitioner (signposted, stepped up, never allocated): 2 years
  after the last decision;
- unsent draft assessments: 90 days after they were last changed;
- a child's own record (names, UPN, NHS number): once every case file about them has gone.

Course registrations (28 days after the course) and search analytics (13 months) have their
own daily jobs; their counts are reported here too.
"""

from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from earlyhelp import audit
from hubs import councils
from referrals.models import (
    Action,
    ActionNote,
    Assessment,
    AssessmentNeed,
    Child,
    ChildMerge,
    ConnectionRequest,
    Consent,
    Decision,
    Episode,
    EpisodeEvent,
    Family,
    FamilyFeedback,
    FamilyRequest,
    Household,
    Meeting,
    Outcome,
    Person,
    Professional,
    RecordedContact,
    SupportRequest,
    TeamMember,
)

REMOVED = "Removed under the retention schedule"

# Short fields that name or reach a person (free text is found by its type, below).
PERSONAL_FIELDS = {
    Assessment: ["assessor_phone"],
    AssessmentNeed: ["evidence_source"],
    Family: ["address_line_1", "address_line_2", "town"],
    Person: ["first_name", "last_name", "school", "upn", "nhs_number", "disability_detail"],
    Professional: ["name", "contact"],
    FamilyRequest: ["name", "email", "best_time", "children_ages", "sender_hash"],
    RecordedContact: [
        "contact_name",
        "contact_details",
        "social_care_reference",
        "social_worker_name",
        "social_worker_contact",
        "mash_reference",
    ],
    EpisodeEvent: ["summary"],
}
POSTCODE_FIELDS = {Family: ["postcode"], Person: [], FamilyRequest: ["postcode"]}


def _cutoff(today: date, **delta) -> datetime:
    """The start of the day ``delta`` before ``today``, in the service's time zone."""
    return timezone.make_aware(datetime.combine(today - relativedelta(**delta), time.min))


def _outward(field: str):
    """Keep the postcode district (N2 8LG -> N2): enough for reports, not for an address."""
    return models.Func(models.F(field), models.Value(" "), models.Value(1), function="split_part")


def _blank(model, queryset) -> int:
    """Remove personal details from these rows of ``model``; returns how many rows."""
    values = {}
    for field in model._meta.get_fields():
        if isinstance(field, models.TextField):
            values[field.name] = "" if field.blank else REMOVED
    for name in PERSONAL_FIELDS.get(model, []):
        field = model._meta.get_field(name)
        values[name] = "" if field.blank else "Removed"
    for name in POSTCODE_FIELDS.get(model, []):
        values[name] = _outward(name)
    if model is FamilyRequest:
        values["phone"] = "removed"  # a request must keep a contact (a database constraint)
    if model is ConnectionRequest:
        values["response"] = models.Case(
            models.When(response="", then=models.Value("")), default=models.Value(REMOVED)
        )
    if model is EpisodeEvent:
        values["summary"] = REMOVED
    return queryset.update(**values)


def _held() -> Q:
    return ~Q(household__legal_hold_reason="")


def due(today: date) -> dict:
    """What the schedule reaches on ``today``: querysets of case files, drafts and children."""
    keep = councils.retention()
    closed_before = _cutoff(today, years=keep["closed_episodes_years"])
    decided_before = _cutoff(today, years=keep["unallocated_requests_years"])
    drafted_before = _cutoff(today, days=keep["unsent_drafts_days"])

    episodes = Episode.objects.filter(
        anonymised_at=None, status=Episode.Status.CLOSED, closed_at__lt=closed_before
    )
    unallocated = (
        SupportRequest.objects.filter(anonymised_at=None, episode__isnull=True)
        .exclude(
            status__in=[
                SupportRequest.Status.AWAITING_DECISION,
                SupportRequest.Status.MORE_INFORMATION,
            ]
        )
        .annotate(last_decision=Max("decisions__decided_at"))
        .filter(last_decision__lt=decided_before)
    )
    requests = SupportRequest.objects.filter(
        Q(pk__in=unallocated.values("pk"))
        | Q(pk__in=episodes.exclude(_held()).values("support_request"))
    ).filter(anonymised_at=None)
    drafts = Assessment.objects.filter(
        submitted_at=None, support_request=None, episode=None, updated_at__lt=drafted_before
    )
    return {
        "episodes": episodes.exclude(_held()),
        "episodes_held": episodes.filter(_held()),
        "requests": requests.exclude(_held()),
        "requests_held": unallocated.filter(_held()),
        "drafts": drafts,
    }


def _children_done():
    """Children every one of whose case files has been anonymised (none still live or held)."""
    live = SupportRequest.objects.filter(anonymised_at=None).values("household")
    open_episodes = Episode.objects.filter(anonymised_at=None).values("household")
    households = (
        Household.objects.filter(anonymised_at=None, legal_hold_reason="")
        .filter(Q(contacts__isnull=False) | Q(episodes__isnull=False))
        .exclude(pk__in=live)
        .exclude(pk__in=open_episodes)
        .distinct()
    )
    return households


def apply_retention(today: date | None = None, *, dry_run: bool = True) -> dict[str, int]:
    """Anonymise (or, with dry_run, count) what the schedule reaches; returns counts per type."""
    today = today or timezone.localdate()
    now = timezone.now()
    found = due(today)
    counts = {
        "closed_episodes": found["episodes"].count(),
        "requests": found["requests"].count(),
        "unsent_drafts": found["drafts"].count(),
        "held": found["episodes_held"].count() + found["requests_held"].count(),
        "children": _children_done().count() if dry_run else 0,
    }
    if dry_run:
        return counts
    with transaction.atomic():
        request_ids = list(found["requests"].values_list("pk", flat=True))
        episode_ids = list(found["episodes"].values_list("pk", flat=True))
        _anonymise(request_ids, episode_ids, now)
        for draft in found["drafts"].select_related("family"):
            family = draft.family
            draft.delete()
            if family is not None and not (family.episodes.exists() or family.contacts.exists()):
                family.delete()
        households = list(_children_done().values_list("pk", flat=True))
        children = Child.objects.filter(household__in=households)
        counts["children"] = children.count()
        children.update(
            first_name="Removed", last_name="", upn="", nhs_number="", postcode=_outward("postcode")
        )
        _blank(ChildMerge, ChildMerge.objects.filter(kept__household__in=households))
        Household.objects.filter(pk__in=households).update(
            anonymised_at=now, postcode=_outward("postcode")
        )
        audit.record(None, "retention.applied", None, today=today.isoformat(), **counts)
    return counts


def _anonymise(request_ids: list, episode_ids: list, now: datetime) -> None:
    requests = Q(support_request__in=request_ids)
    episodes = Q(episode__in=episode_ids)
    assessments = Assessment.objects.filter(requests | episodes)
    families = Family.objects.filter(
        Q(assessment__in=assessments) | Q(contacts__in=request_ids) | Q(episodes__in=episode_ids)
    ).distinct()
    _blank(Assessment, assessments)
    _blank(AssessmentNeed, AssessmentNeed.objects.filter(assessment__in=assessments))
    _blank(Consent, Consent.objects.filter(assessment__in=assessments))
    _blank(Professional, Professional.objects.filter(assessment__in=assessments))
    _blank(Person, Person.objects.filter(family__in=families))
    _blank(Family, families)
    _blank(FamilyRequest, FamilyRequest.objects.filter(requests))
    _blank(RecordedContact, RecordedContact.objects.filter(requests))
    _blank(Decision, Decision.objects.filter(requests))
    _blank(Episode, Episode.objects.filter(pk__in=episode_ids))
    _blank(TeamMember, TeamMember.objects.filter(episodes))
    _blank(Outcome, Outcome.objects.filter(episodes))
    _blank(Action, Action.objects.filter(outcome__episode__in=episode_ids))
    _blank(ActionNote, ActionNote.objects.filter(action__outcome__episode__in=episode_ids))
    _blank(
        ConnectionRequest,
        ConnectionRequest.objects.filter(action__outcome__episode__in=episode_ids),
    )
    _blank(Meeting, Meeting.objects.filter(episodes))
    _blank(EpisodeEvent, EpisodeEvent.objects.filter(episodes))
    _blank(FamilyFeedback, FamilyFeedback.objects.filter(episodes))
    Episode.objects.filter(pk__in=episode_ids).update(anonymised_at=now)
    SupportRequest.objects.filter(pk__in=request_ids).update(anonymised_at=now)
