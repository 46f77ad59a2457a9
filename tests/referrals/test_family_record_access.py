"""Who may see and change the lasting family record: every view in referrals/record_views.py for
every kind of person, the audit trail each look leaves, and the number of queries a child's
record and a contact's children read however long the child's history is.

The people: anonymous (anyone), Alice (lead practitioner of Jamie's episode), Bob (a health
visitor in Alice's team), Charlie (a GP with no relationship to the family), Mo (manager of the
West hub, where the family lives), Nia (manager of the East/Central hub: a worker in another hub),
Ada (an administrator) and Pat (Khulisa's provider editor: no part in case work).

Scoping is in the query: a record outside someone's reach is a 404; a page their role does not
allow is a 403. "sign in" means anonymous people are sent to sign in.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Agency
from earlyhelp.models import AuditEvent
from hubs.models import Hub
from referrals import episodes, record_views, records, services
from referrals.models import (
    Child,
    ChildMerge,
    Episode,
    Person,
    Source,
    SupportRequest,
    TeamMember,
)
from tests.access import SIGN_IN, as_, outcome, routes_in, views_in
from tests.factories import (
    WEST_POSTCODE,
    allocated_episode,
    practitioner,
    sent_assessment,
)

MODULE = record_views  # the views this matrix covers
pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "alice", "bob", "charlie", "mo", "nia", "ada", "pat"]
JAMIES_BIRTHDAY = date(2019, 3, 27)
# What a refused page must never show: the children's and parent's names on the record, and the
# names posted in a refused form.
PERSONAL_DATA = ["Jamie", "Taylor", "Tailor", "Noor", "Hassan"]


# --- People and records -------------------------------------------------------------------------


@pytest.fixture
def charlie(db):
    """Charlie, a GP with no relationship to any family here."""
    return practitioner(
        email="charlie@gp.example.org", first_name="Charlie", last_name="Clark", agency=Agency.GP
    )


@pytest.fixture
def people(alice, bob, charlie, mo, nia, ada, pat):
    return {
        "anonymous": None,
        "alice": alice,
        "bob": bob,
        "charlie": charlie,
        "mo": mo,
        "nia": nia,
        "ada": ada,
        "pat": pat,
    }


def phone_contact(by, *, first_name="Jamie", last_name="Taylor", born=JAMIES_BIRTHDAY,
                  postcode=WEST_POSTCODE, hub="west") -> SupportRequest:  # fmt: skip
    """A phone call about one child, recorded by hub staff (matching runs as it arrives)."""
    return services.record_contact(
        kind=SupportRequest.Kind.PHONE,
        hub=Hub.objects.get(slug=hub),
        source=Source.SCHOOL,
        contact={"summary": "School worried about attendance.", "family_agreed": True},
        family={"postcode": postcode},
        children=[
            {
                "first_name": first_name,
                "last_name": last_name,
                "date_of_birth": born,
                "role": Person.Role.CHILD,
            }
        ],
        adults=[],
        by=by,
    )


def a_separate_record(by, *, born: date) -> Child:
    """Another record for a Jamie Taylor at the same address, born on another day: matching
    proposes Jamie's record, and the hub manager says this is a new child."""
    person = phone_contact(by, born=born).family.people.get()
    assert person.child_id is None, "the same name with another birthday must wait for a person"
    return records.confirm_new(person, by=by)


@pytest.fixture
def family_record(alice, bob, mo, ada):
    """Jamie Taylor's record at the West hub: an episode led by Alice with Bob in the team, a
    second contact (an assessment, awaiting a decision) that also names "Jamie Tailor" (a typo
    staff made, waiting to be checked), a duplicate record merged into Jamie's by Ada, and a
    spare record that could be merged."""
    episode = allocated_episode(alice)
    TeamMember.objects.create(
        episode=episode, user=bob, role_in_team="Health visitor", added_by=alice
    )
    jamie = Child.objects.get()
    contact = sent_assessment(alice)
    waiting = services.add_child_to_contact(
        contact,
        details={
            "first_name": "Jamie",
            "last_name": "Tailor",
            "date_of_birth": JAMIES_BIRTHDAY,
            "role": Person.Role.CHILD,
        },
        by=mo,
    )
    assert waiting.child_id is None
    duplicate = a_separate_record(mo, born=date(2019, 3, 28))
    spare = a_separate_record(mo, born=date(2019, 3, 29))
    merge = records.merge(
        kept=jamie, merged=duplicate, reason="Same child: date of birth mistyped", by=ada
    )
    return {
        "episode": episode,
        "jamie": jamie,
        "contact": contact,
        "waiting": waiting,
        "duplicate": duplicate,
        "spare": spare,
        "merge": merge,
    }


