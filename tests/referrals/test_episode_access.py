"""Who may see and do what in the Team Around the Family: every view in referrals/episode_views.py
for every kind of person, the audit trail each look leaves, the family's "must not see" wishes
when the team is formed, and the number of queries the busiest pages read.

The people: anonymous (anyone), Alice (the episode's lead practitioner), Bob (a health visitor in
Alice's team), Dan (a youth worker in another family's team only), Charlie (a GP with no
relationship to either family), Mo (manager of the West hub, where the family lives), Nia
(manager of the East/Central hub: a worker in another hub), Ada (an administrator) and Pat
(Khulisa's provider editor, who answers connection requests sent to Khulisa).

Scoping is in the query: an episode outside someone's reach is a 404; a page their role or their
part in the team does not allow is a 403. "sign in" means anonymous people are sent to sign in.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import cycle

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, User
from directory.models import Service
from earlyhelp.models import AuditEvent
from referrals import episode_views, episodes
from referrals.models import (
    Action,
    ActionNote,
    Assessment,
    ConnectionRequest,
    Consent,
    Episode,
    EpisodeEvent,
    Family,
    Meeting,
    NeedArea,
    Outcome,
    OutcomeProgress,
    TeamMember,
)
from tests.access import SIGN_IN, as_, outcome, routes_in, views_in
from tests.factories import allocated_episode, practitioner

MODULE = episode_views  # the views this matrix covers
pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "alice", "bob", "dan", "charlie", "mo", "nia", "ada", "pat"]


# --- People and records -------------------------------------------------------------------------


@pytest.fixture
def dan(db):
    """Dan, a youth worker in the team around another family only."""
    return practitioner(
        email="dan@youth.example.org", first_name="Dan", last_name="Dale", agency=Agency.YOUTH
    )


@pytest.fixture
def charlie(db):
    """Charlie, a GP with no relationship to any family here."""
    return practitioner(
        email="charlie@gp.example.org", first_name="Charlie", last_name="Clark", agency=Agency.GP
    )


@pytest.fixture
def people(alice, bob, dan, charlie, mo, nia, ada, pat):
    return {
        "anonymous": None,
        "alice": alice,
        "bob": bob,
        "dan": dan,
        "charlie": charlie,
        "mo": mo,
        "nia": nia,
        "ada": ada,
        "pat": pat,
    }


def khulisas_service() -> Service:
    return Service.objects.published().get(organisation__key="khulisa")


def another_organisations_service() -> Service:
    return Service.objects.published().exclude(organisation__key="khulisa").order_by("name")[0]


def in_a_fortnight() -> date:
    return timezone.localdate() + timedelta(days=14)


def ask(action: Action, service: Service, by: User) -> ConnectionRequest:
    return ConnectionRequest.objects.create(
        action=action,
        service=service,
        organisation=service.organisation,
        reason="Mum would like a parent champion.",
        how_to_engage="Text first, mornings are best.",
        sent_by=by,
    )


@pytest.fixture
def records(alice, bob, dan):
    """Jamie's episode at the West hub, led by Alice, with Bob in the team: an action each, a
    first meeting, and two connection requests from Alice's action (one to Khulisa). Dan is in
    the team around another West family."""
    episode = allocated_episode(alice)
    alices = episode.members.get(user=alice)
    bobs = TeamMember.objects.create(
        episode=episode, user=bob, role_in_team="Health visitor", added_by=alice
    )
    outcome = episode.outcomes.get()
    alices_action = Action.objects.create(
        outcome=outcome, what="Refer Jamie to speech therapy", owner_member=alices,
        due_on=in_a_fortnight(),
    )  # fmt: skip
    bobs_action = Action.objects.create(
        outcome=outcome, what="Visit to look at Jamie's sleep routine", owner_member=bobs,
        due_on=in_a_fortnight(),
    )  # fmt: skip
    meeting = Meeting.objects.create(
        episode=episode, kind=Meeting.Kind.FIRST, held_on=timezone.localdate(),
        notes="Met at nursery; Jamie's mum agreed the plan.", recorded_by=alice,
    )  # fmt: skip
    meeting.attendees.set([alices, bobs])
    other = allocated_episode(alice, child="Robin")
    TeamMember.objects.create(episode=other, user=dan, role_in_team="Youth worker", added_by=alice)
    eha = Assessment.objects.create(
        author=alice, episode=episode, family=Family.objects.create(postcode="NW7 1AA"),
        submitted_at=timezone.now(),
    )  # fmt: skip
    return {
        "episode": episode,
        "outcome": outcome,
        "eha": eha,
        "bobs_membership": bobs,
        "alices_action": alices_action,
        "bobs_action": bobs_action,
        "meeting": meeting,
        "other": other,
        "to_khulisa": ask(alices_action, khulisas_service(), alice),
        "elsewhere": ask(alices_action, another_organisations_service(), alice),
    }


# --- Helpers ------------------------------------------------------------------------------------


def team_url(episode) -> str:
    return reverse("referrals:team", args=[episode.pk])


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Who may open what: every Team Around the Family view, for every kind of person -------------


@dataclass(frozen=True)
class Case:
    name: str
    route: str
    # Each argument is a key of ``records`` (its primary key is used) or a literal URL part.
    args: tuple[str, ...]
    # One outcome per person, in PEOPLE order: anonymous, alice, bob, dan, charlie, mo, nia, ada,
    # pat.
    expected: tuple
    method: str = "get"
    data: dict = field(default_factory=dict)
    # The record whose id an allowed look writes to the audit trail (None: a list page).
    audited: str | None = None

    def url(self, records: dict) -> str:
        args = [records[arg].pk if arg in records else arg for arg in self.args]
        return reverse(f"referrals:{self.route}", args=args)

    def outcome_for(self, who: str):
        return self.expected[PEOPLE.index(who)]


S = SIGN_IN
STAFF = (S, 200, 200, 200, 200, 200, 200, 200, 403)  # everyone who works with families
TEAM = (S, 200, 200, 404, 404, 200, 404, 200, 403)  # the team, the hub's managers, admins
LEADS = (S, 200, 403, 404, 404, 200, 404, 200, 403)  # those who run it: Bob can read, not change
LEADS_DONE = (S, 302, 403, 404, 404, 302, 404, 302, 403)  # the same, for a change that redirects
OWNER_DONE = (S, 302, 302, 404, 404, 302, 404, 302, 403)  # Bob's own action: he updates it too
WEST_HUB = (S, 403, 403, 403, 403, 200, 404, 200, 403)  # a West hub page: Nia is in another hub
EAST_HUB = (S, 403, 403, 403, 403, 404, 200, 200, 403)
PROVIDERS = (S, 403, 403, 403, 403, 403, 403, 403, 200)  # for provider users only
SIGN_OFF = (S, 403, 403, 403, 403, 302, 404, 302, 403)  # managers (nothing to sign off: back)
MANAGERS = (S, 403, 403, 403, 403, 200, 404, 200, 403)  # the hub's managers and admins
# A page for a closed (or stepped-up, or achieved) episode: the open one is not found by those
# who run it, and refused to the rest.
LEADS_ONLY_IF_CLOSED = (S, 404, 403, 404, 404, 404, 404, 404, 403)
NOT_KHULISAS = (S, 403, 403, 403, 403, 403, 403, 403, 404)  # another organisation's request
UPDATE = {"status": Action.Status.IN_PROGRESS, "note": "Appointment booked."}
E = ("episode",)

CASES = [
    Case("caseload", "caseload", (), STAFF),
    Case("episode", "episode", E, TEAM, audited="episode"),
    Case("team", "team", E, LEADS, audited="episode"),
    Case(
        "remove a member",
        "remove_member",
        ("episode", "bobs_membership"),
        LEADS_DONE,
        "post",
        audited="episode",
    ),
    Case("hand over", "hand_over", E, LEADS, audited="episode"),
    Case("add an outcome", "add_outcome", E, LEADS, audited="episode"),
    Case("add an action", "add_action", E, LEADS, audited="episode"),
    Case("action: Alice's", "action", ("episode", "alices_action"), TEAM, audited="episode"),
    Case("action: Bob's", "action", ("episode", "bobs_action"), TEAM, audited="episode"),
    Case(
        "update Alice's action",
        "action",
        ("episode", "alices_action"),
        LEADS_DONE,
        "post",
        UPDATE,
        audited="episode",
    ),
    Case(
        "update Bob's action",
        "action",
        ("episode", "bobs_action"),
        OWNER_DONE,
        "post",
        UPDATE,
        audited="episode",
    ),
    Case(
        "connect: Alice's action", "connect", ("episode", "alices_action"), LEADS, audited="episode"
    ),
    Case("connect: Bob's action", "connect", ("episode", "bobs_action"), TEAM, audited="episode"),
    Case("print the plan", "plan_print", E, TEAM, audited="episode"),
    Case("add a meeting", "add_meeting", E, LEADS, audited="episode"),
    Case("meeting", "meeting", ("episode", "meeting"), TEAM, audited="episode"),
    Case("close", "close_episode", E, LEADS, audited="episode"),
    Case("step up", "step_up", E, LEADS, audited="episode"),
    Case("hub episodes: West", "hub_episodes", ("west",), WEST_HUB),
    Case("hub episodes: East/Central", "hub_episodes", ("east-central",), EAST_HUB),
    Case("sign off a closure", "sign_off", E, SIGN_OFF, audited="episode"),
    Case("MASH outcome (not stepped up)", "mash_outcome", E, LEADS_ONLY_IF_CLOSED),
    Case("family feedback (still open)", "feedback", E, LEADS_ONLY_IF_CLOSED),
    Case("sustained (not achieved)", "sustained", ("episode", "outcome"), LEADS_ONLY_IF_CLOSED),
    Case("Supporting Families claim", "claim", E, MANAGERS, audited="episode"),
    Case(
        "start the assessment",
        "start_episode_assessment",
        E,
        LEADS_DONE,
        "post",
        audited="episode",
    ),
    Case("the episode's assessment", "episode_eha", ("episode", "eha"), TEAM, audited="eha"),
    Case("a spent feedback link", "family_feedback", ("not-a-link",), (404,) * 9),
    Case("connections", "connections", (), PROVIDERS),
    Case("connection to Khulisa", "connection", ("to_khulisa",), PROVIDERS, audited="to_khulisa"),
    Case("connection elsewhere", "connection", ("elsewhere",), NOT_KHULISAS, audited="elsewhere"),
]


def request(client, people, records, case: Case, who: str):
    return getattr(as_(client, people[who]), case.method)(case.url(records), case.data)


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_who_may_use_each_team_around_the_family_page(client, people, records, case, who):
    response = request(client, people, records, case, who)
    assert outcome(response) == case.outcome_for(who)


def test_the_matrix_covers_every_team_around_the_family_route():
    assert {pattern.name for pattern in routes_in(MODULE)} == {case.route for case in CASES}


def test_every_view_in_episode_views_has_a_route():
    views = views_in(episode_views)
    assert {pattern.callback.__name__ for pattern in routes_in(MODULE)} == views


# --- The audit trail: a granted look is recorded, a refused one records and shows nothing --------


def _refusals():
    for case in CASES:
        for who in PEOPLE:
            if case.outcome_for(who) in (SIGN_IN, 403, 404):
                yield pytest.param(case, who, id=f"{case.name}-{who}")


def _grants():
    for case in CASES:
        for who in PEOPLE:
            if case.audited and case.outcome_for(who) in (200, 302):
                yield pytest.param(case, who, id=f"{case.name}-{who}")


@pytest.mark.parametrize(("case", "who"), list(_refusals()))
def test_a_refused_look_records_nothing_and_shows_no_personal_data(
    client, people, records, case, who
):
    as_(client, people[who])
    before = AuditEvent.objects.count()
    response = getattr(client, case.method)(case.url(records), case.data)
    assert outcome(response) in (SIGN_IN, 403, 404)
    page = response.content.decode()
    assert "Jamie" not in page
    assert "Taylor" not in page
    assert "parent champion" not in page
    assert AuditEvent.objects.count() == before
    assert Action.objects.get(pk=records["alices_action"].pk).status == Action.Status.NOT_STARTED
    assert records["episode"].members.filter(removed_at=None).count() == 2


@pytest.mark.parametrize(("case", "who"), list(_grants()))
def test_a_granted_look_is_recorded_against_the_record(client, people, records, case, who):
    record = records[case.audited]
    response = request(client, people, records, case, who)
    assert response.status_code in (200, 302)
    assert AuditEvent.objects.filter(
        actor=people[who],
        record_type=record._meta.model_name,
        record_id=str(record.pk),
    ).exists()


def test_a_look_at_the_episode_is_recorded_as_viewed_and_printing_as_printed(client, bob, records):
    episode = records["episode"]
    as_(client, bob).get(reverse("referrals:episode", args=[episode.pk]))
    client.get(reverse("referrals:plan_print", args=[episode.pk]))
    actions = AuditEvent.objects.filter(actor=bob, record_id=str(episode.pk)).values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["episode.viewed", "plan.printed"]


def test_the_caseload_and_hub_pages_are_recorded(client, mo, records):
    as_(client, mo).get(reverse("referrals:caseload"))
    client.get(reverse("referrals:hub_episodes", args=["west"]))
    actions = set(AuditEvent.objects.filter(actor=mo).values_list("action", flat=True))
    assert {"episode.caseload_viewed", "episode.hub_list_viewed"} <= actions
    # The hub page records each episode it shows, not one count.
    listed = AuditEvent.objects.filter(actor=mo, action="episode.listed").values_list(
        "record_id", flat=True
    )
    assert str(records["episode"].pk) in set(listed)


# --- What a team member may do ------------------------------------------------------------------


def test_bob_reads_the_plan_and_meeting_but_is_offered_no_lead_practitioners_links(
    client, bob, records
):
    episode = records["episode"]
    page = as_(client, bob).get(reverse("referrals:episode", args=[episode.pk])).content.decode()
    assert "Refer Jamie to speech therapy" in page
    assert "Visit to look at Jamie" in page
    assert str(records["meeting"]) in page
    for lead_only in ("team", "hand_over", "add_outcome", "add_meeting", "close_episode"):
        assert reverse(f"referrals:{lead_only}", args=[episode.pk]) not in page
    meeting = client.get(reverse("referrals:meeting", args=[episode.pk, records["meeting"].pk]))
    assert "Jamie&#x27;s mum agreed the plan" in meeting.content.decode()


def test_bob_updates_his_own_action_with_a_note(client, bob, records):
    episode, action = records["episode"], records["bobs_action"]
    url = reverse("referrals:action", args=[episode.pk, action.pk])
    assert "Update progress" in as_(client, bob).get(url).content.decode()
    response = client.post(url, UPDATE)
    assert response.url == reverse("referrals:episode", args=[episode.pk]) + "#plan"
    action.refresh_from_db()
    assert action.status == Action.Status.IN_PROGRESS
    note = action.notes.get()
    assert (note.author, note.text) == (bob, "Appointment booked.")
    assert AuditEvent.objects.filter(
        actor=bob, action="episode.action_updated", record_id=str(episode.pk)
    ).exists()


def test_bob_reads_alices_action_but_cannot_update_it(client, bob, records):
    episode, action = records["episode"], records["alices_action"]
    url = reverse("referrals:action", args=[episode.pk, action.pk])
    page = as_(client, bob).get(url).content.decode()
    assert "Update progress" not in page
    assert "or the lead practitioner can update this action" in page
    assert client.post(url, UPDATE).status_code == 403
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED
    assert not ActionNote.objects.filter(action=action).exists()


def test_bob_cannot_remove_anyone_from_the_team(client, bob, records):
    member = records["bobs_membership"]
    url = reverse("referrals:remove_member", args=[records["episode"].pk, member.pk])
    assert as_(client, bob).post(url).status_code == 403
    member.refresh_from_db()
    assert member.removed_at is None


def test_a_removed_member_no_longer_finds_the_episode(client, alice, bob, records):
    episode, member = records["episode"], records["bobs_membership"]
    url = reverse("referrals:remove_member", args=[episode.pk, member.pk])
    assert as_(client, alice).post(url).url == team_url(episode)
    assert as_(client, bob).get(reverse("referrals:episode", args=[episode.pk])).status_code == 404
    caseload = client.get(reverse("referrals:caseload")).content.decode()
    assert episode.reference not in caseload


def test_the_lead_cannot_be_removed_from_the_team(client, alice, records):
    episode = records["episode"]
    lead = episode.members.get(user=alice)
    as_(client, alice).post(reverse("referrals:remove_member", args=[episode.pk, lead.pk]))
    lead.refresh_from_db()
    assert lead.removed_at is None


def test_an_action_or_meeting_of_another_episode_is_not_found_through_mine(client, alice, records):
    episode, other = records["episode"], records["other"]
    theirs = Action.objects.create(
        outcome=other.outcomes.get(), what="Theirs", owner_member=other.members.get(user=alice),
        due_on=in_a_fortnight(),
    )  # fmt: skip
    their_meeting = Meeting.objects.create(
        episode=other, kind=Meeting.Kind.FIRST, held_on=timezone.localdate(), notes="Theirs",
        recorded_by=alice,
    )  # fmt: skip
    dans = other.members.get(user__email="dan@youth.example.org")
    as_(client, alice)
    for url in (
        reverse("referrals:action", args=[episode.pk, theirs.pk]),
        reverse("referrals:connect", args=[episode.pk, theirs.pk]),
        reverse("referrals:meeting", args=[episode.pk, their_meeting.pk]),
    ):
        assert client.get(url).status_code == 404, url
    url = reverse("referrals:remove_member", args=[episode.pk, dans.pk])
    assert client.post(url).status_code == 404
    response = client.post(reverse("referrals:action", args=[episode.pk, theirs.pk]), UPDATE)
    assert response.status_code == 404
    assert Action.objects.get(pk=theirs.pk).status == Action.Status.NOT_STARTED
    assert TeamMember.objects.get(pk=dans.pk).removed_at is None


def test_mo_runs_the_west_episode_he_is_not_in(client, mo, records):
    episode, action = records["episode"], records["bobs_action"]
    assert not episode.members.filter(user=mo).exists()
    response = as_(client, mo).post(
        reverse("referrals:action", args=[episode.pk, action.pk]), UPDATE
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=action.pk).status == Action.Status.IN_PROGRESS


def test_nia_finds_nothing_of_the_west_hub(client, nia, records):
    as_(client, nia)
    assert not episodes.episodes_for(nia).filter(pk=records["episode"].pk).exists()
    page = client.get(reverse("referrals:hub_episodes", args=["east-central"])).content.decode()
    assert records["episode"].reference not in page


def test_pat_sees_only_requests_to_khulisa(client, pat, records):
    page = as_(client, pat).get(reverse("referrals:connections")).content.decode()
    assert khulisas_service().name in page
    assert another_organisations_service().name not in page
    assert list(episodes.connections_for(pat)) == [records["to_khulisa"]]


def test_once_closed_even_the_lead_cannot_change_the_episode(client, alice, records):
    episode = records["episode"]
    episodes.close(episode, reason="needs_met", results={}, summary="Done", by=alice)
    as_(client, alice)
    for route in (
        "team",
        "hand_over",
        "add_outcome",
        "add_action",
        "add_meeting",
        "close_episode",
        "step_up",
    ):
        assert client.get(reverse(f"referrals:{route}", args=[episode.pk])).status_code == 403
    url = reverse("referrals:action", args=[episode.pk, records["alices_action"].pk])
    assert client.post(url, UPDATE).status_code == 403
    assert client.get(reverse("referrals:episode", args=[episode.pk])).status_code == 200


# --- The family's "must not see" wishes when forming the team ------------------------------------

# The page's warning (the form's help text always says "must not see their information").
MUST_NOT_SEE = "The family asked that this person should not see their information"
REASON = "Dad asked for the officer's help with the harassment."


@pytest.fixture
def episode(alice):
    return allocated_episode(alice)


def family_says(episode, *, agencies=(), text=""):
    Consent.objects.filter(assessment__family=episode.family).update(
        must_not_see_agencies=list(agencies), must_not_see=text
    )


def add(client, episode, user, *, reason="", role="Neighbourhood officer"):
    """Add someone who has an account: the same form, with their details, as for anyone."""
    return invite(
        client,
        episode,
        reason=reason,
        role_in_team=role,
        first_name=user.first_name or "Someone",
        last_name=user.last_name or "Else",
        email=user.email,
    )


def invite(client, episode, *, reason="", **account):
    data = {
        "first_name": "Priya",
        "last_name": "Patel",
        "email": "priya@police.example.org",
        "agency": Agency.POLICE,
        "organisation_name": "Met Police",
        "job_title": "PCSO",
        "role_in_team": "Neighbourhood officer",
        "override_reason": reason,
    } | account
    return client.post(team_url(episode), {f"invite-{key}": value for key, value in data.items()})


def overridden(episode) -> bool:
    return AuditEvent.objects.filter(
        action="episode.must_not_see_overridden", record_id=str(episode.pk)
    ).exists()


def test_adding_an_agency_the_family_refused_is_refused_and_says_why(client, alice, episode):
    family_says(episode, agencies=[Agency.POLICE])
    officer = practitioner(email="pc@police.example.org", agency=Agency.POLICE)
    response = add(as_(client, alice), episode, officer)
    assert response.status_code == 200
    page = response.content.decode()
    assert MUST_NOT_SEE in page
    assert "Jamie&#x27;s consent says Police must not see the information" in page
    assert "override_reason" in response.context["invite_form"].errors
    assert not TeamMember.objects.filter(user=officer).exists()
    assert not overridden(episode)


def test_with_a_reason_the_refused_agency_is_added_and_the_override_recorded(
    client, alice, episode
):
    family_says(episode, agencies=[Agency.POLICE])
    officer = practitioner(email="pc@police.example.org", agency=Agency.POLICE)
    response = add(as_(client, alice), episode, officer, reason=f"  {REASON}  ")
    assert response.url == team_url(episode)
    member = TeamMember.objects.get(episode=episode, user=officer)
    assert member.override_reason == REASON
    event = AuditEvent.objects.get(action="episode.must_not_see_overridden")
    assert (event.actor, event.record_id) == (alice, str(episode.pk))
    assert event.detail == {"member": str(member.pk)}
    timeline = episode.events.get(kind="member_added").summary
    assert "objection overridden" in timeline


def test_a_blank_reason_is_no_reason(client, alice, episode):
    family_says(episode, agencies=[Agency.POLICE])
    officer = practitioner(email="pc@police.example.org", agency=Agency.POLICE)
    response = add(as_(client, alice), episode, officer, reason="   \n ")
    assert MUST_NOT_SEE in response.content.decode()
    assert not TeamMember.objects.filter(user=officer).exists()


def test_the_hubs_manager_needs_a_reason_too(client, mo, episode):
    family_says(episode, agencies=[Agency.POLICE])
    officer = practitioner(email="pc@police.example.org", agency=Agency.POLICE)
    assert MUST_NOT_SEE in add(as_(client, mo), episode, officer).content.decode()
    assert not TeamMember.objects.filter(user=officer).exists()
    add(client, episode, officer, reason=REASON)
    assert TeamMember.objects.get(user=officer).override_reason == REASON
    assert AuditEvent.objects.filter(
        actor=mo, action="episode.must_not_see_overridden", record_id=str(episode.pk)
    ).exists()


def test_another_agency_is_added_without_a_reason_and_none_is_kept(client, alice, bob, episode):
    family_says(episode, agencies=[Agency.POLICE])
    response = add(as_(client, alice), episode, bob, role="Health visitor", reason="Not needed")
    assert response.url == team_url(episode)
    assert TeamMember.objects.get(user=bob).override_reason == ""
    assert not overridden(episode)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        pytest.param(
            "Anyone from Hendon Youth Club (their uncle works there)",
            {"organisation_name": "Hendon Youth Club", "agency": Agency.YOUTH},
            id="their organisation",
        ),
        pytest.param(
            "Their uncle, who works at HENDON YOUTH CLUB",
            {"organisation_name": "Hendon Youth Club", "agency": Agency.YOUTH},
            id="their organisation in capitals",
        ),
        pytest.param(
            "Dave Smith, dad's ex-partner, who is a school nurse",
            {"first_name": "Dave", "last_name": "Smith", "agency": Agency.HEALTH_OTHER},
            id="their full name",
        ),
    ],
)
def test_a_person_named_in_the_familys_words_is_refused_until_given_a_reason(
    client, alice, episode, text, named
):
    family_says(episode, text=text)
    person = practitioner(email="named@example.org", **named)
    response = add(as_(client, alice), episode, person, role="Youth worker")
    page = response.content.decode()
    assert MUST_NOT_SEE in page
    assert "Jamie&#x27;s consent names them" in page
    assert not TeamMember.objects.filter(user=person).exists()
    assert not overridden(episode)
    add(client, episode, person, role="Youth worker", reason="Mum now agrees.")
    assert TeamMember.objects.get(user=person).override_reason == "Mum now agrees."
    assert overridden(episode)


def test_someone_only_sharing_a_first_name_is_not_refused(client, alice, episode):
    family_says(episode, text="Dave Smith, dad's ex-partner")
    person = practitioner(email="dave@example.org", first_name="Dave", last_name="Jones")
    assert add(as_(client, alice), episode, person).status_code == 302
    assert TeamMember.objects.get(user=person).override_reason == ""


def test_inviting_someone_from_a_refused_agency_is_refused_and_makes_no_account(
    client, alice, episode
):
    family_says(episode, agencies=[Agency.POLICE])
    response = invite(as_(client, alice), episode)
    assert response.status_code == 200
    assert MUST_NOT_SEE in response.content.decode()
    assert "override_reason" in response.context["invite_form"].errors
    assert not User.objects.filter(email="priya@police.example.org").exists()
    assert not TeamMember.objects.filter(user__email="priya@police.example.org").exists()
    assert not overridden(episode)


def test_inviting_someone_from_a_refused_agency_with_a_reason_adds_them(client, alice, episode):
    family_says(episode, agencies=[Agency.POLICE])
    response = invite(as_(client, alice), episode, reason=REASON)
    assert response.url == team_url(episode)
    member = TeamMember.objects.get(episode=episode, user__email="priya@police.example.org")
    assert member.override_reason == REASON
    assert member.user.agency == Agency.POLICE
    assert AuditEvent.objects.filter(
        actor=alice, action="episode.must_not_see_overridden", record_id=str(episode.pk)
    ).exists()


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Nobody from the Met Police", id="their organisation"),
        pytest.param("Priya Patel, a family friend", id="their full name"),
    ],
)
def test_inviting_someone_the_family_named_is_refused_until_given_a_reason(
    client, alice, episode, text
):
    family_says(episode, text=text)
    response = invite(as_(client, alice), episode, agency=Agency.OTHER)
    assert MUST_NOT_SEE in response.content.decode()
    assert not User.objects.filter(email="priya@police.example.org").exists()
    invite(client, episode, agency=Agency.OTHER, reason="Mum now agrees.")
    member = TeamMember.objects.get(user__email="priya@police.example.org")
    assert member.override_reason == "Mum now agrees."
    assert overridden(episode)


def test_inviting_someone_who_already_has_an_account_checks_their_agency(client, alice, episode):
    family_says(episode, agencies=[Agency.POLICE])
    officer = practitioner(email="priya@police.example.org", agency=Agency.POLICE)
    response = invite(as_(client, alice), episode, agency=Agency.OTHER)
    assert MUST_NOT_SEE in response.content.decode()
    assert not TeamMember.objects.filter(user=officer).exists()


def test_a_team_member_cannot_add_anyone_even_with_a_reason(client, bob, episode):
    TeamMember.objects.create(episode=episode, user=bob, role_in_team="HV", added_by=bob)
    family_says(episode, agencies=[Agency.POLICE])
    officer = practitioner(email="pc@police.example.org", agency=Agency.POLICE)
    assert add(as_(client, bob), episode, officer, reason=REASON).status_code == 403
    assert invite(client, episode, reason=REASON).status_code == 403
    assert not TeamMember.objects.filter(user__agency=Agency.POLICE).exists()
    assert not User.objects.filter(email="priya@police.example.org").exists()


# --- Pages with lists read a fixed number of queries, however much is in them -------------------


def build_plan(episode, *, outcomes: int, actions: int, meetings: int) -> Episode:
    """Fill ``episode`` (as allocated_episode made it) with outcomes, actions owned in turn by its
    lead, Bob and the family's mum (each with a note and a connection request), and meetings."""
    lead = episode.members.get(user=episode.lead_practitioner)
    bob = User.objects.get(email="bob@health.example.org")
    bobs = TeamMember.objects.create(
        episode=episode, user=bob, role_in_team="Health visitor", added_by=lead.user
    )
    mum = episode.family.people.get(first_name="Sam")
    areas = [NeedArea.HEALTH, NeedArea.HOUSING, NeedArea.FINANCES, NeedArea.EDUCATION]
    for area in areas[: outcomes - 1]:
        Outcome.objects.create(episode=episode, area=area, goal=f"Better {area}")
    plan_outcomes = cycle(episode.outcomes.all())
    owners = cycle([{"owner_member": lead}, {"owner_member": bobs}, {"owner_person": mum}])
    service = khulisas_service()
    today = timezone.localdate()
    for n in range(actions):
        action = Action.objects.create(
            outcome=next(plan_outcomes), what=f"Action {n}", due_on=today + timedelta(days=n - 3),
            **next(owners),
        )  # fmt: skip
        ActionNote.objects.create(action=action, author=lead.user, status=action.status, text="Ok")
        ask(action, service, lead.user)
    for n in range(meetings):
        meeting = Meeting.objects.create(
            episode=episode, kind=Meeting.Kind.REVIEW if n else Meeting.Kind.FIRST,
            held_on=today - timedelta(weeks=meetings - n), notes=f"Meeting {n}",
            recorded_by=lead.user, note_taker=lead, next_step="continue" if n else "",
        )  # fmt: skip
        meeting.attendees.set([lead, bobs])
        meeting.family_attendees.set([mum])
        if n:
            OutcomeProgress.objects.bulk_create(
                OutcomeProgress(meeting=meeting, outcome=o, rating=3)
                for o in episode.outcomes.all()
            )
    EpisodeEvent.objects.bulk_create(
        EpisodeEvent(episode=episode, kind="plan", summary=f"Event {n}", actor=lead.user,
                     at=timezone.now())
        for n in range(20)
    )  # fmt: skip
    return episode


