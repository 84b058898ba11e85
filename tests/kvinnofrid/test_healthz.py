import json
import shutil
import socket
import subprocess

import pytest

from kvinnofrid.celery import app as celery_app
from tests.helpers import wait_for

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def private_redis():
    """A Redis server of the test's own, so it can be stopped without harming others."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is needed for this test (Debian: apt-get install redis-server)")
    port = _free_port()

    def start():
        process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )

        def accepting():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            except OSError:
                return False
            return True

        wait_for(accepting, timeout=10)
        return process

    server = {"process": start(), "url": f"redis://127.0.0.1:{port}/0"}

    def stop():
        server["process"].terminate()
        server["process"].wait(timeout=10)

    server["start"] = lambda: server.update(process=start())
    server["stop"] = stop
    yield server
    if server["process"].poll() is None:
        stop()


def test_healthz_reports_database_and_broker_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "up", "broker": "up"},
    }


def test_healthz_is_503_while_redis_is_down_and_200_when_back(client, monkeypatch, private_redis):
    monkeypatch.setitem(celery_app.conf, "broker_url", private_redis["url"])
    assert client.get("/healthz").status_code == 200

    private_redis["stop"]()
    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["checks"] == {"database": "up", "broker": "down"}

    private_redis["start"]()
    assert client.get("/healthz").status_code == 200
