"""Team Around the Family pages: an episode, its team, plan, meetings, closure; caseloads, hub
drift, step-down; and providers' connection requests.

Each view fetches the episode through ``episodes.get_episode_for`` (scoped in the query, so
anyone outside the episode gets a 404) and audits the view; changes go through
referrals/episodes.py, which checks who may make them (403 otherwise).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from earlyhelp import audit
from earlyhelp.access import permission, posted, public
from hubs import councils
from hubs.models import Hub
from referrals import episodes, records
from referrals.episode_forms import (
    ActionForm,
    ActionUpdateForm,
    ClaimForm,
    CloseForm,
    ConnectionForm,
    ConnectionResponseForm,
    FeedbackForm,
    HandOverForm,
    InviteMemberForm,
    MashOutcomeForm,
    MeetingForm,
    OutcomeForm,
    SignOffForm,
    StepUpForm,
    SustainedForm,
)
from referrals.models import Action, ConnectionRequest, Meeting, Person, TeamMember

VIEW = "referrals.view_episode"


def _page(request, template: str, episode, **context) -> HttpResponse:
    return render(
        request,
        f"referrals/episode/{template}",
        {"episode": episode, "is_lead": episodes.leads(request.user, episode), **context},
    )


def _people(episode):
    return (
        Person.objects.filter(family=episode.family)
        if episode.family_id
        else (Person.objects.none())
    )


# --- Caseload and hub views ---------------------------------------------------------------------


@permission(VIEW)
def caseload(request: HttpRequest) -> HttpResponse:
    rows = episodes.caseload(request.user)
    audit.record(request, "episode.caseload_viewed", None, count=len(rows))
    audit.record_many(request, "episode.listed", rows)  # each family on the page, by name
    return render(request, "referrals/episode/caseload.html", {"rows": rows})


@permission("referrals.add_episode")
def hub_episodes(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_object_or_404(_hubs_for(request.user), slug=slug)
    audit.record(request, "episode.hub_list_viewed", hub)
    drift = episodes.drift(hub)
    audit.record_many(request, "episode.listed", drift["open"])  # each episode on the page
    return render(request, "referrals/episode/hub.html", {"hub": hub, **drift})


def _hubs_for(user):
    if user.has_perm(episodes.EVERY):
        return Hub.objects.all()
    return Hub.objects.filter(managers=user)


# --- The episode --------------------------------------------------------------------------------


def _level_label(key: str) -> str:
    labels = {level["key"]: level["label"] for level in councils.levels_of_need()}
    return labels.get(key, key)


@permission(VIEW)
def episode_detail(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request)
    outcomes = episodes.plan(episode)
    return _page(
        request,
        "episode.html",
        episode,
        due=episodes.next_due(episode),
        members=episodes.current_members(episode),
        participants=episodes.participants(episode),
        outcomes=outcomes,
        meetings=episode.meetings.all(),
        events=episode.events.select_related("actor")[:100],
        assessments=episode.assessments.select_related("author"),
        waiting_children=records.waiting_children(
            episode.support_request.family if episode.support_request_id else None
        ),
        signs_off=episodes.may_sign_off(request.user, episode),
        feedback=getattr(episode, "feedback", None) if not episode.is_open else None,
        today=timezone.localdate(),
        level_label=_level_label(episode.level_of_need),
        closure_level_label=_level_label(episode.closure_level_of_need),
    )


@permission(VIEW)
def team(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, must_lead=True)
    form = InviteMemberForm(posted(request))
    objection = None
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role_in_team"]
        override = form.cleaned_data["override_reason"]
        try:
            member = episodes.invite_and_add(
                episode,
                data=form.account_data(),
                role=role,
                by=request.user,
                override_reason=override,
                request=request,
            )
        except episodes.MustNotSee as refusal:
            objection = refusal.reasons
            form.add_error(
                "override_reason",
                "The family said this person's agency must not see their information. To add "
                "them anyway, give the reason",
            )
        except ValidationError as error:
            form.add_error("email", error.messages[0])
        else:
            if member.user.awaiting_approval:
                messages.success(
                    request,
                    f"{member.user} added to the team. Their account waits for an "
                    "administrator's approval: they will be invited once it is approved",
                )
            else:
                messages.success(request, f"{member.user} added to the team")
            return redirect("referrals:team", episode.pk)
    return _page(
        request,
        "team.html",
        episode,
        invite_form=form,
        objection=objection,
        members=episodes.current_members(episode),
        participants=episodes.participants(episode),
    )


@permission(VIEW)
@require_POST
def remove_member(request: HttpRequest, pk, member_pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, action=None)
    member = get_object_or_404(TeamMember, pk=member_pk, episode=episode, removed_at=None)
    try:
        episodes.remove_member(episode, member, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{member.user} removed from the team")
    return redirect("referrals:team", episode.pk)


@permission(VIEW)
def hand_over(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, must_lead=True)
    form = HandOverForm(posted(request), members=episodes.current_members(episode))
    if request.method == "POST" and form.is_valid():
        try:
            episodes.hand_over(
                episode,
                form.cleaned_data["new_lead"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error("new_lead", error.messages[0])
        else:
            messages.success(request, "Lead practitioner changed")
            return redirect("referrals:episode", episode.pk)
    return _page(request, "form.html", episode, form=form, title="Change the lead practitioner")


# --- The plan -----------------------------------------------------------------------------------


@permission(VIEW)
def add_outcome(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, must_lead=True)
    form = OutcomeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        episodes.add_outcome(episode, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, "Outcome added to the plan")
        return redirect(reverse("referrals:episode", args=[episode.pk]) + "#plan")
    return _page(request, "form.html", episode, form=form, title="Add an outcome")


@permission(VIEW)
def add_action(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, must_lead=True)
    form = ActionForm(
        posted(request),
        episode=episode,
        members=episodes.current_members(episode),
        people=episodes.participants(episode),
        initial={"outcome": request.GET.get("outcome")},
    )
    if request.method == "POST" and form.is_valid():
        episodes.add_action(
            form.cleaned_data["outcome"],
            what=form.cleaned_data["what"],
            due_on=form.cleaned_data["due_on"],
            meeting=form.cleaned_data["meeting"],
            by=request.user,
            request=request,
            **form.owners(),
        )
        messages.success(request, "Action added to the plan")
        return redirect(reverse("referrals:episode", args=[episode.pk]) + "#plan")
    return _page(request, "form.html", episode, form=form, title="Add an action")


def _action_of(episode, action_pk) -> Action:
    return get_object_or_404(
        Action.objects.select_related("owner_member__user", "owner_person", "outcome"),
        pk=action_pk,
        outcome__episode=episode,
    )


@permission(VIEW)
def action_detail(request: HttpRequest, pk, action_pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, action=None)
    action = _action_of(episode, action_pk)
    may_update = episodes.may_update(request.user, action, episode) and episode.is_open
    if request.method == "POST" and not may_update:
        raise PermissionDenied
    audit.record(request, "episode.viewed", episode)
    form = ActionUpdateForm(posted(request), initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        episodes.update_action(action, by=request.user, request=request, **form.cleaned_data)
        messages.success(request, "Progress saved")
        return redirect(reverse("referrals:episode", args=[episode.pk]) + "#plan")
    return _page(
        request,
        "action.html",
        episode,
        action=action,
        form=form,
        may_update=may_update,
        notes=action.notes.select_related("author"),
        connections=action.connections.select_related("service", "responded_by"),
        sharing_refused=episodes.sharing_refused(episode),
    )


@permission(VIEW)
def connect(request: HttpRequest, pk, action_pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, action=None)
    action = _action_of(episode, action_pk)
    if not episodes.may_update(request.user, action, episode) or not episode.is_open:
        raise PermissionDenied
    audit.record(request, "episode.viewed", episode)
    refused = episodes.sharing_refused(episode)
    form = ConnectionForm(posted(request))
    if request.method == "POST" and refused is None and form.is_valid():
        try:
            episodes.send_connection(action, by=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("service", error.messages[0])
        else:
            messages.success(request, "Connection request sent")
            return redirect("referrals:action", episode.pk, action.pk)
    return _page(request, "connect.html", episode, action=action, form=form, refused=refused)


@permission(VIEW)
def plan_print(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, action="plan.printed")
    return _page(
        request,
        "plan_print.html",
        episode,
        outcomes=episodes.plan(episode),
        members=episodes.current_members(episode),
        due=episodes.next_due(episode),
    )


# --- Meetings -----------------------------------------------------------------------------------


@permission(VIEW)
def add_meeting(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, must_lead=True)
    review = episode.meetings.exists()
    members = episodes.current_members(episode)
    form = MeetingForm(
        posted(request),
        episode=episode,
        members=members,
        people=_people(episode),
        outcomes=episode.outcomes.all(),
        review=review,
    )
    if request.method == "POST" and form.is_valid():
        weeks = form.cleaned_data.get("review_weeks")
        meeting = episodes.record_meeting(
            episode,
            data=form.meeting_data(),
            progress=form.progress(),
            by=request.user,
            request=request,
        )
        if weeks and weeks != episode.review_weeks:
            episodes.set_review_weeks(episode, weeks, by=request.user, request=request)
        messages.success(request, f"{meeting.get_kind_display()} recorded")
        if meeting.next_step == Meeting.Next.CLOSE:
            return redirect("referrals:close_episode", episode.pk)
        if meeting.next_step == Meeting.Next.STEP_UP:
            return redirect("referrals:step_up", episode.pk)
        return redirect("referrals:episode", episode.pk)
    title = "Record a review" if review else "Record the first TAF meeting"
    return _page(request, "meeting_form.html", episode, form=form, title=title, review=review)


@permission(VIEW)
def meeting_detail(request: HttpRequest, pk, meeting_pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request)
    meeting = get_object_or_404(
        Meeting.objects.select_related("note_taker__user").prefetch_related(
            "attendees__user",
            "apologies__user",
            "family_attendees",
            "progress__outcome",
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("owner_member__user", "owner_person"),
            ),
        ),
        pk=meeting_pk,
        episode=episode,
    )
    return _page(request, "meeting.html", episode, meeting=meeting)


# --- Closure and step up ------------------------------------------------------------------------


@permission(VIEW)
def close_episode(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, must_lead=True)
    if episode.awaiting_sign_off:
        messages.info(request, "This closure is waiting for a hub manager's sign-off")
        return redirect("referrals:episode", episode.pk)
    form = CloseForm(posted(request), outcomes=episode.outcomes.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        episode = episodes.request_closure(
            episode,
            reason=data["reason"],
            results=form.results(),
            summary=data["summary"],
            moving_on_contacts=data["moving_on_contacts"],
            moving_on_if_worse=data["moving_on_if_worse"],
            level_of_need=data["level_of_need"],
            by=request.user,
            request=request,
        )
        if episode.is_open:
            messages.success(request, "Closure sent to the hub's managers to sign off")
        else:
            messages.success(request, "Episode closed")
        return redirect("referrals:episode", episode.pk)
    return _page(
        request,
        "close.html",
        episode,
        form=form,
        signs_off=episodes.may_sign_off(request.user, episode),
        **episodes.closure_review(episode),
    )


@permission("referrals.add_episode")
def sign_off(request: HttpRequest, pk) -> HttpResponse:
    """A hub manager checks the open and overdue actions and the outcomes, then signs off the
    closure or sends it back."""
    episode = episodes.get_episode_for(request.user, pk, request=request, action="")
    if not episodes.may_sign_off(request.user, episode):
        raise PermissionDenied
    audit.record(request, "episode.viewed", episode)
    if not episode.awaiting_sign_off:
        messages.info(request, "There is no closure waiting for sign-off")
        return redirect("referrals:episode", episode.pk)
    form = SignOffForm(posted(request))
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["approve"]
        episodes.sign_off_closure(
            episode,
            approve=approve,
            note=form.cleaned_data["note"],
            by=request.user,
            request=request,
        )
        messages.success(
            request, "Episode closed" if approve else "Closure sent back to the lead practitioner"
        )
        return redirect("referrals:episode", episode.pk)
    return _page(request, "sign_off.html", episode, form=form, **episodes.closure_review(episode))


@permission(VIEW)
def mash_outcome(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, action="")
    episodes.require_lead(request.user, episode)
    if episode.closure_reason != episode.ClosureReason.STEPPED_UP:
        raise Http404
    audit.record(request, "episode.viewed", episode)
    form = MashOutcomeForm(
        posted(request),
        episode=episode,
        initial={"outcome": episode.mash_outcome or None, "on": episode.mash_outcome_on},
    )
    if request.method == "POST" and form.is_valid():
        episodes.record_mash_outcome(
            episode,
            outcome=form.cleaned_data["outcome"],
            on=form.cleaned_data["on"],
            by=request.user,
            request=request,
        )
        messages.success(request, "MASH outcome recorded")
        return redirect("referrals:episode", episode.pk)
    return _page(request, "form.html", episode, form=form, title="Record the MASH outcome")


@permission(VIEW)
def feedback(request: HttpRequest, pk) -> HttpResponse:
    """The lead practitioner gets a one-time link for the family, or records what the family
    said in person or on paper."""
    episode = episodes.get_episode_for(request.user, pk, request=request, action="")
    episodes.require_lead(request.user, episode)
    if episode.is_open:
        raise Http404
    audit.record(request, "episode.viewed", episode)
    existing = getattr(episode, "feedback", None)
    link = None
    form = FeedbackForm(posted(request) if "record" in request.POST else None)
    if request.method == "POST" and "link" in request.POST:
        try:
            token = episodes.new_feedback_link(episode, by=request.user, request=request)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("referrals:episode", episode.pk)
        link = request.build_absolute_uri(reverse("referrals:family_feedback", args=[token]))
    elif request.method == "POST" and form.is_valid():
        try:
            episodes.record_feedback(episode, data=form.answers(), by=request.user, request=request)
        except ValidationError:
            messages.error(request, "The family has already given feedback")
        else:
            messages.success(request, "The family's feedback is recorded")
        return redirect("referrals:episode", episode.pk)
    return _page(request, "feedback.html", episode, form=form, link=link, existing=existing)


@public(form=FeedbackForm)
def family_feedback(request: HttpRequest, token: str) -> HttpResponse:
    """A family's one-time feedback link: no account, no personal details shown."""
    found = episodes.feedback_for_token(token)
    form = FeedbackForm(posted(request))
    if found is None:
        response = render(request, "referrals/feedback_link_used.html", status=404)
    elif request.method == "POST" and form.is_valid():
        try:
            episodes.give_feedback(found, data=form.answers(), request=request)
        except ValidationError:
            response = render(request, "referrals/feedback_link_used.html", status=404)
        else:
            response = render(request, "referrals/feedback_thanks.html", {"hub": found.episode.hub})
    else:
        response = render(
            request, "referrals/family_feedback.html", {"form": form, "hub": found.episode.hub}
        )
    # The link is a secret: no copy in a cache, and not passed on to another site.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@permission(VIEW)