def families(lead, count: int, *, meetings: int) -> list[Episode]:
    return [
        build_plan(allocated_episode(lead, child=f"Child{n}"), outcomes=2, actions=3,
                   meetings=meetings)
        for n in range(count)
    ]  # fmt: skip


def test_the_episode_page_reads_a_fixed_number_of_queries(
    client, alice, bob, django_assert_max_num_queries
):
    small = build_plan(allocated_episode(alice, child="Ash"), outcomes=1, actions=3, meetings=1)
    busy = build_plan(allocated_episode(alice), outcomes=4, actions=12, meetings=3)
    as_(client, alice)
    small_url = reverse("referrals:episode", args=[small.pk])
    client.get(small_url)  # caches warmed (content types, templates)
    baseline = query_count(client, small_url)
    # One query per part of the page, however big the plan: the family record added the
    # assessments, the children waiting for matching and the manager's sign-off check.
    with django_assert_max_num_queries(min(baseline, 24)):
        response = client.get(reverse("referrals:episode", args=[busy.pk]))
    outcomes = response.context["outcomes"]
    assert len(outcomes) == 4
    assert sum(len(o.actions.all()) for o in outcomes) == 12
    assert len(response.context["meetings"]) == 3


@pytest.mark.parametrize(
    "route",
    [
        pytest.param("plan_print", id="printed plan"),
        pytest.param("team", id="team"),
        pytest.param("add_meeting", id="review form"),
        pytest.param("close_episode", id="close form"),
    ],
)
def test_other_episode_pages_do_not_grow_with_the_plan(
    client, alice, bob, route, django_assert_max_num_queries
):
    small = build_plan(allocated_episode(alice, child="Ash"), outcomes=1, actions=3, meetings=1)
    busy = build_plan(allocated_episode(alice), outcomes=4, actions=12, meetings=3)
    as_(client, alice)
    small_url = reverse(f"referrals:{route}", args=[small.pk])
    client.get(small_url)
    baseline = query_count(client, small_url)
    with django_assert_max_num_queries(baseline):
        assert client.get(reverse(f"referrals:{route}", args=[busy.pk])).status_code == 200


