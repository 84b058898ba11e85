"""The jury's results from plain rows: weighted means, normalised scores and ranks.

Pure functions: no Django, no database, importable without settings. Two steps:
`score_totals` sums plain (juror, nominee, criterion, value) rows per (juror, nominee) pair
and per (nominee, criterion) cell; `results_from_totals` computes everything else from those
sums. `compute_results` is the two in turn. The loading layer (`jury.reports.loading`) has the
database gather each (juror, nominee) pair's scores in one row (one GROUP BY: 50,000 rows
rather than 300,000 scores at 2,000 × 25 × 6), sums them with `totals_from_pair_scores` and
calls `results_from_totals`. The arithmetic runs on numpy arrays, a few passes
whatever the number of scores; ranks come from one sort. The final vote on the shortlist is
counted in `jury.final_vote`.

Ids (jurors, nominees, criteria) are ints or strings, one kind per call: they are sorted to
make the output independent of the order in which the rows arrive.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

type Id = int | str

DEFAULT_MIN_JURORS = 3
DEFAULT_MIN_NOMINATIONS = 3
DEFAULT_DISCUSSION_SHARE = 0.25
# Means are floats: two that differ only after the sixth decimal are the same result.
RANK_PLACES = 6
# A spread below this is rounding noise from equal marks, not a difference between them.
_NO_SPREAD = 1e-9


@dataclass(frozen=True)
class Criterion:
    """A criterion as it is scored: its weight (> 0) and the scale its values lie on."""

    id: Id
    weight: float
    scale_min: float = 1
    scale_max: float = 5

    def __post_init__(self) -> None:
        if not self.weight > 0:
            raise ValueError(f"Criterion {self.id}: the weight must be positive.")
        if not self.scale_min < self.scale_max:
            raise ValueError(f"Criterion {self.id}: the scale's minimum must be below its maximum.")


class Score(NamedTuple):
    """One juror's value for one criterion of one nominee: a plain row, as the database
    gives it (`values_list("juror_id", "nominee_id", "criterion_id", "value")`)."""

    juror_id: Id
    nominee_id: Id
    criterion_id: Id
    value: float


class JurorMean(NamedTuple):
    """One juror's weighted mean for one nominee, and its z-score within that juror."""

    juror_id: Id
    weighted_mean: float
    z_score: float


class CriterionMean(NamedTuple):
    """The mean raw score one criterion received for one nominee; None when nobody scored it."""

    criterion_id: Id
    mean: float | None
    count: int


class Quartiles(NamedTuple):
    """The lower quartile, median and upper quartile of the jurors' weighted means for one
    nominee (linear interpolation between the sorted means, as numpy's and Excel's default)."""

    lower: float
    median: float
    upper: float


@dataclass(frozen=True, slots=True)
class NomineeResult:
    """Everything the results page shows about one nominee.

    `spread` is the population standard deviation of the jurors' weighted means, None with a
    single juror; `minimum`, `quartiles` and `maximum` describe how those means lie. `discuss`
    says that the spread exceeds the jury's discussion threshold; `few_jurors` that fewer jurors
    than the threshold scored it, so its normalised mean rests on little.
    """

    nominee_id: Id
    juror_count: int
    raw_mean: float
    spread: float | None
    minimum: float
    quartiles: Quartiles
    maximum: float
    normalised_mean: float
    raw_rank: int
    raw_tied: bool
    normalised_rank: int
    normalised_tied: bool
    discuss: bool
    few_jurors: bool
    # Per juror who scored it, by juror id: kept as three plain tuples (50,000 pairs at
    # 2,000 × 25), read as `jurors`.
    juror_ids: tuple[Id, ...]
    weighted_means: tuple[float, ...]
    z_scores: tuple[float, ...]
    criteria: tuple[CriterionMean, ...]

    @property
    def jurors(self) -> tuple[JurorMean, ...]:
        """Each juror's weighted mean and z-score for this nominee, by juror id."""
        return tuple(map(JurorMean, self.juror_ids, self.weighted_means, self.z_scores))


