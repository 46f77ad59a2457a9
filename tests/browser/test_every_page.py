"""axe-core on every page of the listings and Team Around the Family work that the journeys in
test_listings.py and test_team_around_the_family.py do not open, and on their error states."""

import itertools
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from tests.browser.test_team_around_the_family import sign_in

_people = itertools.count()


@pytest.fixture
def world(django_db_blocker):
    """Committed so the live server sees it: Mo (West manager), Pat (Khulisa's provider
    editor), Alice (lead practitioner) and records for each of their pages."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import roles
    from accounts.models import Agency
    from directory import editing
    from directory.models import (
        Course,
        Feedback,
        Location,
        LocationType,
        Organisation,
        Proposal,
        Registration,
        Service,
    )
    from hubs.models import Hub
    from referrals import episodes
    from referrals.models import Action, Meeting
    from tests.factories import UserFactory, allocated_episode, hub_manager, practitioner

    with django_db_blocker.unblock():
        n = next(_people)
        mo = hub_manager(email=f"mo.every{n}@barnet.example.org", first_name="Mo")
        mo.managed_hubs.set([Hub.objects.get(slug="west")])
        pat = UserFactory(
            email=f"pat.every{n}@khulisa.example.org",
            agency=Agency.VOLUNTARY,
            roles=[roles.PROVIDER_EDITOR],
            provider_organisation=Organisation.objects.get(key="khulisa"),
        )
        alice = practitioner(email=f"alice.every{n}@school.example.org", first_name="Alice")
        for user in (mo, pat, alice):
            TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

        office = Location.objects.get(location_type=LocationType.FAMILY_HUB, hub__slug="west")
        service = Service.objects.published().filter(service_at_locations__location=office)[0]
        editing.save_changes(
            service,
            {"summary": f"Checked {n}"},
            by=mo,
            seen_version=None,
            summary="Changed name and summary",
        )
        course = Course.objects.create(
            service=service,
            location=office,
            start_date=timezone.localdate() + timedelta(7),
            sessions=6,
            starts_at=time(10),
            ends_at=time(12),
            capacity=8,
            booking=Course.Booking.REGISTER_INTEREST,
        )
        Registration.objects.create(
            course=course,
            reference=f"CR-E{n:05d}",
            name="Sam Parent",
            phone="07700 900982",
            child_ages=["2-4"],
            consent=True,
            status=Registration.Status.REGISTERED,
        )
        feedback = Feedback.objects.create(service=service, message="The phone number is wrong")
        khulisa = Service.objects.get(organisation__key="khulisa")
        proposal = Proposal.objects.create(
            service=khulisa,
            section="name",
            values={"name": "New name"},
            base_version=khulisa.version,
            proposed_by=pat,
        )

        episode = allocated_episode(alice, child=f"Everykid{n}")
        member = episode.members.get()
        meeting = Meeting.objects.create(
            episode=episode,
            kind="first",
            held_on=date(2026, 12, 1),
            notes="Met",
            recorded_by=alice,
            note_taker=member,
        )
        action = Action.objects.create(
            outcome=episode.outcomes.get(),
            what="Speech drop-in",
            owner_member=member,
            due_on=timezone.localdate() + timedelta(days=10),
            meeting=meeting,
        )
        connection = episodes.send_connection(
            action, service=khulisa, reason="Isolated", how_to_engage="Text first", by=alice
        )
        yield {
            "mo": mo,
            "pat": pat,
            "alice": alice,
            "service": service,
            "course": course,
            "feedback": feedback,
            "proposal": proposal,
            "office": office,
            "episode": episode,
            "meeting": meeting,
            "action": action,
            "connection": connection,
        }


def _submit_empty(page, button):
    page.get_by_role("button", name=button, exact=True).click()
    # Wait for the page the server sends back (is_visible() alone does not wait for it).
    page.locator(".govuk-error-summary").wait_for(state="visible", timeout=15000)


def test_every_listings_page_for_a_hub_manager(page, world):
    service = world["service"]
    sign_in(page, world["mo"])
    for url in [
        "/manage/services/",
        "/manage/services/?status=draft&q=zzz",
        f"/manage/services/{service.pk}/history/",
        f"/manage/services/{service.pk}/places/",
        f"/manage/courses/{world['course'].pk}/",
        f"/manage/proposals/{world['proposal'].pk}/",
        "/manage/places/",
        f"/manage/places/{world['office'].pk}/edit/",
    ] + [
        f"/manage/services/{service.pk}/edit/{section}/"
        for section in ("organisation", "support", "who", "languages", "cost", "access", "delivery")
    ]:
        page.goto(url)
        assert page.locator("h1").is_visible(), url
    page.goto(f"/manage/feedback/{world['feedback'].pk}/")
    _submit_empty(page, "Mark as resolved")
    page.goto(f"/manage/services/{service.pk}/edit/contacts/")
    page.get_by_label("Email address (optional)").fill("not an email")
    page.get_by_role("button", name="Save and continue").click()
    assert (
        "Enter an email address in the correct format"
        in page.locator(".govuk-error-summary").inner_text()
    )
    page.goto("/manage/places/add/")
    _submit_empty(page, "Save place")
    page.goto(f"/manage/services/{service.pk}/courses/add/")
    _submit_empty(page, "Save course")
    page.goto("/manage/services/import/")
    page.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "bad.csv",
                "mimeType": "text/csv",
                "buffer": b"name,organisation,summary\n,Nobody,\n",
            }
        ]
    )
    page.get_by_role("button", name="Check the file").click()
    assert "Nothing has been imported" in page.locator(".govuk-error-summary").inner_text()


def test_every_public_listings_page_and_its_errors(page, world):
    service = world["service"]
    page.goto(f"/services/{service.pk}/report/")
    _submit_empty(page, "Send report")
    page.get_by_label("What is wrong with this page?").fill("The times have changed")
    page.get_by_role("button", name="Send report").click()
    assert page.locator("h1").inner_text() == "Report sent"
    page.goto(f"/courses/{world['course'].pk}/register/")
    _submit_empty(page, "Register interest")


def test_every_team_around_the_family_page(page, world):
    episode = world["episode"]
    sign_in(page, world["alice"])
    for url in [
        f"/episodes/{episode.pk}/meetings/{world['meeting'].pk}/",
        f"/episodes/{episode.pk}/plan/actions/{world['action'].pk}/",
        f"/episodes/{episode.pk}/lead/",
        f"/episodes/{episode.pk}/plan/print/",
    ]:
        page.goto(url)
        assert page.locator("h1").is_visible(), url
    for url, button in [
        (f"/episodes/{episode.pk}/plan/outcomes/add/", "Add outcome"),
        (f"/episodes/{episode.pk}/plan/actions/add/", "Add action"),
        (
            f"/episodes/{episode.pk}/plan/actions/{world['action'].pk}/connect/",
            "Send connection request",
        ),
        (f"/episodes/{episode.pk}/meetings/add/", "Save meeting"),
        (f"/episodes/{episode.pk}/close/", "Ask for sign-off and close"),
        (f"/episodes/{episode.pk}/step-up/", "Record the step up"),
        (f"/episodes/{episode.pk}/lead/", "Hand over"),
    ]:
        page.goto(url)
        _submit_empty(page, button)
    page.goto(f"/episodes/{episode.pk}/team/")
    _submit_empty(page, "Add to the team")
    page.context.clear_cookies()

    sign_in(page, world["pat"])
    page.goto(f"/connections/{world['connection'].pk}/")
    page.get_by_label("No, decline the request").check()
    page.get_by_role("button", name="Send reply").click()
    assert "Give a reason for declining" in page.locator(".govuk-error-summary").inner_text()


def test_every_family_record_page_and_its_errors(page, world, django_db_blocker):
    """The family record's staff pages the journeys do not open, and their error states."""
    from referrals import records

    episode = world["episode"]
    contact = episode.support_request
    with django_db_blocker.unblock():
        person = contact.family.people.get(role="child")
        child = person.child or records.confirm_new(person, by=world["mo"])
    sign_in(page, world["mo"])
    for url in [
        f"/front-door/{contact.pk}/children/",
        f"/children/{child.pk}/",
        f"/episodes/{episode.pk}/claim/",
    ]:
        page.goto(url)
        assert page.locator("h1").is_visible(), url
    for url, button in [
        ("/hub/west/contacts/new/", "Record the contact"),
        ("/hub/west/step-down/", "Open the episode"),
        (f"/children/{child.pk}/merge/", "Merge the records"),
    ]:
        page.goto(url)
        _submit_empty(page, button)


def test_staff_pages_fit_a_phone(page, world):
    """The queue, my assessments, caseload and listings scroll their tables sideways inside the
    page, not the whole page (at 375 px the queue was 472 px wide)."""
    page.set_viewport_size({"width": 375, "height": 812})
    for person, urls in [
        (world["mo"], ["/hub/west/queue/", "/manage/listings/", "/your-work/"]),
        (world["alice"], ["/assessments/", "/episodes/"]),
    ]:
        sign_in(page, person)
        for url in urls:
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{url} is {width}px wide on a 375px phone"
        page.context.clear_cookies()
