"""Helpers the role x view matrices share (tests/*/test_*_access.py)."""

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import sign_in

SIGN_IN = "sign in"


def outcome(response) -> int | str:
    """The status code, or SIGN_IN for a redirect to the sign-in page."""
    if response.status_code == 302 and response["Location"].startswith(
        resolve_url(settings.LOGIN_URL)
    ):
        return SIGN_IN
    return response.status_code


def as_(client, user):
    """``client`` signed in as ``user`` (or anonymous for None)."""
    if user is not None:
        sign_in(client, user)
    return client


def routes_in(module, resolver: URLResolver | None = None):
    """Every route, however deeply included, whose view is defined in ``module``."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from routes_in(module, pattern)
        elif isinstance(pattern, URLPattern) and pattern.callback.__module__ == module.__name__:
            yield pattern


def views_in(module) -> set[str]:
    """The names of the views ``module`` defines (each carries an audience: earlyhelp.access)."""
    return {
        name
        for name, view in vars(module).items()
        if callable(view) and getattr(view, "audience", None)
    }
