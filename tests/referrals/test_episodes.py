"""The Team Around the Family: opening, due dates, the team, the plan, meetings, closure, step up
and step down, re-referrals, connection requests and reminders."""

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Agency, User
from directory.models import Organisation, Service
from referrals import episodes
from referrals.models import (
    Action,
    ConnectionRequest,
    Consent,
    Episode,
    Meeting,
    Outcome,
    SupportRequest,
    TeamMember,
)
from referrals.reminders import send_due_reminders, send_overdue_digests
from tests.factories import (
    UserFactory,
    allocated_episode,
    practitioner,
    sent_assessment,
    sign_in,
)
from tests.tasks import run_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("emails_queue_at_once")]


@pytest.fixture
def pat(db):
    """Pat, Khulisa's provider editor."""
    return UserFactory(
        email="pat@khulisa.example.org",
        first_name="Pat",
        last_name="Parker",
        agency=Agency.VOLUNTARY,
        roles=[roles.PROVIDER_EDITOR],
        provider_organisation=Organisation.objects.get(key="khulisa"),
    )


@pytest.fixture
def episode(alice):
    return allocated_episode(alice)


def _action(episode, member, *, due=None, what="Go to the speech drop-in"):
    return Action.objects.create(
        outcome=episode.outcomes.get(),
        what=what,
        owner_member=member,
        due_on=due or timezone.localdate() + timedelta(days=14),
    )


# --- Opening and due dates ----------------------------------------------------------------------


def test_allocation_opens_an_episode_with_the_plan_started_from_the_assessment(client, alice, mo):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    client.post(
        f"/front-door/{support_request.pk}/",
        {
            "kind": "allocate",
            "level_of_need": "targeted",
            "reason": "School to lead",
            "lead_practitioner": alice.pk,
            "version": support_request.version,
        },
    )
    episode = Episode.objects.get(support_request=support_request)
    assert episode.status == Episode.Status.FORMING
    assert episode.lead_practitioner == alice
    assert episode.family == support_request.assessment.family
    (outcome,) = episode.outcomes.all()
    assert outcome.area == "early_years"
    assert outcome.goal == "Speech is behind."
    assert episode.members.get().user == alice
    timeline = [e.kind for e in episode.events.all()]
    assert timeline == ["allocated", "assessment"]  # newest first


@pytest.mark.parametrize(
    ("allocated", "due"),
    [
        # 15 working days, skipping Christmas Day (Fri), Boxing Day's substitute (Mon 28th) and
        # New Year's Day (Fri).
        (date(2026, 12, 21), date(2027, 1, 14)),
        # Over the Easter weekend 2027 (Good Friday 26 March, Easter Monday 29 March).
        (date(2027, 3, 22), date(2027, 4, 14)),
        # No bank holiday: three calendar weeks.
        (date(2027, 2, 1), date(2027, 2, 22)),
    ],
)
def test_the_first_meeting_is_due_15_working_days_after_allocation(allocated, due):
    assert episodes.first_meeting_due(allocated) == due


def test_the_first_meeting_due_is_a_setting(settings):
    settings.TAF_FIRST_MEETING_WORKING_DAYS = 5
    assert episodes.first_meeting_due(date(2027, 2, 1)) == date(2027, 2, 8)


def test_reviews_fall_due_every_n_weeks_after_the_last_meeting(episode, alice):
    assert episodes.next_due(episode).label == "First TAF meeting"
    Meeting.objects.create(
        episode=episode, kind="first", held_on=date(2027, 1, 10), notes="Met", recorded_by=alice
    )
    due = episodes.next_due(episode)
    assert (due.label, due.on) == ("Review", date(2027, 2, 21))
    episode.review_weeks = 12
    assert episodes.next_due(episode).on == date(2027, 4, 4)


