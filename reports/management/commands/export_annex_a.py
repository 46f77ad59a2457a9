"""`manage.py export_annex_a --at YYYY-MM-DD --output FILE`: Ofsted's Annex A list 2 (early
help), the same file as the download on /reports/returns/. For a scheduled run."""

import csv
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from earlyhelp import audit
from reports import returns


class Command(BaseCommand):
    help = "Write Ofsted ILACS Annex A list 2 (early help) as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--at", required=True, help="the date the list runs to, YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="the CSV file to write")

    def handle(self, *args, at, output, **options):
        try:
            day = date.fromisoformat(at)
        except ValueError:
            raise CommandError("--at must be a date like 2027-03-31") from None
        rows = returns.annex_a_rows(day)
        with open(output, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(returns.ANNEX_A_COLUMNS)
            writer.writerows(rows)
        audit.record(None, "return.exported", None, report="annex_a", at=at, rows=len(rows))
        self.stdout.write(f"Wrote {len(rows)} rows to {output}")
