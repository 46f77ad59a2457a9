"""`manage.py bench_reports [--families 20000] [--audit-events 1000000]`: how long the
financial-year scorecard takes at a council's size.

Tops the database up to --families sample families (``generate_caseload``, seed 20261) and
--audit-events audit rows (one INSERT ... SELECT generate_series), refreshes the planner's
statistics, then renders the scorecard for the latest complete financial year five times and
prints the median and largest time and the number of queries (goal: 1 s). Development only:
run it against the bench database (``make bench`` does).
"""

import shlex
import statistics
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.models import AuditEvent
from referrals.generate import generate_caseload
from referrals.models import Household, SupportRequest
from reports import periods
from reports.scorecard import Scope, scorecard

GOAL_SECONDS = 1.0
SEED = 20261


class Command(BaseCommand):
    help = "Time the financial-year scorecard at 20,000 families (see the module docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--families", type=int, default=20_000)
        parser.add_argument("--audit-events", type=int, default=1_000_000)

    def handle(self, *args, families: int, audit_events: int, **options):
        if settings.PRODUCTION:
            raise CommandError("Benchmarks write sample data: development only.")
        have = Household.objects.filter(is_sample=True).count()
        if have < families:
            started = time.monotonic()
            self.stdout.write(f"Generating {families - have} more sample families...")
            generate_caseload(families=families - have, seed=SEED + have)
            self.stdout.write(f"  done in {time.monotonic() - started:.0f} s")
        missing = audit_events - AuditEvent.objects.count()
        if missing > 0:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO earlyhelp_auditevent (at, action, record_type, record_id, detail)"
                    " SELECT now() - (n || ' minutes')::interval, 'episode.viewed', 'episode',"
                    " md5(n::text), '{}'::jsonb FROM generate_series(1, %s) AS n",
                    [missing],
                )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        today = timezone.localdate()
        year = periods.financial_year_of(today) - 1
        period = periods.financial_year(year)
        timings, queries = [], 0
        for _ in range(5):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                sections = scorecard(period, Scope())
            timings.append(time.perf_counter() - started)
            queries = len(captured)
        contacts = SupportRequest.objects.count()
        self.stdout.write("")
        self.stdout.write("Scorecard benchmark (the financial-year board scorecard, every hub)")
        self.stdout.write(f"  command: {shlex.join(['manage.py', *sys.argv[1:]])}")
        self.stdout.write(
            f"  data: {Household.objects.count():,} families, {contacts:,} contacts, "
            f"{AuditEvent.objects.count():,} audit events"
        )
        self.stdout.write(
            f"  {period.label}: {len(sections)} sections, {queries} queries, "
            f"median {statistics.median(timings):.2f} s, largest {max(timings):.2f} s "
            f"(goal {GOAL_SECONDS:.0f} s: {'met' if max(timings) <= GOAL_SECONDS else 'NOT met'})"
        )
