"""`make run`'s embedded default is SQLite, which the rest of the suite never touches: code
written for PostgreSQL (an aggregate, INSERT in a WITH, ArraySubquery) must have a way that
works there too. A database of its own, migrated and loaded with the demo, is walked by
every role in a process of its own."""

import os
import subprocess
import sys

import pytest

from tests.kvinnofrid.test_configuration import ROOT

pytestmark = pytest.mark.integration


def _manage(var_dir, *arguments: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "kvinnofrid.settings",
        "DEBUG": "true",
        "SECRET_KEY": "tests-only-not-a-secret",
        "VAR_DIR": str(var_dir),
        # No DATABASE_URL, REDIS_URL or CACHE_URL: the embedded default, as `make run` has it.
    }
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_role_finds_its_pages_on_the_embedded_sqlite_database(tmp_path):
    for step in (("migrate", "--noinput"), ("load_demo",)):
        done = _manage(tmp_path, *step)
        assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "db.sqlite3").exists()

    walk = (ROOT / "tests" / "kvinnofrid" / "walk_embedded.py").read_text()
    done = _manage(tmp_path, "shell", "-c", walk)

    assert done.returncode == 0, done.stderr[-3000:]
    answers = [line.split(" ", 1) for line in done.stdout.splitlines() if line[:1].isdigit()]
    assert len(answers) > 25, done.stdout
    broken = [path for status, path in answers if status.startswith("5")]
    assert broken == [], done.stderr[-3000:]
    assert "organisation same Första" in done.stdout