def test_the_meeting_page_reads_a_fixed_number_of_queries(
    client, alice, bob, django_assert_max_num_queries
):
    small = build_plan(allocated_episode(alice, child="Ash"), outcomes=1, actions=3, meetings=2)
    busy = build_plan(allocated_episode(alice), outcomes=4, actions=12, meetings=3)
    for episode in (small, busy):
        Action.objects.filter(outcome__episode=episode).update(meeting=episode.meetings.first())
    as_(client, alice)
    small_url = reverse("referrals:meeting", args=[small.pk, small.meetings.first().pk])
    client.get(small_url)
    baseline = query_count(client, small_url)
    busy_url = reverse("referrals:meeting", args=[busy.pk, busy.meetings.first().pk])
    with django_assert_max_num_queries(baseline):
        response = client.get(busy_url)
    assert len(response.context["meeting"].actions.all()) == 12


def test_the_caseload_reads_a_fixed_number_of_queries(
    client, alice, bob, django_assert_max_num_queries
):
    families(alice, 1, meetings=1)
    as_(client, alice)
    client.get(reverse("referrals:caseload"))
    baseline = query_count(client, reverse("referrals:caseload"))
    families(alice, 4, meetings=3)
    with django_assert_max_num_queries(min(baseline, 12)):
        response = client.get(reverse("referrals:caseload"))
    assert len(response.context["rows"]) == 5
    assert all(row.overdue_actions == 3 for row in response.context["rows"])


