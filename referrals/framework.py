"""The Supporting Families outcome framework a council works to: headline outcomes, their
descriptors, evidence and sustainment periods, read from data/<council>/supporting_families.json.

The headlines' keys are the NeedArea values; a council changes descriptors and periods by
editing its file, not code.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from referrals.models import NeedArea


@dataclass(frozen=True)
class Descriptor:
    key: str
    headline: str
    text: str
    sustainment_months: int
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Headline:
    key: str
    title: str
    descriptors: tuple[Descriptor, ...]


@dataclass(frozen=True)
class Framework:
    source: str
    min_headlines: int
    default_months: int
    headlines: tuple[Headline, ...]

    @property
    def descriptors(self) -> dict[str, Descriptor]:
        return {d.key: d for h in self.headlines for d in h.descriptors}

    def headline(self, key: str) -> Headline | None:
        return next((h for h in self.headlines if h.key == key), None)

    def sustainment_months(self, descriptor_keys) -> int:
        """The longest period of the outcome's descriptors (the framework's default if none)."""
        known = self.descriptors
        months = [known[k].sustainment_months for k in descriptor_keys if k in known]
        return max(months, default=self.default_months)

    def sustain_check_due(self, achieved_on: date, descriptor_keys) -> date:
        return achieved_on + relativedelta(months=self.sustainment_months(descriptor_keys))


@cache
def framework() -> Framework:
    path = settings.SF_FRAMEWORK_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"Cannot read the outcome framework {path}: {error}") from None
    default_months = int(data.get("sustainment_months_default", 6))
    headlines = []
    areas = {a.value for a in NeedArea}
    for item in data["headlines"]:
        if item["key"] not in areas:
            raise ImproperlyConfigured(
                f"{path}: headline {item['key']!r} is not one of {sorted(areas)}"
            )
        descriptors = tuple(
            Descriptor(
                key=d["key"],
                headline=item["key"],
                text=d["text"],
                sustainment_months=int(d.get("sustainment_months", default_months)),
                evidence=tuple(d.get("evidence", ())),
            )
            for d in item.get("descriptors", ())
        )
        headlines.append(Headline(item["key"], item["title"], descriptors))
    return Framework(
        source=data.get("source", ""),
        min_headlines=settings.SF_MIN_HEADLINES,
        default_months=default_months,
        headlines=tuple(headlines),
    )


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    has_children: bool
    headlines: int
    needed: int

    @property
    def explanation(self) -> str:
        if not self.has_children:
            return "Not eligible: the family has no dependent children or expected baby recorded"
        if self.headlines < self.needed:
            return (
                f"Not yet eligible: needs are recorded under {self.headlines} headline "
                f"outcome{'s' if self.headlines != 1 else ''}, and {self.needed} are needed"
            )
        return (
            f"Eligible for Supporting Families: dependent children and needs under "
            f"{self.headlines} headline outcomes"
        )


def eligibility(*, has_children: bool, areas) -> Eligibility:
    """Dependent children (or an expected baby), and needs under SF_MIN_HEADLINES headlines."""
    needed = framework().min_headlines
    count = len(set(areas))
    return Eligibility(has_children and count >= needed, has_children, count, needed)
