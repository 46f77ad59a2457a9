"""`make bench` (Open Referral part): the ORUK feed's list endpoints at 100,000 services.

Tops the configured database up to --count synthetic services (directory/generate.py, marked
sample data; nothing is added when they are already there), then asks for pages of /services and
/service_at_locations through the Django test client: the first, a middle and the last page at 50
and 200 a page, a search and a postcode. Prints the median time of --repeat requests (after one
to warm up) and the SQL queries each takes.
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from directory.generate import generate_services
from directory.models import Service

# (what, query); "middle" and "last" pages are worked out from the first page's total_pages.
CASES = [
    ("first page", {"per_page": 50}),
    ("middle page", {"per_page": 50, "page": "middle"}),
    ("last page", {"per_page": 50, "page": "last"}),
    ("first page", {"per_page": 200}),
    ("middle page", {"per_page": 200, "page": "middle"}),
    ("last page", {"per_page": 200, "page": "last"}),
    ("search 'play' (common)", {"per_page": 50, "search": "play"}),
    ("search 'play', last page", {"per_page": 50, "search": "play", "page": "last"}),
    ("search 'khulisa' (rare)", {"per_page": 50, "search": "khulisa"}),
    ("postcode N2 8LG", {"per_page": 50, "postcode": "N2 8LG"}),
    ("postcode, last page", {"per_page": 50, "postcode": "N2 8LG", "page": "last"}),
    ("postcode within 1,600 m", {"per_page": 50, "postcode": "N2 8LG", "proximity": 1600}),
    ("search + postcode", {"per_page": 50, "search": "play", "postcode": "N2 8LG"}),
]
ENDPOINTS = ["oruk:services", "oruk:service_at_locations"]


class Command(BaseCommand):
    help = "Benchmark the Open Referral feed's list endpoints (see module docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, count: int, repeat: int, **options):
        if not 1 <= count <= 1_000_000 or repeat < 1:
            raise CommandError("--count must be 1 to 1,000,000 and --repeat at least 1.")
        self._top_up(count)
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(ALLOWED_HOSTS=hosts):
            rows = [
                self._measure(Client(), reverse(name), what, dict(query), repeat)
                for name in ENDPOINTS
                for what, query in CASES
            ]
        self._print(rows, repeat)

    def _top_up(self, count: int) -> None:
        have = Service.objects.filter(key__startswith="synthetic-").count()
        if have >= count:
            self.stdout.write(f"{have:,} synthetic services already there.")
            return
        self.stdout.write(f"Adding {count - have:,} synthetic services to the {have:,} there...")
        started = time.monotonic()
        generate_services(count - have)
        self.stdout.write(f"  done in {time.monotonic() - started:.0f} s.")

    def _measure(self, client: Client, path: str, what: str, query: dict, repeat: int) -> dict:
        if query.get("page") in ("middle", "last"):
            pages = client.get(path, {**query, "page": 1}).json()["total_pages"]
            query["page"] = max(1, pages // 2) if query["page"] == "middle" else max(1, pages)
        client.get(path, query)  # warm up
        times, queries = [], 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(path, query)
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured)
        if response.status_code != 200:
            raise CommandError(f"{path} {query} answered {response.status_code}")
        body = response.json()
        schema_ok = self._valid(body, "/" + path.rsplit("/", 1)[-1])
        return {
            "schema": schema_ok,
            "endpoint": path.rsplit("/", 1)[-1],
            "what": what,
            "per_page": query["per_page"],
            "page": body["page_number"],
            "items": f"{body['size']}/{body['total_items']:,}",
            "median": statistics.median(times),
            "queries": queries,
        }

    @staticmethod
    def _valid(body: dict, operation: str) -> str:
        """Each measured page validated against the ORUK schemas shipped with the tests."""
        try:
            from tests.oruk.validation import assert_valid_page
        except ImportError:  # jsonschema is a development dependency
            return "n/a"
        try:
            assert_valid_page(body, operation)
        except AssertionError as error:
            raise CommandError(f"{operation} does not match the ORUK schema: {error}") from None
        return "valid"

    def _print(self, rows: list[dict], repeat: int) -> None:
        self.stdout.write(f"\nMedian of {repeat} requests (test client, after a warm-up):\n")
        header = (
            f"{'endpoint':<22} {'request':<26} {'per_page':>8} {'page':>6} "
            f"{'items/total':>15} {'median ms':>10} {'queries':>8} {'schema':>7}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in rows:
            self.stdout.write(
                f"{row['endpoint']:<22} {row['what']:<26} {row['per_page']:>8} {row['page']:>6} "
                f"{row['items']:>15} {row['median']:>10.1f} {row['queries']:>8} "
                f"{row['schema']:>7}"
            )
        slow = [row for row in rows if row["median"] > 500]
        if slow:
            self.stdout.write(self.style.WARNING(f"\n{len(slow)} requests took over 500 ms."))
