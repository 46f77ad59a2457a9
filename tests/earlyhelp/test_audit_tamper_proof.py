"""The audit trail holds against the application's own database role (#14): the app role can
read and add events, but cannot change, delete or truncate them, disable the table's triggers
or switch triggers off for its session; and each event carries the hash of the one before it,
which `manage.py verify_audit` checks."""

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from earlyhelp import audit
from earlyhelp.db_roles import grant_app_role
from earlyhelp.models import AuditEvent

APP_ROLE = "earlyhelp_app_under_test"


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Real commits, for a second connection to see; not pytest-django's transactional tests,
    which would empty every table, the council's postcodes and hubs included."""
    with django_db_blocker.unblock():
        yield
        with connection.cursor() as cursor:  # allowed in a test database (tests/conftest.py)
            cursor.execute("TRUNCATE earlyhelp_auditevent")


@pytest.fixture
def app_role(committed):
    """A connection to the test database as a role set up exactly as the app's is."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if not cursor.fetchone():
            cursor.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(APP_ROLE)))
    grant_app_role(APP_ROLE)
    params = connection.get_connection_params()
    params.update(user=APP_ROLE, autocommit=True)
    params.pop("password", None)
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as app:
        yield app


@pytest.fixture
def events(committed):
    for n in range(3):
        audit.record(None, "search.made", None, n=n)
    return list(AuditEvent.objects.order_by("id"))


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE earlyhelp_auditevent",
        "ALTER TABLE earlyhelp_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE earlyhelp_auditevent DISABLE TRIGGER earlyhelp_auditevent_append_only",
        "SET session_replication_role = replica",
        "UPDATE earlyhelp_auditevent SET action = 'nothing.happened'",
        "DELETE FROM earlyhelp_auditevent",
        "DROP TRIGGER earlyhelp_auditevent_chain ON earlyhelp_auditevent",
    ],
)
def test_the_app_role_cannot_empty_change_or_unguard_the_trail(app_role, events, statement):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_role.execute(statement)
    assert AuditEvent.objects.count() == len(events)
    call_command("verify_audit")


def test_the_app_role_adds_events_and_the_database_chains_them(app_role, events):
    # Whatever hashes the app sends are replaced by the database's.
    app_role.execute(
        "INSERT INTO earlyhelp_auditevent (at, action, record_type, record_id, "
        "detail, previous_hash, hash) VALUES (now(), 'family.viewed', 'family', '1', '{}', "
        "'forged', 'forged')"
    )
    chain = list(AuditEvent.objects.order_by("id").values_list("previous_hash", "hash"))
    assert chain[0][0] == ""
    assert all(later[0] == earlier[1] for earlier, later in zip(chain, chain[1:], strict=False))
    assert "forged" not in {value for pair in chain for value in pair}
    call_command("verify_audit")


def test_even_the_owner_cannot_truncate_the_trail_without_saying_it_is_a_test(events):
    with connection.cursor() as cursor:
        cursor.execute("RESET earlyhelp.flush_audit")
        with pytest.raises(Exception, match="append-only: TRUNCATE is not allowed"):
            cursor.execute("TRUNCATE earlyhelp_auditevent")
        cursor.execute("SET earlyhelp.flush_audit = on")
    assert AuditEvent.objects.count() == len(events)


def _as_superuser_without_triggers(statement, params=()):
    """What only a superuser could do: change the trail behind the triggers' back."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(statement, params)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def test_verify_audit_finds_a_changed_event(events, capsys):
    call_command("verify_audit")
    assert f"{len(events)} events checked" in capsys.readouterr().out
    _as_superuser_without_triggers(
        "UPDATE earlyhelp_auditevent SET action = 'nothing.happened' WHERE id = %s",
        [events[1].pk],
    )
    with pytest.raises(CommandError, match=f"event {events[1].pk} does not match its hash"):
        call_command("verify_audit")


def test_verify_audit_finds_a_removed_event(events):
    _as_superuser_without_triggers("DELETE FROM earlyhelp_auditevent WHERE id = %s", [events[1].pk])
    with pytest.raises(CommandError, match=f"event {events[2].pk} does not follow"):
        call_command("verify_audit")