def test_the_hub_page_reads_a_fixed_number_of_queries(
    client, alice, bob, mo, django_assert_max_num_queries
):
    families(alice, 1, meetings=1)
    as_(client, mo)
    url = reverse("referrals:hub_episodes", args=["west"])
    client.get(url)
    baseline = query_count(client, url)
    families(alice, 4, meetings=3)
    with django_assert_max_num_queries(min(baseline, 12)):
        response = client.get(url)
    assert len(response.context["open"]) == 5


def test_the_caseload_does_not_grow_with_episodes_waiting_for_their_first_meeting(
    client, alice, bob, django_assert_max_num_queries
):
    families(alice, 1, meetings=0)
    as_(client, alice)
    client.get(reverse("referrals:caseload"))
    baseline = query_count(client, reverse("referrals:caseload"))
    families(alice, 4, meetings=0)
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("referrals:caseload"))
    assert len(response.context["rows"]) == 5


def test_the_hub_page_does_not_grow_with_episodes_waiting_for_their_first_meeting(
    client, alice, bob, mo, django_assert_max_num_queries
):
    families(alice, 1, meetings=0)
    as_(client, mo)
    url = reverse("referrals:hub_episodes", args=["west"])
    client.get(url)
    baseline = query_count(client, url)
    families(alice, 4, meetings=0)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert len(response.context["open"]) == 5


def test_the_connections_list_reads_a_fixed_number_of_queries(
    client, alice, bob, pat, django_assert_max_num_queries
):
    families(alice, 1, meetings=1)
    as_(client, pat)
    url = reverse("referrals:connections")
    client.get(url)
    baseline = query_count(client, url)
    families(alice, 4, meetings=1)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert len(response.context["connections"]) == 15
