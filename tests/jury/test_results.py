"""The jury's results, computed by hand: no database, plain data in, exact numbers out."""

import ast
import math
import random
import statistics
import sys
from pathlib import Path

import pytest

import jury.scoring_math
from jury.scoring_math.results import (
    Criterion,
    CriterionMean,
    JurorSummary,
    Rank,
    Score,
    competition_ranks,
    compute_results,
)

approx = pytest.approx

CRITERIA = [
    Criterion("impact", weight=2),
    Criterion("method", weight=1),
    Criterion("reach", weight=1),
]

# The jury fixture: four jurors score four nominees on three criteria, 1–5, weights 2/1/1,
# so a juror's weighted mean is (2·impact + method + reach) / 4.
#
# Jurors j1–j3 are strict and keep their marks close: each gives two nominees their
# average + 0.25 and two their average − 0.25, and each puts B at the top. j4 is lenient
# and generous with top marks: A gets 5 everywhere.
#
#        (impact, method, reach) → 2i+m+r → weighted mean
# j1 A   (2, 3, 2)   4+3+2 =  9   2.25
# j1 B   (3, 3, 2)   6+3+2 = 11   2.75
# j1 C   (3, 2, 3)   6+2+3 = 11   2.75
# j1 D   (2, 2, 3)   4+2+3 =  9   2.25     j1: average 2.50, sd 0.25
# j2 A   (3, 3, 3)   6+3+3 = 12   3.00
# j2 B   (4, 2, 2)   8+2+2 = 12   3.00
# j2 C   (3, 2, 2)   6+2+2 = 10   2.50
# j2 D   (2, 3, 3)   4+3+3 = 10   2.50     j2: average 2.75, sd 0.25
# j3 A   (3, 3, 2)   6+3+2 = 11   2.75
# j3 B   (3, 4, 3)   6+4+3 = 13   3.25
# j3 C   (2, 4, 3)   4+4+3 = 11   2.75
# j3 D   (4, 3, 2)   8+3+2 = 13   3.25     j3: average 3.00, sd 0.25
# j4 A   (5, 5, 5)        = 20   5.00
# j4 B   (4, 3, 3)   8+3+3 = 14   3.50
# j4 C   (3, 4, 4)   6+4+4 = 14   3.50
# j4 D   (3, 2, 4)   6+2+4 = 12   3.00     j4: average 3.75
#
# (j1's A, 2.25, is not the plain mean 7/3 of its marks: the weights count.)
#
# Standard deviations (population): j1–j3 deviate ±0.25 four times: variance 0.0625, sd 0.25.
# j4 deviates +1.25, −0.25, −0.25, −0.75: variance (1.5625 + 0.0625 + 0.0625 + 0.5625) / 4
# = 2.25 / 4 = 0.5625, sd 0.75.
#
# z-scores = deviation / sd:
#        A      B      C      D
# j1    −1     +1     +1     −1
# j2    +1     +1     −1     −1
# j3    −1     +1     −1     +1
# j4   +5/3   −1/3   −1/3    −1
#
# Raw means (mean of the weighted means):
#   A (2.25 + 3.00 + 2.75 + 5.00) / 4 = 13.0 / 4 = 3.25     rank 1
#   B (2.75 + 3.00 + 3.25 + 3.50) / 4 = 12.5 / 4 = 3.125    rank 2
#   C (2.75 + 2.50 + 2.75 + 3.50) / 4 = 11.5 / 4 = 2.875    rank 3
#   D (2.25 + 2.50 + 3.25 + 3.00) / 4 = 11.0 / 4 = 2.75     rank 4
# Normalised means (mean of the z-scores):
#   A (−1 + 1 − 1 + 5/3) / 4 = (2/3) / 4 =  1/6             rank 2
#   B (1 + 1 + 1 − 1/3) / 4  = (8/3) / 4 =  2/3             rank 1
#   C (1 − 1 − 1 − 1/3) / 4  = (−4/3) / 4 = −1/3            rank 3
#   D (−1 − 1 + 1 − 1) / 4   = −2/4      = −1/2             rank 4
# A leads on raw marks only because of j4's 5s; once each juror's habits are taken out, B,
# whom every strict juror put first, leads.
#
# Spreads (population sd of the jurors' weighted means):
#   A deviations −1, −0.25, −0.5, +1.75: (1 + 0.0625 + 0.25 + 3.0625) / 4 = 4.375 / 4
#     = 35/32, sd √(35/32) ≈ 1.0458 > 1.0 (25% of 5 − 1): to be discussed
#   B deviations ∓0.375, ∓0.125: (2·0.140625 + 2·0.015625) / 4 = 0.078125, sd ≈ 0.2795
#   C deviations −0.125, −0.375, −0.125, +0.625: (0.015625 + 0.140625 + 0.015625 + 0.390625)
#     / 4 = 0.5625 / 4 = 0.140625, sd 0.375
#   D deviations −0.5, −0.25, +0.5, +0.25: (0.25 + 0.0625 + 0.25 + 0.0625) / 4 = 0.15625,
#     sd ≈ 0.3953
MARKS = {
    ("j1", "A"): (2, 3, 2),
    ("j1", "B"): (3, 3, 2),
    ("j1", "C"): (3, 2, 3),
    ("j1", "D"): (2, 2, 3),
    ("j2", "A"): (3, 3, 3),
    ("j2", "B"): (4, 2, 2),
    ("j2", "C"): (3, 2, 2),
    ("j2", "D"): (2, 3, 3),
    ("j3", "A"): (3, 3, 2),
    ("j3", "B"): (3, 4, 3),
    ("j3", "C"): (2, 4, 3),
    ("j3", "D"): (4, 3, 2),
    ("j4", "A"): (5, 5, 5),
    ("j4", "B"): (4, 3, 3),
    ("j4", "C"): (3, 4, 4),
    ("j4", "D"): (3, 2, 4),
}

