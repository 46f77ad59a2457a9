"""A parent asks for help without an account, and it reaches the right hub's queue."""

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from referrals.forms import ASK_FOR_HELP_STEPS
from referrals.models import FamilyRequest, SupportRequest
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

ANSWERS = {
    "name": "Sam Taylor",
    "relationship": "parent",
    "contact_method": "phone",
    "phone": "07700 900982",
    "email": "",
    "best_time": "Mornings",
    "safe_to_leave_message": "True",
    "postcode": "n2 8lg",
    "children_ages": "3 and 7",
    "worries": "My son will not sleep and I am exhausted.",
    "language": "Turkish",
    "interpreter_needed": "True",
    "consent_to_contact": "on",
    "consent_to_share": "on",
}


def started(seconds_ago=60):
    return signing.dumps(timezone.now().timestamp() - seconds_ago, salt="ask-for-help")


def step_url(slug: str) -> str:
    return reverse("referrals:ask_for_help_step", args=[slug])


def fill_in(client, **changes):
    """Answer each question page in turn; the first page that does not move on is returned,
    or the redirect to "check your answers"."""
    answers = {**ANSWERS, "started": started(), **changes}
    for index, step in enumerate(ASK_FOR_HELP_STEPS):
        data = {name: answers[name] for name in step.fields_for(answers) if name in answers}
        if index == 0:
            data["started"] = answers["started"]
        response = client.post(step_url(step.slug), data)
        if response.status_code != 302:
            return response
    return response


def send(client):
    check = client.get(reverse("referrals:ask_for_help_check"))
    key = check.context["key"]
    return client.post(reverse("referrals:ask_for_help_check"), {"key": key}), key


def test_the_page_starts_with_what_to_do_in_an_emergency(client):
    page = client.get(reverse("referrals:ask_for_help")).content.decode()
    assert page.index("999") < page.index("What is worrying you?")
    assert "020 8359 4066" in page


def test_a_parent_checks_their_answers_and_sends_a_request_to_their_hub(client, nia):
    response = fill_in(client)
    assert response["Location"] == reverse("referrals:ask_for_help_check")
    check = client.get(response["Location"]).content.decode()
    assert "My son will not sleep" in check
    response, _ = send(client)
    confirmation = client.get(response["Location"]).content.decode()
    support_request = SupportRequest.objects.get()
    assert support_request.kind == SupportRequest.Kind.FAMILY_REQUEST
    assert support_request.hub.slug == "east-central"
    assert support_request.reference in confirmation
    assert support_request.hub.phone in confirmation

    sign_in(client, nia)
    queue = client.get(reverse("referrals:queue", args=["east-central"])).content.decode()
    assert support_request.reference in queue
    assert "Family request" in queue
    detail = client.get(reverse("referrals:triage", args=[support_request.pk])).content.decode()
    assert "My son will not sleep" in detail


def test_a_double_click_on_send_makes_one_request(client):
    fill_in(client)
    response, key = send(client)
    again = client.post(reverse("referrals:ask_for_help_check"), {"key": key})
    assert again["Location"] == reverse("referrals:ask_for_help_sent")
    assert FamilyRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter your name"),
        ({"postcode": "not a postcode"}, "Enter a full postcode, like N2 8LG"),
        ({"phone": ""}, "Enter a phone number, so we can call or text you"),
        ({"contact_method": "email", "phone": ""}, "Enter an email address, so we can email you"),
        ({"consent_to_share": ""}, "You must agree to us sharing this with your hub"),
        ({"worries": ""}, "Tell us what is worrying you"),
    ],
)
def test_a_mistake_is_explained_and_nothing_typed_is_lost(client, changes, message):
    response = fill_in(client, **changes)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "govuk-error-summary" in page
    assert not FamilyRequest.objects.exists()
    # What they typed on this page is on it again, and earlier pages' answers are kept.
    typed = [value for value in changes.values() if value not in ("", "on", "email")]
    assert all(f'value="{value}"' in page for value in typed)
    if changes.get("worries") == "":
        assert 'value="3 and 7"' in page
    else:
        assert _stored_session(client)["ask_for_help"]["data"]["worries"] == ANSWERS["worries"]


def test_a_form_filled_in_faster_than_a_person_can_is_not_accepted(client):
    response = fill_in(client, started=started(seconds_ago=0))
    assert response.status_code == 200
    assert "Check your answers, then select continue" in response.content.decode()


def test_a_bot_filling_the_hidden_field_is_refused_and_nothing_is_stored(client):
    response = fill_in(client, website="http://spam.example")
    assert response.status_code == 400
    assert not FamilyRequest.objects.exists()


def test_too_many_requests_from_one_address_are_asked_to_phone(client, settings):
    settings.FAMILY_REQUESTS_PER_HOUR = 2
    for _ in range(2):
        fill_in(client)
        send(client)
    fill_in(client)
    response, _ = send(client)
    assert response.status_code == 429
    assert "Please phone your hub" in response.content.decode()
    assert FamilyRequest.objects.count() == 2


def test_an_out_of_borough_postcode_is_kept_for_an_admin_to_route(client, ada):
    fill_in(client, postcode="HA8 5AL")
    send(client)
    support_request = SupportRequest.objects.get()
    assert support_request.hub is None
    sign_in(client, ada)
    assert support_request.reference in client.get(reverse("referrals:unrouted")).content.decode()


