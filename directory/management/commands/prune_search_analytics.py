from django.core.management.base import BaseCommand

from directory.analytics import retention_cutoff, retention_months
from directory.models import RecordedSearch


class Command(BaseCommand):
    help = (
        "Delete recorded searches of the directory older than SEARCH_ANALYTICS_MONTHS "
        "(13 by default). Run daily."
    )

    def handle(self, *args, **options):
        cutoff = retention_cutoff()
        count, _ = RecordedSearch.objects.filter(searched_on__lt=cutoff).delete()
        self.stdout.write(
            f"recorded searches older than {retention_months()} months deleted: {count}"
        )