WEIGHTED_MEANS = {
    "A": {"j1": 2.25, "j2": 3.00, "j3": 2.75, "j4": 5.00},
    "B": {"j1": 2.75, "j2": 3.00, "j3": 3.25, "j4": 3.50},
    "C": {"j1": 2.75, "j2": 2.50, "j3": 2.75, "j4": 3.50},
    "D": {"j1": 2.25, "j2": 2.50, "j3": 3.25, "j4": 3.00},
}
Z_SCORES = {
    "A": {"j1": -1, "j2": 1, "j3": -1, "j4": 5 / 3},
    "B": {"j1": 1, "j2": 1, "j3": 1, "j4": -1 / 3},
    "C": {"j1": 1, "j2": -1, "j3": -1, "j4": -1 / 3},
    "D": {"j1": -1, "j2": -1, "j3": 1, "j4": -1},
}


def scores_from(marks: dict) -> list[Score]:
    """Scores from {(juror, nominee): (impact, method, reach)}; None leaves a criterion out."""
    return [
        Score(juror, nominee, criterion.id, value)
        for (juror, nominee), values in marks.items()
        for criterion, value in zip(CRITERIA, values, strict=True)
        if value is not None
    ]


def by_juror(result, attribute: str) -> dict:
    return {mean.juror_id: getattr(mean, attribute) for mean in result.jurors}


@pytest.fixture
def results():
    return compute_results(CRITERIA, scores_from(MARKS))


def test_results_weighted_means_per_juror(results):
    for nominee, means in WEIGHTED_MEANS.items():
        assert by_juror(results.nominee(nominee), "weighted_mean") == approx(means, abs=1e-9)


def test_results_raw_means_counts_spreads_and_ranks(results):
    a, b, c, d = (results.nominee(n) for n in "ABCD")
    assert [r.nominee_id for r in results.nominees] == ["A", "B", "C", "D"]
    assert [r.juror_count for r in (a, b, c, d)] == [4, 4, 4, 4]
    assert [r.raw_mean for r in (a, b, c, d)] == approx([3.25, 3.125, 2.875, 2.75], abs=1e-9)
    assert [r.spread for r in (a, b, c, d)] == approx(
        [math.sqrt(35 / 32), math.sqrt(0.078125), 0.375, math.sqrt(0.15625)], abs=1e-9
    )
    assert [(r.minimum, r.maximum) for r in (a, b, c, d)] == [
        (2.25, 5.0),
        (2.75, 3.5),
        (2.5, 3.5),
        (2.25, 3.25),
    ]
    assert [r.raw_rank for r in (a, b, c, d)] == [1, 2, 3, 4]
    assert not any(r.raw_tied for r in (a, b, c, d))