# --- Helpers ------------------------------------------------------------------------------------


def query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# --- Who may open what: every family record view, for every kind of person ----------------------


def _link_the_typo(family_record: dict) -> dict:
    waiting = family_record["waiting"]
    return {"person": str(waiting.pk), f"{waiting.pk}-record": str(family_record["jamie"].pk)}


def _add_a_child(family_record: dict) -> dict:
    return {
        "add-child": "1",
        "first_name": "Noor",
        "last_name": "Hassan",
        "date_of_birth_0": "4",
        "date_of_birth_1": "6",
        "date_of_birth_2": "2016",
    }


def _merge_the_spare(family_record: dict) -> dict:
    return {"other": family_record["spare"].reference, "reason": "Same child, birthday mistyped"}


def _phone_call(family_record: dict) -> dict:
    return {
        "kind": SupportRequest.Kind.PHONE,
        "source": Source.SCHOOL,
        "summary": "Noor's school is worried about attendance.",
        "family_agreed": "True",
        "postcode": "NW7 1AA",
        "child_1_first_name": "Noor",
        "child_1_last_name": "Hassan",
        "child_1_date_of_birth_0": "4",
        "child_1_date_of_birth_1": "6",
        "child_1_date_of_birth_2": "2016",
    }


def _step_down(family_record: dict) -> dict:
    return {
        "social_care_reference": "CSC-4411",
        "social_worker_name": "Sally Worker",
        "social_worker_contact": "020 8359 0000",
        "summary": "Social care closing; early help to continue.",
        "family_agreed": "True",
        "postcode": "NW7 1AA",
        "child_1_first_name": "Noor",
        "child_1_last_name": "Hassan",
        "child_1_date_of_birth_0": "4",
        "child_1_date_of_birth_1": "6",
        "child_1_date_of_birth_2": "2016",
        "level_of_need": "targeted",
        "lead_email": "alice@school.example.org",
    }


def _nothing(family_record: dict) -> dict:
    return {}


@dataclass(frozen=True)
class Case:
    name: str
    route: str
    # Each argument is a key of ``family_record`` (its primary key is used) or a literal URL part.
    args: tuple[str, ...]
    # One outcome per person, in PEOPLE order: anonymous, alice, bob, charlie, mo, nia, ada, pat.
    expected: tuple
    method: str = "get"
    data: Callable[[dict], dict] = field(default=_nothing)  # family_record -> what is posted
    # The audit action an allowed request writes (None: a blank form, showing no case data),
    # and the key of the record it is written against (None: a record the request makes).
    action: str | None = None
    audited: str | None = None

    def url(self, family_record: dict) -> str:
        args = [family_record[arg].pk if arg in family_record else arg for arg in self.args]
        return reverse(f"referrals:{self.route}", args=args)

    def outcome_for(self, who: str):
        return self.expected[PEOPLE.index(who)]


S = SIGN_IN
WEST_HUB = (S, 403, 403, 403, 200, 403, 200, 403)  # a West hub form: Nia manages another hub
WEST_HUB_DONE = (S, 403, 403, 403, 302, 403, 302, 403)
EAST_HUB = (S, 403, 403, 403, 403, 200, 200, 403)
TRIAGE = (S, 403, 403, 403, 200, 404, 200, 403)  # the contact's hub managers, admins
TRIAGE_DONE = (S, 403, 403, 403, 302, 404, 302, 403)
# The child's record: the team around the child (Alice leads, Bob is in it), the hub's managers,
# admins. Charlie and Nia have no relationship to Jamie.
RECORD = (S, 200, 200, 404, 200, 404, 200, 403)
MERGERS = (S, 403, 403, 403, 200, 404, 200, 403)
MERGERS_DONE = (S, 403, 403, 403, 302, 404, 302, 403)
POST_ONLY = (S, 403, 403, 403, 405, 405, 405, 403)
GONE = (S, 404, 404, 404, 404, 404, 404, 403)  # a record merged away is kept only for the undo
J = ("jamie",)

