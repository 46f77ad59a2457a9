"""What every Open Referral endpoint does whatever it serves: open to any site, read-only, JSON
errors, and the root that tells a validator which standard the feed follows."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from tests.oruk.validation import assert_valid, operation_schema

pytestmark = pytest.mark.django_db

LISTS = ["oruk:root", "oruk:services", "oruk:service_at_locations", "oruk:taxonomies",
         "oruk:taxonomy_terms"]  # fmt: skip
DETAILS = ["oruk:service", "oruk:service_at_location", "oruk:taxonomy", "oruk:taxonomy_term"]


def _every_endpoint():
    return [reverse(name) for name in LISTS] + [
        reverse(name, kwargs={"id": uuid.uuid4()}) for name in DETAILS
    ]


def test_the_root_says_which_standard_the_feed_follows(client):
    response = client.get(reverse("oruk:root"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert_valid(body, operation_schema("/"))
    assert body == {
        "version": "HSDS-UK-3.0",
        "profile": "https://github.com/openreferral/uk-profile",
        "openapi_url": "https://openreferraluk.org/specifications/3.0/openapi.json",
    }


def test_the_feed_lives_where_the_specification_puts_it():
    assert reverse("oruk:root") == "/api/openreferral/"
    assert reverse("oruk:services") == "/api/openreferral/services"
    assert reverse("oruk:taxonomy_terms") == "/api/openreferral/taxonomy_terms"


@pytest.mark.parametrize(
    "query", ["", "?page=0", "?per_page=x", "?minimum_age=old"], ids=["ok", "page", "size", "age"]
)
def test_any_site_may_read_every_answer(client, query):
    for url in _every_endpoint():
        response = client.get(url + query)
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert response["Cross-Origin-Resource-Policy"] == "cross-origin", url
        assert response["Content-Type"] == "application/json", url


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_feed_refuses_every_write(method):
    # A real browser's client: CSRF checks on, so a refusal here is the feed's, not CSRF's.
    client = Client(enforce_csrf_checks=True)
    for url in _every_endpoint():
        response = getattr(client, method)(url, {"name": "Changed"})
        assert response.status_code == 405, url
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response.json()["status"] == 405


def test_a_browser_preflight_is_answered(client):
    response = client.options(
        reverse("oruk:services"),
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_head_is_answered_like_get(client):
    response = client.head(reverse("oruk:services"))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("name", DETAILS)
@pytest.mark.parametrize("id", [uuid.UUID(int=0), "not-a-uuid", "1; DROP TABLE x"])
def test_an_unknown_id_is_a_json_404(client, name, id):
    response = client.get(reverse(name, kwargs={"id": id}))
    assert response.status_code == 404
    assert response.json() == {
        "status": 404,
        "error": "Not Found",
        "message": "There is nothing published with that id.",
    }
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_open_data_page_explains_the_feed(client):
    response = client.get(reverse("open_data"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Open data</h1>' in page
    assert "http://testserver/api/openreferral/services" in page
    assert "http://testserver/api/openreferral/service_at_locations" in page
    assert "Open Government Licence v3.0" in page
    assert "Only services that are published" in page
    assert "sample data" in page


def test_the_footer_links_the_open_data_page(client):
    page = client.get(reverse("hubs:find")).content.decode()
    assert f'href="{reverse("open_data")}">Open data</a>' in page
