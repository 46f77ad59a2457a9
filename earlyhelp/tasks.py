"""Background tasks left behind: a task a worker claimed (RUNNING) and never finished because the
worker died is queued again after TASK_RUNNING_TIMEOUT_MINUTES, or marked failed once it has
been run TASK_MAX_RUNS times. Emails carry an idempotency key (earlyhelp.email), so running one
again never sends it twice."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


class TaskAbandoned(Exception):
    """Recorded as a task's failure when its workers kept dying."""


def recover_stalled_tasks(now: datetime | None = None) -> dict[str, int]:
    """Queue again (or fail) tasks left RUNNING past the timeout; returns the counts."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.TASK_RUNNING_TIMEOUT_MINUTES)
    counts = {"requeued": 0, "failed": 0}
    with transaction.atomic():
        stalled = DBTaskResult.objects.select_for_update(skip_locked=True).filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        )
        for result in stalled:
            # Task ids and names only: a task's arguments may hold personal details.
            if len(result.worker_ids) >= settings.TASK_MAX_RUNS:
                result.set_failed(
                    TaskAbandoned(f"its worker died on each of {len(result.worker_ids)} runs")
                )
                counts["failed"] += 1
                logger.error("Task %s (%s) abandoned", result.id, result.task_name)
            else:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
                counts["requeued"] += 1
                logger.warning(
                    "Task %s (%s) was left running by worker %s; queued again",
                    result.id,
                    result.task_name,
                    result.worker_ids[-1] if result.worker_ids else "unknown",
                )
    return counts
