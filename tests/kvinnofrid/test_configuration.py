import ast
import os
import re
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


def _environment_variables_read_by_settings() -> set[str]:
    """Every NAME in an `env_*("NAME", …)` call in settings.py, read from its syntax tree."""
    tree = ast.parse((ROOT / "kvinnofrid" / "settings.py").read_text())
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("env_")
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }


def _variables_in_readme_table() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])}


def test_every_environment_variable_has_a_row_in_the_readme():
    read = _environment_variables_read_by_settings()
    assert {"SECRET_KEY", "SECURE_HSTS_PRELOAD"} <= read  # the parse finds them
    assert read - _variables_in_readme_table() == set()


def test_settings_read_the_environment_only_through_the_env_readers():
    # Otherwise a variable read as os.environ["…"] would escape the table above.
    tree = ast.parse((ROOT / "kvinnofrid" / "settings.py").read_text())
    direct = sorted(
        {
            node.attr if isinstance(node, ast.Attribute) else node.id
            for node in ast.walk(tree)
            if (isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"})
            or (isinstance(node, ast.Name) and node.id in {"environ", "getenv"})
        }
    )

    assert direct == []


def _setting_in_production(name: str, **env: str) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    result = _manage("shell", "--no-imports", "-c", code, env={**PRODUCTION_ENV, **env})
    return result.stdout.strip() or result.stderr


def test_hsts_preload_is_off_unless_asked_for():
    # Preloading cannot be taken back quickly: an operator turns it on, a default does not.
    assert _setting_in_production("SECURE_HSTS_PRELOAD") == "False"
    assert _setting_in_production("SECURE_HSTS_PRELOAD", SECURE_HSTS_PRELOAD="true") == "True"
