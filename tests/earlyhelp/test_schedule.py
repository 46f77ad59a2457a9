"""The scheduler runs each job when it is due, once, and clears expired sessions (#14)."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from earlyhelp import schedule
from earlyhelp.models import JobRun

pytestmark = pytest.mark.django_db


def test_due_jobs_run_once_per_interval():
    now = timezone.now()
    first = schedule.run_due(now=now)
    assert first == [job.name for job in schedule.JOBS]
    assert all(run.outcome.startswith("ok") for run in JobRun.objects.all())
    assert schedule.run_due(now=now + timedelta(minutes=1)) == []
    assert schedule.run_due(now=now + timedelta(minutes=6)) == ["recover_tasks"]
    assert "clearsessions" in schedule.run_due(now=now + timedelta(days=1, minutes=1))


def test_expired_sessions_are_deleted_by_the_scheduler():
    kept, expired = SessionStore(), SessionStore()
    for session in (kept, expired):
        session["ask_for_help"] = {"worries": "Money and sleep."}
        session.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - timedelta(minutes=1)
    )
    call_command("run_schedule", "--once")
    assert list(Session.objects.values_list("session_key", flat=True)) == [kept.session_key]


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(monkeypatch):
    jobs = [
        schedule.Job("broken", ("no_such_command",), timedelta(days=1)),
        schedule.Job("clearsessions", ("clearsessions",), timedelta(days=1)),
    ]
    assert schedule.run_due(jobs=jobs) == ["broken", "clearsessions"]
    assert JobRun.objects.get(name="broken").outcome.startswith("failed: CommandError")
    assert JobRun.objects.get(name="clearsessions").outcome.startswith("ok")