def sustained(request: HttpRequest, pk, outcome_pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, action="")
    if not (episodes.leads(request.user, episode) or episodes.may_sign_off(request.user, episode)):
        raise PermissionDenied
    outcome = get_object_or_404(
        episode.outcomes.filter(result="achieved", sustained=""), pk=outcome_pk
    )
    audit.record(request, "episode.viewed", episode)
    form = SustainedForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            episodes.confirm_sustained(
                outcome,
                sustained=form.cleaned_data["sustained"],
                evidence=form.cleaned_data["evidence"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(request, "Sustainment check recorded")
            return redirect("referrals:episode", episode.pk)
    return _page(
        request,
        "form.html",
        episode,
        form=form,
        title=f"Has it lasted? {outcome.get_area_display()}",
    )


@permission("referrals.add_episode")
def claim(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, action="")
    if not episodes.may_sign_off(request.user, episode):
        raise PermissionDenied
    audit.record(request, "episode.viewed", episode)
    form = ClaimForm(
        posted(request),
        initial={"status": episode.claim_status, "quarter": episode.claim_quarter},
    )
    if request.method == "POST" and form.is_valid():
        try:
            episodes.set_claim(
                episode,
                status=form.cleaned_data["status"],
                quarter=form.cleaned_data["quarter"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            form.add_error("status", error.messages[0])
        else:
            messages.success(request, "Claim status saved")
            return redirect("referrals:episode", episode.pk)
    return _page(request, "form.html", episode, form=form, title="Supporting Families claim")


@permission(VIEW)
@require_POST
def start_assessment(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, must_lead=True)
    assessment = episodes.start_assessment(episode, by=request.user, request=request)
    return redirect("referrals:task_list", assessment.pk)


@permission(VIEW)
def episode_assessment(request: HttpRequest, pk, assessment_pk) -> HttpResponse:
    """An assessment done within the episode, read-only, for anyone who may see the episode."""
    from referrals.views import _answers

    episode = episodes.get_episode_for(request.user, pk, request=request, action="")
    assessment = get_object_or_404(
        episode.assessments.exclude(submitted_at=None).select_related("author", "family"),
        pk=assessment_pk,
    )
    audit.record(request, "episode.viewed", episode)
    audit.record(request, "assessment.viewed", assessment)
    return _page(request, "assessment.html", episode, **_answers(assessment))


@permission(VIEW)
def step_up(request: HttpRequest, pk) -> HttpResponse:
    episode = episodes.get_episode_for(request.user, pk, request=request, must_lead=True)
    form = StepUpForm(posted(request))
    if request.method == "POST" and form.is_valid():
        episodes.step_up(
            episode, reason=form.cleaned_data["reason"], by=request.user, request=request
        )
        messages.success(request, "Step up recorded and the episode closed")
        return redirect("referrals:episode", episode.pk)
    return _page(request, "step_up.html", episode, form=form)


# --- Providers: connection requests -------------------------------------------------------------


@permission("referrals.respond_connectionrequest")
def connection_list(request: HttpRequest) -> HttpResponse:
    connections = episodes.connections_for(request.user).select_related("service", "sent_by")
    audit.record(request, "connection.list_viewed", None)
    return render(request, "referrals/episode/connections.html", {"connections": connections})


@permission("referrals.respond_connectionrequest")
def connection_detail(request: HttpRequest, pk) -> HttpResponse:
    connection = (
        episodes.connections_for(request.user)
        .select_related("service", "sent_by", "action__outcome__episode__hub", "responded_by")
        .filter(pk=pk)
        .first()
    )
    if connection is None:
        raise Http404
    audit.record(request, "connection.viewed", connection)
    form = ConnectionResponseForm(posted(request))
    pending = connection.status == ConnectionRequest.Status.PENDING
    if request.method == "POST" and pending and form.is_valid():
        try:
            episodes.respond(
                connection,
                accept=form.cleaned_data["decision"] == "accept",
                response=form.cleaned_data["response"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Reply sent to the practitioner")
        return redirect("referrals:connections")
    return render(
        request,
        "referrals/episode/connection.html",
        {"connection": connection, "form": form},
    )
