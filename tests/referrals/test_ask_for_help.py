"""A parent asks for help without an account, and it reaches the right hub's queue."""

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

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


def fill_in(client, **changes):
    return client.post(
        reverse("referrals:ask_for_help"), {**ANSWERS, "started": started(), **changes}
    )


def send(client):
    check = client.get(reverse("referrals:ask_for_help_check"))
    key = check.context["key"]
    return client.post(reverse("referrals:ask_for_help_check"), {"key": key}), key


def test_the_page_starts_with_what_to_do_in_an_emergency(client):
    page = client.get(reverse("referrals:ask_for_help")).content.decode()
    assert page.index("999") < page.index("Your name")
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
    assert 'value="Sam Taylor"' in page or changes.get("name") == ""
    assert "My son will not sleep" in page or changes.get("worries") == ""
    assert not FamilyRequest.objects.exists()


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
    response = client.post(reverse("referrals:ask_for_help"), {"started": started()})
    page = response.content.decode()
    assert "Enter your name" in page
    assert "Select how we should contact you" in page
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
