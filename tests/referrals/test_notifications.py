"""Emails go after the change commits, carry no family details, and are retried on failure."""

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from referrals.notifications import notify
from tests.tasks import run_tasks

pytestmark = pytest.mark.django_db


def test_nothing_is_queued_when_the_change_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(
            to=["a@example.org"],
            subject="s",
            template="referrals/email/decision.txt",
            context={"reference": "EH-2026-000001", "decision": "d", "url": "u"},
        )
    assert len(callbacks) == 1  # waits for the commit
    assert not DBTaskResult.objects.exists()


def test_a_failed_send_is_tried_again_later(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.referrals.test_notifications.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            to=["a@example.org"],
            subject="s",
            template="referrals/email/decision.txt",
            context={"reference": "EH-2026-000001", "decision": "d", "url": "u"},
        )
    first = run_tasks()
    assert len(first) == 1
    retry = DBTaskResult.objects.ready().get() if DBTaskResult.objects.ready().exists() else None
    queued = DBTaskResult.objects.exclude(pk=first[0].pk).get()
    assert queued.args_kwargs["kwargs"]["attempt"] == 2
    assert queued.run_after > first[0].enqueued_at
    assert retry is None  # not before its time
    assert mail.outbox == []


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP server unreachable")
