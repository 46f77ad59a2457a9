"""Changes to assessments, family requests and front door decisions.

Each function is one transaction, audits what it did, and queues its emails to go after commit.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import User
from earlyhelp import audit
from earlyhelp.audit import sender_hash
from hubs.models import Hub
from hubs.postcodes import parse
from hubs.services import Outcome, find_hub
from referrals import notifications, records
from referrals.models import (
    Assessment,
    Decision,
    Episode,
    Family,
    FamilyRequest,
    Person,
    RecordedContact,
    Source,
    SupportRequest,
)
from referrals.workingdays import add_working_days

# Who a practitioner's agency makes the source of their assessment.
SOURCE_BY_AGENCY = {
    "school": Source.SCHOOL,
    "early_years": Source.EARLY_YEARS,
    "health_visiting": Source.HEALTH_VISITOR,
    "midwifery": Source.HEALTH_VISITOR,
    "gp": Source.GP,
    "health_other": Source.GP,
    "police": Source.POLICE,
    "housing": Source.HOUSING,
    "voluntary": Source.VOLUNTARY,
    "social_care": Source.SOCIAL_CARE,
}

# The task list's sections, in order: (key, title).
SECTIONS = [
    ("about_you", "About you"),
    ("family", "Family and household"),
    ("children", "Children this assessment is about"),
    ("professionals", "Professionals involved"),
    ("consent", "Consent"),
    ("needs", "Reasons and needs"),
    ("signs_of_safety", "Signs of Safety"),
    ("voices", "Voices, analysis and recommended support"),
]
SECTION_TITLES = dict(SECTIONS)


def next_reference(on: date | None = None) -> str:
    """EH-<year the contact arrived>-<number from one sequence>."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('referrals_reference_seq')")
        (number,) = cursor.fetchone()
    return f"EH-{(on or timezone.localdate()).year}-{number:06d}"


def route(postcode: str) -> tuple[Hub | None, str]:
    """The hub for a family's postcode, and how sure we are (SupportRequest.Routing)."""
    parsed = parse(postcode)
    if parsed is None or not parsed.is_full:
        return None, SupportRequest.Routing.UNROUTED
    answer = find_hub(parsed)
    if answer.outcome == Outcome.COVERED:
        return answer.hub, SupportRequest.Routing.COVERED
    if answer.outcome == Outcome.NEAREST:
        return answer.hub, SupportRequest.Routing.NEAREST
    return None, SupportRequest.Routing.UNROUTED


def decision_due_from(day: date) -> date:
    return add_working_days(day, settings.DECISION_DUE_WORKING_DAYS)


# --- Assessments ----------------------------------------------------------------------------


@transaction.atomic
def start_assessment(
    *, author: User, request: HttpRequest | None = None, child: dict | None = None
) -> Assessment:
    """A new draft, with what the author's account already says about them, and the child
    they checked for first ("tell it once": first_name, last_name, date_of_birth), if any."""
    assessment = Assessment.objects.create(
        author=author,
        assessor_role=author.job_title,
        assessor_organisation=author.agency_label,
        assessor_phone=author.work_phone,
        family=Family.objects.create(),
    )
    if child:
        Person.objects.create(
            family=assessment.family,
            role=Person.Role.CHILD,
            first_name=child["first_name"],
            last_name=child["last_name"],
            date_of_birth=date.fromisoformat(child["date_of_birth"]),
        )
    audit.record(request, "assessment.started", assessment, user=author)
    return assessment


def mark_complete(assessment: Assessment, section: str) -> None:
    if section not in assessment.completed_sections:
        assessment.completed_sections = [*assessment.completed_sections, section]
    assessment.save()


@dataclass(frozen=True)
class Problem:
    section: str
    message: str


def submission_problems(assessment: Assessment, today: date | None = None) -> list[Problem]:
    """What stops this assessment being sent, each tied to the section that fixes it."""
    today = today or timezone.localdate()
    problems = [
        Problem(key, f"Complete the section ‘{title}’")
        for key, title in SECTIONS
        if key not in assessment.completed_sections
    ]
    family = assessment.family
    if family is None or not family.postcode:
        problems.append(Problem("family", "Enter the family's postcode"))
    subjects = list(assessment.subjects.all())
    if not subjects:
        problems.append(Problem("children", "Choose the children this assessment is about"))
    consents = {c.person_id: c for c in assessment.consents.select_related("given_by")}
    for person in consent_needed_from(assessment, subjects):
        consent = consents.get(person.pk)
        if consent is None:
            problems.append(Problem("consent", f"Record consent for {person.full_name}"))
        elif not consent.to_assessment:
            problems.append(
                Problem(
                    "consent",
                    f"{person.full_name}: consent to the assessment was not given, so it cannot "
                    "be sent. If you think a child is at risk of significant harm, contact the "
                    "MASH now.",
                )
            )
        elif (
            person.gives_own_consent(today, competent=consent.competent)
            and consent.given_by_id != person.pk
        ):
            problems.append(
                Problem(
                    "consent",
                    f"{person.full_name} must give their own consent (16 or over, an adult, or "
                    "judged competent to decide)",
                )
            )
    return problems


