"""The results at scale: kept until a score changes, shown 250 rows a page, ranks in one sort."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from jury import reports
from jury.models import ConflictDeclaration, Score
from jury.reports import caching
from jury.scoring_math.results import competition_ranks
from jury.views.results import RESULTS_PER_PAGE
from nominations.models import Nomination, Nominee
from tests.factories import (
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    NominationFactory,
)

pytestmark = pytest.mark.django_db


def _edition():
    now = timezone.now()
    return EditionFactory(
        nominations_open_at=now - timedelta(days=60), nominations_close_at=now - timedelta(days=30)
    )


def _candidate(edition, name):
    return NominationFactory(
        submitted=True, edition=edition, status=Nomination.Status.ELIGIBLE, nominee_name=name
    ).nominee


def test_kept_results_are_used_until_a_score_changes():
    edition = _edition()
    criterion = CriterionFactory(edition=edition)
    juror = JurorFactory(edition=edition)
    alfa, beta = _candidate(edition, "Alfa"), _candidate(edition, "Beta")
    Score.objects.create(juror=juror, nominee=alfa, criterion=criterion, value=5)
    lower = Score.objects.create(juror=juror, nominee=beta, criterion=criterion, value=2)

    first = reports.load_results(edition)
    with CaptureQueriesContext(connection) as queries:
        again = reports.load_results(edition)
    assert len(queries.captured_queries) == 0
    assert again.candidates == first.candidates
    assert [c.nominee.name for c in first.candidates] == ["Alfa", "Beta"]

    lower.value = 4
    lower.save()
    changed = reports.load_results(edition)
    assert [(c.nominee.name, c.result.raw_mean) for c in changed.candidates] == [
        ("Alfa", 5.0),
        ("Beta", 4.0),
    ]
    lower.delete()
    assert [c.nominee.name for c in reports.load_results(edition).candidates] == ["Alfa"]


def test_kept_results_are_kept_per_reader():
    edition = _edition()
    criterion = CriterionFactory(edition=edition)
    juror = JurorFactory(edition=edition)
    alfa, beta = _candidate(edition, "Alfa"), _candidate(edition, "Beta")
    for nominee, value in ((alfa, 5), (beta, 3)):
        Score.objects.create(juror=juror, nominee=nominee, criterion=criterion, value=value)

    assert len(reports.load_results(edition).candidates) == 2
    hidden = reports.load_results(edition, hidden=frozenset({alfa.pk}))
    assert [(c.nominee.name, c.result.raw_rank) for c in hidden.candidates] == [("Beta", 1)]
    assert len(reports.load_results(edition).candidates) == 2


def test_ranks_in_one_sort_keep_the_competition_semantics():
    values = {i: float(i % 7) for i in range(5000)}
    ranks = competition_ranks(values)
    # 715 values of 6, then 715 of 5 ...: a value's rank is one more than those above it.
    assert ranks[6].position == 1
    assert ranks[6].tied
    assert ranks[5].position == 1 + sum(1 for v in values.values() if v > 5)
    assert competition_ranks({"a": 0.1 + 0.2, "b": 0.3, "c": 1.0}) == {
        "a": competition_ranks({"x": 0.3, "y": 0.3, "z": 1.0})["x"],
        "b": competition_ranks({"x": 0.3, "y": 0.3, "z": 1.0})["y"],
        "c": competition_ranks({"x": 0.3, "y": 0.3, "z": 1.0})["z"],
    }


def _page(client, year, number):
    with translation.override("en"):
        path = reverse("jury:results", args=[year])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"page": number})
    assert response.status_code == 200
    names = re.findall(
        r'<th scope="row" class="nominee-name">([^<]+)</th>', response.content.decode()
    )
    return names, len(queries.captured_queries)


def _scored_edition(size):
    edition = _edition()
    criterion = CriterionFactory(edition=edition)
    chair = ChairFactory(edition=edition, scores_submitted_at=timezone.now())
    nominees = [_candidate(edition, f"Nominee {i:04d}") for i in range(size)]
    Score.objects.bulk_create(
        Score(juror=chair, nominee=nominee, criterion=criterion, value=1 + i % 5)
        for i, nominee in enumerate(nominees)
    )
    return edition, chair.user


def test_the_results_page_shows_250_rows_a_page_ranked_over_every_nominee(client):
    edition, chair = _scored_edition(RESULTS_PER_PAGE + 10)
    client.force_login(chair)

    first, first_queries = _page(client, edition.year, 1)
    second, second_queries = _page(client, edition.year, 2)
    assert len(first) == RESULTS_PER_PAGE
    assert len(second) == 10
    assert set(first) | set(second) == {f"Nominee {i:04d}" for i in range(RESULTS_PER_PAGE + 10)}
    # The second page reads the kept results: fewer queries than the first, none of them scores.
    assert second_queries < first_queries

    # The same page again: its figures are kept rendered too, so fewer queries still.
    again, again_queries = _page(client, edition.year, 2)
    assert again == second
    assert again_queries < second_queries

    small, small_chair = _scored_edition(3)
    client.force_login(small_chair)
    names, small_first_queries = _page(client, small.year, 1)
    assert len(names) == 3
    assert small_first_queries == first_queries
    # Page 2 of one page is its last page, the first: the same rows, a page not yet rendered.
    assert _page(client, small.year, 2) == (names, second_queries)
    assert _page(client, small.year, 2) == (names, again_queries)


def test_tie_break_order_follows_the_ranks_ties_not_float_noise():
    # 0.1 + 0.2 is 0.30000000000000004: above 0.3 as a float, the same figure as a rank. The
    # page shows the two as tied, so the vote's tie-break must order them by name, not noise.
    alfa, beta, gamma = (
        Nominee(pk=1, name="Alfa"),
        Nominee(pk=2, name="Beta"),
        Nominee(pk=3, name="Gamma"),
    )
    means = {alfa: 0.3, beta: 0.1 + 0.2, gamma: 0.5}
    report = SimpleNamespace(
        candidates=[
            SimpleNamespace(nominee=nominee, result=SimpleNamespace(normalised_mean=mean))
            for nominee, mean in means.items()
        ]
    )
    ranks = competition_ranks({nominee.pk: mean for nominee, mean in means.items()})
    assert ranks[alfa.pk] == ranks[beta.pk]
    assert ranks[alfa.pk].tied
    assert reports.tie_break_order([beta, gamma, alfa], report) == [gamma, alfa, beta]


def _shown(client, year) -> dict[str, str]:
    """The page's raw means by name: what a reader sees, kept figures or not."""
    with translation.override("en"):
        html = client.get(reverse("jury:results", args=[year])).content.decode()
    return dict(
        re.findall(
            r'<th scope="row" class="nominee-name">([^<]+)</th>\s*<td class="raw-mean">([^<]+)<',
            html,
        )
    )


