import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
if not AXE_SCRIPT.exists():
    raise RuntimeError(f"{AXE_SCRIPT} is missing: `make test` installs it (`npm ci` in tests/).")

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    # axe-core on every document the page opens (see axe_check). An init script, not
    # `add_script_tag`: the site's CSP forbids inline script, and rightly stays on in the tests.
    page.add_init_script(path=str(AXE_SCRIPT))
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


# --- Accessibility: axe-core on every page state a journey visits ----------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The two widths of the audit: a desktop, and WCAG 1.4.10's 320 CSS pixels of reflow.
AXE_WIDTHS = (1280, 320)

# Every page state checked in this run, in order, for the summary at the end.
CHECKED_STATES: list[str] = []


def _format_violations(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"      {' '.join(node['target'])}: {node['failureSummary'].strip()}")
    return "\n".join(lines)


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        pytest.fail("axe-core is not in the page: was it opened through the `page` fixture?")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return result["violations"]


def _horizontal_overflow(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _too_wide(page) -> list[str]:
    # The innermost elements that stick out to the right: where the overflow comes from.
    return page.evaluate(
        """() => {
            const limit = document.documentElement.clientWidth;
            const wide = [...document.body.querySelectorAll("*")].filter(
                (el) => el.getBoundingClientRect().right > limit + 0.5
            );
            return wide
                .filter((el) => !wide.some((other) => other !== el && el.contains(other)))
                .slice(0, 5)
                .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
        }"""
    )


@pytest.fixture
def axe_check(page):
    """`axe_check(label)`: the page as it is now, at 1280 and at 320 CSS pixels, has no axe
    violation of WCAG 2.1 A/AA and, at 320, does not scroll sideways (1.4.10). The label
    names the page state in the run's summary."""

    def axe_check(label: str) -> None:
        original = page.viewport_size
        problems = []
        try:
            for width in AXE_WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                violations = run_axe(page)
                if violations:
                    problems.append(f"at {width} px:\n{_format_violations(violations)}")
                if width == 320 and (overflow := _horizontal_overflow(page)) > 0:
                    problems.append(
                        f"at 320 px the page scrolls sideways by {overflow} px; too wide: "
                        + ", ".join(_too_wide(page))
                    )
        finally:
            if original:
                page.set_viewport_size(original)
        CHECKED_STATES.append(f"{label} [{page.url}]")
        if problems:
            pytest.fail(f"Accessibility of {label!r} ({page.url}):\n" + "\n".join(problems))

    return axe_check


def pytest_terminal_summary(terminalreporter):
    if CHECKED_STATES:
        terminalreporter.section(f"axe: {len(CHECKED_STATES)} page states checked")
        for label in CHECKED_STATES:
            terminalreporter.write_line(label)
