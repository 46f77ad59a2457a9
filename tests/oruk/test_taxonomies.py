"""GET /taxonomies, /taxonomy_terms and one of each: the categories services are sorted by."""

import math

import pytest
from django.urls import reverse

from directory.oruk import taxonomy_id
from tests.oruk.validation import assert_valid, assert_valid_page, operation_schema

pytestmark = pytest.mark.django_db

DFE = taxonomy_id("dfe-family-hubs")


def get(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_taxonomies_are_listed(client):
    body = get(client, "oruk:taxonomies")
    assert_valid_page(body, "/taxonomies")
    [taxonomy] = body["contents"]
    assert taxonomy["id"] == str(DFE)
    assert taxonomy["name"] == "DfE Family Hubs service directory categories"
    assert "taxonomy_terms" not in taxonomy
    assert (body["total_items"], body["total_pages"], body["last_page"]) == (1, 1, True)


def test_a_taxonomy_is_served_with_its_terms(client):
    from directory.models import TaxonomyTerm

    response = client.get(reverse("oruk:taxonomy", kwargs={"id": DFE}))
    body = response.json()
    assert_valid(body, operation_schema("/taxonomies/{id}"))
    assert len(body["taxonomy_terms"]) == TaxonomyTerm.objects.count()


def test_the_terms_come_page_by_page(client):
    from directory.models import TaxonomyTerm

    total = TaxonomyTerm.objects.count()
    first = get(client, "oruk:taxonomy_terms", per_page=10)
    assert_valid_page(first, "/taxonomy_terms")
    pages = math.ceil(total / 10)
    assert (first["total_items"], first["total_pages"]) == (total, pages)
    middle = get(client, "oruk:taxonomy_terms", per_page=10, page=pages // 2)
    assert_valid_page(middle, "/taxonomy_terms")
    last = get(client, "oruk:taxonomy_terms", per_page=10, page=pages)
    assert_valid_page(last, "/taxonomy_terms")
    assert last["last_page"]
    assert last["size"] == total - 10 * (pages - 1)


def test_a_term_names_its_parent_and_taxonomy(client):
    from directory.models import TaxonomyTerm

    topic = TaxonomyTerm.objects.get(slug="parent-baby-and-toddler-groups")
    response = client.get(reverse("oruk:taxonomy_term", kwargs={"id": topic.pk}))
    body = response.json()
    assert_valid(body, operation_schema("/taxonomy_terms/{id}"))
    assert body == {
        "id": str(topic.pk),
        "name": "Parent, baby and toddler groups",
        "description": "Parent, baby and toddler groups",
        "parent_id": str(topic.parent_id),
        "taxonomy": "DfE Family Hubs service directory categories",
        "taxonomy_id": str(DFE),
        "term": "Parent, baby and toddler groups",
    }


def test_a_top_level_term_has_no_parent(client):
    from directory.models import TaxonomyTerm

    category = TaxonomyTerm.objects.filter(parent=None).first()
    body = client.get(reverse("oruk:taxonomy_term", kwargs={"id": category.pk})).json()
    assert "parent_id" not in body
