"""Existing data moves into the family record with nothing lost.

The migrations run backwards to the last state before the family record, old-style records are
made there with the historical models, and the migrations run forwards again. PostgreSQL's DDL
is transactional, so the whole round trip happens inside the test's transaction and is rolled
back afterwards.
"""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db

BEFORE = [("referrals", "0003_team_around_the_family")]


def _migrate(targets):
    with connection.cursor() as cursor:
        # Deferred foreign-key checks must fire before ALTER TABLE, inside one transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] == "referrals"]


def _old_assessment(apps, *, author, hub, reference, child_first="Jamie", born=date(2019, 3, 27)):
    Family = apps.get_model("referrals", "Family")
    Person = apps.get_model("referrals", "Person")
    Assessment = apps.get_model("referrals", "Assessment")
    SupportRequest = apps.get_model("referrals", "SupportRequest")
    Consent = apps.get_model("referrals", "Consent")
    family = Family.objects.create(postcode="NW7 1AA")
    parent = Person.objects.create(
        family=family, first_name="Sam", last_name="Taylor", role="parent",
        date_of_birth=date(1990, 5, 1), parental_responsibility=True, ethnicity="white",
    )  # fmt: skip
    child = Person.objects.create(
        family=family, first_name=child_first, last_name="Taylor", role="child",
        date_of_birth=born, ethnicity="mixed",
    )  # fmt: skip
    request = SupportRequest.objects.create(
        kind="assessment", reference=reference, hub=hub, routing="covered", submitted_by=author,
        received_at=timezone.now(), decision_due=timezone.localdate(),
    )  # fmt: skip
    assessment = Assessment.objects.create(
        author=author, family=family, support_request=request, submitted_at=timezone.now()
    )
    assessment.subjects.set([child])
    Consent.objects.create(
        assessment=assessment, person=child, given_by=child if born.year < 2013 else parent,
        given_on=date(2026, 11, 1), method="in_person", to_assessment=True, to_share=True,
    )  # fmt: skip
    return request, child


def test_existing_assessments_requests_and_episodes_become_records_with_nothing_lost(alice, mo):
    apps = _migrate(BEFORE)
    Hub = apps.get_model("hubs", "Hub")
    User = apps.get_model("accounts", "User")
    Episode = apps.get_model("referrals", "Episode")
    SupportRequest = apps.get_model("referrals", "SupportRequest")
    FamilyRequest = apps.get_model("referrals", "FamilyRequest")
    west = Hub.objects.get(slug="west")
    author = User.objects.get(pk=alice.pk)
    first, jamie = _old_assessment(apps, author=author, hub=west, reference="EH-2026-900001")
    Episode.objects.create(
        support_request=first, family_id=first.assessment.family_id, hub=west,
        lead_practitioner=author, opened_at=timezone.now(), status="closed",
        closed_at=timezone.now(), closure_reason="needs_met",
    )  # fmt: skip
    # The same child again, a year on, in another family record (a re-referral).
    second, jamie_again = _old_assessment(apps, author=author, hub=west, reference="EH-2026-900002")
    # A 14-year-old who gave their own consent under the earlier 13-and-over rule.
    _, teenager = _old_assessment(
        apps, author=author, hub=west, reference="EH-2026-900003", child_first="Kai",
        born=date(2012, 6, 1),
    )  # fmt: skip
    parents_own = SupportRequest.objects.create(
        kind="family_request", reference="EH-2026-900004", hub=west, routing="covered",
        received_at=timezone.now(), decision_due=timezone.localdate(),
    )  # fmt: skip
    FamilyRequest.objects.create(
        support_request=parents_own, name="Sam Taylor", relationship="parent",
        contact_method="phone", phone="07700 900123", safe_to_leave_message=True,
        postcode="NW7 1AA", children_ages="7", worries="Sleep", consent_to_contact=True,
        consent_to_share=True, submission_key="6d3c9a8e-1f7b-4c3e-9a55-0b1d2c3e4f50",
        sender_hash="0" * 64,
    )  # fmt: skip
    people_before = apps.get_model("referrals", "Person").objects.count()

    apps = _migrate(_latest())
    Person = apps.get_model("referrals", "Person")
    Child = apps.get_model("referrals", "Child")
    Household = apps.get_model("referrals", "Household")
    SupportRequest = apps.get_model("referrals", "SupportRequest")
    Consent = apps.get_model("referrals", "Consent")
    Episode = apps.get_model("referrals", "Episode")

    assert Person.objects.count() == people_before  # nobody lost
    assert Household.objects.count() == 3  # one per family that reached the front door
    jamie, jamie_again = Person.objects.get(pk=jamie.pk), Person.objects.get(pk=jamie_again.pk)
    assert jamie.child_id is not None
    assert jamie.child_id == jamie_again.child_id  # one child, one child ID, across contacts
    assert Child.objects.filter(first_name="Jamie").count() == 1
    assert Person.objects.get(pk=jamie.pk).ethnicity == "mixed"  # the census group is kept
    assert not Person.objects.filter(role="child", child=None).exists()
    first = SupportRequest.objects.get(reference="EH-2026-900001")
    assert first.family_id is not None
    assert first.household_id is not None
    assert first.source == "school"
    assert SupportRequest.objects.get(reference="EH-2026-900004").source == "family"
    assert Episode.objects.get(support_request=first).household_id == first.household_id
    kais = Consent.objects.get(person_id=teenager.pk)
    assert kais.competent is True
    assert "13 and over" in kais.competence_reason
    jamies = Consent.objects.get(person_id=jamie.pk)
    assert jamies.competent is None  # a parent consented: nothing to infer