def test_results_normalisation_puts_b_first_where_raw_means_put_a_first(results):
    a, b, c, d = (results.nominee(n) for n in "ABCD")
    for nominee, z_scores in Z_SCORES.items():
        assert by_juror(results.nominee(nominee), "z_score") == approx(z_scores, abs=1e-9)
    assert [r.normalised_mean for r in (a, b, c, d)] == approx(
        [1 / 6, 2 / 3, -1 / 3, -1 / 2], abs=1e-9
    )
    assert [r.normalised_rank for r in (a, b, c, d)] == [2, 1, 3, 4]
    assert not any(r.normalised_tied for r in (a, b, c, d))
    assert (a.raw_rank, b.raw_rank) == (1, 2)


def test_results_juror_summaries(results):
    assert results.jurors == (
        JurorSummary("j1", 4, approx(2.5, abs=1e-9), approx(0.25, abs=1e-9), False, False),
        JurorSummary("j2", 4, approx(2.75, abs=1e-9), approx(0.25, abs=1e-9), False, False),
        JurorSummary("j3", 4, approx(3.0, abs=1e-9), approx(0.25, abs=1e-9), False, False),
        JurorSummary("j4", 4, approx(3.75, abs=1e-9), approx(0.75, abs=1e-9), False, False),
    )


def test_results_marks_only_a_for_discussion(results):
    # A's spread √(35/32) ≈ 1.046 exceeds 25% of the range 5 − 1; the others are below 0.4.
    assert results.discussion_threshold == 1.0
    assert [r.discuss for r in results.nominees] == [True, False, False, False]
    assert not any(r.few_jurors for r in results.nominees)


def test_results_breakdown_per_criterion(results):
    # A's impact 2, 3, 3, 5 → 13/4; method 3, 3, 3, 5 → 14/4; reach 2, 3, 2, 5 → 12/4.
    assert results.nominee("A").criteria == (
        CriterionMean("impact", 3.25, 4),
        CriterionMean("method", 3.5, 4),
        CriterionMean("reach", 3.0, 4),
    )


def test_results_do_not_depend_on_the_order_of_the_rows(results):
    assert compute_results(CRITERIA, scores_from(MARKS)[::-1]) == results


def test_results_weights_are_normalised_over_the_criteria_scored():
    # j1 has not scored A's reach yet: (2·2 + 3) / (2 + 1) = 7/3, not (2·2 + 3) / 4.
    results = compute_results(
        CRITERIA, scores_from({("j1", "A"): (2, 3, None), ("j2", "A"): (3, 3, 3)})
    )
    a = results.nominee("A")
    assert by_juror(a, "weighted_mean") == approx({"j1": 7 / 3, "j2": 3.0}, abs=1e-9)
    assert a.raw_mean == approx((7 / 3 + 3) / 2, abs=1e-9)
    assert a.criteria == (
        CriterionMean("impact", 2.5, 2),
        CriterionMean("method", 3.0, 2),
        CriterionMean("reach", 3.0, 1),
    )


def test_results_conflicted_juror_leaves_a_gap():
    """j1 is conflicted on C and never scores it.

    C: three jurors, weighted means 2.50, 2.75, 3.50: raw mean 8.75 / 3 = 35/12; deviations
    −5/12, −2/12, +7/12: variance (25 + 4 + 49) / 144 / 3 = 26/144, sd √26 / 12.

    j1 is normalised over A, B and D only: 2.25, 2.75, 2.25, average 7.25 / 3 = 29/12;
    deviations −2/12, +4/12, −2/12: variance (4 + 16 + 4) / 144 / 3 = 1/18, sd 1/√18 = √2/6.
    z: A (−2/12) · 6/√2 = −√2/2, B (4/12) · 6/√2 = √2, D −√2/2.

    Normalised means, the other jurors' z-scores unchanged:
      A (−√2/2 + 1 − 1 + 5/3) / 4 ≈ 0.2399    rank 2
      B (√2 + 1 + 1 − 1/3) / 4    ≈ 0.7702    rank 1
      C (−1 − 1 − 1/3) / 3 = −7/9 ≈ −0.7778   rank 4 (over j2, j3, j4)
      D (−√2/2 − 1 + 1 − 1) / 4   ≈ −0.4268   rank 3
    """
    marks = {key: value for key, value in MARKS.items() if key != ("j1", "C")}
    results = compute_results(CRITERIA, scores_from(marks))
    a, b, c, d = (results.nominee(n) for n in "ABCD")
    root2 = math.sqrt(2)

    assert c.juror_count == 3
    assert [j.juror_id for j in c.jurors] == ["j2", "j3", "j4"]
    assert c.raw_mean == approx(35 / 12, abs=1e-9)
    assert c.spread == approx(math.sqrt(26) / 12, abs=1e-9)
    assert (c.minimum, c.maximum) == (2.5, 3.5)
    assert [criterion.count for criterion in c.criteria] == [3, 3, 3]
    assert not c.few_jurors
    assert [r.raw_mean for r in (a, b, d)] == approx([3.25, 3.125, 2.75], abs=1e-9)

    assert results.juror("j1") == JurorSummary(
        "j1", 3, approx(29 / 12, abs=1e-9), approx(root2 / 6, abs=1e-9), False, False
    )
    assert [by_juror(r, "z_score")["j1"] for r in (a, b, d)] == approx(
        [-root2 / 2, root2, -root2 / 2], abs=1e-9
    )
    assert by_juror(c, "z_score") == approx({"j2": -1, "j3": -1, "j4": -1 / 3}, abs=1e-9)

    assert [r.normalised_mean for r in (a, b, c, d)] == approx(
        [(-root2 / 2 + 5 / 3) / 4, (root2 + 5 / 3) / 4, -7 / 9, (-root2 / 2 - 1) / 4], abs=1e-9
    )
    assert [r.raw_rank for r in (a, b, c, d)] == [1, 2, 3, 4]
    assert [r.normalised_rank for r in (a, b, c, d)] == [2, 1, 4, 3]


