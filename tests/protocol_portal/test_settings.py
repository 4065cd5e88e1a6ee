"""The settings module as a whole: it refuses to start insecurely or on bad values."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_settings(
    show: str = "s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL", **environ: str
) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with exactly these variables, and print ``show``."""
    env = {"PATH": os.environ["PATH"], "PORTAL_VAR_DIR": environ.pop("PORTAL_VAR_DIR", "/tmp/portal-settings-test")}
    env.update(environ)
    return subprocess.run(
        [sys.executable, "-c", f"import protocol_portal.settings as s; print({show})"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = load_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_it_starts_embedded_with_no_settings_in_debug():
    result = load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]


def test_it_uses_postgres_and_redis_when_given():
    result = load_settings(
        SECRET_KEY="x" * 50, DATABASE_URL="postgres://u@h/portal", CELERY_BROKER_URL="redis://127.0.0.1:6379/0"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "redis://127.0.0.1:6379/0"]


def test_it_names_a_bad_council_nation():
    result = load_settings(DEBUG="true", COUNCIL_NATION="wales")
    assert result.returncode != 0
    assert "COUNCIL_NATION='wales' is not one of" in result.stderr


SECURITY = (
    "s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.TWO_FACTOR_ENFORCED, "
    "s.SESSION_INACTIVITY_TIMEOUT.total_seconds(), s.SESSION_ABSOLUTE_TIMEOUT.total_seconds(), s.SESSION_COOKIE_AGE"
)


def test_it_defends_sign_in_by_default():
    result = load_settings(SECURITY, DEBUG="true")
    assert result.returncode == 0, result.stderr
    # 5 failures lock for 15 minutes; two-factor enforced; 30 minutes idle, 12 hours in all.
    assert result.stdout.split() == ["5", "900.0", "True", "1800.0", "43200.0", "43200"]


def test_it_reads_the_sign_in_limits_from_the_environment():
    result = load_settings(
        SECURITY,
        DEBUG="true",
        SIGN_IN_FAILURE_LIMIT="3",
        SIGN_IN_LOCKOUT_MINUTES="60",
        TWO_FACTOR_ENFORCED="false",
        SESSION_INACTIVITY_MINUTES="10",
        SESSION_ABSOLUTE_HOURS="8",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "3600.0", "False", "600.0", "28800.0", "28800"]


def test_it_names_a_bad_sign_in_limit():
    result = load_settings(DEBUG="true", SESSION_INACTIVITY_MINUTES="0")
    assert result.returncode != 0
    assert "SESSION_INACTIVITY_MINUTES='0' must be at least 1" in result.stderr
