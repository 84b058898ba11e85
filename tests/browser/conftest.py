import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


@pytest.fixture(scope="session")
def base_url():
    # Replaces pytest-playwright's fallback, a session fixture written as a method, which
    # pytest 9 deprecates (warnings are errors here). Pages are opened from live_server.url.
    return None


# --- Real e-mail: the worker sends to this test's SMTP sink (tests/conftest.py) ----------


@pytest.fixture
def site_url(settings, live_server):
    """Links in e-mails point at the live server. The web process builds some of them (the
    sign-in link), the worker the others (the receipt): both must agree."""
    settings.SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def celery_worker_env(mail_sink, site_url):
    # Overrides tests/conftest.py's: the worker sends its mail to this test's sink.
    return {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail_sink.port), "SITE_URL": site_url}


# --- Signing in without the e-mail round trip ---------------------------------------------


@pytest.fixture
def sign_in(page, live_server):
    """Sign a user in to the browser directly: a session made with `Client.force_login`,
    its cookie handed to the browser. For journeys that are not about signing in."""

    def sign_in(user):
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        return user

    return sign_in


# The data migrations' reference data: the prize's areas, Stockholms läns municipalities, the
# jury's partner organisations and the 2023 edition with its winner. Add new ones here.
