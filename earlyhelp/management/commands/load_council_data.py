"""Loads a council's data folder: the gazetteer, hubs and coverage (hubs/), then its directory
(directory/). It lives here because hubs/ is the ground floor and must not import directory/."""

from django.conf import settings
from django.core.management.base import BaseCommand

from directory.loaders import load_directory, load_search_languages
from hubs import loaders


class Command(BaseCommand):
    help = (
        "Load the postcode gazetteer, the council's hubs and coverage rules, and its directory "
        "of services and places from data/. "
        "Safe to run again: files already loaded are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--council",
            default=settings.COUNCIL_DATA,
            help="Folder under data/ (default: %(default)s)",
        )

    def handle(self, *args, council: str, verbosity: int, **options):
        steps = [
            ("postcodes", loaders.load_postcodes),
            ("postcode districts", loaders.load_districts),
            (f"hubs for {council}", lambda: loaders.load_hubs(council)),
            (f"directory for {council}", lambda: load_directory(council)),
            ("search configurations for listings' languages", load_search_languages),
        ]
        for label, load in steps:
            loaded = load()
            if verbosity:
                if loaded is None:
                    self.stdout.write(f"{label}: already up to date")
                else:
                    self.stdout.write(self.style.SUCCESS(f"{label}: loaded {loaded}"))
