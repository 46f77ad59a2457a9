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


def test_an_administrator_gives_an_uncovered_sector_a_hub_without_the_django_admin(client, ada):
    from django.urls import reverse

    from earlyhelp.models import AuditEvent
    from hubs.models import CoverageGap
    from tests.factories import sign_in

    CoverageGap.objects.create(area="N20 0", lookups=3)
    CoverageGap.objects.create(area="N2 9", lookups=1)  # N2 is not N20: it stays
    sign_in(client, ada)
    report = client.get(reverse("hubs:coverage_report")).content.decode()
    link = f"{reverse('hubs:add_coverage_rule')}?area=N20%200"
    assert link in report
    form = client.get(link).content.decode()
    assert 'value="N20 0"' in form
    response = client.post(
        link, {"area": "n20  0", "hub": Hub.objects.get(slug="east-central").pk, "reason": ""}
    )
    assert response["Location"] == reverse("hubs:coverage_report")
    assert CoverageRule.objects.get(area="N20 0").hub.slug == "east-central"
    assert list(CoverageGap.objects.values_list("area", flat=True)) == ["N2 9"]
    assert AuditEvent.objects.filter(action="coverage_rule.added").count() == 1
    answer = find_hub(parse(barnet_postcodes(sector="N20 0").first().postcode))
    assert (answer.outcome, answer.hub.slug) == (Outcome.COVERED, "east-central")
    assert (
        "N20 0 now goes to the East/Central Hub"
        in client.get(response["Location"]).content.decode()
    )


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("", "Enter the area, like NW9 4"),
        ("nowhere", "Enter a district like HA8, a sector like NW9 4 or a postcode like N2 8LG"),
        ("HA8", "HA8 already goes to the West Hub"),
    ],
)
def test_a_bad_area_is_explained_and_what_was_typed_kept(client, ada, area, message):
    from django.urls import reverse

    from tests.factories import sign_in

    sign_in(client, ada)
    response = client.post(
        reverse("hubs:add_coverage_rule"), {"area": area, "reason": "Near the school"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Select the hub that should cover this area" in page
    assert "Near the school" in page


def test_a_hub_manager_sees_the_gaps_but_cannot_add_a_rule(client, mo):
    from django.urls import reverse

    from tests.factories import sign_in

    sign_in(client, mo)
    assert "Give it a hub" not in client.get(reverse("hubs:coverage_report")).content.decode()
    assert client.get(reverse("hubs:add_coverage_rule")).status_code == 403