def test_results_juror_with_identical_marks_has_zero_z_scores_and_is_flagged():
    """j5 gives (3, 3, 3) everywhere: weighted mean 3 for all four, sd 0, z-scores 0.

    j5 still counts as a juror: raw means (sum + 3) / 5: A 16/5, B 15.5/5, C 14.5/5, D 14/5;
    normalised means (sum of z + 0) / 5: A (2/3)/5 = 2/15, B (8/3)/5 = 8/15, C −4/15, D −2/5.
    """
    marks = MARKS | {("j5", n): (3, 3, 3) for n in "ABCD"}
    results = compute_results(CRITERIA, scores_from(marks))

    assert results.juror("j5") == JurorSummary("j5", 4, 3.0, 0.0, True, False)
    assert not results.juror("j4").no_spread
    for r in results.nominees:
        assert by_juror(r, "z_score")["j5"] == 0.0
        assert r.juror_count == 5
    assert [results.nominee(n).raw_mean for n in "ABCD"] == approx([3.2, 3.1, 2.9, 2.8], abs=1e-9)
    assert [results.nominee(n).normalised_mean for n in "ABCD"] == approx(
        [2 / 15, 8 / 15, -4 / 15, -2 / 5], abs=1e-9
    )


def test_results_juror_who_scored_one_nominee_is_flagged():
    marks = MARKS | {("j6", "D"): (5, 5, 5)}
    results = compute_results(CRITERIA, scores_from(marks))

    assert results.juror("j6") == JurorSummary("j6", 1, 5.0, 0.0, True, True)
    d = results.nominee("D")
    assert d.juror_count == 5
    assert by_juror(d, "z_score")["j6"] == 0.0
    # j6 adds a 0 to D's z-scores: (−1 − 1 + 1 − 1 + 0) / 5.
    assert d.normalised_mean == approx(-2 / 5, abs=1e-9)


def test_results_single_juror():
    """One juror, A 5, B 3, C 1: average 3, sd √(8/3); z A +√(3/2), B 0, C −√(3/2)."""
    marks = {("j1", "A"): (5, 5, 5), ("j1", "B"): (3, 3, 3), ("j1", "C"): (1, 1, 1)}
    results = compute_results(CRITERIA, scores_from(marks))
    a, b, c = (results.nominee(n) for n in "ABC")

    assert [r.juror_count for r in (a, b, c)] == [1, 1, 1]
    assert [r.raw_mean for r in (a, b, c)] == [5.0, 3.0, 1.0]
    assert [(r.minimum, r.maximum) for r in (a, b, c)] == [(5.0, 5.0), (3.0, 3.0), (1.0, 1.0)]
    # No disagreement to measure with one juror: no spread, nothing to discuss.
    assert [r.spread for r in (a, b, c)] == [None, None, None]
    assert not any(r.discuss for r in (a, b, c))
    assert [r.normalised_mean for r in (a, b, c)] == approx(
        [math.sqrt(1.5), 0.0, -math.sqrt(1.5)], abs=1e-9
    )
    assert all(r.few_jurors for r in (a, b, c))
    assert results.juror("j1") == JurorSummary(
        "j1", 3, 3.0, approx(math.sqrt(8 / 3), abs=1e-9), False, False
    )


