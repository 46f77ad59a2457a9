"""Who may do what to directory listings under /manage/, and the public's report and register pages.

The people: anonymous (anyone), Alice (a practitioner: no listing work), Pat (Khulisa's provider
editor), Mo (manager of the West hub), Nia (manager of the East/Central hub: a worker in another
hub), Ada (an administrator).

Scoping is in the query: a record outside someone's hubs or organisation is a 404; a view whose
permission the role lacks is a 403. "sign in" means anonymous people are sent to sign in.

The records: ``west_service`` is held only at the West hub office; Khulisa's one service is held at
Grahame Park community venue, which is also in the West hub, so Mo keeps it and Nia does not.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from directory import csv_io, editing
from directory.models import (
    Course,
    Feedback,
    ListingChange,
    Location,
    LocationType,
    Organisation,
    Proposal,
    Registration,
    Service,
    ServiceAtLocation,
)
from earlyhelp.models import AuditEvent
from hubs.models import Hub
from tests.access import SIGN_IN, as_, outcome
from tests.factories import EAST_CENTRAL_POSTCODE

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "alice", "pat", "mo", "nia", "ada"]


# --- Factories ----------------------------------------------------------------------------------


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    key = factory.Sequence(lambda n: f"test-service-{n}")
    organisation = factory.LazyFunction(lambda: Organisation.objects.exclude(key="khulisa").first())
    name = factory.Sequence(lambda n: f"Test service {n:03d}")
    summary = "A service made up for a test."
    description = "What happens at the service."
    how_to_access = Service.Access.SELF_REFER
    delivery = factory.LazyFunction(lambda: [Service.Delivery.IN_PERSON])
    phone = "020 8359 6622"
    status = Service.Status.ACTIVE


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=1))
    sessions = 6
    starts_at = time(10, 0)
    ends_at = time(11, 30)
    capacity = 12
    booking = Course.Booking.REGISTER_INTEREST


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    reference = factory.Sequence(lambda n: f"CR-T{n:05d}")
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"parent{n}@example.org")
    child_ages = factory.LazyFunction(lambda: [Registration.ChildAge.AGE_2_4])
    consent = True
    status = Registration.Status.REGISTERED


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    message = "The phone number on this page does not work."
    contact = "worried.parent@example.org"


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    section = "name"
    values = factory.LazyAttribute(
        lambda p: {"name": f"{p.service.name} (renamed)", "summary": p.service.summary}
    )
    base_version = factory.LazyAttribute(lambda p: p.service.version)


# --- Helpers ------------------------------------------------------------------------------------


def west_office() -> Location:
    return Location.objects.get(location_type=LocationType.FAMILY_HUB, hub__slug="west")


def east_place() -> Location:
    return Location.objects.filter(hub__slug="east-central").first()


def name_section(service: Service, name: str) -> dict:
    return {"name": name, "summary": service.summary, "version": service.version}


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def people(alice, pat, mo, nia, ada):
    return {"anonymous": None, "alice": alice, "pat": pat, "mo": mo, "nia": nia, "ada": ada}


@pytest.fixture
def records(west_service, khulisa_service, pat):
    """A course with a registration, a public report and a session on the West-only service, and
    Pat's proposed change to Khulisa's service."""
    link = west_service.service_at_locations.get()
    course = CourseFactory(service=west_service, location=link.location)
    return {
        "west": west_service,
        "khulisa": khulisa_service,
        "link": link,
        "session": link.schedules.create(weekday=1, opens_at=time(9), closes_at=time(11)),
        "course": course,
        "registration": RegistrationFactory(course=course, name="Sam Parent"),
        "feedback": FeedbackFactory(service=west_service),
        "proposal": ProposalFactory(service=khulisa_service, proposed_by=pat),
        "west_place": Location.objects.filter(hub__slug="west").exclude(pk=link.location_id)[0],
        "east_place": east_place(),
    }


# --- Who may open what: every view under /manage/ listings, for every kind of person -------------


@dataclass(frozen=True)
class Case:
    name: str
    route: str
    # Each argument is a key of ``records`` (its primary key is used) or a literal URL part.
    args: tuple[str, ...]
    # One outcome per person, in PEOPLE order: anonymous, alice, pat, mo, nia, ada.
    expected: tuple
    method: str = "get"
    data: dict = field(default_factory=dict)

    def url(self, records: dict) -> str:
        args = [records[arg].pk if arg in records else arg for arg in self.args]
        return reverse(f"directory:{self.route}", args=args)


S = SIGN_IN
EVERY_EDITOR = (S, 403, 200, 200, 200, 200)  # anyone who keeps listings, providers included
MANAGERS = (S, 403, 403, 200, 200, 200)  # hub managers and administrators
WEST = (S, 403, 404, 200, 404, 200)  # a West-only record: Pat and Nia have no relationship to it
KHULISA = (S, 403, 200, 200, 404, 200)  # Pat's organisation's service, at a West place
WEST_MANAGERS = (S, 403, 403, 200, 404, 200)  # a manager's page on a West record: Pat lacks it
WEST_MANAGERS_DONE = (S, 403, 403, 302, 404, 302)  # the same, for an action that redirects
WEST_DONE = (S, 403, 404, 302, 404, 302)  # an action on a West-only record
CLOSE = {"action": "close"}

CASES = [
    Case("dashboard", "dashboard", (), EVERY_EDITOR),
    Case("service list", "manage_services", (), EVERY_EDITOR),
    Case("export", "export", (), EVERY_EDITOR),
    Case("import", "import", (), MANAGERS),
    Case("import template", "import_template", (), MANAGERS),
    Case("add a service", "add_service", (), EVERY_EDITOR),
    # With no organisation chosen yet, step 2 sends everyone allowed back to step 1.
    Case("add a service: details", "add_service_details", (), (S, 403, 302, 302, 302, 302)),
    Case("summary: West", "manage_service", ("west",), WEST),
    Case("summary: Khulisa", "manage_service", ("khulisa",), KHULISA),
    Case("history: West", "service_history", ("west",), WEST),
    Case("history: Khulisa", "service_history", ("khulisa",), KHULISA),
    Case("edit a section: West", "edit_section", ("west", "name"), WEST),
    Case("edit a section: Khulisa", "edit_section", ("khulisa", "name"), KHULISA),
    # Places and times: providers propose changes to their own organisation's services.
    Case("places section: West", "edit_places", ("west",), WEST),
    Case("places section: Khulisa", "edit_places", ("khulisa",), KHULISA),
    Case("remove a place", "remove_place", ("west", "link"), WEST_DONE, "post"),
    Case("remove a session", "remove_session", ("west", "session"), WEST_DONE, "post"),
    Case("status: West", "service_status", ("west",), WEST_MANAGERS_DONE, "post", CLOSE),
    Case("status: Khulisa", "service_status", ("khulisa",), WEST_MANAGERS_DONE, "post", CLOSE),
    Case("confirm: West", "confirm_service", ("west",), WEST_MANAGERS_DONE, "post"),
    Case("confirm: Khulisa", "confirm_service", ("khulisa",), WEST_MANAGERS_DONE, "post"),
    Case("add a course: West", "add_course", ("west",), WEST_MANAGERS),
    Case("add a course: Khulisa", "add_course", ("khulisa",), WEST_MANAGERS),
    Case("edit a course", "edit_course", ("west", "course"), WEST_MANAGERS),
    Case("course registrations", "course_registrations", ("course",), WEST_MANAGERS),
    Case(
        "registration status",
        "registration_status",
        ("registration",),
        WEST_MANAGERS_DONE,
        "post",
        {"status": "offered"},
    ),
    Case("proposal review", "proposal", ("proposal",), WEST_MANAGERS),
    Case("feedback", "feedback", ("feedback",), WEST_MANAGERS),
    Case("places list", "manage_places", (), MANAGERS),
    Case("add a place", "add_place", (), MANAGERS),
    Case("edit a place: West", "edit_place", ("west_place",), WEST_MANAGERS),
    Case("edit a place: East/Central", "edit_place", ("east_place",), (S, 403, 403, 404, 200, 200)),
]


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_who_may_use_each_listings_page(client, people, records, case, who):
    response = getattr(as_(client, people[who]), case.method)(case.url(records), case.data)
    assert outcome(response) == case.expected[PEOPLE.index(who)]


def test_the_matrix_covers_every_listings_view():
    from directory import manage_views, urls

    routes = {
        pattern.name
        for pattern in urls.urlpatterns
        if pattern.callback.__module__ == manage_views.__name__
    }
    assert routes == {case.route for case in CASES}


def test_a_record_of_another_service_is_not_found_through_mine(client, mo, records):
    as_(client, mo)
    khulisa = records["khulisa"].pk
    url = reverse("directory:remove_place", args=[khulisa, records["link"].pk])
    assert client.post(url).status_code == 404
    url = reverse("directory:remove_session", args=[khulisa, records["session"].pk])
    assert client.post(url).status_code == 404
    url = reverse("directory:edit_course", args=[khulisa, records["course"].pk])
    assert client.get(url).status_code == 404
    assert records["link"].schedules.filter(pk=records["session"].pk).exists()


def test_a_section_without_a_form_is_not_found(client, mo, west_service):
    url = reverse("directory:edit_section", args=[west_service.pk, "places"])
    assert as_(client, mo).get(url).status_code == 404


# --- Pat, a provider editor: Khulisa's listings only, and only by proposal ----------------------


def test_pats_service_list_shows_only_khulisas_services(client, pat, khulisa_service, west_service):
    response = as_(client, pat).get(reverse("directory:manage_services"))
    assert [service.pk for service in response.context["page"]] == [khulisa_service.pk]
    assert west_service.name not in response.content.decode()


def test_pats_export_holds_only_khulisas_services(client, pat, khulisa_service):
    response = as_(client, pat).get(reverse("directory:export"))
    assert response["Content-Type"].startswith("text/csv")
    assert [row["id"] for row in csv_rows(response)] == [str(khulisa_service.pk)]


def test_pats_change_to_a_published_service_waits_for_approval(client, pat, khulisa_service):
    old_name, version = khulisa_service.name, khulisa_service.version
    url = reverse("directory:edit_section", args=[khulisa_service.pk, "name"])
    response = as_(client, pat).post(url, name_section(khulisa_service, "Parent Champions Plus"))
    assert response.status_code == 302
    proposal = Proposal.objects.get(service=khulisa_service)
    assert proposal.status == Proposal.Status.PENDING
    assert proposal.proposed_by == pat
    assert proposal.values["name"] == "Parent Champions Plus"
    khulisa_service.refresh_from_db()
    assert (khulisa_service.name, khulisa_service.version) == (old_name, version)
    assert not ListingChange.objects.filter(service=khulisa_service).exists()
    public_page = client.get(khulisa_service.get_absolute_url()).content.decode()
    assert old_name in public_page
    assert "Parent Champions Plus" not in public_page


def test_pat_cannot_start_a_service_for_another_organisation(client, pat):
    other = Organisation.objects.exclude(key="khulisa").first()
    response = as_(client, pat).post(reverse("directory:add_service"), {"organisation": other.pk})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "new_service_organisation" not in client.session


def test_pat_changes_her_own_draft_directly(client, pat):
    khulisa = Organisation.objects.get(key="khulisa")
    as_(client, pat).post(reverse("directory:add_service"), {"organisation": khulisa.pk})
    client.post(
        reverse("directory:add_service_details"),
        {"name": "Dads' group", "summary": "A weekly group for dads."},
    )
    draft = Service.objects.get(name="Dads' group")
    assert draft.status == Service.Status.DRAFT
    url = reverse("directory:edit_section", args=[draft.pk, "name"])
    client.post(url, name_section(draft, "Dads' breakfast club"))
    draft.refresh_from_db()
    assert draft.name == "Dads' breakfast club"
    assert not Proposal.objects.filter(service=draft).exists()


# --- Mo, a West manager: the West hub's listings, changed directly -----------------------------


def test_mos_edit_saves_at_once_with_a_history_row(client, mo, west_service):
    old_name = west_service.name
    url = reverse("directory:edit_section", args=[west_service.pk, "name"])
    response = as_(client, mo).post(url, name_section(west_service, "Magic parenting"))
    assert response.status_code == 302
    west_service.refresh_from_db()
    assert west_service.name == "Magic parenting"
    change = west_service.changes.get()
    assert change.changed_by == mo
    assert change.version == west_service.version
    assert change.fields == [
        {"field": "name", "label": "Name", "before": old_name, "after": "Magic parenting"}
    ]
    assert AuditEvent.objects.filter(
        actor=mo, action="service.changed", record_id=str(west_service.pk)
    ).exists()
    assert not Proposal.objects.filter(service=west_service).exists()


@pytest.mark.parametrize("start", Service.Status.values)
@pytest.mark.parametrize("action", list(editing.STATUS_ACTIONS))
def test_a_status_action_applies_only_where_status_actions_allows(
    client, mo, west_service, action, start
):
    Service.objects.filter(pk=west_service.pk).update(status=start, email="team@example.org")
    new_status, applies_to, summary = editing.STATUS_ACTIONS[action]
    url = reverse("directory:service_status", args=[west_service.pk])
    response = as_(client, mo).post(url, {"action": action, "version": west_service.version})
    assert response.status_code == 302
    west_service.refresh_from_db()
    if start in applies_to:
        assert west_service.status == new_status
        assert west_service.changes.get().summary == summary
    else:
        assert west_service.status == start
        assert not west_service.changes.exists()


def test_a_service_with_missing_details_is_not_published(client, mo, west_service):
    Service.objects.filter(pk=west_service.pk).update(status=Service.Status.DRAFT, email="")
    url = reverse("directory:service_status", args=[west_service.pk])
    as_(client, mo).post(url, {"action": "publish", "version": west_service.version})
    west_service.refresh_from_db()
    assert west_service.status == Service.Status.DRAFT


def test_confirm_still_correct_sets_last_checked_to_today(client, mo, west_service):
    url = reverse("directory:confirm_service", args=[west_service.pk])
    response = as_(client, mo).post(url, {"next": "dashboard", "version": west_service.version})
    assert response.url == reverse("directory:dashboard")
    west_service.refresh_from_db()
    assert west_service.last_reviewed == timezone.localdate()
    assert west_service.changes.get().summary == "Checked: still correct"


def test_mo_removes_a_session_then_a_place_with_history(client, mo, records):
    service, link = records["west"], records["link"]
    as_(client, mo)
    session = records["session"]
    version = {"version": service.version}
    client.post(reverse("directory:remove_session", args=[service.pk, session.pk]), version)
    assert not link.schedules.filter(pk=session.pk).exists()
    version = {"version": Service.objects.get(pk=service.pk).version}
    client.post(reverse("directory:remove_place", args=[service.pk, link.pk]), version)
    assert not service.service_at_locations.exists()
    summaries = list(service.changes.order_by("changed_at").values_list("summary", flat=True))
    assert summaries[0].startswith("Removed a session")
    assert summaries[1] == f"Removed {link.location.name}"


def test_mo_adds_and_changes_a_course(client, mo, west_service):
    start = timezone.localdate() + timedelta(weeks=2)
    form = {
        "location": west_office().pk,
        "start_date_0": start.day,
        "start_date_1": start.month,
        "start_date_2": start.year,
        "sessions": "8",
        "starts_at": "10:00",
        "ends_at": "11:30",
        "capacity": "10",
        "booking": Course.Booking.REGISTER_INTEREST,
    }
    as_(client, mo)
    response = client.post(reverse("directory:add_course", args=[west_service.pk]), form)
    assert response.status_code == 302, response.context["form"].errors
    course = west_service.courses.get()
    assert (course.start_date, course.capacity) == (start, 10)
    form["capacity"] = "14"
    client.post(reverse("directory:edit_course", args=[west_service.pk, course.pk]), form)
    course.refresh_from_db()
    assert course.capacity == 14


def test_mo_sees_and_updates_registrations(client, mo, records):
    registration = records["registration"]
    as_(client, mo)
    page = client.get(reverse("directory:course_registrations", args=[registration.course_id]))
    assert "Sam Parent" in page.content.decode()
    url = reverse("directory:registration_status", args=[registration.pk])
    client.post(url, {"status": Registration.Status.OFFERED})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.OFFERED


def test_mo_resolves_a_report(client, mo, records):
    feedback = records["feedback"]
    url = reverse("directory:feedback", args=[feedback.pk])
    response = as_(client, mo).post(url, {"resolution": "Phone number corrected."})
    assert response.url == reverse("directory:dashboard")
    feedback.refresh_from_db()
    assert feedback.resolved_by == mo
    assert feedback.resolution == "Phone number corrected."
    assert AuditEvent.objects.filter(actor=mo, action="feedback.resolved").exists()


def test_mo_approves_pats_proposal_and_the_public_sees_it(client, pat, mo, khulisa_service):
    url = reverse("directory:edit_section", args=[khulisa_service.pk, "name"])
    as_(client, pat).post(url, name_section(khulisa_service, "Parent Champions Plus"))
    proposal = Proposal.objects.get(service=khulisa_service)
    client.logout()
    response = as_(client, mo).post(
        reverse("directory:proposal", args=[proposal.pk]),
        {"decision": "approve", "version": khulisa_service.version},
    )
    assert response.url == reverse("directory:dashboard")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (Proposal.Status.APPROVED, mo)
    khulisa_service.refresh_from_db()
    assert khulisa_service.name == "Parent Champions Plus"
    assert khulisa_service.changes.get().proposal == proposal
    assert (
        "Parent Champions Plus" in client.get(khulisa_service.get_absolute_url()).content.decode()
    )


def test_mo_rejects_a_proposal_with_a_reason_and_nothing_changes(client, mo, records):
    proposal, service = records["proposal"], records["khulisa"]
    url = reverse("directory:proposal", args=[proposal.pk])
    as_(client, mo)
    seen = {"version": service.version}
    assert client.post(url, {"decision": "reject", **seen}).status_code == 200  # needs a reason
    client.post(url, {"decision": "reject", "reason": "That is not the service's name.", **seen})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    assert Service.objects.get(pk=service.pk).name == service.name


def test_a_service_in_no_hub_is_kept_by_every_hub_manager(client, mo, nia, pat):
    online = ServiceFactory(delivery=[Service.Delivery.ONLINE])
    hubless = ServiceFactory()
    ServiceAtLocation.objects.create(service=hubless, location=Location.objects.filter(hub=None)[0])
    for manager in (mo, nia):
        assert set(editing.services_for(manager).filter(pk__in=[online.pk, hubless.pk])) == {
            online,
            hubless,
        }
        url = reverse("directory:manage_service", args=[online.pk])
        assert as_(client, manager).get(url).status_code == 200
    assert not editing.services_for(pat).filter(pk=online.pk).exists()


def test_khulisas_service_is_at_a_west_place_so_only_west_managers_keep_it(
    mo, nia, khulisa_service
):
    hubs = set(khulisa_service.service_at_locations.values_list("location__hub__slug", flat=True))
    assert hubs == {"west"}
    assert editing.services_for(mo).filter(pk=khulisa_service.pk).exists()
    assert not editing.services_for(nia).filter(pk=khulisa_service.pk).exists()


def test_lists_show_only_what_each_manager_keeps(client, mo, nia, records):
    west_service, proposal, feedback = records["west"], records["proposal"], records["feedback"]
    for manager, keeps in ((mo, True), (nia, False)):
        as_(client, manager)
        dashboard = client.get(reverse("directory:dashboard")).context
        assert (proposal in dashboard["proposals"]) is keeps
        assert (feedback in dashboard["feedback"]) is keeps
        listed = client.get(reverse("directory:manage_services"), {"q": west_service.name})
        assert (west_service in listed.context["page"]) is keeps
        exported = csv_rows(client.get(reverse("directory:export")))
        assert (str(west_service.pk) in {row["id"] for row in exported}) is keeps


def import_plan(client, services) -> csv_io.ImportPlan:
    """Upload ``services`` as exported, and return the dry run's plan."""
    text = "".join(csv_io.csv_lines(csv_io.export_rows(services)))
    upload = SimpleUploadedFile("listings.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("directory:import"), {"file": upload}).context["plan"]


def test_an_import_changes_only_services_i_keep(client, mo, nia, west_service):
    west_only = Service.objects.filter(pk=west_service.pk)
    plan = import_plan(as_(client, nia), west_only)
    assert [error.message for error in plan.errors] == ["No service you can change has this id"]
    plan = import_plan(as_(client, mo), west_only)
    assert plan.ok
    assert [service for service, _ in plan.updates] == [west_service]


# --- Places: a manager keeps their own hubs' places --------------------------------------------


def test_mos_places_list_shows_only_west_places(client, mo):
    response = as_(client, mo).get(reverse("directory:manage_places"))
    hubs = {place.hub.slug for place in response.context["page"]}
    assert hubs == {"west"}
    assert (
        response.context["page"].paginator.count
        == Location.objects.filter(hub__slug="west").count()
    )


def place_form(place: Location, **changes) -> dict:
    values = {
        "name": place.name,
        "location_type": place.location_type,
        "address_1": place.address_1 or "1 High Street",
        "postal_code": place.postal_code,
    }
    return values | changes


def test_mo_cannot_add_a_place_in_another_hub(client, mo):
    before = Location.objects.count()
    new = Location(name="Newstead hall", location_type=LocationType.COMMUNITY_VENUE)
    response = as_(client, mo).post(
        reverse("directory:add_place"), place_form(new, postal_code=EAST_CENTRAL_POSTCODE)
    )
    assert response.status_code == 200
    assert "postal_code" in response.context["form"].errors
    assert Location.objects.count() == before


def test_mo_cannot_move_a_west_place_into_another_hub(client, mo):
    place = Location.objects.filter(hub__slug="west", postal_code__gt="").first()
    url = reverse("directory:edit_place", args=[place.pk])
    response = as_(client, mo).post(url, place_form(place, postal_code=EAST_CENTRAL_POSTCODE))
    place.refresh_from_db()
    assert place.hub == Hub.objects.get(slug="west"), "the place now belongs to East/Central"
    assert "postal_code" in response.context["form"].errors


# --- Personal data: registrations and reports from the public ----------------------------------

PERSONAL = [
    pytest.param("get", "course_registrations", "course", {}, id="course registrations"),
    pytest.param(
        "post", "registration_status", "registration", {"status": "withdrew"}, id="status change"
    ),
    pytest.param("get", "feedback", "feedback", {}, id="feedback"),
]


@pytest.mark.parametrize(("method", "view", "key", "data"), PERSONAL)
@pytest.mark.parametrize("who", ["anonymous", "alice", "pat", "nia"])
def test_personal_data_is_not_shown_to_those_without_access(
    client, people, records, method, view, key, data, who
):
    url = reverse(f"directory:{view}", args=[records[key].pk])
    response = getattr(as_(client, people[who]), method)(url, data)
    assert outcome(response) in (SIGN_IN, 403, 404)
    page = response.content.decode()
    assert "Sam Parent" not in page
    assert "worried.parent@example.org" not in page
    assert not AuditEvent.objects.filter(
        record_id__in=[str(records[k].pk) for k in ("course", "registration", "feedback")]
    ).exists()
    assert Registration.objects.get(pk=records["registration"].pk).status == "registered"


@pytest.mark.parametrize(
    ("method", "view", "key", "data", "action", "audited"),
    [
        ("get", "course_registrations", "course", {}, "registrations.viewed", "course"),
        (
            "post",
            "registration_status",
            "registration",
            {"status": "withdrew"},
            "registration.changed",
            "registration",
        ),
        ("get", "feedback", "feedback", {}, "feedback.viewed", "feedback"),
    ],
    ids=["course registrations", "status change", "feedback"],
)
@pytest.mark.parametrize("who", ["mo", "ada"])
def test_a_granted_look_at_personal_data_is_audited(
    client, people, records, method, view, key, data, action, audited, who
):
    url = reverse(f"directory:{view}", args=[records[key].pk])
    response = getattr(as_(client, people[who]), method)(url, data)
    assert response.status_code in (200, 302)
    assert AuditEvent.objects.filter(
        actor=people[who], action=action, record_id=str(records[audited].pk)
    ).exists()


# --- The public's side: reporting a problem, registering interest -------------------------------


def test_anyone_can_report_a_problem_with_a_published_service(client, west_service):
    url = reverse("directory:report", args=[west_service.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "The times have changed.", "contact": ""})
    assert response.url == reverse("directory:report_sent", args=[west_service.pk])
    feedback = Feedback.objects.get(service=west_service)
    assert feedback.message == "The times have changed."
    assert AuditEvent.objects.filter(action="feedback.received", actor=None).exists()


@pytest.mark.parametrize(
    "status", [Service.Status.DRAFT, Service.Status.INACTIVE, Service.Status.ARCHIVED]
)
def test_no_one_can_report_on_an_unpublished_service(client, west_service, status):
    Service.objects.filter(pk=west_service.pk).update(status=status)
    url = reverse("directory:report", args=[west_service.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"message": "Hello"}).status_code == 404
    assert not Feedback.objects.exists()


def registration_form(name="Jo Parent") -> dict:
    return {"name": name, "email": "jo@example.org", "child_ages": ["2-4"], "consent": "on"}


def test_a_parent_registers_then_joins_the_waiting_list_when_full(client, west_service):
    course = CourseFactory(service=west_service, capacity=1)
    url = reverse("directory:register", args=[course.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, registration_form("Jo Parent"))
    assert response.url == reverse("directory:registered", args=[course.pk])
    client.post(url, registration_form("Kim Parent"))
    statuses = dict(course.registrations.values_list("name", "status"))
    assert statuses == {
        "Jo Parent": Registration.Status.REGISTERED,
        "Kim Parent": Registration.Status.WAITING,
    }


@pytest.mark.parametrize("booking", [Course.Booking.DROP_IN, Course.Booking.PROFESSIONAL_REFERRAL])
def test_no_one_registers_for_a_course_booked_another_way(client, west_service, booking):
    course = CourseFactory(service=west_service, booking=booking)
    url = reverse("directory:register", args=[course.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, registration_form()).status_code == 404
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "closed",
    [
        pytest.param({"service_status": Service.Status.DRAFT}, id="draft service"),
        pytest.param({"service_status": Service.Status.INACTIVE}, id="unpublished service"),
        pytest.param({"is_cancelled": True}, id="cancelled course"),
        pytest.param({"start_date": date(2020, 1, 6)}, id="finished course"),
    ],
)
def test_no_one_registers_for_a_course_that_is_not_open(client, west_service, closed):
    closed = dict(closed)
    if status := closed.pop("service_status", None):
        Service.objects.filter(pk=west_service.pk).update(status=status)
    course = CourseFactory(service=west_service, **closed)
    url = reverse("directory:register", args=[course.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, registration_form()).status_code == 404
    assert not Registration.objects.exists()


# --- Pages that list things read a fixed number of queries, however long the list ---------------


@pytest.fixture
def busy_west(west_service, pat, khulisa_service):
    """30 more West services overdue a check, each with a report, and proposals waiting."""
    office = west_office()
    services = ServiceFactory.create_batch(30, last_reviewed=date(2024, 1, 1))
    ServiceAtLocation.objects.bulk_create(
        ServiceAtLocation(service=service, location=office) for service in services
    )
    for service in services:
        FeedbackFactory(service=service)
    ProposalFactory.create_batch(10, service=khulisa_service, proposed_by=pat)
    return services


def test_the_dashboard_reads_a_fixed_number_of_queries(
    client, mo, busy_west, django_assert_max_num_queries
):
    as_(client, mo)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("directory:dashboard"))
    assert response.context["overdue_count"] >= 30
    assert len(response.context["feedback"]) == 30


def test_the_service_list_reads_a_fixed_number_of_queries(
    client, mo, busy_west, django_assert_max_num_queries
):
    as_(client, mo)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("directory:manage_services"))
    assert len(response.context["page"]) == 25


def test_the_registrations_page_reads_a_fixed_number_of_queries(
    client, mo, records, django_assert_max_num_queries
):
    course = records["course"]
    RegistrationFactory.create_batch(19, course=course)
    as_(client, mo)
    # 12: one more than before, for auditing each parent the page shows in one insert.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:course_registrations", args=[course.pk]))
    assert len(response.context["registrations"]) == 20
