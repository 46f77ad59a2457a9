"""HTTP Observatory A+ conditions on a public page, a form page and a staff page."""

import json
import re

import pytest
from django.urls import reverse

from tests.earlyhelp.test_settings import PRODUCTION, start
from tests.factories import sign_in

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, set[str]]:
    policy = response["Content-Security-Policy"]
    return {
        parts[0]: set(parts[1:])
        for parts in (directive.split() for directive in policy.split(";"))
        if parts
    }


@pytest.fixture(params=["public", "form", "staff"])
def page(request, client, mo):
    if request.param == "staff":
        sign_in(client, mo)
        mo.is_superuser = True
        mo.save()
        return client.get(reverse("hubs:coverage_report"))
    if request.param == "form":
        return client.get(reverse("accounts:sign_in"))
    return client.get(reverse("hubs:find"), {"postcode": "N2 8LG"})


def test_the_content_security_policy_forbids_inline_script_and_framing(page):
    assert page.status_code == 200
    csp = csp_directives(page)
    assert csp["script-src"] == {"'self'"}, "script-src must not allow inline or eval"
    assert "'unsafe-inline'" not in csp.get("style-src", set())
    assert csp["object-src"] == {"'none'"}
    assert csp["base-uri"] in ({"'none'"}, {"'self'"})
    assert csp["frame-ancestors"] == {"'none'"}
    assert csp["form-action"] == {"'self'"}
    assert csp["default-src"] == {"'self'"}


def test_the_other_security_headers_are_set(page):
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin"}
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    assert page["Cross-Origin-Resource-Policy"] == "same-origin"
    assert page["X-Frame-Options"] == "DENY"


def test_staff_pages_are_never_stored(client, mo):
    mo.is_superuser = True
    mo.save()
    sign_in(client, mo)
    response = client.get(reverse("hubs:coverage_report"))
    assert "no-store" in response["Cache-Control"]


def test_the_sign_in_form_is_never_cached(client):
    assert "no-store" in client.get(reverse("accounts:sign_in"))["Cache-Control"]


PROBE = """
import json
from django.conf import settings as s
from django.test import Client
response = Client().get("/sign-in/", secure=True, HTTP_HOST="earlyhelp.example.org")
c = response.cookies[s.CSRF_COOKIE_NAME]
print(json.dumps({
    "hsts": response.headers.get("Strict-Transport-Security"),
    "csrf": {"name": c.key, "secure": bool(c["secure"]), "httponly": bool(c["httponly"]),
             "samesite": c["samesite"], "path": c["path"], "domain": c["domain"]},
    "session": {"name": s.SESSION_COOKIE_NAME, "secure": s.SESSION_COOKIE_SECURE,
                "httponly": s.SESSION_COOKIE_HTTPONLY, "samesite": s.SESSION_COOKIE_SAMESITE,
                "domain": s.SESSION_COOKIE_DOMAIN, "path": s.SESSION_COOKIE_PATH},
    "http": Client().get("/find-your-hub/", HTTP_HOST="earlyhelp.example.org").status_code,
}))
"""


@pytest.fixture(scope="module")
def production():
    # Production serves hashed static files from a manifest, so build it as a deployment would.
    collected = start(PRODUCTION, "collectstatic", "--no-input", "--verbosity", "0")
    assert collected.returncode == 0, collected.stderr
    result = start(PRODUCTION, "shell", "-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_at_least_a_year(production):
    max_age = int(re.search(r"max-age=(\d+)", production["hsts"]).group(1))
    assert max_age >= 31536000
    assert "includeSubDomains" in production["hsts"]


def test_production_redirects_plain_http_to_https(production):
    assert production["http"] == 301


def test_production_cookies_are_host_only_secure_and_lax(production):
    for cookie in (production["csrf"], production["session"]):
        assert cookie["name"].startswith("__Host-")
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/"
        assert not cookie["domain"]


def test_pages_are_compressed_for_browsers_that_accept_gzip(client):
    import gzip

    plain = client.get("/services/", {"q": "toddler"})
    packed = client.get("/services/", {"q": "toddler"}, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 3
    assert b"Find support for your family" in gzip.decompress(packed.content)
