"""Several app servers, a task worker and a streaming read replica, run on this one machine (#17).

    python -m earlyhelp.scale serve   # make serve-scale: until Ctrl-C
    python -m earlyhelp.scale bench   # make bench-load (scripts/load.sh): prints the load table

Both start the PostgreSQL pair of scripts/replica.sh (in SCALE_DIR, default .data/scale), then
migrate and load the council's data and the demo staff into the primary. ``serve`` runs gunicorn
app servers on 127.0.0.1:8001 and 8002 (reading from the replica), one task worker
(``manage.py db_worker``) and the scheduler (``manage.py run_schedule``), as `make serve` does.
``bench`` drives wrk at the public journeys against one app server, two, and two reading from the
replica, and prints requests per second and latencies. Both stop the pair when they end (its data
stays in SCALE_DIR for the next run). tests/scale/ start the same pieces through this module.

The app servers run the development settings (DJANGO_ENV=development, so no secrets or TLS are
needed), with DEBUG off for ``bench``.
"""

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REPLICA_SCRIPT = ROOT / "scripts" / "replica.sh"
# Settings a caller's shell may hold that would point the servers elsewhere.
CLEARED = (
    "DATABASE_URL",
    "DATABASE_OWNER_URL",
    "REPLICA_DATABASE_URL",
    "EARLYHELP_DATABASE_ROLE",
    "EMBEDDED_DATABASE_NAME",
    "EMBEDDED_DATA_DIR",
    "MAKEFLAGS",
    "MAKELEVEL",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_pair(directory: Path | None = None) -> dict[str, str]:
    """Start (creating if need be) the primary and its streaming replica; their URLs."""
    env = dict(os.environ, PYTHON=sys.executable)
    if directory is not None:
        env["SCALE_DIR"] = str(directory)
    output = subprocess.run(  # noqa: S603 - our own script
        [str(REPLICA_SCRIPT), "start"],
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        timeout=300,
    ).stdout
    urls = dict(line.split("=", 1) for line in output.splitlines() if "=" in line)
    if set(urls) != {"DATABASE_URL", "REPLICA_DATABASE_URL"}:
        raise RuntimeError(f"scripts/replica.sh printed {output!r}")
    return urls


def stop_pair(directory: Path | None = None, *, delete: bool = False) -> None:
    env = dict(os.environ, PYTHON=sys.executable)
    if directory is not None:
        env["SCALE_DIR"] = str(directory)
    command = [str(REPLICA_SCRIPT), "clean" if delete else "stop"]
    subprocess.run(command, env=env, check=True, timeout=120)  # noqa: S603 - our own script


def environment(urls: dict[str, str], *, replica: bool = True, **extra: str) -> dict[str, str]:
    """The environment of a process of the stack: the primary, and the replica if ``replica``."""
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(DJANGO_ENV="development", DATABASE_URL=urls["DATABASE_URL"])
    if replica:
        env["REPLICA_DATABASE_URL"] = urls["REPLICA_DATABASE_URL"]
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=600)  # noqa: S603 - ours


def prepare(env: dict[str, str]) -> None:
    """Migrate the primary and load the council's data and the demo staff (both idempotent)."""
    env = {key: value for key, value in env.items() if key != "REPLICA_DATABASE_URL"}
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_council_data", "-v", "0")
    manage(env, "load_demo_staff", "-v", "0")