@dataclass(frozen=True)
class JurorSummary:
    """How one juror used the scale: the basis of their z-scores.

    `mean` and `spread` (population standard deviation) are over the juror's weighted means for
    the nominees they scored. `no_spread`: every such mean is the same (or there is only
    one), so all their z-scores are 0. `few_nominations`: they scored fewer nominees than
    the threshold, so their normalisation rests on little.
    """

    juror_id: Id
    nomination_count: int
    mean: float
    spread: float
    no_spread: bool
    few_nominations: bool


@dataclass(frozen=True)
class JuryResults:
    """The jury's results: nominees by raw rank (then normalised rank, then id), jurors by id.

    The thresholds used are kept so the page can state them; `left_out_count` is the number
    of scores left out for a conflict of interest.
    """

    nominees: tuple[NomineeResult, ...]
    jurors: tuple[JurorSummary, ...]
    discussion_threshold: float
    min_jurors: int
    min_nominations: int
    left_out_count: int = 0
    _by_nominee: dict = field(init=False, repr=False, compare=False)
    _by_juror: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_nominee", {r.nominee_id: r for r in self.nominees})
        object.__setattr__(self, "_by_juror", {s.juror_id: s for s in self.jurors})

    def nominee(self, nominee_id: Id) -> NomineeResult:
        """The result of one nominee; KeyError if nobody scored it."""
        return self._by_nominee[nominee_id]

    def juror(self, juror_id: Id) -> JurorSummary:
        """The summary of one juror; KeyError if they scored nothing."""
        return self._by_juror[juror_id]


@dataclass(frozen=True)
class Rank:
    """A competition rank ("1, 2, 2, 4"); `tied` when another shares it."""

    position: int
    tied: bool


def rank_key(value: float) -> float:
    """The figure that ranks compare: `value` rounded to RANK_PLACES decimals, so that float
    noise (0.1 + 0.2 against 0.3) neither splits a tie nor orders the tied. Every ranking and
    every order by a mean (the vote's tie-break too) goes through this one function."""
    return round(value, RANK_PLACES)


def competition_ranks(values: Mapping[Id, float]) -> dict[Id, Rank]:
    """Rank `values` descending with shared ranks for ties ("1, 2, 2, 4").

    Values are compared by `rank_key`; each tied value is flagged.
    """
    keys = list(values)
    positions, tied = _competition_ranks(np.array([rank_key(values[key]) for key in keys]))
    return {
        key: Rank(position=position, tied=flag)
        for key, position, flag in zip(keys, positions.tolist(), tied.tolist(), strict=True)
    }


