"""Settings come from the environment and refuse bad values at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-test-secret-key-that-is-long-enough-for-django-deploy-checks-0123456789",
    "ALLOWED_HOSTS": "earlyhelp.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/earlyhelp",
    "EMAIL_HOST": "smtp.example.org",
    "SITE_URL": "https://earlyhelp.example.org",
}


def start(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process with exactly this environment (plus PATH)."""
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ["check"])],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set in production"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be at least 50 characters long"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set in production"),
        ({"DATABASE_URL": ""}, "DATABASE_URL must be set in production"),
        ({"DATABASE_URL": "mysql://root@localhost/x"}, "DATABASE_URL must point to PostgreSQL"),
        ({"DEBUG": "true"}, "DEBUG cannot be true when DJANGO_ENV=production"),
        ({"EMAIL_HOST": ""}, "EMAIL_HOST must be set"),
        ({"SITE_URL": "http://earlyhelp.example.org"}, "SITE_URL must be set to the portal's"),
        ({"SESSION_IDLE_TIMEOUT_MINUTES": "0"}, "SESSION_IDLE_TIMEOUT_MINUTES must be at least 1"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false, not 'maybe'"),
        ({"DJANGO_ENV": "staging"}, "DJANGO_ENV must be one of production, development"),
        ({"SECURE_HSTS_SECONDS": "3600"}, "SECURE_HSTS_SECONDS must be at least 31536000"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS must be a whole number"),
        (
            {"COUNCIL_DATA": "../../etc"},
            "COUNCIL_DATA and COUNCILS must be folder names under data/",
        ),
        ({"COUNCIL_DATA": "nowhere"}, "cannot read data/nowhere/council.json"),
        ({"TRUSTED_PROXIES": "10.0.0.0/8,not-a-network"}, "TRUSTED_PROXIES: 'not-a-network'"),
    ],
)
def test_a_bad_setting_stops_start_up_with_a_clear_message(change, message):
    result = start({**PRODUCTION, **change})
    assert result.returncode != 0
    assert message in result.stderr


def test_production_is_the_default_so_a_forgotten_variable_cannot_mean_debug():
    result = start({})
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_settings_pass_djangos_deploy_checks():
    result = start(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def _setting(env: dict, expression: str) -> str:
    shown = start(env, "shell", "-c", f"from django.conf import settings; print({expression})")
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip().splitlines()[-1]  # after the shell's own greeting


def test_production_serves_only_the_default_council_unless_told_more():
    """No sample council goes live by accident: Hackney's folder is there, but a production
    deployment serves Barnet alone until COUNCILS names Hackney too (#17)."""
    assert _setting(PRODUCTION, "settings.COUNCILS") == "['barnet']"
    hosts = _setting(PRODUCTION, "settings.ALLOWED_HOSTS")
    assert "hackney.earlyhelp.example" not in hosts
    both = {**PRODUCTION, "COUNCILS": "barnet,hackney"}
    assert _setting(both, "settings.COUNCILS") == "['barnet', 'hackney']"
    assert "hackney.earlyhelp.example" in _setting(both, "settings.ALLOWED_HOSTS")


@pytest.mark.django_db
def test_the_apps_queries_run_without_parallel_workers():
    """A page's query is a few milliseconds: no parallel workers are started for it (#18)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_planner_options_give_way_to_the_database_urls_own_or_to_none():
    url = PRODUCTION["DATABASE_URL"]
    options = "settings.DATABASES['default'].get('OPTIONS', {}).get('options')"
    default = "-c max_parallel_workers_per_gather=0 -c synchronize_seqscans=off"
    assert _setting(PRODUCTION, options) == default
    own = {**PRODUCTION, "DATABASE_URL": f"{url}?options=-c%20work_mem%3D8MB"}
    assert _setting(own, options) == "-c work_mem=8MB"
    assert _setting({**PRODUCTION, "DATABASE_PLANNER_OPTIONS": "none"}, options) == "None"
