"""The Team Around the Family: episodes, the team, the family plan, meetings and reviews,
closure, step up and step down, and connection requests to directory services.

Reads are scoped to the user in the query (``episodes_for``); every change goes through a
function here, which writes the episode's timeline and the audit trail.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Agency
from earlyhelp import audit
from referrals.models import (
    Action,
    ActionNote,
    Assessment,
    ConnectionRequest,
    Consent,
    Decision,
    Episode,
    EpisodeEvent,
    Family,
    FamilyFeedback,
    Meeting,
    Outcome,
    OutcomeProgress,
    Person,
    SupportRequest,
    TeamMember,
)
from referrals.workingdays import add_working_days

OPEN = [Episode.Status.FORMING, Episode.Status.ACTIVE]
EVERY = "referrals.view_every_episode"


# --- Who sees what ------------------------------------------------------------------------------


def episodes_for(user) -> QuerySet[Episode]:
    """Episodes this person may see: as lead practitioner, a current team member, a manager of
    the episode's hub, or an administrator. Decided in the query, never after it."""
    episodes = Episode.objects.all()
    if user.has_perm(EVERY):
        return episodes
    member = TeamMember.objects.filter(user=user, removed_at=None).values("episode")
    return episodes.filter(
        Q(lead_practitioner=user) | Q(pk__in=member) | Q(hub__managers=user)
    ).distinct()


def get_episode_for(user, pk, *, request=None, action="episode.viewed", must_lead=False) -> Episode:
    """The episode if this person may see it (else 404); with ``must_lead``, only if they run
    it and it is open (else 403). The view is audited once those checks have passed."""
    episode = (
        episodes_for(user)
        .select_related("hub", "lead_practitioner", "family", "support_request")
        .filter(pk=pk)
        .first()
    )
    if episode is None:
        raise Http404
    if must_lead:
        require_lead(user, episode)
        require_open(episode)
    if action:
        audit.record(request, action, episode, user=user)
    return episode


def leads(user, episode: Episode) -> bool:
    """The lead practitioner, the hub's managers and administrators run the episode: change the
    team, the plan and any action, record meetings, close it."""
    return (
        episode.lead_practitioner_id == user.pk
        or user.has_perm(EVERY)
        or episode.hub.managers.filter(pk=user.pk).exists()
    )


def require_lead(user, episode: Episode) -> None:
    if not leads(user, episode):
        raise PermissionDenied


def require_open(episode: Episode) -> None:
    if not episode.is_open:
        raise PermissionDenied


def may_update(user, action: Action, episode: Episode) -> bool:
    """Members update their own actions; the lead practitioner updates any."""
    own = action.owner_member_id is not None and action.owner_member.user_id == user.pk
    return own or leads(user, episode)


# --- Timeline -----------------------------------------------------------------------------------


def event(episode: Episode, kind: str, summary: str, *, by=None, at=None) -> EpisodeEvent:
    return EpisodeEvent.objects.create(
        episode=episode, kind=kind, summary=summary[:300], actor=by, at=at or timezone.now()
    )


# --- Opening ------------------------------------------------------------------------------------


def first_meeting_due(opened: date) -> date:
    return add_working_days(opened, settings.TAF_FIRST_MEETING_WORKING_DAYS)


def _outcomes_from(assessment: Assessment | None, episode: Episode) -> None:
    if assessment is None:
        return
    for need in assessment.needs.all():
        Outcome.objects.create(
            episode=episode, area=need.area, goal=need.detail, descriptors=need.descriptors
        )


def check_lead(lead, family) -> None:
    """The lead practitioner must be able to see episodes, and not be someone the family said
    must not see their information (raises ValidationError saying which)."""
    if not lead.has_perm("referrals.view_episode"):
        raise ValidationError(f"{lead} cannot lead an early help episode: choose a practitioner")
    if family is not None:
        probe = Episode(family=family)
        if reasons := must_not_see_reasons(probe, lead):
            raise ValidationError(
                f"{lead} cannot lead this family's episode: {reasons[0]}. Choose someone else."
            )


def _open(
    *, support_request, family, hub, lead, by, origin, reason="", now=None, level_of_need=""
) -> Episode:
    check_lead(lead, family)
    now = now or timezone.now()
    has_assessment = support_request is not None and (
        support_request.kind == SupportRequest.Kind.ASSESSMENT
    )
    episode = Episode.objects.create(
        support_request=support_request,
        family=family,
        household=family.household if family is not None else None,
        hub=hub,
        lead_practitioner=lead,
        origin=origin,
        origin_reason=reason,
        opened_at=now,
        first_meeting_due=first_meeting_due(timezone.localdate(now)),
        assessment_due=None
        if has_assessment
        else add_working_days(timezone.localdate(now), settings.ASSESSMENT_DUE_WORKING_DAYS),
        review_weeks=settings.TAF_REVIEW_WEEKS,
        level_of_need=level_of_need,
        is_sample=getattr(support_request, "is_sample", False),
    )
    TeamMember.objects.create(
        episode=episode, user=lead, role_in_team="Lead practitioner", added_by=by
    )
    return episode


