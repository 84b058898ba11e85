import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from nominations.models import Edition
from publication.models import Announcement
from publication.services import publish_due_announcements
from publication.tasks import publish_due_announcements as publish_due_announcements_task
from tests.helpers import wait_for

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "000_4fac66c163174969.txt"


def _citation_from_seed() -> str:
    text = SEED.read_text(encoding="utf-8")
    match = re.search(r"Motiveringen i sin helhet[^\n]*:\s*\n+\s*\"(?P<citation>[^\"]+)\"", text)
    assert match, "the seed's citation paragraph has moved"
    return match.group("citation").strip()


@pytest.fixture
def due_announcement(db):
    edition = Edition.objects.create(
        year=2031,
        ordinal=16,
        announcement_at=timezone.now() - timedelta(minutes=1),
    )
    return Announcement.objects.create(
        edition=edition,
        winner_name="Demo: Exempelenheten",
        citation="Demo: en motivering.",
    )


@pytest.mark.django_db
@pytest.mark.skipif(not SEED.exists(), reason="the shared seeds are not beside this clone")
def test_2023_citation_is_the_jurys_text_word_for_word():
    announcement = Announcement.objects.get(edition__year=2023)

    assert announcement.citation == _citation_from_seed()
    assert announcement.winner_name == "BIN-sektionen i polisområde Stockholm syd"


@pytest.mark.django_db
def test_2023_winner_page_in_swedish_shows_only_the_original(client):
    html = client.get("/prize/2023/").content.decode()

    assert "<h1>Kvinnofridspriset 2023</h1>" in html
    assert "för 8:e gången" in html
    assert "rättssäkerhet och kvalitet i brottsutredningar" in html
    assert 'lang="sv"' in html
    assert "Vi vill med detta pris uppmärksamma en engagerad samverkan." in html
    assert "With this prize we wish to recognise" not in html


@pytest.mark.django_db
def test_2023_winner_page_in_english_keeps_the_swedish_original_beside_a_marked_translation(
    client,
):
    html = client.get("/en/prize/2023/").content.decode()

    assert "for the 8th time" in html
    assert "Vi vill med detta pris uppmärksamma en engagerad samverkan." in html
    assert "English translation (unofficial)" in html
    assert "With this prize we wish to recognise a committed collaboration." in html
    assert html.index("Vi vill med detta pris") < html.index("English translation (unofficial)")


def test_unpublished_winner_is_not_shown(client, due_announcement):
    response = client.get(f"/prize/{due_announcement.edition.year}/")

    assert response.status_code == 404
    assert "Exempelenheten" not in client.get("/prize/").content.decode()


def test_publishing_due_announcements_publishes_once(due_announcement):
    first = publish_due_announcements()
    second = publish_due_announcements()

    due_announcement.refresh_from_db()
    assert [a.pk for a in first] == [due_announcement.pk]
    assert second == []
    assert due_announcement.published_at is not None


def test_announcement_before_its_time_stays_unpublished(due_announcement):
    due_announcement.edition.announcement_at = timezone.now() + timedelta(hours=1)
    due_announcement.edition.save()

    assert publish_due_announcements() == []
    due_announcement.refresh_from_db()
    assert due_announcement.published_at is None


def test_announcement_without_citation_is_not_published(due_announcement):
    Announcement.objects.filter(pk=due_announcement.pk).update(citation="")

    assert publish_due_announcements() == []


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_worker_process_publishes_the_due_citation(celery_worker, client):
    edition = Edition.objects.create(
        year=2032, ordinal=17, announcement_at=timezone.now() - timedelta(seconds=5)
    )
    announcement = Announcement.objects.create(
        edition=edition, winner_name="Demo: Exempelteamet", citation="Demo: motivering."
    )

    publish_due_announcements_task.delay()

    def published():
        announcement.refresh_from_db()
        return announcement.published_at

    wait_for(published, timeout=30)
    assert "Demo: Exempelteamet" in client.get("/prize/2032/").content.decode()
