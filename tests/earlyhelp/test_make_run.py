"""`make run` on a fresh machine starts its own PostgreSQL; stopping it the way a service manager
or `docker stop` does (SIGTERM to the whole process group) must leave no PostgreSQL behind.
Before the fix, runserver's reloader killed its child outright and the server outlived everyone.

The test starts a server of its own in a temporary folder (EMBEDDED_DATA_DIR), so it works the
same whether the suite runs on the embedded server or on DATABASE_URL.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for a PID 1 that does not reap (as in some
    containers)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _wait_until(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (http to localhost)
            return response.status == 200
    except OSError:
        return False


def test_sigterm_to_make_runs_process_group_leaves_no_postgresql(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "DATABASE_OWNER_URL",
            "EARLYHELP_DATABASE_ROLE",
            "MAKEFLAGS",
            "MAKELEVEL",
        }
    }
    env.update(DJANGO_ENV="development", EMBEDDED_DATA_DIR=str(tmp_path))
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = _free_port()
    # `make serve` is the last step of `make run`: the task worker and the server.
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}"],  # noqa: S607
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    postmaster_pid = tmp_path / "postgres" / "postmaster.pid"
    try:
        assert _wait_until(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 120)
        postgres = int(postmaster_pid.read_text().split()[0])
        assert _alive(postgres)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        assert _wait_until(lambda: not _alive(postgres), 30), "PostgreSQL outlived make run"
        assert not postmaster_pid.exists()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        if postmaster_pid.exists():  # never leave a server behind, whatever happened above
            with contextlib.suppress(OSError, ValueError):
                os.kill(int(postmaster_pid.read_text().split()[0]), signal.SIGQUIT)
