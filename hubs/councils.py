"""Which council a request (or a command) acts for, and the scope that keeps its rows apart.

The council comes from the host name (barnet.localhost, hackney.localhost); a host no council
claims, like 127.0.0.1, gets the default council. ``CouncilMiddleware`` (earlyhelp/middleware.py)
runs each request inside ``scope(council=<id>)`` from django-scopes, so the managers of models a
council owns filter by it, and a query made outside any scope raises ScopeError rather than
reading every council's rows. Commands act for one council with ``acting_for(council)``.

This module is imported by hubs/models.py, so it reads the Council model lazily.
"""

import time
from contextlib import contextmanager

from django.apps import apps
from django.db import DatabaseError
from django_scopes import get_scope, scope, scopes_disabled

# How long a process keeps its map of host names to councils (councils change rarely: a new
# council is a deployment, and its host names come from its data folder).
CACHE_SECONDS = 60

_hosts: dict = {"read_at": None, "by_host": {}, "default": None, "by_id": {}}


def _council_model():
    return apps.get_model("hubs", "Council")


def _councils() -> dict:
    now = time.monotonic()
    if _hosts["read_at"] is None or now - _hosts["read_at"] > CACHE_SECONDS:
        by_host, by_id, default = {}, {}, None
        try:
            found = list(_council_model().objects.all())
        except DatabaseError:  # no database yet (checks), or not migrated
            return {"by_host": {}, "by_id": {}, "default": None}
        for council in found:
            by_id[council.pk] = council
            for host in council.host_names:
                by_host[host.lower()] = council
            if council.is_default:
                default = council
        _hosts.update(read_at=now, by_host=by_host, by_id=by_id, default=default)
    return _hosts


def forget() -> None:
    """Read the councils afresh on next use (after loading or changing one)."""
    _hosts["read_at"] = None


def for_host(host: str):
    """The council answering on this host name (without its port), else the default one."""
    councils = _councils()
    council = councils["by_host"].get(host.lower().rstrip("."))
    return council or councils["default"]


# The scope while no council can be read: a council id no row has, so every query is empty.
NO_COUNCIL = 0


def unavailable():
    """The default council's name and data, unsaved, for the pages shown while the database
    cannot be read (the error pages, /healthz)."""
    from django.conf import settings

    data = settings.COUNCIL
    return _council_model()(
        slug=settings.COUNCIL_DATA,
        name=data["name"],
        ons_code=data["local_authority_code"],
        data=data,
    )


def default_council():
    return _councils()["default"]


def by_id(pk: int):
    councils = _councils()
    if pk not in councils["by_id"]:
        forget()
        councils = _councils()
    return councils["by_id"][pk]


def current_council_id() -> int | None:
    """The council the current request or command acts for; outside any scope, the default.

    Also the default of every ``council`` column, so rows are created in the right council.
    """
    value = get_scope().get("council")
    if isinstance(value, int) and value != NO_COUNCIL:
        return value
    default = default_council()
    return default.pk if default is not None else None


def current():
    """The Council the current request or command acts for (the default outside any scope)."""
    pk = current_council_id()
    return by_id(pk) if pk else unavailable()


@contextmanager
def acting_for(council):
    """Run a command's reads and writes for one council."""
    with scope(council=council.pk):
        yield council


@contextmanager
def every_council():
    """For the few jobs that run across councils (the gazetteer, retention, the combined feed)."""
    with scopes_disabled():
        yield


def every_council_id() -> list[int]:
    """Every council's id, for the combined feed's scope."""
    return sorted(_councils()["by_id"])


def belongs_to(user, council) -> bool:
    """Staff work for one council; a superuser with no council administers every council."""
    if user.council_id is None:
        return user.is_superuser
    return user.council_id == council.pk


def levels_of_need() -> list[dict]:
    """The council's level-of-need continuum (its data's levels_of_need)."""
    return _setting("LEVELS_OF_NEED", "levels_of_need")


def agency_email_domains() -> list[str]:
    """Its partner agencies' email domains: an invitation to one needs no approval."""
    domains = _setting("AGENCY_EMAIL_DOMAINS", "agency_email_domains")
    return [domain.strip().lower() for domain in domains if domain.strip()]


def retention() -> dict:
    """How long its case records are kept (its data/<council>/retention.json, loaded into its
    data as ``retention``; referrals.retention)."""
    from django.conf import settings

    council = current()
    if council.is_default or "retention" not in council.data:
        return settings.RETENTION
    return settings.RETENTION | council.data["retention"]


def youngest_age_judged_competent() -> int:
    return int(_setting("YOUNGEST_AGE_JUDGED_COMPETENT", "youngest_age_judged_competent"))


def languages() -> list[tuple[str, str]]:
    """The languages its public pages are offered in (LANGUAGES holds every council's)."""
    from django.conf import settings

    own = current().data.get("languages")
    if own is None:
        return list(settings.LANGUAGES)
    return [
        (code, name)
        for code, name in settings.LANGUAGES
        if code == settings.LANGUAGE_CODE or code in own
    ]


def _setting(name: str, key: str):
    """The default council's value from settings (so a deployment, or a test, can set it),
    another council's from its data (council.json), falling back to the setting."""
    from django.conf import settings

    council = current()
    if council.is_default or key not in council.data:
        return getattr(settings, name)
    return council.data[key]


@contextmanager
def acting_for_default():
    """A command's scope: the default council's, once there is one (before the first migration
    and load there is none, and nothing council-owned to read)."""
    council = default_council()
    if council is None:
        yield
        return
    with scope(council=council.pk):
        yield


def on_this_deployment(ons_code: str | None):
    """The council with this ONS code if this deployment serves it, else None."""
    return next(
        (c for c in _councils()["by_id"].values() if c.ons_code == ons_code and ons_code), None
    )


def address_of(council) -> str:
    """Where a council's pages are: its data's site_url, else its first host name (the default
    council's: SITE_URL)."""
    from django.conf import settings

    if council.is_default:
        return settings.SITE_URL
    if site_url := council.data.get("site_url"):
        return site_url.rstrip("/")
    return f"https://{council.host_names[0]}" if council.host_names else ""
