import os

import pytest

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
