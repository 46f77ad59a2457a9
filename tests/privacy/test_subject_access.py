"""Subject access and other rights requests (#14): an administrator records a request, its due
date is one calendar month on, and the export holds every record about the child."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp import audit
from earlyhelp.models import AuditEvent
from privacy.models import RightsRequest, one_calendar_month_after
from referrals.generate import generate_caseload
from referrals.models import (
    Action,
    Assessment,
    AssessmentNeed,
    Child,
    Consent,
    Decision,
    Episode,
    EpisodeEvent,
    Meeting,
    Outcome,
    Person,
    SupportRequest,
    TeamMember,
)
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseload(db):
    return generate_caseload(families=25, seed=5)


@pytest.fixture
def child(caseload):
    """A child with an episode: the most there is to export."""
    return (
        Child.objects.current()
        .filter(records__family__episodes__isnull=False)
        .distinct()
        .order_by("number")
        .first()
    )


@pytest.fixture
def request_record(child, ada):
    return RightsRequest.objects.create(
        kind=RightsRequest.Kind.ACCESS,
        child=child,
        requester_name="A parent",
        relationship=RightsRequest.Relationship.PARENT,
        received_on=date(2027, 1, 31),
        recorded_by=ada,
    )


def _export(client, record) -> tuple[dict, str]:
    response = client.get(reverse("privacy:export", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["data.json", "index.html"]
        return json.loads(archive.read("data.json")), archive.read("index.html").decode()


def _ids(records: dict) -> set[str]:
    return {row["id"] for rows in records.values() for row in rows if "id" in row}


def _held_in_the_database(child) -> dict[str, set[str]]:
    """Every row about the child, found by walking from the child, one relation at a time."""
    found: dict[str, set[str]] = {}

    def add(kind, rows):
        found.setdefault(kind, set()).update(str(row.pk) for row in rows)

    records = list(Person.objects.filter(child=child))
    families = {person.family for person in records}
    add("person", Person.objects.filter(family__in=families))
    requests = SupportRequest.objects.filter(family__in=families)
    add("supportrequest", requests)
    add("decision", Decision.objects.filter(support_request__in=requests))
    assessments = [family.assessment for family in families if hasattr(family, "assessment")]
    assessments += list(Assessment.objects.filter(support_request__in=requests))
    add("assessment", assessments)
    add("assessmentneed", AssessmentNeed.objects.filter(assessment__in=assessments))
    add("consent", Consent.objects.filter(assessment__in=assessments))
    episodes = list(Episode.objects.filter(family__in=families)) + list(
        Episode.objects.filter(support_request__in=requests)
    )
    add("episode", episodes)
    add("teammember", TeamMember.objects.filter(episode__in=episodes))
    outcomes = Outcome.objects.filter(episode__in=episodes)
    add("outcome", outcomes)
    add("action", Action.objects.filter(outcome__in=outcomes))
    add("meeting", Meeting.objects.filter(episode__in=episodes))
    add("episodeevent", EpisodeEvent.objects.filter(episode__in=episodes))
    return found


def test_the_export_holds_every_record_about_the_child(client, ada, child, request_record):
    sign_in(client, ada)
    data, html = _export(client, request_record)
    exported = _ids(data["records"])
    held = _held_in_the_database(child)
    assert held["episode"], "the child should have an episode to export"
    for kind, ids in held.items():
        assert ids <= exported, f"{kind} rows missing from the export: {ids - exported}"
    assert str(child.pk) in exported
    # Nothing about a child in another family.
    other = Child.objects.current().exclude(household=child.household).first()
    other_people = {str(p.pk) for p in Person.objects.filter(child=other)}
    assert not other_people & exported
    assert "Review for third-party information" in html
    assert child.reference in html


def test_the_export_lists_who_viewed_the_record(client, ada, bob, child, request_record):
    audit.record(None, "child.viewed", child, user=bob)
    sign_in(client, ada)
    data, _ = _export(client, request_record)
    views = data["records"]["who looked at or changed these records"]
    assert any(v["who"] == str(bob) and v["what"] == "child.viewed" for v in views)
    assert AuditEvent.objects.filter(
        action="subject_access.exported", record_id=str(request_record.pk), actor=ada
    ).exists()


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2027, 1, 31), date(2027, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2027, 3, 15), date(2027, 4, 15)),
        (date(2027, 12, 31), date(2028, 1, 31)),
    ],
)
def test_a_request_is_due_one_calendar_month_after_it_was_received(received, due):
    assert one_calendar_month_after(received) == due


def test_an_administrator_records_a_request_and_its_outcome(client, ada, child):
    sign_in(client, ada)
    empty = client.post(reverse("privacy:new_request"), {})
    page = empty.content.decode()
    assert "There is a problem" in page
    assert "Enter the child&#x27;s ID" in page
    wrong = client.post(
        reverse("privacy:new_request"),
        {
            "kind": "erasure",
            "child_reference": "C-999999",
            "requester_name": "Sam Parent",
            "relationship": "parent",
            "received_on_0": "31",
            "received_on_1": "1",
            "received_on_2": "2026",
        },
    )
    assert "Enter the ID of a child with a record" in wrong.content.decode()
    assert "Sam Parent" in wrong.content.decode()  # what they typed is kept
    response = client.post(
        reverse("privacy:new_request"),
        {
            "kind": "erasure",
            "child_reference": child.reference.lower(),
            "requester_name": "Sam Parent",
            "relationship": "parent",
            "received_on_0": "31",
            "received_on_1": "1",
            "received_on_2": "2026",
        },
    )
    record = RightsRequest.objects.get()
    assert response["Location"] == reverse("privacy:request", args=[record.pk])
    assert record.due_on == date(2026, 2, 28)
    assert record.child == child
    listing = client.get(reverse("privacy:requests")).content.decode()
    assert "Overdue" in listing
    client.post(reverse("privacy:request", args=[record.pk]), {"outcome": "Refused: needed."})
    record.refresh_from_db()
    assert record.closed_on is not None
    assert record.outcome == "Refused: needed."
    assert AuditEvent.objects.filter(action="rights_request.closed", actor=ada).exists()


@pytest.mark.parametrize("name", ["requests", "new_request", "request", "export"])
def test_only_administrators_see_data_protection_requests(client, alice, mo, request_record, name):
    args = [request_record.pk] if name in {"request", "export"} else []
    url = reverse(f"privacy:{name}", args=args)
    for person in (alice, mo):
        sign_in(client, person)
        assert client.post(url).status_code == 403
        assert client.get(url).status_code in {403, 405}
        client.logout()
    assert client.get(url).status_code == 302
    assert not AuditEvent.objects.filter(action="subject_access.exported").exists()