def test_the_confirmation_is_only_for_the_person_who_sent_it(client):
    fill_in(client)
    send(client)
    client.cookies.clear()
    response = client.get(reverse("referrals:ask_for_help_sent"))
    assert response.status_code == 302


def _stored_session(client) -> dict:
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).get_decoded()


def test_a_draft_holds_only_what_the_parent_answered(client):
    fill_in(client, best_time="", website="")
    draft = _stored_session(client)["ask_for_help"]["data"]
    assert "website" not in draft
    assert "email" not in draft  # left blank: not stored
    assert "best_time" not in draft
    assert draft["worries"] == ANSWERS["worries"]
    # What was left out still shows as not given, and the request can be sent.
    check = client.get(reverse("referrals:ask_for_help_check")).content.decode()
    assert "Not given" in check
    send(client)
    assert FamilyRequest.objects.get().best_time == ""


def test_a_parent_can_delete_their_answers_without_sending(client):
    from django.contrib.sessions.models import Session

    fill_in(client)
    key = client.get(reverse("referrals:ask_for_help_check")).context["key"]
    response = client.post(reverse("referrals:ask_for_help_check"), {"key": key, "delete": "1"})
    assert "Your answers have been deleted" in response.content.decode()
    assert not FamilyRequest.objects.exists()
    stored = [s.get_decoded() for s in Session.objects.all()]
    assert not any("ask_for_help" in data for data in stored)
    assert ANSWERS["worries"] not in str(stored)
    # Back to the form: it is empty.
    page = client.get(reverse("referrals:ask_for_help")).content.decode()
    assert ANSWERS["worries"] not in page


def test_a_no_answer_survives_the_draft(client):
    fill_in(client, safe_to_leave_message="False", interpreter_needed="False")
    response, _ = send(client)
    assert response["Location"] == reverse("referrals:ask_for_help_sent")
    request = FamilyRequest.objects.get()
    assert (request.safe_to_leave_message, request.interpreter_needed) == (False, False)


def test_an_empty_form_speaks_a_parents_language_not_the_databases(client):
    pages = [client.post(reverse("referrals:ask_for_help"), {"started": started()})]
    fill_in(client)
    pages += [client.post(step_url(step.slug), {}) for step in ASK_FOR_HELP_STEPS[1:]]
    page = "".join(response.content.decode() for response in pages)
    for message in (
        "Tell us what is worrying you",
        "Enter how old the children are",
        "Enter your postcode",
        "Enter your name",
        "Select how we should contact you",
        "Enter a phone number, so we can call or text you",
        "Select yes if we can leave a message",
        "You must agree to us sharing this with your hub",
    ):
        assert message in page
    assert "Constraint" not in page
    assert "violated" not in page
    assert "This field is required" not in page


def test_ask_for_help_is_in_the_navigation_for_parents(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("referrals:ask_for_help")}"' in page
    assert (
        "Email address (optional)"
        not in client.get(reverse("referrals:ask_for_help")).content.decode()
    )


def test_each_question_has_its_own_page_and_back_goes_one_page_back(client):
    first = client.get(reverse("referrals:ask_for_help")).content.decode()
    assert "What is worrying you?" in first
    assert "Your name" not in first
    assert "govuk-back-link" not in first
    response = fill_in(client, name="")  # stops at "About you"
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">About you</h1>' in page
    assert f'href="{step_url("postcode")}" class="govuk-back-link"' in page
    postcode = client.get(step_url("postcode")).content.decode()
    assert 'value="N2 8LG"' in postcode  # the answer given is shown again
    assert '<h1 class="govuk-label-wrapper">' in postcode  # the question is the heading


def test_a_parent_who_chooses_email_is_asked_for_an_email_address_not_about_messages(client):
    response = fill_in(client, contact_method="email", email="")
    page = response.content.decode()
    assert "Enter an email address, so we can email you" in page
    assert "Phone number (optional)" in page
    assert "Can we leave a message" not in page
    fill_in(client, contact_method="email", email="sam@example.com", phone="")
    check = client.get(reverse("referrals:ask_for_help_check")).content.decode()
    assert "sam@example.com" in check
    assert "Can we leave a message" not in check
    send(client)
    assert FamilyRequest.objects.get().email == "sam@example.com"


def test_a_change_from_check_your_answers_comes_back_to_it_via_any_new_question(client):
    fill_in(client)
    client.get(reverse("referrals:ask_for_help_check"))
    response = client.post(step_url("postcode"), {"postcode": "NW7 1AB"})
    assert response["Location"] == reverse("referrals:ask_for_help_check")
    # Switching to email leaves the email address unanswered: that page comes next.
    response = client.post(step_url("contact"), {"contact_method": "email"})
    response = client.get(response["Location"])
    assert response["Location"] == step_url("contact-details")
    back = client.get(step_url("contact-details")).content.decode()
    assert f'href="{reverse("referrals:ask_for_help_check")}" class="govuk-back-link"' in back


def test_a_later_question_without_the_first_answers_starts_at_the_beginning(client):
    assert client.get(step_url("agreement"))["Location"] == reverse("referrals:ask_for_help")
    assert client.get(step_url("not-a-question")).status_code == 404
