"""Keeping listings right: the add-a-service journey, no lost updates, history, providers'
proposals, the review cycle, public reports, courses and CSV import/export."""

import csv
import io
from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from directory import editing
from directory.digest import send_digests
from directory.models import (
    Course,
    Feedback,
    ListingChange,
    Location,
    Organisation,
    Proposal,
    Registration,
    Service,
    TaxonomyTerm,
)
from tests.factories import sign_in
from tests.tasks import run_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("emails_queue_at_once")]


def _page(response) -> str:
    return response.content.decode()


def _course(service, *, capacity=2, booking=Course.Booking.REGISTER_INTEREST, days=7):
    return Course.objects.create(
        service=service,
        location=service.service_at_locations.first().location,
        start_date=timezone.localdate() + timedelta(days=days),
        sessions=10,
        starts_at=time(10),
        ends_at=time(12),
        capacity=capacity,
        booking=booking,
    )


# --- Adding a service ---------------------------------------------------------------------------


def test_a_manager_adds_a_service_page_by_page_and_publishes_it(client, mo):
    sign_in(client, mo)
    organisation = Organisation.objects.get(key="barnet-family-services")
    response = client.post("/manage/services/add/", {"organisation": organisation.pk})
    assert response["Location"] == "/manage/services/add/details/"
    response = client.post(
        "/manage/services/add/details/",
        {"name": "Dads' group", "summary": "A weekly group for fathers."},
    )
    service = Service.objects.get(name="Dads' group")
    assert service.status == Service.Status.DRAFT
    assert response["Location"] == f"/manage/services/{service.pk}/edit/description/?journey=1"

    term = TaxonomyTerm.objects.filter(parent__isnull=False).first()
    place = Location.objects.get(location_type="family_hub", hub__slug="west")
    steps = [
        ("description", {"description": "Fathers meet and talk."}, "support"),
        (
            "support",
            {f"category_{term.parent.slug}": [str(term.pk)]},
            "who",
        ),
        ("who", {"minimum_age": "0", "maximum_age": "5", "life_stages": ["0-5"]}, "languages"),
        ("languages", {"languages": ["en", "pl"]}, "cost"),
        ("cost", {"is_free": "True"}, "access"),
        ("access", {"how_to_access": "drop_in"}, "delivery"),
    ]
    for section, data, following in steps:
        response = client.post(
            f"/manage/services/{service.pk}/edit/{section}/?journey=1",
            {**data, "version": Service.objects.get(pk=service.pk).version},
        )
        assert response.status_code == 302, (section, _page(response)[:2000])
        assert f"/{following}/" in response["Location"]
    response = client.post(
        f"/manage/services/{service.pk}/edit/delivery/?journey=1",
        {"delivery": ["in_person"], "version": Service.objects.get(pk=service.pk).version},
    )
    assert response["Location"] == f"/manage/services/{service.pk}/places/?journey=1"
    client.post(
        f"/manage/services/{service.pk}/places/",
        {
            "location": place.pk,
            "weekday": "2",
            "opens_at": "10:00",
            "closes_at": "11:30",
            "version": Service.objects.get(pk=service.pk).version,
        },
    )
    response = client.post(
        f"/manage/services/{service.pk}/edit/contacts/?journey=1",
        {"phone": "020 8359 6622", "version": Service.objects.get(pk=service.pk).version},
    )
    assert response["Location"] == f"/manage/services/{service.pk}/?journey=1"
    check = client.get(response["Location"])
    assert "Check your answers before publishing" in _page(check)
    assert "Polish" in _page(check)

    client.post(
        f"/manage/services/{service.pk}/status/",
        {"action": "publish", "version": Service.objects.get(pk=service.pk).version},
    )
    service.refresh_from_db()
    assert service.status == Service.Status.ACTIVE
    assert service.last_reviewed == timezone.localdate()
    public = client.get(f"/services/{service.pk}/")
    assert "Dads&#x27; group" in _page(public)
    assert "Tuesdays, 10am to 11:30am" in _page(public)


