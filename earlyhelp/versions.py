"""Version tokens, shared by every process through PostgreSQL (the "shared" cache).

A process may keep something costly in memory (the hub map drawn as SVG, a public service
page's records) under the current token of what it was built from. A change anywhere bumps the
token. The process that made the change sees it at once; every other app server within
VERSION_CHECK_SECONDS (1 by default), since each reads the shared table at most that often.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

_read: dict[str, tuple[str, float]] = {}  # name: (token, when this process last read it)


class _Changes:
    seen_at = -1e9  # when this process last saw a token change (time.monotonic())


_changes = _Changes()


def _key(name: str) -> str:
    return f"version:{name}"


def current(name: str) -> str:
    now = time.monotonic()
    held, read_at = _read.get(name, ("", -1e9))
    if now - read_at < settings.VERSION_CHECK_SECONDS:
        return held
    shared = caches["shared"]
    token = shared.get(_key(name))
    if token is None:
        shared.add(_key(name), uuid.uuid4().hex, None)
        token = shared.get(_key(name))
    if held and token != held:
        _changes.seen_at = now
    _read[name] = (token, now)
    return token


def bump(name: str) -> None:
    """A new token now (this process's next request sees the change) and again once the change
    commits (so a process that read the old rows in between does not keep them)."""

    def new_token() -> None:
        token = uuid.uuid4().hex
        caches["shared"].set(_key(name), token, None)
        _read[name] = (token, time.monotonic())
        _changes.seen_at = time.monotonic()

    new_token()
    transaction.on_commit(new_token)


def changed_within(seconds: float) -> bool:
    """Whether this process made or saw a change of any token in the last ``seconds`` (a read
    replica may not have replayed it yet: earlyhelp.replicas)."""
    return time.monotonic() - _changes.seen_at < seconds


def check_all() -> None:
    """current() of every token this process holds (as often as it would anyway), so that a
    request sees a change before it reads anything, not halfway through."""
    for name in list(_read):
        current(name)


def read_afresh() -> None:
    """The next current() of each token reads the shared table, whenever it last did (for a
    browser that has just made a change, perhaps through another app server)."""
    for name, (token, _) in list(_read.items()):
        _read[name] = (token, -1e9)


class Kept:
    """Values built from what version ``name`` covers, kept in this process while its token
    holds (at most ``limit`` of them; all are dropped when the token changes or the limit is
    reached)."""

    def __init__(self, name: str, limit: int = 1000):
        self.name = name
        self.limit = limit
        self._token: str | None = None
        self._values: dict = {}

    def get(self, key):
        token = current(self.name)
        if token != self._token or len(self._values) >= self.limit:
            self._token, self._values = token, {}
        return self._values.get(key)

    def put(self, key, value):
        self._values[key] = value
        return value

    def clear(self) -> None:
        """Drop every value kept."""
        self._token, self._values = None, {}

    def get_or_build(self, key, build):
        value = self.get(key)
        return self.put(key, build()) if value is None else value
