"""Run a council's command (reminders, retention, digests...) once for each council, inside its
scope: `manage.py for_each_council apply_retention`. The scheduler does this itself
(earlyhelp/schedule.py); this is for a council that runs the jobs from cron instead."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from hubs import councils
from hubs.models import Council


class Command(BaseCommand):
    help = "Run a management command once for each council (or for the ones named)."

    def add_arguments(self, parser):
        parser.add_argument("command", help="The command to run, like apply_retention")
        parser.add_argument("--council", action="append", help="A council's slug; repeatable")

    def handle(self, *args, command: str, council: list[str] | None, verbosity: int, **options):
        with councils.every_council():
            chosen = Council.objects.order_by("slug")
            if council:
                chosen = chosen.filter(slug__in=council)
            chosen = list(chosen)
        for each in chosen:
            if verbosity:
                self.stdout.write(f"{each.name}: {command}")
            with councils.acting_for(each):
                call_command(command, verbosity=verbosity)
