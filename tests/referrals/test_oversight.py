"""Oversight of an episode: a hub manager signs off closures, the family says how it went, the
MASH outcome after a step up, the lead practitioner's own assessment when the contact had none,
and the level of need recorded along the way.

The people: Alice leads the Taylors' episode in the West hub; Bob is a practitioner in her team
(or in no team); Mo and Wes manage the West hub; Nia manages East/Central (no relationship to
the family); the family have no accounts, so they are the anonymous client.
"""

import uuid
from datetime import date, timedelta
from urllib.parse import urlparse

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.utils import timezone

from earlyhelp.models import AuditEvent
from referrals import episodes, services
from referrals.models import (
    Action,
    Assessment,
    AssessmentNeed,
    Consent,
    Decision,
    Episode,
    FamilyFeedback,
    Meeting,
    Outcome,
    Person,
    SupportRequest,
    TeamMember,
)
from tests.factories import WEST_POSTCODE, allocated_episode, sent_assessment, sign_in
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db

FAMILY_NAMES = ("Jamie", "Taylor")


@pytest.fixture
def episode(alice):
    """The Taylors' episode: Jamie's early years outcome, Alice leading, in the West hub."""
    return allocated_episode(alice)


def closure(episode, *, result="achieved", **changes) -> dict:
    """The close form filled in: every outcome given ``result``."""
    data = {
        "reason": "needs_met",
        "summary": "Speech is on track; nursery continues.",
        "moving_on_contacts": "Nursery key worker; the children's centre's stay and play.",
        "moving_on_if_worse": "Phone West hub on 020 8359 6300.",
        "level_of_need": "universal",
    }
    data |= {f"result_{outcome.pk}": result for outcome in episode.outcomes.all()}
    return data | changes


def ask_to_close(client, episode, **changes):
    return client.post(f"/episodes/{episode.pk}/close/", closure(episode, **changes))


def sign_off_url(episode) -> str:
    return f"/episodes/{episode.pk}/close/sign-off/"


def audited(action, episode, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action, record_id=str(episode.pk), **filters))


def _action(episode, *, due, what, status=Action.Status.NOT_STARTED):
    return Action.objects.create(
        outcome=episode.outcomes.first(),
        what=what,
        owner_member=episode.members.get(user=episode.lead_practitioner),
        due_on=due,
        status=status,
    )


def signed_off(client, manager, episode, **answers):
    sign_in(client, manager)
    return client.post(sign_off_url(episode), answers or {"approve": "True"})


# --- Closure waits for a hub manager's sign-off ------------------------------------------------


