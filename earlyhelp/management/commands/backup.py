"""`make backup`: a timestamped pg_dump -Fc of the database in backups/ (git-ignored)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.backup import BACKUP_DIR, BackupError, backup


class Command(BaseCommand):
    help = "Write a timestamped pg_dump (custom format) of the database to backups/."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=BACKUP_DIR, help="Where to write it.")

    def handle(self, *args, dir: Path, **options):
        try:
            path = backup(dir)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = path.stat().st_size / 1_000_000
        self.stdout.write(f"Backed up to {path} ({size:.1f} MB)")