CASES = [
    Case("record a contact: West", "record_contact", ("west",), WEST_HUB),
    Case("record a contact: East/Central", "record_contact", ("east-central",), EAST_HUB),
    Case(
        "record a phone call: West",
        "record_contact",
        ("west",),
        WEST_HUB_DONE,
        "post",
        _phone_call,
        action="supportrequest.recorded",
    ),
    Case("step down: West", "step_down", ("west",), WEST_HUB),
    Case(
        "step down a family: West",
        "step_down",
        ("west",),
        WEST_HUB_DONE,
        "post",
        _step_down,
        action="supportrequest.recorded",
    ),
    Case(
        "the contact's children",
        "contact_children",
        ("contact",),
        TRIAGE,
        action="supportrequest.children_viewed",
        audited="contact",
    ),
    Case(
        "link a waiting child",
        "contact_children",
        ("contact",),
        TRIAGE_DONE,
        "post",
        _link_the_typo,
        action="child.linked",
        audited="jamie",
    ),
    Case(
        "add a child to the contact",
        "contact_children",
        ("contact",),
        TRIAGE_DONE,
        "post",
        _add_a_child,
        action="person.added",
    ),
    Case("the child's record", "child", J, RECORD, action="child.viewed", audited="jamie"),
    Case("a merged-away record", "child", ("duplicate",), GONE),
    Case("merge form", "merge_child", J, MERGERS, action="child.viewed", audited="jamie"),
    Case(
        "merge a record",
        "merge_child",
        J,
        MERGERS_DONE,
        "post",
        _merge_the_spare,
        action="child.merged",
        audited="jamie",
    ),
    Case("legal hold form", "legal_hold", J, MERGERS, action="child.viewed", audited="jamie"),
    Case(
        "place a legal hold",
        "legal_hold",
        J,
        MERGERS_DONE,
        "post",
        lambda family_record: {"reason": "A complaint is open."},
        action="household.legal_hold_placed",
    ),
    Case("undo a merge by GET", "undo_merge", ("merge",), POST_ONLY),
    Case(
        "undo a merge",
        "undo_merge",
        ("merge",),
        MERGERS_DONE,
        "post",
        action="child.unmerged",
        audited="jamie",
    ),
]


def request(client, people, family_record, case: Case, who: str):
    return getattr(as_(client, people[who]), case.method)(
        case.url(family_record), case.data(family_record)
    )


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_who_may_use_each_family_record_page(client, people, family_record, case, who):
    response = request(client, people, family_record, case, who)
    assert outcome(response) == case.outcome_for(who)


def test_the_matrix_covers_every_family_record_route():
    assert {pattern.name for pattern in routes_in(MODULE)} == {case.route for case in CASES}


def test_every_view_in_record_views_has_a_route():
    views = views_in(record_views)
    assert {pattern.callback.__name__ for pattern in routes_in(MODULE)} == views


def test_every_route_that_changes_something_is_tried_by_post():
    posted = {case.route for case in CASES if case.method == "post"}
    assert posted == {pattern.name for pattern in routes_in(MODULE)} - {"child"}


# --- The audit trail: a granted look is recorded, a refused one records, shows and changes nothing


def _refusals():
    for case in CASES:
        for who in PEOPLE:
            if case.outcome_for(who) in (SIGN_IN, 403, 404, 405):
                yield pytest.param(case, who, id=f"{case.name}-{who}")


def _grants():
    for case in CASES:
        for who in PEOPLE:
            if case.action and case.outcome_for(who) in (200, 302):
                yield pytest.param(case, who, id=f"{case.name}-{who}")


def snapshot() -> dict:
    """Everything a refused request could have changed."""
    return {
        "audit": AuditEvent.objects.count(),
        "contacts": SupportRequest.objects.count(),
        "episodes": Episode.objects.count(),
        "people": Person.objects.count(),
        "children": list(Child.objects.values_list("pk", "merged_into").order_by("number")),
        "links": list(Person.objects.values_list("pk", "child").order_by("pk")),
        "merges": list(ChildMerge.objects.values_list("pk", "undone_at").order_by("pk")),
    }


@pytest.mark.parametrize(("case", "who"), list(_refusals()))
def test_a_refused_request_records_nothing_changes_nothing_and_shows_no_personal_data(
    client, people, family_record, case, who
):
    before = snapshot()
    response = request(client, people, family_record, case, who)
    assert outcome(response) in (SIGN_IN, 403, 404, 405)
    page = response.content.decode()
    for name in PERSONAL_DATA:
        assert name not in page
    assert family_record["jamie"].reference not in page
    assert snapshot() == before
    assert Person.objects.get(pk=family_record["waiting"].pk).child_id is None
    assert Child.objects.get(pk=family_record["spare"].pk).merged_into_id is None
    assert ChildMerge.objects.get(pk=family_record["merge"].pk).undone_at is None


@pytest.mark.parametrize(("case", "who"), list(_grants()))
def test_a_granted_request_is_recorded_against_the_record(client, people, family_record, case, who):
    response = request(client, people, family_record, case, who)
    assert response.status_code in (200, 302)
    events = AuditEvent.objects.filter(actor=people[who], action=case.action)
    if case.audited:
        record = family_record[case.audited]
        events = events.filter(record_type=record._meta.model_name, record_id=str(record.pk))
    assert events.exists()