def test_the_page_shows_new_figures_when_a_score_a_ruling_or_a_criterion_changes(client):
    edition = _edition()
    first, second = CriterionFactory(edition=edition), CriterionFactory(edition=edition)
    chair = ChairFactory(edition=edition, scores_submitted_at=timezone.now())
    member = JurorFactory(edition=edition)
    alfa, beta = _candidate(edition, "Alfa"), _candidate(edition, "Beta")
    marks = {(chair, alfa): (5, 1), (chair, beta): (2, 2), (member, alfa): (3, 3)}
    for (juror, nominee), values in marks.items():
        for criterion, value in zip((first, second), values, strict=True):
            Score.objects.create(juror=juror, nominee=nominee, criterion=criterion, value=value)
    client.force_login(chair.user)
    # Alfa (5 + 1) / 2 = 3 from the chair, 3 from the member.
    assert _shown(client, edition.year) == {"Alfa": "3.00", "Beta": "2.00"}
    assert _shown(client, edition.year) == {"Alfa": "3.00", "Beta": "2.00"}

    Score.objects.filter(juror=member, nominee=alfa).update(value=5)  # no signal: a bulk write
    assert _shown(client, edition.year) == {"Alfa": "3.00", "Beta": "2.00"}
    score = Score.objects.get(juror=member, nominee=alfa, criterion=first)
    score.save()  # the signal: both of the member's 5s count now
    assert _shown(client, edition.year) == {"Alfa": "4.00", "Beta": "2.00"}

    conflict = ConflictDeclaration.objects.create(
        juror=member, nominee=alfa, conflicted=True, ruling=ConflictDeclaration.Ruling.UPHELD
    )
    assert _shown(client, edition.year) == {"Alfa": "3.00", "Beta": "2.00"}
    conflict.ruling = ConflictDeclaration.Ruling.DISMISSED
    conflict.save()
    assert _shown(client, edition.year) == {"Alfa": "4.00", "Beta": "2.00"}

    # The first criterion weighs 3: the chair's Alfa (15 + 1) / 4 = 4, the member's 5.
    first.weight = 3
    first.save()
    assert _shown(client, edition.year) == {"Alfa": "4.50", "Beta": "2.00"}


@pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(),
    reason="needs the shared cache (CACHE_URL=redis://…), not a per-process one",
)
def test_the_page_uses_the_figures_another_process_rendered_and_follows_a_change(client):
    edition = _edition()
    criterion = CriterionFactory(edition=edition)
    chair = ChairFactory(edition=edition, scores_submitted_at=timezone.now())
    alfa, beta = _candidate(edition, "Alfa"), _candidate(edition, "Beta")
    Score.objects.create(juror=chair, nominee=alfa, criterion=criterion, value=5)
    lower = Score.objects.create(juror=chair, nominee=beta, criterion=criterion, value=2)
    client.force_login(chair.user)
    assert _shown(client, edition.year) == {"Alfa": "5.00", "Beta": "2.00"}

    # A process that has computed nothing: the figures come from the shared cache, without
    # computing the results (none of their queries: the scores are not read).
    caching._reports.values.clear()
    caching._fragments.values.clear()
    with CaptureQueriesContext(connection) as queries:
        assert _shown(client, edition.year) == {"Alfa": "5.00", "Beta": "2.00"}
    assert not [q for q in queries.captured_queries if "jury_score" in q["sql"]]

    lower.value = 4
    lower.save()
    caching._fragments.values.clear()
    assert _shown(client, edition.year) == {"Alfa": "5.00", "Beta": "4.00"}
