"""Sample case data for development and reports (see referrals/generate.py). Never in production."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from referrals.generate import generate_caseload


class Command(BaseCommand):
    help = (
        "Add N sample households with two years of contacts, decisions and episodes (marked "
        "sample data). Running again with the same --seed adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--families", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, families: int, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("Sample case data is for development only (DJANGO_ENV=production).")
        if not 1 <= families <= 100_000:
            raise CommandError("--families must be between 1 and 100,000.")
        started = time.monotonic()
        summary = generate_caseload(families=families, seed=seed)
        self.stdout.write(f"{summary} ({time.monotonic() - started:.1f} s)")