def open_from_allocation(
    support_request: SupportRequest, *, lead, by, now=None, level_of_need=""
) -> Episode:
    """Called by the front door's "allocate" decision, inside its transaction."""
    assessment = Assessment.objects.filter(support_request=support_request).first()
    family = support_request.family or (assessment.family if assessment else None)
    episode = _open(
        support_request=support_request,
        family=family,
        hub=support_request.hub,
        lead=lead,
        by=by,
        origin=Episode.Origin.ALLOCATION,
        now=now,
        level_of_need=level_of_need,
    )
    _outcomes_from(assessment, episode)
    if assessment and assessment.submitted_at:
        event(
            episode,
            "assessment",
            f"Assessment {support_request.reference} sent by {assessment.author}",
            by=assessment.author,
            at=assessment.submitted_at,
        )
    earlier = support_request.decisions.exclude(kind="allocate").select_related("decided_by")
    for decision in earlier:  # more information asked, transfers
        event(
            episode,
            "decision",
            f"Front door: {decision.get_kind_display().lower()}",
            by=decision.decided_by,
            at=decision.decided_at,
        )
    event(
        episode,
        "allocated",
        f"Allocated at the front door; {lead} is lead practitioner",
        by=by,
        at=now,
    )
    return episode


@transaction.atomic
def step_down(
    *, support_request: SupportRequest, lead, reason: str, by, level_of_need="", request=None
) -> Episode:
    """A hub manager takes a family stepped down from children's social care: the recorded
    contact is allocated at once (a decision on the record) and a new episode opens. No earlier
    assessment is needed; the lead practitioner's assessment falls due."""
    now = timezone.now()
    Decision.objects.create(
        support_request=support_request,
        kind=Decision.Kind.ALLOCATE,
        reason=reason,
        level_of_need=level_of_need,
        decided_by=by,
        decided_at=now,
        lead_practitioner=lead,
        from_hub=support_request.hub,
        on_version=support_request.version,
    )
    SupportRequest.objects.filter(pk=support_request.pk).update(
        status=SupportRequest.Status.ALLOCATED, version=support_request.version + 1
    )
    episode = _open(
        support_request=support_request,
        family=support_request.family,
        hub=support_request.hub,
        lead=lead,
        by=by,
        origin=Episode.Origin.STEP_DOWN,
        reason=reason,
        now=now,
        level_of_need=level_of_need,
    )
    handover = support_request.recorded_contact
    summary = f"Stepped down from children's social care; {lead} is lead practitioner"
    if handover.transfer_meeting_on:
        summary += f"; transfer meeting {handover.transfer_meeting_on:%-d %B %Y}"
    event(episode, "stepped_down", summary, by=by, at=now)
    audit.record(request, "episode.opened_by_step_down", episode, user=by)
    from referrals import notifications

    notifications.episode_allocated(episode)
    return episode


# --- The lead practitioner's assessment within an episode ---------------------------------------


@transaction.atomic
def start_assessment(episode: Episode, *, by, request=None) -> Assessment:
    """The lead practitioner starts the family's assessment from the episode, pre-filled from
    the contact: its people, postcode and language, or a parent's own request."""
    require_lead(by, episode)
    require_open(episode)
    draft = episode.assessments.filter(submitted_at=None, author=by).first()
    if draft is not None:
        return draft
    family = episode.family
    if family is None or Assessment.objects.filter(family=family).exists():
        family = _family_copy(episode)
    assessment = Assessment.objects.create(
        author=by,
        episode=episode,
        family=family,
        assessor_role=by.job_title,
        assessor_organisation=by.agency_label,
        assessor_phone=by.work_phone,
    )
    if episode.support_request_id and hasattr(episode.support_request, "family_request"):
        assessment.reason = episode.support_request.family_request.worries
        assessment.save(update_fields=["reason"])
    event(episode, "assessment", "Early help assessment started", by=by)
    audit.record(request, "assessment.started", assessment, user=by, episode=str(episode.pk))
    return assessment


def _family_copy(episode: Episode) -> Family:
    """A new family record for the assessment, with what the episode already knows."""
    source = episode.family
    family_request = (
        getattr(episode.support_request, "family_request", None)
        if episode.support_request_id
        else None
    )
    family = Family.objects.create(
        household=episode.household,
        address_line_1=source.address_line_1 if source else "",
        address_line_2=source.address_line_2 if source else "",
        town=source.town if source else "",
        postcode=source.postcode if source else (family_request.postcode if family_request else ""),
        home_language=source.home_language
        if source
        else (family_request.language if family_request else ""),
        interpreter_needed=source.interpreter_needed
        if source
        else (family_request.interpreter_needed if family_request else None),
    )
    if source is not None:
        for person in source.people.all():
            person.pk = None
            person.id = None
            person.family = family
            person.save()
    elif family_request is not None:
        first, _, last = family_request.name.strip().partition(" ")
        Person.objects.create(
            family=family,
            first_name=first or family_request.name,
            last_name=last or "(not given)",
            role=Person.Role.PARENT,
            relationship=family_request.get_relationship_display(),
            parental_responsibility=family_request.relationship == "parent",
        )
    return family


