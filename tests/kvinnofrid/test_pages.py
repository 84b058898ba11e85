import pytest

from tests.helpers import page_in_both_languages

pytestmark = pytest.mark.django_db


def test_home_is_in_swedish_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Vem kan nomineras" in html
    assert "våld i nära relationer" in html.lower()
    assert (
        "Myndigheter, kommunala verksamheter och organisationer verksamma i Stockholms län" in html
    )


def test_home_in_english_under_en_prefix(client):
    response = client.get("/en/")

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Who can be nominated" in html
    assert "Violence in close relationships" in html


def test_home_shows_latest_published_winner_with_citation(client):
    html = client.get("/").content.decode()

    assert "BIN-sektionen i polisområde Stockholm syd" in html
    assert "Vi vill med detta pris uppmärksamma en engagerad samverkan." in html


def test_home_has_skip_link_landmarks_and_one_h1(client):
    html = client.get("/").content.decode()

    for landmark in ('href="#main"', '<main id="main"', "<header", "<footer"):
        assert landmark in html
    assert html.count("<h1") == 1


def test_pages_load_bootstrap_from_own_static_files(client):
    html = client.get("/").content.decode()

    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "cdn" not in html.lower()


def test_language_switch_links_to_the_same_page_in_the_other_language(client):
    swedish, english = page_in_both_languages(client, "/prize/2023/")

    assert (
        '<a class="nav-link" href="/en/prize/2023/" hreflang="en" lang="en">English</a>' in swedish
    )
    assert '<a class="nav-link" href="/prize/2023/" hreflang="sv" lang="sv">Svenska</a>' in english


def test_responses_carry_security_headers(client):
    response = client.get("/")

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
