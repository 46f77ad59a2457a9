"""The jobs the scheduler (`manage.py run_schedule`, started beside the worker by `make run`)
runs, and how often. A council can run the same commands from cron instead."""

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from earlyhelp.models import JobRun
from hubs import councils
from hubs.models import Council

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    command: tuple[str, ...]
    every: timedelta
    # Run once for each council, inside its scope (hubs/councils.py), rather than once.
    per_council: bool = True


JOBS = [
    Job("recover_tasks", ("recover_tasks",), timedelta(minutes=5), per_council=False),
    # Expired sessions hold abandoned drafts and CSV imports waiting to be checked.
    Job("clearsessions", ("clearsessions",), timedelta(days=1), per_council=False),
    Job("send_episode_reminders", ("send_episode_reminders",), timedelta(days=1)),
    Job("check_sustainment", ("check_sustainment",), timedelta(days=1)),
    Job("prune_course_registrations", ("prune_course_registrations",), timedelta(days=1)),
    Job("prune_search_analytics", ("prune_search_analytics",), timedelta(days=1)),
    Job("apply_retention", ("apply_retention",), timedelta(days=1)),
    Job("send_listing_digests", ("send_listing_digests",), timedelta(days=7)),
]


def run(job: Job) -> None:
    """The job's command, once for each council (or once, across councils)."""
    if not job.per_council:
        with councils.every_council():
            call_command(*job.command, verbosity=0)
        return
    with councils.every_council():
        every = list(Council.objects.order_by("slug"))
    for council in every:
        with councils.acting_for(council):
            call_command(*job.command, verbosity=0)


def _claim(job: Job, now: datetime) -> bool:
    """Mark the job started if it is due and no other scheduler holds it."""
    JobRun.objects.get_or_create(name=job.name)
    with transaction.atomic():
        run = JobRun.objects.select_for_update(skip_locked=True).filter(name=job.name).first()
        if run is None or (run.started_at and run.started_at + job.every > now):
            return False
        run.started_at = now
        run.save(update_fields=["started_at"])
    return True


def run_due(now: datetime | None = None, jobs=None) -> list[str]:
    """Run every job that is due; returns the names of those run."""
    ran = []
    for job in jobs or JOBS:
        if not _claim(job, now or timezone.now()):
            continue
        started = time.monotonic()
        try:
            run(job)
        except Exception as error:  # noqa: BLE001 - one failing job must not stop the others
            outcome = f"failed: {type(error).__name__}"
            logger.exception("Scheduled job %s failed", job.name)
        else:
            outcome = "ok"
        seconds = time.monotonic() - started
        JobRun.objects.filter(name=job.name).update(
            finished_at=timezone.now(), outcome=f"{outcome} in {seconds:.1f}s"
        )
        logger.info("Scheduled job %s: %s in %.1fs", job.name, outcome, seconds)
        ran.append(job.name)
    return ran
