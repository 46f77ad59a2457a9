from django.core.management.base import BaseCommand

from hubs.models import CoverageGap
from hubs.selectors import uncovered_sectors


class Command(BaseCommand):
    help = "List the council's postcode sectors no hub covers, and areas people looked up there."

    def handle(self, *args, **options):
        sectors = uncovered_sectors()
        total = sum(s.postcodes for s in sectors)
        self.stdout.write(f"Live council postcodes with no coverage rule: {total}")
        for sector in sectors:
            self.stdout.write(
                f"  {sector.sector:<7} {sector.postcodes:>5}  {', '.join(sector.wards)}"
            )
        gaps = CoverageGap.objects.all()
        self.stdout.write(f"Areas looked up with no coverage rule: {len(gaps)}")
        for gap in gaps:
            self.stdout.write(
                f"  {gap.area:<7} {gap.lookups:>5} lookups, last {gap.last_seen:%Y-%m-%d}"
            )
