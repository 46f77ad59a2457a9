"""Every route declares who it is for, and each declaration is enforced.

Walks the whole URLconf (admin aside), so a new route is covered without a new test. To fix a
failure here, decorate the view with one of the audiences in earlyhelp/access.py.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from earlyhelp.access import PERMISSION, PUBLIC, SIGNING_IN, STAFF, audience_of


def _first_published_service():
    from directory.models import Service

    return Service.objects.published().order_by("name").first().pk


def _first_place():
    from directory.models import Location

    return Location.objects.order_by("name").first().slug


def _first_place_pk():
    from directory.models import Location

    return Location.objects.order_by("name").first().pk


def _signed_in_user():
    """The superuser the private-page test signs in as (records are theirs), else a new author."""
    from accounts.models import User
    from tests.factories import practitioner

    return User.objects.filter(is_superuser=True).first() or practitioner()


def _draft():
    from tests.factories import complete_assessment

    return complete_assessment(_signed_in_user()).pk


def _draft_and_child():
    from tests.factories import complete_assessment

    assessment = complete_assessment(_signed_in_user())
    return {"pk": assessment.pk, "person_pk": assessment.subjects.get().pk}


def _sent():
    from tests.factories import sent_assessment

    return sent_assessment(_signed_in_user())


def _invited_user():
    from tests.factories import UserFactory

    return UserFactory(password=None).pk


def _waiting_user():
    """Someone a lead practitioner asked for an account for, waiting for approval."""
    from tests.factories import UserFactory

    return UserFactory(password=None, awaiting_approval=True).pk


def _course():
    from datetime import time, timedelta

    from django.utils import timezone

    from directory.models import Course, Service

    return Course.objects.create(
        service=Service.objects.published().order_by("name").first(),
        start_date=timezone.localdate() + timedelta(days=7),
        sessions=6,
        starts_at=time(10),
        ends_at=time(12),
        capacity=10,
        booking=Course.Booking.REGISTER_INTEREST,
    )


def _registration():
    from directory.models import Registration

    return Registration.objects.create(
        course=_course(), reference="CR-TEST01", name="A parent", phone="07700 900982",
        child_ages=["2-4"], consent=True, status=Registration.Status.REGISTERED,
    )  # fmt: skip


def _proposal():
    from directory.models import Proposal, Service

    service = Service.objects.published().order_by("name").first()
    return Proposal.objects.create(service=service, section="name",
                                   values={"name": "New"}, base_version=service.version,
                                   proposed_by=_signed_in_user())  # fmt: skip


def _feedback():
    from directory.models import Feedback, Service

    return Feedback.objects.create(
        service=Service.objects.published().order_by("name").first(), message="Wrong times"
    )


def _service_place_and_session():
    from datetime import time

    from directory.models import Schedule, Service

    service = Service.objects.filter(service_at_locations__isnull=False).order_by("name").first()
    link = service.service_at_locations.first()
    session = Schedule.objects.create(service_at_location=link, weekday=1, opens_at=time(9),
                                      closes_at=time(10))  # fmt: skip
    return {"pk": service.pk, "link_pk": link.pk, "session_pk": session.pk}


def _episode():
    from tests.factories import allocated_episode

    return allocated_episode(_signed_in_user())


def _episode_action():
    from datetime import date

    from referrals.models import Action

    episode = _episode()
    action = Action.objects.create(
        outcome=episode.outcomes.get(), what="Attend speech sessions",
        owner_member=episode.members.get(), due_on=date(2027, 1, 31),
    )  # fmt: skip
    return {"pk": episode.pk, "action_pk": action.pk}


def _episode_member():
    from tests.factories import UserFactory

    episode = _episode()
    member = episode.members.create(user=UserFactory(), added_by=episode.lead_practitioner)
    return {"pk": episode.pk, "member_pk": member.pk}


def _episode_meeting():
    from datetime import date

    episode = _episode()
    meeting = episode.meetings.create(kind="first", held_on=date(2026, 11, 30), notes="Met",
                                      recorded_by=episode.lead_practitioner)  # fmt: skip
    return {"pk": episode.pk, "meeting_pk": meeting.pk}


def _connection():
    from directory.models import Service
    from referrals.models import ConnectionRequest

    ids = _episode_action()
    service = Service.objects.published().order_by("name").first()
    return ConnectionRequest.objects.create(
        action_id=ids["action_pk"], service=service, organisation=service.organisation,
        reason="Speech", how_to_engage="Call mum", sent_by=_signed_in_user(),
    ).pk  # fmt: skip


def _child():
    from referrals.models import Person

    return Person.objects.get(family=_sent().family, role="child").child_id


def _rights_request():
    from datetime import date

    from privacy.models import RightsRequest

    return RightsRequest.objects.create(
        kind=RightsRequest.Kind.ACCESS,
        child_id=_child(),
        requester_name="A parent",
        relationship=RightsRequest.Relationship.PARENT,
        received_on=date(2027, 1, 31),
        recorded_by=_signed_in_user(),
    ).pk


def _child_merge():
    from referrals import records
    from referrals.models import Child
    from tests.factories import sent_assessment

    kept = Child.objects.get(pk=_child())
    other = sent_assessment(_signed_in_user(), child="Jamey")
    merged = other.family.people.get(role="child")
    if merged.child_id is None:
        records.confirm_new(merged, by=_signed_in_user())
        merged.refresh_from_db()
    return records.merge(kept=kept, merged=merged.child, reason="Same", by=_signed_in_user()).pk


def _professional():
    from referrals.models import Assessment, Professional

    pk = _draft()
    professional = Professional.objects.create(
        assessment=Assessment.objects.get(pk=pk), role="gp", name="Dr Patel",
        family_agreed_to_share=True,
    )  # fmt: skip
    return {"pk": pk, "professional_pk": professional.pk}


def _episode_outcome():
    """A closed episode with an achieved outcome whose sustainment period has ended."""
    from django.utils import timezone

    from referrals.models import Episode

    episode = _episode()
    outcome = episode.outcomes.get()
    outcome.result = "achieved"
    outcome.sustain_check_due = timezone.localdate()
    outcome.save()
    Episode.objects.filter(pk=episode.pk).update(
        status="closed", closed_at=timezone.now(), closure_reason="needs_met"
    )
    return {"pk": episode.pk, "outcome_pk": outcome.pk}


def _episode_awaiting_sign_off():
    from django.utils import timezone

    from referrals.models import Episode

    episode = _episode()
    Episode.objects.filter(pk=episode.pk).update(
        closure_requested_at=timezone.now(), closure_reason="needs_met"
    )
    return episode.pk


def _episode_stepped_up():
    from referrals import episodes

    episode = _episode()
    return episodes.step_up(episode, reason="Risk", by=episode.lead_practitioner).pk


def _episode_assessment():
    from django.utils import timezone

    episode = _episode()
    assessment = episode.support_request.assessment
    assessment.episode = episode
    assessment.submitted_at = timezone.now()
    assessment.save()
    return {"pk": episode.pk, "assessment_pk": assessment.pk}


# Sample URL arguments for each route that takes any (values or callables run inside a test), so
# every route can be reversed. A new route with arguments must be added here.
SAMPLE_KWARGS = {
    "referrals:ask_for_help_step": {"step": "postcode"},
    "hubs:detail": {"slug": "west"},
    "directory:service": {"pk": _first_published_service},
    "directory:place": {"slug": _first_place},
    "directory:life_stage": {"stage": "0-5"},
    "accounts:set_password": {"uidb64": "MQ", "token": "set-password"},
    "accounts:resend_invitation": {"pk": _invited_user},
    "accounts:person": {"pk": _invited_user},
    "accounts:approve_invitation": {"pk": _waiting_user},
    "accounts:refuse_invitation": {"pk": _waiting_user},
    "accounts:reset_password": {"pk": _invited_user},
    "accounts:reset_authenticator": {"pk": _invited_user},
    "referrals:sent": {"pk": lambda: _sent().assessment.pk},
    "referrals:summary": {"pk": lambda: _sent().pk},
    "referrals:triage": {"pk": lambda: _sent().pk},
    "referrals:queue": {"slug": "west"},
    **{
        f"directory:{name}": {"pk": _first_published_service}
        for name in (
            "report",
            "report_sent",
            "manage_service",
            "edit_places",
            "service_status",
            "confirm_service",
            "service_history",
            "add_course",
        )
    },
    **{
        f"referrals:{name}": {"pk": lambda: _episode().pk}
        for name in (
            "episode",
            "team",
            "hand_over",
            "add_outcome",
            "add_action",
            "plan_print",
            "add_meeting",
            "close_episode",
            "step_up",
        )
    },
    **{
        f"referrals:{name}": {"pk": lambda: _episode().pk}
        for name in ("claim", "start_episode_assessment")
    },
    "referrals:sign_off": {"pk": _episode_awaiting_sign_off},
    "referrals:mash_outcome": {"pk": _episode_stepped_up},
    "referrals:feedback": {"pk": _episode_stepped_up},
    "referrals:sustained": _episode_outcome,
    "referrals:episode_eha": _episode_assessment,
    "referrals:family_feedback": {"token": "not-a-real-link"},
    "referrals:record_contact": {"slug": "west"},
    "reports:records": {"measure": "contacts"},
    "referrals:contact_children": {"pk": lambda: _sent().pk},
    "referrals:child": {"pk": _child},
    "referrals:merge_child": {"pk": _child},
    "referrals:legal_hold": {"pk": _child},
    "privacy:request": {"pk": _rights_request},
    "privacy:export": {"pk": _rights_request},
    "referrals:undo_merge": {"pk": _child_merge},
    "referrals:remove_professional": _professional,
    "referrals:action": _episode_action,
    "referrals:connect": _episode_action,
    "referrals:remove_member": _episode_member,
    "referrals:meeting": _episode_meeting,
    "referrals:hub_episodes": {"slug": "west"},
    "referrals:step_down": {"slug": "west"},
    "referrals:connection": {"pk": _connection},
    "directory:edit_section": {"pk": _first_published_service, "section": "name"},
    "directory:remove_place": _service_place_and_session,
    "directory:remove_session": _service_place_and_session,
    "directory:edit_course": lambda: {"pk": (c := _course()).service_id, "course_pk": c.pk},
    "directory:register": {"pk": lambda: _course().pk},
    "directory:registered": {"pk": lambda: _course().pk},
    "directory:course_registrations": {"pk": lambda: _course().pk},
    "directory:registration_status": {"pk": lambda: _registration().pk},
    "directory:proposal": {"pk": lambda: _proposal().pk},
    "directory:feedback": {"pk": lambda: _feedback().pk},
    "directory:edit_place": {"pk": _first_place_pk},
    # The Open Referral UK feed (directory/api_urls.py); a taxonomy's id is derived from its name.
    "oruk:service": {"id": _first_published_service},
    "oruk:service_at_location": {"id": lambda: _service_place_and_session()["link_pk"]},
    "oruk:taxonomy": {
        "id": lambda: __import__("directory.oruk", fromlist=["*"]).taxonomy_id("dfe-family-hubs")
    },
    "oruk:taxonomy_term": {
        "id": lambda: __import__("directory.models", fromlist=["*"]).TaxonomyTerm.objects.first().pk
    },
    **{
        f"referrals:{name}": {"pk": _draft}
        for name in (
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
            "children_details",
            "professionals",
            "add_professional",
        )
    },
    **{
        f"referrals:{name}": _draft_and_child
        for name in ("change_person", "remove_person", "consent_for", "child_details")
    },
}
# Views that only answer POST (they change something and redirect).
POST_ONLY = {
    "accounts:resend_invitation",
    "accounts:approve_invitation",
    "accounts:refuse_invitation",
    "accounts:reset_password",
    "accounts:reset_authenticator",
    "directory:remove_place",
    "directory:remove_session",
    "directory:service_status",
    "directory:confirm_service",
    "directory:registration_status",
    "referrals:remove_member",
    "referrals:undo_merge",
    "referrals:remove_professional",
    "referrals:start_episode_assessment",
}

# Pages of a journey that send you back to its first step when opened directly.
NEEDS_AN_EARLIER_STEP = {"directory:add_service_details"}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    view: object

    @property
    def audience(self) -> str | None:
        return audience_of(self.view)

    def url(self) -> str:
        params = self.pattern_params()
        samples = SAMPLE_KWARGS.get(self.name, {})
        if callable(samples):
            samples = samples()
        missing = [p for p in params if p not in samples]
        assert not missing, f"add sample values for {self} {missing} to SAMPLE_KWARGS in {__file__}"
        kwargs = {p: samples[p]() if callable(samples[p]) else samples[p] for p in params}
        return reverse(self.name, kwargs=kwargs)

    def pattern_params(self) -> list[str]:
        import re

        return re.findall(r"<(?:\w+:)?(\w+)>", self.pattern)

    def __str__(self) -> str:
        return f"{self.name} (/{self.pattern})"


def walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            ns = entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(name=name, pattern=prefix + str(entry.pattern), view=entry.callback)


ROUTES = list(walk(get_resolver().url_patterns))
PUBLIC_ROUTES = [r for r in ROUTES if r.audience == PUBLIC]
PRIVATE_ROUTES = [r for r in ROUTES if r.audience in (STAFF, PERMISSION)]
SIGNING_IN_ROUTES = [r for r in ROUTES if r.audience == SIGNING_IN]
PERMISSION_ROUTES = [r for r in ROUTES if r.audience == PERMISSION]


def test_every_route_has_a_name():
    unnamed = [f"/{r.pattern}" for r in ROUTES if not r.name]
    assert unnamed == [], f"give these routes a name= so they can be reversed: {unnamed}"


def test_every_route_declares_its_audience():
    known = (PUBLIC, STAFF, PERMISSION, SIGNING_IN)
    undeclared = [str(r) for r in ROUTES if r.audience not in known]
    assert undeclared == [], (
        "these views do not say who they are for; decorate each with @public, @staff or "
        f"@permission(...) from earlyhelp/access.py: {undeclared}"
    )


def test_the_walk_finds_the_routes_we_know_of():
    names = {r.name for r in ROUTES}
    assert {"hubs:find", "hubs:coverage_report", "accounts:sign_in", "healthz"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
def test_a_public_route_answers_anyone_without_a_server_error(client, route):
    response = client.get(route.url())
    assert response.status_code < 500
    assert response.status_code != 302 or "sign-in" not in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PRIVATE_ROUTES, ids=str)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_private_route_sends_anonymous_people_to_sign_in(client, route, method):
    url = route.url()
    response = getattr(client, method)(url)
    assert response.status_code == 302, f"{route} answered {response.status_code} to anonymous"
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", SIGNING_IN_ROUTES, ids=str)
def test_the_two_factor_step_sends_anonymous_people_to_sign_in(client, route):
    response = client.get(route.url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.django_db
@pytest.mark.parametrize("route", PRIVATE_ROUTES, ids=str)
def test_a_private_route_asks_for_the_two_factor_code_after_the_password(client, mo, route):
    client.force_login(mo)  # password given, no code yet
    response = client.get(route.url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))


@pytest.mark.django_db
@pytest.mark.parametrize("route", PERMISSION_ROUTES, ids=str)
def test_a_permission_route_refuses_staff_without_the_permission(client, route):
    from tests.factories import UserFactory, sign_in

    nobody = UserFactory()  # signed in, but no role
    assert not nobody.has_perm(route.view.permission)
    sign_in(client, nobody)
    method = client.post if route.name in POST_ONLY else client.get
    assert method(route.url()).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("route", PRIVATE_ROUTES, ids=str)
def test_a_private_page_is_never_cached(client, mo, route):
    from tests.factories import sign_in

    mo.is_superuser = True  # sees every private route
    mo.save()
    sign_in(client, mo)
    if route.name in POST_ONLY:
        response = client.post(route.url())
        assert response.status_code == 302
    else:
        response = client.get(route.url())
        assert response.status_code == (302 if route.name in NEEDS_AN_EARLIER_STEP else 200)
    assert "no-store" in response["Cache-Control"]
