"""The jury's results from plain rows: weighted means, normalised scores and ranks.

Pure functions over small frozen dataclasses: no Django, no database, importable without
settings. The view layer reads criteria and scores, hands them over as `Criterion` and `Score`,
and shows what comes back. The final vote on the shortlist is counted in `jury.final_vote`.

Ids (jurors, nominations, criteria) are ints or strings, one kind per call: they are sorted to
make the output independent of the order in which the rows arrive.
"""

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Score:
    """One juror's value for one criterion of one nomination."""

    juror_id: Id
    nomination_id: Id
    criterion_id: Id
    value: float


@dataclass(frozen=True)
class JurorMean:
    """One juror's weighted mean for one nomination, and its z-score within that juror."""

    juror_id: Id
    weighted_mean: float
    z_score: float


@dataclass(frozen=True)
class CriterionMean:
    """The mean raw score one criterion received for one nomination; None when nobody scored it."""

    criterion_id: Id
    mean: float | None
    count: int


@dataclass(frozen=True)
class NominationResult:
    """Everything the results page shows about one nomination.

    `spread` is the population standard deviation of the jurors' weighted means, None with a
    single juror; `minimum` and `maximum` are the lowest and highest of those means. `discuss`
    says that the spread exceeds the jury's discussion threshold; `few_jurors` that fewer jurors
    than the threshold scored it, so its normalised mean rests on little.
    """

    nomination_id: Id
    juror_count: int
    raw_mean: float
    spread: float | None
    minimum: float
    maximum: float
    normalised_mean: float
    raw_rank: int
    raw_tied: bool
    normalised_rank: int
    normalised_tied: bool
    discuss: bool
    few_jurors: bool
    jurors: tuple[JurorMean, ...]
    criteria: tuple[CriterionMean, ...]