def test_a_section_with_mistakes_keeps_what_was_typed(client, mo, west_service):
    sign_in(client, mo)
    response = client.post(
        f"/manage/services/{west_service.pk}/edit/who/",
        {"minimum_age": "9", "maximum_age": "4", "version": west_service.version},
    )
    page = _page(response)
    assert "There is a problem" in page
    assert "Oldest age must be the same as or more than youngest" in page
    assert 'value="9"' in page
    assert 'value="4"' in page


def test_a_draft_cannot_be_published_until_it_is_complete(client, mo):
    sign_in(client, mo)
    service = editing.create_draft(
        organisation=Organisation.objects.first(), name="Half done", summary="S", by=mo
    )
    client.post(f"/manage/services/{service.pk}/status/", {"action": "publish", "version": "1"})
    service.refresh_from_db()
    assert service.status == Service.Status.DRAFT
    page = _page(client.get(f"/manage/services/{service.pk}/"))
    assert "Describe the service" in page


def test_status_actions_close_unpublish_and_archive(client, mo, west_service):
    sign_in(client, mo)
    for action, status in [
        ("close", Service.Status.TEMPORARILY_CLOSED),
        ("unpublish", Service.Status.INACTIVE),
        ("archive", Service.Status.ARCHIVED),
    ]:
        client.post(
            f"/manage/services/{west_service.pk}/status/",
            {"action": action, "version": Service.objects.get(pk=west_service.pk).version},
        )
        assert Service.objects.get(pk=west_service.pk).status == status
    assert client.get(f"/services/{west_service.pk}/").status_code == 404


# --- No lost updates and history ----------------------------------------------------------------


def test_the_second_of_two_editors_is_shown_what_changed_and_nothing_is_overwritten(
    client, mo, wes, west_service
):
    opened_at = west_service.version
    sign_in(client, wes)
    client.post(
        f"/manage/services/{west_service.pk}/edit/cost/",
        {"is_free": "False", "cost_description": "£2 a session", "version": opened_at},
    )
    sign_in(client, mo)
    response = client.post(
        f"/manage/services/{west_service.pk}/edit/cost/",
        {"is_free": "False", "cost_description": "£3 a session", "version": opened_at},
    )
    assert response.status_code == 409
    page = _page(response)
    assert "Someone else changed this listing while you were editing it" in page
    assert "Wes Walker" in page
    assert "£2 a session" in page
    assert 'value="£3 a session"' in page  # what Mo typed is kept
    west_service.refresh_from_db()
    assert west_service.cost_description == "£2 a session"

    # Mo re-applies, now on the current version.
    response = client.post(
        f"/manage/services/{west_service.pk}/edit/cost/",
        {"is_free": "False", "cost_description": "£3 a session", "version": west_service.version},
    )
    assert response.status_code == 302
    west_service.refresh_from_db()
    assert west_service.cost_description == "£3 a session"


def test_history_shows_who_changed_which_field_from_what_to_what(client, mo, west_service):
    old_name = west_service.name
    sign_in(client, mo)
    client.post(
        f"/manage/services/{west_service.pk}/edit/name/",
        {"name": "Renamed", "summary": west_service.summary, "version": west_service.version},
    )
    change = ListingChange.objects.filter(service=west_service).latest("changed_at")
    assert change.changed_by == mo
    assert change.fields == [
        {"field": "name", "label": "Name", "before": old_name, "after": "Renamed"}
    ]
    page = _page(client.get(f"/manage/services/{west_service.pk}/history/"))
    assert "Mo Mensah" in page
    assert old_name in page
    assert "Renamed" in page


def test_saving_without_a_change_records_nothing(client, mo, west_service):
    sign_in(client, mo)
    before = ListingChange.objects.count()
    client.post(
        f"/manage/services/{west_service.pk}/edit/name/",
        {
            "name": west_service.name,
            "summary": west_service.summary,
            "version": west_service.version,
        },
    )
    assert ListingChange.objects.count() == before
    assert Service.objects.get(pk=west_service.pk).version == west_service.version


# --- Providers' proposals -----------------------------------------------------------------------


def _propose_name(client, pat, service, name="Parent Champions (Khulisa)"):
    sign_in(client, pat)
    return client.post(
        f"/manage/services/{service.pk}/edit/name/",
        {"name": name, "summary": service.summary, "version": service.version},
    )


