"""The final vote: the jurors' ballots on the shortlist, counted by Schulze and by plurality.

Pure functions over small frozen dataclasses, like `jury.scoring_math.results` (whose `Id`
they share): no Django, no database, importable without settings. `jury.reports` reads the
submitted ballots and hands them over as `Ballot`; the vote page and the protocol show the
`SchulzeResult` (the count, with a deterministic tie-break) and the vote page the
`PluralityResult` (first preferences, for comparison).

Ids (jurors, nominations) are ints or strings, one kind per call; the shortlist's order is the
order of the count's matrices and of its groups.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Self

from jury.scoring_math.results import Id

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
