"""The public pages of the prize: the winner's page, the archive, the feed, the diploma."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from reportlab.platypus import Paragraph

from publication import services
from publication.diploma import diploma_story
from publication.models import Announcement
from tests.publication.conftest import WINNER, approve_both

# The 2023 announcement as published; where the copy comes from: data/README.md.
SEED = Path(__file__).resolve().parent / "data" / "announcement_2023.txt"
ATOM = "{http://www.w3.org/2005/Atom}"


def _citation_from_seed() -> str:
    text = SEED.read_text(encoding="utf-8")
    match = re.search(r"Motiveringen i sin helhet[^\n]*:\s*\n+\s*\"(?P<citation>[^\"]+)\"", text)
    assert match, "the seed's citation paragraph has moved"
    return match.group("citation").strip()


@pytest.mark.django_db
def test_2023_citation_is_the_jurys_text_word_for_word():
    announcement = Announcement.objects.get(edition__year=2023)

    assert announcement.citation == _citation_from_seed()
    assert announcement.winner_name == "BIN-sektionen i polisområde Stockholm syd"


@pytest.mark.django_db
def test_2023_winner_page_reads_like_the_announcement_of_2023(client):
    html = client.get("/prize/2023/").content.decode()

    assert "<h1>Årets Kvinnofridspris till BIN-sektionen i polisområde Stockholm syd</h1>" in html
    assert "Sektionen får priset för sitt långsiktiga arbetet" in html
    assert "<h3>Bred samverkan</h3>" in html
    assert "Motiveringen i sin helhet till vinsten av Kvinnofridspriset 2023" in html
    assert "Vi vill med detta pris uppmärksamma en engagerad samverkan." in html
    # The part about the prize, with the partners behind it.
    about = html[html.index("Operation Kvinnofrid och Kvinnofridspriset") :]
    assert "2023 delade Operation Kvinnofrid ut Kvinnofridspriset för åttonde gången." in about
    for partner in ("Länsstyrelsen Stockholm", "Kriminalvården", "Stockholms stad"):
        assert partner in about
    assert "With this prize we wish to recognise" not in html


@pytest.mark.django_db
def test_2023_winner_page_in_english_keeps_the_swedish_original_beside_a_marked_translation(
    client,
):
    html = client.get("/en/prize/2023/").content.decode()

    assert "for the eighth time" in html
    assert "Vi vill med detta pris uppmärksamma en engagerad samverkan." in html
    assert "English translation (unofficial)" in html
    assert "With this prize we wish to recognise a committed collaboration." in html
    assert html.index("Vi vill med detta pris") < html.index("English translation (unofficial)")
    # The press release exists in Swedish only: marked as such for screen readers.
    assert '<div class="press-release" lang="sv">' in html


@pytest.mark.django_db
def test_the_winners_page_carries_share_previews_and_a_canonical_link(client, settings):
    settings.SITE_URL = "https://kvinnofridspriset.example.se"

    html = client.get("/prize/2023/?utm_source=x").content.decode()

    canonical = "https://kvinnofridspriset.example.se/prize/2023/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:title" content="Kvinnofridspriset 2023: BIN-sektionen' in html
    assert '<meta property="og:description" content="Sektionen får priset' in html
    assert '<meta name="twitter:card" content="summary">' in html


@pytest.mark.django_db
def test_every_page_links_the_feed_in_its_head(client):
    for path in ("/", "/prize/", "/call/", "/en/"):
        html = client.get(path).content.decode()
        head = html[: html.index("</head>")]
        assert '<link rel="alternate" type="application/atom+xml"' in head, path


def _publish(decided):
    announcement = approve_both(decided, citation="Demo: **en engagerad** samverkan.")
    services.publish_due_announcements(now=decided.edition.announcement_at)
    announcement.refresh_from_db()
    return announcement


def test_the_archive_lists_every_winner_newest_first(client, decided):
    _publish(decided)

    html = client.get("/prize/").content.decode()

    assert html.index(WINNER) < html.index("BIN-sektionen i polisområde Stockholm syd")


def test_the_feed_is_atom_with_the_winners_and_the_calls(client, decided):
    _publish(decided)

    response = client.get("/prize/feed/")

    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == f"{ATOM}feed"
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert f"Kvinnofridspriset {decided.edition.year} till {WINNER}" in titles
    assert "Kvinnofridspriset 2023 till BIN-sektionen i polisområde Stockholm syd" in titles
    assert f"Nu kan du nominera till Kvinnofridspriset {decided.edition.year}" in titles
    for entry in root.iter(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}id").text.startswith("tag:kvinnofridspriset,")
        assert entry.find(f"{ATOM}link").get("href").startswith("http")


def test_the_winners_page_after_publication_reads_like_an_announcement(client, decided):
    _publish(decided)

    html = client.get(f"/prize/{decided.edition.year}/").content.decode()

    assert f"<h1>Årets Kvinnofridspris till {WINNER}</h1>" in html
    assert "Demo: priset går till ett stödcentrum." in html
    assert "<strong>en engagerad</strong>" in html
    assert "Hedersomnämnanden" in html
    assert decided.runner_up.name in html
    # Before the conference, the presentation is still to come.
    assert "I år delar Operation Kvinnofrid ut Kvinnofridspriset för" in html
    assert "delades ut" not in html


def test_the_diploma_is_the_secretariats_before_and_everyones_after(client, decided):
    url = f"/prize/{decided.edition.year}/diploma.pdf"
    announcement = approve_both(decided)

    assert client.get(url).status_code == 404
    client.force_login(decided.secretariat)
    before = client.get(url)
    assert before.status_code == 200
    assert before["Cache-Control"] == "private, no-store"
    client.logout()

    services.publish_due_announcements(now=decided.edition.announcement_at)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF-")
    story = diploma_story(announcement, chair_name="Cecilia Ordförande")
    texts = [flowable.text for flowable in story if isinstance(flowable, Paragraph)]
    assert texts[:4] == [
        "Operation Kvinnofrid",
        f"Kvinnofridspriset {decided.edition.year}",
        "tilldelas",
        WINNER,
    ]
    assert "Demo: en motivering." in texts
    assert texts[-2:] == ["Cecilia Ordförande", "Juryns ordförande"]
