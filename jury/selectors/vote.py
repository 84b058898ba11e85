"""Reads of the final round: the shortlist, the ballots, the state of the round and the count.

`count_vote` is the one count of the final vote: the vote page, the decision form and the
protocol all show what it returns, explanation included, so they cannot disagree. The
arithmetic is `jury.scoring_math.final_vote`; the jury's figures and the tie-break order come
from `jury.reports`.

Conflicts of interest on the ballot: a juror with an effective conflict (declared and not
dismissed) on a shortlisted nominee may not rank it. The count makes their ballot abstain on
it, even when the conflict was declared after the ballot was cast: it counts neither for nor
against that nominee.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

# The module, not its names: jury.reports builds the protocol from `count_vote`, so the two
# import each other and either may be imported first.
from jury import reports
from jury.models import Ballot, Decision, Juror, ShortlistEntry
from jury.scoring_math import final_vote
from nominations.models import Edition, Nominee

MIN_SHORTLIST = 2


def shortlisted_nominees(edition: Edition) -> QuerySet[Nominee]:
    return Nominee.objects.filter(shortlist_entries__edition=edition).order_by("name", "pk")


def ballots_cast(edition: Edition) -> bool:
    return Ballot.objects.filter(juror__edition=edition, submitted_at__isnull=False).exists()


def _decided_message(edition: Edition) -> str:
    return _("The jury of %(edition)s has made its decision.") % {"edition": edition}


def shortlist_refusal(edition: Edition) -> str | None:
    """Why the shortlist cannot be changed now, or None when it can."""
    if edition.decided_at is not None:
        return _decided_message(edition)
    if edition.phase != Edition.Phase.JURY:
        return _("The shortlist is set once screening is completed.")
    if ballots_cast(edition):
        return _("Ballots have been cast: the shortlist can no longer be changed.")
    return None


def ballot_refusal(edition: Edition) -> str | None:
    """Why a ballot cannot be cast now, or None when it can."""
    if edition.decided_at is not None:
        return _decided_message(edition)
    if ShortlistEntry.objects.filter(edition=edition).count() < MIN_SHORTLIST:
        return _("The shortlist has not been set yet.")
    return None


def ballot_of(juror: Juror) -> Ballot | None:
    return Ballot.objects.filter(juror=juror).first()


def ranks_of(ballot: Ballot | None) -> dict[int, int]:
    """The rank number (1 = best) of each nominee on a stored ballot; unranked ones absent."""
    if ballot is None:
        return {}
    return {pk: position for position, group in enumerate(ballot.ranking, 1) for pk in group}


def decision_of(edition: Edition) -> Decision | None:
    return (
        Decision.objects.filter(edition=edition)
        .select_related("winner", "decided_by")
        .prefetch_related("honourable_mentions")
        .first()
    )


@dataclass(frozen=True)
class VoteCount:
    """The final vote of an edition, counted, with what the page and the protocol show of it."""

    shortlist: tuple[Nominee, ...]
    tie_break_order: tuple[Nominee, ...]
    # The normalised mean of each shortlisted nominee, None when nobody scored it.
    normalised_means: dict[int, float | None]
    juror_count: int
    schulze: final_vote.SchulzeResult
    plurality: final_vote.PluralityResult

    @property
    def ballot_count(self) -> int:
        return self.schulze.ballot_count

    def nominee(self, nominee_id: final_vote.Id) -> Nominee:
        return next(nominee for nominee in self.shortlist if nominee.pk == nominee_id)

    @property
    def winner(self) -> Nominee | None:
        return None if self.schulze.winner is None else self.nominee(self.schulze.winner)

    @property
    def potential_winners(self) -> list[Nominee]:
        return [self.nominee(pk) for pk in self.schulze.potential_winners]

    @property
    def ranking(self) -> list[list[Nominee]]:
        return [[self.nominee(pk) for pk in group] for group in self.schulze.ranking]

    @property
    def explanation(self) -> str:
        """How the winner was found, in one sentence."""
        winner = self.winner
        if winner is None:
            # With a tie-break order always given, only a count without ballots has no winner.
            return _("No ballots have been cast yet: there is no winner.")
        if self.schulze.tie_broken:
            return _(
                "%(tied)s are tied on their strongest paths. The tie is broken by the jury's "
                "normalised scores, in which %(winner)s comes first."
            ) % {
                "tied": ", ".join(nominee.name for nominee in self.potential_winners),
                "winner": winner.name,
            }
        return _(
            "%(winner)s wins: its strongest path to every other shortlisted nominee is at "
            "least as strong as the path back, and no other nominee can say the same."
        ) % {"winner": winner.name}

    @property
    def plurality_winners(self) -> list[Nominee]:
        return [self.nominee(pk) for pk in self.plurality.winners]

    def preference_rows(self) -> list[tuple[Nominee, list[int | None]]]:
        """d as rows: (x, [d[x][y] for y in the shortlist]), None on the diagonal."""
        return self._rows(self.schulze.preferences)

    def strongest_path_rows(self) -> list[tuple[Nominee, list[int | None]]]:
        """p as rows: (x, [p[x][y] for y in the shortlist]), None on the diagonal."""
        return self._rows(self.schulze.strongest_paths)

    def tie_break_rows(self) -> list[tuple[Nominee, float | None]]:
        return [(nominee, self.normalised_means[nominee.pk]) for nominee in self.tie_break_order]

    def first_preferences(self) -> list[tuple[Nominee, float]]:
        return [
            (self.nominee(row.nominee_id), row.votes) for row in self.plurality.first_preferences
        ]

    def _rows(self, matrix: Sequence[Sequence[int]]) -> list[tuple[Nominee, list[int | None]]]:
        return [
            (nominee, [None if i == j else value for j, value in enumerate(matrix[i])])
            for i, nominee in enumerate(self.shortlist)
        ]


def countable_ballots(
    edition: Edition, shortlisted: set[int], conflicted: Collection[tuple[int, int]]
) -> list[final_vote.Ballot]:
    """The submitted ballots as the count reads them: shortlisted nominees only, and each
    juror abstaining on the nominees they are effectively conflicted on. `conflicted` holds
    (juror id, nominee id) pairs."""
    ballots = []
    for juror_id, ranking in Ballot.objects.filter(
        juror__edition=edition, submitted_at__isnull=False
    ).values_list("juror_id", "ranking"):
        abstains = {pk for pk in shortlisted if (juror_id, pk) in conflicted}
        ballots.append(
            final_vote.Ballot.from_groups(
                juror_id,
                ([pk for pk in group if pk in shortlisted - abstains] for group in ranking),
                abstains=abstains,
            )
        )
    return ballots


def count_vote(edition: Edition, *, hidden: Collection[int] = frozenset()) -> VoteCount | None:
    """Count the submitted ballots by Schulze, and by plurality for comparison.

    The tie-break order (normalised mean, highest first, unscored nominees last, then name)
    and the conflicts of interest come from the jury's results (`reports.load_results`),
    unhidden: everyone who may see the count sees the same one.

    `hidden`: the reader's conflicts of interest. The count names every shortlisted nominee
    and its figures, so it is withheld (None) from a reader conflicted on one of them.
    """
    shortlist = list(shortlisted_nominees(edition))
    if any(nominee.pk in hidden for nominee in shortlist):
        return None
    report = reports.load_results(edition)
    order = reports.tie_break_order(shortlist, report)
    normalised = {c.nominee.pk: c.result.normalised_mean for c in report.candidates}
    shortlisted = {nominee.pk for nominee in shortlist}
    ballots = countable_ballots(edition, shortlisted, report.conflicted)
    ids = [nominee.pk for nominee in shortlist]
    return VoteCount(
        shortlist=tuple(shortlist),
        tie_break_order=tuple(order),
        normalised_means={pk: normalised.get(pk) for pk in ids},
        juror_count=len(report.jury),
        schulze=final_vote.schulze(ids, ballots, tie_break_order=[nominee.pk for nominee in order]),
        plurality=final_vote.plurality(ids, ballots),
    )
