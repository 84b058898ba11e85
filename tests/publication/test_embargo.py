"""Until publication nothing reveals the winner outside the jury and the secretariat.

The test walks every route of the URL configuration, in both languages, as a visitor and as
each kind of nominator, with the winner's name and the announcement's own words as needles;
then publishes and checks the public pages show the winner.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from outbox.models import OutboxMessage
from publication import services
from tests.factories import UserFactory
from tests.publication.conftest import WINNER, approve_both

LEAD = "Demo: priset går till ett stödcentrum."


def _routes(resolver=None, namespace=""):
    """(view name, parameter names) of every route, nested includes and all."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                yield "admin:index", ()
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", tuple(entry.pattern.converters)


def _urls(decided, own_nomination_pk: int) -> list[str]:
    samples = {
        "year": decided.edition.year,
        "pk": own_nomination_pk,
        "nominee_id": decided.winner.pk,
        "declaration_id": 1,
        "juror_id": 1,
        "attachment_pk": 1,
        "token": "not-a-real-token",
        "file_format": "csv",
        "export_id": 1,
    }
    urls = []
    for name, parameters in sorted(set(_routes())):
        for language in ("sv", "en"):
            with translation.override(language):
                urls.append(reverse(name, kwargs={p: samples[p] for p in parameters}))
    return sorted(set(urls))


def _needles(decided) -> list[str]:
    return [WINNER, LEAD, "Demo: en motivering."]


def _leaks(client, urls, needles) -> list[str]:
    found = []
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        found += [f"{url} ({response.status_code}): {n}" for n in needles if n in text + headers]
    return found


def test_before_publication_no_public_or_nominator_page_names_the_winner(client, decided):
    approve_both(decided)  # approved and scheduled: the very last moment before publication
    runner_up_nominator = decided.other_nominators[0]
    runner_up_nomination = runner_up_nominator.nominations.get()
    urls = _urls(decided, runner_up_nomination.pk)
    assert len(urls) > 40  # the walk reached the whole URL map

    assert _leaks(client, urls, _needles(decided)) == []
    for person in (runner_up_nominator, UserFactory()):
        client.force_login(person)
        assert _leaks(client, urls, _needles(decided)) == [], person

    # The winner's own nominator sees their nomination, but nothing of the win.
    winner_nominator = decided.winner_nominators[0]
    client.force_login(winner_nominator)
    urls = _urls(decided, winner_nominator.nominations.get().pk)
    assert _leaks(client, urls, [LEAD, "Demo: en motivering.", "Årets Kvinnofridspris"]) == []
    assert not OutboxMessage.objects.filter(template__startswith="announcement_").exists()


def test_after_publication_the_winner_is_on_the_home_page_archive_feed_and_own_page(
    client, decided
):
    approve_both(decided)
    services.publish_due_announcements(now=decided.edition.announcement_at)
    year = decided.edition.year

    for url in ("/", "/en/", "/prize/", "/en/prize/", "/prize/feed/", f"/prize/{year}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert WINNER in response.content.decode(), url


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_winners_page_is_a_404_until_published(client, decided, language):
    approve_both(decided)
    prefix = "/en" if language == "en" else ""

    response = client.get(f"{prefix}/prize/{decided.edition.year}/")

    assert response.status_code == 404