def consent_needed_from(assessment: Assessment, subjects=None) -> list[Person]:
    """Each child the assessment is about, and each adult in the household: adults consent to
    their own information being recorded."""
    if subjects is None:
        subjects = list(assessment.subjects.all())
    adults = []
    if assessment.family_id:
        adults = [
            p for p in assessment.family.people.all() if not p.is_child and p.lives_in_household
        ]
    return [*subjects, *adults]


@transaction.atomic
def submit_assessment(
    *, assessment_id, by: User, request: HttpRequest | None = None
) -> SupportRequest:
    """Send a draft (or a returned assessment) to the hub that covers the family's postcode.

    Safe to call twice (a double click): the second call finds it already sent and returns it.
    """
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("family", "support_request")
        .get(pk=assessment_id, author=by)
    )
    existing = assessment.support_request
    if existing is not None and existing.status != SupportRequest.Status.MORE_INFORMATION:
        return existing
    if assessment.episode_id is not None:
        raise ValidationError("An assessment within an episode is completed, not sent")
    problems = submission_problems(assessment)
    if problems:
        raise ValidationError([p.message for p in problems])
    now = timezone.now()
    if existing is None:
        hub, routing = route(assessment.family.postcode)
        support_request = SupportRequest.objects.create(
            kind=SupportRequest.Kind.ASSESSMENT,
            reference=next_reference(),
            hub=hub,
            routing=routing,
            source=SOURCE_BY_AGENCY.get(by.agency, Source.OTHER),
            family=assessment.family,
            submitted_by=by,
            received_at=now,
            decision_due=decision_due_from(timezone.localdate()),
        )
        records.match_family(assessment.family, request=request, by=by)
        support_request.refresh_from_db()
        support_request.previous_episode = records.previous_episode_for_contact(support_request)
        support_request.save(update_fields=["previous_episode"])
        assessment.support_request = support_request
        assessment.submitted_at = now
        assessment.save(update_fields=["support_request", "submitted_at", "updated_at"])
        audit.record(request, "assessment.submitted", assessment, user=by)
        audit.record(request, "supportrequest.created", support_request, user=by)
        notifications.assessment_sent(support_request)
    else:
        support_request = SupportRequest.objects.select_for_update().get(pk=existing.pk)
        support_request.status = SupportRequest.Status.AWAITING_DECISION
        support_request.version += 1
        support_request.decision_due = decision_due_from(timezone.localdate())
        support_request.save()
        audit.record(request, "assessment.resubmitted", assessment, user=by)
    notifications.new_item_for_hub(support_request)
    return support_request


# --- Parents' requests ----------------------------------------------------------------------


def too_many_requests_from(sender: str) -> bool:
    hour_ago = timezone.now() - timezone.timedelta(hours=1)
    recent = FamilyRequest.objects.filter(sender_hash=sender, created_at__gte=hour_ago)
    return recent.count() >= settings.FAMILY_REQUESTS_PER_HOUR


@transaction.atomic
def submit_family_request(
    *, data: dict, submission_key, request: HttpRequest | None = None
) -> FamilyRequest:
    """Put a parent's request in the queue of the hub that covers their postcode.

    ``submission_key`` comes from the form: a second send of the same form (a double click, a
    refresh) returns the request the first one made.
    """
    existing = (
        FamilyRequest.objects.select_related("support_request__hub")
        .filter(submission_key=submission_key)
        .first()
    )
    if existing is not None:
        return existing
    hub, routing = route(data["postcode"])
    support_request = SupportRequest.objects.create(
        kind=SupportRequest.Kind.FAMILY_REQUEST,
        reference=next_reference(),
        hub=hub,
        routing=routing,
        source=Source.FAMILY,
        received_at=timezone.now(),
        decision_due=decision_due_from(timezone.localdate()),
    )
    family_request = FamilyRequest(
        support_request=support_request,
        submission_key=submission_key,
        sender_hash=sender_hash(audit.client_ip(request)),
        asked_in=get_language() or "",
        **data,
    )
    family_request.full_clean()
    family_request.save()
    audit.record(request, "familyrequest.created", family_request)
    notifications.new_item_for_hub(support_request)
    return family_request


