from django.core.management.base import BaseCommand

from directory.digest import send_digests


class Command(BaseCommand):
    help = (
        "Email each hub manager a digest of listings due for a check, open reports and "
        "proposed changes. Run weekly (cron, or your platform's scheduler); the emails are "
        "queued for the task worker."
    )

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"listing digests queued: {sent}")
