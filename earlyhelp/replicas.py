"""A streaming read replica for the public pages; everything else on the primary (#17).

With REPLICA_DATABASE_URL set, settings add DATABASES["replica"], this module's router and its
middleware. Without it, the middleware removes itself and nothing changes.

Which reads may go to the replica is decided request by request, and only these may:

- GET and HEAD of the public read pages (``PUBLIC_READ_VIEWS``, in every language: the directory
  search, service, place, library and life-stage pages, find your hub and the hub pages) and of
  the Open Referral UK feed (``PUBLIC_READ_NAMESPACES``);
- reading the directory's and the hubs' own tables (``REPLICA_APPS``). Sessions, staff accounts,
  django-axes' sign-in failures, the audit trail, tasks and the shared cache (version tokens)
  are read from the primary even then;
- from a browser that has not written lately. Any other method (a POST) sets the ``pin_primary``
  cookie (HttpOnly, SameSite=Lax, Secure in production; it holds "1", nothing personal) for
  ``pin_seconds()``, and that browser reads from the primary until it expires, on every app
  server: it sees its own change whichever server answers (read-your-writes);
- not inside a transaction (``atomic``), and not after a write in the same request;
- not while this process has just seen a version token change (earlyhelp.versions): what it then
  builds and keeps in memory under the new token must come from rows the token describes;
- while the replica is a streaming standby at most REPLICA_MAX_LAG_SECONDS behind (checked at
  most once a second per process; a replica that is down or behind is left alone, and checked
  again every few seconds, so the public pages keep working from the primary).

Writes always go to the primary, and migrations run only there. Raw SQL that reads what the
ORM would (the directory search's paging) takes ``connection_for_reading(Model)``.
"""

import contextvars
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse

from earlyhelp import versions

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "pin_primary"
READ_METHODS = frozenset({"GET", "HEAD"})
# Any other method may write (RFC 9110's safe methods aside) and pins the browser.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# Public pages whose reads may be answered by the replica ("namespace:name").
PUBLIC_READ_VIEWS = frozenset(
    {
        "directory:search",
        "directory:service",
        "directory:place",
        "directory:libraries",
        "directory:life_stages",
        "directory:life_stage",
        "hubs:find",
        "hubs:list",
        "hubs:detail",
    }
)
# Every view of these URL namespaces: the Open Referral UK feed (directory/api_urls.py).
PUBLIC_READ_NAMESPACES = frozenset({"oruk"})
# The apps whose tables those pages read. Anything else (sessions, accounts, axes, audit, tasks,
# the shared cache) is read from the primary in every request.
REPLICA_APPS = frozenset({"directory", "hubs"})

# How often each process asks the replica how far behind it is; after a failed or lagging
# answer it waits longer before asking again.
CHECK_SECONDS = 1.0
RECHECK_UNREADY_SECONDS = 5.0
# In one query: a standby, with a WAL receiver (its pid is visible to any role; its status only
# to pg_read_all_stats, so NULL counts as streaming), and its lag: 0 when it has replayed all it
# received, else the time since the last transaction it replayed.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       receiver.pid,
       receiver.status,
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
FROM (SELECT 1) AS one LEFT JOIN pg_stat_wal_receiver AS receiver ON true
"""


def enabled() -> bool:
    return REPLICA in settings.DATABASES


def pin_seconds() -> int:
    """How long after a write a browser reads from the primary (and this process, after seeing a
    version change): the longest lag the replica may have while in use, plus a margin for how
    often the lag is checked."""
    return settings.REPLICA_MAX_LAG_SECONDS + 2


@dataclass
class _Reading:
    """What the request being answered may read from the replica."""

    replica: bool = False
    wrote: bool = False


_request: contextvars.ContextVar[_Reading | None] = contextvars.ContextVar(
    "earlyhelp_replica_reading", default=None
)


class ReplicaRouter:
    """Reads of the public pages' tables in a marked request go to the replica; every other
    read, every write and every migration to the primary."""

    def db_for_read(self, model, **hints) -> str:
        reading = _request.get()
        if reading is None or not reading.replica or reading.wrote:
            return PRIMARY
        if model._meta.app_label not in REPLICA_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY  # a transaction reads what it is about to change
        if versions.changed_within(pin_seconds()):
            return PRIMARY  # the replica may not hold what the new token describes yet
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        reading = _request.get()
        if reading is not None:
            reading.wrote = True  # the rest of this request reads its own write
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        """A row read from the replica is the same row as on the primary."""
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY


def connection_for_reading(model) -> BaseDatabaseWrapper:
    """The connection the router chooses to read ``model``'s table, for raw SQL that reads what
    the ORM would (without a replica, ``django.db.connection``)."""
    return connections[router.db_for_read(model)]


class _Health:
    checked_at = -math.inf
    ready = False


_health = _Health()


def replica_ready() -> bool:
    """Whether the replica is a streaming standby within REPLICA_MAX_LAG_SECONDS, as last seen by
    this process (asked at most every CHECK_SECONDS, or RECHECK_UNREADY_SECONDS after a no)."""
    now = time.monotonic()
    wait = CHECK_SECONDS if _health.ready else RECHECK_UNREADY_SECONDS
    if now - _health.checked_at < wait:
        return _health.ready
    replica = connections[REPLICA]
    try:
        with replica.cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, receiver, status, lag = cursor.fetchone()
        ready = bool(
            in_recovery
            and receiver is not None
            and status in (None, "streaming")
            and lag is not None
            and lag <= settings.REPLICA_MAX_LAG_SECONDS
        )
    except DatabaseError:
        replica.close()  # reconnect at the next check
        ready = False
    _health.checked_at, _health.ready = time.monotonic(), ready
    return ready


class ReplicaMiddleware:
    """Marks the requests whose reads the replica may answer, and pins a browser that has just
    written to the primary (the module's docstring says when)."""

    def __init__(self, get_response) -> None:
        if not enabled():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if PIN_COOKIE in request.COOKIES:
            # This browser wrote a moment ago, perhaps through another app server: what this
            # process keeps in memory is checked against the shared version tokens now, not
            # within VERSION_CHECK_SECONDS.
            versions.read_afresh()
        token = _request.set(_Reading())
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        reading = _request.get()
        if reading is None or request.method not in READ_METHODS:
            return
        if PIN_COOKIE in request.COOKIES or not is_public_read(request):
            return
        if connections[PRIMARY].in_atomic_block:
            return  # the whole request is a transaction (ATOMIC_REQUESTS, or a test's)
        versions.check_all()  # a change seen now sends this request's reads to the primary
        reading.replica = replica_ready()


def is_public_read(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    return match.view_name in PUBLIC_READ_VIEWS or any(
        namespace in PUBLIC_READ_NAMESPACES for namespace in match.namespaces
    )
