"""The hub areas map (#15): drawn on the server from the postcode data, with a text
alternative, on the hub answer, /hubs/, hub pages and place pages, and no third parties."""

import re

import pytest
from django.urls import reverse

from directory.models import Location

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_map():
    """The map is cached per process; a test's rolled-back changes must not outlive it."""
    from hubs.maps import forget_map

    forget_map()
    yield
    forget_map()


def _svg(page: str) -> str:
    match = re.search(r"<svg viewBox.*?</svg>", page, re.S)
    assert match, "no map on the page"
    return match.group(0)


def test_the_hubs_page_maps_every_hubs_area(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        page = client.get(reverse("hubs:list")).content.decode()
    svg = _svg(page)
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    colours = set(re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', svg))
    assert len(colours) >= 3  # one per hub (and grey where no rule covers a postcode)
    assert svg.count("<circle") == 3  # the three hub offices
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_the_hub_answer_marks_the_searched_postcode(client):
    page = client.get(reverse("hubs:find"), {"postcode": "N2 8LG"}).content.decode()
    svg = _svg(page)
    assert "N2 8LG is marked with a cross" in svg
    assert svg.count("#d4351c") == 1


def test_a_hub_page_shows_its_own_area_strongest(client):
    page = client.get(reverse("hubs:detail", args=["west"])).content.decode()
    svg = _svg(page)
    colours = set(re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', svg))
    assert len(colours) >= 4  # its own colour, and the others faded
    assert "(this hub)" in page


def test_a_place_page_marks_the_place(client):
    place = Location.objects.filter(latitude__isnull=False, is_confidential=False).first()
    page = client.get(reverse("directory:place", args=[place.slug])).content.decode()
    assert f"{place.name} is marked with a cross" in _svg(page)


def test_the_map_is_drawn_again_when_a_coverage_rule_changes(client):
    from hubs.models import CoverageRule, Hub

    before = _svg(client.get(reverse("hubs:list")).content.decode())
    grey = before.count('fill="#b1b4b6"')
    assert grey, "some council postcodes are on no hub's list (N20)"
    CoverageRule.objects.create(area="N20", hub=Hub.objects.get(slug="west"), reason="Test")
    after = _svg(client.get(reverse("hubs:list")).content.decode())
    assert after.count('fill="#b1b4b6"') < grey
