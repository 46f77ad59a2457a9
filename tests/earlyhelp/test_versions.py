"""What each process keeps in memory (the hub map, public service pages) follows the shared
version tokens: a change is seen at once by the process that made it, and by every other app
server within VERSION_CHECK_SECONDS."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from directory.models import Service
from earlyhelp import versions

pytestmark = pytest.mark.django_db


def test_a_listing_change_is_on_the_public_page_at_once(client):
    service = Service.objects.published().order_by("name").first()
    url = reverse("directory:service", args=[service.pk])
    assert service.summary in client.get(url).content.decode()
    service.summary = "A summary changed a moment ago."
    service.save()
    assert "A summary changed a moment ago." in client.get(url).content.decode()


def test_another_servers_change_is_seen_within_the_check_interval(client, settings):
    service = Service.objects.published().order_by("name").first()
    url = reverse("directory:service", args=[service.pk])
    client.get(url)
    # Another app server changes the listing: this process learns only from the shared token.
    Service.objects.filter(pk=service.pk).update(summary="Changed on the other server.")
    settings.VERSION_CHECK_SECONDS = 3600
    assert "Changed on the other server." not in client.get(url).content.decode()  # kept
    caches["shared"].set("version:directory", "their-new-token", None)
    settings.VERSION_CHECK_SECONDS = 0  # the interval has passed
    assert "Changed on the other server." in client.get(url).content.decode()


def test_a_page_kept_in_memory_costs_two_queries(client, django_assert_max_num_queries):
    service = Service.objects.published().order_by("name").first()
    url = reverse("directory:service", args=[service.pk])
    client.get(url)
    versions._read.clear()
    with django_assert_max_num_queries(2):  # the shared token and the courses
        client.get(url)


def test_the_open_referral_feed_is_kept_until_a_listing_changes(
    client, django_assert_max_num_queries
):
    url = reverse("oruk:services")
    first = client.get(url).json()
    versions._read.clear()
    with django_assert_max_num_queries(1):  # the shared token only
        assert client.get(url).json() == first
    service = Service.objects.published().get(pk=first["contents"][0]["id"])
    service.name = "A name changed a moment ago"
    service.save()
    names = [item["name"] for item in client.get(url).json()["contents"]]
    assert "A name changed a moment ago" in names
