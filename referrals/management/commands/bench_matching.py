"""`manage.py bench_matching [--people 100000]`: how fast matching finds a child among many.

Makes sure there are at least --people sample children (households and children added in bulk,
numbered from their sequences, at the council's real postcodes; a second run reuses them),
refreshes the planner's statistics, then times ``records.find_matches`` for probes of three kinds,
each made from a child already there:

- exact duplicate: the same names, date of birth and postcode;
- typo in the last name: one letter changed, the rest the same;
- same name, other date of birth: another child of the same name elsewhere.

It prints p50, p95 and the largest time per kind (target: p95 <= 50 ms), how often the child the
probe came from was proposed, and the top of the plan for one probe, to show which indexes
answer it. Development only: it writes sample children into the database it runs against.
"""

import random
import shlex
import statistics
import sys
import time
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from referrals import records
from referrals.generate import Names, council_places, sequence_numbers
from referrals.models import Child, Household

TARGET_P95_MS = 50
KINDS = ["exact duplicate", "typo in the last name", "same name, other date of birth"]


class Command(BaseCommand):
    help = "Time matching (records.find_matches) against N sample children (see module docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=100_000)
        parser.add_argument("--probes", type=int, default=200, help="Probes of each kind")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, people: int, probes: int, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("The matching benchmark is for development only.")
        if not 1 <= people <= 2_000_000 or not 1 <= probes <= 10_000:
            raise CommandError("--people must be 1 to 2,000,000 and --probes 1 to 10,000.")
        rng = random.Random(seed)  # noqa: S311 - sample data, not security
        self.stdout.write(f"Command: {shlex.join(['manage.py', *sys.argv[1:]])}")

        started = time.monotonic()
        added = self._ensure_children(people, rng)
        built = time.monotonic() - started
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Child._meta.db_table}")
        analysed = time.monotonic() - started
        total = Child.objects.filter(is_sample=True).count()
        self.stdout.write(
            f"Sample children: {total:,} ({added:,} added in {built:.1f} s); "
            f"ANALYZE {analysed:.1f} s. Probes: {probes} of each kind, after 20 to warm up."
        )

        cases = self._probes(probes, rng)
        for details, _ in cases[KINDS[0]][:20]:
            records.find_matches(details)
        self.stdout.write("")
        self.stdout.write(f"{'kind':<32}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'found':>8}")
        missed = []
        for kind in KINDS:
            times, found = [], 0
            for details, child_id in cases[kind]:
                began = time.perf_counter()
                matches = records.find_matches(details)
                times.append((time.perf_counter() - began) * 1000)
                found += any(m.child.pk == child_id for m in matches)
            p50 = statistics.median(times)
            p95 = statistics.quantiles(times, n=20, method="inclusive")[-1]
            if p95 > TARGET_P95_MS:
                missed.append(kind)
            self.stdout.write(
                f"{kind:<32}{p50:>9.1f}{p95:>9.1f}{max(times):>9.1f}{found / len(times):>8.0%}"
            )
        verdict = f"NOT met for: {', '.join(missed)}" if missed else "met for every kind"
        self.stdout.write(f"\nTarget p95 <= {TARGET_P95_MS} ms: {verdict}.")
        self._explain(cases[KINDS[1]][0][0])

    @transaction.atomic
    def _ensure_children(self, people: int, rng: random.Random) -> int:
        """Add sample households of one to four children until there are ``people`` sample
        children, with names from the same origins as the sample caseload."""
        wanted = people - Child.objects.filter(is_sample=True).count()
        if wanted <= 0:
            return 0
        names = Names(rng)
        places = [place.postcode for place in council_places()]
        today = date.today()
        households, children = [], []
        while len(children) < wanted:
            origin = names.origin()
            surname = names.surname(origin)
            postcode = rng.choice(places)
            household = Household(number=0, postcode=postcode, is_sample=True)
            households.append(household)
            for _ in range(min(rng.choice([1, 1, 2, 2, 2, 3, 3, 4]), wanted - len(children))):
                sex = rng.choice(["female", "male"])
                children.append(
                    Child(
                        number=0,
                        household=household,
                        first_name=names.first(origin, sex),
                        last_name=surname,
                        date_of_birth=today - timedelta(days=rng.randint(0, 18 * 365)),
                        postcode=postcode,
                        sex=sex,
                        is_sample=True,
                    )
                )
        for household, number in zip(
            households, sequence_numbers("referrals_household_seq", len(households)), strict=True
        ):
            household.number = number
        for child, number in zip(
            children, sequence_numbers("referrals_child_seq", len(children)), strict=True
        ):
            child.number = number
        Household.objects.bulk_create(households, batch_size=5000)
        Child.objects.bulk_create(children, batch_size=5000)
        return len(children)

    def _probes(self, probes: int, rng: random.Random) -> dict[str, list]:
        ids = list(
            Child.objects.filter(is_sample=True, merged_into=None)
            .exclude(date_of_birth=None)
            .order_by("number")
            .values_list("pk", flat=True)
        )
        chosen = rng.sample(ids, k=min(len(ids), probes * len(KINDS)))
        rows = Child.objects.filter(pk__in=chosen).in_bulk()
        children = [rows[pk] for pk in chosen]
        postcodes = [child.postcode for child in children]
        cases = {kind: [] for kind in KINDS}
        for index, child in enumerate(children):
            kind = KINDS[index % len(KINDS)]
            first, last, born = child.first_name, child.last_name, child.date_of_birth
            if kind == KINDS[0]:
                details = records.Details(first, last, born, child.postcode)
            elif kind == KINDS[1]:
                details = records.Details(first, typo(last, rng), born, child.postcode)
            else:
                other = born + timedelta(days=rng.choice([-1, 1]) * rng.randint(30, 2000))
                details = records.Details(first, last, other, rng.choice(postcodes))
            cases[kind].append((details, child.pk))
        return cases

    def _explain(self, details: records.Details) -> None:
        """The plan of one probe's query: its top node and the scans beneath it."""
        with CaptureQueriesContext(connection) as captured:
            records.find_matches(details)
        sql = captured.captured_queries[0]["sql"]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = [line for (line,) in cursor.fetchall()]
        self.stdout.write(
            f"\nPlan for one probe ({KINDS[1]}: {details.first_name} {details.last_name}), "
            "top node and scans:"
        )
        shown = [plan[0]] + [line for line in plan[1:] if "Scan" in line or "BitmapOr" in line]
        for line in shown + [line for line in plan if line.startswith("Execution Time")]:
            self.stdout.write(f"  {line}")


def typo(name: str, rng: random.Random) -> str:
    """``name`` with one letter changed to another."""
    places = [i for i, c in enumerate(name) if c.isalpha()]
    if not places:
        return name + "a"
    at = rng.choice(places)
    letters = [c for c in "abcdefghijklmnopqrstuvwxyz" if c != name[at].lower()]
    new = rng.choice(letters)
    return name[:at] + (new.upper() if name[at].isupper() else new) + name[at + 1 :]