# --- Tell it once ---------------------------------------------------------------------------


def lookups_this_hour(user: User) -> int:
    """Tell-it-once searches this person made in the last hour (each one is audited)."""
    from earlyhelp.models import AuditEvent

    hour_ago = timezone.now() - timezone.timedelta(hours=1)
    return AuditEvent.objects.filter(
        actor=user, action="family.looked_up", at__gte=hour_ago
    ).count()


def may_look_up(user: User, request: HttpRequest | None = None) -> bool:
    """Under FAMILY_LOOKUPS_PER_HOUR; the search that reaches the limit is flagged to
    administrators (unusual volume), once, and later ones are refused and audited."""
    done = lookups_this_hour(user)
    if done < settings.FAMILY_LOOKUPS_PER_HOUR:
        return True
    audit.record(request, "family.lookup_refused", None, user=user, this_hour=done)
    return False


def flag_unusual_lookups(user: User) -> None:
    if lookups_this_hour(user) == settings.FAMILY_LOOKUPS_PER_HOUR:
        notifications.unusual_lookups(user, settings.FAMILY_LOOKUPS_PER_HOUR)


OPEN_STATUSES = [
    SupportRequest.Status.AWAITING_DECISION,
    SupportRequest.Status.MORE_INFORMATION,
]


@dataclass(frozen=True)
class OpenRecord:
    """What a practitioner may learn about another open record: who to talk to, nothing more."""

    hub: Hub | None
    status: str
    lead_practitioner: User | None


def find_open_records(
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    by: User,
    request: HttpRequest | None = None,
) -> list[OpenRecord]:
    """Open early help records for a child, matched on date of birth, first name and surname.

    Names compare without case or accents. The surname is always needed: matching on first name
    and postcode let anyone step through dates of birth to find a child (issue 14). Every look-up
    is audited, with the records it found.
    """
    name = Q(first_name__unaccent__iexact=first_name.strip()) & Q(
        last_name__unaccent__iexact=last_name.strip()
    )
    open_request = Q(assessed_in__support_request__status__in=OPEN_STATUSES) | Q(
        assessed_in__support_request__episode__status__in=[
            Episode.Status.FORMING,
            Episode.Status.ACTIVE,
        ]
    )
    people = Person.objects.filter(name, open_request, date_of_birth=date_of_birth)
    requests = (
        SupportRequest.objects.filter(assessment__subjects__in=people)
        .select_related("hub", "episode__lead_practitioner")
        .distinct()
    )
    found = []
    for support_request in requests:
        episode = getattr(support_request, "episode", None)
        found.append(
            OpenRecord(
                hub=support_request.hub,
                status=support_request.get_status_display(),
                lead_practitioner=episode.lead_practitioner if episode else None,
            )
        )
        audit.record(request, "supportrequest.matched_in_lookup", support_request, user=by)
    audit.record(request, "family.looked_up", None, user=by, matches=len(found))
    return found


# --- Front door decisions -------------------------------------------------------------------


class AlreadyDecided(Exception):
    """Someone else changed the request after this page was loaded."""

    def __init__(self, support_request: SupportRequest):
        super().__init__(support_request.reference)
        self.support_request = support_request
        self.latest = support_request.decisions.select_related("decided_by").first()