def test_a_providers_change_waits_and_the_public_keeps_the_approved_version(
    client, pat, khulisa_service
):
    old_name = khulisa_service.name
    response = _propose_name(client, pat, khulisa_service)
    assert response.status_code == 302
    proposal = Proposal.objects.get(service=khulisa_service)
    assert proposal.status == Proposal.Status.PENDING
    assert Service.objects.get(pk=khulisa_service.pk).name == old_name
    client.logout()
    assert old_name.replace("'", "&#x27;") in _page(client.get(f"/services/{khulisa_service.pk}/"))


def test_the_manager_sees_a_side_by_side_diff_and_approves(client, pat, mo, khulisa_service):
    old_name = khulisa_service.name
    _propose_name(client, pat, khulisa_service)
    proposal = Proposal.objects.get()
    run_tasks()
    assert any("proposed a change" in m.subject for m in mail.outbox)
    mail.outbox.clear()

    sign_in(client, mo)
    page = _page(client.get(f"/manage/proposals/{proposal.pk}/"))
    assert "Now" in page
    assert "Proposed" in page
    assert old_name.replace("'", "&#x27;") in page
    assert "Parent Champions (Khulisa)" in page
    version = Service.objects.get(pk=khulisa_service.pk).version
    client.post(f"/manage/proposals/{proposal.pk}/", {"decision": "approve", "version": version})

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.decided_by == mo
    assert Service.objects.get(pk=khulisa_service.pk).name == "Parent Champions (Khulisa)"
    change = ListingChange.objects.filter(service=khulisa_service).latest("changed_at")
    assert change.proposal == proposal
    assert change.changed_by == mo  # who made it public; the summary names the proposer
    assert change.summary == f"Proposed by {pat}, approved by {mo}"
    run_tasks()
    (email,) = mail.outbox
    assert email.to == ["pat@khulisa.example.org"]
    assert "approved" in email.subject


def test_rejecting_needs_a_reason_which_the_provider_is_sent(client, pat, mo, khulisa_service):
    _propose_name(client, pat, khulisa_service)
    proposal = Proposal.objects.get()
    run_tasks()
    mail.outbox.clear()
    sign_in(client, mo)
    version = khulisa_service.version
    response = client.post(
        f"/manage/proposals/{proposal.pk}/", {"decision": "reject", "version": version}
    )
    assert "Give a reason for rejecting the change" in _page(response)
    client.post(
        f"/manage/proposals/{proposal.pk}/",
        {"decision": "reject", "reason": "The group is not renamed yet", "version": version},
    )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REJECTED
    run_tasks()
    (email,) = mail.outbox
    assert "The group is not renamed yet" in email.body
    assert "rejected" in email.subject
    assert khulisa_service.name not in email.subject


def test_a_proposal_is_decided_once(client, pat, mo, wes, khulisa_service):
    _propose_name(client, pat, khulisa_service)
    proposal = Proposal.objects.get()
    editing.decide_proposal(proposal, approve=False, reason="No", by=wes)
    with pytest.raises(editing.AlreadyDecided):
        editing.decide_proposal(proposal, approve=True, reason="", by=mo)


# --- Review cycle and reports -------------------------------------------------------------------


def test_a_stale_listing_is_on_the_dashboard_and_one_click_confirms_it(
    client, mo, west_service, settings
):
    west_service.last_reviewed = timezone.localdate() - timedelta(days=200)
    west_service.save()
    sign_in(client, mo)
    page = _page(client.get("/manage/listings/"))
    overdue = page.split("Overdue (")[1].split("</table>")[0]
    assert west_service.name.replace("'", "&#x27;") in overdue

    client.post(
        f"/manage/services/{west_service.pk}/confirm/",
        {"next": "dashboard", "version": west_service.version},
    )
    assert Service.objects.get(pk=west_service.pk).last_reviewed == timezone.localdate()
    page = _page(client.get("/manage/listings/"))
    assert (
        west_service.name.replace("'", "&#x27;")
        not in page.split("Overdue (")[1].split("</table>")[0]
    )


