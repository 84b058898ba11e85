"""The accessibility statement, the error pages, the error summary and the session's limits."""

import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django import forms
from django.contrib.admin.sites import site as admin_site
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.views.defaults import server_error

from accounts.sessions import SIGNED_IN_AT
from jury.admin import PartnerAdmin
from jury.models import Partner
from kvinnofrid.templatetags.accessibility import SummaryError, summary_errors
from tests.factories import SecretariatFactory, UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "texts"),
    [
        (
            "/accessibility/",
            [
                "<h1>Tillgänglighetsredogörelse</h1>",
                "Webbplatsen är delvis förenlig med lagen om tillgänglighet till digital "
                "offentlig service",
                "Innehåll som inte är tillgängligt",
                "Rapportera brister i webbplatsens tillgänglighet",
                '<h2 class="h4">Tillsyn</h2>',
                "Myndigheten för digital förvaltning (DIGG) har ansvaret för tillsyn",
                'href="https://www.digg.se/tdosanmalan"',
                'href="mailto:tillganglighet@example.se">tillganglighet@example.se</a>',
                'href="tel:08-1234567">08-123 45 67</a>',
                "Vi svarar inom 3 arbetsdagar.",
                "Senaste bedömningen gjordes den 15 november 2026.",
            ],
        ),
        (
            "/en/accessibility/",
            [
                "<h1>Accessibility statement</h1>",
                "The website is partially compliant with the Act on accessibility",
                "Enforcement procedure",
                "The Agency for Digital Government (Myndigheten för digital förvaltning, DIGG)",
                'href="mailto:tillganglighet@example.se"',
                "We answer within 3 working days.",
                "The latest assessment was made on 15 November 2026.",
            ],
        ),
    ],
)
def test_accessibility_statement_follows_diggs_model_with_the_configured_contact(
    client, settings, path, texts
):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@example.se"
    settings.ACCESSIBILITY_CONTACT_PHONE = "08-123 45 67"
    settings.ACCESSIBILITY_RESPONSE_DAYS = 3
    settings.ACCESSIBILITY_ASSESSED_ON = "2026-11-15"

    html = client.get(path).content.decode()

    for text in texts:
        assert text in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "link"),
    [
        ("/", '<a href="/accessibility/">Tillgänglighetsredogörelse</a>'),
        ("/en/call/", '<a href="/en/accessibility/">Accessibility statement</a>'),
        ("/no-such-page/", '<a href="/accessibility/">Tillgänglighetsredogörelse</a>'),
    ],
)
def test_every_footer_links_the_accessibility_statement(client, path, link):
    html = client.get(path).content.decode()
    footer = html[html.index("<footer") :]
    assert link in footer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "title", "link"),
    [
        ("/no-such-page/", "<h1>Sidan finns inte</h1>", '<a class="nav-link" href="/call/">'),
        ("/en/no-such-page/", "<h1>Page not found</h1>", '<a class="nav-link" href="/en/call/">'),
    ],
)
def test_404_is_the_sites_own_page_in_its_language(client, path, title, link):
    response = client.get(path)

    assert response.status_code == 404
    html = response.content.decode()
    assert title in html
    assert link in html
    assert "<nav" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "title"), [("", "Inte tillåtet"), ("/en", "Not allowed")])
def test_403_is_the_sites_own_page_with_the_reason(client, prefix, title):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import EditionFactory, NominationFactory

    user = UserFactory()
    past = timezone.now() - timedelta(days=1)
    edition = EditionFactory(
        nominations_open_at=past - timedelta(days=30), nominations_close_at=past
    )
    nomination = NominationFactory(edition=edition, nominator=user, submitted=True)
    client.force_login(user)

    response = client.get(f"{prefix}/nominations/{nomination.pk}/withdraw/")

    assert response.status_code == 403
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert 'class="error-reason"' in html
    assert "<nav" in html


# No database mark: the 500 page must render while the database is out of reach.
@pytest.mark.parametrize(
    ("language", "title", "home"),
    [
        ("sv", "<h1>Något gick fel</h1>", 'href="/"'),
        ("en", "<h1>Something went wrong</h1>", 'href="/en/"'),
    ],
)
def test_500_renders_without_the_database_or_the_request_context(language, title, home):
    request = RequestFactory().get("/")
    with translation.override(language):
        response = server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert title in html
    assert f'<html lang="{language}">' in html
    assert f'<a class="navbar-brand fw-semibold" {home}>' in html
    assert "<footer" in html


class _Example(forms.Form):
    name = forms.CharField(label="Namn")
    kind = forms.ChoiceField(
        label="Slag", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect
    )

    def clean(self):
        raise forms.ValidationError("Något stämmer inte.")


