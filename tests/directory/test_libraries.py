"""The libraries page: each library under the early help hub for its area, with its hours."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_libraries_are_grouped_by_their_areas_hub_with_hours_as_gov_uk_writes_them(client):
    page = client.get(reverse("directory:libraries")).content.decode()
    west, east, south = (
        page.index(f"{name} area</h2>") for name in ("West Hub", "East/Central Hub", "South Hub")
    )
    assert east < south < west  # hubs in name order
    # Burnt Oak (HA8) is in the West hub's area; East Finchley (N2) in East/Central's.
    assert east < page.index("East Finchley Library") < south
    assert west < page.index("Burnt Oak Library")
    assert "Monday: 9am to 8pm" in page
    assert "09:00" not in page
    assert "Opening hours not known" in page  # Childs Hill: none in the source
    assert "ACE 2023" not in page
    assert "020 8359" in page  # each hub's phone


def test_the_libraries_page_is_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("directory:libraries"))