def answers(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own server
            return response.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


class Stack:
    """Processes started for the stack, stopped together (SIGTERM, then SIGKILL)."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def app_server(
        self, port: int, env: dict[str, str], *, workers: int = 2, log_level: str = "info"
    ) -> str:
        """A gunicorn app server on 127.0.0.1:port; its base URL, once /healthz answers."""
        process = self._start(
            [
                str(BIN / "gunicorn"),
                "earlyhelp.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--graceful-timeout=5",
                f"--log-level={log_level}",
                # Each server would otherwise claim the same control socket in ~/.gunicorn.
                "--no-control-socket",
                # The process title names the server, so `ps` tells the two apart.
                f"--name=earlyhelp-{port}",
            ],
            env,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not answers(f"{url}/healthz"):
            if process.poll() is not None:
                raise RuntimeError(f"the app server on port {port} exited ({process.returncode})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app server on port {port} did not answer in 60 s")
            time.sleep(0.2)
        return url

    def task_worker(self, env: dict[str, str]) -> None:
        self._start([sys.executable, "manage.py", "db_worker", "--no-reload"], env)

    def scheduler(self, env: dict[str, str]) -> None:
        self._start([sys.executable, "manage.py", "run_schedule"], env)

    def _start(self, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.processes = []


# --- make serve-scale ---------------------------------------------------------------------------


def serve(args: argparse.Namespace) -> None:
    # Ctrl-C, or the SIGTERM of a service manager, stops the servers and then the databases
    # (SIGINT too when an inherited "ignore" would otherwise leave everything running).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    urls = start_pair()
    try:
        _serve(args, urls)
    finally:
        stop_pair()


def _serve(args: argparse.Namespace, urls: dict[str, str]) -> None:
    env = environment(urls, replica=not args.no_replica)
    prepare(env)
    with Stack() as stack:
        servers = [
            stack.app_server(port, env, workers=args.workers)
            for port in range(args.first_port, args.first_port + args.servers)
        ]
        stack.task_worker(env)
        stack.scheduler(env)
        print(f"App servers: {', '.join(servers)}; a task worker and the scheduler.", flush=True)
        for name in ("DATABASE_URL", "REPLICA_DATABASE_URL"):
            print(f"{name}={env.get(name, '(not used)')}", flush=True)
        print("Ctrl-C stops them and both databases (their data stays).", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while all(p.poll() is None for p in stack.processes):
                time.sleep(1)


# --- make bench-load ----------------------------------------------------------------------------

# wrk prints one JSON line when it is done.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "errors": %d, "seconds": %.3f, "p50_ms": %.2f, "p99_ms": %.2f}\\n',
    summary.requests, errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""

# What each column measures: (label, which of the running app servers it loads).
CONFIGURATIONS = [
    ("1 app server", ("primary-only 1",)),
    ("2 app servers", ("primary-only 1", "primary-only 2")),
    ("2 app servers + replica", ("with replica 1", "with replica 2")),
]


def journeys(base: str) -> list[tuple[str, str]]:
    """The public journeys: a parent's pages and the open data feed (a service page found the
    way a parent finds one, from a search)."""
    search = "/services/?q=toddler&postcode=N2+8LG"
    with urllib.request.urlopen(base + search, timeout=30) as response:  # noqa: S310 - ours
        page = response.read().decode()
    found = re.search(r'href="(/services/[0-9a-f-]{36}/)"', page)
    if found is None:
        raise RuntimeError("the search found no service page to load")
    return [
        ("health check", "/healthz"),
        ("find your hub", "/find-your-hub/?postcode=N2+8LG"),
        ("search (words + postcode)", search),
        ("service page", found.group(1)),
        ("Open Referral feed", "/api/openreferral/services"),
    ]


def wrk(urls: list[str], *, seconds: int, connections: int, script: Path) -> dict:
    """wrk against each URL at once (one process each, the connections shared out); the sum of
    their requests per second, the median of their medians weighted by requests, the worst
    p99."""
    each = max(1, connections // len(urls))
    program = shutil.which("wrk")
    runs = [
        subprocess.Popen(  # noqa: S603 - fixed arguments, our own URLs
            [program, "-t1", f"-c{each}", f"-d{seconds}s", "--timeout=10s", "-s", str(script), url],
            stdout=subprocess.PIPE,
            text=True,
        )
        for url in urls
    ]
    results = []
    for run in runs:
        output, _ = run.communicate(timeout=seconds + 60)
        results.append(json.loads(output.strip().splitlines()[-1]))
    requests = sum(r["requests"] for r in results)
    return {
        "rps": sum(r["requests"] / r["seconds"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "p50_ms": sum(r["p50_ms"] * r["requests"] for r in results) / max(requests, 1),
        "p99_ms": max(r["p99_ms"] for r in results),
    }


def bench(args: argparse.Namespace) -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk; scripts/load.sh does it)")
    urls = start_pair()
    try:
        table, paths = _bench(args, urls)
    finally:
        stop_pair()
    print_table(table, paths, args)


def _bench(args: argparse.Namespace, urls: dict[str, str]) -> tuple[dict, list]:
    """Four app servers run throughout (two reading only the primary, two reading public pages
    from the replica; an idle one costs nothing), and the columns are measured in turn, journey
    by journey, in several rounds: each cell is the median of its rounds, so a load on this
    machine that comes and goes (another program) weighs on every column alike."""
    prepare(environment(urls, replica=False))
    extra = {"DEBUG": "false", "LOG_LEVEL": "WARNING"}
    runs: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as folder, Stack() as stack:
        script = Path(folder) / "report.lua"
        script.write_text(WRK_SCRIPT)
        servers = {}
        for name in ("primary-only 1", "primary-only 2", "with replica 1", "with replica 2"):
            env = environment(urls, replica=name.startswith("with replica"), **extra)
            servers[name] = stack.app_server(
                free_port(), env, workers=args.workers, log_level="warning"
            )
        paths = journeys(servers["primary-only 1"])
        # Warm up: every process fills what it keeps in memory.
        for _, path in paths:
            wrk([base + path for base in servers.values()], seconds=2, connections=8, script=script)
        for round_number in range(1, args.rounds + 1):
            for journey, path in paths:
                for label, names in CONFIGURATIONS:
                    targets = [servers[name] + path for name in names]
                    result = wrk(
                        targets, seconds=args.seconds, connections=args.connections, script=script
                    )
                    runs.setdefault((journey, label), []).append(result)
                    print(
                        f"round {round_number}  {label:<24} {journey:<26} "
                        f"{result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  "
                        f"p99 {result['p99_ms']:7.1f} ms  errors {result['errors']}",
                        file=sys.stderr,
                        flush=True,
                    )
    table: dict[str, dict[str, dict]] = {}
    for (journey, label), results in runs.items():
        table.setdefault(journey, {})[label] = {
            key: statistics.median(r[key] for r in results) for key in ("rps", "p50_ms", "p99_ms")
        } | {"errors": sum(r["errors"] for r in results)}
    return table, paths


def print_table(table: dict, paths: list[tuple[str, str]], args: argparse.Namespace) -> None:
    labels = [label for label, _ in CONFIGURATIONS]
    print(
        f"\nPublic journeys, wrk: {args.connections} connections for {args.seconds} s, "
        f"median of {args.rounds} rounds; gunicorn --workers={args.workers} per app server; "
        f"DEBUG off; {os.cpu_count()} CPUs shared by wrk, the app servers and both PostgreSQL "
        "servers."
    )
    print("Requests per second (median / 99th percentile latency in ms; errors if any)\n")
    print(f"| {'journey':<28} | " + " | ".join(f"{label:<28}" for label in labels) + " |")
    print(f"|{'-' * 30}|" + "|".join("-" * 30 for _ in labels) + "|")
    for name, _ in paths:
        cells = []
        for label in labels:
            r = table.get(name, {}).get(label)
            cell = f"{r['rps']:.0f} ({r['p50_ms']:.0f} / {r['p99_ms']:.0f})" if r else "-"
            if r and r["errors"]:
                cell += f" {r['errors']} err"
            cells.append(f"{cell:<28}")
        print(f"| {name:<28} | " + " | ".join(cells) + " |")
    print("\nPaths: " + "; ".join(path for _, path in paths))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m earlyhelp.scale")
    commands = parser.add_subparsers(dest="command", required=True)
    serving = commands.add_parser("serve", help="app servers, a task worker, primary + replica")
    serving.add_argument("--servers", type=int, default=2)
    serving.add_argument("--first-port", type=int, default=8001)
    serving.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    serving.add_argument("--no-replica", action="store_true", help="every read on the primary")
    loading = commands.add_parser("bench", help="the load table: 1 server, 2, 2 + replica")
    loading.add_argument("--seconds", type=int, default=8, help="per run of wrk")
    loading.add_argument("--rounds", type=int, default=3)
    loading.add_argument("--connections", type=int, default=8)
    loading.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    args = parser.parse_args(argv)
    {"serve": serve, "bench": bench}[args.command](args)


if __name__ == "__main__":
    main()