def _competition_ranks(rounded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # One sort: a value's rank is one more than the count of values above it, and it is tied
    # when another value equals it. O(n log n), never a comparison of every pair.
    ascending = np.sort(rounded)
    above = len(rounded) - np.searchsorted(ascending, rounded, side="right")
    equal = np.searchsorted(ascending, rounded, side="right") - np.searchsorted(
        ascending, rounded, side="left"
    )
    return above + 1, equal > 1


class PairTotal(NamedTuple):
    """One juror's scores of one nominee, summed: Σ weight·value and Σ weight over the criteria
    scored, and how many they are."""

    juror_id: Id
    nominee_id: Id
    weighted_sum: float
    weight_sum: float
    count: int


class CellTotal(NamedTuple):
    """The scores one criterion of one nominee received, summed, counted, lowest and highest
    (over the scores that count)."""

    nominee_id: Id
    criterion_id: Id
    total: float
    count: int
    lowest: float
    highest: float


class PairColumns(NamedTuple):
    """`PairTotal`s as columns: entry i of each array belongs to the same pair."""

    juror_id: np.ndarray
    nominee_id: np.ndarray
    weighted_sum: np.ndarray
    weight_sum: np.ndarray
    count: np.ndarray


class CellColumns(NamedTuple):
    """`CellTotal`s as columns: entry i of each array belongs to the same cell."""

    nominee_id: np.ndarray
    criterion_id: np.ndarray
    total: np.ndarray
    count: np.ndarray
    lowest: np.ndarray
    highest: np.ndarray


@dataclass(frozen=True, eq=False)
class ScoreTotals:
    """What the results are computed from: the scores summed per pair and per cell.

    The pairs hold every (juror, nominee) pair with scores, the left-out ones too (their scores
    are counted as left out and go no further); the cells sum only the scores that count. Kept
    as columns, as the arithmetic reads them: no object per pair. `pairs` and `cells` give
    the rows (`PairTotal`, `CellTotal`), `from_rows` takes them.
    """

    pair_columns: PairColumns
    cell_columns: CellColumns

    @classmethod
    def from_rows(cls, pairs: Iterable[Sequence], cells: Iterable[Sequence]) -> "ScoreTotals":
        return cls(PairColumns(*_columns(pairs, 5)), CellColumns(*_columns(cells, 6)))

    @property
    def pairs(self) -> list[PairTotal]:
        return [
            PairTotal(*row) for row in zip(*(c.tolist() for c in self.pair_columns), strict=True)
        ]

    @property
    def cells(self) -> list[CellTotal]:
        return [
            CellTotal(*row) for row in zip(*(c.tolist() for c in self.cell_columns), strict=True)
        ]


def _columns(rows: Iterable[Sequence], width: int) -> list[np.ndarray]:
    rows = list(rows)
    if not rows:
        return [np.array([]) for _ in range(width)]
    return [np.asarray(column) for column in zip(*rows, strict=True)]


def compute_results(
    criteria: Sequence[Criterion],
    scores: Iterable[Sequence],
    *,
    left_out: Collection[tuple[Id, Id]] = frozenset(),
    min_jurors: int = DEFAULT_MIN_JURORS,
    min_nominations: int = DEFAULT_MIN_NOMINATIONS,
    discussion_share: float = DEFAULT_DISCUSSION_SHARE,
) -> JuryResults:
    """The jury's results for every nominee that at least one juror has scored.

    `scores`: (juror, nominee, criterion, value) rows, `Score` or plain tuples. `left_out`:
    (juror, nominee) pairs whose scores do not count (conflicts of interest); they are left
    out before anything is computed or checked, as if never given, and counted
    (`JuryResults.left_out_count`).

    Per juror and nominee, the weighted mean over the criteria scored: weights are normalised
    over the criteria actually scored, so a juror who has scored two of three criteria gets
    the weighted mean of those two rather than a mean dragged down by a missing value.
    Per nominee: the raw mean is the mean over its jurors of those weighted means; the
    normalised mean the mean of their z-scores. Both are ranked separately.

    The normalised score: z-scores per juror, so that harsh and lenient jurors weigh the same.
    Jurors use the scale differently: one gives 4s and 5s, another 2s and 3s; one spreads
    their marks widely, another keeps them close together. The normalised score removes these
    habits. For each juror, we take their weighted mean for every nominee they scored and
    compute the average and the standard deviation of those marks. A nominee's z-score from
    that juror says how many standard deviations it lies above (positive) or below (negative)
    the juror's own average. A nominee's normalised score is the mean of the z-scores it
    received. We use the population standard deviation: the marks are all the marks that
    juror gave, not a sample of them.

    Gaps: a juror who did not score a nominee (a conflict of interest, or not scored yet)
    is left out of it; nothing is filled in. Their average and standard deviation are taken
    over the nominees they did score, and a nominee's normalised score is the mean over
    the jurors who did score it. One consequence: a juror who did not score a strong
    nominee has a slightly lower average, so their other marks stand a little higher.

    A juror who gave every nominee the same mark, or scored only one, has no spread and
    tells us nothing about the order: their z-scores are 0. They still count among a
    nominee's jurors, which draws its normalised score towards 0, and they are flagged.
    So are jurors who scored only a few nominees, and nominees that only a few jurors
    scored: their normalised scores rest on little.

    Spread is the population standard deviation of the jurors' weighted means: the jurors
    who scored are the whole group whose disagreement we describe, not a sample of a larger
    one, and the z-scores use the same measure. With one juror there is no disagreement to
    measure, so the spread is None rather than a 0 that would read as agreement. A nominee
    is marked for discussion when its spread exceeds `discussion_share` of the scale's range
    (default 25%: 1.0 on a 1–5 scale), so the rule means the same on any scale.

    `few_jurors` flags nominees scored by fewer than `min_jurors` jurors; `few_nominations`
    flags jurors who scored fewer than `min_nominations` nominees.

    All criteria must share one scale: a mean across criteria on different scales would mean
    nothing. Raises ValueError on an unknown criterion, a value off the scale or a juror
    scoring the same criterion of a nominee twice. Nominees nobody scored are absent.
    """
    return results_from_totals(
        criteria,
        score_totals(criteria, scores, left_out=left_out),
        left_out=left_out,
        min_jurors=min_jurors,
        min_nominations=min_nominations,
        discussion_share=discussion_share,
    )


def score_totals(
    criteria: Sequence[Criterion],
    scores: Iterable[Sequence],
    *,
    left_out: Collection[tuple[Id, Id]] = frozenset(),
) -> ScoreTotals:
    """The scores summed as `results_from_totals` takes them, from (juror, nominee,
    criterion, value) rows: what `totals_from_pair_scores` makes of the database's rows.

    Raises ValueError on an unknown criterion or on a juror scoring the same criterion of a
    nominee twice (among the scores that count: the database's unique constraint rules it
    out there). The scale is checked on the totals, by `results_from_totals`.
    """
    _common_scale(criteria)
    rows = list(scores)
    if not rows:
        return ScoreTotals.from_rows((), ())
    juror_column, nominee_column, criterion_column, value_column = zip(*rows, strict=True)
    juror_ids, juror = _indexed(juror_column)
    nominee_ids, nominee = _indexed(nominee_column)
    criterion = _criterion_positions(criteria, np.asarray(criterion_column))
    value = np.asarray(value_column, dtype=np.float64)
    n_nominees, n_criteria = len(nominee_ids), len(criteria)

    # Per (juror, nominee) pair, left out or not: Σ weight·value, Σ weight, how many. Summed
    # in criterion order, as the database's integer sums are exact in any order.
    pair_key = juror * n_nominees + nominee
    cell = pair_key * n_criteria + criterion
    order = np.argsort(cell, kind="stable")
    pair_key, cell, nominee, criterion, value = (
        a[order] for a in (pair_key, cell, nominee, criterion, value)
    )
    weight = np.array([float(c.weight) for c in criteria])[criterion]
    pairs, pair = np.unique(pair_key, return_inverse=True)
    pair_juror = np.asarray(juror_ids)[pairs // n_nominees]
    pair_nominee = np.asarray(nominee_ids)[pairs % n_nominees]
    pair_columns = PairColumns(
        pair_juror,
        pair_nominee,
        np.bincount(pair, weights=weight * value),
        np.bincount(pair, weights=weight),
        np.bincount(pair),
    )

    # Per (nominee, criterion), over the scores that count.
    out = _left_out(pair_juror, pair_nominee, left_out)
    kept = ~out[pair]
    twice = np.flatnonzero((cell[1:] == cell[:-1]) & kept[1:] & kept[:-1])
    if twice.size:
        first = int(twice[0])
        j, n = pair_juror[pair[first]].item(), pair_nominee[pair[first]].item()
        raise ValueError(
            f"Juror {j} scored criterion {criteria[criterion[first]].id} of nominee {n} twice."
        )
    slot = (nominee * n_criteria + criterion)[kept]
    value = value[kept]
    slots, slot_index = np.unique(slot, return_inverse=True)
    lowest = np.full(len(slots), np.inf)
    highest = np.full(len(slots), -np.inf)
    np.minimum.at(lowest, slot_index, value)
    np.maximum.at(highest, slot_index, value)
    cell_columns = CellColumns(
        np.asarray(nominee_ids)[slots // n_criteria],
        np.asarray([c.id for c in criteria])[slots % n_criteria],
        np.bincount(slot_index, weights=value, minlength=len(slots)),
        np.bincount(slot_index, minlength=len(slots)),
        lowest,
        highest,
    )
    return ScoreTotals(pair_columns, cell_columns)


def totals_from_pair_scores(
    criteria: Sequence[Criterion],
    juror_ids: np.ndarray,
    nominee_ids: np.ndarray,
    values: np.ndarray,
    *,
    left_out: Collection[tuple[Id, Id]] = frozenset(),
) -> ScoreTotals:
    """The scores summed as `score_totals` sums them, from one row per (juror, nominee) pair
    with scores: `values[i, k]` is juror `juror_ids[i]`'s score of `criteria[k]` for nominee
    `nominee_ids[i]`, negative where they gave none (what the database's one GROUP BY gives,
    jury.reports.loading). A row holds one score per criterion at most: a juror who scored a
    criterion of a nominee twice cannot be written so.
    """
    _common_scale(criteria)
    juror_ids, nominee_ids = np.asarray(juror_ids), np.asarray(nominee_ids)
    values = np.asarray(values, dtype=np.float64).reshape(len(juror_ids), len(criteria))
    given = values >= 0
    marks = np.where(given, values, 0.0)
    weight = np.array([float(c.weight) for c in criteria])
    # Integers summed as floats: exact in any order, as the database's sums and score_totals'.
    pair_columns = PairColumns(
        juror_ids, nominee_ids, marks @ weight, given @ weight, given.sum(axis=1)
    )

    kept = ~_left_out(juror_ids, nominee_ids, left_out)
    nominees, nominee = np.unique(nominee_ids[kept], return_inverse=True)
    marks, given, values = marks[kept], given[kept], values[kept]
    n_nominees, n_criteria = len(nominees), len(criteria)
    # Criterion by criterion: each a contiguous row, as bincount and minimum.at fill them.
    total = np.empty((n_criteria, n_nominees))
    count = np.empty((n_criteria, n_nominees), dtype=np.int64)
    lowest = np.full((n_criteria, n_nominees), np.inf)
    highest = np.full((n_criteria, n_nominees), -np.inf)
    for k in range(n_criteria):
        total[k] = np.bincount(nominee, weights=marks[:, k], minlength=n_nominees)
        count[k] = np.bincount(nominee, weights=given[:, k], minlength=n_nominees)
        np.minimum.at(lowest[k], nominee, np.where(given[:, k], values[:, k], np.inf))
        np.maximum.at(highest[k], nominee, np.where(given[:, k], values[:, k], -np.inf))
    cell = np.nonzero(count)
    cell_columns = CellColumns(
        nominees[cell[1]],
        np.asarray([c.id for c in criteria])[cell[0]],
        total[cell],
        count[cell],
        lowest[cell],
        highest[cell],
    )
    return ScoreTotals(pair_columns, cell_columns)


def _left_out(
    juror_ids: np.ndarray, nominee_ids: np.ndarray, left_out: Collection[tuple[Id, Id]]
) -> np.ndarray:
    """Which of these (juror, nominee) pairs are among `left_out`."""
    out = np.zeros(len(juror_ids), dtype=bool)
    if not left_out:
        return out
    # Only a pair whose juror and nominee are both among the left-out ones can be: a few,
    # where 50,000 pairs would each be looked up in the set.
    jurors, nominees = (list(ids) for ids in zip(*left_out, strict=True))
    maybe = np.flatnonzero(np.isin(juror_ids, jurors) & np.isin(nominee_ids, nominees))
    out[maybe] = [
        pair in left_out
        for pair in zip(juror_ids[maybe].tolist(), nominee_ids[maybe].tolist(), strict=True)
    ]
    return out


def results_from_totals(
    criteria: Sequence[Criterion],
    totals: ScoreTotals,
    *,
    left_out: Collection[tuple[Id, Id]] = frozenset(),
    min_jurors: int = DEFAULT_MIN_JURORS,
    min_nominations: int = DEFAULT_MIN_NOMINATIONS,
    discussion_share: float = DEFAULT_DISCUSSION_SHARE,
) -> JuryResults:
    """The jury's results from the scores summed (`score_totals`, or
    `totals_from_pair_scores`), as `compute_results` defines them. `left_out`: the pairs whose
    scores do not count; the cells must already leave them out.

    Raises ValueError on a total for an unknown criterion, a score off the scale, or two
    totals for one pair or one cell.
    """
    scale_min, scale_max = _common_scale(criteria)
    threshold = discussion_share * (scale_max - scale_min)
    pairs, cells = totals.pair_columns, totals.cell_columns
    if not len(pairs.juror_id):
        return JuryResults((), (), threshold, min_jurors, min_nominations, 0)
    out = _left_out(pairs.juror_id, pairs.nominee_id, left_out)
    left_out_count = int(np.asarray(pairs.count, dtype=np.int64)[out].sum())
    kept = np.flatnonzero(~out)
    if not kept.size:
        return JuryResults((), (), threshold, min_jurors, min_nominations, left_out_count)
    juror_ids, juror = _indexed(pairs.juror_id[kept])
    nominee_ids, nominee = _indexed(pairs.nominee_id[kept])
    weighted_sum = np.asarray(pairs.weighted_sum, dtype=np.float64)[kept]
    weight_sum = np.asarray(pairs.weight_sum, dtype=np.float64)[kept]
    n_jurors, n_nominees, n_criteria = len(juror_ids), len(nominee_ids), len(criteria)

    # By juror then nominee: every sum below adds in the same order whatever order the totals
    # came in, so the figures do not depend on it to the last bit.
    pair_key = juror * n_nominees + nominee
    order = np.argsort(pair_key, kind="stable")
    pair_key, weighted_sum, weight_sum = pair_key[order], weighted_sum[order], weight_sum[order]
    twice = np.flatnonzero(pair_key[1:] == pair_key[:-1])
    if twice.size:
        key = int(pair_key[twice[0]])
        raise ValueError(
            f"Two totals for juror {juror_ids[key // n_nominees]} "
            f"and nominee {nominee_ids[key % n_nominees]}."
        )
    # Per (juror, nominee) pair, the weighted mean over the criteria scored.
    mean = weighted_sum / weight_sum
    pair_juror, pair_nominee = pair_key // n_nominees, pair_key % n_nominees

    # Per nominee and criterion: the mean raw score and how many gave one.
    slot_count = np.zeros(n_nominees * n_criteria, dtype=np.int64)
    slot_sum = np.zeros(n_nominees * n_criteria)
    if len(cells.nominee_id):
        cell_nominee_index = _positions(nominee_ids, cells.nominee_id, "nominee")
        criterion = _criterion_positions(criteria, cells.criterion_id)
        low = np.asarray(cells.lowest, dtype=np.float64)
        high = np.asarray(cells.highest, dtype=np.float64)
        off_scale = np.flatnonzero((low < scale_min) | (high > scale_max))
        if off_scale.size:
            i = int(off_scale[0])
            v = low[i] if low[i] < scale_min else high[i]
            raise ValueError(
                f"Nominee {cells.nominee_id[i]}, criterion {cells.criterion_id[i]}: {v} is off "
                f"the scale {scale_min}–{scale_max}."
            )
        slot = cell_nominee_index * n_criteria + criterion
        if len(np.unique(slot)) < len(slot):
            raise ValueError("Two totals for one criterion of one nominee.")
        slot_count[slot] = np.asarray(cells.count, dtype=np.int64)
        slot_sum[slot] = np.asarray(cells.total, dtype=np.float64)
    slot_mean = np.divide(slot_sum, slot_count, out=np.zeros_like(slot_sum), where=slot_count > 0)
    criterion_means = [
        CriterionMean(criteria[i % n_criteria].id, m if k else None, k)
        for i, (m, k) in enumerate(zip(slot_mean.tolist(), slot_count.tolist(), strict=True))
    ]

    # Per juror: the average and spread of their means, and each mean's z-score.
    juror_count, juror_mean, juror_spread = _group_moments(pair_juror, mean, n_jurors)
    deviation = mean - juror_mean[pair_juror]
    flat = juror_spread <= _NO_SPREAD
    z_score = np.where(
        flat[pair_juror], 0.0, deviation / np.where(flat, 1.0, juror_spread)[pair_juror]
    )

    # Per nominee: the raw mean, the spread, the normalised mean, the ranks.
    count, raw_mean, spread = _group_moments(pair_nominee, mean, n_nominees)
    normalised_mean = np.bincount(pair_nominee, weights=z_score, minlength=n_nominees) / count
    raw_rank, raw_tied = _competition_ranks(np.array([rank_key(m) for m in raw_mean.tolist()]))
    normalised_rank, normalised_tied = _competition_ranks(
        np.array([rank_key(m) for m in normalised_mean.tolist()])
    )

    # The jurors' means per nominee, sorted: their lowest, quartiles and highest.
    by_nominee = np.lexsort((mean, pair_nominee))
    sorted_means = mean[by_nominee]
    start = np.concatenate(([0], np.cumsum(count)[:-1]))
    lowest, highest = sorted_means[start], sorted_means[start + count - 1]
    quartiles = [_quantile(sorted_means, start, count, q).tolist() for q in (0.25, 0.5, 0.75)]

    # The same pairs by nominee then juror: each nominee's jurors in id order.
    by_nominee_then_juror = np.lexsort((pair_juror, pair_nominee))
    pair_juror_ids = [juror_ids[j] for j in pair_juror[by_nominee_then_juror].tolist()]
    pair_means = mean[by_nominee_then_juror].tolist()
    pair_z_scores = z_score[by_nominee_then_juror].tolist()

    counts = count.tolist()
    spreads = spread.tolist()
    columns = zip(
        nominee_ids,
        counts,
        raw_mean.tolist(),
        spreads,
        lowest.tolist(),
        zip(*quartiles, strict=True),
        highest.tolist(),
        normalised_mean.tolist(),
        raw_rank.tolist(),
        raw_tied.tolist(),
        normalised_rank.tolist(),
        normalised_tied.tolist(),
        strict=True,
    )
    starts = start.tolist()
    nominees = [
        NomineeResult(
            nominee_id=nominee_id,
            juror_count=k,
            raw_mean=raw,
            spread=None if k == 1 else sd,
            minimum=low,
            quartiles=Quartiles(*quartile),
            maximum=high,
            normalised_mean=normalised,
            raw_rank=r_rank,
            raw_tied=r_tied,
            normalised_rank=n_rank,
            normalised_tied=n_tied,
            discuss=k > 1 and sd > threshold,
            few_jurors=k < min_jurors,
            juror_ids=tuple(pair_juror_ids[s : s + k]),
            weighted_means=tuple(pair_means[s : s + k]),
            z_scores=tuple(pair_z_scores[s : s + k]),
            criteria=tuple(criterion_means[i * n_criteria : (i + 1) * n_criteria]),
        )
        for i, (
            (
                nominee_id,
                k,
                raw,
                sd,
                low,
                quartile,
                high,
                normalised,
                r_rank,
                r_tied,
                n_rank,
                n_tied,
            ),
            s,
        ) in enumerate(zip(columns, starts, strict=True))
    ]
    # Nominee ids are sorted, so the index breaks the last ties by id.
    ranked = np.lexsort((np.arange(n_nominees), normalised_rank, raw_rank)).tolist()

    jurors = [
        JurorSummary(
            juror_id=juror_id,
            nomination_count=k,
            mean=average,
            spread=sd,
            no_spread=no_spread,
            few_nominations=k < min_nominations,
        )
        for juror_id, k, average, sd, no_spread in zip(
            juror_ids,
            juror_count.tolist(),
            juror_mean.tolist(),
            juror_spread.tolist(),
            flat.tolist(),
            strict=True,
        )
    ]
    return JuryResults(
        nominees=tuple(nominees[i] for i in ranked),
        jurors=tuple(jurors),
        discussion_threshold=threshold,
        min_jurors=min_jurors,
        min_nominations=min_nominations,
        left_out_count=left_out_count,
    )


def _common_scale(criteria: Sequence[Criterion]) -> tuple[float, float]:
    if not criteria:
        raise ValueError("There are no criteria.")
    if len({criterion.id for criterion in criteria}) != len(criteria):
        raise ValueError("Two criteria share an id.")
    scales = {(criterion.scale_min, criterion.scale_max) for criterion in criteria}
    if len(scales) > 1:
        raise ValueError("All criteria must share one scale.")
    scale_min, scale_max = scales.pop()
    return float(scale_min), float(scale_max)


def _indexed(column: Sequence[Id]) -> tuple[list[Id], np.ndarray]:
    """The distinct ids, sorted, and each row's index into them."""
    ids, index = np.unique(np.asarray(column), return_inverse=True)
    return ids.tolist(), index.astype(np.int64)


def _positions(ids: list[Id], column: np.ndarray, kind: str) -> np.ndarray:
    """Each of `column`'s ids as its index into the sorted `ids`."""
    index = np.searchsorted(np.asarray(ids), column)
    bad = np.flatnonzero(
        (index >= len(ids)) | (np.asarray(ids)[np.minimum(index, len(ids) - 1)] != column)
    )
    if bad.size:
        raise ValueError(f"A total for {kind} {column[bad[0]]}, whom no juror scored.")
    return index.astype(np.int64)


def _criterion_positions(criteria: Sequence[Criterion], column: np.ndarray) -> np.ndarray:
    """Each row's criterion as its position in `criteria`."""
    positions = {criterion.id: i for i, criterion in enumerate(criteria)}
    distinct, index = np.unique(column, return_inverse=True)
    lookup = []
    for criterion_id in distinct.tolist():
        if criterion_id not in positions:
            raise ValueError(f"Score for unknown criterion {criterion_id}.")
        lookup.append(positions[criterion_id])
    return np.asarray(lookup, dtype=np.int64)[index]


def _group_moments(
    group: np.ndarray, values: np.ndarray, groups: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group: the count, the mean and the population standard deviation of `values`."""
    count = np.bincount(group, minlength=groups)
    average = np.bincount(group, weights=values, minlength=groups) / count
    deviation = values - average[group]
    spread = np.sqrt(np.bincount(group, weights=deviation * deviation, minlength=groups) / count)
    return count, average, spread


def _quantile(sorted_values: np.ndarray, start: np.ndarray, count: np.ndarray, q: float):
    """Per group of `sorted_values` (from `start`, `count` long): its q-quantile."""
    position = start + q * (count - 1)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, start + count - 1)
    share = position - below
    return sorted_values[below] + (sorted_values[above] - sorted_values[below]) * share
