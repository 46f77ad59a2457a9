"""Where one page's time goes, in process:

    python scripts/profile_page.py "/find-your-hub/?postcode=N2+8LG"

Runs the page through Django's test client (the whole middleware stack, DEBUG off) against the
database the settings name, prints the mean time per request, then a cProfile of 100 requests
sorted by cumulative time. For figures under load, use `make bench`.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "earlyhelp.settings")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402


def main(url: str, requests: int = 200) -> None:
    client = Client()
    for _ in range(20):  # warm the template and URL caches
        client.get(url)
    started = time.perf_counter()
    for _ in range(requests):
        client.get(url)
    print(f"{(time.perf_counter() - started) / requests * 1000:.2f} ms/request")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(100):
        client.get(url)
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main(sys.argv[1])
