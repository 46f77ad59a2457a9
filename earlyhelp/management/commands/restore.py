"""`make restore FILE=...`: restore a backup into a new database on the same server."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from earlyhelp.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into a new database on the same server, "
        "leaving the live database untouched."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", help="The new database's name (default: a dated one).")

    def handle(self, *args, file: Path, database: str | None, **options):
        try:
            name = restore(file, database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {file} into the new database {name}.\n"
            f"Check it, then point the portal at it: EMBEDDED_DATABASE_NAME={name} (embedded "
            f"server) or DATABASE_URL=postgres://.../{name}."
        )
