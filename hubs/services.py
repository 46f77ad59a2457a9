"""Find the early help hub for a postcode."""

import enum
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.utils.text import get_text_list
from django.utils.translation import gettext

from earlyhelp import versions
from hubs import councils
from hubs.maps import VERSION as HUBS_VERSION
from hubs.models import CoverageGap, CoverageRule, Hub, Postcode, PostcodeDistrict
from hubs.postcodes import ParsedPostcode


class Outcome(enum.Enum):
    COVERED = "covered"  # a coverage rule names the hub
    NEAREST = "nearest"  # in the council, but no rule covers it: nearest hub office
    OTHER_AUTHORITY = "other_authority"  # another council's postcode
    ASK_FULL_POSTCODE = "ask_full_postcode"  # a district shared by more than one hub
    NOT_FOUND = "not_found"  # a well-formed postcode we have no data for


@dataclass(frozen=True)
class HubAnswer:
    outcome: Outcome
    query: ParsedPostcode
    hub: Hub | None = None
    distance_km: float | None = None
    local_authority_name: str | None = None
    local_authority_code: str | None = None
    # True when the exact postcode was not in the gazetteer and the answer comes from its
    # sector or district (a brand-new or recently terminated postcode).
    from_district: bool = False
    # Other councils that share this district, when the answer is for a district alone.
    shared_with: str | None = None
    # Where the postcode is, when it was found in the postcode data (marked on the map).
    latitude: float | None = None
    longitude: float | None = None


# Answers for full postcodes in the gazetteer that a rule covers or another council holds (most
# lookups), kept in this process while the hubs, their coverage and the gazetteer are unchanged
# (hubs.maps.VERSION): a repeated lookup then costs no query (#18). Answers with a side effect
# (a coverage gap is counted) or worded in a language are always worked out afresh.
_answers = versions.Kept(HUBS_VERSION, limit=20_000)


def find_hub(query: ParsedPostcode) -> HubAnswer:
    """Answer "which hub is mine?" for a full postcode or a district."""
    if query.is_full:
        key = (councils.current_council_id(), query.postcode)
        answer = _answers.get(key)
        if answer is None:
            answer = _full_postcode_answer(query)
            if answer is not None and answer.outcome in KEPT_OUTCOMES:
                _answers.put(key, answer)
        if answer is not None:
            return answer
    return _district_answer(query)


KEPT_OUTCOMES = (Outcome.COVERED, Outcome.OTHER_AUTHORITY)
_NO_HUB = 0


def covering_hub_id(query: ParsedPostcode) -> int | None:
    """The hub of the most specific coverage rule for the postcode, its sector or its district
    (no ward, no nearest office, no coverage gap counted): what search analytics record. Kept
    like the answers above, so a repeated postcode costs no query."""
    key = (councils.current_council_id(), "rule", str(query))
    hub_id = _answers.get(key)
    if hub_id is None:
        rules = CoverageRule.objects.matching(query.postcode, query.sector, query.district)
        hub_id = _answers.put(key, rules.values_list("hub_id", flat=True).first() or _NO_HUB)
    return hub_id or None


def _full_postcode_answer(query: ParsedPostcode) -> HubAnswer | None:
    """The answer for a postcode in the gazetteer; None for one it does not hold."""
    postcode = Postcode.objects.filter(postcode=query.postcode).first()
    if postcode is None:
        return None
    if postcode.local_authority_code != councils.current().ons_code:
        return HubAnswer(
            Outcome.OTHER_AUTHORITY,
            query,
            local_authority_name=postcode.local_authority_name,
            local_authority_code=postcode.local_authority_code,
        )
    rule = CoverageRule.objects.matching(
        postcode.postcode, postcode.sector, postcode.district, ward_code=postcode.ward_code
    ).first()
    where = {"latitude": postcode.latitude, "longitude": postcode.longitude}
    if rule is not None:
        return HubAnswer(Outcome.COVERED, query, hub=rule.hub, **where)
    return _nearest(query, postcode.latitude, postcode.longitude, gap=postcode.sector)


