"""One browser harness for the whole project: Debian's headless Chromium driven by Playwright
against a live server on the test database, with axe-core checking each page it is asked to.

The live server runs for the whole browser session on the data loaded by django_db_setup; it is
not pytest-django's live_server, which would empty every table after each test.
"""

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_url(django_db_setup, django_db_blocker):
    """The base URL of a server the browser can reach, sharing the test database."""
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django's async-safety guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with django_db_blocker.unblock():
        thread = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
        thread.terminate()
        # A request thread the browser left mid-request can still hold a connection; end it so
        # the test database can be dropped.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(scope="session")
def browser(live_url):
    # Depends on live_url so the test database is ready before Playwright's event loop starts.
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(
            f"!!! BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM}. "
            "Install Debian's chromium package (make test does so where it can). !!!"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


class AuditedPage:
    """A Playwright page that runs axe-core on every document it loads.

    A load only marks the page as due for an audit; the audit runs before the test's next use of
    the page (and at the end of the test), when the document is settled. Any violation fails the
    test, so every journey a browser test walks is checked without extra code.
    """

    def __init__(self, page):
        self._page = page
        self._due = False
        self.audited: list[str] = []
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self._due = True

    def audit(self) -> None:
        if self._due:
            self._due = False
            self._page.wait_for_load_state()
            assert_accessible(self._page)
            self.audited.append(self._page.url)

    def __getattr__(self, name):
        self.audit()
        return getattr(self._page, name)


@pytest.fixture
def page(browser, live_url, request):
    """A fresh phone-sized page, audited by axe-core on every load; fails the test on any
    browser console error (a Content Security Policy violation, say)."""
    context = browser.new_context(base_url=live_url, viewport={"width": 390, "height": 844})
    raw = context.new_page()
    errors: list[str] = []
    raw.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    raw.on("pageerror", lambda exc: errors.append(str(exc)))
    page = AuditedPage(raw)
    yield page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        raw.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    else:
        page.audit()
    context.close()
    assert errors == [], f"the browser console reported errors: {errors}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def assert_accessible(page) -> None:
    """Run axe-core (WCAG 2.0-2.2 A and AA rules) on the current page; fail on any violation."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}
        })"""
    )
    violations = []
    for v in result["violations"]:
        nodes = [node for node in v["nodes"] if not _govuk_known_issue(v["id"], node)]
        if nodes:
            violations.append(
                {
                    "rule": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "where": [node["target"] for node in nodes][:5],
                }
            )
    assert violations == [], f"axe found violations on {page.url}:\n" + json.dumps(
        violations, indent=2
    )


def _govuk_known_issue(rule: str, node: dict) -> bool:
    """GOV.UK Frontend's script marks a radio that reveals a question with aria-expanded,
    which ARIA does not allow on a radio. GOV.UK keeps it on purpose, because screen
    readers announce it (alphagov/govuk-frontend#979, listed as a known axe issue), so
    that one attribute on that one component is excused; nothing else is."""
    return (
        rule == "aria-allowed-attr"
        and 'class="govuk-radios__input"' in node["html"]
        and re.findall(r"aria-[a-z]+", node["failureSummary"]) == ["aria-expanded"]
    )


def tab_to(page, element_id: str, *, limit: int = 40) -> None:
    """Press Tab until the element with this id has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")
