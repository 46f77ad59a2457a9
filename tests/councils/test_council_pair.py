"""Two councils on one deployment (#17): each council's staff can see and change nothing of the
other's, on every route that names a record, in both directions."""

import pytest
from django_scopes import scope

from earlyhelp.access import PERMISSION, PUBLIC, STAFF
from hubs.models import Council
from tests import factories
from tests.access import SIGN_IN, outcome
from tests.factories import sign_in
from tests.test_routes import ROUTES, SAMPLE_KWARGS

# The hubs each council's sample records use, in place of Barnet's "west", and a postcode there.
HUB = {"barnet": "west", "hackney": "north-west"}
POSTCODE = {"barnet": factories.WEST_POSTCODE, "hackney": "N4 1SY"}

# Routes whose address names a record (a service, a child, a hub...), not a step or a token.
RECORD_ROUTES = [
    route
    for route in ROUTES
    if route.pattern_params()
    and route.audience in (PUBLIC, STAFF, PERMISSION)
    and route.name
    not in {
        "referrals:ask_for_help_step",
        "directory:life_stage",
        "accounts:set_password",
        # The DfE taxonomy is shared by every council.
        "oruk:taxonomy",
        "oruk:taxonomy_term",
        # A report of the council's own records, by kind (its address names no record).
        "reports:records",
    }
]


def _url_in(council: Council, route, monkeypatch) -> str:
    """The route's address for a record made in ``council`` (by its own superuser)."""
    from accounts.models import User

    with scope(council=council.pk):
        User.objects.filter(is_superuser=True).exclude(council=council).update(is_superuser=False)
        if not User.objects.filter(is_superuser=True, council=council).exists():
            User.objects.create_superuser(f"owner@{council.slug}.example.org", council=council)
        for factory in (
            factories.complete_assessment,
            factories.sent_assessment,
            factories.allocated_episode,
        ):
            monkeypatch.setitem(factory.__kwdefaults__, "postcode", POSTCODE[council.slug])
        samples = SAMPLE_KWARGS.get(route.name, {})
        samples = dict(samples() if callable(samples) else samples)
        if samples.get("slug") == "west":
            samples["slug"] = HUB[council.slug]
        monkeypatch.setitem(SAMPLE_KWARGS, route.name, samples)
        return route.url()


@pytest.mark.django_db
@pytest.mark.parametrize(("owner", "visitor"), [("hackney", "barnet"), ("barnet", "hackney")])
@pytest.mark.parametrize("route", RECORD_ROUTES, ids=str)
def test_another_councils_staff_can_see_and_change_nothing(
    client, monkeypatch, route, owner, visitor
):
    owning = Council.objects.get(slug=owner)
    visiting = Council.objects.get(slug=visitor)
    url = _url_in(owning, route, monkeypatch)
    from accounts.models import User

    # The visiting council's most powerful member of staff: a superuser of that council.
    with scope(council=visiting.pk):
        intruder = User.objects.create_superuser(
            f"intruder@{visitor}.example.org", council=visiting
        )
    sign_in(client, intruder)
    host = visiting.host_names[0]
    for method in ("get", "post"):
        response = getattr(client, method)(url, HTTP_HOST=host)
        refused = {403, 404, 405}
        if route.audience == PUBLIC:
            refused.add(302)  # a public confirmation page sends a stranger back (to a 404)
        assert outcome(response) in refused, (
            f"{method.upper()} {url} on {host} as {visitor}'s superuser: {outcome(response)}"
        )
    # And on the owning council's own host, the visitor's session is not accepted at all: they
    # are signed out, and see only what anyone may.
    response = client.get(url, HTTP_HOST=owning.host_names[0])
    if route.audience == PUBLIC:
        assert response.status_code in {200, 302, 404, 405}
    else:
        assert outcome(response) in {SIGN_IN, 405}


LIST_ROUTES = [
    route
    for route in ROUTES
    if not route.pattern_params()
    and route.audience in (STAFF, PERMISSION)
    and not route.pattern.startswith(("api/", "sign-out"))
]


@pytest.mark.django_db
def test_no_list_page_shows_another_councils_records(client):
    """Hackney's family, front door item, episode, service and staff appear on none of the
    pages a Barnet superuser can open without naming a record (queues, lists, reports)."""
    from directory.models import Service

    hackney = Council.objects.get(slug="hackney")
    with scope(council=hackney.pk):
        from accounts.models import User

        author = factories.practitioner(
            email="zebedee.author@hackney.example.org", first_name="Quillon", council=hackney
        )
        factories.allocated_episode(author, postcode="N4 1SY", child="Zebedee")
        factories.sent_assessment(author, postcode="N4 1SY", child="Xanthippe")
        Service.objects.filter(pk=Service.objects.first().pk).update(name="Hackney Only Group")
        assert User.objects.filter(council=hackney).exists()
    with scope(council=hackney.pk):
        hackney_admin = User.objects.create_superuser("lists@hackney.example.org")
    with scope(council=Council.objects.get(slug="barnet").pk):
        barnet_admin = User.objects.create_superuser("lists@barnet.example.org")
    words = ("Zebedee", "Xanthippe", "Quillon", "Hackney Only")
    # Hackney's own lists show them (so the search below would find a leak)...
    own = _words_on_lists(client, hackney_admin, "hackney.localhost", words)
    assert {"Quillon", "Hackney Only"} <= set().union(*own.values())
    # ...and no page of Barnet's does.
    assert _words_on_lists(client, barnet_admin, "barnet.localhost", words) == {}


def _words_on_lists(client, user, host: str, words) -> dict[str, list[str]]:
    client.logout()
    sign_in(client, user)
    seen = {}
    for route in LIST_ROUTES:
        response = client.get(route.url(), HTTP_HOST=host)
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        page = body.decode(errors="replace")
        if found := [word for word in words if word in page]:
            seen[str(route)] = found
    return seen
