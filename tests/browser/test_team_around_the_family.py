"""The Team Around the Family in a real browser, axe-core on every page.

The West manager allocates an assessment; the lead practitioner builds the team (two members
from other agencies), holds the first meeting, builds the plan, a member updates their own
action, a voluntary organisation accepts a connection request, a review rates progress and the
episode closes with outcomes. Another episode steps up; a step-down opens a new episode.
"""

import itertools
import re

import pytest

from tests.browser.test_front_door import decide
from tests.browser.test_front_door import sign_in as _sign_in

_people = itertools.count()


def sign_in(page, user):
    """Sign in again within the same 30 seconds: a TOTP code is accepted once, so let this test
    person's device take the current code again (as if a new code had come round)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    _sign_in(page, user)


NAMES = ["Oluwaseun", "Bartholomew", "Anastasia", "Maximilian", "Guinevere", "Ferdinand"]


@pytest.fixture
def team(django_db_blocker):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts import roles
    from accounts.models import Agency
    from directory.models import Organisation
    from hubs.models import Hub
    from tests.factories import UserFactory, hub_manager, practitioner, sent_assessment

    with django_db_blocker.unblock():
        n = next(_people)
        alice = practitioner(
            email=f"alice.taf{n}@school.example.org", first_name="Alice", last_name="Adams"
        )
        bola = practitioner(
            email=f"bola.taf{n}@health.example.org",
            first_name="Bola",
            last_name="Bello",
            agency=Agency.HEALTH_VISITING,
            organisation_name="Health visiting",
        )
        hana = practitioner(
            email=f"hana.taf{n}@housing.example.org",
            first_name="Hana",
            last_name="Haddad",
            agency=Agency.HOUSING,
            organisation_name="Barnet Homes",
        )
        mo = hub_manager(email=f"mo.taf{n}@barnet.example.org", first_name="Mo")
        mo.managed_hubs.set([Hub.objects.get(slug="west")])
        pat = UserFactory(
            email=f"pat.taf{n}@khulisa.example.org",
            first_name="Pat",
            last_name="Parker",
            agency=Agency.VOLUNTARY,
            roles=[roles.PROVIDER_EDITOR],
            provider_organisation=Organisation.objects.get(key="khulisa"),
        )
        for user in (alice, bola, hana, mo, pat):
            TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        # Names unlike each other's and other tests' (same surname and birthday): otherwise
        # matching rightly asks the manager whether they are one child before allocating.
        first = sent_assessment(alice, child=NAMES[(2 * n) % len(NAMES)])
        second = sent_assessment(alice, child=NAMES[(2 * n + 1) % len(NAMES)])
        yield {
            "alice": alice,
            "bola": bola,
            "hana": hana,
            "mo": mo,
            "pat": pat,
            "first": first,
            "second": second,
            "second_child": NAMES[(2 * n + 1) % len(NAMES)],
        }


def _save(page, name="Save meeting"):
    page.get_by_role("button", name=name).click()


def _date(page, legend, day, month, year):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def _today(page):
    """Meetings are in the past or today; the episode opened today, so both meetings are today."""
    from django.utils import timezone

    today = timezone.localdate()
    _date(page, "Date of the meeting", today.day, today.month, today.year)


def _episode_of(reference):
    from referrals.models import Episode

    return Episode.objects.get(support_request__reference=reference)


def test_a_team_around_the_family_from_allocation_to_closure(page, team):
    alice, bola, hana = team["alice"], team["bola"], team["hana"]
    reference = team["first"].reference
    sign_in(page, team["mo"])
    decide(
        page, reference, decision="Allocate a lead practitioner", reason="School leads", lead=alice
    )
    page.context.clear_cookies()

    sign_in(page, alice)
    page.goto("/episodes/")
    page.get_by_role("link", name=reference).click()
    assert "First TAF meeting due" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Change the team").click()
    for member, role in ((bola, "Health visitor"), (hana, "Housing officer")):
        page.get_by_label("First name").fill(member.first_name)
        page.get_by_label("Last name").fill(member.last_name)
        page.get_by_label("Work email address").fill(member.email)
        page.get_by_label("Organisation").fill(member.agency_label)
        page.get_by_label("Job title").fill(member.job_title or role)
        page.get_by_label("Their role in the team").fill(role)
        page.get_by_role("button", name="Add to the team", exact=True).click()
        assert (
            f"{member.get_full_name()} added to the team"
            in page.locator(".govuk-notification-banner").inner_text()
        )
    page.get_by_role("link", name="Back to the episode").click()

    page.get_by_role("link", name="Record the first TAF meeting").click()
    _save(page)
    assert "Enter the date of the meeting" in page.locator(".govuk-error-summary").inner_text()
    _today(page)
    page.get_by_role("group", name="Who came from the team?").get_by_label(
        bola.get_full_name(), exact=False
    ).check()
    page.get_by_label("Notes of the meeting").fill("Mum, Bola and Hana met. Plan agreed.")
    _save(page)
    assert "TAF forming" not in page.get_by_role("main").inner_text()

    for owner, what in (
        (bola, "Refer to speech and language therapy"),
        (hana, "Check the damp repair is booked"),
    ):
        page.get_by_role("link", name="Add an action").first.click()
        page.get_by_label("What will be done?").fill(what)
        page.get_by_label("Who will do it?").select_option(
            label=f"{owner.get_full_name()} ({owner.organisation_name})"
        )
        _date(page, "By when?", 31, 1, 2027)
        page.get_by_role("button", name="Add action").click()
    page.context.clear_cookies()

    # Bola updates her own action and asks Khulisa to support mum.
    sign_in(page, bola)
    page.goto("/episodes/")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("link", name="Refer to speech and language therapy").click()
    page.get_by_label("In progress").check()
    page.get_by_label("Progress note (optional)").fill("Referral sent.")
    page.get_by_role("button", name="Save progress").click()
    page.get_by_role("link", name="Refer to speech and language therapy").click()
    page.get_by_role("link", name="Ask a service in the directory to support the family").click()
    from directory.models import Service

    khulisa = Service.objects.get(organisation__key="khulisa")
    page.get_by_label("Service", exact=True).select_option(
        label=f"{khulisa.name} ({khulisa.organisation})"
    )
    page.get_by_label("Why does the family need this service?").fill("Mum feels isolated.")
    page.get_by_label("How can they best engage the family?").fill("Text before calling.")
    page.get_by_role("button", name="Send connection request").click()
    assert "Connection request sent" in page.locator(".govuk-notification-banner").inner_text()
    page.context.clear_cookies()

    sign_in(page, team["pat"])
    page.goto("/connections/")
    page.get_by_role("link", name=khulisa.name).first.click()
    page.get_by_label("Yes, accept the request").check()
    page.get_by_label("Your reply").fill("A champion will call on Monday.")
    page.get_by_role("button", name="Send reply").click()
    page.context.clear_cookies()

    # The review, then closure with outcomes.
    sign_in(page, alice)
    page.goto("/episodes/")
    page.get_by_role("link", name=reference).click()
    assert f"Connection to {khulisa.name}: accepted" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Record a review").click()
    _today(page)
    page.get_by_label("Notes of the meeting").fill("Speech improving; damp fixed.")
    page.get_by_label("Practitioner's scaling (0 to 10)").select_option("8")
    page.get_by_label("Parent's scaling (0 to 10)").select_option("9")
    page.get_by_label("Good progress").check()
    page.get_by_label("Close the episode").check()
    _save(page)
    assert page.locator("h1").inner_text() == "Close the episode"
    page.get_by_label("Needs met", exact=True).check()
    page.get_by_label("Achieved", exact=True).check()
    page.get_by_label("Closure summary").fill("Speech on track; nursery continues.")
    page.get_by_label("Moving on: who can the family turn to now?").fill(
        "Nursery key worker; stay and play at the children's centre."
    )
    page.get_by_label("Moving on: what should the family do if things get worse?").fill(
        "Phone the West hub."
    )
    page.get_by_role("group", name="Level of need at closure").get_by_label(
        re.compile(r"^\s*Universal:")
    ).check()
    page.get_by_role("button", name="Ask for sign-off and close").click()
    assert "Closure waiting for sign-off" in page.get_by_role("main").inner_text()

    # The West manager signs the closure off.
    page.context.clear_cookies()
    sign_in(page, team["mo"])
    page.goto("/hub/west/episodes/")
    page.get_by_role("link", name=reference).first.click()
    page.get_by_role("link", name="Sign off or send back the closure").click()
    assert "Nursery key worker" in page.get_by_role("main").inner_text()
    page.get_by_label("Yes, close the episode").check()
    page.get_by_role("button", name="Record sign-off").click()
    assert "Closed" in page.get_by_role("main").inner_text()
    page.get_by_role("link", name="Print the plan for the family").click()
    assert "Our family plan" in page.locator("h1").inner_text()


def test_one_episode_steps_up_and_a_step_down_opens_another(page, team):
    alice, mo = team["alice"], team["mo"]
    reference = team["second"].reference
    sign_in(page, mo)
    decide(
        page,
        reference,
        decision="Allocate a lead practitioner",
        reason="School leads",
        lead=alice,
    )
    episode = _episode_of(reference)
    page.goto(f"/episodes/{episode.pk}/")
    page.get_by_role("link", name="Step up to children's social care").click()
    assert "MASH" in page.get_by_role("main").inner_text()
    page.get_by_label("Why does this family need children's social care?").fill("Disclosure.")
    page.get_by_role("button", name="Record the step up").click()
    assert "Stepped up to children's social care" in page.get_by_role("main").inner_text()

    page.goto("/hub/west/episodes/")
    page.get_by_role("link", name="Record a step-down from children's social care").click()
    page.get_by_label("Children's social care reference").fill("CSC-1001")
    page.get_by_label("Social worker's name").fill("Sally Worker")
    page.get_by_label("Social worker's phone number or email").fill("020 8359 0000")
    page.get_by_label("Why is children's social care stepping down to early help?").fill(
        "Social care closing; early help to continue."
    )
    page.get_by_role("group", name="Has the family agreed to the step-down?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Family's postcode").fill("NW7 1AA")
    first_child = page.get_by_role("group", name="First child")
    first_child.get_by_label("First name").fill(team["second_child"])
    first_child.get_by_label("Last name").fill("Taylor")
    first_child.get_by_label("Day").fill("27")
    first_child.get_by_label("Month").fill("3")
    first_child.get_by_label("Year").fill("2019")
    page.get_by_role("group", name="Level of need").get_by_label(
        re.compile(r"^\s*Targeted")
    ).check()
    page.get_by_label("Lead practitioner's work email address").fill(alice.email)
    page.get_by_role("button", name="Open the episode").click()
    assert (
        "Episode opened from the step-down"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert "Stepped down from children's social care" in page.get_by_role("main").inner_text()
