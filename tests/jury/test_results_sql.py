"""The database sums the scores as `score_totals` does: the results page's figures, computed
from the database's GROUP BYs, are those computed from the scores themselves."""

import random

import pytest

from jury.models import ConflictDeclaration, Score
from jury.reports.loading import summed_scores
from jury.scoring_math import results
from tests.factories import CriterionFactory, EditionFactory, JurorFactory
from tests.jury.test_results_views import candidate

pytestmark = pytest.mark.django_db


def _random_edition(seed: int):
    """Jurors who skip criteria and nominees, unequal weights, conflicts on scored pairs (one
    dismissed, so it counts for nothing) and one on a pair nobody scored."""
    rng = random.Random(seed)
    edition = EditionFactory()
    criteria = [CriterionFactory(edition=edition, weight=w) for w in (3, 1, 2, 5)]
    nominees = [candidate(edition, f"Kandidat {i}") for i in range(9)]
    jurors = [JurorFactory(edition=edition) for _ in range(6)]
    Score.objects.bulk_create(
        Score(juror=juror, nominee=nominee, criterion=criterion, value=rng.randint(1, 5))
        for juror in jurors
        for nominee in nominees
        if rng.random() < 0.8 and (juror, nominee) != (jurors[0], nominees[0])
        for criterion in criteria
        if rng.random() < 0.75
    )
    scored = list(Score.objects.values_list("juror_id", "nominee_id").distinct())
    conflicts = rng.sample(scored, 4)
    for (juror_id, nominee_id), ruling in zip(
        conflicts, ["", "upheld", "dismissed", ""], strict=True
    ):
        ConflictDeclaration.objects.create(
            juror_id=juror_id, nominee_id=nominee_id, conflicted=True, ruling=ruling
        )
    # A conflict on a pair with no scores: nothing to leave out.
    ConflictDeclaration.objects.create(juror=jurors[0], nominee=nominees[0], conflicted=True)
    return edition, criteria, nominees, jurors


@pytest.mark.parametrize("seed", range(5))
def test_the_database_sums_the_scores_as_score_totals_does(seed):
    _, criteria, nominees, jurors = _random_edition(seed)
    criteria_in = [results.Criterion(c.pk, c.weight, c.scale_min, c.scale_max) for c in criteria]
    left_out = frozenset(
        ConflictDeclaration.objects.effective().values_list("juror_id", "nominee_id")
    )
    assert len(left_out) == 4
    rows = list(Score.objects.values_list("juror_id", "nominee_id", "criterion_id", "value"))

    summed = summed_scores(
        juror_ids=[j.pk for j in jurors],
        criteria=criteria_in,
        nominee_ids=[n.pk for n in nominees],
        left_out=left_out,
    )
    expected = results.score_totals(criteria_in, rows, left_out=left_out)

    assert sorted(summed.pairs) == sorted(expected.pairs)
    assert sorted(summed.cells) == sorted(expected.cells)
    # The left-out pairs are among the pairs (their scores are counted), not among the cells.
    assert {(j, n) for j, n, *_ in summed.pairs} >= left_out - {(jurors[0].pk, nominees[0].pk)}
    # And the figures are the same to the last bit, whatever order the totals come in.
    computed = results.results_from_totals(criteria_in, summed, left_out=left_out)
    assert computed == results.compute_results(criteria_in, rows, left_out=left_out)
    assert computed.left_out_count > 0
    shuffled = results.ScoreTotals.from_rows(
        random.Random(seed).sample(list(summed.pairs), len(summed.pairs)),
        random.Random(seed).sample(list(summed.cells), len(summed.cells)),
    )
    assert results.results_from_totals(criteria_in, shuffled, left_out=left_out) == computed


def test_the_database_sums_only_the_scores_asked_for():
    _, criteria, nominees, jurors = _random_edition(0)
    summed = summed_scores(
        juror_ids=[j.pk for j in jurors[1:]],
        criteria=[results.Criterion(c.pk, c.weight) for c in criteria[1:]],
        nominee_ids=[n.pk for n in nominees[2:]],
    )
    assert {j for j, *_ in summed.pairs} <= {j.pk for j in jurors[1:]}
    assert {n for n, *_ in summed.cells} <= {n.pk for n in nominees[2:]}
    assert {c for _, c, *_ in summed.cells} <= {c.pk for c in criteria[1:]}
    assert summed.pairs
    assert summed.cells


def test_the_database_sums_scores_from_0_to_10_on_more_criteria_than_one_number_packs():
    # Each score takes four bits of a number, fifteen criteria a number: 17 criteria take two,
    # and 0 and 10, the lowest and highest scores the table allows, keep their values.
    rng = random.Random(17)
    edition = EditionFactory()
    criteria = [CriterionFactory(edition=edition, weight=1 + i % 3) for i in range(17)]
    nominees = [candidate(edition, f"Kandidat {i}") for i in range(3)]
    jurors = [JurorFactory(edition=edition) for _ in range(3)]
    Score.objects.bulk_create(
        Score(juror=juror, nominee=nominee, criterion=criterion, value=rng.choice([0, 10, 7]))
        for juror in jurors
        for nominee in nominees
        for criterion in criteria
        if rng.random() < 0.7
    )
    criteria_in = [results.Criterion(c.pk, c.weight, 0, 10) for c in criteria]
    rows = list(Score.objects.values_list("juror_id", "nominee_id", "criterion_id", "value"))
    summed = summed_scores(
        juror_ids=[j.pk for j in jurors],
        criteria=criteria_in,
        nominee_ids=[n.pk for n in nominees],
    )
    expected = results.score_totals(criteria_in, rows)
    assert sorted(summed.pairs) == sorted(expected.pairs)
    assert sorted(summed.cells) == sorted(expected.cells)
    assert {low for *_, low, _ in summed.cells} >= {0}
    assert {high for *_, high in summed.cells} >= {10}
