"""Every route declares who it is for, and each declaration is enforced.

Walks the whole URLconf (admin aside), so a new route is covered without a new test. To fix a
failure here, decorate the view with one of the audiences in earlyhelp/access.py.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from earlyhelp.access import PERMISSION, PUBLIC, STAFF, audience_of


def _first_published_service():
    from directory.models import Service

    return Service.objects.published().order_by("name").first().pk


def _first_place():
    from directory.models import Location

    return Location.objects.order_by("name").first().slug


# Sample URL arguments for each route that takes any (values or callables run inside a test), so
# every route can be reversed. A new route with arguments must be added here.
SAMPLE_KWARGS = {
    "hubs:detail": {"slug": "west"},
    "directory:service": {"pk": _first_published_service},
    "directory:place": {"slug": _first_place},
    "directory:life_stage": {"stage": "0-5"},
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    view: object

    @property
    def audience(self) -> str | None:
        return audience_of(self.view)

    def url(self) -> str:
        params = self.pattern_params()
        samples = SAMPLE_KWARGS.get(self.name, {})
        missing = [p for p in params if p not in samples]
        assert not missing, f"add sample values for {self} {missing} to SAMPLE_KWARGS in {__file__}"
        kwargs = {p: samples[p]() if callable(samples[p]) else samples[p] for p in params}
        return reverse(self.name, kwargs=kwargs)

    def pattern_params(self) -> list[str]:
        import re

        return re.findall(r"<(?:\w+:)?(\w+)>", self.pattern)

    def __str__(self) -> str:
        return f"{self.name} (/{self.pattern})"


def walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            ns = entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(name=name, pattern=prefix + str(entry.pattern), view=entry.callback)


ROUTES = list(walk(get_resolver().url_patterns))
PUBLIC_ROUTES = [r for r in ROUTES if r.audience == PUBLIC]
PRIVATE_ROUTES = [r for r in ROUTES if r.audience in (STAFF, PERMISSION)]
PERMISSION_ROUTES = [r for r in ROUTES if r.audience == PERMISSION]


def test_every_route_has_a_name():
    unnamed = [f"/{r.pattern}" for r in ROUTES if not r.name]
    assert unnamed == [], f"give these routes a name= so they can be reversed: {unnamed}"


def test_every_route_declares_its_audience():
    undeclared = [str(r) for r in ROUTES if r.audience not in (PUBLIC, STAFF, PERMISSION)]
    assert undeclared == [], (
        "these views do not say who they are for; decorate each with @public, @staff or "
        f"@permission(...) from earlyhelp/access.py: {undeclared}"
    )


def test_the_walk_finds_the_routes_we_know_of():
    names = {r.name for r in ROUTES}
    assert {"hubs:find", "hubs:coverage_report", "accounts:sign_in", "healthz"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
def test_a_public_route_answers_anyone_without_a_server_error(client, route):
    response = client.get(route.url())
    assert response.status_code < 500
    assert response.status_code != 302 or "sign-in" not in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("route", PRIVATE_ROUTES, ids=str)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_private_route_sends_anonymous_people_to_sign_in(client, route, method):
    url = route.url()
    response = getattr(client, method)(url)
    assert response.status_code == 302, f"{route} answered {response.status_code} to anonymous"
    assert response["Location"] == f"{reverse('accounts:sign_in')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", PERMISSION_ROUTES, ids=str)
def test_a_permission_route_refuses_staff_without_the_permission(client, alice, route):
    assert not alice.has_perm(route.view.permission)
    client.force_login(alice)
    assert client.get(route.url()).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("route", PRIVATE_ROUTES, ids=str)
def test_a_private_page_is_never_cached(client, mo, route):
    mo.is_superuser = True  # sees every private route
    mo.save()
    client.force_login(mo)
    response = client.get(route.url())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
