"""Matching a contact's children to their lasting records: what links without asking, what waits
for a hub manager, how a manager links, confirms and merges records (and undoes a merge), and
how a re-referral is found on the child ID whichever way the contact came in.

Jamie Taylor, born 27 March 2019, lives at NW7 1AA in the West hub's area: the child every
factory in tests/factories.py makes.
"""

import random
import re
import uuid
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from earlyhelp.models import AuditEvent
from hubs.models import Hub
from referrals import episodes, records, services
from referrals.models import (
    Child,
    ChildMerge,
    Decision,
    Episode,
    Family,
    Household,
    Person,
    Source,
    SupportRequest,
)
from tests.factories import (
    EAST_CENTRAL_POSTCODE,
    WEST_POSTCODE,
    allocated_episode,
    sent_assessment,
    sign_in,
)

pytestmark = pytest.mark.django_db

BORN = date(2019, 3, 27)
UPN = "H801200001001"
NHS_NUMBER = "4857773456"


def phone_contact(by, *children, postcode=WEST_POSTCODE, hub="west") -> SupportRequest:
    """A phone call about ``children`` ((first name, last name, date of birth) each), recorded
    by hub staff: matching runs as it arrives."""
    return services.record_contact(
        kind=SupportRequest.Kind.PHONE,
        hub=Hub.objects.get(slug=hub),
        source=Source.SCHOOL,
        contact={"summary": "School worried about attendance.", "family_agreed": True},
        family={"postcode": postcode},
        children=[
            {
                "first_name": first,
                "last_name": last,
                "date_of_birth": born,
                "role": Person.Role.CHILD,
            }
            for first, last, born in children
        ],
        adults=[],
        by=by,
    )


def child_on(contact: SupportRequest, first_name="Jamie", last_name=None) -> Person:
    people = contact.family.people.filter(first_name=first_name)
    if last_name:
        people = people.filter(last_name=last_name)
    return people.get()


def jamies_record(alice) -> Child:
    """Jamie's first contact (Alice's assessment) makes Jamie's record."""
    sent_assessment(alice)
    return Child.objects.get()


def details(first_name="Jamie", last_name="Taylor", born=BORN, postcode=WEST_POSTCODE, **ids):
    return records.Details(
        first_name=first_name, last_name=last_name, date_of_birth=born, postcode=postcode, **ids
    )


def a_family_with_jamie(*, postcode="", born=BORN, **identifiers) -> Family:
    """A contact's family naming Jamie, with an identifier; no postcode unless given."""
    family = Family.objects.create(postcode=postcode)
    Person.objects.create(
        family=family, first_name="Jamie", last_name="Taylor", role=Person.Role.CHILD,
        date_of_birth=born, **identifiers,
    )  # fmt: skip
    return family


# --- What links without asking, and what waits ---------------------------------------------------


def test_an_exact_duplicate_is_linked_automatically_to_the_same_child_id(alice, mo):
    jamie = jamies_record(alice)
    again = phone_contact(mo, ("Jamie", "Taylor", BORN))
    assert child_on(again).child == jamie
    assert Child.objects.count() == 1
    assert records.waiting_children(again.family) == []
    assert AuditEvent.objects.filter(
        action="child.linked", record_id=str(jamie.pk), actor=mo, detail={"automatic": True}
    ).exists()


def test_a_second_assessment_for_the_same_child_shares_the_household(alice, bob):
    sent_assessment(alice)
    again = sent_assessment(bob)
    jamie = Child.objects.get()
    assert again.family.people.get(role="child").child == jamie
    assert again.household == jamie.household
    assert Household.objects.count() == 1


def test_a_typod_duplicate_is_proposed_with_its_differences_and_not_linked(alice, mo):
    jamie = jamies_record(alice)
    contact = phone_contact(mo, ("Jamie", "Tailor", BORN))
    tailor = child_on(contact)
    assert tailor.child is None
    assert records.waiting_children(contact.family) == [tailor]
    (match,) = records.find_matches(records.Details.of(tailor))
    assert match.child == jamie
    assert match.differences == [("Last name", "Tailor", "Taylor")]
    assert "Same date of birth and a similar name" in match.reasons
    assert not match.is_exact
    assert not records.auto_link(match, records.Details.of(tailor))
    assert Child.objects.count() == 1  # no new record either: a person decides


