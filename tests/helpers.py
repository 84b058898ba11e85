"""Small helpers the tests share."""

import re
import subprocess
import threading
import time
from datetime import datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Summer time starts on 31 March 2041: the deadline is in summer time, the 7-day reminder not.
DEADLINE_IN_SUMMER_TIME = datetime(2041, 4, 3, 17, 0, tzinfo=STOCKHOLM)
# A personnummer with a correct check digit (Skatteverket's example, no real person), and the
# same number masked, as a page shows it to those who may not read it.
PERSONAL_IDENTITY_NUMBER = "811218-9876"
MASKED_PERSONAL_IDENTITY_NUMBER = "XXXXXX-XXXX"


def wait_for(predicate, timeout: float = 30, interval: float = 0.2):
    """Poll until `predicate()` is truthy; return its value or fail with a clear message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"Gave up waiting after {timeout} s for {predicate.__name__}")


def invite(edition, *, by, role: str = "member", **person):
    """A Swedish-speaking juror (`email`, `first_name`, `last_name`) invited by `by` through
    the service, with no partner or organisation: the invitation is queued."""
    from jury.services.jurors import invite_juror

    return invite_juror(
        edition=edition, language="sv", role=role, partner=None, organisation=None, by=by, **person
    )


def jury_url(name: str, *args, language: str = "en") -> str:
    """A jury URL; English by default so that assertions do not hang on the Swedish
    catalogue."""
    with translation.override(language):
        return reverse(f"jury:{name}", args=args)


def assert_sent_to_sign_in(response, path: str) -> None:
    """Refused to an anonymous visitor: sent to sign in (in English), and back to `path`."""
    assert response.status_code == 302
    sign_in, _, next_path = response.url.partition("?next=")
    assert (sign_in, unquote(next_path)) == ("/en/signin/", path)


def page_in_both_languages(client, path: str) -> tuple[str, str]:
    """The HTML of the page at `path` in Swedish (no prefix) and in English (under /en)."""
    swedish, english = client.get(path), client.get(f"/en{path}")
    return swedish.content.decode(), english.content.decode()


def visible_text(response) -> str:
    """The page's text, tags removed and runs of white space collapsed: what a reader sees."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def race(work, *, racers: int = 2, timeout: float = 60) -> tuple[list, list[Exception]]:
    """Run `work()` in `racers` threads released together, each on its own database
    connection; what they returned and what they raised, in the order they finished."""
    start = threading.Barrier(racers)
    results: list = []
    errors: list[Exception] = []

    def racer():
        try:
            start.wait(timeout=10)
            results.append(work())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    return results, errors


def stop(process: subprocess.Popen, *, timeout: float) -> None:
    """Ask a child process to stop; kill it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- Signing in with both factors ----------------------------------------------------------

# Django's own force_login, before tests/conftest.py makes it give the second factor too.
force_login_first_factor_only = Client.force_login


def verified_device(user):
    """A confirmed TOTP device of the user's (made if missing): what a verified session names."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def mark_second_factor_given(client, user) -> None:
    """As django-two-factor-auth's tests do: a verified session is a login plus the device."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
    session.save()


def force_login_both_factors(client, user, backend=None) -> None:
    force_login_first_factor_only(client, user, backend)
    from accounts import two_factor

    if two_factor.required_for(user):
        mark_second_factor_given(client, user)


def landed_on(client, response) -> str:
    """Where a sign-in that ends on the landing page (LOGIN_REDIRECT_URL) sends this person."""
    assert response["Location"] == reverse("landing")
    return client.get(response["Location"])["Location"]
