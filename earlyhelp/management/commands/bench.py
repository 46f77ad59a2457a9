"""`make bench`: figures for the paths that matter, measured on this machine's database.

Everything runs inside a transaction that is rolled back, so benchmarking leaves no trace
(no coverage-gap counts, no reloaded data).
"""

import random
import statistics
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hubs import councils, loaders
from hubs.models import DataRelease, Postcode
from hubs.postcodes import parse
from hubs.services import find_hub


class Rollback(Exception):
    pass


def measure(label: str, calls: list[Callable[[], object]], write: Callable[[str], None]) -> None:
    timings = []
    with CaptureQueriesContext(connection) as queries:
        for call in calls:
            start = time.perf_counter()
            call()
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    per_second = 1000 * len(timings) / sum(timings)
    write(
        f"{label:<50} n={len(timings):>5}  median {statistics.median(timings):6.2f} ms  "
        f"p95 {p95:6.2f} ms  max {timings[-1]:7.2f} ms  "
        f"queries/op {len(queries) / len(timings):.2f}  ops/s {per_second:7.1f}"
    )


class Command(BaseCommand):
    help = "Print performance figures for hub lookups, pages and the data loader."

    def add_arguments(self, parser):
        parser.add_argument("--lookups", type=int, default=2000)
        parser.add_argument("--requests", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, lookups: int, requests: int, seed: int, **options):
        rng = random.Random(seed)  # noqa: S311 - sampling for a benchmark, not security
        council = councils.current().ons_code
        barnet = list(
            Postcode.objects.filter(local_authority_code=council).values_list("postcode", flat=True)
        )
        others = list(
            Postcode.objects.exclude(local_authority_code=council).values_list(
                "postcode", flat=True
            )
        )
        mixed = rng.sample(barnet, min(lookups, len(barnet)))
        outside = rng.sample(others, min(lookups // 4, len(others)))
        client = Client()
        write = self.stdout.write
        write(f"PostgreSQL {connection.pg_version // 10000}; {len(barnet)} council postcodes")
        pages = rng.sample(mixed, min(requests, len(mixed)))
        hubs = ["west", "east-central", "south"] * 20
        districts = ["HA8", "NW9", "N20", "NW4", "SW1A"] * 40

        def reload_gazetteer():
            DataRelease.objects.all().delete()
            loaders.load_postcodes()
            loaders.load_districts()

        cases = [
            ("find_hub(): council postcodes", [lambda p=p: find_hub(parse(p)) for p in mixed]),
            (
                "find_hub(): other councils' postcodes",
                [lambda p=p: find_hub(parse(p)) for p in outside],
            ),
            ("find_hub(): districts alone", [lambda d=d: find_hub(parse(d)) for d in districts]),
            (
                "GET /find-your-hub/?postcode= (whole page)",
                [lambda p=p: client.get("/find-your-hub/", {"postcode": p}) for p in pages],
            ),
            (
                "GET /hubs/<slug>/ (areas and wards)",
                [lambda s=s: client.get(f"/hubs/{s}/") for s in hubs],
            ),
            ("load the gazetteer (41,790 postcodes + districts)", [reload_gazetteer]),
        ]
        try:
            with transaction.atomic():
                for label, calls in cases:
                    measure(label, calls, write)
                raise Rollback
        except Rollback:
            pass
