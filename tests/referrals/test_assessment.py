"""A practitioner writes an early help assessment, section by section, and sends it."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from earlyhelp.models import AuditEvent
from referrals.models import Assessment, Person, SupportRequest
from tests.factories import (
    EAST_CENTRAL_POSTCODE,
    OTHER_COUNCIL_POSTCODE,
    SOUTH_POSTCODE,
    UNCOVERED_POSTCODE,
    WEST_POSTCODE,
    complete_assessment,
    sign_in,
)
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def date_fields(name, day, month, year):
    return {f"{name}_0": str(day), f"{name}_1": str(month), f"{name}_2": str(year)}


def test_a_yes_at_the_safeguarding_screen_stops_the_journey_and_creates_nothing(client, alice):
    sign_in(client, alice)
    response = client.post(reverse("referrals:new"), {"risk": "True"}, follow=True)
    assert "call 999" in response.content.decode()
    assert "020 8359 4066" in response.content.decode()  # the MASH
    assert not Assessment.objects.exists()


def test_no_answer_at_the_safeguarding_screen_is_an_error(client, alice):
    sign_in(client, alice)
    response = client.post(reverse("referrals:new"), {})
    assert response.status_code == 200
    assert "Select yes if you think a child is at risk" in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_practitioner_completes_every_section_and_sends_the_assessment(
    client, alice, mo, django_capture_on_commit_callbacks
):
    sign_in(client, alice)
    response = client.post(reverse("referrals:new"), {"risk": "False"})
    assessment = Assessment.objects.get(author=alice)
    assert response["Location"] == reverse("referrals:task_list", args=[assessment.pk])
    pk = assessment.pk

    def post(name, data, *args):
        response = client.post(reverse(f"referrals:{name}", args=[pk, *args]), data)
        assert response.status_code == 302, response.content.decode()[:3000]
        return response

    post(
        "about_you",
        {"assessor_role": "DSL", "assessor_organisation": "School", "assessor_phone": "0207"},
    )
    post(
        "family",
        {
            "address_line_1": "1 Test Street",
            "town": "London",
            "postcode": "nw7  1aa",
            "home_language": "Polish",
            "interpreter_needed": "True",
        },
    )
    post(
        "add_person",
        {
            "role": "parent",
            "first_name": "Sam",
            "last_name": "Taylor",
            **date_fields("date_of_birth", 1, 5, 1990),
            "relationship": "Mum",
            "parental_responsibility": "True",
            "lives_in_household": "True",
        },
    )
    post(
        "add_person",
        {
            "role": "child",
            "first_name": "Jamie",
            "last_name": "Taylor",
            **date_fields("date_of_birth", 27, 3, 2019),
            "parental_responsibility": "False",
            "lives_in_household": "True",
            "ethnicity": "prefer_not",
        },
    )
    post("people", {})
    parent = Person.objects.get(first_name="Sam")
    child = Person.objects.get(first_name="Jamie")
    post("children", {"subjects": [child.pk]})
    post(
        "child_details",
        {"upn": "H801200001001", "nhs_number": "943 476 5919", "sex": "male", "send": "none"},
        child.pk,
    )
    post("children_details", {})
    post("professionals", {})
    post(
        "consent_for",
        {
            "given_by": parent.pk,
            **date_fields("given_on", 1, 11, 2026),
            "method": "in_person",
            "to_assessment": "True",
            "to_share": "True",
            "share_with": ["school", "gp"],
            "competent": "False",
            "competence_reason": "Jamie is seven.",
        },
        child.pk,
    )
    post(
        "consent_for",
        {
            "given_by": parent.pk,
            **date_fields("given_on", 1, 11, 2026),
            "method": "in_person",
            "to_assessment": "True",
            "to_share": "True",
        },
        parent.pk,
    )
    post("consent", {})
    post("needs", {"reason": "Mum asked for help.", "need_early_years": "Speech is behind."})
    post(
        "signs_of_safety",
        {
            "working_well": "A loving home.",
            "worries": "Sleep.",
            "next_steps": "Support.",
            "scale_practitioner": "6",
            "scale_parent": "5",
        },
    )
    post(
        "voices",
        {
            "child_voice": "I like trains.",
            "parent_voice": "I am tired.",
            "analysis": "Early years support.",
            "support_recommended": "Speech therapy.",
        },
    )
    check = client.get(reverse("referrals:check", args=[pk]))
    assert "Speech is behind." in check.content.decode()
    assert "You cannot send" not in check.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = post("check", {"confirm": "on"})
    assert response["Location"] == reverse("referrals:sent", args=[pk])
    support_request = SupportRequest.objects.get()
    assert re.fullmatch(r"EH-\d{4}-\d{6}", support_request.reference)
    assert support_request.hub.slug == "west"
    assert support_request.submitted_by == alice

    confirmation = client.get(response["Location"]).content.decode()
    assert "govuk-panel--confirmation" in confirmation
    assert support_request.reference in confirmation

    run_tasks()
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert support_request.reference in by_recipient[(alice.email,)].subject
    assert support_request.reference in by_recipient[(mo.email,)].subject
    for message in mail.outbox:  # no family details in subjects or bodies
        assert "Jamie" not in message.subject + message.body
        assert "Taylor" not in message.subject + message.body


@pytest.mark.parametrize(
    ("postcode", "hub", "routing"),
    [
        (WEST_POSTCODE, "west", "covered"),
        (EAST_CENTRAL_POSTCODE, "east-central", "covered"),
        (SOUTH_POSTCODE, "south", "covered"),
        (UNCOVERED_POSTCODE, "east-central", "nearest"),
        (OTHER_COUNCIL_POSTCODE, None, "unrouted"),
    ],
)
def test_a_sent_assessment_goes_to_the_hub_for_the_familys_postcode(
    client, alice, postcode, hub, routing
):
    assessment = complete_assessment(alice, postcode=postcode)
    sign_in(client, alice)
    client.post(reverse("referrals:check", args=[assessment.pk]), {"confirm": "on"})
    support_request = SupportRequest.objects.get()
    assert (support_request.hub.slug if support_request.hub else None) == hub
    assert support_request.routing == routing


def test_sending_twice_makes_one_request(client, alice):
    assessment = complete_assessment(alice)
    sign_in(client, alice)
    url = reverse("referrals:check", args=[assessment.pk])
    first = client.post(url, {"confirm": "on"})
    second = client.post(url, {"confirm": "on"})
    assert first.status_code == 302
    assert second.status_code in (302, 403)
    assert SupportRequest.objects.count() == 1


def test_it_cannot_be_sent_without_consent_to_the_assessment(client, alice):
    assessment = complete_assessment(alice)
    assessment.consents.update(to_assessment=False)
    sign_in(client, alice)
    response = client.post(reverse("referrals:check", args=[assessment.pk]), {"confirm": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "consent to the assessment was not given, so it cannot be sent" in page
    assert not SupportRequest.objects.exists()


def test_a_young_person_of_16_must_give_their_own_consent(client, alice):
    from datetime import date

    assessment = complete_assessment(alice)
    child = assessment.subjects.get()
    child.date_of_birth = date(2009, 1, 1)
    child.save()
    sign_in(client, alice)
    url = reverse("referrals:consent_for", args=[assessment.pk, child.pk])
    parent = Person.objects.get(first_name="Sam")
    response = client.post(
        url,
        {
            "given_by": parent.pk,
            **date_fields("given_on", 1, 11, 2026),
            "method": "phone",
            "to_assessment": "True",
            "to_share": "True",
        },
    )
    assert "is 16 or over, so they give their own consent" in response.content.decode()
    page = client.get(reverse("referrals:check", args=[assessment.pk])).content.decode()
    assert "must give their own consent (16 or over" in page


def test_a_child_under_16_judged_competent_gives_their_own_consent(client, alice):
    from datetime import date

    assessment = complete_assessment(alice)
    child = assessment.subjects.get()
    child.date_of_birth = date(2012, 1, 1)
    child.save()
    sign_in(client, alice)
    url = reverse("referrals:consent_for", args=[assessment.pk, child.pk])
    parent = Person.objects.get(first_name="Sam")
    answers = {
        **date_fields("given_on", 1, 11, 2026),
        "method": "in_person",
        "to_assessment": "True",
        "to_share": "True",
    }
    page = client.post(url, {"given_by": parent.pk, **answers}).content.decode()
    assert "Select whether Jamie is competent to decide" in page
    page = client.post(
        url, {"given_by": parent.pk, "competent": "True", **answers}
    ).content.decode()
    assert "Say why you judge the child competent or not" in page
    page = client.post(
        url,
        {"given_by": parent.pk, "competent": "True", "competence_reason": "Clear", **answers},
    ).content.decode()
    assert "Jamie is judged competent, so they give their own consent" in page
    response = client.post(
        url,
        {"given_by": child.pk, "competent": "True", "competence_reason": "Clear", **answers},
    )
    assert response.status_code == 302
    consent = assessment.consents.get(person=child)
    assert consent.competent is True
    assert consent.given_by == child
    page = client.get(reverse("referrals:check", args=[assessment.pk])).content.decode()
    assert "You cannot send" not in page
    assert "Judged competent to decide: Clear" in page


def test_a_seven_year_old_is_not_recorded_as_giving_his_own_consent(client, alice):
    from datetime import date

    assessment = complete_assessment(alice)
    child = assessment.subjects.get()
    child.date_of_birth = date(2019, 6, 1)
    child.save()
    sign_in(client, alice)
    url = reverse("referrals:consent_for", args=[assessment.pk, child.pk])
    form = client.get(url).content.decode()
    assert "competent to decide for themselves" not in form
    response = client.post(
        url,
        {
            "given_by": child.pk,
            "competent": "True",
            "competence_reason": "He seems sure.",
            **date_fields("given_on", 1, 11, 2026),
            "method": "in_person",
            "to_assessment": "True",
            "to_share": "True",
        },
    )
    assert "is under 12: someone with parental responsibility gives consent" in (
        response.content.decode()
    )


def test_every_adult_in_the_household_consents_to_their_own_information(client, alice):
    assessment = complete_assessment(alice)
    assessment.consents.filter(person__role="parent").delete()
    sign_in(client, alice)
    page = client.get(reverse("referrals:check", args=[assessment.pk])).content.decode()
    assert "Record consent for Sam Taylor" in page


def test_an_invalid_section_keeps_what_was_typed_and_says_what_is_wrong(client, alice):
    assessment = complete_assessment(alice)
    sign_in(client, alice)
    response = client.post(
        reverse("referrals:add_person", args=[assessment.pk]),
        {
            "role": "child",
            "first_name": "Riley",
            "last_name": "",
            **date_fields("date_of_birth", 31, 2, 2020),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter their last name" in page
    assert 'value="Riley"' in page


def test_an_unborn_baby_needs_a_due_date_not_a_date_of_birth(client, alice):
    assessment = complete_assessment(alice)
    sign_in(client, alice)
    response = client.post(
        reverse("referrals:add_person", args=[assessment.pk]),
        {
            "role": "unborn",
            "first_name": "Baby",
            "last_name": "Taylor",
            "parental_responsibility": "False",
            "lives_in_household": "True",
        },
    )
    assert "Enter the expected due date" in response.content.decode()


def test_every_view_and_change_of_the_assessment_is_audited(client, alice):
    assessment = complete_assessment(alice)
    sign_in(client, alice)
    client.get(reverse("referrals:task_list", args=[assessment.pk]))
    client.post(
        reverse("referrals:about_you", args=[assessment.pk]),
        {"assessor_role": "DSL", "assessor_organisation": "School", "assessor_phone": "0207"},
    )
    events = AuditEvent.objects.filter(record_id=str(assessment.pk), actor=alice)
    assert {"assessment.started", "assessment.viewed", "assessment.changed"} <= {
        e.action for e in events
    }
    assert all(e.ip_address == "127.0.0.1" for e in events if e.action != "assessment.started")


def test_my_assessments_lists_drafts_and_sent_with_status(client, alice):
    from tests.factories import sent_assessment

    complete_assessment(alice, child="Drafty")
    support_request = sent_assessment(alice, child="Senty")
    sign_in(client, alice)
    page = client.get(reverse("referrals:my_assessments")).content.decode()
    assert "Drafty Taylor" in page
    assert support_request.reference in page
    assert "Awaiting decision" in page


def test_each_child_gives_their_own_scaling_in_a_number_box_that_says_what_0_and_10_mean(
    client, alice
):
    assessment = complete_assessment(alice)
    jamie = assessment.subjects.get()
    riley = Person.objects.create(
        family=assessment.family, role="child", first_name="Riley", last_name="Taylor"
    )
    assessment.subjects.add(riley)
    sign_in(client, alice)
    url = reverse("referrals:signs_of_safety", args=[assessment.pk])
    form = client.get(url).content.decode()
    assert 'type="radio"' not in form  # was 33 radios
    assert form.count('inputmode="numeric"') == 4  # yours, the parent's, Jamie's and Riley's
    assert form.count("0 means things are so bad the child cannot stay at home") == 4
    answers = {
        "working_well": "A loving home.",
        "worries": "Sleep.",
        "next_steps": "Support.",
        "scale_practitioner": "6",
        "scale_parent": "5",
        f"own_scaling_{jamie.pk}": "7",
        f"own_scaling_{riley.pk}": "",
    }
    bad = client.post(url, {**answers, "scale_parent": "11", f"own_scaling_{jamie.pk}": "x"})
    page = bad.content.decode()
    assert "Enter the parent or carer&#x27;s scaling as a number from 0 to 10" in page
    assert "Enter Jamie&#x27;s scaling as a number from 0 to 10" in page
    assert client.post(url, answers).status_code == 302
    jamie.refresh_from_db()
    riley.refresh_from_db()
    assert (jamie.own_scaling, riley.own_scaling) == (7, None)
    check = client.get(reverse("referrals:check", args=[assessment.pk])).content.decode()
    assert "Jamie 7, Riley not asked" in check
