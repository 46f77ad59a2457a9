"""Which database answers (earlyhelp/replicas.py): the router's and the middleware's decisions,
without a replica. tests/scale/ shows them on real streaming replication."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from accounts.models import User
from directory.models import Service
from earlyhelp import replicas, versions
from earlyhelp.models import ServiceFeedback
from hubs.models import Hub

ROOT = Path(__file__).resolve().parents[2]
ROUTER = replicas.ReplicaRouter()
CACHE_ENTRY = caches["shared"].cache_model_class


@pytest.fixture
def replica_ready(monkeypatch):
    """As if DATABASES had a replica, streaming and up to date, and no version token had
    changed lately (an earlier test's requests may have seen one change)."""
    from earlyhelp import versions

    monkeypatch.setattr(replicas, "enabled", lambda: True)
    monkeypatch.setattr(replicas, "replica_ready", lambda: True)
    monkeypatch.setattr(versions._changes, "seen_at", -1e9)


def label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}"


def answer(path: str, *, method: str = "GET", cookies: dict | None = None, during=None):
    """Send ``path`` through the middleware to a view that notes where each table would be read
    from (``during``, if given, runs in the view first). The notes and the response."""
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies or {})
    language = path.split("/")[1] if path.startswith("/fa/") else "en-gb"
    with translation.override(language):
        request.resolver_match = resolve(request.path_info)
    reads = {}

    def view(request):
        middleware.process_view(request, view, (), {})  # as Django's handler does
        if during is not None:
            during()
        for model in (Service, Hub, Session, User, AccessAttempt, ServiceFeedback, CACHE_ENTRY):
            reads[label(model)] = ROUTER.db_for_read(model)
        return HttpResponse()

    middleware = replicas.ReplicaMiddleware(view)
    return reads, middleware(request)


@pytest.mark.parametrize(
    "path",
    [
        "/services/?q=toddler&postcode=N2+8LG",
        "/fa/services/?q=toddler",
        "/services/5f0c7d8e-8a3b-4c55-9c55-2a0a4e1f9b11/",
        "/places/hendon-library/",
        "/libraries/",
        "/find-your-hub/?postcode=N2+8LG",
        "/hubs/west/",
        "/api/openreferral/services",
        "/api/openreferral/taxonomies",
    ],
)
def test_a_public_page_reads_the_directory_and_hubs_from_the_replica(replica_ready, path):
    reads, _ = answer(path)
    assert reads["directory.Service"] == "replica"
    assert reads["hubs.Hub"] == "replica"


def test_sessions_accounts_sign_in_failures_the_audit_and_the_cache_stay_on_the_primary(
    replica_ready,
):
    reads, _ = answer("/services/?q=toddler")
    for table in (
        "sessions.Session",
        "accounts.User",
        "axes.AccessAttempt",
        "earlyhelp.ServiceFeedback",
        label(CACHE_ENTRY),
    ):
        assert reads[table] == "default", table


@pytest.mark.parametrize(
    "path",
    [
        "/your-work/",
        "/front-door/",
        "/manage/services/",
        "/manage/listings/",
        "/reports/",
        "/ask-for-help/",
        "/service-feedback/",
        "/sign-in/",
    ],
)
def test_staff_pages_and_forms_read_the_primary(replica_ready, path):
    reads, _ = answer(path)
    assert set(reads.values()) == {"default"}


def test_a_post_reads_the_primary_and_pins_the_browser_to_it(replica_ready):
    reads, response = answer("/services/?q=toddler", method="POST")
    assert set(reads.values()) == {"default"}
    pin = response.cookies[replicas.PIN_COOKIE]
    assert pin.value == "1"  # nothing about the person
    assert pin["max-age"] == replicas.pin_seconds()
    assert pin["httponly"]
    assert pin["samesite"] == "Lax"
    assert pin["path"] == "/"


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_reading_does_not_pin_the_browser(replica_ready, method):
    _, response = answer("/api/openreferral/services", method=method)
    assert replicas.PIN_COOKIE not in response.cookies


def test_a_browser_that_has_just_posted_reads_the_primary_and_the_latest_versions(
    replica_ready, monkeypatch
):
    versions._read["directory"] = ("a-token", time.monotonic())
    reads, _ = answer("/services/?q=toddler", cookies={replicas.PIN_COOKIE: "1"})
    assert set(reads.values()) == {"default"}
    # Its next look at the shared version tokens is not put off for VERSION_CHECK_SECONDS.
    assert versions._read["directory"][1] < time.monotonic() - 3600


def test_after_a_write_the_rest_of_the_request_reads_the_primary(replica_ready):
    reads, _ = answer(
        "/services/?q=toddler", during=lambda: ROUTER.db_for_write(Service, instance=None)
    )
    assert reads["directory.Service"] == "default"