@transaction.atomic
def complete_assessment(assessment: Assessment, *, by, request=None) -> Assessment:
    """The lead practitioner's assessment is done: it joins the episode (no front door), the
    family's children go through matching, and its needs become the plan's outcomes when the
    plan has none yet."""
    from referrals import records
    from referrals.services import submission_problems

    assessment = Assessment.objects.select_for_update(of=("self",)).get(pk=assessment.pk)
    episode = assessment.episode
    if episode is None or assessment.author_id != by.pk:
        raise PermissionDenied
    if assessment.submitted_at is not None:
        return assessment
    problems = submission_problems(assessment)
    if problems:
        raise ValidationError([p.message for p in problems])
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["submitted_at", "updated_at"])
    family = assessment.family
    if family.household_id is None and episode.household_id:
        Family.objects.filter(pk=family.pk).update(household=episode.household_id)
        family.household_id = episode.household_id
    records.match_family(family, request=request, by=by)
    family.refresh_from_db()
    updates = {"assessment_completed_at": assessment.submitted_at}
    if episode.family_id is None:
        updates["family"] = family
    if episode.household_id is None and family.household_id:
        updates["household"] = family.household_id
    Episode.objects.filter(pk=episode.pk).update(**updates)
    if episode.support_request_id:
        SupportRequest.objects.filter(pk=episode.support_request_id, family=None).update(
            family=family, household=family.household_id
        )
    if episode.is_open and not episode.outcomes.exists():
        _outcomes_from(assessment, episode)
    event(episode, "assessment", "Early help assessment completed", by=by)
    audit.record(request, "assessment.completed", assessment, user=by)
    return assessment


# --- The team -----------------------------------------------------------------------------------


