"""Findings from the production and data protection review (issue 14) that are fixed, each
shown as a user or another module would notice it."""

import csv
import io

import pytest
from axes.helpers import get_client_ip_address
from django.core import mail
from django.test import RequestFactory

from earlyhelp import audit
from earlyhelp.models import AuditEvent
from referrals import services
from referrals.notifications import send_email
from tests.factories import sign_in

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"
PARENT = "203.0.113.7"
ANOTHER_PARENT = "198.51.100.23"


def a_request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


# --- The client's address behind the TLS proxy --------------------------------------------------


def test_with_no_trusted_proxy_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert audit.client_ip(a_request(PARENT, forwarded="192.0.2.1")) == PARENT


def test_behind_a_trusted_proxy_the_parent_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert audit.client_ip(a_request(PROXY, forwarded=PARENT)) == PARENT


def test_a_parent_cannot_spoof_their_address_through_the_proxy(settings):
    """The proxy appends the address it saw; what the client wrote before it is not believed."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    spoofed = a_request(PROXY, forwarded=f"192.0.2.1, {PARENT}")
    assert audit.client_ip(spoofed) == PARENT


def test_a_header_from_an_untrusted_address_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert audit.client_ip(a_request(PARENT, forwarded="192.0.2.1")) == PARENT


def test_a_malformed_header_counts_the_proxy_rather_than_a_guess(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert audit.client_ip(a_request(PROXY, forwarded="not-an-address")) == PROXY


def test_sign_in_lockouts_count_the_real_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert get_client_ip_address(a_request(PROXY, forwarded=PARENT)) == PARENT


def test_two_parents_behind_the_proxy_have_their_own_rate_limit(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    one = services.sender_hash(audit.client_ip(a_request(PROXY, forwarded=PARENT)))
    other = services.sender_hash(audit.client_ip(a_request(PROXY, forwarded=ANOTHER_PARENT)))
    assert one != other


def test_the_audit_trail_records_the_real_client(settings, alice):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = a_request(PROXY, forwarded=PARENT)
    request.user = alice
    audit.record(request, "family.looked_up", None)
    assert AuditEvent.objects.latest("at").ip_address == PARENT


# --- Smaller findings ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/ask-for-help/", "/ask-for-help/check/", "/ask-for-help/sent/"])
def test_a_parents_request_pages_are_never_cached(client, url):
    response = client.get(url)
    assert "no-store" in response["Cache-Control"]


def test_every_response_says_no_powerful_browser_features_are_used(client):
    policy = client.get("/").headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_plain_text_emails_are_not_html_escaped():
    send_email.call(
        to=["someone@example.org"],
        subject="Test",
        template="referrals/email/connection_sent.txt",
        context={"service": "Children's centre <stay & play>", "url": "https://x.example"},
    )
    body = mail.outbox[-1].body
    assert "Children's centre <stay & play>" in body
    assert "&#x27;" not in body
    assert "&amp;" not in body


def test_a_csv_import_refuses_a_last_checked_date_in_the_future(client, mo):
    sign_in(client, mo)
    body = b"".join(client.get("/manage/services/export.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    row = rows[0]
    row["last_checked"] = "2099-01-01"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = "listings.csv"
    page = client.post("/manage/services/import/", {"file": upload}).content.decode()
    assert "Must be today or earlier" in page
    assert 'name="apply"' not in page


def test_a_staff_session_ends_a_working_day_after_sign_in_however_busy(client, alice, settings):
    settings.SESSION_ABSOLUTE_HOURS = 12
    sign_in(client, alice)
    assert client.get("/assessments/").status_code == 200
    session = client.session
    session["signed_in_at"] -= 13 * 3600
    session.save()
    response = client.get("/assessments/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert client.get("/assessments/").status_code == 302  # signed out, not just redirected


def test_the_caseload_records_each_family_it_shows(client, alice):
    from tests.factories import allocated_episode

    episode = allocated_episode(alice)
    sign_in(client, alice)
    client.get("/episodes/")
    assert AuditEvent.objects.filter(
        actor=alice, action="episode.listed", record_id=str(episode.pk)
    ).exists()


def test_the_course_registrations_page_records_each_parent_it_shows(client, mo):
    from datetime import time, timedelta

    from django.utils import timezone

    from directory.models import Course, Location, LocationType, Registration, Service

    office = Location.objects.get(location_type=LocationType.FAMILY_HUB, hub__slug="west")
    service = Service.objects.published().filter(service_at_locations__location=office)[0]
    course = Course.objects.create(
        service=service, location=office, start_date=timezone.localdate() + timedelta(days=7),
        sessions=6, starts_at=time(10), ends_at=time(12), capacity=10,
        booking=Course.Booking.REGISTER_INTEREST,
    )  # fmt: skip
    registration = Registration.objects.create(
        course=course, reference="CR-AUDIT1", name="A parent", phone="07700 900982",
        child_ages=["2-4"], consent=True, status=Registration.Status.REGISTERED,
    )  # fmt: skip
    sign_in(client, mo)
    client.get(f"/manage/courses/{course.pk}/")
    assert AuditEvent.objects.filter(
        actor=mo, action="registration.viewed", record_id=str(registration.pk)
    ).exists()
