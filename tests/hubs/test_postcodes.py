import pytest

from hubs.postcodes import area_level, parse


@pytest.mark.parametrize(
    ("typed", "postcode"),
    [
        ("N2 8LG", "N2 8LG"),
        ("n28lg", "N2 8LG"),
        ("  n2   8lg  ", "N2 8LG"),
        ("N2-8LG.", "N2 8LG"),
        ("nw94br", "NW9 4BR"),
        ("HA8 0UB", "HA8 0UB"),
        ("EC1A 1BB", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("gir 0aa", "GIR 0AA"),
    ],
)
def test_it_tidies_a_full_postcode_into_canonical_form(typed, postcode):
    parsed = parse(typed)
    assert parsed is not None
    assert parsed.postcode == postcode
    assert parsed.district == postcode.split(" ")[0]
    assert parsed.sector == postcode[:-2]


@pytest.mark.parametrize(("typed", "district"), [("N20", "N20"), ("nw9", "NW9"), (" ha8 ", "HA8")])
def test_it_recognises_a_district_alone(typed, district):
    parsed = parse(typed)
    assert parsed is not None
    assert parsed.district == district
    assert not parsed.is_full


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "hello",
        "N2 8L",
        "Q1 1AA",  # Q never starts a postcode
        "N2 8CI",  # C and I never appear in the inward code
        "12345",
        "N2 8LG N2 8LG",
        "😀",
        "N2\x008LG" * 5,
        "A" * 10_000,
        "'; DROP TABLE hubs_hub; --",
    ],
)
def test_it_rejects_what_is_not_a_postcode(typed):
    assert parse(typed) is None


@pytest.mark.parametrize(
    ("area", "level"),
    [("HA8", "district"), ("NW9 4", "sector"), ("N2 8LG", "postcode"), ("NW9 ", None), ("X", None)],
)
def test_it_tells_the_level_of_a_coverage_area(area, level):
    assert area_level(area) == level
