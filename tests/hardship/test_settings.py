"""Production refuses to start on a missing secret or an unparsable setting.

Each case imports the settings in a fresh interpreter, as a real start would."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRIPPED = (
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "INTEGRITY_HMAC_KEY",
    "INTEGRITY_KEY_FILE",
    "BENCH",
)
# Production also needs the key that signs the integrity checkpoints.
INTEGRITY = {"INTEGRITY_HMAC_KEY": secrets.token_urlsafe(48)}


def run(args, tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k not in STRIPPED}
    environment.update(VAR_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def import_settings(tmp_path, **env):
    return run(["-c", "import hardship.settings"], tmp_path, **env)


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = import_settings(tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_production_with_a_secret_key_starts(tmp_path):
    result = import_settings(tmp_path, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), **INTEGRITY)
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_secret_key_shorter_than_50_characters(tmp_path):
    result = import_settings(tmp_path, DEBUG="0", SECRET_KEY="k" * 49, **INTEGRITY)
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters long" in result.stderr
    assert "k" * 49 not in result.stderr  # the key itself is never printed
    assert import_settings(tmp_path, DEBUG="0", SECRET_KEY="k" * 50, **INTEGRITY).returncode == 0


def installed_apps(tmp_path, **env):
    code = "import hardship.settings as s; print(' '.join(s.INSTALLED_APPS))"
    result = run(["-c", code], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_benchmark_app_is_installed_only_where_benchmarks_run(tmp_path):
    production = dict(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), **INTEGRITY)
    assert "bench" not in installed_apps(tmp_path, **production)
    assert "bench" not in installed_apps(tmp_path, DEBUG="1")
    assert "bench" in installed_apps(tmp_path, BENCH="1", **production)


def test_postgresql_runs_without_jit_and_keeps_the_urls_own_server_options(tmp_path):
    """JIT off for every PostgreSQL connection (the primary and the replica), added to the
    options a URL already carries (a worker's search_path, say), never in their place."""
    code = (
        "import hardship.settings as s; "
        "print(s.DATABASES['default']['OPTIONS']['options']); "
        "print(s.DATABASES['replica']['OPTIONS']['options'])"
    )
    base = "postgres://postgres@127.0.0.1:5432/hardship"
    result = run(
        ["-c", code],
        tmp_path,
        DEBUG="1",
        DATABASE_URL=f"{base}?options=-c%20search_path%3Dqueue",
        DATABASE_REPLICA_URL=base,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["-c search_path=queue -c jit=off", "-c jit=off"]


def debug_as_started(tmp_path, **env):
    code = "import hardship.settings as s; print(s.DEBUG, s.REQUIRE_2FA)"
    return run(["-c", code], tmp_path, **env)


def test_debug_is_off_unless_asked_for(tmp_path):
    """A server started with nothing but a secret key runs as production (DEBUG off, the
    second factor required); without a key it does not start at all."""
    result = debug_as_started(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), **INTEGRITY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]
    result = debug_as_started(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_the_demo_turns_debug_on_and_needs_no_secret_key(tmp_path):
    result = debug_as_started(tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]
    assert (tmp_path / "dev-secret-key").exists()


def test_a_bare_checkout_checks_its_migrations_without_any_key(tmp_path):
    """makemigrations writes source files only: with nothing configured it runs on the
    development settings, while a server with nothing configured still refuses (above)."""
    result = run(
        ["manage.py", "makemigrations", "--check", "--dry-run"],
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_production_without_an_integrity_key_refuses_to_start(tmp_path):
    result = import_settings(tmp_path, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode != 0
    assert "INTEGRITY_HMAC_KEY or INTEGRITY_KEY_FILE must be set when DEBUG is off." in (
        result.stderr
    )


@pytest.mark.parametrize("name, value", [("DEBUG", "maybe"), ("AXES_FAILURE_LIMIT", "five")])
def test_an_unparsable_value_refuses_to_start_and_names_the_variable(tmp_path, name, value):
    result = import_settings(tmp_path, SECRET_KEY=secrets.token_urlsafe(50), **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name} must be" in result.stderr


def test_the_deployment_checklist_passes_with_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
        **INTEGRITY,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