@dataclass(frozen=True)
class JurorSummary:
    """How one juror used the scale: the basis of their z-scores.

    `mean` and `spread` (population standard deviation) are over the juror's weighted means for
    the nominations they scored. `no_spread`: every such mean is the same (or there is only
    one), so all their z-scores are 0. `few_nominations`: they scored fewer nominations than
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
    """The jury's results: nominations by raw rank (then normalised rank, then id), jurors by id.

    The thresholds used are kept so the page can state them.
    """

    nominations: tuple[NominationResult, ...]
    jurors: tuple[JurorSummary, ...]
    discussion_threshold: float
    min_jurors: int
    min_nominations: int

    def nomination(self, nomination_id: Id) -> NominationResult:
        """The result of one nomination; KeyError if nobody scored it."""
        for result in self.nominations:
            if result.nomination_id == nomination_id:
                return result
        raise KeyError(nomination_id)

    def juror(self, juror_id: Id) -> JurorSummary:
        """The summary of one juror; KeyError if they scored nothing."""
        for summary in self.jurors:
            if summary.juror_id == juror_id:
                return summary
        raise KeyError(juror_id)


@dataclass(frozen=True)
class Rank:
    """A competition rank ("1, 2, 2, 4"); `tied` when another shares it."""

    position: int
    tied: bool


def weighted_mean(values: Mapping[Id, float], weights: Mapping[Id, float]) -> float:
    """The mean of `values` (by criterion) weighted by `weights`, over the criteria present.

    Weights are normalised over the criteria actually scored, so a juror who has scored two of
    three criteria gets the weighted mean of those two rather than a mean dragged down by a
    missing value.
    """
    total = math.fsum(weights[criterion] for criterion in values)
    return math.fsum(weights[criterion] * value for criterion, value in values.items()) / total


def normalise(juror_means: Mapping[Id, Mapping[Id, float]]) -> dict[Id, dict[Id, float]]:
    """The normalised score: z-scores per juror, so that harsh and lenient jurors weigh the same.

    Jurors use the scale differently: one gives 4s and 5s, another 2s and 3s; one spreads
    their marks widely, another keeps them close together. The normalised score removes these
    habits. For each juror, we take their weighted mean for every nomination they scored and
    compute the average and the standard deviation of those marks. A nomination's z-score from
    that juror says how many standard deviations it lies above (positive) or below (negative)
    the juror's own average. A nomination's normalised score is the mean of the z-scores it
    received. We use the population standard deviation: the marks are all the marks that
    juror gave, not a sample of them.

    Gaps: a juror who did not score a nomination (a conflict of interest, or not scored yet)
    is left out of it; nothing is filled in. Their average and standard deviation are taken
    over the nominations they did score, and a nomination's normalised score is the mean over
    the jurors who did score it. One consequence: a juror who did not score a strong
    nomination has a slightly lower average, so their other marks stand a little higher.

    A juror who gave every nomination the same mark, or scored only one, has no spread and
    tells us nothing about the order: their z-scores are 0. They still count among a
    nomination's jurors, which draws its normalised score towards 0, and they are flagged.
    So are jurors who scored only a few nominations, and nominations that only a few jurors
    scored: their normalised scores rest on little.

    Takes, per juror, their weighted mean per nomination; returns, per juror, the z-score per
    nomination.
    """
    z_scores: dict[Id, dict[Id, float]] = {}
    for juror, means in juror_means.items():
        average, spread = _average_and_spread(means.values())
        z_scores[juror] = {
            nomination: 0.0 if spread <= _NO_SPREAD else (mean - average) / spread
            for nomination, mean in means.items()
        }
    return z_scores


def competition_ranks(values: Mapping[Id, float], *, places: int = RANK_PLACES) -> dict[Id, Rank]:
    """Rank `values` descending with shared ranks for ties ("1, 2, 2, 4").

    Values are compared after rounding to `places` decimals, so that float noise (0.1 + 0.2
    against 0.3) does not split a tie; each tied value is flagged.
    """
    rounded = {key: round(value, places) for key, value in values.items()}
    # One sort, then each value's rank is one more than the count of values above it: the
    # index of its first occurrence in descending order. O(n log n), not a pass per value.
    ordered = sorted(rounded.values(), reverse=True)
    first: dict[float, int] = {}
    count: dict[float, int] = defaultdict(int)
    for index, value in enumerate(ordered):
        first.setdefault(value, index)
        count[value] += 1
    return {
        key: Rank(position=first[value] + 1, tied=count[value] > 1)
        for key, value in rounded.items()
    }


def compute_results(
    criteria: Sequence[Criterion],
    scores: Iterable[Score],
    *,
    min_jurors: int = DEFAULT_MIN_JURORS,
    min_nominations: int = DEFAULT_MIN_NOMINATIONS,
    discussion_share: float = DEFAULT_DISCUSSION_SHARE,
) -> JuryResults:
    """The jury's results for every nomination that at least one juror has scored.

    Per juror and nomination, the weighted mean over the criteria scored (`weighted_mean`).
    Per nomination: the raw mean is the mean over its jurors of those weighted means; the
    normalised mean the mean of their z-scores (`normalise`). Both are ranked separately.

    Spread is the population standard deviation of the jurors' weighted means: the jurors
    who scored are the whole group whose disagreement we describe, not a sample of a larger
    one, and the z-scores use the same measure. With one juror there is no disagreement to
    measure, so the spread is None rather than a 0 that would read as agreement. A nomination
    is marked for discussion when its spread exceeds `discussion_share` of the scale's range
    (default 25%: 1.0 on a 1–5 scale), so the rule means the same on any scale.

    `few_jurors` flags nominations scored by fewer than `min_jurors` jurors; `few_nominations`
    flags jurors who scored fewer than `min_nominations` nominations.

    All criteria must share one scale: a mean across criteria on different scales would mean
    nothing. Raises ValueError on an unknown criterion, a value off the scale or a juror
    scoring the same criterion of a nomination twice. Nominations nobody scored are absent.
    """
    scale_min, scale_max = _common_scale(criteria)
    weights = {criterion.id: float(criterion.weight) for criterion in criteria}

    values: dict[tuple[Id, Id], dict[Id, float]] = defaultdict(dict)
    for score in scores:
        if score.criterion_id not in weights:
            raise ValueError(f"Score for unknown criterion {score.criterion_id}.")
        if not scale_min <= score.value <= scale_max:
            raise ValueError(
                f"Juror {score.juror_id}, nomination {score.nomination_id}, criterion "
                f"{score.criterion_id}: {score.value} is off the scale {scale_min}–{scale_max}."
            )
        cell = values[score.juror_id, score.nomination_id]
        if score.criterion_id in cell:
            raise ValueError(
                f"Juror {score.juror_id} scored criterion {score.criterion_id} of nomination "
                f"{score.nomination_id} twice."
            )
        cell[score.criterion_id] = float(score.value)

    by_juror: dict[Id, dict[Id, float]] = defaultdict(dict)
    for (juror, nomination), cell in values.items():
        by_juror[juror][nomination] = weighted_mean(cell, weights)
    z_scores = normalise(by_juror)

    by_nomination: dict[Id, dict[Id, float]] = defaultdict(dict)
    for juror, means in by_juror.items():
        for nomination, mean in means.items():
            by_nomination[nomination][juror] = mean

    raw_means = {n: statistics.fmean(means.values()) for n, means in by_nomination.items()}
    normalised_means = {
        nomination: statistics.fmean(z_scores[juror][nomination] for juror in means)
        for nomination, means in by_nomination.items()
    }
    raw_ranks = competition_ranks(raw_means)
    normalised_ranks = competition_ranks(normalised_means)
    threshold = discussion_share * (scale_max - scale_min)

    nominations = []
    for nomination, means in by_nomination.items():
        juror_ids = sorted(means)
        spread = statistics.pstdev(means.values()) if len(means) > 1 else None
        nominations.append(
            NominationResult(
                nomination_id=nomination,
                juror_count=len(means),
                raw_mean=raw_means[nomination],
                spread=spread,
                minimum=min(means.values()),
                maximum=max(means.values()),
                normalised_mean=normalised_means[nomination],
                raw_rank=raw_ranks[nomination].position,
                raw_tied=raw_ranks[nomination].tied,
                normalised_rank=normalised_ranks[nomination].position,
                normalised_tied=normalised_ranks[nomination].tied,
                discuss=spread is not None and spread > threshold,
                few_jurors=len(means) < min_jurors,
                jurors=tuple(
                    JurorMean(juror, means[juror], z_scores[juror][nomination])
                    for juror in juror_ids
                ),
                criteria=tuple(
                    _criterion_mean(
                        criterion.id, [values[juror, nomination] for juror in juror_ids]
                    )
                    for criterion in criteria
                ),
            )
        )
    nominations.sort(key=lambda r: (r.raw_rank, r.normalised_rank, r.nomination_id))

    jurors = []
    for juror in sorted(by_juror):
        average, spread = _average_and_spread(by_juror[juror].values())
        jurors.append(
            JurorSummary(
                juror_id=juror,
                nomination_count=len(by_juror[juror]),
                mean=average,
                spread=spread,
                no_spread=spread <= _NO_SPREAD,
                few_nominations=len(by_juror[juror]) < min_nominations,
            )
        )

    return JuryResults(
        nominations=tuple(nominations),
        jurors=tuple(jurors),
        discussion_threshold=threshold,
        min_jurors=min_jurors,
        min_nominations=min_nominations,
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


def _average_and_spread(values: Iterable[float]) -> tuple[float, float]:
    listed = list(values)
    return statistics.fmean(listed), statistics.pstdev(listed)


def _criterion_mean(criterion: Id, cells: Iterable[Mapping[Id, float]]) -> CriterionMean:
    found = [cell[criterion] for cell in cells if criterion in cell]
    return CriterionMean(criterion, statistics.fmean(found) if found else None, len(found))
