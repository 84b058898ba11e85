"""The jury's results from plain rows: means, normalised scores, ranks and the final vote.

Pure functions over small frozen dataclasses: no Django, no database, importable without
settings. The view layer reads criteria, scores and ballots, hands them over as `Criterion`,
`Score` and `Ballot`, and shows what comes back.

Ids (jurors, nominations, criteria) are ints or strings, one kind per call: they are sorted to
make the output independent of the order in which the rows arrive.
"""

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Self

type Id = int | str

DEFAULT_MIN_JURORS = 3
DEFAULT_MIN_NOMINATIONS = 3
DEFAULT_DISCUSSION_SHARE = 0.25
# Means are floats: two that differ only after the sixth decimal are the same result.
RANK_PLACES = 6
# A spread below this is rounding noise from equal marks, not a difference between them.
_NO_SPREAD = 1e-9


# Scores ---------------------------------------------------------------------------------------


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
    ranks: dict[Id, Rank] = {}
    for key, value in rounded.items():
        above = sum(1 for other in rounded.values() if other > value)
        equal = sum(1 for other in rounded.values() if other == value)
        ranks[key] = Rank(position=above + 1, tied=equal > 1)
    return ranks


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


# The final vote --------------------------------------------------------------------------------

# Where a ballot puts the nominations it does not list: below every listed group.
_UNLISTED = math.inf


@dataclass(frozen=True)
class Ballot:
    """A juror's ranking of the shortlist: groups best first; a group's members are tied.

    Nominations the ballot does not list rank below every listed one, tied among themselves.
    `abstains` are nominations the juror may not judge (a conflict of interest): the ballot
    says nothing about them, for or against; no comparison with them counts.
    """

    juror_id: Id
    ranking: tuple[tuple[Id, ...], ...]
    abstains: frozenset[Id] = frozenset()

    @classmethod
    def from_order(cls, juror_id: Id, order: Iterable[Id]) -> Self:
        """A ballot without ties: `order` best first."""
        return cls(juror_id, tuple((nomination,) for nomination in order))

    @classmethod
    def from_groups(
        cls, juror_id: Id, groups: Iterable[Iterable[Id]], *, abstains: Iterable[Id] = ()
    ) -> Self:
        """A ballot with ties, e.g. [[a], [b, c], [d]]; empty groups are dropped."""
        return cls(
            juror_id, tuple(group for group in map(tuple, groups) if group), frozenset(abstains)
        )


@dataclass(frozen=True)
class SchulzeResult:
    """The Schulze count of the final vote.

    `preferences` (d) and `strongest_paths` (p) are matrices in `shortlist` order:
    `preferences[i][j]` is the number of ballots ranking shortlist[i] above shortlist[j];
    `strongest_paths[i][j]` the strength of the widest path from i to j. `ranking` holds
    groups best first (a nomination is above another when its strongest path to it is stronger
    than the path back); `potential_winners` is its first group. `final_order` is the ranking
    with each group put in the tie-break order, None without one. `tie_broken_by` names the
    tie-break when it decided the winner; `explanation` says in a sentence how the winner was
    found.
    """

    shortlist: tuple[Id, ...]
    ballot_count: int
    preferences: tuple[tuple[int, ...], ...]
    strongest_paths: tuple[tuple[int, ...], ...]
    ranking: tuple[tuple[Id, ...], ...]
    potential_winners: tuple[Id, ...]
    winner: Id | None
    tie_broken_by: str | None
    explanation: str
    final_order: tuple[Id, ...] | None

    def preference(self, x: Id, y: Id) -> int:
        """d[x][y]: the number of ballots ranking x above y."""
        return self.preferences[self.shortlist.index(x)][self.shortlist.index(y)]

    def strongest_path(self, x: Id, y: Id) -> int:
        """p[x][y]: the strength of the strongest path from x to y."""
        return self.strongest_paths[self.shortlist.index(x)][self.shortlist.index(y)]


@dataclass(frozen=True)
class FirstPreferences:
    """The first preferences one nomination received (fractional when a ballot ties its top)."""

    nomination_id: Id
    votes: float


@dataclass(frozen=True)
class PluralityResult:
    """The plurality count: first preferences in shortlist order, the winners, and whether tied."""

    first_preferences: tuple[FirstPreferences, ...]
    winners: tuple[Id, ...]
    tied: bool


