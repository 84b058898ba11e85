"""What the processes write at run time lands under var/ on a laptop, and in Redis under
Compose; never in the working directory, never in the repository."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.helpers import wait_for

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    removed = {"REDIS_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    return {
        **{k: v for k, v in os.environ.items() if k not in removed},
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "kvinnofrid.settings",
        "VAR_DIR": str(tmp_path / "var"),
        **extra,
    }


def _files_under(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.rglob("*") if p.is_file())


def test_the_embedded_brokers_control_folder_is_under_var_broker(tmp_path):
    broker = tmp_path / "var" / "broker"
    for folder in ("queue", "processed", "control"):
        (broker / folder).mkdir(parents=True)
    ping = (
        "import django; django.setup(); "
        "from kvinnofrid.celery import app; app.control.ping(timeout=0.2)"
    )

    # Run from an empty folder: kombu's own default is ./control in the working directory.
    result = subprocess.run(
        [sys.executable, "-c", ping],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert _files_under(tmp_path) == ["var/broker/control/reply.celery.pidbox.exchange"]


def test_git_ignores_kombus_control_folder_and_var():
    result = subprocess.run(
        ["git", "check-ignore", "control/celery.exchange", "var/broker/control/x.exchange"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    tracked = subprocess.run(
        ["git", "ls-files", "control", "var"], cwd=ROOT, capture_output=True, text=True
    )

    assert result.stdout.split() == ["control/celery.exchange", "var/broker/control/x.exchange"]
    assert tracked.stdout == ""


@pytest.fixture
def redbeat_keys():
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    # Beat queued what was due; no worker here is to run it.
    client.delete(*client.keys("redbeat*"), "celery")


@pytest.mark.integration
def test_beat_keeps_its_schedule_in_redis_and_writes_no_file(tmp_path, redbeat_keys):
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "kvinnofrid", "beat", "--loglevel", "INFO"],
        cwd=tmp_path,
        env=_env(tmp_path, REDIS_URL=settings.REDIS_URL),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def every_entry_is_in_redis():
            names = {key.decode() for key in redbeat_keys.keys("redbeat:*")}
            return {f"redbeat:{name}" for name in settings.CELERY_BEAT_SCHEDULE} <= names

        wait_for(every_entry_is_in_redis)
    finally:
        process.terminate()
        process.wait(timeout=15)

    scheduled = {member.decode() for member in redbeat_keys.zrange("redbeat::schedule", 0, -1)}
    assert {f"redbeat:{name}" for name in settings.CELERY_BEAT_SCHEDULE} <= scheduled
    assert _files_under(tmp_path) == []