def _district_answer(query: ParsedPostcode) -> HubAnswer:
    """The answer from the postcode's district (a district alone, or a postcode the gazetteer
    does not hold)."""
    council_code = councils.current().ons_code
    district = PostcodeDistrict.objects.filter(district=query.district).first()
    if district is None:
        return HubAnswer(Outcome.NOT_FOUND, query)
    council_postcodes = Postcode.objects.filter(
        district=query.district, local_authority_code=council_code
    )
    if not council_postcodes.exists():
        return HubAnswer(
            Outcome.OTHER_AUTHORITY,
            query,
            local_authority_name=district.main_local_authority_name,
            local_authority_code=district.main_local_authority_code,
            from_district=query.is_full,
        )

    # The district's rules, and for a council whose hubs follow wards, the rules of the wards
    # this district's postcodes are in.
    rules = list(
        CoverageRule.objects.filter(
            Q(area=query.district)
            | Q(area__startswith=f"{query.district} ")
            | Q(ward_code__in=council_postcodes.exclude(ward_code="").values("ward_code"))
        ).select_related("hub")
    )
    if query.is_full:
        sector_rule = next((r for r in rules if r.area == query.sector), None)
        if sector_rule is not None:
            return HubAnswer(Outcome.COVERED, query, hub=sector_rule.hub, from_district=True)
    hubs = {rule.hub_id: rule.hub for rule in rules}
    if len(hubs) > 1:
        return HubAnswer(Outcome.ASK_FULL_POSTCODE, query)
    shared_with = _other_authorities(query.district)
    if len(hubs) == 1:
        (hub,) = hubs.values()
        return HubAnswer(
            Outcome.COVERED, query, hub=hub, from_district=query.is_full, shared_with=shared_with
        )
    if query.is_full and shared_with:
        # An unknown postcode in a district shared with another council could be in either.
        return HubAnswer(Outcome.NOT_FOUND, query)
    answer = _nearest(query, district.latitude, district.longitude, gap=query.district)
    return HubAnswer(
        answer.outcome,
        query,
        hub=answer.hub,
        distance_km=answer.distance_km,
        from_district=query.is_full,
        shared_with=shared_with,
    )


def _nearest(query: ParsedPostcode, latitude: float, longitude: float, *, gap: str) -> HubAnswer:
    record_coverage_gap(gap)
    hubs = list(Hub.objects.all())
    if not hubs:
        return HubAnswer(Outcome.NOT_FOUND, query)
    hub = min(hubs, key=lambda h: h.distance_km(latitude, longitude))
    where = {"latitude": latitude, "longitude": longitude} if query.is_full else {}
    return HubAnswer(
        Outcome.NEAREST, query, hub=hub, distance_km=hub.distance_km(latitude, longitude), **where
    )


def _other_authorities(district: str) -> str | None:
    """Names of other councils with postcodes in this district, for a caveat on the answer."""
    names = (
        Postcode.objects.filter(district=district)
        .exclude(local_authority_code=councils.current().ons_code)
        .order_by("local_authority_name")
        .values_list("local_authority_name", flat=True)
        .distinct()
    )
    names = list(names)
    if not names:
        return None
    # Translators: joins the last two council names in a list, like "Brent, Enfield and Harrow".
    return get_text_list(names, gettext("and"))


def record_coverage_gap(area: str) -> None:
    """Count a lookup in an area no rule covers, so an admin can see where rules are missing.

    One upsert, so concurrent lookups in a new area neither collide nor lose a count.
    """
    table = CoverageGap._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (council_id, area, lookups, first_seen, last_seen) "  # noqa: S608 - table name is ours
            "VALUES (%s, %s, 1, now(), now()) ON CONFLICT (council_id, area) "
            f"DO UPDATE SET lookups = {table}.lookups + 1, last_seen = now()",
            [councils.current_council_id(), area],
        )