class MustNotSee(Exception):
    """The family said this agency (or person) must not see the information."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def consents_of(episode: Episode) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(assessment__family=episode.family)
        if episode.family_id
        else (Consent.objects.none())
    )


def must_not_see_reasons(episode: Episode, user) -> list[str]:
    """Why the family would not want this person to see their information, if they said so."""
    reasons = []
    for consent in consents_of(episode).select_related("person"):
        if user.agency in consent.must_not_see_agencies:
            reasons.append(
                f"{consent.person.first_name}'s consent says {user.get_agency_display()} must not "
                "see the information"
            )
        text = consent.must_not_see.lower()
        named = [n for n in (user.organisation_name, user.get_full_name()) if n]
        if text and any(n.lower() in text for n in named):
            reasons.append(
                f"{consent.person.first_name}'s consent names them: “{consent.must_not_see}”"
            )
    return reasons


@transaction.atomic
def add_member(episode: Episode, user, *, role: str, by, override_reason: str = "", request=None):
    require_lead(by, episode)
    require_open(episode)
    if not user.has_perm("referrals.view_episode"):
        raise ValidationError(
            f"{user} cannot see early help episodes. Ask an administrator to give them the "
            "practitioner role, or invite them with a different email address."
        )
    if TeamMember.objects.filter(episode=episode, user=user, removed_at=None).exists():
        raise ValidationError(f"{user} is already in the team")
    reasons = must_not_see_reasons(episode, user)
    if reasons and not override_reason.strip():
        raise MustNotSee(reasons)
    member = TeamMember.objects.create(
        episode=episode,
        user=user,
        role_in_team=role,
        added_by=by,
        override_reason=override_reason.strip() if reasons else "",
    )
    summary = f"{user} ({user.agency_label}) joined the team"
    if reasons:
        summary += " (the family's objection overridden, reason recorded)"
        audit.record(
            request, "episode.must_not_see_overridden", episode, user=by, member=str(member.pk)
        )
    event(episode, "member_added", summary, by=by)
    audit.record(request, "episode.member_added", episode, user=by, member=str(member.pk))
    from referrals import notifications

    notifications.added_to_team(member)
    return member


@transaction.atomic
def invite_and_add(episode, *, data: dict, role: str, by, override_reason="", request=None):
    """An external contact: make them an account (an invitation email to set a password, after
    an administrator's approval unless they are at a partner agency) and add them to the team."""
    from accounts import roles
    from accounts.models import User
    from accounts.services import invite_user, on_agency_allowlist

    require_lead(by, episode)
    if (
        User.objects.filter(email__iexact=data["email"])
        .exclude(pk__in=User.objects.of_council().values("pk"))
        .exists()
    ):
        # Staff work for one council: another council's account cannot join this team.
        raise PermissionDenied
    existing = User.objects.of_council().filter(email__iexact=data["email"]).first()
    if existing is not None:
        user = existing
    else:
        probe = User(**data)
        reasons = must_not_see_reasons(episode, probe)
        if reasons and not override_reason.strip():
            raise MustNotSee(reasons)
        # Only administrators make accounts: someone outside the council's partner agencies
        # waits for one to approve (until then no invitation is sent).
        user = invite_user(
            data=data,
            role=roles.PRACTITIONER,
            managed_hubs=[],
            by=by,
            request=request,
            approved=on_agency_allowlist(data["email"]),
        )
    return add_member(
        episode, user, role=role, by=by, override_reason=override_reason, request=request
    )


@transaction.atomic
def remove_member(episode: Episode, member: TeamMember, *, by, request=None) -> None:
    require_lead(by, episode)
    require_open(episode)
    if member.user_id == episode.lead_practitioner_id:
        raise ValidationError("Hand over to another lead practitioner first")
    member.removed_at = timezone.now()
    member.save(update_fields=["removed_at"])
    event(episode, "member_removed", f"{member.user} left the team", by=by)
    audit.record(request, "episode.member_removed", episode, user=by, member=str(member.pk))


@transaction.atomic
def hand_over(episode: Episode, new_lead, *, reason: str, by, request=None) -> Episode:
    require_lead(by, episode)
    require_open(episode)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    old = episode.lead_practitioner
    if new_lead.pk == old.pk:
        raise ValidationError("They are already the lead practitioner")
    check_lead(new_lead, episode.family)
    episode.lead_practitioner = new_lead
    episode.save(update_fields=["lead_practitioner"])
    if not TeamMember.objects.filter(episode=episode, user=new_lead, removed_at=None).exists():
        TeamMember.objects.create(
            episode=episode, user=new_lead, role_in_team="Lead practitioner", added_by=by
        )
    event(
        episode,
        "handover",
        f"Lead practitioner handed over from {old} to {new_lead}: {reason}",
        by=by,
    )
    audit.record(request, "episode.lead_changed", episode, user=by)
    from referrals import notifications

    notifications.episode_allocated(episode)
    return episode


def current_members(episode: Episode) -> QuerySet[TeamMember]:
    return episode.members.filter(removed_at=None).select_related("user")


# --- The plan -----------------------------------------------------------------------------------


@transaction.atomic
def add_outcome(episode: Episode, *, area: str, goal: str, by, request=None) -> Outcome:
    require_lead(by, episode)
    require_open(episode)
    outcome = Outcome.objects.create(episode=episode, area=area, goal=goal)
    event(episode, "plan", f"Outcome added: {outcome.get_area_display()}", by=by)
    audit.record(request, "episode.outcome_added", episode, user=by)
    return outcome


@transaction.atomic
def add_action(
    outcome: Outcome,
    *,
    what,
    owner_member=None,
    owner_person=None,
    due_on,
    by,
    meeting=None,
    request=None,
) -> Action:
    episode = outcome.episode
    require_lead(by, episode)
    require_open(episode)
    action = Action.objects.create(
        outcome=outcome,
        what=what,
        owner_member=owner_member,
        owner_person=owner_person,
        due_on=due_on,
        meeting=meeting,
    )
    event(episode, "plan", f"Action added for {action.owner_name}, by {due_on:%-d %B %Y}", by=by)
    audit.record(request, "episode.action_added", episode, user=by, action_id=str(action.pk))
    return action


@transaction.atomic
def update_action(action: Action, *, status: str, note: str, by, request=None) -> Action:
    episode = action.outcome.episode
    if not may_update(by, action, episode):
        raise PermissionDenied
    require_open(episode)
    action = Action.objects.select_for_update().get(pk=action.pk)
    before = action.get_status_display()
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    ActionNote.objects.create(action=action, author=by, status=status, text=note)
    event(
        episode,
        "action_updated",
        f"Action for {action.owner_name}: {before} → {action.get_status_display()}",
        by=by,
    )
    audit.record(request, "episode.action_updated", episode, user=by, action_id=str(action.pk))
    return action


def plan(episode: Episode) -> QuerySet[Outcome]:
    actions = Action.objects.select_related("owner_member__user", "owner_person").prefetch_related(
        Prefetch("notes", queryset=ActionNote.objects.select_related("author")),
        Prefetch("connections", queryset=ConnectionRequest.objects.select_related("service")),
    )
    return episode.outcomes.prefetch_related(Prefetch("actions", queryset=actions))


def participants(episode: Episode) -> list[Person]:
    """The family's members, who take part without accounts."""
    if not episode.family_id:
        return []
    return list(episode.family.people.select_related("child"))


# --- Meetings and reviews -----------------------------------------------------------------------


@dataclass
class Due:
    label: str
    on: date

    @property
    def overdue(self) -> bool:
        return self.on < timezone.localdate()


_UNKNOWN = object()


def next_due(episode: Episode, last_meeting=_UNKNOWN) -> Due | None:
    """The first TAF meeting until it is held, then a review every ``review_weeks`` weeks.
    ``last_meeting``: the date of the latest meeting (None: none yet), if the caller knows it."""
    if not episode.is_open:
        return None
    if last_meeting is _UNKNOWN:
        last_meeting = episode.meetings.aggregate(last=Max("held_on"))["last"]
    if last_meeting is None:
        return Due("First TAF meeting", episode.first_meeting_due)
    return Due("Review", last_meeting + timedelta(weeks=episode.review_weeks))


@transaction.atomic
def record_meeting(episode: Episode, *, data: dict, progress: dict, by, request=None) -> Meeting:
    """Record a meeting; ``progress`` maps outcome ids to ratings (reviews only)."""
    require_lead(by, episode)
    require_open(episode)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    first = not episode.meetings.exists()
    kind = Meeting.Kind.FIRST if first else Meeting.Kind.REVIEW
    attendees = data.pop("attendees", [])
    apologies = data.pop("apologies", [])
    family_attendees = data.pop("family_attendees", [])
    meeting = Meeting.objects.create(episode=episode, kind=kind, recorded_by=by, **data)
    meeting.attendees.set(attendees)
    meeting.apologies.set(apologies)
    meeting.family_attendees.set(family_attendees)
    for outcome_id, rating in progress.items():
        OutcomeProgress.objects.create(meeting=meeting, outcome_id=outcome_id, rating=rating)
    if first and episode.status == Episode.Status.FORMING:
        episode.status = Episode.Status.ACTIVE
        episode.save(update_fields=["status"])
    summary = f"{meeting.get_kind_display()} held on {meeting.held_on:%-d %B %Y}"
    if meeting.next_step:
        summary += f"; decided: {meeting.get_next_step_display().lower()}"
    event(episode, "meeting", summary, by=by)
    audit.record(request, "episode.meeting_recorded", episode, user=by, kind=kind)
    return meeting


@transaction.atomic
def set_review_weeks(episode: Episode, weeks: int, *, by, request=None) -> None:
    require_lead(by, episode)
    Episode.objects.filter(pk=episode.pk).update(review_weeks=weeks)
    event(episode, "review_interval", f"Reviews every {weeks} weeks", by=by)
    audit.record(request, "episode.review_interval_changed", episode, user=by, weeks=weeks)


# --- Closure and step up ------------------------------------------------------------------------


def closure_review(episode: Episode) -> dict:
    """What a hub manager sees before signing off a closure: open and overdue actions, and
    each outcome with the result asked for."""
    today = timezone.localdate()
    actions = list(
        Action.objects.filter(
            outcome__episode=episode,
            status__in=[Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS],
        ).select_related("outcome", "owner_member__user", "owner_person")
    )
    results = episode.closure_results or {}
    outcomes = [
        (
            outcome,
            Outcome.Result(results[str(outcome.pk)]).label if results.get(str(outcome.pk)) else "",
        )
        for outcome in episode.outcomes.all()
    ]
    return {
        "open_actions": actions,
        "overdue_actions": [a for a in actions if a.due_on < today],
        "closure_outcomes": outcomes,
        "opened_days_ago": (today - timezone.localdate(episode.opened_at)).days,
        "meetings_held": episode.meetings.count(),
    }


def may_sign_off(user, episode: Episode) -> bool:
    """Hub managers of the episode's hub and administrators sign off closures."""
    return user.has_perm(EVERY) or (
        user.has_perm("referrals.add_episode") and episode.hub.managers.filter(pk=user.pk).exists()
    )


@transaction.atomic
def request_closure(
    episode: Episode,
    *,
    reason: str,
    results: dict,
    summary: str,
    moving_on_contacts: str,
    moving_on_if_worse: str,
    level_of_need: str = "",
    by,
    request=None,
) -> Episode:
    """The lead practitioner asks to close. A hub manager (or administrator) closing it
    themselves signs it off at once; anyone else's request waits for a manager's sign-off."""
    require_lead(by, episode)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if not episode.is_open:
        raise ValidationError("This episode is already closed")
    episode.closure_reason = reason
    episode.closure_results = results
    episode.closure_summary = summary
    episode.moving_on_contacts = moving_on_contacts
    episode.moving_on_if_worse = moving_on_if_worse
    episode.closure_level_of_need = level_of_need
    episode.closure_requested_at = timezone.now()
    episode.closure_requested_by = by
    episode.save()
    audit.record(request, "episode.closure_requested", episode, user=by, reason=reason)
    if may_sign_off(by, episode):
        return sign_off_closure(episode, approve=True, note="", by=by, request=request)
    event(episode, "closure_requested", "Closure asked for: waiting for a hub manager", by=by)
    from referrals import notifications

    notifications.closure_requested(episode)
    return episode


@transaction.atomic
def sign_off_closure(episode: Episode, *, approve: bool, note: str, by, request=None) -> Episode:
    """A hub manager approves the closure (the episode closes, achieved outcomes start their
    sustainment period) or sends it back to the lead practitioner with a note."""
    from referrals.framework import framework

    if not may_sign_off(by, episode):
        raise PermissionDenied
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if not episode.awaiting_sign_off:
        raise ValidationError("There is no closure waiting for sign-off")
    if not approve:
        episode.closure_requested_at = None
        episode.closure_requested_by = None
        episode.save(update_fields=["closure_requested_at", "closure_requested_by"])
        event(episode, "closure_returned", f"Closure sent back: {note}", by=by)
        audit.record(request, "episode.closure_returned", episode, user=by)
        return episode
    today = timezone.localdate()
    results = episode.closure_results or {}
    for outcome in episode.outcomes.all():
        if str(outcome.pk) in results:
            outcome.result = results[str(outcome.pk)]
            if outcome.result == Outcome.Result.ACHIEVED:
                outcome.sustain_check_due = framework().sustain_check_due(
                    today, outcome.descriptors
                )
            outcome.save(update_fields=["result", "sustain_check_due"])
    episode.status = Episode.Status.CLOSED
    episode.closed_at = timezone.now()
    episode.closure_signed_off_by = by
    episode.save()
    FamilyFeedback.objects.get_or_create(
        episode=episode,
        defaults={
            "token_hash": _token_hash(_new_token()),
            "link_expires_at": timezone.now() + timedelta(days=settings.FEEDBACK_LINK_DAYS),
        },
    )
    event(
        episode,
        "closed",
        f"Closed: {episode.get_closure_reason_display()} (signed off by {by})",
        by=by,
    )
    audit.record(request, "episode.closed", episode, user=by, reason=episode.closure_reason)
    return episode


@transaction.atomic
def close(
    episode: Episode,
    *,
    reason: str,
    results: dict,
    summary: str,
    by,
    request=None,
    step_up_reason: str = "",
) -> Episode:
    """Close at once, with no sign-off: used by a step up, which cannot wait."""
    require_lead(by, episode)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if not episode.is_open:
        raise ValidationError("This episode is already closed")
    for outcome in episode.outcomes.all():
        if str(outcome.pk) in results:
            outcome.result = results[str(outcome.pk)]
            outcome.save(update_fields=["result"])
    episode.status = Episode.Status.CLOSED
    episode.closed_at = timezone.now()
    episode.closure_reason = reason
    episode.closure_summary = summary
    episode.step_up_reason = step_up_reason
    episode.save()
    event(episode, "closed", f"Closed: {episode.get_closure_reason_display()}", by=by)
    audit.record(request, "episode.closed", episode, user=by, reason=reason)
    return episode


def step_up(episode: Episode, *, reason: str, by, request=None) -> Episode:
    return close(
        episode,
        reason=Episode.ClosureReason.STEPPED_UP,
        results={},
        summary=reason,
        step_up_reason=reason,
        by=by,
        request=request,
    )


@transaction.atomic
def record_mash_outcome(episode: Episode, *, outcome: str, on: date, by, request=None) -> Episode:
    """What the MASH decided after a step up."""
    require_lead(by, episode)
    if episode.closure_reason != Episode.ClosureReason.STEPPED_UP:
        raise ValidationError("Only a stepped-up episode has a MASH outcome")
    Episode.objects.filter(pk=episode.pk).update(mash_outcome=outcome, mash_outcome_on=on)
    episode.mash_outcome, episode.mash_outcome_on = outcome, on
    event(episode, "mash_outcome", f"MASH outcome: {episode.get_mash_outcome_display()}", by=by)
    audit.record(request, "episode.mash_outcome_recorded", episode, user=by, outcome=outcome)
    return episode


# --- Family feedback ----------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def new_feedback_link(episode: Episode, *, by, request=None) -> str:
    """A fresh one-time link for the family's feedback (any earlier link stops working). Only
    its hash is stored, so the link is shown once, to the lead practitioner."""
    require_lead(by, episode)
    if episode.is_open:
        raise ValidationError("Ask for feedback once the episode is closed")
    token = _new_token()
    feedback, _ = FamilyFeedback.objects.get_or_create(
        episode=episode,
        defaults={"token_hash": _token_hash(token), "link_expires_at": timezone.now()},
    )
    if feedback.is_given:
        raise ValidationError("The family has already given feedback")
    feedback.token_hash = _token_hash(token)
    feedback.link_expires_at = timezone.now() + timedelta(days=settings.FEEDBACK_LINK_DAYS)
    feedback.save(update_fields=["token_hash", "link_expires_at"])
    audit.record(request, "episode.feedback_link_made", episode, user=by)
    return token


def feedback_for_token(token: str) -> FamilyFeedback | None:
    """The feedback a one-time link is for, if the link is current and not yet used."""
    if not token or len(token) > 100:
        return None
    return (
        FamilyFeedback.objects.filter(
            token_hash=_token_hash(token), given_at=None, link_expires_at__gt=timezone.now()
        )
        .select_related("episode__hub")
        .first()
    )


@transaction.atomic
def record_feedback(episode: Episode, *, data: dict, by, request=None):
    """What the family told the lead practitioner in person or on paper (any closed episode,
    a stepped-up one included, which has had no link yet)."""
    require_lead(by, episode)
    if episode.is_open:
        raise ValidationError("Record feedback once the episode is closed")
    feedback, _ = FamilyFeedback.objects.get_or_create(
        episode=episode,
        defaults={"token_hash": _token_hash(_new_token()), "link_expires_at": timezone.now()},
    )
    return give_feedback(feedback, data=data, by=by, request=request)


@transaction.atomic
def give_feedback(feedback: FamilyFeedback, *, data: dict, by=None, request=None):
    """The family's answers, through their link (``by`` None) or told to the lead."""
    feedback = FamilyFeedback.objects.select_for_update().get(pk=feedback.pk)
    if feedback.is_given:
        raise ValidationError("Feedback has already been given")
    for name, value in data.items():
        setattr(feedback, name, value)
    feedback.given_at = timezone.now()
    feedback.recorded_by = by
    # The link is spent: nobody can use it again, or read what was said through it.
    feedback.token_hash = _token_hash(_new_token())
    feedback.save()
    event(feedback.episode, "feedback", "The family gave feedback", by=by)
    audit.record(request, "episode.feedback_given", feedback.episode, user=by)
    return feedback


# --- Supporting Families: sustainment and claims ------------------------------------------------


@transaction.atomic
def confirm_sustained(outcome: Outcome, *, sustained: bool, evidence: str, by, request=None):
    """After its sustainment period, someone confirms an achieved outcome held (or did not)."""
    episode = outcome.episode
    if not (leads(by, episode) or may_sign_off(by, episode)):
        raise PermissionDenied
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    if outcome.result != Outcome.Result.ACHIEVED or outcome.sustain_check_due is None:
        raise ValidationError("Only an achieved outcome is checked for sustainment")
    if outcome.sustain_check_due > timezone.localdate():
        raise ValidationError(
            f"This outcome can be confirmed from {outcome.sustain_check_due:%-d %B %Y}, "
            "when its sustainment period ends"
        )
    outcome.sustained = (
        Outcome.Sustained.SUSTAINED if sustained else Outcome.Sustained.NOT_SUSTAINED
    )
    outcome.sustained_evidence = evidence
    outcome.sustained_checked_at = timezone.now()
    outcome.sustained_checked_by = by
    outcome.save()
    event(
        episode,
        "sustainment",
        f"{outcome.get_area_display()}: {outcome.get_sustained_display().lower()}",
        by=by,
    )
    audit.record(request, "episode.sustainment_checked", episode, user=by, outcome=str(outcome.pk))
    return outcome


def sustainment_due(day: date | None = None) -> QuerySet[Outcome]:
    """Achieved outcomes whose sustainment period has ended and nobody has confirmed."""
    day = day or timezone.localdate()
    return Outcome.objects.filter(
        result=Outcome.Result.ACHIEVED, sustain_check_due__lte=day, sustained=""
    ).select_related("episode__hub", "episode__lead_practitioner")


@transaction.atomic
def set_claim(episode: Episode, *, status: str, quarter: str, by, request=None) -> Episode:
    """The Supporting Families payment-by-results claim for this family, audited."""
    if not may_sign_off(by, episode):
        raise PermissionDenied
    claimable = (Episode.ClaimStatus.READY, Episode.ClaimStatus.CLAIMED)
    if (
        status in claimable
        and not episode.outcomes.filter(sustained=Outcome.Sustained.SUSTAINED).exists()
    ):
        raise ValidationError(
            "A claim needs at least one outcome confirmed as significant and sustained"
        )
    if status == Episode.ClaimStatus.CLAIMED and not quarter:
        raise ValidationError("Enter the quarter the claim is made in, like 2026-Q3")
    before = episode.claim_status
    Episode.objects.filter(pk=episode.pk).update(claim_status=status, claim_quarter=quarter)
    episode.claim_status, episode.claim_quarter = status, quarter
    event(episode, "claim", f"Claim: {episode.get_claim_status_display()}", by=by)
    audit.record(request, "episode.claim_changed", episode, user=by, before=before, after=status)
    return episode


# --- Connection requests ------------------------------------------------------------------------


def connection_refused(episode: Episode, service) -> str | None:
    """Why the family's details cannot go to this service's organisation, or None."""
    if (refusal := sharing_refused(episode)) is not None:
        return refusal
    organisation = service.organisation
    is_council = organisation.key == "barnet-family-services" or "council" in (
        organisation.name.lower()
    )
    for consent in consents_of(episode).select_related("person"):
        if not is_council and Agency.VOLUNTARY in consent.must_not_see_agencies:
            return (
                f"{consent.person.first_name}'s consent says voluntary and community "
                "organisations must not see the information."
            )
        if consent.must_not_see and organisation.name.lower() in consent.must_not_see.lower():
            return f"{consent.person.first_name}'s consent names {organisation.name}."
    return None


def sharing_refused(episode: Episode) -> str | None:
    """Why a connection request cannot share the family's details, or None if it can."""
    if episode.family_id:
        consents = consents_of(episode)
        if not consents.exists() or consents.filter(to_share=False).exists():
            return "Not everyone in the assessment agreed to their information being shared."
        return None
    request = getattr(episode.support_request, "family_request", None)
    if request is not None and request.consent_to_share:
        return None
    return "The family has not agreed to their information being shared."


@transaction.atomic
def send_connection(action: Action, *, service, reason, how_to_engage, by, request=None):
    episode = action.outcome.episode
    if not may_update(by, action, episode):
        raise PermissionDenied
    require_open(episode)
    if (refusal := connection_refused(episode, service)) is not None:
        raise ValidationError(refusal)
    connection = ConnectionRequest.objects.create(
        action=action,
        service=service,
        organisation=service.organisation,
        reason=reason,
        how_to_engage=how_to_engage,
        sent_by=by,
    )
    event(episode, "connection", f"Connection request sent to {service.name}", by=by)
    audit.record(request, "connection.sent", connection, user=by)
    from referrals import notifications

    notifications.connection_sent(connection)
    return connection


def connections_for(user) -> QuerySet[ConnectionRequest]:
    """Requests sent to this provider user's organisation, and no others."""
    if user.is_superuser:
        return ConnectionRequest.objects.all()
    if not user.has_perm("referrals.respond_connectionrequest") or not getattr(
        user, "provider_organisation_id", None
    ):
        return ConnectionRequest.objects.none()
    return ConnectionRequest.objects.filter(organisation_id=user.provider_organisation_id)


@transaction.atomic
def respond(connection: ConnectionRequest, *, accept: bool, response: str, by, request=None):
    connection = ConnectionRequest.objects.select_for_update().get(pk=connection.pk)
    if connection.status != ConnectionRequest.Status.PENDING:
        raise ValidationError("This request has already been answered")
    connection.status = (
        ConnectionRequest.Status.ACCEPTED if accept else ConnectionRequest.Status.DECLINED
    )
    connection.response = response
    connection.responded_by = by
    connection.responded_at = timezone.now()
    connection.save()
    episode = connection.action.outcome.episode
    answer = "accepted" if accept else "declined"
    event(
        episode, "connection", f"{connection.service.name} {answer} the connection request", by=by
    )
    audit.record(request, f"connection.{connection.status}", connection, user=by)
    from referrals import notifications

    notifications.connection_answered(connection)
    return connection


# --- Caseload and drift -------------------------------------------------------------------------


def with_dates(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    today = timezone.localdate()
    return episodes.select_related("hub", "lead_practitioner", "support_request").annotate(
        last_meeting=Max("meetings__held_on"),
        reviews=Count("meetings", filter=Q(meetings__kind=Meeting.Kind.REVIEW), distinct=True),
        overdue_actions=Count(
            "outcomes__actions",
            filter=Q(
                outcomes__actions__due_on__lt=today,
                outcomes__actions__status__in=[
                    Action.Status.NOT_STARTED,
                    Action.Status.IN_PROGRESS,
                ],
            ),
            distinct=True,
        ),
    )


def caseload(user) -> list[Episode]:
    """Open episodes this person leads or is in, each with its next date and overdue actions."""
    member = TeamMember.objects.filter(user=user, removed_at=None).values("episode")
    episodes = with_dates(
        Episode.objects.filter(Q(lead_practitioner=user) | Q(pk__in=member), status__in=OPEN)
    )
    rows = list(episodes)
    for episode in rows:
        episode.due = next_due(episode, episode.last_meeting)
    return sorted(rows, key=lambda e: e.due.on if e.due else date.max)


def drift(hub) -> dict:
    """A hub's episodes by status, with overdue first meetings and reviews, and long ones."""
    rows = list(with_dates(Episode.objects.filter(hub=hub)).order_by("opened_at"))
    year_ago = timezone.now() - relativedelta(months=12)
    for episode in rows:
        episode.due = next_due(episode, episode.last_meeting)
        episode.long_running = episode.is_open and episode.opened_at < year_ago
        episode.many_reviews = episode.is_open and episode.reviews >= 3
    open_rows = [e for e in rows if e.is_open]
    return {
        "counts": {
            label: sum(1 for e in rows if e.status == value)
            for value, label in Episode.Status.choices
        },
        "overdue_first": [
            e for e in open_rows if e.due and e.due.overdue and e.due.label.startswith("First")
        ],
        "overdue_review": [
            e for e in open_rows if e.due and e.due.overdue and e.due.label == "Review"
        ],
        "long_running": [e for e in open_rows if e.long_running or e.many_reviews],
        "overdue_assessment": [e for e in open_rows if e.assessment_overdue],
        "sign_off": [e for e in open_rows if e.awaiting_sign_off],
        "open": open_rows,
    }
