from django.core.management.base import BaseCommand

from referrals.reminders import send_due_reminders, send_overdue_digests


class Command(BaseCommand):
    help = (
        "Remind lead practitioners of TAF meetings and reviews due in TAF_REVIEW_REMINDER_DAYS "
        "(run daily); with --weekly, also email everyone their overdue plan actions (run on "
        "Mondays). Emails are queued for the task worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--weekly", action="store_true", help="also send the overdue digest")

    def handle(self, *args, weekly=False, **options):
        self.stdout.write(f"meeting reminders queued: {send_due_reminders()}")
        if weekly:
            self.stdout.write(f"overdue action digests queued: {send_overdue_digests()}")
