import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from earlyhelp.schedule import JOBS, run_due


class Command(BaseCommand):
    help = (
        "Run the scheduled jobs (earlyhelp/schedule.py) when they are due: recovering tasks, "
        "clearing expired sessions, reminders and pruning. --once runs what is due and stops."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is due, then stop.")
        parser.add_argument(
            "--interval", type=float, default=60, help="Seconds between checks (default 60)."
        )

    def handle(self, *args, once=False, interval=60, **options):
        if once:
            ran = run_due()
            self.stdout.write(f"Ran {len(ran)} of {len(JOBS)} jobs: {', '.join(ran) or 'none due'}")
            return
        self.stdout.write(f"Scheduler started: {len(JOBS)} jobs, checking every {interval:g}s.")
        while True:
            close_old_connections()
            run_due()
            time.sleep(interval)