def test_the_review_period_is_a_setting(west_service, settings):
    settings.LISTING_REVIEW_MONTHS = 1
    west_service.last_reviewed = timezone.localdate() - timedelta(days=40)
    west_service.save()
    due = editing.due_for_review(Service.objects.filter(pk=west_service.pk))
    assert list(due["overdue"]) == [west_service]


def test_the_public_page_shows_when_it_was_last_checked(client, west_service):
    west_service.last_reviewed = timezone.localdate().replace(day=1)
    west_service.save()
    page = _page(client.get(f"/services/{west_service.pk}/"))
    assert f"Last checked: {west_service.last_reviewed:%-d %B %Y}" in page


def test_the_weekly_digest_emails_managers_with_something_to_do(mo, nia, west_service):
    Service.objects.published().update(last_reviewed=timezone.localdate())
    west_service.last_reviewed = timezone.localdate() - timedelta(days=365)
    west_service.save()
    assert send_digests() == 1  # Mo keeps the West service; Nia has nothing due
    run_tasks()
    (email,) = mail.outbox
    assert email.to == [mo.email]
    assert "1 overdue for a check" in email.body
    assert west_service.name not in email.subject


def test_a_parent_reports_something_wrong_and_the_manager_resolves_it(client, mo, west_service):
    response = client.post(f"/services/{west_service.pk}/report/", {"message": ""})
    assert "Tell us what is wrong with this page" in _page(response)
    response = client.post(
        f"/services/{west_service.pk}/report/",
        {"message": "The Tuesday group has moved to Thursday", "contact": ""},
    )
    assert response["Location"] == f"/services/{west_service.pk}/report/sent/"
    feedback = Feedback.objects.get()
    run_tasks()
    assert [m.to for m in mail.outbox] == [[mo.email]]

    sign_in(client, mo)
    assert "received" in _page(client.get("/manage/listings/"))
    client.post(f"/manage/feedback/{feedback.pk}/", {"resolution": "Times corrected"})
    feedback.refresh_from_db()
    assert feedback.resolved_by == mo
    assert feedback.resolution == "Times corrected"


def test_reports_are_limited_per_hour(client, west_service, settings):
    settings.FEEDBACK_PER_HOUR = 2
    for _ in range(2):
        client.post(f"/services/{west_service.pk}/report/", {"message": "Wrong"})
    response = client.post(f"/services/{west_service.pk}/report/", {"message": "Wrong"})
    assert response.status_code == 429
    assert Feedback.objects.count() == 2


# --- Courses ------------------------------------------------------------------------------------


def test_a_manager_adds_a_course_and_parents_see_places_left(client, mo, west_service, settings):
    # A parent saw the page before there was a course: the page kept in the process says so,
    # until the new course changes the directory's version (#18).
    settings.VERSION_CHECK_SECONDS = 3600
    assert "places left" not in _page(client.get(f"/services/{west_service.pk}/"))
    sign_in(client, mo)
    start = timezone.localdate() + timedelta(days=14)
    response = client.post(
        f"/manage/services/{west_service.pk}/courses/add/",
        {
            "location": west_service.service_at_locations.first().location_id,
            "start_date_0": start.day,
            "start_date_1": start.month,
            "start_date_2": start.year,
            "sessions": "13",
            "starts_at": "10:00",
            "ends_at": "11:30",
            "capacity": "10",
            "booking": "register_interest",
        },
    )
    assert response.status_code == 302, _page(response)[:3000]
    course = Course.objects.get(service=west_service)
    assert course.end_date == start + timedelta(weeks=12)
    client.logout()
    page = _page(client.get(f"/services/{west_service.pk}/"))
    assert "10 places left" in page
    assert f"/courses/{course.pk}/register/" in page


def test_course_times_must_make_sense(client, mo, west_service):
    sign_in(client, mo)
    response = client.post(
        f"/manage/services/{west_service.pk}/courses/add/",
        {
            "start_date_0": "1",
            "start_date_1": "1",
            "start_date_2": "2020",
            "sessions": "0",
            "starts_at": "14:00",
            "ends_at": "9am",
            "capacity": "",
            "booking": "",
        },
    )
    page = _page(response)
    for message in [
        "The first session must be today or in the future",
        "The end time must be after the start time",
        "Enter the number of places",
        "Choose how parents join",
    ]:
        assert message in page


