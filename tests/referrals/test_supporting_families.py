"""Supporting Families: whether a family is eligible, the sustainment period after an outcome is
achieved, the check that it has lasted (and the daily reminder to make it), and the
payment-by-results claim.

The people: Alice leads the Taylors' episode in the West hub; Bob is a practitioner; Mo and Wes
manage the West hub; Nia manages East/Central; Ada is an administrator.
"""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.models import AuditEvent
from referrals import episodes
from referrals.framework import framework
from referrals.models import AssessmentNeed, Episode, Outcome
from tests.factories import allocated_episode, complete_assessment, sign_in
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def close_with(episode, results: dict, *, lead, manager) -> Episode:
    """The lead asks to close with these results (outcome -> result); the manager signs off."""
    episodes.request_closure(
        episode,
        reason="needs_met",
        results={str(outcome.pk): result for outcome, result in results.items()},
        summary="Done",
        moving_on_contacts="Nursery",
        moving_on_if_worse="Phone the hub",
        level_of_need="universal",
        by=lead,
    )
    return episodes.sign_off_closure(episode, approve=True, note="", by=manager)


@pytest.fixture
def episode(alice):
    return allocated_episode(alice)


@pytest.fixture
def achieved(alice, mo, episode) -> Outcome:
    """Jamie's early years outcome, achieved and signed off today: checked in six months."""
    outcome = episode.outcomes.get()
    close_with(episode, {outcome: "achieved"}, lead=alice, manager=mo)
    return Outcome.objects.get(pk=outcome.pk)


def period_over(outcome: Outcome) -> Outcome:
    Outcome.objects.filter(pk=outcome.pk).update(sustain_check_due=timezone.localdate())
    return Outcome.objects.get(pk=outcome.pk)


def sustained_url(outcome: Outcome) -> str:
    return f"/episodes/{outcome.episode_id}/outcomes/{outcome.pk}/sustained/"


def claim_url(episode) -> str:
    return f"/episodes/{episode.pk}/claim/"


# --- Eligibility, on check your answers ---------------------------------------------------------


def check_answers_page(client, assessment) -> str:
    response = client.get(f"/assessments/{assessment.pk}/check/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_family_with_a_child_and_needs_under_three_headlines_is_eligible(client, alice):
    assessment = complete_assessment(alice)  # Jamie; early years
    AssessmentNeed.objects.create(assessment=assessment, area="housing", detail="Damp")
    AssessmentNeed.objects.create(assessment=assessment, area="finances", detail="Debt")
    page = check_answers_page(sign_in(client, alice), assessment)
    assert (
        "Eligible for Supporting Families: dependent children and needs under 3 headline "
        "outcomes." in page
    )


def test_needs_under_two_headlines_are_not_yet_enough(client, alice):
    assessment = complete_assessment(alice)
    AssessmentNeed.objects.create(assessment=assessment, area="housing", detail="Damp")
    page = check_answers_page(sign_in(client, alice), assessment)
    assert (
        "Not yet eligible: needs are recorded under 2 headline outcomes, and 3 are needed." in page
    )
    assert "Eligible for Supporting Families" not in page


def test_one_headline_is_said_in_the_singular(client, alice):
    page = check_answers_page(sign_in(client, alice), complete_assessment(alice))
    assert "needs are recorded under 1 headline outcome, and 3 are needed." in page


def test_a_family_with_no_children_in_the_assessment_is_not_eligible(client, alice):
    assessment = complete_assessment(alice)
    for area in ("housing", "finances"):
        AssessmentNeed.objects.create(assessment=assessment, area=area, detail="x")
    assessment.subjects.clear()
    page = check_answers_page(sign_in(client, alice), assessment)
    assert "Not eligible: the family has no dependent children or expected baby recorded" in page


# --- The sustainment period ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("descriptors", "months"),
    [
        ([], 6),  # the framework's default
        (["early_years_development"], 6),
        (["education_attendance"], 9),
        (["education_missing", "education_attendance"], 9),  # the longest
        (["not_in_the_framework"], 6),
    ],
)
def test_the_sustainment_period_is_the_longest_of_the_outcomes_descriptors(descriptors, months):
    assert framework().sustainment_months(descriptors) == months


def test_only_achieved_outcomes_wait_for_a_sustainment_check(alice, mo, episode):
    achieved = episode.outcomes.get()
    achieved.descriptors = ["education_attendance"]
    achieved.save()
    partly = episodes.add_outcome(episode, area="housing", goal="A stable tenancy", by=alice)
    not_achieved = episodes.add_outcome(episode, area="health", goal="Sleep", by=alice)
    close_with(
        episode,
        {achieved: "achieved", partly: "partly", not_achieved: "not_achieved"},
        lead=alice,
        manager=mo,
    )
    today = timezone.localdate()
    assert Outcome.objects.get(pk=achieved.pk).sustain_check_due == today + relativedelta(months=9)
    assert Outcome.objects.get(pk=partly.pk).sustain_check_due is None
    assert Outcome.objects.get(pk=not_achieved.pk).sustain_check_due is None
    assert list(episodes.sustainment_due(today + timedelta(days=400))) == [
        Outcome.objects.get(pk=achieved.pk)
    ]


