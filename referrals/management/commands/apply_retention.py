from datetime import date

from django.core.management.base import BaseCommand, CommandError

from referrals.retention import apply_retention

LABELS = {
    "closed_episodes": "closed episodes past their date",
    "requests": "front-door case files (with assessments, requests and decisions)",
    "unsent_drafts": "unsent draft assessments (deleted)",
    "children": "children's own records (names and identifiers)",
    "held": "left alone: a legal hold on the family",
}


class Command(BaseCommand):
    help = (
        "Apply the council's retention schedule (data/<council>/retention.json): anonymise case "
        "files past their date, keeping what reports count. --dry-run only counts. The scheduler "
        "runs it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")
        parser.add_argument("--today", help="The day to apply it as of (YYYY-MM-DD).")

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today must be a date like 2033-04-01") from None
        counts = apply_retention(day, dry_run=dry_run)
        verb = "Would anonymise" if dry_run else "Anonymised"
        self.stdout.write(f"{verb} (retention schedule):")
        for key, label in LABELS.items():
            self.stdout.write(f"  {counts.get(key, 0):>7}  {label}")