def test_registering_interest_gives_a_reference_then_a_waiting_list_when_full(client, west_service):
    course = _course(west_service, capacity=1)
    data = {"name": "Sam Parent", "phone": "07700 900982", "child_ages": ["2-4"], "consent": "on"}
    response = client.post(f"/courses/{course.pk}/register/", data)
    assert response["Location"] == f"/courses/{course.pk}/registered/"
    first = Registration.objects.get()
    assert first.status == Registration.Status.REGISTERED
    assert first.reference in _page(client.get(response["Location"]))

    response = client.post(f"/courses/{course.pk}/register/", {**data, "name": "Lee Parent"})
    second = Registration.objects.get(name="Lee Parent")
    assert second.status == Registration.Status.WAITING
    assert "You are on the waiting list" in _page(client.get(response["Location"]))
    assert "Full" in _page(client.get(f"/services/{west_service.pk}/"))


def test_registering_needs_consent_and_a_way_to_contact(client, west_service):
    course = _course(west_service)
    response = client.post(f"/courses/{course.pk}/register/", {"name": "Sam"})
    page = _page(response)
    assert "Give an email address or a phone number" in page
    assert "Tick the box to agree" in page
    assert "Choose your children&#x27;s ages" in page
    assert 'value="Sam"' in page
    assert not Registration.objects.exists()


def test_a_course_for_professional_referral_takes_no_registrations(client, west_service):
    course = _course(west_service, booking=Course.Booking.PROFESSIONAL_REFERRAL)
    assert client.get(f"/courses/{course.pk}/register/").status_code == 404


def test_managers_offer_places_and_a_withdrawal_frees_one(client, mo, west_service):
    course = _course(west_service, capacity=1)
    registration = Registration.objects.create(
        course=course,
        reference="CR-1",
        name="A",
        phone="07700900982",
        child_ages=["2-4"],
        consent=True,
        status=Registration.Status.REGISTERED,
    )
    sign_in(client, mo)
    client.post(f"/manage/registrations/{registration.pk}/status/", {"status": "withdrew"})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.WITHDREW
    page = _page(client.get(f"/manage/courses/{course.pk}/"))
    assert "1 of 1 places left" in page


def test_registrations_are_never_in_the_csv_export(client, mo, west_service):
    course = _course(west_service)
    Registration.objects.create(
        course=course,
        reference="CR-2",
        name="Secret Parent",
        phone="07700900982",
        child_ages=["2-4"],
        consent=True,
        status=Registration.Status.REGISTERED,
    )
    sign_in(client, mo)
    body = b"".join(client.get("/manage/services/export.csv").streaming_content).decode()
    assert "Secret Parent" not in body


# --- CSV ----------------------------------------------------------------------------------------


