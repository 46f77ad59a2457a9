"""The sample caseload (referrals/generate.py): what reports built on it rely on."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from referrals import records
from referrals.generate import generate_caseload
from referrals.models import (
    Child,
    Decision,
    Episode,
    FamilyFeedback,
    Household,
    Outcome,
    Person,
    SupportRequest,
)

FAMILIES = 30
SEED = 7


@pytest.fixture
def caseload(db):
    """A small sample caseload (rolled back with each test's transaction)."""
    return generate_caseload(families=FAMILIES, seed=SEED)


def test_it_brings_contacts_by_every_route(caseload):
    kinds = set(SupportRequest.objects.values_list("kind", flat=True))
    assert kinds == set(SupportRequest.Kind.values)
    assert not SupportRequest.objects.filter(source="").exists()


def test_it_closes_episodes_for_every_closure_reason(caseload):
    closed = Episode.objects.filter(status=Episode.Status.CLOSED)
    assert set(closed.values_list("closure_reason", flat=True)) == set(Episode.ClosureReason.values)
    assert not closed.filter(closed_at=None).exists()


def test_closures_are_signed_off_except_step_ups(caseload):
    closed = Episode.objects.filter(status=Episode.Status.CLOSED)
    stepped_up = closed.filter(closure_reason=Episode.ClosureReason.STEPPED_UP)
    signed_off = closed.exclude(closure_reason=Episode.ClosureReason.STEPPED_UP)
    assert not signed_off.filter(closure_signed_off_by=None).exists()
    assert not signed_off.filter(moving_on_contacts="").exists()
    assert FamilyFeedback.objects.filter(episode__in=signed_off).count() == signed_off.count()
    assert not FamilyFeedback.objects.filter(episode__in=stepped_up).exists()
    assert Outcome.objects.filter(episode__in=signed_off).exclude(result="").exists()


def test_it_marks_every_record_as_sample(caseload):
    assert Household.objects.count() == FAMILIES
    for model in (Household, Child, SupportRequest, Episode):
        assert model.objects.exists()
        assert not model.objects.filter(is_sample=False).exists(), model
    made = User.objects.filter(email__endswith="@sample.invalid")
    assert made.exists()
    assert not made.exclude(job_title__startswith="Sample").exists()


def test_each_child_has_a_unique_child_id_and_every_recorded_child_is_linked(caseload):
    numbers = list(Child.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))
    young = Person.objects.filter(role__in=[Person.Role.CHILD, Person.Role.UNBORN])
    assert young.exists()
    assert not young.filter(child=None).exists()
    for person in young.select_related("family", "child"):
        assert person.child.household_id == person.family.household_id


def test_every_allocation_opens_an_episode_led_by_the_allocated_practitioner(caseload):
    allocations = Decision.objects.filter(kind=Decision.Kind.ALLOCATE).select_related(
        "support_request__episode"
    )
    assert allocations.exists()
    for decision in allocations:
        episode = decision.support_request.episode
        assert episode.lead_practitioner_id == decision.lead_practitioner_id
        assert episode.members.filter(user=decision.lead_practitioner).exists()


def test_re_referrals_name_the_episode_that_matching_would_find(caseload):
    re_referrals = SupportRequest.objects.exclude(previous_episode=None)
    assert re_referrals.exists()
    for contact in SupportRequest.objects.all():
        previous = records.previous_episode_for_contact(contact)
        assert contact.previous_episode_id == (previous.pk if previous else None)


def test_running_again_with_the_same_seed_makes_nothing(db):
    out = StringIO()
    call_command("generate_caseload", families=5, seed=SEED, stdout=out)
    counts = [model.objects.count() for model in (Household, Child, SupportRequest, Episode)]
    call_command("generate_caseload", families=5, seed=SEED, stdout=out)
    assert [model.objects.count() for model in (Household, Child, SupportRequest, Episode)] == (
        counts
    )
    assert "already there" in out.getvalue()


def test_it_is_refused_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("generate_caseload", families=5, seed=SEED, stdout=StringIO())
    assert not Household.objects.exists()
