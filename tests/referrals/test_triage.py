"""Hub managers decide what happens to each request at their hub's front door."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from directory.models import Service
from earlyhelp.models import AuditEvent
from hubs.models import Hub
from referrals.models import Decision, Episode, SupportRequest
from referrals.workingdays import add_working_days
from tests.factories import OTHER_COUNCIL_POSTCODE, sent_assessment, sign_in
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def decide(client, support_request, **data):
    return client.post(
        reverse("referrals:triage", args=[support_request.pk]),
        {"version": support_request.version, "level_of_need": "early_help", **data},
    )


def test_allocating_opens_an_episode_and_tells_the_submitter_and_lead(
    client, alice, bob, mo, django_capture_on_commit_callbacks
):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            client,
            support_request,
            kind="allocate",
            reason="Health visitor knows the family.",
            lead_practitioner=bob.pk,
        )
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.ALLOCATED
    episode = Episode.objects.get(support_request=support_request)
    assert episode.lead_practitioner == bob
    assert episode.hub.slug == "west"
    mail.outbox.clear()
    run_tasks()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {alice.email, bob.email} <= recipients

    sign_in(client, alice)
    page = client.get(reverse("referrals:my_assessments")).content.decode()
    assert "Lead practitioner allocated" in page
    assert "Health visitor knows the family." in page


def test_allocate_without_a_lead_practitioner_is_an_error_that_keeps_the_reason(client, alice, mo):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    response = decide(client, support_request, kind="allocate", reason="Keep me")
    page = response.content.decode()
    assert "Choose the lead practitioner" in page
    assert "Keep me" in page
    assert not Decision.objects.exists()


def test_a_decision_needs_a_reason(client, alice, mo):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    response = decide(client, support_request, kind="step_up", reason="")
    assert "Enter the reason for your decision" in response.content.decode()


def test_asking_for_more_information_returns_it_to_the_submitter_to_change_and_resend(
    client, alice, mo
):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    decide(client, support_request, kind="more_information", reason="Is dad involved?")
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.MORE_INFORMATION

    sign_in(client, alice)
    assessment = support_request.assessment
    task_list = client.get(reverse("referrals:task_list", args=[assessment.pk]))
    assert "Is dad involved?" in task_list.content.decode()
    client.post(
        reverse("referrals:voices", args=[assessment.pk]),
        {
            "child_voice": "I like trains.",
            "parent_voice": "Dad visits on Sundays.",
            "analysis": "Early years support.",
            "support_recommended": "Speech therapy.",
        },
    )
    client.post(reverse("referrals:check", args=[assessment.pk]), {"confirm": "on"})
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.AWAITING_DECISION
    assert support_request.version == 3
    assert SupportRequest.objects.count() == 1


def test_stepping_up_shows_the_mash_route(client, alice, mo):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    decide(client, support_request, kind="step_up", reason="Disclosure of harm.")
    support_request.refresh_from_db()
    assert support_request.status == SupportRequest.Status.STEPPED_UP
    page = client.get(reverse("referrals:summary", args=[support_request.pk])).content.decode()
    assert "020 8359 4066" in page


def test_signposting_records_the_services_suggested(client, alice, mo):
    support_request = sent_assessment(alice)
    service = Service.objects.published().order_by("name").first()
    sign_in(client, mo)
    decide(
        client, support_request, kind="signpost", reason="Universal offer.", services=[service.pk]
    )
    decision = Decision.objects.get()
    assert list(decision.services.all()) == [service]
    assert support_request.assessment.author == alice


def test_services_to_suggest_come_from_a_search_and_nothing_typed_is_lost(client, alice, mo):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    url = reverse("referrals:triage", args=[support_request.pk])
    page = client.get(url).content.decode()
    assert page.count('name="services"') == 0  # was 47 boxes
    assert "Search for the services to suggest to the family." in page
    typed = {
        "kind": "signpost",
        "reason": "Sleep help nearby.",
        "level_of_need": "universal",
        "version": support_request.version,
        "service_search": "breastfeeding",
        "find_services": "1",
    }
    page = client.post(url, typed).content.decode()
    assert "govuk-error-summary" not in page
    assert "Breastfeeding and infant feeding support" in page
    assert page.count('name="services"') < 5
    assert "Sleep help nearby." in page
    import re

    assert re.search(r'value="signpost"\s+checked="checked"', page)
    assert not Decision.objects.exists()
    service = Service.objects.get(name="Breastfeeding and infant feeding support")
    # A second search keeps what was ticked.
    again = client.post(
        url, {**typed, "service_search": "{{ secret }} zzz", "services": [service.pk]}
    ).content.decode()
    assert "Breastfeeding and infant feeding support" in again
    assert "No services found for ‘{{ secret }} zzz’" in again
    response = client.post(
        url,
        {key: value for key, value in typed.items() if key != "find_services"}
        | {"services": [service.pk]},
    )
    assert response.status_code == 302
    assert list(Decision.objects.get().services.all()) == [service]


def test_transferring_moves_it_to_the_other_hubs_queue_with_a_new_due_date(client, alice, mo, nia):
    support_request = sent_assessment(alice)
    east = Hub.objects.get(slug="east-central")
    sign_in(client, mo)
    decide(client, support_request, kind="transfer", reason="Family moved.", to_hub=east.pk)
    support_request.refresh_from_db()
    assert support_request.hub == east
    assert support_request.status == SupportRequest.Status.AWAITING_DECISION
    assert support_request.routing == SupportRequest.Routing.TRANSFERRED
    sign_in(client, nia)
    page = client.get(reverse("referrals:queue", args=["east-central"])).content.decode()
    assert support_request.reference in page
    sign_in(client, mo)
    assert client.get(reverse("referrals:triage", args=[support_request.pk])).status_code == 404


def test_an_out_of_borough_request_waits_for_an_admin_to_route_it(client, alice, ada, mo):
    support_request = sent_assessment(alice, postcode=OTHER_COUNCIL_POSTCODE)
    assert support_request.hub is None
    sign_in(client, ada)
    page = client.get(reverse("referrals:unrouted")).content.decode()
    assert support_request.reference in page
    west = Hub.objects.get(slug="west")
    response = decide(client, support_request, kind="allocate", reason="x", lead_practitioner=mo.pk)
    assert "Select a valid choice" in response.content.decode()  # only "send to a hub"
    decide(client, support_request, kind="transfer", reason="Nearest hub.", to_hub=west.pk)
    support_request.refresh_from_db()
    assert support_request.hub == west


def test_a_decision_on_a_stale_page_is_refused_and_says_who_decided(client, alice, mo, wes):
    support_request = sent_assessment(alice)
    stale_version = support_request.version
    sign_in(client, wes)
    decide(client, support_request, kind="step_up", reason="Wes was first.")
    sign_in(client, mo)
    response = client.post(
        reverse("referrals:triage", args=[support_request.pk]),
        {"version": stale_version, "kind": "more_information", "reason": "Mo was second."},
    )
    page = response.content.decode()
    assert "Wes Walker decided this while you were looking at it" in page
    assert "Mo was second." not in page or "Your decision was not recorded" in page
    assert Decision.objects.count() == 1
    assert Decision.objects.get().decided_by == wes


def test_the_decision_is_due_two_working_days_after_it_arrives_skipping_bank_holidays():
    assert add_working_days(date(2026, 12, 24), 2) == date(2026, 12, 30)  # Christmas
    assert add_working_days(date(2026, 11, 20), 2) == date(2026, 11, 24)  # a Friday


def test_overdue_requests_are_highlighted_in_the_queue(client, alice, mo):
    support_request = sent_assessment(alice)
    SupportRequest.objects.filter(pk=support_request.pk).update(decision_due=date(2026, 1, 5))
    sign_in(client, mo)
    page = client.get(reverse("referrals:queue", args=["west"])).content.decode()
    assert "Overdue" in page


def test_the_queue_filters_by_type_and_status(client, alice, mo):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    url = reverse("referrals:queue", args=["west"])
    assert (
        support_request.reference
        not in client.get(url, {"kind": "family_request"}).content.decode()
    )
    assert support_request.reference in client.get(url, {"kind": "assessment"}).content.decode()
    decide(client, support_request, kind="step_up", reason="r")
    client.get(url)  # shows (and so clears) the "decision recorded" message
    assert support_request.reference not in client.get(url).content.decode()
    assert support_request.reference in client.get(url, {"status": "all"}).content.decode()


def test_every_decision_is_audited(client, alice, mo):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    decide(client, support_request, kind="step_up", reason="r")
    event = AuditEvent.objects.get(action="supportrequest.decided")
    assert event.actor == mo
    assert event.detail == {"decision": "step_up"}
    assert event.record_id == str(support_request.pk)


# --- The decision page, reworked from the phone review (#15) ---------------------------------


def test_the_case_comes_first_then_the_decision(client, alice, mo):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    page = client.get(reverse("referrals:triage", args=[support_request.pk])).content.decode()
    assert page.index("Mum asked for help with Jamie") < page.index('id="decision"')
    assert page.index('id="decision"') < page.index('name="kind"')
    assert 'href="#decision"' in page


def test_each_decision_reveals_only_its_own_question(client, alice, mo):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    page = client.get(reverse("referrals:triage", args=[support_request.pk])).content.decode()
    conditionals = page.split('class="govuk-radios__conditional')[1:]
    revealed = ['name="lead_practitioner"', 'name="to_hub"', 'name="service_search"']
    for name in revealed:
        (holder,) = [block for block in conditionals if name in block.split("</fieldset>")[0]]
        assert holder
    assert page.count('aria-controls="conditional_kind_') >= 3


def test_the_lead_is_chosen_from_people_who_can_lead_with_their_caseloads(
    client, alice, bob, mo, wes, nia, ada
):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    url = reverse("referrals:triage", args=[support_request.pk])

    def offered(response) -> set[str]:
        field = response.context["form"].fields["lead_practitioner"]
        labels = {str(label) for _, options in field.choices[1:] for _, label in options}
        assert all("open famil" in label for label in labels)
        return {label.split(" (")[0] for label in labels}

    names = offered(client.get(url))
    assert {mo.get_full_name(), wes.get_full_name()} <= names  # this hub's managers
    assert alice.get_full_name() not in names  # not leading here yet: found by a search
    # A search finds anyone else who can lead, keeping what was typed, with no errors yet.
    response = client.post(
        url,
        {
            "kind": "allocate",
            "reason": "Knows them.",
            "lead_search": alice.last_name,
            "find_leads": "1",
            "version": support_request.version,
        },
    )
    page = response.content.decode()
    assert "govuk-error-summary" not in page
    assert "Knows them." in page
    names = offered(response)
    assert alice.get_full_name() in names
    assert bob.get_full_name() not in names
    for name in ("nia", "ada"):  # another hub's manager; an administrator
        person = {"nia": nia, "ada": ada}[name]
        response = client.post(
            url, {"lead_search": person.last_name, "find_leads": "1", "version": 1}
        )
        assert person.get_full_name() not in offered(response)
        assert "No one else who can lead matches" in response.content.decode()


def test_the_banner_says_what_was_decided(client, alice, bob, mo):
    support_request = sent_assessment(alice)
    sign_in(client, mo)
    response = decide(
        client, support_request, kind="allocate", reason="Knows them.", lead_practitioner=bob.pk
    )
    page = client.get(response["Location"]).content.decode()
    assert f"Decision recorded for {support_request.reference}" in page
    assert "is now the lead practitioner" in page