def test_the_differences_are_shown_to_the_hub_manager(client, alice, mo):
    jamie = jamies_record(alice)
    contact = phone_contact(mo, ("Jamie", "Tailor", BORN))
    sign_in(client, mo)
    page = client.get(reverse("referrals:contact_children", args=[contact.pk])).content.decode()
    assert jamie.reference in page
    assert "<strong>Last name</strong>: Tailor / Taylor" in page
    assert "1 child may already have a record" in page


def test_the_same_name_with_another_date_of_birth_is_not_linked_but_is_proposed(alice, mo):
    jamie = jamies_record(alice)
    contact = phone_contact(mo, ("Jamie", "Taylor", date(2020, 3, 27)))
    person = child_on(contact)
    assert person.child is None
    (match,) = records.find_matches(records.Details.of(person))
    assert match.child == jamie
    assert match.differences == [("Date of birth", "27 March 2020", "27 March 2019")]
    assert Child.objects.count() == 1


def test_the_same_name_with_another_date_of_birth_is_not_linked_even_with_the_same_upn():
    records.match_family(a_family_with_jamie(postcode=WEST_POSTCODE, upn=UPN))
    family = a_family_with_jamie(postcode=WEST_POSTCODE, born=date(2019, 3, 28), upn=UPN)
    assert records.match_family(family) == [family.people.get()]
    assert Child.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [
        pytest.param("Zoë", "Zoe", id="accented, then not"),
        pytest.param("Zoe", "Zoë", id="not accented, then accented"),
    ],
)
def test_accented_names_match_unaccented_ones(alice, mo, typed, recorded):
    first = phone_contact(mo, (recorded, "Taylor", BORN))
    zoe = child_on(first, recorded).child
    again = phone_contact(mo, (typed, "Taylor", BORN))
    assert child_on(again, typed).child == zoe
    assert Child.objects.count() == 1


@pytest.mark.parametrize(
    "identifier",
    [pytest.param({"upn": UPN}, id="UPN"), pytest.param({"nhs_number": NHS_NUMBER}, id="NHS")],
)
def test_a_matching_upn_or_nhs_number_with_the_same_date_of_birth_links(identifier):
    """With nothing else to go on (no postcode), the identifier is what makes it certain."""
    records.match_family(a_family_with_jamie(postcode=WEST_POSTCODE, **identifier))
    jamie = Child.objects.get()
    family = a_family_with_jamie(**identifier)
    assert records.match_family(family) == []
    assert family.people.get().child == jamie
    (match,) = records.find_matches(details(postcode="", **identifier))
    assert "Same UPN or NHS number" in match.reasons
    assert records.auto_link(match, details(postcode="", **identifier))


def test_the_same_name_and_birthday_without_an_identifier_or_a_postcode_waits(alice):
    jamies_record(alice)
    family = a_family_with_jamie()
    assert records.match_family(family) == [family.people.get()]


@pytest.mark.parametrize(
    "identifier",
    [pytest.param({"upn": UPN}, id="UPN"), pytest.param({"nhs_number": NHS_NUMBER}, id="NHS")],
)
def test_a_family_who_moved_is_proposed_first_on_the_identifier_but_waits(identifier):
    """Nothing may differ for a link without asking: a new postcode is a difference."""
    records.match_family(a_family_with_jamie(postcode=WEST_POSTCODE, **identifier))
    jamie = Child.objects.get()
    moved = a_family_with_jamie(postcode=EAST_CENTRAL_POSTCODE, **identifier)
    assert records.match_family(moved) == [moved.people.get()]
    top = records.find_matches(records.Details.of(moved.people.get()))[0]
    assert top.child == jamie
    assert top.reasons[0] == "Same UPN or NHS number"
    assert top.differences == [("Postcode", EAST_CENTRAL_POSTCODE, WEST_POSTCODE)]


