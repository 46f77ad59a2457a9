"""`make bench` (public pages): what the public pages cost, as a share of a trivial view.

For each size (Barnet's own listings, then 1k, 10k and 100k synthetic services besides) it builds
a separate benchmark database on the same PostgreSQL server, serves the app with gunicorn
(2 workers, DEBUG off, persistent connections), drives it from a second process (wrk with
scripts/wrk_report.lua where wrk is installed, as #18 measured; else earlyhelp.loadgen; 4
keep-alive connections) and prints requests/second and latency for
find-your-hub, a service page, the ORUK services list and seven kinds of search, each as a share
of /healthz's requests/second measured just before and after it (the mean of the two): on a
shared machine the speed drifts over a run, which a single /healthz figure put into every ratio.
The summary is the table of ratios #18 set goals for. The last kind asks from another postcode in
the borough each time (a file of POSTCODES paths, PATHS in the commands shown), so what a search
keeps for its postcode is not there yet.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from urllib.parse import quote_plus

from django.conf import settings
from django.core.management.base import BaseCommand

BENCH_DATABASE = "earlyhelp_bench"
# A word in no listing; one only a real Barnet listing uses (Khulisa runs Parent Champions); and
# the most common word of the synthetic listings (in nearly every description).
# (page, goal as a share of /healthz's requests/second at Barnet's size, at 100k)
PAGES = [
    ("find your hub", "/find-your-hub/?postcode=N2+8LG", 0.35, 0.35),
    ("a service page", "{service}", 0.3, 0.3),
    ("ORUK services list", "/api/openreferral/services", 0.3, 0.3),
]
SEARCH_GOALS = (0.15, 0.1)  # searches with a postcode
KINDS = [
    ("no match", "q=xyzzyqq"),
    ("rare term", "q=khulisa"),
    ("common term", "q=play"),
    ("no match + postcode", "q=xyzzyqq&postcode=N2+8LG"),
    ("rare term + postcode", "q=khulisa&postcode=NW9+5TQ"),
    ("common term + postcode", "q=play&postcode=N2+8LG"),
    # No goal: each request from another of POSTCODES postcodes in the borough, so nothing a
    # search keeps for its postcode (the count nearby, #18) is there yet.
    (NEW_POSTCODES := "common + a new postcode", "q=play&postcode={postcode}"),
]
POSTCODES = 2000


HEALTHZ = "trivial view (/healthz)"

# wrk (Debian's package) drives the load where it is installed, with a script printing the figures.
WRK = shutil.which("wrk")
WRK_SCRIPT = "scripts/wrk_report.lua"
WRK_PATHS_SCRIPT = "scripts/wrk_paths.lua"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Command(BaseCommand):
    help = "Benchmark the service search at several sizes (see module docstring)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="0,1000,10000,100000")
        parser.add_argument("--seconds", type=float, default=5.0)
        parser.add_argument("--concurrency", type=int, default=4)

    def handle(self, *args, sizes: str, seconds: float, concurrency: int, **options):
        root = Path(settings.BASE_DIR)
        python = sys.executable
        env = {**os.environ, "DJANGO_ENV": "development", "DEBUG": "false"}
        if env.get("DATABASE_URL"):
            base, _, _ = env["DATABASE_URL"].rpartition("/")
            env["DATABASE_URL"] = f"{base}/{BENCH_DATABASE}"
            create = None
        else:
            env["EMBEDDED_DATABASE_NAME"] = BENCH_DATABASE
            create = True
        results: dict[int, dict[str, dict]] = {}
        for size in [int(s) for s in sizes.split(",")]:
            self._reset_database(env, create)
            started = time.monotonic()
            steps = [["migrate", "--no-input", "-v", "0"], ["load_council_data", "-v", "0"]]
            if size:
                steps.append(["generate_services", "--count", str(size)])
            for step in steps:
                subprocess.run([python, "manage.py", *step], cwd=root, env=env, check=True,
                               stdout=subprocess.DEVNULL)  # fmt: skip
            self.stdout.write(f"\n{size:,} synthetic services (+ Barnet's), built in "
                              f"{time.monotonic() - started:.0f} s")  # fmt: skip
            results[size] = self._measure(root, env, seconds, concurrency)
        self._summarise(results)

    def _reset_database(self, env, create) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}" WITH (FORCE)')
            if not create:
                cursor.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')

    def _measure(self, root, env, seconds, concurrency) -> dict[str, dict]:
        port = free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "earlyhelp.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=root, env=env,
        )  # fmt: skip
        try:
            self._wait_for(port)
            figures: dict[str, dict] = {}
            service = subprocess.run(
                [sys.executable, "manage.py", "shell", "-v", "0", "-c",
                 "from directory.models import Service; "
                 "print(Service.objects.published().get(key='early-help-hubs').get_absolute_url())"],
                cwd=root, env=env, check=True, capture_output=True, text=True,
            ).stdout.split()[-1]  # fmt: skip
            cases = [(name, path.format(service=service)) for name, path, *_ in PAGES] + [
                (kind, f"/services/?{query}") for kind, query in KINDS
            ]
            run = partial(subprocess.run, cwd=root, check=True, capture_output=True, text=True)
            paths = Path(tempfile.mkstemp(prefix="bench-paths-", suffix=".txt")[1])
            postcodes = run(
                [sys.executable, "manage.py", "shell", "-v", "0", "-c",
                 "from hubs.models import Postcode; from django.db.models.functions import MD5; "
                 "print('|'.join(Postcode.objects.filter(local_authority_name='Barnet')"
                 f".order_by(MD5('postcode')).values_list('postcode', flat=True)[:{POSTCODES}]))"],
                env=env,
            ).stdout.split()[-1].split("|")  # fmt: skip
            paths.write_text("".join(
                f"/services/?{query}\n".replace("{postcode}", quote_plus(postcode))
                for kind, query in KINDS if kind == NEW_POSTCODES for postcode in postcodes
            ))  # fmt: skip

            def load(path: str, length: float) -> dict:
                url = f"http://127.0.0.1:{port}{path}"
                first = url.replace("{postcode}", "N2+8LG")
                run(self._load(first, 1, concurrency))  # warm up
                if "{postcode}" in path:  # a new postcode for each request
                    out = run(self._load(first, length, concurrency, paths=paths)).stdout
                else:
                    out = run(self._load(url, length, concurrency)).stdout
                return json.loads(out.strip().splitlines()[-1])

            # /healthz before every page and after the last: each page is measured against the
            # mean of the two beside it, as a shared machine's speed drifts over a run (#18).
            beside = max(1, round(seconds / 2))  # wrk takes whole seconds
            healthz = [load("/healthz", beside)]
            for kind, path in cases:
                f = figures[kind] = load(path, seconds)
                healthz.append(load("/healthz", beside))
                f["healthz_rps"] = (healthz[-2]["rps"] + healthz[-1]["rps"]) / 2
                shown = f"'http://127.0.0.1:PORT{path}'".replace("{postcode}", "N2+8LG")
                f["command"] = " ".join(self._load(
                    shown, seconds, concurrency, shown=True,
                    paths=Path("PATHS") if "{postcode}" in path else None,
                ))  # fmt: skip
                self.stdout.write(
                    f"  {kind:<26} {f['rps']:>7.1f} req/s  median {f['median_ms']:>7.1f} ms  "
                    f"p95 {f['p95_ms']:>7.1f} ms  errors {f['errors']}  "
                    f"(/healthz beside it {f['healthz_rps']:.0f} req/s)  ({path})"
                )
            url_shown = "'http://127.0.0.1:PORT/healthz'"
            figures[HEALTHZ] = {
                "rps": sum(h["rps"] for h in healthz) / len(healthz),
                "command": " ".join(self._load(url_shown, beside, concurrency, shown=True)),
            }
            return figures
        finally:
            server.terminate()
            server.wait(timeout=30)
            paths.unlink(missing_ok=True)

    @staticmethod
    def _load(
        url: str, seconds: float, concurrency: int, shown: bool = False, paths: Path | None = None
    ) -> list[str]:
        """The load for one row: wrk (as #18 measured), else earlyhelp.loadgen, which needs
        nothing installed but takes more of the machine's CPU from the server it measures.
        With `paths`, a file of paths asked for in turn."""
        if WRK:
            name = WRK_PATHS_SCRIPT if paths else WRK_SCRIPT
            script = name if shown else str(Path(settings.BASE_DIR) / name)
            command = ["wrk", f"-c{concurrency}", "-t2", f"-d{seconds:g}s", "-s", script, url]
            return command + (["--", "PATHS" if shown else str(paths)] if paths else [])
        python = "python" if shown else sys.executable
        return [python, "-m", "earlyhelp.loadgen", url, "--seconds", f"{seconds:g}",
                "--concurrency", str(concurrency)] + (
            ["--paths", "PATHS" if shown else str(paths)] if paths else [])  # fmt: skip

    def _wait_for(self, port: int) -> None:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def _summarise(self, results) -> None:
        """The table of ratios to /healthz (measured beside each page), with each goal."""
        sizes = sorted(results)

        def label(size: int) -> str:
            return "Barnet" if size == 0 else f"+{size // 1000}k"

        rows = [(name, goals) for name, _, *goals in PAGES] + [
            (kind, SEARCH_GOALS if "postcode" in kind and kind != NEW_POSTCODES else None)
            for kind, _ in KINDS
        ]
        self.stdout.write(
            "\nRequests/second as a share of /healthz's, measured just before and after each page "
            f"(gunicorn, 2 workers, DEBUG off; {'wrk' if WRK else 'loadgen'}, 4 connections):"
        )
        header = f"  {'page':<26} {'goal':>10}" + "".join(f"{label(s):>9}" for s in sizes)
        self.stdout.write(header)
        self.stdout.write(
            f"  {'/healthz req/s (mean)':<26} {'':>10}"
            + "".join(f"{results[s][HEALTHZ]['rps']:>9.0f}" for s in sizes)
        )
        for name, goals in rows:
            goal = f">= {goals[0]:g}/{goals[1]:g}" if goals else ""
            shares = "".join(
                f"{results[s][name]['rps'] / results[s][name]['healthz_rps']:>9.2f}" for s in sizes
            )
            self.stdout.write(f"  {name:<26} {goal:>10}{shares}")
        if len(sizes) > 1:
            small = min(s for s in sizes if s) if any(sizes) else sizes[0]
            large = sizes[-1]
            self.stdout.write(f"\np95 at {large:,} / p95 at {small:,} (goal <= 1.5):")
            for kind, _ in KINDS:
                ratio = results[large][kind]["p95_ms"] / results[small][kind]["p95_ms"]
                self.stdout.write(f"  {kind:<26} {ratio:.2f}")
        self.stdout.write(
            "\nEach row's load, against the server this command starts (PATHS: a file of "
            f"{POSTCODES:,} such paths, each with a postcode in Barnet):"
        )
        for name, _goals in [(HEALTHZ, None), *rows]:
            self.stdout.write(f"  {name:<26} {results[sizes[0]][name]['command']}")