def test_inside_a_transaction_everything_reads_the_primary(replica_ready, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    monkeypatch.setattr(replicas, "replica_ready", lambda: pytest.fail("the replica was asked"))
    reads, _ = answer("/services/?q=toddler")
    assert reads["directory.Service"] == "default"


def test_a_replica_that_is_down_or_behind_is_not_read(monkeypatch):
    monkeypatch.setattr(replicas, "enabled", lambda: True)
    monkeypatch.setattr(replicas, "replica_ready", lambda: False)
    reads, _ = answer("/services/?q=toddler")
    assert reads["directory.Service"] == "default"


def test_just_after_a_version_change_this_process_reads_the_primary(replica_ready, monkeypatch):
    """What it builds now is kept under the new token: it must not come from a replica that
    has not replayed the change yet."""
    monkeypatch.setattr(versions._changes, "seen_at", time.monotonic())
    reads, _ = answer("/services/?q=toddler")
    assert reads["directory.Service"] == "default"
    monkeypatch.setattr(versions._changes, "seen_at", time.monotonic() - replicas.pin_seconds())
    reads, _ = answer("/services/?q=toddler")
    assert reads["directory.Service"] == "replica"


def test_outside_a_request_everything_reads_the_primary():
    """The task worker, the scheduler and management commands."""
    for model in (Service, Hub, Session, DBTaskResult):
        assert ROUTER.db_for_read(model) == "default"
    assert replicas.connection_for_reading(Service) is connections["default"]


def test_writes_and_migrations_go_to_the_primary_only():
    assert ROUTER.db_for_write(Service) == "default"
    assert ROUTER.allow_migrate("default", "directory")
    assert not ROUTER.allow_migrate("replica", "directory")


def test_a_row_read_from_the_replica_may_be_linked_to_one_from_the_primary():
    def row(db):
        return SimpleNamespace(_state=SimpleNamespace(db=db))

    assert ROUTER.allow_relation(row("replica"), row("default"))
    assert ROUTER.allow_relation(row("replica"), row(None))  # a new row, not saved yet
    assert not ROUTER.allow_relation(row("replica"), row("elsewhere"))


def test_without_a_replica_the_middleware_takes_no_part(settings, monkeypatch):
    assert replicas.enabled() == ("replica" in settings.DATABASES)
    monkeypatch.setattr(replicas, "enabled", lambda: False)
    with pytest.raises(MiddlewareNotUsed):
        replicas.ReplicaMiddleware(lambda request: HttpResponse())


class FakeReplica:
    def __init__(self, row=None, error=None):
        self.row, self.error, self.closed, self.asked = row, error, False, 0

    def cursor(self):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def execute(self, sql):
        self.asked += 1
        if self.error:
            raise self.error

    def fetchone(self):
        return self.row

    def close(self):
        self.closed = True


@pytest.fixture
def fake_replica(monkeypatch, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 3
    monkeypatch.setattr(replicas, "_health", replicas._Health())

    def use(**kwargs):
        fake = FakeReplica(**kwargs)
        monkeypatch.setattr(replicas, "connections", {"replica": fake})
        return fake

    return use


@pytest.mark.parametrize(
    ("row", "ready"),
    [
        ((True, 1234, "streaming", 0), True),
        ((True, 1234, None, 2.5), True),  # a role without pg_read_all_stats sees no status
        ((True, 1234, "streaming", 7), False),  # too far behind
        ((True, None, None, 0), False),  # not receiving from the primary
        ((True, 1234, "stopping", 0), False),
        ((False, None, None, 0), False),  # promoted, or not a standby at all
    ],
)
def test_the_replica_is_read_only_while_streaming_and_close_behind(fake_replica, row, ready):
    fake_replica(row=row)
    assert replicas.replica_ready() is ready


def test_a_replica_that_cannot_be_reached_is_left_alone_for_a_while(fake_replica):
    fake = fake_replica(error=DatabaseError("connection refused"))
    assert not replicas.replica_ready()
    assert fake.closed
    assert not replicas.replica_ready()
    assert fake.asked == 1  # not asked again within RECHECK_UNREADY_SECONDS


def test_the_replicas_state_is_asked_at_most_once_a_second(fake_replica):
    fake = fake_replica(row=(True, 1234, "streaming", 0))
    for _ in range(5):
        assert replicas.replica_ready()
    assert fake.asked == 1


def test_sessions_sign_in_lockouts_and_the_shared_cache_are_in_postgresql(settings):
    """Every app server sees the same ones: nothing that must be shared is in a process's
    memory (the per-process "default" cache holds only what may be a little stale)."""
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler") == (
        "axes.handlers.database.AxesDatabaseHandler"
    )
    assert settings.CACHES["shared"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert not getattr(settings, "CSRF_USE_SESSIONS", False)  # the CSRF token is in a cookie


def settings_with(env: dict) -> dict:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps({'databases': settings.DATABASES, "
        "'routers': settings.DATABASE_ROUTERS}, default=str))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "earlyhelp.settings",
            "DJANGO_ENV": "development",
            "DATABASE_URL": "postgres://app@primary.example:5432/earlyhelp",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_replica_url_adds_the_replica_and_the_router():
    found = settings_with({"REPLICA_DATABASE_URL": "postgres://app@replica.example:5432/earlyhelp"})
    replica = found["databases"]["replica"]
    assert replica["HOST"] == "replica.example"
    assert replica["TEST"]["MIRROR"] == "default"
    assert found["routers"] == ["earlyhelp.replicas.ReplicaRouter"]


def test_without_a_replica_url_there_is_one_database_and_no_router():
    found = settings_with({})
    assert list(found["databases"]) == ["default"]
    assert found["routers"] == []


def test_the_cookies_page_lists_the_pin_cookie_where_a_replica_is_used(
    db, client, settings, monkeypatch
):
    from django.urls import reverse

    # Only the page's words are tested: no request here may touch the replica's recorded state.
    monkeypatch.setattr(replicas, "enabled", lambda: False)
    monkeypatch.setattr(replicas, "_health", replicas._Health())
    assert "pin_primary" not in client.get(reverse("cookies")).content.decode()
    settings.REPLICA_DATABASE_URL = "postgres://replica.example.org/earlyhelp"
    page = client.get(reverse("cookies")).content.decode()
    assert "pin_primary" in page
    assert "It holds only the number 1" in page
