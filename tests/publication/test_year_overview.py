"""The secretariat's view of the year: where an edition stands and the way to its pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EditionFactory, NominationFactory, SecretariatFactory, UserFactory
from tests.publication.conftest import approve_both


def test_only_the_secretariat_sees_it(client, decided):
    url = f"/prize/{decided.edition.year}/overview/"
    assert client.get(url)["Location"].startswith("/signin/")
    for person in (decided.chair, decided.member, decided.winner_nominators[0]):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_it_shows_each_stage_with_counts_and_the_next_step(client, decided):
    client.force_login(decided.secretariat)

    html = client.get(f"/prize/{decided.edition.year}/overview/").content.decode()

    assert "3 behöriga, 1 ej behöriga, 0 att granska." in html
    assert "4 inskickade, 1 utkast." in html
    assert "0 av 2 jurymedlemmar har skickat in sina bedömningar." in html
    assert "Skriv offentliggörandet med ordföranden och ge det båda godkännandena." in html
    assert f'href="/prize/{decided.edition.year}/announcement/"' in html
    assert f'href="/jury/{decided.edition.year}/results/"' in html
    assert f'href="/jury/{decided.edition.year}/decision/"' in html


def test_once_approved_the_next_step_is_to_wait(client, decided):
    approve_both(decided)
    client.force_login(decided.secretariat)

    html = client.get(f"/prize/{decided.edition.year}/overview/").content.decode()

    assert "Inget att göra: offentliggörandet publiceras automatiskt" in html


def test_the_menu_takes_the_secretariat_to_the_current_year(client, db):
    edition = EditionFactory(year=2046)
    client.force_login(SecretariatFactory())

    home = client.get("/").content.decode()
    response = client.get("/prize/overview/")

    assert 'href="/prize/overview/"' in home
    assert response["Location"] == f"/prize/{edition.year}/overview/"


def test_a_nominator_has_no_year_link(client, db):
    client.force_login(UserFactory())

    assert 'href="/prize/overview/"' not in client.get("/").content.decode()
    assert client.get("/prize/overview/").status_code == 404


@pytest.mark.parametrize("extra", [0, 15])
def test_its_queries_do_not_grow_with_the_nominations(
    client, decided, extra, django_assert_num_queries
):
    for _ in range(extra):
        NominationFactory(edition=decided.edition, submitted=True)
    client.force_login(decided.secretariat)
    url = f"/prize/{decided.edition.year}/overview/"
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        client.get(url)

    # 14 for the page (the second factor's device included); the session is not written (its
    # expiry is, once a step: accounts/sessions.py).
    assert len(queries) == 14