# --- Has it lasted? -----------------------------------------------------------------------------


def test_the_check_is_refused_until_the_sustainment_period_ends(client, alice, achieved):
    sign_in(client, alice)
    page = client.get(f"/episodes/{achieved.episode_id}/").content.decode()
    assert f"Sustainment check from {achieved.sustain_check_due:%-d %B %Y}" in page
    assert sustained_url(achieved) not in page

    response = client.post(sustained_url(achieved), {"sustained": "True", "evidence": "Reports"})
    assert response.status_code == 200
    assert (
        f"This outcome can be confirmed from {achieved.sustain_check_due:%-d %B %Y}, when its "
        "sustainment period ends" in response.content.decode()
    )
    assert Outcome.objects.get(pk=achieved.pk).sustained == ""


def test_after_the_period_the_lead_confirms_it_lasted_with_evidence(client, alice, achieved):
    outcome = period_over(achieved)
    sign_in(client, alice)
    page = client.get(f"/episodes/{outcome.episode_id}/").content.decode()
    assert "Sustainment check due now" in page
    assert sustained_url(outcome) in page
    assert client.get(sustained_url(outcome)).status_code == 200

    response = client.post(sustained_url(outcome), {"sustained": "True"})
    assert "Say what the evidence is" in response.content.decode()
    response = client.post(sustained_url(outcome), {"evidence": "x"})
    assert "Select whether the outcome has lasted" in response.content.decode()
    assert Outcome.objects.get(pk=outcome.pk).sustained == ""

    response = client.post(
        sustained_url(outcome),
        {"sustained": "True", "evidence": "Health visitor's 2-year review: on track."},
    )
    assert response.url == f"/episodes/{outcome.episode_id}/"
    outcome.refresh_from_db()
    assert outcome.sustained == Outcome.Sustained.SUSTAINED
    assert outcome.sustained_evidence == "Health visitor's 2-year review: on track."
    assert outcome.sustained_checked_by == alice
    assert outcome.sustained_checked_at is not None
    event = AuditEvent.objects.get(action="episode.sustainment_checked")
    assert (event.actor, event.record_id) == (alice, str(outcome.episode_id))
    assert event.detail == {"outcome": str(outcome.pk)}
    page = client.get(f"/episodes/{outcome.episode_id}/").content.decode()
    assert "Significant and sustained" in page
    assert "Good early years development: significant and sustained" in page  # the timeline
    assert client.get(sustained_url(outcome)).status_code == 404  # asked and answered


def test_the_hubs_manager_records_that_it_did_not_last(client, mo, achieved):
    outcome = period_over(achieved)
    sign_in(client, mo)
    client.post(
        sustained_url(outcome), {"sustained": "False", "evidence": "Nursery place given up."}
    )
    outcome.refresh_from_db()
    assert outcome.sustained == Outcome.Sustained.NOT_SUSTAINED
    assert outcome.sustained_checked_by == mo
    assert AuditEvent.objects.filter(action="episode.sustainment_checked", actor=mo).exists()


# No access


def test_an_outcome_not_achieved_has_no_sustainment_check(client, alice, mo, episode):
    outcome = episode.outcomes.get()
    close_with(episode, {outcome: "partly"}, lead=alice, manager=mo)
    sign_in(client, alice)
    assert client.get(sustained_url(outcome)).status_code == 404


def test_the_check_is_for_those_who_run_the_episode(client, alice, bob, nia, achieved):
    outcome = period_over(achieved)
    answer = {"sustained": "True", "evidence": "Reports"}
    assert client.post(sustained_url(outcome), answer).status_code == 302  # to sign in
    sign_in(client, bob)
    assert client.post(sustained_url(outcome), answer).status_code == 404
    sign_in(client, nia)
    assert client.post(sustained_url(outcome), answer).status_code == 404
    assert Outcome.objects.get(pk=outcome.pk).sustained == ""


# --- The daily reminder: manage.py check_sustainment --------------------------------------------


def check_sustainment(capture, *, now=None) -> str:
    out = StringIO()
    clock = mock.patch("django.utils.timezone.now", return_value=now or timezone.now())
    with clock, capture(execute=True):
        call_command("check_sustainment", stdout=out)
    run_tasks()
    return out.getvalue()


