from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import DateField, ExpressionWrapper, F
from django.utils import timezone

from directory.models import Registration
from earlyhelp import audit

# Kept a little after the last session, for follow-up and the attendance count.
KEEP_DAYS_AFTER_END = 28


class Command(BaseCommand):
    help = (
        f"Delete parents' course registrations {KEEP_DAYS_AFTER_END} days after the course's "
        "last session, as the privacy notice promises. Run daily."
    )

    def handle(self, *args, **options):
        cutoff = timezone.localdate() - timedelta(days=KEEP_DAYS_AFTER_END)
        last_session = ExpressionWrapper(
            F("course__start_date") + (F("course__sessions") - 1) * timedelta(weeks=1),
            output_field=DateField(),
        )
        old = Registration.objects.annotate(last_session=last_session).filter(
            last_session__lt=cutoff
        )
        count, _ = old.delete()
        audit.record(None, "registrations.pruned", None, count=count)
        self.stdout.write(f"course registrations deleted: {count}")