def schulze(
    shortlist: Sequence[Id],
    ballots: Iterable[Ballot],
    *,
    tie_break_order: Sequence[Id] | None = None,
    tie_break_name: str = "the tie-break order",
) -> SchulzeResult:
    """Count the final vote by the Schulze method, winning votes, with a deterministic tie-break.

    d[x][y] counts the ballots ranking x above y. A link x→y has strength d[x][y] when
    d[x][y] > d[y][x], else 0; p[x][y] is the strength of the widest path (the best path's
    weakest link). x ranks above y when p[x][y] > p[y][x]; the potential winners are those no
    other nomination ranks above.

    When several potential winners remain, Schulze breaks the tie with a tie-breaking ranking
    of the candidates, built from randomly drawn ballots. We need a result anyone can re-count,
    so the caller supplies that ranking instead (`tie_break_order`, a strict order of the
    whole shortlist, e.g. by the jury's normalised scores; `tie_break_name` names it on the
    page), and we apply it in the way that can be stated in one sentence: the winner is the
    potential winner that comes first in it. Within each group of `ranking` it orders
    `final_order` the same way. Without a tie-break order, a tie leaves no winner; without
    ballots there is no winner at all.
    """
    candidates = tuple(shortlist)
    positions = _ballot_positions(candidates, ballots)
    order = _tie_break_positions(candidates, tie_break_order)
    size = len(candidates)

    d = [[0] * size for _ in range(size)]
    for ranks in positions:
        for i in range(size):
            for j in range(size):
                if ranks[i] < ranks[j]:
                    d[i][j] += 1

    p = [[d[i][j] if i != j and d[i][j] > d[j][i] else 0 for j in range(size)] for i in range(size)]
    for i in range(size):
        for j in range(size):
            if j == i:
                continue
            for k in range(size):
                if k not in (i, j):
                    p[j][k] = max(p[j][k], min(p[j][i], p[i][k]))

    ranking = _schulze_ranking(candidates, p)
    potential_winners = ranking[0] if ranking else ()
    final_order = (
        tuple(n for group in ranking for n in sorted(group, key=order.__getitem__))
        if order is not None
        else None
    )

    winner: Id | None = None
    tie_broken_by: str | None = None
    if not candidates:
        explanation = "The shortlist is empty."
    elif not positions:
        explanation = "No ballots have been cast."
    elif len(potential_winners) == 1:
        winner = potential_winners[0]
        explanation = (
            f"{winner} wins: its strongest path to every other nomination is at least as "
            "strong as the path back, and no other nomination can say the same."
        )
    else:
        tied = ", ".join(str(n) for n in potential_winners)
        if order is None:
            explanation = (
                f"The potential winners {tied} are tied on their strongest paths, and no "
                "tie-break order was given: there is no winner."
            )
        else:
            winner = min(potential_winners, key=order.__getitem__)
            tie_broken_by = tie_break_name
            explanation = (
                f"The potential winners {tied} are tied on their strongest paths. The tie is "
                f"broken by {tie_break_name}, in which {winner} comes first of them."
            )

    return SchulzeResult(
        shortlist=candidates,
        ballot_count=len(positions),
        preferences=tuple(map(tuple, d)),
        strongest_paths=tuple(map(tuple, p)),
        ranking=ranking,
        potential_winners=potential_winners,
        winner=winner,
        tie_broken_by=tie_broken_by,
        explanation=explanation,
        final_order=final_order,
    )


def plurality(shortlist: Sequence[Id], ballots: Iterable[Ballot]) -> PluralityResult:
    """Count first preferences: the nomination(s) most ballots rank first.

    A ballot whose first group holds several nominations splits its vote equally among them
    (two tied first get half a vote each), so every ballot weighs one vote. Ties are reported,
    not broken; without first preferences there is no winner.
    """
    candidates = tuple(shortlist)
    ballots = tuple(ballots)
    _ballot_positions(candidates, ballots)
    votes = dict.fromkeys(candidates, Fraction(0))
    for ballot in ballots:
        first = next((group for group in ballot.ranking if group), ())
        for nomination in first:
            votes[nomination] += Fraction(1, len(first))
    top = max(votes.values(), default=Fraction(0))
    winners = tuple(n for n in candidates if votes[n] == top) if top > 0 else ()
    return PluralityResult(
        first_preferences=tuple(FirstPreferences(n, float(votes[n])) for n in candidates),
        winners=winners,
        tied=len(winners) > 1,
    )


def _ballot_positions(candidates: tuple[Id, ...], ballots: Iterable[Ballot]) -> list[list[float]]:
    """Per ballot, the rank of each candidate (0 best); unlisted ones share the last rank."""
    if len(set(candidates)) != len(candidates):
        raise ValueError("The shortlist lists a nomination twice.")
    index = {nomination: i for i, nomination in enumerate(candidates)}
    seen: set[Id] = set()
    positions = []
    for ballot in ballots:
        if ballot.juror_id in seen:
            raise ValueError(f"Juror {ballot.juror_id} has two ballots.")
        seen.add(ballot.juror_id)
        ranks = [_UNLISTED] * len(candidates)
        for rank, group in enumerate(ballot.ranking):
            for nomination in group:
                if nomination not in index:
                    raise ValueError(
                        f"Juror {ballot.juror_id} ranks {nomination}, not shortlisted."
                    )
                if ranks[index[nomination]] != _UNLISTED:
                    raise ValueError(f"Juror {ballot.juror_id} ranks {nomination} twice.")
                ranks[index[nomination]] = rank
        for nomination in ballot.abstains:
            if nomination in index:
                if ranks[index[nomination]] != _UNLISTED:
                    raise ValueError(
                        f"Juror {ballot.juror_id} ranks {nomination}, on which they abstain."
                    )
                # NaN compares false both ways: no pair with it counts on this ballot.
                ranks[index[nomination]] = math.nan
        positions.append(ranks)
    return positions


def _tie_break_positions(
    candidates: tuple[Id, ...], tie_break_order: Sequence[Id] | None
) -> dict[Id, int] | None:
    if tie_break_order is None:
        return None
    if len(tie_break_order) != len(candidates) or set(tie_break_order) != set(candidates):
        raise ValueError("The tie-break order must list every shortlisted nomination once.")
    return {nomination: i for i, nomination in enumerate(tie_break_order)}


def _schulze_ranking(candidates: tuple[Id, ...], p: list[list[int]]) -> tuple[tuple[Id, ...], ...]:
    """Groups best first: each group is what nothing left ranks above, in shortlist order."""
    remaining = list(range(len(candidates)))
    groups = []
    while remaining:
        group = [i for i in remaining if not any(p[j][i] > p[i][j] for j in remaining)]
        if not group:
            # Schulze proves the relation transitive, so this cannot happen; never loop forever.
            raise AssertionError("The Schulze relation has a cycle.")
        groups.append(tuple(candidates[i] for i in group))
        remaining = [i for i in remaining if i not in group]
    return tuple(groups)
