"""The retention schedule (#14): past their dates, case files are anonymised, exactly those and
nothing else; reports count them as before; a legal hold stops it; every run is audited."""

from datetime import timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from earlyhelp.models import AuditEvent
from referrals.generate import generate_caseload
from referrals.models import (
    Assessment,
    Child,
    Episode,
    FamilyRequest,
    Household,
    Person,
    SupportRequest,
)
from referrals.retention import REMOVED, apply_retention
from reports import periods
from reports.scorecard import Scope, measure_rows
from tests.factories import complete_assessment

pytestmark = pytest.mark.django_db

# Seven years on from a year ago: episodes closed more than a year before the real today are past
# their seven years, later ones are not; every unallocated request is past its two years.
TODAY = timezone.localdate() + relativedelta(years=6)


@pytest.fixture
def caseload(db):
    return generate_caseload(families=40, seed=11)


def _start_of(day):
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))


def _expected():
    """Worked out one record at a time, independently of referrals.retention."""
    episode_cutoff = _start_of(TODAY - relativedelta(years=7))
    request_cutoff = _start_of(TODAY - relativedelta(years=2))
    held = set(Household.objects.exclude(legal_hold_reason="").values_list("pk", flat=True))
    episodes, requests = set(), set()
    for episode in Episode.objects.all():
        if episode.household_id in held:
            continue
        if episode.status == Episode.Status.CLOSED and episode.closed_at < episode_cutoff:
            episodes.add(episode.pk)
            if episode.support_request_id:
                requests.add(episode.support_request_id)
    for request in SupportRequest.objects.prefetch_related("decisions"):
        if request.household_id in held or hasattr(request, "episode"):
            continue
        if request.status in {"awaiting_decision", "more_information"}:
            continue
        decided = [d.decided_at for d in request.decisions.all()]
        if decided and max(decided) < request_cutoff:
            requests.add(request.pk)
    return episodes, requests


def _names():
    return {p.pk: (p.first_name, p.last_name) for p in Person.objects.all()}


def _scorecard():
    period = periods.custom(timezone.localdate() - timedelta(days=800), timezone.localdate())
    return measure_rows(period, Scope())


def test_a_dry_run_counts_and_changes_nothing(caseload):
    names = _names()
    episodes, requests = _expected()
    assert episodes, "the sample should reach back far enough for some closed episodes"
    counts = apply_retention(TODAY, dry_run=True)
    assert counts["closed_episodes"] == len(episodes)
    assert counts["requests"] == len(requests)
    assert _names() == names
    assert not SupportRequest.objects.exclude(anonymised_at=None).exists()


def test_exactly_the_records_past_their_dates_are_anonymised(caseload):
    held = Household.objects.filter(episodes__status=Episode.Status.CLOSED).first()
    held.legal_hold_reason = "A complaint to the ombudsman is open."
    held.save()
    episodes, requests = _expected()
    before_names = _names()
    before_reports = _scorecard()

    counts = apply_retention(TODAY, dry_run=False)

    assert set(Episode.objects.exclude(anonymised_at=None).values_list("pk", flat=True)) == episodes
    assert (
        set(SupportRequest.objects.exclude(anonymised_at=None).values_list("pk", flat=True))
        == requests
    )
    assert counts["held"] >= 1
    # What went: the names and words of those case files, and only those.
    for request in SupportRequest.objects.select_related("family"):
        gone = request.pk in requests
        people = Person.objects.filter(family=request.family_id) if request.family_id else []
        for person in people:
            assert (person.first_name == "Removed") == gone
        family_request = FamilyRequest.objects.filter(support_request=request).first()
        if family_request:
            assert (family_request.worries == REMOVED) == gone
            assert (family_request.name == "Removed") == gone
    for assessment in Assessment.objects.filter(support_request__in=requests):
        assert assessment.worries in {"", REMOVED}
    untouched = [pk for pk, name in _names().items() if name[0] != "Removed"]
    assert all(_names()[pk] == before_names[pk] for pk in untouched)
    # The held family keeps everything.
    assert not SupportRequest.objects.filter(household=held).exclude(anonymised_at=None).exists()
    assert not Child.objects.filter(household=held, first_name="Removed").exists()
    # Reports count exactly what they counted before.
    assert _scorecard() == before_reports
    # Audited, with counts only; a second run finds nothing more.
    event = AuditEvent.objects.get(action="retention.applied")
    assert event.detail["closed_episodes"] == len(episodes)
    again = apply_retention(TODAY, dry_run=False)
    assert again["closed_episodes"] == again["requests"] == 0


def test_a_child_record_goes_only_when_all_their_case_files_have(caseload):
    apply_retention(TODAY, dry_run=False)
    for household in Household.objects.exclude(anonymised_at=None):
        assert not household.contacts.filter(anonymised_at=None).exists()
        assert not household.episodes.filter(anonymised_at=None).exists()
        assert set(household.children.values_list("first_name", flat=True)) <= {"Removed"}
    for household in Household.objects.filter(anonymised_at=None):
        assert not household.children.filter(first_name="Removed").exists()


def test_an_unsent_draft_is_deleted_after_90_days(alice):
    old, recent = complete_assessment(alice), complete_assessment(alice, child="Sam")
    Assessment.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=91))
    counts = apply_retention(timezone.localdate(), dry_run=False)
    assert counts["unsent_drafts"] == 1
    assert list(Assessment.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_command_prints_counts_per_type(caseload):
    out = StringIO()
    call_command("apply_retention", "--dry-run", f"--today={TODAY}", stdout=out)
    assert "Would anonymise" in out.getvalue()
    assert "closed episodes past their date" in out.getvalue()
    assert not SupportRequest.objects.exclude(anonymised_at=None).exists()


def _a_west_child(alice):
    from tests.factories import allocated_episode

    episode = allocated_episode(alice)
    return Child.objects.filter(household=episode.household).first() or Child.objects.first()


def test_a_hub_manager_places_and_lifts_a_legal_hold(client, alice, mo):
    from tests.factories import sign_in

    child = _a_west_child(alice)
    sign_in(client, mo)
    url = f"/children/{child.pk}/legal-hold/"
    empty = client.post(url, {"reason": ""})
    assert "Enter why the family" in empty.content.decode()
    client.post(url, {"reason": "A complaint is open."})
    child.household.refresh_from_db()
    assert child.household.legal_hold_reason == "A complaint is open."
    assert child.household.legal_hold_by == mo
    assert AuditEvent.objects.filter(action="household.legal_hold_placed", actor=mo).exists()
    client.post(url, {"lift": "1"})
    child.household.refresh_from_db()
    assert child.household.legal_hold_reason == ""
    assert AuditEvent.objects.filter(action="household.legal_hold_lifted", actor=mo).exists()


def test_no_one_else_places_a_legal_hold(client, alice, bob, nia):
    from tests.factories import sign_in

    child = _a_west_child(alice)
    url = f"/children/{child.pk}/legal-hold/"
    for person, refused in ((alice, {403, 404}), (bob, {403, 404}), (nia, {403, 404})):
        sign_in(client, person)
        assert client.post(url, {"reason": "Let me keep it."}).status_code in refused
        client.logout()
    assert client.post(url, {"reason": "x"}).status_code == 302  # to sign in
    child.household.refresh_from_db()
    assert child.household.legal_hold_reason == ""
