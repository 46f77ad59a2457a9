"""Who may see what: every view of assessments and the front door, for every kind of person.

The people: anonymous (a parent, or anyone), Alice (the practitioner who wrote the assessment),
Bob (another practitioner), Mo (manager of the West hub, where the family lives), Nia (manager
of the East/Central hub), Ada (an administrator). 302 means "sent to sign in".
"""

import pytest
from django.urls import reverse

from earlyhelp.models import AuditEvent
from tests.factories import WEST_POSTCODE, complete_assessment, sent_assessment, sign_in

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "alice", "bob", "mo", "nia", "ada"]


@pytest.fixture
def people(alice, bob, mo, nia, ada):
    return {"anonymous": None, "alice": alice, "bob": bob, "mo": mo, "nia": nia, "ada": ada}


@pytest.fixture
def records(alice):
    draft = complete_assessment(alice, child="Drafty")
    support_request = sent_assessment(alice, postcode=WEST_POSTCODE, child="Senty")
    return {
        "draft": draft,
        "child": draft.subjects.get(),
        "sent": support_request.assessment,
        "request": support_request,
    }


def status_for(client, user, url, method="get"):
    if user is not None:
        sign_in(client, user)
    response = getattr(client, method)(url)
    return response.status_code


DRAFT_VIEWS = [
    "task_list",
    "about_you",
    "family",
    "people",
    "add_person",
    "children",
    "consent",
    "needs",
    "signs_of_safety",
    "voices",
    "check",
]
# A draft is its author's alone, until it is sent; a manager or admin cannot see it either.
DRAFT_EXPECTED = {"anonymous": 302, "alice": 200, "bob": 404, "mo": 404, "nia": 404, "ada": 404}


@pytest.mark.parametrize("view", DRAFT_VIEWS)
@pytest.mark.parametrize("who", PEOPLE)
def test_a_draft_is_only_its_authors(client, people, records, view, who):
    url = reverse(f"referrals:{view}", args=[records["draft"].pk])
    assert status_for(client, people[who], url) == DRAFT_EXPECTED[who]


@pytest.mark.parametrize("view", ["change_person", "remove_person", "consent_for"])
@pytest.mark.parametrize("who", PEOPLE)
def test_a_drafts_people_are_only_its_authors(client, people, records, view, who):
    url = reverse(f"referrals:{view}", args=[records["draft"].pk, records["child"].pk])
    assert status_for(client, people[who], url) == DRAFT_EXPECTED[who]


@pytest.mark.parametrize("who", PEOPLE)
def test_a_person_of_another_family_is_not_found_through_my_draft(client, people, alice, who):
    mine = complete_assessment(alice, child="Mine")
    theirs = complete_assessment(alice, child="Theirs")
    url = reverse("referrals:change_person", args=[mine.pk, theirs.subjects.get().pk])
    assert status_for(client, people[who], url) in (302, 404)


# Once sent, no one can change it (403 for those who may read it) until the hub asks for more.
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("alice", 403), ("bob", 404), ("mo", 403), ("nia", 404), ("ada", 403)],
)
def test_a_sent_assessment_cannot_be_changed(client, people, records, who, expected):
    url = reverse("referrals:about_you", args=[records["sent"].pk])
    assert status_for(client, people[who], url) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("alice", 200), ("bob", 404), ("mo", 404), ("nia", 404), ("ada", 404)],
)
def test_the_confirmation_page_is_the_authors(client, people, records, who, expected):
    url = reverse("referrals:sent", args=[records["sent"].pk])
    assert status_for(client, people[who], url) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("alice", 200), ("bob", 404), ("mo", 200), ("nia", 404), ("ada", 200)],
)
def test_a_sent_request_is_seen_by_its_author_its_hub_and_admins(
    client, people, records, who, expected
):
    url = reverse("referrals:summary", args=[records["request"].pk])
    assert status_for(client, people[who], url) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("alice", 403), ("bob", 403), ("mo", 200), ("nia", 404), ("ada", 200)],
)
def test_only_the_hubs_managers_and_admins_can_decide(client, people, records, who, expected):
    url = reverse("referrals:triage", args=[records["request"].pk])
    assert status_for(client, people[who], url) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("alice", 403), ("bob", 403), ("mo", 200), ("nia", 403), ("ada", 200)],
)
def test_a_hubs_queue_is_for_its_managers_and_admins(client, people, records, who, expected):
    url = reverse("referrals:queue", args=["west"])
    assert status_for(client, people[who], url) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("alice", 403), ("bob", 403), ("mo", 403), ("nia", 403), ("ada", 200)],
)
def test_only_admins_see_requests_that_need_a_hub(client, people, who, expected):
    assert status_for(client, people[who], reverse("referrals:unrouted")) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("alice", 200), ("bob", 200), ("mo", 200), ("nia", 200), ("ada", 200)],
)
@pytest.mark.parametrize("view", ["my_assessments", "family_lookup", "new", "urgent"])
def test_every_member_of_staff_can_assess(client, people, who, expected, view):
    assert status_for(client, people[who], reverse(f"referrals:{view}")) == expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("alice", 403), ("bob", 403), ("mo", 200), ("nia", 200), ("ada", 200)],
)
def test_the_front_door_page_is_for_managers(client, people, who, expected):
    assert status_for(client, people[who], reverse("referrals:front_door")) == expected


def test_my_assessments_never_lists_another_practitioners(client, alice, bob, records):
    sign_in(client, bob)
    page = client.get(reverse("referrals:my_assessments")).content.decode()
    assert records["request"].reference not in page
    assert "Drafty" not in page


def test_a_managers_queue_shows_only_their_hubs_requests(client, alice, mo, nia):
    west = sent_assessment(alice, postcode=WEST_POSTCODE)
    sign_in(client, nia)
    page = client.get(reverse("referrals:queue", args=["east-central"])).content.decode()
    assert west.reference not in page
    sign_in(client, mo)
    page = client.get(reverse("referrals:queue", args=["west"])).content.decode()
    assert west.reference in page


def test_a_denied_look_is_not_audited_as_a_view_but_a_granted_one_is(client, bob, mo, records):
    request_id = str(records["request"].pk)
    sign_in(client, bob)
    client.get(reverse("referrals:summary", args=[records["request"].pk]))
    assert not AuditEvent.objects.filter(actor=bob, record_id=request_id).exists()
    sign_in(client, mo)
    client.get(reverse("referrals:triage", args=[records["request"].pk]))
    assert AuditEvent.objects.filter(
        actor=mo, record_id=request_id, action="supportrequest.viewed"
    ).exists()


def test_the_queue_reads_a_fixed_number_of_queries_however_long(
    client, alice, mo, django_assert_max_num_queries
):
    for n in range(12):
        sent_assessment(alice, child=f"Child{n}")
    sign_in(client, mo)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("referrals:queue", args=["west"]))
    assert response.status_code == 200
