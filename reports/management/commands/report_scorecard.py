"""`manage.py report_scorecard --from YYYY-MM-DD --to YYYY-MM-DD --output FILE`: the scorecard's
headline measures as measure,breakdown,value rows (all, by hub and by month). For a scheduled
run."""

import csv
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from earlyhelp import audit
from reports import periods
from reports.scorecard import Scope, measure_rows


class Command(BaseCommand):
    help = "Write the scorecard's measures for a period as CSV (measure,breakdown,value)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="the CSV file to write")

    def handle(self, *args, start, end, output, **options):
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError:
            raise CommandError("--from and --to must be dates like 2026-04-01") from None
        if last < first:
            raise CommandError("--to must be on or after --from")
        rows = measure_rows(periods.custom(first, last), Scope())
        with open(output, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["measure", "breakdown", "value"])
            writer.writerows(rows)
        audit.record(None, "report.exported", None, report="scorecard", start=start, end=end)
        self.stdout.write(f"Wrote {len(rows)} rows to {output}")
