"""`make backup` then `make restore FILE=...`: a round trip that loses nothing. Every table holds
the same number of rows in the restored database, and its audit trail is as append-only as the
live one (the trigger came back with the rows)."""

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from earlyhelp import backup

pytestmark = pytest.mark.django_db


def _connect(database: str) -> psycopg.Connection:
    params = connection.settings_dict
    return psycopg.connect(
        host=params.get("HOST") or "localhost",
        port=params.get("PORT") or None,
        user=params.get("USER"),
        password=params.get("PASSWORD") or None,
        dbname=database,
        autocommit=True,
    )


def _row_counts(database: str) -> dict[str, int]:
    with _connect(database) as c:
        tables = [
            row[0]
            for row in c.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: c.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def _drop(database: str) -> None:
    with _connect("postgres") as c:
        c.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_the_audit_trigger(
    tmp_path, capsys
):
    live = connection.settings_dict["NAME"]
    # What the test has written so far is in a transaction the dump cannot see: compare with
    # what is committed, which the council data loaded for the session makes sizeable.
    expected = _row_counts(live)
    assert expected["hubs_postcode"] > 1000

    call_command("backup", dir=tmp_path)
    (archive,) = tmp_path.glob("*.dump")
    assert archive.name.startswith(f"{live}-")
    restored = f"{live}_roundtrip"
    _drop(restored)
    try:
        call_command("restore", str(archive), database=restored)
        assert "Restored" in capsys.readouterr().out
        assert _row_counts(restored) == expected
        with _connect(restored) as c:
            c.execute(
                "INSERT INTO earlyhelp_auditevent (at, action, record_type, record_id, detail)"
                " VALUES (now(), 'backup.tested', '', '', '{}')"
            )
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                c.execute("UPDATE earlyhelp_auditevent SET action = 'changed'")
    finally:
        _drop(restored)


def test_restore_never_overwrites_a_database(tmp_path):
    archive = tmp_path / "some.dump"
    archive.write_bytes(b"not really a dump")
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.restore(archive, connection.settings_dict["NAME"])
    with pytest.raises(backup.BackupError, match="No backup file"):
        backup.restore(tmp_path / "missing.dump")