def test_the_first_meeting_makes_the_episode_active_and_a_review_rates_progress(
    client, alice, episode
):
    Episode.objects.filter(pk=episode.pk).update(opened_at=timezone.now() - timedelta(days=60))
    first, review = timezone.localdate() - timedelta(days=50), timezone.localdate()
    sign_in(client, alice)
    member = episode.members.get()
    client.post(
        f"/episodes/{episode.pk}/meetings/add/",
        {
            "held_on_0": first.day,
            "held_on_1": first.month,
            "held_on_2": first.year,
            "attendees": [member.pk],
            "note_taker": member.pk,
            "notes": "Agreed the plan with mum.",
        },
    )
    episode.refresh_from_db()
    assert episode.status == Episode.Status.ACTIVE
    outcome = episode.outcomes.get()
    response = client.post(
        f"/episodes/{episode.pk}/meetings/add/",
        {
            "held_on_0": review.day,
            "held_on_1": review.month,
            "held_on_2": review.year,
            "notes": "Going well.",
            "scale_practitioner": "7",
            "scale_parent": "8",
            "scale_child": "",
            f"progress_{outcome.pk}": "4",
            "next_step": "continue",
            "review_weeks": "8",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    review_meeting = episode.meetings.get(kind=Meeting.Kind.REVIEW)
    assert (
        review_meeting.scale_practitioner,
        review_meeting.scale_parent,
        review_meeting.scale_child,
    ) == (7, 8, None)
    assert review_meeting.progress.get().rating == 4
    episode.refresh_from_db()
    assert episode.review_weeks == 8
    assert episodes.next_due(episode).on == review + timedelta(weeks=8)


def test_a_meeting_cannot_be_in_the_future_or_before_the_episode(client, alice, episode):
    sign_in(client, alice)
    for when, message in [
        (timezone.localdate() + timedelta(days=1), "must be today or in the past"),
        (timezone.localdate() - timedelta(days=400), "when the episode opened"),
    ]:
        response = client.post(
            f"/episodes/{episode.pk}/meetings/add/",
            {"held_on_0": when.day, "held_on_1": when.month, "held_on_2": when.year, "notes": "x"},
        )
        assert message in response.content.decode()
    assert not episode.meetings.exists()


def test_impossible_and_enormous_dates_get_a_plain_message(client, alice, episode):
    sign_in(client, alice)
    for day, month, year in [("31", "2", "2027"), ("99999999999999999999", "1", "2027")]:
        response = client.post(
            f"/episodes/{episode.pk}/meetings/add/",
            {"held_on_0": day, "held_on_1": month, "held_on_2": year, "notes": "x"},
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Date of the meeting must be a real date" in page
        assert 'href="#id_held_on_0"' in page


def test_nobody_the_family_refused_can_lead(client, alice, mo):
    from accounts.models import Agency

    support_request = sent_assessment(alice)
    Consent.objects.filter(assessment__support_request=support_request).update(
        must_not_see_agencies=[Agency.POLICE]
    )
    officer = practitioner(email="pc2@police.example.org", agency=Agency.POLICE)
    sign_in(client, mo)
    response = client.post(
        f"/front-door/{support_request.pk}/",
        {
            "kind": "allocate",
            "level_of_need": "targeted",
            "reason": "x",
            "lead_practitioner": officer.pk,
            "version": support_request.version,
        },
    )
    assert "cannot lead this family" in response.content.decode()
    assert not Episode.objects.filter(support_request=support_request).exists()


def test_a_closed_episode_keeps_its_team(client, alice, bob, episode):
    member = episodes.add_member(episode, bob, role="Health visitor", by=alice)
    episodes.close(episode, reason="needs_met", results={}, summary="Done", by=alice)
    sign_in(client, alice)
    response = client.post(f"/episodes/{episode.pk}/team/{member.pk}/remove/")
    assert response.status_code == 403
    assert TeamMember.objects.get(pk=member.pk).removed_at is None


def test_a_review_must_rate_every_outcome_and_say_what_next(client, alice, episode):
    Meeting.objects.create(
        episode=episode, kind="first", held_on=date(2027, 1, 5), notes="Met", recorded_by=alice
    )
    sign_in(client, alice)
    response = client.post(f"/episodes/{episode.pk}/meetings/add/", {"notes": "x"})
    page = response.content.decode()
    assert "Rate progress on good early years development" in page
    assert "Choose what happens next" in page
    assert "Enter the date of the meeting" in page


# --- The team -----------------------------------------------------------------------------------


def test_the_family_said_police_must_not_see_it_so_adding_police_needs_a_reason(
    client, alice, episode
):
    Consent.objects.filter(assessment__family=episode.family).update(
        must_not_see_agencies=[Agency.POLICE]
    )
    officer = practitioner(email="pc@police.example.org", agency=Agency.POLICE)
    sign_in(client, alice)
    details = {
        "invite-first_name": "Pat",
        "invite-last_name": "Constable",
        "invite-email": officer.email,
        "invite-agency": "police",
        "invite-organisation_name": "Met Police",
        "invite-job_title": "PCSO",
        "invite-role_in_team": "Neighbourhood officer",
    }
    response = client.post(f"/episodes/{episode.pk}/team/", details)
    assert "The family asked that this person should not see their information" in (
        response.content.decode()
    )
    assert not TeamMember.objects.filter(user=officer).exists()

    client.post(
        f"/episodes/{episode.pk}/team/",
        details
        | {"invite-override_reason": "Dad asked for the officer's help with the harassment."},
    )
    member = TeamMember.objects.get(user=officer)
    assert member.override_reason.startswith("Dad asked")
    assert "against the family" in client.get(f"/episodes/{episode.pk}/").content.decode()


def test_a_person_named_in_the_consent_is_refused_too(alice, episode):
    Consent.objects.filter(assessment__family=episode.family).update(
        must_not_see="Their uncle, who works at Hendon Youth Club"
    )
    youth_worker = practitioner(organisation_name="Hendon Youth Club", agency=Agency.YOUTH)
    with pytest.raises(episodes.MustNotSee):
        episodes.add_member(episode, youth_worker, role="Youth worker", by=alice)


def _invite_to_the_team(client, episode, email):
    return client.post(
        f"/episodes/{episode.pk}/team/",
        {
            "invite-first_name": "Hana",
            "invite-last_name": "Haddad",
            "invite-email": email,
            "invite-agency": "housing",
            "invite-organisation_name": "Barnet Homes",
            "invite-job_title": "Housing officer",
            "invite-role_in_team": "Housing",
        },
        follow=True,
    )


def test_a_contact_at_a_partner_agency_is_invited_and_added(client, alice, episode, settings):
    settings.AGENCY_EMAIL_DOMAINS = ["barnethomes.org"]
    sign_in(client, alice)
    _invite_to_the_team(client, episode, "hana@housing.barnethomes.org")
    member = TeamMember.objects.get(user__email="hana@housing.barnethomes.org")
    assert member.user.has_perm("referrals.view_episode")
    assert not member.user.awaiting_approval
    run_tasks()
    subjects = [m.subject for m in mail.outbox]
    assert any("invited" in s for s in subjects)
    assert any("joined the team around a family" in s for s in subjects)
    assert all("Jamie" not in s and "Taylor" not in s for s in subjects)


def test_the_team_form_answers_alike_with_or_without_an_account(client, alice, bob, episode):
    """It cannot be used to find out whether an email address has an account."""
    sign_in(client, alice)
    known = _invite_to_the_team(client, episode, bob.email)
    unknown = _invite_to_the_team(client, episode, "nobody@barnethomes.org")
    for response in (known, unknown):
        assert response.redirect_chain[-1][0] == f"/episodes/{episode.pk}/team/"
        assert "added to the team" in response.content.decode()
        assert "No one has an account" not in response.content.decode()


def test_an_outside_contact_waits_for_an_administrators_approval(
    client, alice, ada, episode, settings
):
    settings.AGENCY_EMAIL_DOMAINS = ["barnethomes.org"]
    sign_in(client, alice)
    # A look-alike domain is not a partner agency.
    page = _invite_to_the_team(client, episode, "hana@notbarnethomes.org").content.decode()
    assert "waits for an administrator&#x27;s approval" in page
    hana = User.objects.get(email="hana@notbarnethomes.org")
    assert hana.awaiting_approval
    assert hana.invited_by == alice
    assert TeamMember.objects.filter(episode=episode, user=hana).exists()
    run_tasks()
    assert not [m for m in mail.outbox if hana.email in m.to]  # nothing until approved
    (ask,) = [m for m in mail.outbox if m.to == [ada.email]]  # the administrators
    assert "waiting for your approval" in ask.subject
    assert "Jamie" not in ask.body
    assert "Taylor" not in ask.body


def test_changing_the_lead_practitioner_is_a_recorded_handover(client, alice, bob, episode):
    episodes.add_member(episode, bob, role="Health visitor", by=alice)
    sign_in(client, alice)
    client.post(
        f"/episodes/{episode.pk}/lead/", {"new_lead": bob.pk, "reason": "Alice is on leave"}
    )
    episode.refresh_from_db()
    assert episode.lead_practitioner == bob
    handover = episode.events.get(kind="handover")
    assert "from Alice" in handover.summary
    assert "Alice is on leave" in handover.summary


# --- The plan -----------------------------------------------------------------------------------


def test_members_update_their_own_actions_and_the_lead_updates_any(alice, bob, episode):
    bobs = episodes.add_member(episode, bob, role="Health visitor", by=alice)
    carol = UserFactory(roles=[roles.PRACTITIONER])
    carols = episodes.add_member(episode, carol, role="School nurse", by=alice)
    bobs_action = _action(episode, bobs)
    carols_action = _action(episode, carols)

    episodes.update_action(bobs_action, status="in_progress", note="Booked", by=bob)
    with pytest.raises(PermissionDenied):
        episodes.update_action(carols_action, status="done", note="", by=bob)
    episodes.update_action(carols_action, status="done", note="Seen", by=alice)
    assert Action.objects.get(pk=carols_action.pk).status == "done"
    assert bobs_action.notes.get().text == "Booked"


def test_an_action_is_owned_by_a_member_or_a_family_member(client, alice, episode):
    sign_in(client, alice)
    mum = episode.family.people.get(first_name="Sam")
    client.post(
        f"/episodes/{episode.pk}/plan/actions/add/",
        {
            "outcome": episode.outcomes.get().pk,
            "what": "Keep a sleep diary",
            "owner": f"person:{mum.pk}",
            "due_on_0": "1",
            "due_on_1": "3",
            "due_on_2": "2027",
        },
    )
    action = Action.objects.get(what="Keep a sleep diary")
    assert action.owner_person == mum
    page = client.get(f"/episodes/{episode.pk}/plan/print/").content.decode()
    assert "Sam Taylor (family) will keep a sleep diary by 1 March 2027" in page


def test_the_overdue_action_shows_on_the_caseload(client, alice, episode):
    _action(episode, episode.members.get(), due=timezone.localdate() - timedelta(days=3))
    sign_in(client, alice)
    page = client.get("/episodes/").content.decode()
    assert episode.reference in page
    assert 'govuk-tag--red">1<' in page


# --- Closure, step up, step down, re-referral ---------------------------------------------------


def test_closing_records_the_reason_and_each_outcome_once_a_manager_signs_it_off(
    client, alice, mo, episode
):
    sign_in(client, alice)
    outcome = episode.outcomes.get()
    response = client.post(f"/episodes/{episode.pk}/close/", {})
    assert "Choose why the episode is closing" in response.content.decode()
    assert "Say who the family can turn to now" in response.content.decode()
    client.post(
        f"/episodes/{episode.pk}/close/",
        {
            "reason": "needs_met",
            f"result_{outcome.pk}": "achieved",
            "summary": "Speech is on track; nursery continues.",
            "moving_on_contacts": "Nursery key worker; the children's centre's stay and play.",
            "moving_on_if_worse": "Phone West hub on 020 8359 6300.",
            "level_of_need": "universal",
        },
    )
    episode.refresh_from_db()
    assert episode.is_open
    assert episode.awaiting_sign_off
    assert Outcome.objects.get(pk=outcome.pk).result == ""  # not until it is signed off
    assert client.get(f"/episodes/{episode.pk}/close/sign-off/").status_code == 403
    sign_in(client, mo)
    page = client.get(f"/episodes/{episode.pk}/close/sign-off/").content.decode()
    assert "Nursery key worker" in page
    client.post(f"/episodes/{episode.pk}/close/sign-off/", {"approve": "True"})
    episode.refresh_from_db()
    assert episode.status == Episode.Status.CLOSED
    assert episode.closure_reason == "needs_met"
    assert episode.closure_signed_off_by == mo
    assert episode.closure_level_of_need == "universal"
    closed = Outcome.objects.get(pk=outcome.pk)
    assert closed.result == "achieved"
    assert closed.sustain_check_due is not None
    sign_in(client, alice)
    assert client.get(f"/episodes/{episode.pk}/close/").status_code == 403


def test_step_up_shows_the_mash_route_and_closes_the_episode(client, alice, episode):
    sign_in(client, alice)
    page = client.get(f"/episodes/{episode.pk}/step-up/").content.decode()
    assert "MASH" in page
    assert "999" in page
    client.post(f"/episodes/{episode.pk}/step-up/", {"reason": "Disclosure at school"})
    episode.refresh_from_db()
    assert episode.closure_reason == Episode.ClosureReason.STEPPED_UP
    assert episode.step_up_reason == "Disclosure at school"


STEP_DOWN = {
    "social_care_reference": "CSC-4411",
    "social_worker_name": "Sally Worker",
    "social_worker_contact": "020 8359 0000",
    "transfer_meeting_on_0": "1",
    "transfer_meeting_on_1": "12",
    "transfer_meeting_on_2": "2026",
    "summary": "Social care closing; early help to continue.",
    "family_agreed": "True",
    "postcode": "HA8 7AA",
    "child_1_first_name": "Noor",
    "child_1_last_name": "Hassan",
    "child_1_date_of_birth_0": "4",
    "child_1_date_of_birth_1": "6",
    "child_1_date_of_birth_2": "2016",
    "parent_first_name": "Amira",
    "parent_last_name": "Hassan",
    "level_of_need": "targeted",
}


def test_a_step_down_needs_no_earlier_assessment_and_records_the_handover(client, bob, mo):
    sign_in(client, mo)
    response = client.post("/hub/west/step-down/", {})
    page = response.content.decode()
    assert "Enter the children&#x27;s social care reference" in page
    assert "Enter the child&#x27;s first name" in page
    response = client.post("/hub/west/step-down/", {**STEP_DOWN, "lead_email": bob.email})
    episode = Episode.objects.get(origin=Episode.Origin.STEP_DOWN)
    assert response.url == f"/episodes/{episode.pk}/"
    assert episode.lead_practitioner == bob
    assert episode.hub.slug == "west"
    assert episode.level_of_need == "targeted"
    assert episode.assessment_due is not None  # the lead's assessment falls due
    contact = episode.support_request
    assert contact.kind == "step_down"
    assert contact.source == "social_care"
    assert contact.recorded_contact.social_care_reference == "CSC-4411"
    assert contact.recorded_contact.transfer_meeting_on == date(2026, 12, 1)
    (child,) = [p.child for p in contact.family.people.filter(role="child")]
    assert child.reference.startswith("C-")
    assert "transfer meeting 1 December 2026" in episode.events.first().summary


def test_a_step_down_the_family_did_not_agree_to_is_refused(client, bob, mo):
    sign_in(client, mo)
    page = client.post(
        "/hub/west/step-down/", {**STEP_DOWN, "family_agreed": "False", "lead_email": bob.email}
    ).content.decode()
    assert "Early help needs the family&#x27;s agreement" in page
    assert not Episode.objects.exists()


def test_a_new_assessment_within_12_months_of_closure_is_flagged_as_a_re_referral(
    client, alice, bob, mo, episode
):
    episodes.close(episode, reason="needs_met", results={}, summary="Done", by=alice)
    again = sent_assessment(bob)  # same child: Jamie Taylor, 27 March 2019
    assert again.previous_episode == episode
    sign_in(client, mo)
    assert "Re-referral" in client.get("/hub/west/queue/").content.decode()
    assert "Re-referral" in client.get(f"/front-door/{again.pk}/").content.decode()


def test_a_closure_over_12_months_ago_is_not_a_re_referral(alice, bob, episode):
    episodes.close(episode, reason="needs_met", results={}, summary="Done", by=alice)
    Episode.objects.filter(pk=episode.pk).update(closed_at=timezone.now() - timedelta(days=400))
    assert sent_assessment(bob).previous_episode is None


def test_another_child_is_not_a_re_referral(alice, bob, episode):
    episodes.close(episode, reason="needs_met", results={}, summary="Done", by=alice)
    assert sent_assessment(bob, child="Robin").previous_episode is None


# --- Connection requests ------------------------------------------------------------------------


def test_a_connection_request_is_accepted_by_the_provider(client, alice, pat, episode):
    action = _action(episode, episode.members.get())
    khulisa = Service.objects.get(organisation__key="khulisa")
    run_tasks()
    mail.outbox.clear()
    sign_in(client, alice)
    client.post(
        f"/episodes/{episode.pk}/plan/actions/{action.pk}/connect/",
        {"service": khulisa.pk, "reason": "Mum is isolated", "how_to_engage": "Text first"},
    )
    connection = ConnectionRequest.objects.get()
    run_tasks()
    (to_provider,) = mail.outbox
    assert to_provider.to == [pat.email]
    assert "Jamie" not in to_provider.subject + to_provider.body
    mail.outbox.clear()

    sign_in(client, pat)
    assert "Mum is isolated" in client.get(f"/connections/{connection.pk}/").content.decode()
    client.post(f"/connections/{connection.pk}/", {"decision": "decline"})
    assert ConnectionRequest.objects.get().status == "pending"  # declining needs a reason
    client.post(
        f"/connections/{connection.pk}/",
        {"decision": "accept", "response": "A champion will call on Monday"},
    )
    connection.refresh_from_db()
    assert connection.status == "accepted"
    run_tasks()
    (to_practitioner,) = mail.outbox
    assert to_practitioner.to == [alice.email]
    assert "accepted" in to_practitioner.subject

    sign_in(client, alice)
    page = client.get(f"/episodes/{episode.pk}/").content.decode()
    assert f"Connection to {khulisa.name}: accepted" in page.replace("&#x27;", "'")


def test_no_connection_request_without_consent_to_share(client, alice, episode):
    Consent.objects.filter(assessment__family=episode.family).update(to_share=False)
    action = _action(episode, episode.members.get())
    sign_in(client, alice)
    khulisa = Service.objects.get(organisation__key="khulisa")
    response = client.post(
        f"/episodes/{episode.pk}/plan/actions/{action.pk}/connect/",
        {"service": khulisa.pk, "reason": "x", "how_to_engage": "y"},
    )
    assert "cannot send their details" in response.content.decode()
    assert not ConnectionRequest.objects.exists()


def test_providers_see_only_requests_to_their_organisation(client, alice, pat, episode):
    action = _action(episode, episode.members.get())
    other = Service.objects.published().exclude(organisation__key="khulisa").first()
    connection = episodes.send_connection(
        action, service=other, reason="r", how_to_engage="h", by=alice
    )
    sign_in(client, pat)
    assert client.get(f"/connections/{connection.pk}/").status_code == 404
    assert other.name not in client.get("/connections/").content.decode()


# --- Reminders ----------------------------------------------------------------------------------


def test_the_lead_is_reminded_once_a_week_before_the_first_meeting(alice, episode):
    due = episode.first_meeting_due
    run_tasks()
    mail.outbox.clear()
    assert send_due_reminders(today=due - timedelta(days=8)) == 0
    assert send_due_reminders(today=due - timedelta(days=7)) == 1
    assert send_due_reminders(today=due - timedelta(days=7)) == 0  # not twice
    run_tasks()
    (email,) = mail.outbox
    assert email.to == [alice.email]
    assert f"First TAF meeting due on {due:%-d %B}" in email.subject


def test_the_weekly_digest_counts_overdue_actions_for_owners_and_leads(alice, bob, episode):
    bobs = episodes.add_member(episode, bob, role="Health visitor", by=alice)
    _action(episode, bobs, due=timezone.localdate() - timedelta(days=1))
    _action(episode, bobs, due=timezone.localdate() + timedelta(days=1))
    mail.outbox.clear()
    assert send_overdue_digests() == 2
    run_tasks()
    bodies = {tuple(m.to): m.body for m in mail.outbox if "past their date" in m.subject}
    assert "1 action in family plans you are part of is past" in bodies[(bob.email,)]
    assert (alice.email,) in bodies


def test_an_allocated_request_links_to_its_episode_in_the_email(alice, mo):
    support_request = sent_assessment(alice)
    with mock.patch(
        "django.utils.timezone.now", return_value=timezone.make_aware(datetime(2027, 2, 1, 10))
    ):
        from referrals.services import decide

        decide(
            support_request_id=support_request.pk,
            kind="allocate",
            reason="x",
            by=mo,
            lead_practitioner=alice,
            seen_version=support_request.version,
        )
    assert SupportRequest.objects.get(pk=support_request.pk).episode.first_meeting_due == date(
        2027, 2, 22
    )


def test_no_connection_to_an_organisation_the_family_refused(alice, episode):
    from accounts.models import Agency

    Consent.objects.filter(assessment__family=episode.family).update(
        must_not_see_agencies=[Agency.VOLUNTARY]
    )
    action = _action(episode, episode.members.get())
    khulisa = Service.objects.get(organisation__key="khulisa")
    with pytest.raises(ValidationError, match="voluntary and community organisations"):
        episodes.send_connection(action, service=khulisa, reason="r", how_to_engage="h", by=alice)


def test_the_re_referral_flag_is_for_the_front_door_only(client, alice, bob, episode):
    episodes.close(episode, reason="needs_met", results={}, summary="Done", by=alice)
    again = sent_assessment(bob)
    sign_in(client, bob)
    assert "Re-referral" not in client.get(f"/requests/{again.pk}/").content.decode()


def test_an_empty_caseload_says_so_without_drawing_an_empty_table(client, bob):
    sign_in(client, bob)
    page = client.get(reverse("referrals:caseload")).content.decode()
    assert "You are not part of any open episode." in page
    assert "<table" not in page


def test_a_provider_with_no_connection_requests_is_told_so_without_an_empty_table(client, pat):
    sign_in(client, pat)
    page = client.get(reverse("referrals:connections")).content.decode()
    assert "No requests yet." in page
    assert "<table" not in page