def test_a_child_with_no_date_of_birth_is_never_linked_without_asking(alice):
    jamie = jamies_record(alice)
    match = records.Match(child=jamie, score=3)
    assert not records.auto_link(match, details(born=None, upn=UPN))


def test_an_unrelated_child_gets_a_new_child_id(alice, mo):
    jamie = jamies_record(alice)
    contact = phone_contact(mo, ("Noor", "Hassan", date(2016, 6, 4)))
    noor = child_on(contact, "Noor").child
    assert noor is not None
    assert noor != jamie
    assert re.fullmatch(r"C-\d{6}", noor.reference)
    assert noor.reference != jamie.reference
    assert AuditEvent.objects.filter(
        action="child.created", record_id=str(noor.pk), detail={"automatic": True}
    ).exists()


def test_child_ids_come_from_a_sequence_not_from_names(alice, mo):
    jamie = jamies_record(alice)
    twin = records.confirm_new(
        child_on(phone_contact(mo, ("Jamie", "Taylor", date(2019, 3, 28)))), by=mo
    )
    noor = child_on(phone_contact(mo, ("Noor", "Hassan", date(2016, 6, 4))), "Noor").child
    assert [twin.number, noor.number] == [jamie.number + 1, jamie.number + 2]
    for child in (jamie, twin, noor):
        assert re.fullmatch(r"C-\d{6}", child.reference)
        assert child.reference == f"C-{child.number:06d}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM referrals_child_seq")
        assert cursor.fetchone()[0] == noor.number


def test_find_matches_leaves_out_the_record_it_is_told_to(alice, mo):
    jamie = jamies_record(alice)
    twin = records.confirm_new(
        child_on(phone_contact(mo, ("Jamie", "Taylor", date(2019, 3, 28)))), by=mo
    )
    found = records.find_matches(details(), exclude=jamie)
    assert [match.child for match in found] == [twin]


# --- Matching among ten thousand records ---------------------------------------------------------

FIRST_NAMES = [
    "Oliver", "Amelia", "George", "Isla", "Noah", "Ava", "Arthur", "Mia", "Muhammad", "Ivy",
    "Leo", "Lily", "Harry", "Freya", "Oscar", "Florence", "Archie", "Grace", "Henry", "Willow",
    "Theo", "Sophia", "Jack", "Ella", "James", "Evie", "Charlie", "Aria", "Thomas", "Rosie",
    "Yusuf", "Zara", "Dmitri", "Aisha", "Kwame", "Priya", "Tomasz", "Chloé", "Joshua", "Ruby",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson", "Thomas",
    "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
    "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner",
    "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker",
    "Kowalski", "Okafor", "Nowak", "Ahmed", "Cohen", "Tailer",
]  # fmt: skip
POSTCODES = [f"NW7 {n}{letters}" for n in range(1, 10) for letters in ("AA", "AB", "BA", "QS")]


def generated_children(count: int) -> None:
    """``count`` records with names, birthdays and postcodes like a borough's, numbered from the
    child ID sequence (as the application numbers them), in one household (it does not matter)."""
    generate = random.Random(2026)  # noqa: S311 (test data, not security)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('referrals_child_seq') FROM generate_series(1, %s)", [count])
        numbers = [row[0] for row in cursor.fetchall()]
    household = records.new_household(postcode=WEST_POSTCODE)
    first_day = date(2008, 1, 1)
    Child.objects.bulk_create(
        (
            Child(
                number=number,
                household=household,
                first_name=generate.choice(FIRST_NAMES),
                last_name=generate.choice(LAST_NAMES),
                # Every 500th shares Jamie's birthday and address: near misses to rank below him.
                date_of_birth=BORN
                if n % 500 == 0
                else first_day + timedelta(days=generate.randrange(18 * 365)),
                postcode=WEST_POSTCODE if n % 500 == 0 else generate.choice(POSTCODES),
            )
            for n, number in enumerate(numbers)
        ),
        batch_size=2500,
    )


