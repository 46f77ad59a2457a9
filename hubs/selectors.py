"""Reads about hubs that pages need."""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count

from hubs import councils
from hubs.models import CoverageRule, Hub, Postcode


@dataclass
class CoveredArea:
    """A district as one hub covers it: all of the council's part, or some sectors of it."""

    district: str
    whole: bool
    parts: list[str]
    wards: list[str]
    postcodes: int


def areas_covered_by(hub: Hub) -> list[CoveredArea]:
    """The districts a hub covers, with the council wards its postcodes there fall in.

    Each live council postcode counts for the most specific rule that matches it, whichever hub
    that rule names, so a district shared between hubs shows only this hub's part.
    """
    every_rule = list(CoverageRule.objects.all())
    ward_codes = [r.ward_code for r in every_rule if r.ward_code and r.hub_id == hub.pk]
    if ward_codes:
        return _wards_covered_by(ward_codes)
    rules = {rule.area: rule for rule in every_rule if rule.area}
    mine = [rule for rule in rules.values() if rule.hub_id == hub.pk]
    districts = sorted({rule.area.split(" ")[0] for rule in mine}, key=district_sort_key)
    council_postcodes = Postcode.objects.filter(
        district__in=districts, local_authority_code=councils.current().ons_code
    )

    def hub_for(*areas: str | None) -> int | None:
        rule = next((rules[a] for a in areas if a in rules), None)
        return rule.hub_id if rule else None

    wards: dict[str, Counter] = defaultdict(Counter)
    for group in council_postcodes.values("sector", "district", "ward_name").annotate(
        n=Count("postcode")
    ):
        if hub_for(group["sector"], group["district"]) == hub.pk:
            wards[group["district"]][group["ward_name"]] += group["n"]
    # Postcode-level rules are rare exceptions: move each postcode to the hub its rule names.
    exceptions = [area for area, rule in rules.items() if rule.level == "postcode"]
    for postcode in council_postcodes.filter(postcode__in=exceptions):
        if hub_for(postcode.sector, postcode.district) == hub.pk:
            wards[postcode.district][postcode.ward_name] -= 1
        if rules[postcode.postcode].hub_id == hub.pk:
            wards[postcode.district][postcode.ward_name] += 1

    covered = []
    for district in districts:
        others_inside = any(
            area.split(" ")[0] == district and rule.hub_id != hub.pk for area, rule in rules.items()
        )
        counts = +wards[district]  # drops wards whose count fell to zero
        covered.append(
            CoveredArea(
                district=district,
                whole=district in rules and rules[district].hub_id == hub.pk and not others_inside,
                parts=sorted(
                    r.area for r in mine if r.area != district and r.area.split(" ")[0] == district
                ),
                wards=[name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))],
                postcodes=sum(counts.values()),
            )
        )
    return covered


def _wards_covered_by(ward_codes: list[str]) -> list[CoveredArea]:
    """For a hub that covers whole wards: the districts its wards' postcodes are in."""
    council_postcodes = Postcode.objects.filter(local_authority_code=councils.current().ons_code)
    mine: dict[str, Counter] = defaultdict(Counter)
    for group in (
        council_postcodes.filter(ward_code__in=ward_codes)
        .values("district", "ward_name")
        .annotate(n=Count("postcode"))
    ):
        mine[group["district"]][group["ward_name"]] += group["n"]
    totals = dict(
        council_postcodes.filter(district__in=list(mine))
        .values_list("district")
        .annotate(n=Count("postcode"))
    )
    return [
        CoveredArea(
            district=district,
            whole=sum(mine[district].values()) == totals.get(district),
            parts=[],
            wards=[name for name, _ in mine[district].most_common()],
            postcodes=sum(mine[district].values()),
        )
        for district in sorted(mine, key=district_sort_key)
    ]


def district_sort_key(district: str) -> tuple[str, int, str]:
    """Sort districts as people expect: N2 before N10, then NW2."""
    letters, digits, rest = re.match(r"([A-Z]+)(\d+)(.*)", district).groups()
    return (letters, int(digits), rest)


@dataclass
class UncoveredSector:
    sector: str
    postcodes: int
    wards: list[str]


def uncovered_sectors() -> list[UncoveredSector]:
    """Sectors holding live council postcodes that no coverage rule covers, biggest first.

    These are answered with the nearest hub office; each needs a rule from the hubs.
    """
    rules = set(CoverageRule.objects.exclude(area="").values_list("area", flat=True))
    covered_wards = set(
        CoverageRule.objects.exclude(ward_code="").values_list("ward_code", flat=True)
    )
    groups = (
        Postcode.objects.filter(local_authority_code=councils.current().ons_code)
        .exclude(postcode__in=rules)
        .exclude(ward_code__in=covered_wards)
        .values("sector", "district", "ward_name")
        .annotate(n=Count("postcode"))
    )
    sectors: dict[str, Counter] = defaultdict(Counter)
    for group in groups:
        if group["sector"] not in rules and group["district"] not in rules:
            sectors[group["sector"]][group["ward_name"]] += group["n"]
    return sorted(
        (
            UncoveredSector(sector, sum(wards.values()), [w for w, _ in wards.most_common()])
            for sector, wards in sectors.items()
        ),
        key=lambda s: (-s.postcodes, s.sector),
    )
