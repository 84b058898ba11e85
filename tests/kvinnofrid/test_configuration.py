import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = ROOT / "kvinnofrid" / "locale"

PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "kvinnofridspriset.example.org",
    "SITE_URL": "https://kvinnofridspriset.example.org",
    "DATABASE_URL": "postgres://kvinnofrid@127.0.0.1:5432/kvinnofrid",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(
    *args: str, env: dict[str, str], unset: frozenset[str] | set[str] = frozenset()
) -> subprocess.CompletedProcess:
    # Production is what runs when nothing says otherwise: no DEBUG, no HTTPS override.
    removed = {"DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE", *unset}
    clean = {k: v for k, v in os.environ.items() if k not in removed}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_has_no_warnings_with_production_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = _manage("check", env=env, unset={"SECRET_KEY"})

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_timezone_and_languages():
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "sv"
    assert [code for code, _name in settings.LANGUAGES] == ["sv", "en"]


def test_connections_are_reused():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


@pytest.mark.django_db
def test_no_migrations_are_missing():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_catalogue_exists_and_is_compiled(language):
    po = CATALOGUES / language / "LC_MESSAGES" / "django.po"

    assert po.exists()
    assert po.with_suffix(".mo").exists(), "run `make messages`"


def test_swedish_catalogue_translates_every_string():
    catalogue = polib.pofile(str(CATALOGUES / "sv" / "LC_MESSAGES" / "django.po"))

    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == []
    assert fuzzy == []