def test_results_thresholds_for_few_jurors_and_few_nominations(results):
    strict = compute_results(CRITERIA, scores_from(MARKS), min_jurors=5, min_nominations=5)
    assert all(r.few_jurors for r in strict.nominees)
    assert all(j.few_nominations for j in strict.jurors)
    assert (strict.min_jurors, strict.min_nominations) == (5, 5)
    assert (results.min_jurors, results.min_nominations) == (3, 3)


@pytest.mark.parametrize(
    ("marks", "spread", "discuss"),
    [
        # On 0–10 the threshold is 25% of 10 = 2.5; it must be exceeded, not reached.
        ((5, 10), 2.5, False),
        ((4, 10), 3.0, True),
    ],
)
def test_results_discussion_threshold_is_relative_to_the_scale(marks, spread, discuss):
    criteria = [Criterion("overall", weight=1, scale_min=0, scale_max=10)]
    scores = [Score(f"j{i}", "A", "overall", mark) for i, mark in enumerate(marks)]
    results = compute_results(criteria, scores)
    assert results.discussion_threshold == 2.5
    assert results.nominee("A").spread == spread
    assert results.nominee("A").discuss is discuss


def test_competition_ranks_share_ranks_and_flag_ties():
    # 0.1 + 0.2 is 0.30000000000000004: the same result as 0.3 once rounded.
    assert competition_ranks({"a": 0.3, "b": 0.1 + 0.2, "c": 0.5, "d": 0.1}) == {
        "c": Rank(1, False),
        "a": Rank(2, True),
        "b": Rank(2, True),
        "d": Rank(4, False),
    }


def test_results_ties_share_a_rank_and_are_flagged():
    """One criterion; j1 gives A 4, B 3, C 2, D 2 and j2 A 4, B 3, C 4, D 2.

    Raw means A 4, B 3, C 3, D 2: ranks 1, 2, 2, 4. Both jurors have deviations of the same
    sizes (j1 from 2.75: +1.25, +0.25, −0.75, −0.75; j2 from 3.25: +0.75, −0.25, +0.75, −1.25),
    so the same sd s = √0.6875; normalised B (0.25 − 0.25) / 2s = 0 and C (−0.75 + 0.75) / 2s
    = 0 tie as well, A 2/2s = 1/s, D −1/s.
    """
    criteria = [Criterion("overall", weight=1)]
    marks = {"j1": (4, 3, 2, 2), "j2": (4, 3, 4, 2)}
    scores = [
        Score(juror, nominee, "overall", mark)
        for juror, values in marks.items()
        for nominee, mark in zip("ABCD", values, strict=True)
    ]
    results = compute_results(criteria, scores)
    a, b, c, d = (results.nominee(n) for n in "ABCD")

    assert [(r.raw_rank, r.raw_tied) for r in (a, b, c, d)] == [
        (1, False),
        (2, True),
        (2, True),
        (4, False),
    ]
    assert [(r.normalised_rank, r.normalised_tied) for r in (a, b, c, d)] == [
        (1, False),
        (2, True),
        (2, True),
        (4, False),
    ]
    s = math.sqrt(0.6875)
    assert [r.normalised_mean for r in (a, b, c, d)] == approx([1 / s, 0, 0, -1 / s], abs=1e-9)


@pytest.mark.parametrize(
    ("criteria", "scores", "message"),
    [
        ([], [], "no criteria"),
        (CRITERIA, [Score("j1", "A", "beauty", 3)], "unknown criterion"),
        (CRITERIA, [Score("j1", "A", "impact", 6)], "off the scale"),
        (
            CRITERIA,
            [Score("j1", "A", "impact", 3), Score("j2", "A", "impact", 0)],
            "Nominee A, criterion impact: 0.0 is off the scale 1.0–5.0",
        ),
        (CRITERIA, [Score("j1", "A", "impact", 3)] * 2, "twice"),
        (
            CRITERIA,
            [Score("j1", "A", "impact", 3), Score("j2", "A", "impact", 3)] * 2,
            "Juror j1 scored criterion impact of nominee A twice",
        ),
        ([Criterion("a", 1), Criterion("b", 1, 0, 10)], [], "one scale"),
        ([Criterion("a", 1), Criterion("a", 2)], [], "share an id"),
    ],
)
def test_results_reject_inconsistent_input(criteria, scores, message):
    with pytest.raises(ValueError, match=message):
        compute_results(criteria, scores)