def test_an_allowed_post_does_what_it_says(client, mo, family_record):
    """The matrix's POSTs are real: the same data, from Mo, changes the record."""
    as_(client, mo)
    contact_url = reverse("referrals:contact_children", args=[family_record["contact"].pk])
    client.post(contact_url, _link_the_typo(family_record))
    assert Person.objects.get(pk=family_record["waiting"].pk).child == family_record["jamie"]
    client.post(contact_url, _add_a_child(family_record))
    assert family_record["contact"].family.people.filter(first_name="Noor").exists()
    client.post(
        reverse("referrals:merge_child", args=[family_record["jamie"].pk]),
        _merge_the_spare(family_record),
    )
    assert Child.objects.get(pk=family_record["spare"].pk).merged_into == family_record["jamie"]
    client.post(reverse("referrals:undo_merge", args=[family_record["merge"].pk]))
    assert ChildMerge.objects.get(pk=family_record["merge"].pk).undone_by == mo


def test_a_hub_manager_cannot_merge_in_a_record_from_another_hub(client, mo, nia, family_record):
    """The duplicate's child ID is checked against the records Mo may see, so a guessed ID from
    another hub is refused like one that does not exist, and says nothing about that child."""
    east = phone_contact(nia, first_name="Robin", last_name="Osei", born=date(2015, 1, 9),
                         postcode="N2 8LG", hub="east-central")  # fmt: skip
    robin = east.family.people.get().child
    response = as_(client, mo).post(
        reverse("referrals:merge_child", args=[family_record["jamie"].pk]),
        {"other": robin.reference, "reason": "Same child"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is no record with this child ID that you can see" in page
    assert "Robin" not in page
    assert "Osei" not in page
    assert Child.objects.get(pk=robin.pk).merged_into is None


def test_a_practitioner_loses_sight_of_the_record_when_the_episode_closes(
    client, alice, bob, family_record
):
    episodes.close(
        family_record["episode"], reason="needs_met", results={}, summary="Done", by=alice
    )
    url = reverse("referrals:child", args=[family_record["jamie"].pk])
    assert as_(client, bob).get(url).status_code == 404
    assert as_(client, alice).get(url).status_code == 404


# --- A child's record and a contact's children read a fixed number of queries -------------------


def more_history(alice, jamie: Child, *, contacts: int) -> None:
    """``contacts`` more assessments for Jamie, each allocated to Alice and the episode closed
    (events on the timeline), all linked to Jamie's record without asking."""
    for _ in range(contacts):
        episode = allocated_episode(alice)
        episodes.close(episode, reason="needs_met", results={}, summary="Done", by=alice)
    assert Person.objects.filter(child=jamie).count() >= contacts + 1


def test_a_childs_record_reads_a_fixed_number_of_queries_however_long_the_history(
    client, alice, mo, django_assert_max_num_queries
):
    allocated_episode(alice)  # Jamie's first contact and an episode (Alice leads it)
    jamie = Child.objects.get()
    url = reverse("referrals:child", args=[jamie.pk])
    as_(client, mo)
    client.get(url)  # caches warmed (content types, templates)
    baseline = query_count(client, url)
    more_history(alice, jamie, contacts=3)
    spare = a_separate_record(mo, born=date(2019, 3, 28))
    records.merge(kept=jamie, merged=spare, reason="Birthday mistyped", by=mo)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    assert len(response.context["contacts"]) == 5
    assert len(response.context["episodes"]) == 4
    assert len(response.context["merges"]) == 1


def test_the_contacts_children_read_a_fixed_number_of_queries_however_long_the_history(
    client, alice, mo, django_assert_max_num_queries
):
    allocated_episode(alice)
    jamie = Child.objects.get()
    contact = phone_contact(mo)  # Jamie again: linked without asking
    services.add_child_to_contact(
        contact,
        details={"first_name": "Jamie", "last_name": "Tailor", "date_of_birth": JAMIES_BIRTHDAY,
                 "role": Person.Role.CHILD},
        by=mo,
    )  # fmt: skip
    url = reverse("referrals:contact_children", args=[contact.pk])
    as_(client, mo)
    client.get(url)
    baseline = query_count(client, url)
    more_history(alice, jamie, contacts=3)
    for born in (date(2019, 3, 28), date(2019, 3, 29)):  # more records the typo may be
        a_separate_record(mo, born=born)
    with django_assert_max_num_queries(baseline):
        response = client.get(url)
    linked, waiting = sorted(response.context["rows"], key=lambda row: row["person"].child is None)
    assert linked["person"].child == jamie
    assert waiting["person"].last_name == "Tailor"
    assert len(waiting["matches"]) == 3
