"""`make messages` runs this first: the DfE family hubs taxonomy's names, from every council's
data folder, written out as Python for makemessages to find, so the catalogues translate them
(filters, service pages and life stage groups show them through gettext, #16)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

MODULE = Path(settings.BASE_DIR) / "directory" / "taxonomy_messages.py"
HEADER = '''"""The DfE family hubs taxonomy's names, for the translation catalogues (#16).

Written by `manage.py taxonomy_messages` (`make messages`) from data/*/directory.json: do not
edit by hand. Nothing imports this module; makemessages reads it.
"""

from django.utils.translation import gettext_noop

NAMES = [
'''


def taxonomy_names() -> list[str]:
    names: set[str] = set()
    for data in sorted(Path(settings.BASE_DIR, "data").glob("*/directory.json")):
        for category in json.loads(data.read_text(encoding="utf-8")).get("taxonomy", []):
            names.add(category["name"])
            names.update(category.get("children", []))
    return sorted(names)


def module_text() -> str:
    lines = [f"    # Translators: a category of support (DfE family hubs taxonomy).\n"
             f"    gettext_noop({json.dumps(name, ensure_ascii=False)}),\n"
             for name in taxonomy_names()]  # fmt: skip
    return HEADER + "".join(lines) + "]\n"


class Command(BaseCommand):
    help = "Write directory/taxonomy_messages.py from the councils' taxonomies."

    def handle(self, *args, **options):
        MODULE.write_text(module_text(), encoding="utf-8")
        self.stdout.write(f"{MODULE.relative_to(settings.BASE_DIR)}: {len(taxonomy_names())}")
