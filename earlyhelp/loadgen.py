"""A small HTTP load generator, run as its own process by `make bench`.

    python -m earlyhelp.loadgen http://127.0.0.1:8123/healthz --seconds 5 --concurrency 4

With `--paths FILE`, each request asks for the next path of the file (one a line) on the URL's
server, in turn, instead of the URL's own path.

Keeps `concurrency` keep-alive connections busy for `seconds` (bounded in time and count, and
only ever to a loopback address) and prints one JSON line: requests, errors, requests/second,
median and p95 latency in milliseconds.
"""

import argparse
import http.client
import itertools
import json
import statistics
import threading
import time
from urllib.parse import urlsplit

MAX_REQUESTS = 200_000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--paths", help="a file of paths to ask for in turn")
    args = parser.parse_args()
    url = urlsplit(args.url)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loadgen only targets this machine (127.0.0.1)")
    path = url.path + (f"?{url.query}" if url.query else "")
    paths = [path]
    if args.paths:
        with open(args.paths, encoding="utf-8") as file:
            paths = [line.strip() for line in file if line.strip()]
    turn = itertools.count()  # next() on it is atomic in CPython
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        mine, failed = [], 0
        while time.monotonic() < deadline and len(mine) < MAX_REQUESTS:
            start = time.perf_counter()
            try:
                connection.request("GET", paths[next(turn) % len(paths)])
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    print(
        json.dumps(
            {
                "requests": len(latencies),
                "errors": errors[0],
                "rps": round(len(latencies) / elapsed, 1),
                "median_ms": round(statistics.median(latencies), 2) if latencies else None,
                "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 2)
                if latencies
                else None,
            }
        )
    )


if __name__ == "__main__":
    main()