def test_the_lead_and_hub_managers_are_asked_once_per_episode_and_not_again(
    alice, mo, wes, nia, episode, django_capture_on_commit_callbacks
):
    early_years = episode.outcomes.get()
    housing = episodes.add_outcome(episode, area="housing", goal="A stable tenancy", by=alice)
    close_with(episode, {early_years: "achieved", housing: "achieved"}, lead=alice, manager=mo)
    later = allocated_episode(alice, child="Robin")  # sustainment period not over yet
    close_with(later, {later.outcomes.get(): "achieved"}, lead=alice, manager=mo)
    Outcome.objects.filter(episode=episode).update(sustain_check_due=timezone.localdate())
    mail.outbox.clear()

    output = check_sustainment(django_capture_on_commit_callbacks)

    assert "Asked about 2 outcomes in 1 episodes" in output
    (email,) = mail.outbox
    assert sorted(email.to) == sorted([alice.email, mo.email, wes.email])  # not Nia
    assert email.subject == f"Check whether outcomes have lasted: {episode.reference}"
    assert "2 outcomes" in email.body
    assert f"/episodes/{episode.pk}/" in email.body
    for name in ("Jamie", "Robin", "Taylor", "Sam"):
        assert name not in email.subject + email.body
    assert set(
        Outcome.objects.filter(episode=episode).values_list("sustain_reminded_on", flat=True)
    ) == {timezone.localdate()}

    mail.outbox.clear()
    tomorrow = timezone.now() + timedelta(days=1)
    output = check_sustainment(django_capture_on_commit_callbacks, now=tomorrow)
    assert "Asked about 0 outcomes in 0 episodes" in output
    assert mail.outbox == []


def test_an_outcome_already_confirmed_is_not_asked_about(
    alice, mo, achieved, django_capture_on_commit_callbacks
):
    outcome = period_over(achieved)
    episodes.confirm_sustained(outcome, sustained=True, evidence="Reports", by=alice)
    mail.outbox.clear()
    assert "Asked about 0 outcomes" in check_sustainment(django_capture_on_commit_callbacks)
    assert mail.outbox == []


# --- The claim ----------------------------------------------------------------------------------


def sustained(outcome: Outcome, by) -> Outcome:
    return episodes.confirm_sustained(
        period_over(outcome), sustained=True, evidence="Reports", by=by
    )


def test_a_claim_needs_an_outcome_confirmed_as_sustained(client, alice, mo, achieved):
    episode = achieved.episode
    sign_in(client, mo)
    assert "Supporting Families claim" in client.get(f"/episodes/{episode.pk}/").content.decode()
    for status in ("ready", "claimed"):
        response = client.post(claim_url(episode), {"status": status, "quarter": "2026-Q3"})
        assert (
            "A claim needs at least one outcome confirmed as significant and sustained"
            in response.content.decode()
        )
    assert Episode.objects.get(pk=episode.pk).claim_status == "not_ready"
    assert not AuditEvent.objects.filter(action="episode.claim_changed").exists()

    sustained(achieved, alice)
    response = client.post(claim_url(episode), {"status": "ready", "quarter": ""})
    assert response.url == f"/episodes/{episode.pk}/"
    assert Episode.objects.get(pk=episode.pk).claim_status == "ready"
    event = AuditEvent.objects.get(action="episode.claim_changed")
    assert (event.actor, event.record_id) == (mo, str(episode.pk))
    assert event.detail == {"before": "not_ready", "after": "ready"}


def test_a_claim_made_needs_the_quarter_it_was_made_in(client, alice, ada, achieved):
    episode = achieved.episode
    sustained(achieved, alice)
    sign_in(client, ada)
    response = client.post(claim_url(episode), {"status": "claimed", "quarter": ""})
    assert "Enter the quarter the claim is made in, like 2026-Q3" in response.content.decode()
    response = client.post(claim_url(episode), {"status": "claimed", "quarter": "Q3 2026"})
    assert "Enter the quarter like 2026-Q3" in response.content.decode()
    assert Episode.objects.get(pk=episode.pk).claim_status == "not_ready"

    client.post(claim_url(episode), {"status": "claimed", "quarter": "2026-Q3"})
    episode.refresh_from_db()
    assert (episode.claim_status, episode.claim_quarter) == ("claimed", "2026-Q3")
    event = AuditEvent.objects.get(action="episode.claim_changed")
    assert (event.actor, event.detail) == (ada, {"before": "not_ready", "after": "claimed"})
    assert "Claimed (2026-Q3)" in client.get(f"/episodes/{episode.pk}/").content.decode()
    assert episode.events.filter(kind="claim", summary="Claim: Claimed").exists()


def test_a_rejected_claim_needs_no_sustained_outcome(client, mo, achieved):
    sign_in(client, mo)
    client.post(claim_url(achieved.episode), {"status": "rejected"})
    assert Episode.objects.get(pk=achieved.episode_id).claim_status == "rejected"


# No access


def test_practitioners_cannot_change_the_claim(client, alice, achieved):
    sustained(achieved, alice)
    episode = achieved.episode
    sign_in(client, alice)  # the lead practitioner
    assert "Supporting Families claim" not in (
        client.get(f"/episodes/{episode.pk}/").content.decode()
    )
    assert client.get(claim_url(episode)).status_code == 403
    assert client.post(claim_url(episode), {"status": "ready"}).status_code == 403
    assert Episode.objects.get(pk=episode.pk).claim_status == "not_ready"


def test_a_manager_of_another_hub_cannot_see_the_claim(client, alice, nia, achieved):
    sustained(achieved, alice)
    sign_in(client, nia)
    assert client.post(claim_url(achieved.episode), {"status": "ready"}).status_code == 404
    assert Episode.objects.get(pk=achieved.episode_id).claim_status == "not_ready"
