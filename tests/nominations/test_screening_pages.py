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
