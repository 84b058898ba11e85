"""The final vote: the jurors' ballots on the shortlist, counted by Schulze and by plurality.

Pure functions over small frozen dataclasses, like `jury.scoring_math.results` (whose `Id`
they share): no Django, no database, importable without settings.
`jury.selectors.vote.count_vote` reads the submitted ballots and hands them over as
`Ballot`; the vote page and the protocol show the `SchulzeResult` (the count, with a
deterministic tie-break) and the vote page the `PluralityResult` (first preferences, for
comparison). Words for people (who won and why) are the selector's: this module returns ids
and numbers only.

Ids (jurors, nominees) are ints or strings, one kind per call; the shortlist's order is the
order of the count's matrices and of its groups.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Self

from jury.scoring_math.results import Id

# Where a ballot puts the nominees it does not list: below every listed group.
_UNLISTED = math.inf


@dataclass(frozen=True)
class Ballot:
    """A juror's ranking of the shortlist: groups best first; a group's members are tied.

    Nominees the ballot does not list rank below every listed one, tied among themselves.
    `abstains` are nominees the juror may not judge (a conflict of interest): the ballot says
    nothing about them, for or against; no comparison with them counts.
    """

    juror_id: Id
    ranking: tuple[tuple[Id, ...], ...]
    abstains: frozenset[Id] = frozenset()

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
    groups best first (a nominee is above another when its strongest path to it is stronger
    than the path back); `potential_winners` is its first group. `tie_broken` says whether the
    tie-break order chose the winner among several potential winners.
    """

    shortlist: tuple[Id, ...]
    ballot_count: int
    preferences: tuple[tuple[int, ...], ...]
    strongest_paths: tuple[tuple[int, ...], ...]
    ranking: tuple[tuple[Id, ...], ...]
    potential_winners: tuple[Id, ...]
    winner: Id | None
    tie_broken: bool


@dataclass(frozen=True)
class FirstPreferences:
    """The first preferences one nominee received (fractional when a ballot ties its top)."""

    nominee_id: Id
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
) -> SchulzeResult:
    """Count the final vote by the Schulze method, winning votes, with a deterministic tie-break.

    d[x][y] counts the ballots ranking x above y. A link x→y has strength d[x][y] when
    d[x][y] > d[y][x], else 0; p[x][y] is the strength of the widest path (the best path's
    weakest link). x ranks above y when p[x][y] > p[y][x]; the potential winners are those no
    other nominee ranks above.

    When several potential winners remain, Schulze breaks the tie with a tie-breaking ranking
    of the candidates, built from randomly drawn ballots. We need a result anyone can re-count,
    so the caller supplies that ranking instead (`tie_break_order`, a strict order of the
    whole shortlist, e.g. by the jury's normalised scores), and we apply it in the way that can
    be stated in one sentence: the winner is the potential winner that comes first in it.
    Without a tie-break order, a tie leaves no winner; without ballots there is no winner at
    all.
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

    winner: Id | None = None
    tie_broken = False
    if positions:  # without ballots there is no winner, whatever the tie-break order says
        if len(potential_winners) == 1:
            winner = potential_winners[0]
        elif order is not None:
            winner = min(potential_winners, key=order.__getitem__)
            tie_broken = True

    return SchulzeResult(
        shortlist=candidates,
        ballot_count=len(positions),
        preferences=tuple(map(tuple, d)),
        strongest_paths=tuple(map(tuple, p)),
        ranking=ranking,
        potential_winners=potential_winners,
        winner=winner,
        tie_broken=tie_broken,
    )


def plurality(shortlist: Sequence[Id], ballots: Iterable[Ballot]) -> PluralityResult:
    """Count first preferences: the nominee(s) most ballots rank first.

    A ballot whose first group holds several nominees splits its vote equally among them
    (two tied first get half a vote each), so every ballot weighs one vote. Ties are reported,
    not broken; without first preferences there is no winner.
    """
    candidates = tuple(shortlist)
    ballots = tuple(ballots)
    _ballot_positions(candidates, ballots)
    votes = dict.fromkeys(candidates, Fraction(0))
    for ballot in ballots:
        first = next((group for group in ballot.ranking if group), ())
        for nominee in first:
            votes[nominee] += Fraction(1, len(first))
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
        raise ValueError("The shortlist lists a nominee twice.")
    index = {nominee: i for i, nominee in enumerate(candidates)}
    seen: set[Id] = set()
    positions = []
    for ballot in ballots:
        if ballot.juror_id in seen:
            raise ValueError(f"Juror {ballot.juror_id} has two ballots.")
        seen.add(ballot.juror_id)
        ranks = [_UNLISTED] * len(candidates)
        for rank, group in enumerate(ballot.ranking):
            for nominee in group:
                if nominee not in index:
                    raise ValueError(f"Juror {ballot.juror_id} ranks {nominee}, not shortlisted.")
                if ranks[index[nominee]] != _UNLISTED:
                    raise ValueError(f"Juror {ballot.juror_id} ranks {nominee} twice.")
                ranks[index[nominee]] = rank
        for nominee in ballot.abstains:
            if nominee in index:
                if ranks[index[nominee]] != _UNLISTED:
                    raise ValueError(
                        f"Juror {ballot.juror_id} ranks {nominee}, on which they abstain."
                    )
                # NaN compares false both ways: no pair with it counts on this ballot.
                ranks[index[nominee]] = math.nan
        positions.append(ranks)
    return positions


def _tie_break_positions(
    candidates: tuple[Id, ...], tie_break_order: Sequence[Id] | None
) -> dict[Id, int] | None:
    if tie_break_order is None:
        return None
    if len(tie_break_order) != len(candidates) or set(tie_break_order) != set(candidates):
        raise ValueError("The tie-break order must list every shortlisted nominee once.")
    return {nominee: i for i, nominee in enumerate(tie_break_order)}


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
