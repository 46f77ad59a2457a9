"""Anyone can say what they thought of the service from the phase banner; the strategic board's
report readers see what was said, and nothing in it names the sender or the record they were on."""

import pytest
from django.urls import reverse

from earlyhelp.models import ServiceFeedback
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def test_every_page_links_to_feedback_naming_the_page_not_its_address(client, alice):
    page = client.get(reverse("directory:search")).content.decode()
    assert f'href="{reverse("feedback")}?page=directory%3Asearch"' in page
    sign_in(client, alice)
    staff_page = client.get(reverse("staff_home")).content.decode()
    assert f'href="{reverse("feedback")}?page=staff_home"' in staff_page


def test_a_parent_sends_feedback_anonymously(client):
    form = client.get(reverse("feedback"), {"page": "directory:search"}).content.decode()
    assert 'name="page" value="directory:search"' in form
    response = client.post(
        reverse("feedback"),
        {"rating": "2", "improve": "Say which buses go there.", "page": "directory:search"},
    )
    assert response["Location"] == reverse("feedback_sent")
    feedback = ServiceFeedback.objects.get()
    assert (feedback.rating, feedback.page) == (2, "directory:search")
    assert feedback.improve == "Say which buses go there."
    assert "127.0.0.1" not in feedback.sender_hash


def test_an_address_with_a_record_in_it_is_not_kept(client):
    client.post(reverse("feedback"), {"rating": "5", "page": "/children/1234/"})
    assert ServiceFeedback.objects.get().page == ""


def test_a_missing_rating_is_explained_and_the_suggestion_kept(client):
    response = client.post(reverse("feedback"), {"improve": "Bigger buttons"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select how you felt about this service" in page
    assert "govuk-error-summary" in page
    assert "Bigger buttons" in page
    assert not ServiceFeedback.objects.exists()


def test_a_flood_from_one_address_is_thanked_but_not_kept(client, settings):
    settings.FEEDBACK_PER_HOUR = 2
    for _ in range(4):
        assert client.post(reverse("feedback"), {"rating": "1"}).status_code == 302
    assert ServiceFeedback.objects.count() == 2


def test_report_readers_see_satisfaction_and_suggestions(client, mo):
    ServiceFeedback.objects.create(rating=5)
    ServiceFeedback.objects.create(rating=4, improve="Opening hours, please")
    ServiceFeedback.objects.create(rating=1)
    sign_in(client, mo)
    page = client.get(reverse("feedback_report")).content.decode()
    assert "67%" in page  # 2 of 3 satisfied or very satisfied
    assert "Opening hours, please" in page
    assert reverse("feedback_report") in client.get(reverse("reports:scorecard")).content.decode()


def test_no_access_to_the_feedback_report_without_reports(client, alice):
    assert client.get(reverse("feedback_report")).status_code == 302  # sign in first
    sign_in(client, alice)
    assert client.get(reverse("feedback_report")).status_code == 403