def test_a_practitioners_closure_waits_for_sign_off_and_the_hubs_managers_are_emailed(
    client, alice, mo, wes, nia, episode, django_capture_on_commit_callbacks
):
    sign_in(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_to_close(client, episode)
    assert response.url == f"/episodes/{episode.pk}/"
    episode.refresh_from_db()
    assert episode.is_open
    assert episode.awaiting_sign_off
    assert episode.closure_requested_by == alice
    assert audited("episode.closure_requested", episode, actor=alice)

    page = client.get(response.url).content.decode()
    assert "Closure sent to the hub&#x27;s managers to sign off" in page
    assert "Closure waiting for sign-off" in page
    assert "A hub manager will sign it off or send it back" in page
    assert "Close the episode" not in page  # nothing more to ask for
    # Asking again only points back to the episode.
    again = client.get(f"/episodes/{episode.pk}/close/")
    assert again.url == f"/episodes/{episode.pk}/"

    run_tasks()
    (email,) = mail.outbox
    assert sorted(email.to) == sorted([mo.email, wes.email])  # not Nia: another hub
    assert email.subject == f"Closure to sign off: {episode.reference}"
    assert sign_off_url(episode) in email.body
    for name in (*FAMILY_NAMES, "Sam"):
        assert name not in email.subject
        assert name not in email.body


def test_the_manager_sees_open_and_overdue_actions_and_the_outcomes_before_signing_off(
    client, alice, mo, episode
):
    today = timezone.localdate()
    _action(episode, due=today - timedelta(days=3), what="Book the speech drop-in")
    _action(episode, due=today + timedelta(days=10), what="Keep a sleep diary")
    _action(episode, due=today - timedelta(days=9), what="Visit the library", status="done")
    ask_to_close(sign_in(client, alice), episode)

    sign_in(client, mo)
    page = client.get(f"/episodes/{episode.pk}/").content.decode()
    assert "Sign off or send back the closure" in page
    response = client.get(sign_off_url(episode))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alice Adams on" in page  # who asked
    assert "Speech is on track; nursery continues." in page
    assert "Nursery key worker" in page
    assert "Phone West hub on 020 8359 6300." in page
    assert "1 overdue</strong> action past their date" in page
    assert "2 actions still open" in page
    assert "Book the speech drop-in" in page
    assert "Keep a sleep diary" in page
    assert "Visit the library" not in page  # done
    assert "Good early years development" in page
    assert ">Achieved<" in page
    assert "opened less than four weeks ago" in page


def test_signing_off_closes_the_episode_with_each_outcomes_result_and_a_sustainment_check(
    client, alice, mo, episode
):
    achieved = episode.outcomes.get()
    achieved.descriptors = ["education_attendance", "education_missing"]  # 9 and 6 months
    achieved.save()
    partly = episodes.add_outcome(episode, area="housing", goal="A stable tenancy", by=alice)
    plain = episodes.add_outcome(episode, area="health", goal="Mum sleeps", by=alice)
    sign_in(client, alice)
    ask_to_close(
        client,
        episode,
        **{
            f"result_{achieved.pk}": "achieved",
            f"result_{partly.pk}": "partly",
            f"result_{plain.pk}": "achieved",
        },
    )

    response = signed_off(client, mo, episode)

    assert response.url == f"/episodes/{episode.pk}/"
    episode.refresh_from_db()
    assert episode.status == Episode.Status.CLOSED
    assert episode.closure_signed_off_by == mo
    assert episode.closure_level_of_need == "universal"
    today = timezone.localdate()
    achieved, partly, plain = (Outcome.objects.get(pk=o.pk) for o in (achieved, partly, plain))
    assert (achieved.result, achieved.sustain_check_due) == (
        "achieved",
        today + relativedelta(months=9),  # the longest of its descriptors' periods
    )
    assert (plain.result, plain.sustain_check_due) == (
        "achieved",
        today + relativedelta(months=6),  # no descriptors: the framework's default
    )
    assert (partly.result, partly.sustain_check_due) == ("partly", None)
    assert audited("episode.closed", episode, actor=mo)
    assert episode.events.filter(kind="closed", summary__contains="signed off by Mo").exists()
    page = client.get(f"/episodes/{episode.pk}/").content.decode()
    assert "Signed off by" in page
    assert f"from {achieved.sustain_check_due:%-d %B %Y}" in page


def test_sending_a_closure_back_needs_a_note_and_opens_the_close_form_again(
    client, alice, mo, episode
):
    ask_to_close(sign_in(client, alice), episode)
    sign_in(client, mo)

    response = client.post(sign_off_url(episode), {"approve": "False", "note": "  "})
    assert "Say why you are sending the closure back" in response.content.decode()
    assert Episode.objects.get(pk=episode.pk).awaiting_sign_off

    response = client.post(
        sign_off_url(episode), {"approve": "False", "note": "The housing action is still open."}
    )
    assert response.url == f"/episodes/{episode.pk}/"
    episode.refresh_from_db()
    assert episode.is_open
    assert not episode.awaiting_sign_off
    assert Outcome.objects.get(episode=episode).result == ""
    assert audited("episode.closure_returned", episode, actor=mo)

    sign_in(client, alice)
    page = client.get(f"/episodes/{episode.pk}/").content.decode()
    assert "Closure sent back: The housing action is still open." in page
    assert "Closure waiting for sign-off" not in page
    form = client.get(f"/episodes/{episode.pk}/close/")
    assert form.status_code == 200
    assert "Ask for sign-off and close" in form.content.decode()


def test_a_sign_off_must_say_yes_or_no(client, alice, mo, episode):
    ask_to_close(sign_in(client, alice), episode)
    response = signed_off(client, mo, episode, note="")
    assert "Select whether you sign off the closure" in response.content.decode()
    assert Episode.objects.get(pk=episode.pk).awaiting_sign_off


def test_a_hub_manager_who_leads_the_episode_closes_it_at_once(
    client, alice, mo, django_capture_on_commit_callbacks
):
    episode = allocated_episode(alice, lead=mo)
    sign_in(client, mo)
    with django_capture_on_commit_callbacks(execute=True):
        ask_to_close(client, episode)
    episode.refresh_from_db()
    assert episode.status == Episode.Status.CLOSED
    assert episode.closure_signed_off_by == mo
    assert episode.outcomes.get().result == "achieved"
    run_tasks()
    assert not [m for m in mail.outbox if "Closure to sign off" in m.subject]


def test_closures_to_sign_off_are_listed_for_the_hub_and_on_the_leads_caseload(
    client, alice, mo, episode
):
    sign_in(client, mo)
    assert "Closures to sign off (0)" in client.get("/hub/west/episodes/").content.decode()
    ask_to_close(sign_in(client, alice), episode)
    assert "Closure to sign off" in client.get("/episodes/").content.decode()
    sign_in(client, mo)
    page = client.get("/hub/west/episodes/").content.decode()
    assert "Closures to sign off (1)" in page
    assert episode.reference in page


def test_an_administrator_signs_off_any_hubs_closure(client, alice, ada, episode):
    ask_to_close(sign_in(client, alice), episode)
    signed_off(client, ada, episode)
    episode.refresh_from_db()
    assert episode.status == Episode.Status.CLOSED
    assert episode.closure_signed_off_by == ada


def test_the_second_manager_finds_the_closure_already_signed_off(client, alice, mo, wes, episode):
    ask_to_close(sign_in(client, alice), episode)
    signed_off(client, mo, episode)
    response = signed_off(client, wes, episode, approve="False", note="Not yet")
    assert response.url == f"/episodes/{episode.pk}/"
    episode.refresh_from_db()
    assert episode.status == Episode.Status.CLOSED
    assert episode.closure_signed_off_by == mo
    assert "There is no closure waiting for sign-off" in client.get(response.url).content.decode()


# No access


def test_the_lead_practitioner_cannot_sign_off_their_own_closure(client, alice, episode):
    ask_to_close(sign_in(client, alice), episode)
    assert client.get(sign_off_url(episode)).status_code == 403
    assert client.post(sign_off_url(episode), {"approve": "True"}).status_code == 403
    assert Episode.objects.get(pk=episode.pk).is_open


def test_a_manager_of_another_hub_cannot_see_the_closure_to_sign_off(client, alice, nia, episode):
    ask_to_close(sign_in(client, alice), episode)
    assert signed_off(client, nia, episode).status_code == 404
    assert client.get(sign_off_url(episode)).status_code == 404
    assert Episode.objects.get(pk=episode.pk).is_open


def test_a_team_member_cannot_ask_to_close(client, alice, bob, episode):
    episodes.add_member(episode, bob, role="Health visitor", by=alice)
    sign_in(client, bob)
    assert ask_to_close(client, episode).status_code == 403
    assert not Episode.objects.get(pk=episode.pk).awaiting_sign_off


# --- The family's feedback ----------------------------------------------------------------------


@pytest.fixture
def closed(client, alice, mo, episode):
    """Alice's episode, closed and signed off by Mo."""
    ask_to_close(sign_in(client, alice), episode)
    signed_off(client, mo, episode)
    episode.refresh_from_db()
    return episode


def feedback_link(client, lead, episode) -> str:
    """The lead practitioner gets a one-time link; returns its path."""
    sign_in(client, lead)
    response = client.post(f"/episodes/{episode.pk}/feedback/", {"link": "1"})
    assert response.status_code == 200
    return urlparse(response.context["link"]).path


def test_after_closure_the_lead_gets_a_one_time_link_the_family_use_without_signing_in(
    client, alice, closed
):
    link = feedback_link(client, alice, closed)
    assert link.startswith("/feedback/")
    assert audited("episode.feedback_link_made", closed, actor=alice)
    client.logout()

    response = client.get(link)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    page = response.content.decode()
    assert "Tell us how early help went" in page
    assert "West" in page  # the hub, not any worker
    for detail in (*FAMILY_NAMES, "Sam Taylor", "Alice", "Adams", closed.reference):
        assert detail not in page

    response = client.post(link, {"what_changed": "Jamie talks more."})
    assert "Select how helpful the support was" in response.content.decode()
    assert not FamilyFeedback.objects.get(episode=closed).is_given

    response = client.post(
        link, {"helpful": "4", "what_changed": "Jamie talks more.", "had_a_say": "yes"}
    )
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    feedback = FamilyFeedback.objects.get(episode=closed)
    assert feedback.is_given
    assert (feedback.helpful, feedback.what_changed, feedback.had_a_say) == (
        4,
        "Jamie talks more.",
        "yes",
    )
    assert feedback.recorded_by is None
    (given,) = audited("episode.feedback_given", closed)
    assert given.actor is None

    for method in (client.get, client.post):
        response = method(link, {"helpful": "1"})
        assert response.status_code == 404
        assert "This link no longer works" in response.content.decode()
    assert FamilyFeedback.objects.get(episode=closed).helpful == 4  # answered once


def test_the_lead_sees_what_the_family_said_on_the_episode(client, alice, closed):
    link = feedback_link(client, alice, closed)
    client.post(link, {"helpful": "3", "what_changed": "Bedtime is calmer."})
    page = client.get(f"/episodes/{closed.pk}/").content.decode()
    assert "Quite helpful" in page
    assert "Bedtime is calmer." in page
    assert "Ask the family" not in page
    response = client.post(f"/episodes/{closed.pk}/feedback/", {"link": "1"}, follow=True)
    assert "The family has already given feedback" in response.content.decode()


def test_a_new_link_stops_the_old_one(client, alice, closed):
    old = feedback_link(client, alice, closed)
    new = feedback_link(client, alice, closed)
    assert old != new
    client.logout()
    assert client.get(old).status_code == 404
    assert client.post(old, {"helpful": "1"}).status_code == 404
    assert client.get(new).status_code == 200


def test_an_expired_link_is_refused(client, alice, closed):
    link = feedback_link(client, alice, closed)
    FamilyFeedback.objects.filter(episode=closed).update(
        link_expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.logout()
    response = client.post(link, {"helpful": "4"})
    assert response.status_code == 404
    assert "This link no longer works" in response.content.decode()
    assert not FamilyFeedback.objects.get(episode=closed).is_given


@pytest.mark.parametrize("token", ["made-up-token", "x" * 101])
def test_a_made_up_link_is_refused(client, closed, token):
    response = client.get(f"/feedback/{token}/")
    assert response.status_code == 404
    assert "This link no longer works" in response.content.decode()


def test_the_lead_records_feedback_the_family_gave_on_paper(client, alice, closed):
    sign_in(client, alice)
    url = f"/episodes/{closed.pk}/feedback/"
    response = client.post(url, {"record": "1", "anything_else": "Thanks"})
    assert "Select how helpful the support was" in response.content.decode()

    response = client.post(url, {"record": "1", "helpful": "2", "anything_else": "Too slow."})
    assert response.url == f"/episodes/{closed.pk}/"
    feedback = FamilyFeedback.objects.get(episode=closed)
    assert (feedback.helpful, feedback.anything_else, feedback.recorded_by) == (
        2,
        "Too slow.",
        alice,
    )
    assert audited("episode.feedback_given", closed, actor=alice)
    assert closed.events.filter(kind="feedback").exists()


def test_feedback_recorded_on_paper_stops_the_familys_link(client, alice, closed):
    link = feedback_link(client, alice, closed)
    client.post(f"/episodes/{closed.pk}/feedback/", {"record": "1", "helpful": "4"})
    client.logout()
    assert client.get(link).status_code == 404
    assert client.post(link, {"helpful": "1"}).status_code == 404
    assert FamilyFeedback.objects.get(episode=closed).helpful == 4


def test_the_lead_records_paper_feedback_after_a_step_up(client, alice, episode):
    episodes.step_up(episode, reason="Disclosure at school", by=alice)
    sign_in(client, alice)
    response = client.post(
        f"/episodes/{episode.pk}/feedback/", {"record": "1", "helpful": "3"}, follow=True
    )
    assert "The family&#x27;s feedback is recorded" in response.content.decode()
    assert FamilyFeedback.objects.get(episode=episode).helpful == 3


def test_a_stepped_up_family_can_still_be_sent_a_link(client, alice, episode):
    episodes.step_up(episode, reason="Disclosure at school", by=alice)
    link = feedback_link(client, alice, episode)
    client.logout()
    client.post(link, {"helpful": "3"})
    assert FamilyFeedback.objects.get(episode=episode).helpful == 3


# No access


def test_no_feedback_is_asked_for_while_the_episode_is_open(client, alice, episode):
    sign_in(client, alice)
    assert client.get(f"/episodes/{episode.pk}/feedback/").status_code == 404
    assert client.post(f"/episodes/{episode.pk}/feedback/", {"link": "1"}).status_code == 404


def test_only_those_who_run_the_episode_get_a_link(client, alice, bob, nia, closed):
    TeamMember.objects.create(
        episode=closed, user=bob, role_in_team="Health visitor", added_by=alice
    )
    sign_in(client, bob)
    assert client.post(f"/episodes/{closed.pk}/feedback/", {"link": "1"}).status_code == 403
    sign_in(client, nia)
    assert client.post(f"/episodes/{closed.pk}/feedback/", {"link": "1"}).status_code == 404
    assert not audited("episode.feedback_link_made", closed)


# --- Step up, then the MASH outcome -------------------------------------------------------------


def mash_url(episode) -> str:
    return f"/episodes/{episode.pk}/mash-outcome/"


def day_fields(day: date) -> dict:
    return {"on_0": day.day, "on_1": day.month, "on_2": day.year}


@pytest.mark.parametrize("outcome", ["returned", "accepted", "nfa"])
def test_the_lead_records_what_the_mash_decided_after_a_step_up(client, alice, episode, outcome):
    sign_in(client, alice)
    client.post(f"/episodes/{episode.pk}/step-up/", {"reason": "Disclosure at school"})
    today = timezone.localdate()
    response = client.post(mash_url(episode), {"outcome": outcome, **day_fields(today)})
    assert response.url == f"/episodes/{episode.pk}/"
    episode.refresh_from_db()
    assert (episode.mash_outcome, episode.mash_outcome_on) == (outcome, today)
    assert audited("episode.mash_outcome_recorded", episode, actor=alice)
    page = client.get(f"/episodes/{episode.pk}/").content.decode()
    label = Episode.MashOutcome(outcome).label.replace("'", "&#x27;")
    assert f"{label} ({today:%-d %B %Y})" in page


def test_a_mash_decision_in_the_future_or_before_the_step_up_is_refused(client, alice, episode):
    sign_in(client, alice)
    client.post(f"/episodes/{episode.pk}/step-up/", {"reason": "Disclosure at school"})
    today = timezone.localdate()
    for day, message in [
        (today + timedelta(days=1), "The date must be today or in the past"),
        (today - timedelta(days=1), "The date must be on or after the step up"),
    ]:
        response = client.post(mash_url(episode), {"outcome": "accepted", **day_fields(day)})
        assert response.status_code == 200
        assert message in response.content.decode()
    response = client.post(mash_url(episode), {})
    assert "Select what the MASH decided" in response.content.decode()
    assert Episode.objects.get(pk=episode.pk).mash_outcome == ""


# No access


def test_an_open_or_normally_closed_episode_has_no_mash_outcome(client, alice, episode):
    sign_in(client, alice)
    assert client.get(mash_url(episode)).status_code == 404
    episodes.close(episode, reason="needs_met", results={}, summary="Done", by=alice)
    assert client.get(mash_url(episode)).status_code == 404
    response = client.post(
        mash_url(episode), {"outcome": "accepted", **day_fields(timezone.localdate())}
    )
    assert response.status_code == 404
    assert Episode.objects.get(pk=episode.pk).mash_outcome == ""


def test_only_those_who_run_the_episode_record_the_mash_outcome(client, alice, bob, nia, episode):
    episodes.add_member(episode, bob, role="Health visitor", by=alice)
    episodes.step_up(episode, reason="Disclosure at school", by=alice)
    answer = {"outcome": "accepted", **day_fields(timezone.localdate())}
    assert client.post(mash_url(episode), answer).status_code == 302  # to sign in
    sign_in(client, bob)
    assert client.post(mash_url(episode), answer).status_code == 403
    sign_in(client, nia)
    assert client.post(mash_url(episode), answer).status_code == 404
    assert Episode.objects.get(pk=episode.pk).mash_outcome == ""


# --- The lead practitioner's assessment within the episode --------------------------------------

PARENTS_REQUEST = {
    "name": "Sam Taylor",
    "relationship": "parent",
    "contact_method": "phone",
    "phone": "07700 900982",
    "email": "",
    "best_time": "Mornings",
    "safe_to_leave_message": True,
    "postcode": WEST_POSTCODE,
    "children_ages": "7",
    "worries": "My son will not sleep and I am exhausted.",
    "language": "English",
    "interpreter_needed": False,
    "consent_to_contact": True,
    "consent_to_share": True,
}


@pytest.fixture
def parents_request(mo, alice) -> Episode:
    """Sam Taylor asked for help themselves; Mo allocated it to Alice. No assessment yet."""
    family_request = services.submit_family_request(
        data=PARENTS_REQUEST, submission_key=uuid.uuid4()
    )
    support_request = family_request.support_request
    services.decide(
        support_request_id=support_request.pk,
        seen_version=support_request.version,
        by=mo,
        kind="allocate",
        reason="School nurse to lead",
        lead_practitioner=alice,
        level_of_need="early_help",
    )
    return Episode.objects.get(support_request=support_request)


def fill_in(assessment: Assessment) -> None:
    """Everything the task list asks for, on top of what the episode pre-filled."""
    from referrals.services import SECTIONS

    family = assessment.family
    family.address_line_1 = "1 Test Street"
    family.town = "London"
    family.save()
    parent = family.people.get(role=Person.Role.PARENT)
    child = Person.objects.create(
        family=family,
        first_name="Robin",
        last_name="Taylor",
        role=Person.Role.CHILD,
        date_of_birth=date(2019, 3, 27),
    )
    assessment.subjects.set([child])
    for person in (child, parent):
        Consent.objects.create(
            assessment=assessment,
            person=person,
            given_by=parent,
            given_on=timezone.localdate(),
            method=Consent.Method.IN_PERSON,
            to_assessment=True,
            to_share=True,
        )
    AssessmentNeed.objects.create(assessment=assessment, area="health", detail="Robin's sleep.")
    AssessmentNeed.objects.create(assessment=assessment, area="housing", detail="Damp flat.")
    for name in ("working_well", "worries", "next_steps", "analysis", "support_recommended"):
        setattr(assessment, name, "Written.")
    assessment.completed_sections = [key for key, _ in SECTIONS]
    assessment.save()


def test_a_parents_request_allocated_opens_an_episode_with_the_assessment_due(
    parents_request, alice
):
    from referrals.workingdays import add_working_days

    episode = parents_request
    assert episode.lead_practitioner == alice
    assert episode.level_of_need == "early_help"
    assert episode.family is None
    assert not episode.outcomes.exists()
    assert episode.assessment_due == add_working_days(timezone.localdate(), 15)


def test_the_assessment_due_date_is_a_setting(settings, mo, alice):
    from referrals.workingdays import add_working_days

    settings.ASSESSMENT_DUE_WORKING_DAYS = 5
    family_request = services.submit_family_request(
        data=PARENTS_REQUEST, submission_key=uuid.uuid4()
    )
    services.decide(
        support_request_id=family_request.support_request.pk,
        seen_version=family_request.support_request.version,
        by=mo,
        kind="allocate",
        reason="x",
        lead_practitioner=alice,
        level_of_need="early_help",
    )
    episode = Episode.objects.get(support_request=family_request.support_request)
    assert episode.assessment_due == add_working_days(timezone.localdate(), 5)


def test_the_assessment_due_shows_on_the_caseload_and_as_overdue_on_the_hubs_drift_page(
    client, alice, mo, parents_request
):
    episode = parents_request
    due = episode.assessment_due
    sign_in(client, alice)
    page = client.get("/episodes/").content.decode()
    assert f"Assessment: {due.day} {due:%b %Y}" in page
    assert f"Assessment: {due.day} {due:%b %Y} <strong" not in page  # not overdue yet
    sign_in(client, mo)
    assert "Assessment overdue (0)" in client.get("/hub/west/episodes/").content.decode()

    past = timezone.localdate() - timedelta(days=1)
    Episode.objects.filter(pk=episode.pk).update(assessment_due=past)
    page = client.get("/hub/west/episodes/").content.decode()
    assert "Assessment overdue (1)" in page
    assert f'Assessment: {past.day} {past:%b %Y} <strong class="govuk-tag govuk-tag--red">' in (
        page
    )
    sign_in(client, alice)
    page = client.get("/episodes/").content.decode()
    assert f"Assessment: {past.day} {past:%b %Y} <strong" in page
    assert "Overdue" in client.get(f"/episodes/{episode.pk}/").content.decode()


def test_the_lead_starts_the_assessment_from_the_episode_with_the_parent_filled_in(
    client, alice, parents_request
):
    episode = parents_request
    sign_in(client, alice)
    assert "Start or continue the assessment" in (
        client.get(f"/episodes/{episode.pk}/").content.decode()
    )
    response = client.post(f"/episodes/{episode.pk}/assessment/start/")
    assessment = Assessment.objects.get(episode=episode)
    assert response.url == f"/assessments/{assessment.pk}/"
    assert assessment.author == alice
    assert assessment.support_request is None
    assert assessment.reason == PARENTS_REQUEST["worries"]
    assert assessment.family.postcode == WEST_POSTCODE
    (parent,) = assessment.family.people.all()
    assert (parent.first_name, parent.last_name, parent.role) == ("Sam", "Taylor", "parent")
    assert parent.parental_responsibility
    assert audited("assessment.started", assessment, actor=alice)
    # Starting again continues the same draft.
    client.post(f"/episodes/{episode.pk}/assessment/start/")
    assert Assessment.objects.filter(episode=episode).count() == 1
    assert "Started by Alice Adams, not completed" in (
        client.get(f"/episodes/{episode.pk}/").content.decode()
    )


def test_completing_the_assessment_joins_it_to_the_episode_and_never_to_the_front_door(
    client, alice, mo, parents_request
):
    episode = parents_request
    contact = episode.support_request
    sign_in(client, alice)
    client.post(f"/episodes/{episode.pk}/assessment/start/")
    assessment = Assessment.objects.get(episode=episode)
    fill_in(assessment)
    check = f"/assessments/{assessment.pk}/check/"
    page = client.get(check).content.decode()
    assert "Complete the assessment" in page
    assert "Send assessment" not in page

    response = client.post(check, {"confirm": "on"})

    assert response.url == f"/episodes/{episode.pk}/"
    assessment.refresh_from_db()
    assert assessment.submitted_at is not None
    assert assessment.support_request is None
    episode.refresh_from_db()
    assert episode.assessment_completed_at is not None
    assert episode.family == assessment.family
    contact.refresh_from_db()
    assert contact.family == assessment.family
    assert sorted(episode.outcomes.values_list("area", "goal")) == [
        ("health", "Robin's sleep."),
        ("housing", "Damp flat."),
    ]
    robin = assessment.family.people.get(first_name="Robin")
    assert robin.child is not None
    assert robin.child.reference.startswith("C-")
    assert SupportRequest.objects.count() == 1
    page = client.get(f"/episodes/{episode.pk}/").content.decode()
    assert "Assessment completed and added to the episode" in page
    assert f"/episodes/{episode.pk}/assessments/{assessment.pk}/" in page
    assert robin.child.reference in page
    assert client.get(f"/episodes/{episode.pk}/assessments/{assessment.pk}/").status_code == 200

    sign_in(client, mo)
    queue = client.get("/hub/west/queue/?status=all")
    assert [item.pk for item in queue.context["page"].object_list] == [contact.pk]
    assert "Robin" not in queue.content.decode()


def test_a_completed_assessment_keeps_the_plans_outcomes_if_it_has_some(
    client, alice, parents_request
):
    episode = parents_request
    episodes.add_outcome(episode, area="education", goal="Robin in school every day", by=alice)
    sign_in(client, alice)
    client.post(f"/episodes/{episode.pk}/assessment/start/")
    assessment = Assessment.objects.get(episode=episode)
    fill_in(assessment)
    client.post(f"/assessments/{assessment.pk}/check/", {"confirm": "on"})
    assert list(episode.outcomes.values_list("area", flat=True)) == ["education"]
    assert Episode.objects.get(pk=episode.pk).assessment_completed_at is not None


def test_an_unfinished_assessment_cannot_be_completed(client, alice, parents_request):
    episode = parents_request
    sign_in(client, alice)
    client.post(f"/episodes/{episode.pk}/assessment/start/")
    assessment = Assessment.objects.get(episode=episode)
    response = client.post(f"/assessments/{assessment.pk}/check/", {"confirm": "on"})
    assert response.status_code == 200
    assert "Complete the section" in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).submitted_at is None
    assert Episode.objects.get(pk=episode.pk).assessment_due is not None


def test_an_assessment_finished_after_the_episode_closed_leaves_the_closed_plan_alone(
    client, alice, parents_request
):
    episode = parents_request
    sign_in(client, alice)
    client.post(f"/episodes/{episode.pk}/assessment/start/")
    assessment = Assessment.objects.get(episode=episode)
    fill_in(assessment)
    episodes.step_up(episode, reason="Disclosure at school", by=alice)
    client.post(f"/assessments/{assessment.pk}/check/", {"confirm": "on"})
    assert not episode.outcomes.exists()


# No access


def test_only_the_episodes_lead_starts_its_assessment(client, alice, bob, nia, parents_request):
    episode = parents_request
    url = f"/episodes/{episode.pk}/assessment/start/"
    sign_in(client, bob)
    assert client.post(url).status_code == 404
    episodes.add_member(episode, bob, role="Health visitor", by=alice)
    assert client.post(url).status_code == 403
    sign_in(client, nia)
    assert client.post(url).status_code == 404
    sign_in(client, alice)
    assert client.get(url).status_code == 405
    assert not Assessment.objects.filter(episode=episode).exists()


def test_nobody_else_completes_the_leads_assessment(client, alice, mo, parents_request):
    episode = parents_request
    assessment = episodes.start_assessment(episode, by=alice)
    fill_in(assessment)
    sign_in(client, mo)
    response = client.post(f"/assessments/{assessment.pk}/check/", {"confirm": "on"})
    assert response.status_code in (403, 404)
    assert Assessment.objects.get(pk=assessment.pk).submitted_at is None


def test_no_assessment_is_started_on_a_closed_episode(client, alice, parents_request):
    episode = parents_request
    episodes.close(episode, reason="needs_met", results={}, summary="Done", by=alice)
    sign_in(client, alice)
    assert client.post(f"/episodes/{episode.pk}/assessment/start/").status_code == 403
    assert not Assessment.objects.filter(episode=episode).exists()


# --- The level of need --------------------------------------------------------------------------


def test_the_front_door_must_give_the_level_of_need_to_allocate(client, alice, mo):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    decision = {
        "kind": "allocate",
        "reason": "School to lead",
        "lead_practitioner": alice.pk,
        "version": support_request.version,
    }
    response = client.post(f"/front-door/{support_request.pk}/", decision)
    assert "Select the level of need" in response.content.decode()
    assert not Episode.objects.exists()

    client.post(f"/front-door/{support_request.pk}/", decision | {"level_of_need": "targeted"})
    assert Decision.objects.get(support_request=support_request).level_of_need == "targeted"
    episode = Episode.objects.get(support_request=support_request)
    assert episode.level_of_need == "targeted"
    sign_in(client, alice)
    page = client.get(f"/episodes/{episode.pk}/").content.decode()
    assert "Level of need" in page
    assert ">Targeted early help: multiple needs, a team around the family<" in page


def _review(client, episode, **changes):
    today = timezone.localdate()
    data = {
        "held_on_0": today.day,
        "held_on_1": today.month,
        "held_on_2": today.year,
        "notes": "Going well.",
        "scale_practitioner": "7",
        "scale_parent": "8",
        "next_step": "continue",
        "review_weeks": "6",
    }
    data |= {f"progress_{o.pk}": "4" for o in episode.outcomes.all()}
    return client.post(f"/episodes/{episode.pk}/meetings/add/", data | changes)


def test_a_review_may_record_the_level_of_need(client, alice, episode):
    Meeting.objects.create(
        episode=episode,
        kind="first",
        held_on=timezone.localdate() - timedelta(days=1),
        notes="Met",
        recorded_by=alice,
    )
    sign_in(client, alice)
    assert _review(client, episode).status_code == 302
    assert _review(client, episode, level_of_need="early_help").status_code == 302
    levels = list(
        episode.meetings.filter(kind="review")
        .order_by("recorded_at")
        .values_list("level_of_need", flat=True)
    )
    assert levels == ["", "early_help"]


def test_closure_must_give_the_level_of_need(client, alice, episode):
    sign_in(client, alice)
    data = closure(episode)
    del data["level_of_need"]
    response = client.post(f"/episodes/{episode.pk}/close/", data)
    assert "Select the level of need" in response.content.decode()
    assert not Episode.objects.get(pk=episode.pk).awaiting_sign_off


def test_the_level_of_need_given_at_a_review_shows_on_the_meeting(client, alice, episode):
    Meeting.objects.create(
        episode=episode,
        kind="first",
        held_on=timezone.localdate() - timedelta(days=1),
        notes="Met",
        recorded_by=alice,
    )
    sign_in(client, alice)
    assert _review(client, episode, level_of_need="specialist").status_code == 302
    review = episode.meetings.get(kind="review")
    page = client.get(f"/episodes/{episode.pk}/meetings/{review.pk}/").content.decode()
    assert "Specialist: children&#x27;s social care" in page


def test_the_level_of_need_at_closure_shows_even_if_none_was_given_at_opening(
    client, alice, mo, episode
):
    assert episode.level_of_need == ""
    ask_to_close(sign_in(client, alice), episode)
    signed_off(client, mo, episode)
    page = client.get(f"/episodes/{episode.pk}/").content.decode()
    assert "Universal: needs met by services open to every family" in page