@pytest.mark.parametrize(("weight", "scale"), [(0, (1, 5)), (-1, (1, 5)), (1, (5, 5))])
def test_criterion_rejects_bad_weight_or_scale(weight, scale):
    with pytest.raises(ValueError, match="Criterion x"):
        Criterion("x", weight, *scale)


# The arithmetic against a plain reference ----------------------------------------------------


def _reference(criteria, scores):
    """The results the slow way, one dict and one `statistics` call at a time."""
    weights = {c.id: c.weight for c in criteria}
    cells: dict = {}
    for juror, nominee, criterion, value in scores:
        cells.setdefault((juror, nominee), {})[criterion] = value
    means = {
        pair: sum(weights[c] * v for c, v in cell.items()) / sum(weights[c] for c in cell)
        for pair, cell in cells.items()
    }
    jurors = {juror for juror, _ in means}
    moments = {}
    for juror in jurors:
        own = [m for (j, _), m in means.items() if j == juror]
        moments[juror] = (statistics.fmean(own), statistics.pstdev(own))
    z = {
        (j, n): 0.0 if moments[j][1] <= 1e-9 else (m - moments[j][0]) / moments[j][1]
        for (j, n), m in means.items()
    }
    figures = {}
    for nominee in {n for _, n in means}:
        own = sorted(m for (_, n), m in means.items() if n == nominee)
        figures[nominee] = (
            statistics.fmean(own),
            statistics.fmean(z[j, n] for (j, n) in means if n == nominee),
            (own[0], *statistics.quantiles(own, n=4, method="inclusive"), own[-1])
            if len(own) > 1
            else (own[0],) * 5,
        )
    return figures


def test_results_agree_with_a_plain_reference_on_random_marks_with_gaps():
    generator = random.Random(13)
    criteria = [Criterion(f"c{i}", weight=generator.choice([1, 2, 3])) for i in range(4)]
    scores = [
        Score(f"j{j:02d}", f"n{n:02d}", criterion.id, generator.randint(1, 5))
        for j in range(9)
        for n in range(30)
        if generator.random() > 0.15
        for criterion in criteria
        if generator.random() > 0.1
    ]
    computed = compute_results(criteria, scores)
    expected = _reference(criteria, scores)
    assert {r.nominee_id for r in computed.nominees} == set(expected)
    for result in computed.nominees:
        raw, normalised, spread = expected[result.nominee_id]
        assert result.raw_mean == approx(raw, abs=1e-9)
        assert result.normalised_mean == approx(normalised, abs=1e-9)
        assert (result.minimum, *result.quartiles, result.maximum) == approx(spread, abs=1e-9)
    ranked = sorted(expected, key=lambda n: -round(expected[n][0], 6))
    assert [r.raw_rank for r in computed.nominees] == [
        1 + sum(1 for m in ranked if round(expected[m][0], 6) > round(expected[n][0], 6))
        for n in (r.nominee_id for r in computed.nominees)
    ]


def test_the_pure_computation_imports_no_django_and_no_app():
    folder = Path(jury.scoring_math.__file__).parent
    for module in folder.glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
        outside = {
            name
            for name in imported
            if name.split(".")[0] not in {*sys.stdlib_module_names, "numpy"}
            and not name.startswith("jury.scoring_math")
        }
        assert outside == set(), module


def test_left_out_pairs_count_as_never_given_and_are_counted():
    # j1 is conflicted on C; a left-out score is not even checked (6 is off the scale).
    given = [*scores_from(MARKS), Score("j1", "D", "impact", 6)]
    without = [s for s in scores_from(MARKS) if (s.juror_id, s.nominee_id) != ("j1", "C")]
    left_out = compute_results(CRITERIA, given, left_out={("j1", "C"), ("j1", "D"), ("j9", "A")})
    expected = compute_results(
        CRITERIA, [s for s in without if (s.juror_id, s.nominee_id) != ("j1", "D")]
    )
    assert left_out.nominees == expected.nominees
    assert left_out.jurors == expected.jurors
    assert left_out.left_out_count == 3 + 4
    assert expected.left_out_count == 0
