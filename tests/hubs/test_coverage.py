"""Every live Barnet postcode resolves as the seed's coverage lists say."""

import pytest
from django.conf import settings

from hubs.models import CoverageRule, Hub, Postcode
from hubs.postcodes import parse
from hubs.selectors import areas_covered_by, uncovered_sectors
from hubs.services import Outcome, find_hub

pytestmark = pytest.mark.django_db

# Districts the seed gives to exactly one hub (Barnet strategy, "Early Help Hub Locations").
SINGLE_HUB_DISTRICTS = {
    "west": ["HA8", "NW7"],
    "east-central": ["N2", "N10", "N11", "N12", "N14", "EN4", "EN5"],
    "south": ["NW2", "NW3", "NW4", "NW11"],
}


def barnet_postcodes(**filters):
    return Postcode.objects.filter(
        local_authority_code=settings.COUNCIL["local_authority_code"], **filters
    )


@pytest.mark.parametrize(
    ("slug", "district"), [(slug, d) for slug, ds in SINGLE_HUB_DISTRICTS.items() for d in ds]
)
def test_every_barnet_postcode_in_a_single_hub_district_resolves_to_that_hub(slug, district):
    rules = {r.area: r.hub.slug for r in CoverageRule.objects.select_related("hub")}
    postcodes = barnet_postcodes(district=district)
    assert postcodes.exists()
    for postcode in postcodes:
        hub = rules.get(postcode.sector) or rules.get(postcode.district)
        assert hub == slug, postcode.postcode
    # And through the real lookup for a sample of them.
    for postcode in postcodes[:: max(1, postcodes.count() // 5)]:
        answer = find_hub(parse(postcode.postcode))
        assert answer.outcome is Outcome.COVERED
        assert answer.hub.slug == slug


def test_every_barnet_postcode_in_nw9_and_n3_goes_to_one_of_the_hubs_the_seed_names():
    allowed = {"NW9": {"west", "south"}, "N3": {"east-central", "south"}}
    for district, hubs in allowed.items():
        seen = set()
        for postcode in barnet_postcodes(district=district):
            answer = find_hub(parse(postcode.postcode))
            assert answer.outcome is Outcome.COVERED, postcode.postcode
            seen.add(answer.hub.slug)
        assert seen == hubs


def test_the_gap_report_lists_the_districts_the_seed_leaves_out():
    sectors = {s.sector: s.postcodes for s in uncovered_sectors()}
    assert {sector.split(" ")[0] for sector in sectors} == {"N20", "HA7", "WD6", "N6"}
    assert (
        sum(sectors.values()) == barnet_postcodes(district__in=["N20", "HA7", "WD6", "N6"]).count()
    )


def test_a_new_rule_closes_its_gap():
    CoverageRule.objects.create(hub=Hub.objects.get(slug="east-central"), area="N20")
    assert {s.sector.split(" ")[0] for s in uncovered_sectors()} == {"HA7", "WD6", "N6"}


def test_a_hubs_areas_show_only_its_part_of_a_shared_district():
    west = {a.district: a for a in areas_covered_by(Hub.objects.get(slug="west"))}
    assert not west["NW9"].whole
    assert west["NW9"].parts == ["NW9 4", "NW9 5", "NW9 6"]
    assert west["HA8"].whole
    assert west["HA8"].wards[:2] == ["Edgware", "Burnt Oak"]


def test_a_postcode_rule_moves_one_postcode_between_hubs_on_the_hub_pages():
    south = Hub.objects.get(slug="south")
    CoverageRule.objects.create(hub=south, area="NW9 6AA")
    south_nw9 = {a.district: a for a in areas_covered_by(south)}["NW9"]
    west_nw9 = {a.district: a for a in areas_covered_by(Hub.objects.get(slug="west"))}["NW9"]
    assert south_nw9.postcodes + west_nw9.postcodes == barnet_postcodes(district="NW9").count()
    assert "NW9 6AA" in south_nw9.parts


def test_the_loader_is_idempotent():
    from django.core.management import call_command

    before = (Postcode.objects.count(), Hub.objects.count(), CoverageRule.objects.count())
    call_command("load_council_data", verbosity=0)
    after = (Postcode.objects.count(), Hub.objects.count(), CoverageRule.objects.count())
    assert before == after