def test_error_summary_lists_each_error_with_the_id_of_its_control():
    with translation.override("en"):
        form = _Example(data={"kind": "x"})

        assert summary_errors(form) == [
            SummaryError("Något stämmer inte.", field_id="id_name"),
            SummaryError("This field is required.", label="Namn", field_id="id_name"),
            # A group of radio buttons: the group's id (error_summary.js focuses its first).
            SummaryError(
                "Select a valid choice. x is not one of the available choices.",
                label="Slag",
                field_id="id_kind",
            ),
        ]
    # Unbound forms and missing ones have nothing to say.
    assert summary_errors(_Example(), None, "") == []


def _session_writes(client, path="/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum('UPDATE "django_session"' in query["sql"] for query in queries)


@pytest.mark.django_db
def test_the_session_is_written_once_a_step_not_on_every_request(client, settings):
    settings.SESSION_EXTEND_STEP_SECONDS = 60
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        client.force_login(UserFactory())  # signing in writes the session
        written = Session.objects.get().expire_date
        clock.shift(1)
        assert _session_writes(client) == 0  # a second later: the expiry stays as written
        clock.shift(1)
        assert _session_writes(client) == 0  # and another second
        assert Session.objects.get().expire_date == written
        clock.shift(58)
        assert _session_writes(client) == 1  # a step after the last write: a new expiry
        assert Session.objects.get().expire_date == written + timedelta(seconds=60)
        clock.shift(1)
        assert _session_writes(client) == 0


@pytest.fixture
def signed_in_at_nine(client, settings):
    """A client signed in at 09:00 (the clock stopped), sessions of 30 minutes, steps of 60 s."""
    settings.SESSION_EXTEND_STEP_SECONDS = 60
    settings.SESSION_COOKIE_AGE = 30 * 60
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        client.force_login(UserFactory())
        yield clock


def _status(client) -> dict:
    return client.get("/session/").json()


@pytest.mark.django_db
def test_a_busy_session_lasts_past_its_idle_time(client, signed_in_at_nine):
    for _ in range(4):
        signed_in_at_nine.shift(20 * 60)
        assert _status(client)["authenticated"] is True


@pytest.mark.django_db
def test_an_idle_session_ends_its_idle_time_after_the_last_write(client, signed_in_at_nine):
    signed_in_at_nine.shift(30)
    assert _status(client)["authenticated"] is True  # within the step: nothing written
    # Idle since: it ends 30 minutes after the sign-in wrote it, 29.5 after the last request.
    signed_in_at_nine.shift(30 * 60 - 30 + 1)
    assert _status(client)["authenticated"] is False


@pytest.mark.django_db
def test_the_page_is_told_the_session_end_as_written_between_steps(client, signed_in_at_nine):
    signed_in_at_nine.shift(40)
    # Not written by this request: the expiry is still 30 minutes after the last write.
    assert _status(client)["seconds_left"] == 30 * 60 - 40
    signed_in_at_nine.shift(20)
    # A step since the last write: this request writes, and the page is told so.
    assert _status(client)["seconds_left"] == 30 * 60


@pytest.mark.django_db
def test_inside_the_warning_before_the_end_every_request_extends_the_session(client, settings):
    # A session shorter than a step and its warning together: "stay signed in" still works.
    settings.SESSION_EXTEND_STEP_SECONDS = 60
    settings.SESSION_COOKIE_AGE = 150
    settings.SESSION_WARNING_MINUTES = 1
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False) as clock:
        client.force_login(UserFactory())
        clock.shift(20)
        assert _session_writes(client, "/session/") == 0  # 130 s left: far from the warning
        clock.shift(20)
        # 110 s left: within a step of the warning (the page's clock may be ahead), written
        # though the last write is less than a step old.
        assert _session_writes(client, "/session/") == 1
        assert _status(client)["seconds_left"] == 150


@pytest.mark.django_db
def test_a_staff_session_ends_at_the_absolute_cap_and_a_nominators_does_not(client, settings):
    settings.SESSION_ABSOLUTE_MAX_AGE = 60 * 60
    for user, still_signed_in in [(UserFactory(), True), (SecretariatFactory(), False)]:
        client.force_login(user)
        session = client.session
        session[SIGNED_IN_AT] = time.time() - 61 * 60
        session.save()

        status = client.get("/session/").json()

        assert status["authenticated"] is still_signed_in
        client.logout()


@pytest.mark.django_db
def test_session_status_says_how_long_is_left_and_gives_a_fresh_csrf_token(client, settings):
    settings.SESSION_ABSOLUTE_MAX_AGE = 60 * 60
    assert client.get("/session/").json()["authenticated"] is False
    client.force_login(SecretariatFactory())
    client.get("/")
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 50 * 60
    session.save()

    status = client.get("/session/").json()

    assert status["authenticated"] is True
    assert 590 <= status["seconds_left"] <= 600  # the cap is nearer than the idle time
    assert len(status["csrf_token"]) == 64


@pytest.mark.django_db
def test_partner_list_names_each_position_box_after_its_partner(rf):
    partner = Partner.objects.order_by("position").first()
    form_class = PartnerAdmin(Partner, admin_site).get_changelist_form(rf.get("/"))

    html = str(form_class(instance=partner)["position"])

    assert f'aria-label="Position för {partner.name}"' in html
