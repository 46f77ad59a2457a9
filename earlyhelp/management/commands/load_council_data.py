"""Loads a council's data folder: the gazetteer, hubs and coverage (hubs/), then its directory
(directory/). It lives here because hubs/ is the ground floor and must not import directory/."""

from django.conf import settings
from django.core.management.base import BaseCommand

from directory.loaders import load_directory, load_search_languages
from hubs import councils, loaders


class Command(BaseCommand):
    help = (
        "Load the postcode gazetteer, the council's hubs and coverage rules, and its directory "
        "of services and places from data/. "
        "Safe to run again: files already loaded are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--council",
            action="append",
            choices=settings.COUNCILS,
            help="A folder under data/; repeat for several (default: every council in COUNCILS: "
            f"{', '.join(settings.COUNCILS)})",
        )

    def handle(self, *args, council: list[str] | None, verbosity: int, **options):
        self.verbosity = verbosity
        with councils.every_council():
            self._run("postcodes", loaders.load_postcodes)
            self._run("postcode districts", loaders.load_districts)
        for slug in council or settings.COUNCILS:
            with councils.every_council():
                loaded = loaders.load_council(slug)
            with councils.acting_for(loaded):
                self._run(f"hubs for {slug}", lambda slug=slug: loaders.load_hubs(slug))
                self._run(f"directory for {slug}", lambda slug=slug: load_directory(slug))
        with councils.every_council():
            self._run("search configurations for listings' languages", load_search_languages)

    def _run(self, label: str, load) -> None:
        loaded = load()
        if self.verbosity:
            if loaded is None:
                self.stdout.write(f"{label}: already up to date")
            else:
                self.stdout.write(self.style.SUCCESS(f"{label}: loaded {loaded}"))