def test_among_ten_thousand_records_the_duplicate_and_the_typo_come_first_in_one_query(
    django_assert_num_queries,
):
    generated_children(10_000)
    exact = a_record_for("Jamie", "Taylor")
    typo = a_record_for("Jamie", "Tailor")  # Jamie again, mistyped, and taken for a new child
    assert Child.objects.count() == 10_002
    # Some of the crowd share Jamie's birthday, postcode or surname.
    assert Child.objects.filter(date_of_birth=BORN, postcode=WEST_POSTCODE).count() == 22
    assert Child.objects.filter(postcode=WEST_POSTCODE).count() > 100
    with django_assert_num_queries(1):
        found = records.find_matches(details())
    assert [match.child for match in found[:2]] == [exact, typo]
    assert found[0].is_exact
    assert found[1].differences == [("Last name", "Taylor", "Tailor")]
    assert len(found) <= records.MAX_CANDIDATES


def a_record_for(first_name: str, last_name: str) -> Child:
    """A record for a child born on Jamie's birthday at Jamie's address, whatever else exists."""
    family = Family.objects.create(postcode=WEST_POSTCODE)
    person = Person.objects.create(family=family, first_name=first_name, last_name=last_name,
                                   role=Person.Role.CHILD, date_of_birth=BORN)  # fmt: skip
    return records.confirm_new(person, by=None)


# --- A hub manager checks the children before allocating ----------------------------------------


def children_url(contact) -> str:
    return reverse("referrals:contact_children", args=[contact.pk])


def choose(client, contact, person: Person, record: str):
    """Post the match form for one child: ``record`` is a record's pk or "new"."""
    return client.post(children_url(contact), {"person": person.pk, f"{person.pk}-record": record})


def allocate(client, contact, lead):
    contact.refresh_from_db()
    return client.post(
        reverse("referrals:triage", args=[contact.pk]),
        {
            "version": contact.version,
            "kind": "allocate",
            "reason": "Health visitor knows the family.",
            "lead_practitioner": lead.pk,
            "level_of_need": "early_help",
        },
    )


def test_a_hub_manager_links_one_child_confirms_another_and_only_then_allocates(
    client, alice, bob, mo
):
    jamie = jamies_record(alice)
    contact = phone_contact(mo, ("Jamie", "Tailor", BORN), ("Jamie", "Taylor", date(2021, 5, 1)))
    tailor = child_on(contact, last_name="Tailor")
    namesake = child_on(contact, last_name="Taylor")  # another Jamie Taylor, born 2021
    assert set(records.waiting_children(contact.family)) == {tailor, namesake}
    sign_in(client, mo)

    triage = client.get(reverse("referrals:triage", args=[contact.pk])).content.decode()
    assert "2 children may already have a record. Check before you allocate." in triage
    refused = allocate(client, contact, bob)
    assert refused.status_code == 200
    assert "Check the children&#x27;s records first" in refused.content.decode()
    assert not Decision.objects.filter(support_request=contact).exists()
    assert not Episode.objects.filter(support_request=contact).exists()

    response = choose(client, contact, tailor, str(jamie.pk))
    assert response.url == children_url(contact)
    tailor.refresh_from_db()
    assert tailor.child == jamie
    assert AuditEvent.objects.filter(
        action="child.linked", actor=mo, record_id=str(jamie.pk), detail={"person": str(tailor.pk)}
    ).exists()
    assert (
        "Check the children&#x27;s records first" in allocate(client, contact, bob).content.decode()
    )

    response = choose(client, contact, namesake, "new")
    assert response.url == children_url(contact)
    namesake.refresh_from_db()
    assert namesake.child not in (None, jamie)
    assert AuditEvent.objects.filter(
        action="child.created", actor=mo, record_id=str(namesake.child_id)
    ).exists()
    page = client.get(children_url(contact)).content.decode()
    assert "Every child on this contact is linked to their record." in page
    assert namesake.child.reference in page

    response = allocate(client, contact, bob)
    assert response.status_code == 302
    assert Episode.objects.get(support_request=contact).lead_practitioner == bob


