"""The audit trail is append-only, whoever tries to change it."""

import pytest
from django.db import DatabaseError, connection, transaction

from earlyhelp import audit
from earlyhelp.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(alice):
    return audit.record(None, "user.viewed", alice, user=alice)


def test_an_event_records_who_did_what_to_which_record(event, alice):
    assert (event.actor, event.action, event.record_type, event.record_id) == (
        alice,
        "user.viewed",
        "user",
        str(alice.pk),
    )


def test_the_database_refuses_to_change_an_event(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing.happened")


def test_the_database_refuses_to_delete_an_event(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_even_raw_sql_cannot_delete_the_trail(event):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM earlyhelp_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