def _export(client) -> list[dict]:
    body = b"".join(client.get("/manage/services/export.csv").streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def _upload(client, rows: list[dict], header=None):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header or list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = "listings.csv"
    return client.post("/manage/services/import/", {"file": upload})


def test_export_then_import_of_a_changed_row_updates_it_with_history(client, mo, west_service):
    sign_in(client, mo)
    rows = _export(client)
    row = next(r for r in rows if r["id"] == str(west_service.pk))
    row["summary"] = "Updated by spreadsheet"
    response = _upload(client, [row])
    page = _page(response)
    assert "The file is ready to import" in page
    assert "1 update" in page
    assert Service.objects.get(pk=west_service.pk).summary != "Updated by spreadsheet"  # dry run

    digest = page.split('name="apply" value="')[1].split('"')[0]
    client.post("/manage/services/import/", {"apply": digest})
    assert Service.objects.get(pk=west_service.pk).summary == "Updated by spreadsheet"
    assert ListingChange.objects.filter(service=west_service, summary="Updated from CSV").exists()


def test_import_reports_row_level_errors_and_changes_nothing(client, mo, west_service):
    sign_in(client, mo)
    good = {
        "id": "",
        "name": "New group",
        "organisation": "Khulisa",
        "summary": "S",
        "how_to_access": "drop_in",
        "minimum_age": "3",
    }
    bad = [
        {**good, "name": "", "organisation": "Nobody Ltd"},
        {**good, "minimum_age": "seven"},
        {**good, "how_to_access": "walk in"},
        {**good, "id": "not-an-id"},
    ]
    count = Service.objects.count()
    page = _page(_upload(client, [good, *bad]))
    assert "The file has 5 problems. Nothing has been imported." in page
    for row, column, message in [
        (3, "name", "Must not be empty"),
        (3, "organisation", "No organisation has this name"),
        (4, "minimum_age", "Must be a whole number of years"),
        (5, "how_to_access", "Use one of:"),
        (6, "id", "No service you can change has this id"),
    ]:
        assert f'>{row}</td><td class="govuk-table__cell">{column}</td>' in page.replace(
            "govuk-table__cell govuk-table__cell--numeric", "x"
        ).replace('<td class="x">', ">"), (row, column)
        assert message in page
    assert Service.objects.count() == count
    assert 'name="apply"' not in page


def test_import_cannot_touch_a_service_outside_my_hubs(client, nia, west_service):
    sign_in(client, nia)
    page = _page(
        _upload(
            client,
            [{"id": str(west_service.pk), "name": "X", "organisation": "Khulisa", "summary": "S"}],
        )
    )
    assert "No service you can change has this id" in page


def test_export_neutralises_spreadsheet_formulas(client, mo, west_service):
    west_service.summary = '=HYPERLINK("http://evil")'
    west_service.save()
    sign_in(client, mo)
    row = next(r for r in _export(client) if r["id"] == str(west_service.pk))
    assert row["summary"].startswith("'=")


def test_a_new_place_gets_its_coordinates_and_hub_from_the_postcode(client, mo):
    sign_in(client, mo)
    response = client.post(
        "/manage/places/add/",
        {
            "name": "Mill Hill Community Hall",
            "location_type": "community_venue",
            "address_1": "1 High Street",
            "postal_code": "nw70an",
        },
    )
    assert response.status_code == 302, _page(response)[:2000]
    place = Location.objects.get(name="Mill Hill Community Hall")
    assert place.postal_code == "NW7 0AN"
    assert place.hub.slug == "west"
    assert place.latitude
    assert place.longitude


def test_a_place_postcode_must_be_real(client, mo):
    sign_in(client, mo)
    page = _page(
        client.post(
            "/manage/places/add/",
            {
                "name": "Hall",
                "location_type": "community_venue",
                "address_1": "1 Road",
                "postal_code": "NW7 9ZZ",
            },
        )
    )
    assert "We could not find this postcode" in page
    assert 'value="Hall"' in page


def test_a_confidential_place_is_never_public(client, west_service):
    place = west_service.service_at_locations.first().location
    place.is_confidential = True
    place.save()
    assert client.get(f"/places/{place.slug}/").status_code == 404
    assert place.name not in _page(client.get(f"/services/{west_service.pk}/"))


def test_registrations_are_deleted_four_weeks_after_the_course_ends(west_service):
    from django.core.management import call_command

    ended = _course(west_service, days=-(7 * 9 + 29))  # 10 weekly sessions, last 29 days ago
    recent = _course(west_service, days=-(7 * 9 + 27))
    for course in (ended, recent):
        Registration.objects.create(
            course=course,
            reference=f"CR-{course.pk.hex[:6]}",
            name="A",
            phone="07700900982",
            child_ages=["2-4"],
            consent=True,
            status=Registration.Status.JOINED,
        )
    call_command("prune_course_registrations", stdout=io.StringIO())
    assert list(Registration.objects.values_list("course", flat=True)) == [recent.pk]


def test_an_import_cannot_publish_an_incomplete_service(client, mo):
    sign_in(client, mo)
    page = _page(
        _upload(
            client,
            [
                {
                    "id": "",
                    "name": "New group",
                    "organisation": "Khulisa",
                    "summary": "S",
                    "how_to_access": "drop_in",
                    "status": "active",
                }
            ],
        )
    )
    assert "To publish: Describe the service" in page
    assert "To publish: Give the support it offers" in page


def test_a_course_at_a_confidential_place_does_not_give_the_address(client, west_service):
    course = _course(west_service)
    course.location.is_confidential = True
    course.location.save()
    for url in (f"/services/{west_service.pk}/", f"/courses/{course.pk}/register/"):
        page = _page(client.get(url))
        assert course.location.postal_code not in page
        assert "The address is given when your place is confirmed" in page


def test_import_checks_field_lengths_before_saying_it_is_ready(client, mo, west_service):
    sign_in(client, mo)
    row = next(r for r in _export(client) if r["id"] == str(west_service.pk))
    row["phone"] = "0" * 31
    page = _page(_upload(client, [row]))
    assert "The file is ready to import" not in page
    assert "at most 30 characters" in page


def test_approving_after_someone_else_edited_is_refused(client, pat, mo, wes, khulisa_service):
    _propose_name(client, pat, khulisa_service)
    proposal = Proposal.objects.get()
    seen = Service.objects.get(pk=khulisa_service.pk).version
    editing.save_changes(
        khulisa_service, {"summary": "Wes's edit"}, by=wes, seen_version=None, summary="x"
    )
    sign_in(client, mo)
    response = client.post(
        f"/manage/proposals/{proposal.pk}/", {"decision": "approve", "version": seen}
    )
    assert response["Location"] == f"/manage/proposals/{proposal.pk}/"
    assert Proposal.objects.get().status == Proposal.Status.PENDING


def test_a_parent_offered_a_place_is_emailed_with_their_reference(client, mo, west_service):
    course = _course(west_service)
    registration = Registration.objects.create(
        course=course,
        reference="CR-000777",
        name="Sam Parent",
        email="sam@example.com",
        child_ages=["2-4"],
        consent=True,
        status=Registration.Status.WAITING,
    )
    sign_in(client, mo)
    client.post(f"/manage/registrations/{registration.pk}/status/", {"status": "offered"})
    run_tasks()
    (email,) = [m for m in mail.outbox if m.to == ["sam@example.com"]]
    assert email.subject == "A place is offered to you (CR-000777)"
    assert "Sam" not in email.subject


def test_a_providers_new_session_waits_for_approval(client, pat, mo, khulisa_service):
    link = khulisa_service.service_at_locations.first()
    before = link.schedules.count()
    sign_in(client, pat)
    client.post(
        f"/manage/services/{khulisa_service.pk}/places/",
        {
            "location": link.location_id,
            "weekday": "3",
            "opens_at": "10:00",
            "closes_at": "11:00",
            "version": khulisa_service.version,
        },
    )
    proposal = Proposal.objects.get(section="places")
    assert link.schedules.count() == before  # the public sees no change yet

    sign_in(client, mo)
    page = _page(client.get(f"/manage/proposals/{proposal.pk}/"))
    assert "Wednesdays 10am to 11am" in page
    version = Service.objects.get(pk=khulisa_service.pk).version
    client.post(f"/manage/proposals/{proposal.pk}/", {"decision": "approve", "version": version})
    assert link.schedules.count() == before + 1
    assert Proposal.objects.get().status == Proposal.Status.APPROVED


def test_a_services_summary_is_one_list_with_cards_only_for_sections_of_several_answers(
    client, mo, west_service
):
    sign_in(client, mo)
    page = client.get(reverse("directory:manage_service", args=[west_service.pk])).content.decode()
    assert page.count('class="govuk-summary-card"') == 5  # was 11 cards, 6 of them one row
    single = page.split('<dl class="govuk-summary-list">')[1].split("</dl>")[0]
    for title in ("Organisation", "Description", "Languages", "Places and times", "Translations"):
        assert f'<dt class="govuk-summary-list__key">{title}</dt>' in single
    assert single.count(">Change<") == 7  # with translations (#16)


def test_empty_lists_of_listings_to_check_say_so_without_drawing_empty_tables(client, pat):
    sign_in(client, pat)
    page = client.get(reverse("directory:dashboard")).content.decode()
    assert "None overdue." in page
    assert "None due soon." in page
    assert "<table" not in page