def test_choosing_nothing_says_what_to_do(client, alice, mo):
    jamies_record(alice)
    contact = phone_contact(mo, ("Jamie", "Tailor", BORN))
    sign_in(client, mo)
    response = client.post(children_url(contact), {"person": child_on(contact).pk})
    assert response.status_code == 200
    assert (
        "Select the child&#x27;s record, or that this is a new child" in response.content.decode()
    )
    assert child_on(contact).child is None


def test_a_record_that_was_not_proposed_cannot_be_chosen(client, alice, mo):
    jamies_record(alice)
    noor = child_on(phone_contact(mo, ("Noor", "Hassan", date(2016, 6, 4))), "Noor").child
    contact = phone_contact(mo, ("Jamie", "Tailor", BORN))
    sign_in(client, mo)
    response = choose(client, contact, child_on(contact), str(noor.pk))
    assert response.status_code == 200
    assert child_on(contact).child is None


def test_a_new_child_whose_upn_another_record_holds_is_refused_with_a_message(client, nia):
    records.match_family(a_family_with_jamie(postcode=WEST_POSTCODE, upn=UPN))
    contact = services.record_contact(
        kind=SupportRequest.Kind.PHONE,
        hub=Hub.objects.get(slug="east-central"),
        source=Source.SCHOOL,
        contact={"summary": "New school worried.", "family_agreed": True},
        family={"postcode": EAST_CENTRAL_POSTCODE},
        children=[{"first_name": "Jamie", "last_name": "Taylor", "date_of_birth": BORN,
                   "upn": UPN, "role": Person.Role.CHILD}],
        adults=[],
        by=nia,
    )  # fmt: skip
    person = child_on(contact)
    assert person.child is None  # the family moved: proposed, not linked
    sign_in(client, nia)
    response = choose(client, contact, person, "new")
    assert response.status_code == 200
    assert "merge the two records instead" in response.content.decode()
    assert Child.objects.count() == 1


def test_staff_add_a_child_they_learned_of_and_it_goes_through_matching(client, alice, mo):
    jamie = jamies_record(alice)
    contact = phone_contact(mo, ("Noor", "Hassan", date(2016, 6, 4)))
    sign_in(client, mo)
    response = client.post(
        children_url(contact),
        {"add-child": "1", "first_name": "Jamie", "last_name": "Taylor",
         "date_of_birth_0": "27", "date_of_birth_1": "3", "date_of_birth_2": "2019"},
    )  # fmt: skip
    assert response.url == children_url(contact)
    assert child_on(contact, "Jamie").child == jamie


# --- Merging two records, and undoing it --------------------------------------------------------


@pytest.fixture
def twins(alice, mo):
    """Jamie's record, and a second record made when Jamie's birthday was mistyped as the 28th
    (the hub manager thought it a new child): they are one child."""
    jamie = jamies_record(alice)
    contact = phone_contact(mo, ("Jamie", "Taylor", date(2019, 3, 28)))
    duplicate = records.confirm_new(child_on(contact), by=mo)
    return jamie, duplicate, contact


def merge_url(child) -> str:
    return reverse("referrals:merge_child", args=[child.pk])


def test_an_administrator_merges_two_records_and_undoes_it(client, ada, twins):
    jamie, duplicate, contact = twins
    moved = child_on(contact)
    sign_in(client, ada)
    form = client.get(merge_url(jamie)).content.decode()
    assert "Merge a duplicate record" in form

    response = client.post(
        merge_url(jamie),
        {"other": duplicate.reference.lower().replace("-", " "), "reason": "Birthday mistyped"},
    )
    assert response.url == reverse("referrals:child", args=[jamie.pk])
    merge = ChildMerge.objects.get()
    assert (merge.kept, merge.merged, merge.merged_by) == (jamie, duplicate, ada)
    assert merge.moved_people == [moved.pk]
    moved.refresh_from_db()
    assert moved.child == jamie
    duplicate.refresh_from_db()
    assert duplicate.merged_into == jamie
    assert AuditEvent.objects.filter(
        action="child.merged", actor=ada, record_id=str(jamie.pk),
        detail={"merged": str(duplicate.pk)},
    ).exists()  # fmt: skip
    assert AuditEvent.objects.filter(action="child.merged_away", record_id=str(duplicate.pk))
    record_page = client.get(reverse("referrals:child", args=[jamie.pk])).content.decode()
    assert f"{duplicate.reference} merged into {jamie.reference}" in record_page
    assert "Undo this merge" in record_page
    assert client.get(reverse("referrals:child", args=[duplicate.pk])).status_code == 404

    response = client.post(reverse("referrals:undo_merge", args=[merge.pk]))
    assert response.url == reverse("referrals:child", args=[jamie.pk])
    moved.refresh_from_db()
    assert moved.child == duplicate
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    merge.refresh_from_db()
    assert (merge.undone_by, merge.undone_at is not None) == (ada, True)
    assert AuditEvent.objects.filter(
        action="child.unmerged", actor=ada, record_id=str(jamie.pk),
        detail={"restored": str(duplicate.pk)},
    ).exists()  # fmt: skip
    assert client.get(reverse("referrals:child", args=[duplicate.pk])).status_code == 200
    assert client.post(reverse("referrals:undo_merge", args=[merge.pk])).status_code == 404


