"""Every page the route walk knows (tests/test_routes.py), public and staff, at 375 px: none is
wider than the screen, and axe-core finds nothing on any of them.

A superuser sees every staff page; the walk's sample records are committed so the live server
sees them. Downloads (CSV, JSON, zip) and POST-only routes are not pages and are left out.
"""

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_team_around_the_family import sign_in


@pytest.fixture
def every_page(django_db_blocker):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User
    from earlyhelp.access import SIGNING_IN
    from tests.factories import hub_manager
    from tests.test_routes import POST_ONLY, ROUTES

    with django_db_blocker.unblock():
        sid = User.objects.filter(email="sid.every-route@barnet.example.org").first()
        if sid is None:
            sid = hub_manager(email="sid.every-route@barnet.example.org", first_name="Sid")
            sid.is_superuser = True
            sid.save()
            TOTPDevice.objects.create(user=sid, name="phone", confirmed=True)
        urls = [
            route.url()
            for route in ROUTES
            if route.name not in POST_ONLY
            and route.audience != SIGNING_IN
            and not route.name.startswith("api:")
        ]
    return sid, urls


def test_no_page_is_wider_than_a_phone_or_fails_axe(page, every_page):
    sid, urls = every_page
    sign_in(page, sid)
    raw = page._page  # audited here, page by page, so one run lists every problem
    raw.set_viewport_size({"width": 375, "height": 812})
    problems, measured = [], 0
    for url in urls:
        # Asked first with the page's cookies: only pages that answer 200 with HTML are opened
        # (sample addresses that are meant to be "not found" would log console errors).
        answer = raw.request.get(url, max_redirects=0)
        if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        raw.goto(url)
        measured += 1
        width = raw.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            problems.append(f"{url} is {width}px wide")
        try:
            assert_accessible(raw)
        except AssertionError as failure:
            problems.append(str(failure))
    page._due = False
    assert measured >= 90, measured
    assert problems == [], "\n".join(problems)
