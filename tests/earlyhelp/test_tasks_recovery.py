"""A task whose worker dies mid-run is picked up again, and an email is never sent twice (#14)."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from earlyhelp.email import notify
from earlyhelp.models import SentEmail
from earlyhelp.tasks import recover_stalled_tasks
from tests.slow_tasks import linger
from tests.tasks import run_tasks

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    """The test database, as a DATABASE_URL a worker in another process can use."""
    params = connection.settings_dict
    host = params["HOST"] or "localhost"
    if host.startswith("/"):  # the embedded server's socket folder
        return f"postgres://{params['USER']}@{quote(host, safe='')}/{params['NAME']}"
    port = f":{params['PORT']}" if params["PORT"] else ""
    return f"postgres://{params['USER']}@{host}{port}/{params['NAME']}"


def _wait_for(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Real commits, for a worker in another process to see; not pytest-django's transactional
    tests, which would empty every table, the council's postcodes and hubs included."""
    with django_db_blocker.unblock():
        yield
        DBTaskResult.objects.all().delete()


def test_a_task_whose_worker_is_killed_is_run_again_after_the_timeout(committed, settings):
    result = linger.enqueue(60)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_OWNER_URL", "EARLYHELP_DATABASE_ROLE"}
    }
    env.update(DATABASE_URL=_database_url(), DJANGO_ENV="development")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        row = DBTaskResult.objects.filter(pk=result.id)
        assert _wait_for(lambda: row.get().status == TaskResultStatus.RUNNING)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)

    # Dead workers tell no one: the task stays RUNNING...
    assert row.get().status == TaskResultStatus.RUNNING
    # ...until the timeout has passed, and then it is queued again, once.
    assert recover_stalled_tasks() == {"requeued": 0, "failed": 0}
    later = timezone.now() + timedelta(minutes=settings.TASK_RUNNING_TIMEOUT_MINUTES + 1)
    assert recover_stalled_tasks(now=later) == {"requeued": 1, "failed": 0}
    assert row.get().status == TaskResultStatus.READY
    assert recover_stalled_tasks(now=later) == {"requeued": 0, "failed": 0}


@pytest.mark.django_db
def test_a_task_whose_workers_keep_dying_is_marked_failed(settings):
    settings.TASK_MAX_RUNS = 2
    result = linger.enqueue(0)
    row = DBTaskResult.objects.get(pk=result.id)
    later = timezone.now() + timedelta(minutes=settings.TASK_RUNNING_TIMEOUT_MINUTES + 1)
    for worker in ("first", "second"):
        row.refresh_from_db()
        row.claim(worker)  # and then the worker dies
    assert recover_stalled_tasks(now=later) == {"requeued": 0, "failed": 1}
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert "TaskAbandoned" in row.exception_class_path


@pytest.mark.django_db
def test_an_email_sent_before_its_worker_died_is_not_sent_again(
    settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            to=["mo@barnet.example.org"],
            subject="A new request for West Hub",
            template="accounts/email/reset.txt",
            context={"what": "Test.", "link": "x", "days": 3},
        )
    run_tasks()
    assert len(mail.outbox) == 1
    # The worker sent it, then died before marking the task done.
    task = DBTaskResult.objects.get()
    task.status = TaskResultStatus.RUNNING
    task.started_at = timezone.now() - timedelta(hours=1)
    task.save()
    assert recover_stalled_tasks()["requeued"] == 1
    run_tasks()
    assert len(mail.outbox) == 1
    assert SentEmail.objects.count() == 1


@pytest.mark.django_db
def test_an_email_that_failed_to_send_is_sent_by_its_retry(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    from earlyhelp import email

    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("mail server unavailable")
        return mail.send_mail(*args, **kwargs)

    monkeypatch.setattr(email, "send_mail", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            to=["mo@barnet.example.org"],
            subject="Subject",
            template="accounts/email/reset.txt",
            context={"what": "Test.", "link": "x", "days": 3},
        )
    run_tasks()  # fails, and queues its retry a minute later with the same key
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())
    run_tasks()
    assert len(mail.outbox) == 1
    assert SentEmail.objects.count() == 1
