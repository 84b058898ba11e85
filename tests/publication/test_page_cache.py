"""The public pages served whole from the cache to anonymous visitors, and retired the
moment what they show changes: the embargo holds through the cache (nominations/page_cache.py)."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

from nominations import page_cache
from nominations.models import Area
from nominations.page_cache import public_page
from publication import services
from tests.factories import EditionFactory, UserFactory
from tests.helpers import page_in_both_languages
from tests.publication.conftest import WINNER, approve_both

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/en/",
    "/call/",
    "/en/call/",
    "/prize/",
    "/en/prize/",
    "/prize/feed/",
    "/accessibility/",
    "/privacy/",
    "/en/privacy/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_cached_page_is_served_without_a_query(client, django_assert_num_queries, url):
    EditionFactory(call_text="Nominera senast i mars.")
    first = client.get(url)
    assert first.status_code == 200

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert not second.cookies


def test_the_winners_page_is_cached_once_published(client, decided, django_assert_num_queries):
    approve_both(decided)
    services.publish_due_announcements(now=decided.edition.announcement_at)
    url = f"/prize/{decided.edition.year}/"
    assert WINNER in client.get(url).content.decode()

    with django_assert_num_queries(0):
        assert WINNER in client.get(url).content.decode()


WINNER_PAGES = ["/", "/en/", "/prize/", "/en/prize/", "/prize/feed/"]


def _warm(client, urls) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert WINNER not in response.content.decode(), url


def test_a_page_cached_before_publication_shows_the_winner_once_it_is_committed(
    client, decided, django_capture_on_commit_callbacks
):
    approve_both(decided)
    _warm(client, WINNER_PAGES)

    with django_capture_on_commit_callbacks(execute=False) as on_commit:
        assert services.publish_due_announcements(now=decided.edition.announcement_at)
        # Until the publication commits, nobody else can read it: the cached pages still hold.
        assert all(WINNER not in client.get(url).content.decode() for url in WINNER_PAGES)
    for callback in on_commit:
        callback()

    for url in [*WINNER_PAGES, f"/prize/{decided.edition.year}/"]:
        assert WINNER in client.get(url).content.decode(), url


def test_a_scheduled_announcement_is_never_served_from_the_cache_before_publication(
    client, decided, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve_both(decided)  # approved and scheduled at the edition's announcement time
    _warm(client, WINNER_PAGES)

    # The time has come, but beat has not run yet: published_at is what makes it public.
    with time_machine.travel(decided.edition.announcement_at + timedelta(seconds=30)):
        for url in WINNER_PAGES:
            assert WINNER not in client.get(url).content.decode(), url
        assert client.get(f"/prize/{decided.edition.year}/").status_code == 404


def test_a_page_changes_once_an_editions_text_is_saved(client, django_capture_on_commit_callbacks):
    edition = EditionFactory(call_text="Nominera senast i mars.")
    assert "Nominera senast i mars." in client.get("/call/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        edition.call_text = "Nominera senast i april."
        edition.save()

    page = client.get("/call/").content.decode()
    assert "Nominera senast i april." in page
    assert "mars" not in page


def test_an_areas_new_name_is_shown_at_once(client, django_capture_on_commit_callbacks):
    EditionFactory()
    area = Area.objects.first()
    client.get("/")

    with django_capture_on_commit_callbacks(execute=True):
        area.name = "Ett nytt område"
        area.save()

    assert "Ett nytt område" in client.get("/").content.decode()


def test_a_submissions_reference_number_keeps_the_cached_pages(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # Every submission saves its edition's last reference number: that is on no public page.
    edition = EditionFactory()
    client.get("/call/")

    with django_capture_on_commit_callbacks(execute=True):
        edition.last_reference_sequence += 1
        edition.save(update_fields=["last_reference_sequence"])

    with django_assert_num_queries(0):
        client.get("/call/")


@pytest.fixture
def long_lived_pages(settings):
    # Pages kept a week: only the clock's own moments can end them in these tests.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 7 * 24 * 60 * 60


def test_the_call_opens_on_the_hour_though_its_page_was_cached(client, long_lived_pages):
    opens = timezone.now() + timedelta(hours=2)
    EditionFactory(nominations_open_at=opens, nominations_close_at=opens + timedelta(days=30))
    assert "Logga in för att nominera" not in client.get("/call/").content.decode()

    with time_machine.travel(opens + timedelta(seconds=1)):
        assert "Logga in för att nominera" in client.get("/call/").content.decode()


def test_signed_in_visitors_never_get_the_cached_copy_nor_leave_theirs(client):
    EditionFactory()
    assert "Logga in" in client.get("/").content.decode()

    client.force_login(UserFactory())
    signed_in = client.get("/").content.decode()
    assert "Logga ut" in signed_in
    assert "Mina nomineringar" in signed_in
    client.logout()

    anonymous = client.get("/").content.decode()
    assert "Logga ut" not in anonymous
    assert "Mina nomineringar" not in anonymous


def test_english_and_swedish_are_cached_apart(client, django_assert_num_queries):
    EditionFactory()
    client.get("/")
    client.get("/en/")

    with django_assert_num_queries(0):
        swedish, english = page_in_both_languages(client, "/")

    assert '<html lang="sv">' in swedish
    assert '<html lang="en">' in english
    assert "Logga in" in swedish
    assert "Sign in" in english


def test_a_message_is_shown_on_a_cached_page_and_not_kept_in_it(client):
    EditionFactory()
    client.get("/")  # cached without a message
    client.force_login(UserFactory())

    signed_out = client.post("/signout/", follow=True).content.decode()

    assert "Du är utloggad." in signed_out
    assert "Du är utloggad." not in client.get("/").content.decode()


def test_a_query_string_is_never_a_cache_key(client):
    # Anyone may invent query strings: each would be a new entry in the cache.
    EditionFactory()
    client.get("/call/?utm=1")

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/call/?utm=1")

    assert page.status_code == 200
    assert len(queries) > 0


def test_the_winners_page_speaks_of_the_presentation_in_the_past_from_the_next_day(
    client, decided, long_lived_pages
):
    approve_both(decided)
    services.publish_due_announcements(now=decided.edition.announcement_at)
    url = f"/en/prize/{decided.edition.year}/"
    assert "The prize is presented" in client.get(url).content.decode()

    day_after = decided.edition.conference_date + timedelta(days=1)
    with time_machine.travel(timezone.make_aware(datetime.combine(day_after, time(0, 0, 1)))):
        assert "The prize was presented" in client.get(url).content.decode()


# --- What is never stored ------------------------------------------------------------------


def _anonymous_get(path: str = "/somewhere/"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.session = SessionStore()
    return request


def _counting_view(respond):
    calls = []

    def view(request):
        calls.append(request)
        return respond(request)

    return calls, public_page(view)


def _with_cookie(request):
    response = HttpResponse("page")
    response.set_cookie("seen", "1")
    return response


def _with_csrf_token(request):
    return HttpResponse(f"<input value='{get_token(request)}'>")


def _touching_the_session(request):
    request.session["visited"] = True
    return HttpResponse("page")


def _private(request):
    response = HttpResponse("page")
    response["Cache-Control"] = "private"
    return response


@pytest.mark.parametrize(
    "respond",
    [
        _with_cookie,
        _with_csrf_token,
        _touching_the_session,
        _private,
        lambda request: HttpResponse("not found", status=404),
    ],
)
def test_a_personal_or_failed_response_is_never_stored(respond):
    calls, view = _counting_view(respond)

    view(_anonymous_get())
    view(_anonymous_get())

    assert len(calls) == 2


def test_a_plain_page_is_stored(settings):
    calls, view = _counting_view(lambda request: HttpResponse("page"))

    view(_anonymous_get())
    response = view(_anonymous_get())

    assert len(calls) == 1
    assert response.content == b"page"


def test_with_the_cache_down_the_page_is_rendered(monkeypatch):
    def unreachable(*args, **kwargs):
        raise RedisConnectionError("down")

    monkeypatch.setattr(page_cache.cache, "get_many", unreachable)
    calls, view = _counting_view(lambda request: HttpResponse("page"))

    assert view(_anonymous_get()).content == b"page"
    assert view(_anonymous_get()).content == b"page"
    assert len(calls) == 2


def test_a_starting_web_process_retires_the_previous_releases_pages():
    import importlib

    import kvinnofrid.wsgi

    page_cache.bump_version()
    before = page_cache.cache.get(page_cache.VERSION_KEY)

    importlib.reload(kvinnofrid.wsgi)

    assert page_cache.cache.get(page_cache.VERSION_KEY) != before