def test_jamies_own_people_stay_with_jamie_when_a_merge_is_undone(mo, twins):
    jamie, duplicate, _ = twins
    jamies = set(Person.objects.filter(child=jamie).values_list("pk", flat=True))
    merge = records.merge(kept=jamie, merged=duplicate, reason="Same", by=mo)
    records.unmerge(merge, by=mo)
    assert set(Person.objects.filter(child=jamie).values_list("pk", flat=True)) == jamies


@pytest.mark.parametrize(
    ("other", "message"),
    [
        pytest.param("", "Enter the child ID of the duplicate record", id="none"),
        pytest.param("Jamie", "Enter a child ID in the correct format, like C-000123", id="name"),
        pytest.param("C-999999", "There is no record with this child ID", id="unknown"),
        pytest.param("itself", "Choose a different record to merge", id="itself"),
    ],
)
def test_a_merge_needs_another_record_and_a_reason(client, ada, twins, other, message):
    jamie, duplicate, _ = twins
    sign_in(client, ada)
    other = jamie.reference if other == "itself" else other
    response = client.post(merge_url(jamie), {"other": other, "reason": "Same child"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ChildMerge.objects.exists()
    without_reason = client.post(merge_url(jamie), {"other": duplicate.reference})
    assert "Give the reason for merging the records" in without_reason.content.decode()


def test_an_already_merged_record_cannot_be_merged_again(client, ada, mo, twins):
    jamie, duplicate, _ = twins
    records.merge(kept=jamie, merged=duplicate, reason="Same", by=mo)
    sign_in(client, ada)
    response = client.post(merge_url(jamie), {"other": duplicate.reference, "reason": "Again"})
    assert "it was merged already" in response.content.decode()
    assert ChildMerge.objects.count() == 1


def test_undoing_a_merge_gives_the_duplicates_upn_back(client, mo, twins):
    jamie, duplicate, _ = twins
    Child.objects.filter(pk=duplicate.pk).update(upn=UPN)
    duplicate.refresh_from_db()
    merge = records.merge(kept=jamie, merged=duplicate, reason="Same", by=mo)
    jamie.refresh_from_db()
    assert jamie.upn == UPN  # the kept record takes the identifier it lacked
    sign_in(client, mo)
    response = client.post(reverse("referrals:undo_merge", args=[merge.pk]))
    assert response.status_code == 302
    jamie.refresh_from_db()
    duplicate.refresh_from_db()
    assert (jamie.upn, duplicate.upn) == ("", UPN)


# --- Re-referrals on the child ID, by every route -----------------------------------------------


@pytest.fixture
def closed_episode(alice):
    """Jamie's episode with Alice, closed today."""
    episode = allocated_episode(alice)
    return episodes.close(episode, reason="needs_met", results={}, summary="Done", by=alice)


FAMILY_REQUEST = {
    "name": "Sam Taylor",
    "relationship": "parent",
    "contact_method": "phone",
    "phone": "07700 900982",
    "email": "",
    "best_time": "Mornings",
    "safe_to_leave_message": True,
    "postcode": WEST_POSTCODE,
    "children_ages": "7",
    "worries": "Jamie is not sleeping again.",
    "language": "",
    "interpreter_needed": False,
    "consent_to_contact": True,
    "consent_to_share": True,
}


def by_a_family_request(alice, mo) -> SupportRequest:
    """A parent asks for help (naming no one); hub staff add Jamie after calling them."""
    contact = services.submit_family_request(
        data=FAMILY_REQUEST, submission_key=uuid.uuid4()
    ).support_request
    assert contact.previous_episode is None  # no child named yet
    services.add_child_to_contact(
        contact,
        details={"first_name": "Jamie", "last_name": "Taylor", "date_of_birth": BORN,
                 "role": Person.Role.CHILD},
        by=mo,
    )  # fmt: skip
    return contact


def by_phone(alice, mo) -> SupportRequest:
    return phone_contact(mo, ("Jamie", "Taylor", BORN))


def by_an_assessment(alice, mo) -> SupportRequest:
    return sent_assessment(alice)


ROUTES = [
    pytest.param(by_a_family_request, id="a family request"),
    pytest.param(by_phone, id="a phone call"),
    pytest.param(by_an_assessment, id="an assessment"),
]


@pytest.mark.parametrize("route", ROUTES)
def test_a_contact_for_a_child_whose_episode_closed_this_year_is_a_re_referral(
    alice, mo, closed_episode, route
):
    contact = route(alice, mo)
    contact.refresh_from_db()
    assert contact.previous_episode == closed_episode


@pytest.mark.parametrize("route", ROUTES)
def test_a_closure_13_months_ago_is_not_a_re_referral(alice, mo, closed_episode, route):
    Episode.objects.filter(pk=closed_episode.pk).update(
        closed_at=timezone.now() - relativedelta(months=13)
    )
    contact = route(alice, mo)
    contact.refresh_from_db()
    assert contact.previous_episode is None


def test_a_closure_11_months_ago_is_a_re_referral(alice, mo, closed_episode):
    Episode.objects.filter(pk=closed_episode.pk).update(
        closed_at=timezone.now() - relativedelta(months=11)
    )
    contact = by_phone(alice, mo)
    contact.refresh_from_db()
    assert contact.previous_episode == closed_episode


def test_an_open_episode_does_not_make_a_re_referral(alice, mo):
    allocated_episode(alice)
    contact = by_phone(alice, mo)
    assert contact.previous_episode is None


def test_a_child_who_moved_is_a_re_referral_once_linked_to_their_record(
    client, alice, nia, closed_episode
):
    """The re-referral is found on the child ID, not the address: the family now lives in the
    East/Central hub's area, so a manager there links the child, and the flag follows."""
    contact = phone_contact(
        nia, ("Jamie", "Taylor", BORN), postcode=EAST_CENTRAL_POSTCODE, hub="east-central"
    )
    jamie = Child.objects.get()
    assert contact.previous_episode is None
    sign_in(client, nia)
    choose(client, contact, child_on(contact), str(jamie.pk))
    contact.refresh_from_db()
    assert contact.previous_episode == closed_episode
    triage = client.get(reverse("referrals:triage", args=[contact.pk])).content.decode()
    assert "Re-referral" in triage


def test_another_child_is_not_a_re_referral(alice, mo, closed_episode):
    contact = phone_contact(mo, ("Noor", "Hassan", date(2016, 6, 4)))
    assert contact.previous_episode is None


def test_undoing_a_merge_takes_back_the_re_referral_it_made(alice, mo, closed_episode):
    contact = phone_contact(mo, ("Jamie", "Taylor", date(2019, 3, 28)))
    duplicate = records.confirm_new(child_on(contact), by=mo)
    contact.refresh_from_db()
    assert contact.previous_episode is None
    merge = records.merge(kept=Child.objects.get(number=duplicate.number - 1),
                          merged=duplicate, reason="Same", by=mo)  # fmt: skip
    contact.refresh_from_db()
    assert contact.previous_episode == closed_episode
    records.unmerge(merge, by=mo)
    contact.refresh_from_db()
    assert contact.previous_episode is None


# --- Hub staff record a phone call --------------------------------------------------------------

PHONE_CALL = {
    "kind": SupportRequest.Kind.PHONE,
    "source": Source.HEALTH_VISITOR,
    "contact_name": "Hana Health",
    "contact_role": "Health visitor, Barnet 0-19",
    "contact_details": "020 7946 0002",
    "summary": "Mum is struggling with Noor's sleep.",
    "family_agreed": "True",
    "postcode": "nw7 1aa",
    "child_1_first_name": "Noor",
    "child_1_last_name": "Hassan",
    "child_1_date_of_birth_0": "4",
    "child_1_date_of_birth_1": "6",
    "child_1_date_of_birth_2": "2016",
    "parent_first_name": "Amira",
    "parent_last_name": "Hassan",
}
NEW_CONTACT = "/hub/west/contacts/new/"


def test_a_phone_call_recorded_by_the_hub_manager_lands_in_the_hubs_queue(client, mo):
    sign_in(client, mo)
    assert client.get(NEW_CONTACT).status_code == 200
    response = client.post(NEW_CONTACT, PHONE_CALL)
    contact = SupportRequest.objects.get()
    assert response.url == children_url(contact)
    assert contact.kind == SupportRequest.Kind.PHONE
    assert contact.source == Source.HEALTH_VISITOR
    assert contact.hub.slug == "west"
    assert contact.status == SupportRequest.Status.AWAITING_DECISION
    assert contact.submitted_by == mo
    assert contact.family.postcode == WEST_POSTCODE
    assert contact.recorded_contact.contact_name == "Hana Health"
    noor = child_on(contact, "Noor")
    assert noor.child is not None  # nothing resembles Noor: a new record
    assert contact.family.people.get(role=Person.Role.PARENT).first_name == "Amira"
    assert AuditEvent.objects.filter(
        action="supportrequest.recorded", actor=mo, record_id=str(contact.pk)
    ).exists()
    page = client.get(response.url).content.decode()
    assert f"Contact {contact.reference} recorded: it is in {contact.hub.name}&#x27;s queue" in page
    assert noor.child.reference in page
    queue = client.get(reverse("referrals:queue", args=["west"])).content.decode()
    assert contact.reference in queue
    assert "Contact by phone" in queue


def test_a_mash_step_across_is_recorded_with_the_mash_as_its_source(client, mo):
    sign_in(client, mo)
    client.post(NEW_CONTACT, {**PHONE_CALL, "kind": SupportRequest.Kind.MASH})
    contact = SupportRequest.objects.get()
    assert (contact.kind, contact.source) == (SupportRequest.Kind.MASH, Source.MASH)


def test_an_empty_phone_contact_says_what_is_missing(client, mo):
    sign_in(client, mo)
    response = client.post(NEW_CONTACT, {})
    assert response.status_code == 200
    page = response.content.decode()
    for message in (
        "Enter the child&#x27;s first name",
        "Select how the contact came in",
        "Enter a postcode",
        "Enter what the contact is about",
    ):
        assert message in page
    assert page.index("govuk-error-summary") < page.index("<h1")
    assert not SupportRequest.objects.exists()


def test_what_was_typed_is_kept_when_the_contact_has_errors(client, mo):
    sign_in(client, mo)
    typed = {**PHONE_CALL, "postcode": "", "child_1_last_name": ""}
    response = client.post(NEW_CONTACT, typed)
    page = response.content.decode()
    assert "Enter a postcode" in page
    assert "Enter the child&#x27;s last name" in page
    assert "Mum is struggling with Noor&#x27;s sleep." in page
    assert 'value="Noor"' in page
    assert 'value="Hana Health"' in page
    assert not SupportRequest.objects.exists()
    assert not Person.objects.exists()


def test_a_contact_the_family_did_not_agree_to_is_refused(client, mo):
    sign_in(client, mo)
    response = client.post(NEW_CONTACT, {**PHONE_CALL, "family_agreed": "False"})
    assert "Early help needs the family&#x27;s agreement" in response.content.decode()
    assert not SupportRequest.objects.exists()
