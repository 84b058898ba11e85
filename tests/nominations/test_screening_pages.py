"""The screening list and the juror's list of candidates come in pages; filters stay in the
URL, and the query count does not grow with the number of nominations."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from jury.views import scoring
from nominations.models import Nomination
from nominations.views import screening
from tests.factories import EditionFactory, NominationFactory, SecretariatFactory

pytestmark = pytest.mark.django_db


def _list(client, **params):
    with translation.override("en"):
        path = reverse("nominations:screening_list")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    html = response.content.decode()
    cards = re.findall(r'<section class="nominee card mb-3" id="nominee-(\d+)', html)
    return cards, html, len(queries.captured_queries)


def test_the_screening_list_pages_keeping_its_filters(client, monkeypatch):
    monkeypatch.setattr(screening, "SCREENING_PER_PAGE", 2)
    edition = EditionFactory()
    for _ in range(5):
        NominationFactory(submitted=True, edition=edition)
    client.force_login(SecretariatFactory())

    first, html, _ = _list(client, edition=edition.year, status="submitted")
    assert len(first) == 2
    assert f"?edition={edition.year}&amp;status=submitted&amp;page=2" in html
    third, _, _ = _list(client, edition=edition.year, status="submitted", page=3)
    second, _, _ = _list(client, edition=edition.year, status="submitted", page=2)
    assert len(third) == 1
    assert len(set(first) | set(second) | set(third)) == 5


def test_a_page_of_the_screening_list_loads_only_its_own_nominations(client, monkeypatch):
    from nominations import selectors

    monkeypatch.setattr(screening, "SCREENING_PER_PAGE", 2)
    edition = EditionFactory()
    twice = NominationFactory(submitted=True, edition=edition, nominee_name="Aaa-jouren")
    NominationFactory(submitted=True, edition=edition, nominee=twice.nominee)
    for _ in range(8):
        NominationFactory(submitted=True, edition=edition)
    loaded = []
    group_by_nominee = selectors.group_by_nominee
    monkeypatch.setattr(
        selectors,
        "group_by_nominee",
        lambda nominations: loaded.append(len(list(nominations))) or group_by_nominee(nominations),
    )
    client.force_login(SecretariatFactory())

    first, html, _ = _list(client, edition=edition.year)

    # The nominee named first keeps both its nominations together, on the first page.
    assert first[0] == str(twice.nominee_id)
    assert len(first) == 2
    assert loaded == [3]
    # The count is of every nomination the filters let through, not of the page's.
    heading = re.search(r'id="results-heading">(.*?)</h2>', html, re.S).group(1)
    assert heading.split() == ["10", "nominations"]


def test_the_screening_list_asks_as_many_queries_for_4_nominations_as_for_40(client):
    client.force_login(SecretariatFactory())
    counts = {}
    for size in (4, 40):
        edition = EditionFactory()
        for _ in range(size):
            NominationFactory(submitted=True, edition=edition)
        cards, _, counts[size] = _list(client, edition=edition.year)
        assert len(cards) == size
    assert counts[4] == counts[40], counts


def test_the_jurors_list_of_candidates_pages(client, monkeypatch):
    from jury.models import ConflictDeclaration
    from tests.factories import JurorFactory

    monkeypatch.setattr(scoring, "OVERVIEW_PER_PAGE", 3)
    now = timezone.now()
    edition = EditionFactory(
        nominations_open_at=now - timezone.timedelta(days=60),
        nominations_close_at=now - timezone.timedelta(days=30),
    )
    edition.scoring_opened_at = now
    edition.save()
    juror = JurorFactory(edition=edition)
    nominees = [
        NominationFactory(
            submitted=True, edition=edition, status=Nomination.Status.ELIGIBLE
        ).nominee
        for _ in range(5)
    ]
    for nominee in nominees:
        ConflictDeclaration.objects.create(juror=juror, nominee=nominee, conflicted=False)
        juror.assignments.create(nominee=nominee)
    client.force_login(juror.user)
    with translation.override("en"):
        path = reverse("jury:scoring", args=[edition.year])
    shown = []
    for page in (1, 2):
        html = client.get(path, {"page": page}).content.decode()
        shown.append(re.findall(r'<tr data-nominee="(\d+)"', html))
    assert [len(rows) for rows in shown] == [3, 2]
    assert {int(pk) for rows in shown for pk in rows} == {n.pk for n in nominees}
