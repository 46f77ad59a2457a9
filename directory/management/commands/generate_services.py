from django.core.management.base import BaseCommand, CommandError

from directory.generate import generate_services


class Command(BaseCommand):
    help = "Add N synthetic services (marked sample data) across the council, for scale tests."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, count: int, seed: int, **options):
        if not 1 <= count <= 1_000_000:
            raise CommandError("--count must be between 1 and 1,000,000.")
        made = generate_services(count, seed=seed)
        self.stdout.write(self.style.SUCCESS(f"Added {made} synthetic services."))
