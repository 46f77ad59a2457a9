"""Before a new assessment, a practitioner checks whether the child already has early help."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.models import AuditEvent
from tests.factories import sent_assessment, sign_in

pytestmark = pytest.mark.django_db


def look_up(client, first="Jamie", last="Taylor", born=date(2019, 3, 27), postcode=""):
    return client.post(
        reverse("referrals:family_lookup"),
        {
            "first_name": first,
            "last_name": last,
            "date_of_birth_0": born.day,
            "date_of_birth_1": born.month,
            "date_of_birth_2": born.year,
            "postcode": postcode,
        },
    )


def test_a_child_with_an_open_record_shows_only_the_hub_status_and_contact(client, alice, bob):
    support_request = sent_assessment(alice)
    sign_in(client, bob)
    page = look_up(client, first="JAMIE", last="taylor").content.decode()
    assert "This child may already have early help" in page
    assert support_request.hub.name in page
    assert "Awaiting decision" in page
    assert "Speech is behind" not in page  # never the case content
    assert support_request.reference not in page


def test_the_lead_practitioners_work_contact_is_shown_once_allocated(client, alice, bob, mo):
    from referrals import services

    support_request = sent_assessment(alice)
    services.decide(
        support_request_id=support_request.pk,
        seen_version=1,
        by=mo,
        kind="allocate",
        reason="r",
        lead_practitioner=mo,
    )
    sign_in(client, bob)
    page = look_up(client).content.decode()
    assert "Mo Mensah, lead practitioner" in page
    assert mo.email in page


def test_a_different_date_of_birth_finds_nothing(client, alice, bob):
    sent_assessment(alice)
    sign_in(client, bob)
    page = look_up(client, born=date(2019, 3, 28)).content.decode()
    assert "No open early help record found" in page


def test_the_surname_is_always_needed_so_dates_of_birth_cannot_be_stepped_through(
    client, alice, bob
):
    """A first name and postcode used to be enough: 60 searches stepping through dates of birth
    found a child's hub and lead practitioner (issue 14)."""
    sent_assessment(alice)
    sign_in(client, bob)
    page = look_up(client, last="Smith", postcode="nw71aa").content.decode()
    assert "No open early help record found" in page


def test_searches_beyond_the_hourly_limit_are_refused_and_administrators_hear_once(
    client, alice, bob, ada, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.tasks import run_tasks

    settings.FAMILY_LOOKUPS_PER_HOUR = 3
    sent_assessment(alice)
    sign_in(client, bob)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [look_up(client, born=date(2019, 3, day)).status_code for day in range(1, 6)]
    assert statuses == [200, 200, 200, 429, 429]
    assert AuditEvent.objects.filter(actor=bob, action="family.lookup_refused").count() == 2
    run_tasks()
    alerts = [m for m in mail.outbox if m.subject == "Unusual number of family look-ups"]
    assert len(alerts) == 1
    assert alerts[0].to == [ada.email]
    assert "Jamie" not in alerts[0].body


def test_every_look_up_is_audited_without_the_names_typed(client, alice, bob):
    sent_assessment(alice)
    sign_in(client, bob)
    look_up(client)
    look_up(client, first="Nobody")
    events = AuditEvent.objects.filter(actor=bob, action="family.looked_up")
    assert [e.detail["matches"] for e in events.order_by("at", "id")] == [1, 0]
    assert "Jamie" not in str([e.detail for e in AuditEvent.objects.all()])


def test_names_never_appear_in_the_url(client, bob):
    sign_in(client, bob)
    form = client.get(reverse("referrals:family_lookup")).content.decode()
    assert 'method="post"' in form


def test_the_child_checked_for_starts_the_assessment_and_the_task_list_names_them(client, bob):
    from referrals.models import Assessment, Person

    sign_in(client, bob)
    look_up(client, first="Amara", last="Okafor", born=date(2018, 2, 14))
    response = client.post(reverse("referrals:new"), {"risk": "False"})
    assessment = Assessment.objects.get(author=bob)
    child = assessment.family.people.get()
    assert (child.role, child.first_name, child.last_name, child.date_of_birth) == (
        Person.Role.CHILD,
        "Amara",
        "Okafor",
        date(2018, 2, 14),
    )
    task_list = client.get(response["Location"]).content.decode()
    assert "For Amara Okafor (born 14 February 2018)" in task_list
    # Carried once: the next assessment starts empty.
    client.post(reverse("referrals:new"), {"risk": "False"})
    latest = Assessment.objects.filter(author=bob).order_by("-created_at").first()
    assert not latest.family.people.exists()
    assert (
        "No child named yet"
        in client.get(reverse("referrals:task_list", args=[latest.pk])).content.decode()
    )