@transaction.atomic
def decide(
    *,
    support_request_id,
    seen_version: int,
    by: User,
    kind: str,
    reason: str,
    lead_practitioner: User | None = None,
    to_hub: Hub | None = None,
    services=(),
    level_of_need: str = "",
    contact_outcome: str = "",
    request: HttpRequest | None = None,
) -> Decision:
    """Record a front door decision. Exactly one decision stands for each version of a request.

    The row lock makes a second manager wait for the first; they then see a newer version and
    get AlreadyDecided, with the decision that beat them.
    """
    support_request = (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("hub")
        .get(pk=support_request_id)
    )
    if (
        support_request.version != seen_version
        or support_request.status != SupportRequest.Status.AWAITING_DECISION
    ):
        raise AlreadyDecided(support_request)
    if kind == Decision.Kind.ALLOCATE and records.waiting_children(support_request.family):
        raise ValidationError(
            "Check the children's records first: link each child to their record or confirm "
            "they are new"
        )
    now = timezone.now()
    decision = Decision(
        support_request=support_request,
        kind=kind,
        reason=reason,
        level_of_need=level_of_need,
        contact_outcome=contact_outcome if kind == Decision.Kind.CONTACT_FAMILY else "",
        decided_by=by,
        decided_at=now,
        lead_practitioner=lead_practitioner if kind == Decision.Kind.ALLOCATE else None,
        from_hub=support_request.hub,
        to_hub=to_hub if kind == Decision.Kind.TRANSFER else None,
        on_version=support_request.version,
    )
    decision.full_clean()
    decision.save()
    if kind == Decision.Kind.SIGNPOST:
        decision.services.set(services)

    status = {
        Decision.Kind.ALLOCATE: SupportRequest.Status.ALLOCATED,
        Decision.Kind.MORE_INFORMATION: SupportRequest.Status.MORE_INFORMATION,
        Decision.Kind.STEP_UP: SupportRequest.Status.STEPPED_UP,
        Decision.Kind.SIGNPOST: SupportRequest.Status.SIGNPOSTED,
        Decision.Kind.TRANSFER: SupportRequest.Status.AWAITING_DECISION,
        Decision.Kind.CONTACT_FAMILY: SupportRequest.Status.AWAITING_DECISION,
    }[kind]
    support_request.status = status
    support_request.version += 1
    if kind == Decision.Kind.TRANSFER:
        support_request.hub = to_hub
        support_request.routing = SupportRequest.Routing.TRANSFERRED
        support_request.decision_due = decision_due_from(timezone.localdate())
    support_request.save()
    if kind == Decision.Kind.ALLOCATE:
        from referrals.episodes import open_from_allocation

        open_from_allocation(
            support_request, lead=lead_practitioner, by=by, now=now, level_of_need=level_of_need
        )
    audit.record(request, "supportrequest.decided", support_request, user=by, decision=kind)
    notifications.decision_made(decision)
    return decision


# --- Contacts that hub staff record ---------------------------------------------------------


@transaction.atomic
def record_contact(
    *,
    kind: str,
    hub: Hub,
    source: str,
    contact: dict,
    family: dict,
    children: list[dict],
    adults: list[dict],
    by: User,
    request: HttpRequest | None = None,
    received_at=None,
    is_sample: bool = False,
) -> SupportRequest:
    """A step-down, a MASH step-across or a phone call, put on the family's record.

    The contact's people are recorded as a Family (what was said then) and go through matching.
    A phone call or step-across waits at the hub's front door like any other contact; a
    step-down is allocated by ``episodes.step_down`` straight after.
    """
    received_at = received_at or timezone.now()
    recorded_family = Family.objects.create(**family)
    for details in children:
        Person.objects.create(family=recorded_family, **details)
    for details in adults:
        Person.objects.create(family=recorded_family, **details)
    support_request = SupportRequest.objects.create(
        kind=kind,
        reference=next_reference(timezone.localdate(received_at)),
        hub=hub,
        routing=SupportRequest.Routing.COVERED,
        source=source,
        family=recorded_family,
        submitted_by=by,
        received_at=received_at,
        decision_due=decision_due_from(timezone.localdate(received_at)),
        is_sample=is_sample,
    )
    recorded = RecordedContact(support_request=support_request, recorded_by=by, **contact)
    recorded.full_clean()
    recorded.save()
    records.match_family(recorded_family, request=request, by=by)
    support_request.refresh_from_db()
    support_request.previous_episode = records.previous_episode_for_contact(support_request)
    support_request.save(update_fields=["previous_episode"])
    audit.record(request, "supportrequest.recorded", support_request, user=by, kind=kind)
    if kind != SupportRequest.Kind.STEP_DOWN:
        notifications.new_item_for_hub(support_request)
    return support_request


@transaction.atomic
def add_child_to_contact(
    support_request: SupportRequest, *, details: dict, by: User, request=None
) -> Person:
    """Hub staff add a child they learned about (from a parent's request, after speaking to
    the family) so that the child goes through matching before allocation."""
    if support_request.family_id is None:
        family_request = getattr(support_request, "family_request", None)
        family = Family.objects.create(
            postcode=family_request.postcode if family_request else "",
            home_language=family_request.language if family_request else "",
            interpreter_needed=family_request.interpreter_needed if family_request else None,
        )
        SupportRequest.objects.filter(pk=support_request.pk).update(family=family)
        support_request.family = family
    person = Person.objects.create(family=support_request.family, **details)
    records.match_family(support_request.family, request=request, by=by)
    audit.record(request, "person.added", person, user=by)
    return person
