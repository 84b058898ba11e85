"""The jury's data read from the database, as the inputs and figures of the results pages.

`load_results` turns an edition's criteria and scores into the sums
`jury.scoring_math.results` computes on (`summed_scores`: one GROUP BY in the database), in a
fixed number of queries however many nominees and jurors there are, and hands back the
figures with the Nominee and Juror rows they belong to. `tie_break_order` is the order that
breaks a tie in the final vote (`jury.selectors.vote.count_vote` counts it); `load_protocol`
gathers everything the protocol records.

Conflicts of interest: a score given on a nominee the juror is effectively conflicted on
(declared, and not dismissed by a ruling) is left out, as if it had never been given. The
scoring service does not accept such scores; leaving them out here keeps a score given before
the conflict was declared from counting.

Scores count as soon as they are saved, whether or not their juror has submitted: the page
says how many jurors have submitted, so the figures read as provisional until all have.
"""

import itertools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BigIntegerField, BitOr, Case, F, Value, When
from django.utils import timezone

from jury import selectors
from jury.models import ConflictDeclaration, Criterion, Decision, Juror, Score
from jury.reports import caching
from jury.scoring_math import results

# The module, not its names: the count reads `load_results`, so the two import each other.
from jury.selectors import vote as vote_selectors
from nominations.models import Edition, Nominee

# Fewer jurors than this and every mean, normalised ones above all, rests on a handful of
# opinions: the page says so prominently. Operation Kvinnofrid's seven partners each send a
# juror, so a jury of seven or eight is the usual size.
SMALL_JURY = 5


# --- The results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateResult:
    """One nominee's figures, with its mean per criterion next to the criterion row."""

    nominee: Nominee
    result: results.NomineeResult
    criteria: tuple[tuple[Criterion, results.CriterionMean], ...]


@dataclass(frozen=True)
class JurorResult:
    """How one juror used the scale (for the chair and the secretariat only)."""

    juror: Juror
    summary: results.JurorSummary


@dataclass(frozen=True)
class ResultsReport:
    """An edition's results: nominees in rank order, and what the page needs to explain them.

    `jury` is every juror of the edition; `jurors` those who have scored, with how they used
    the scale (names: show them to the chair and the secretariat only). `conflicted` holds the
    (juror id, nominee id) pairs with an effective conflict of interest. `problem` holds the
    reason when the scores cannot be summarised (criteria on different scales, a score off
    its criterion's changed scale); the figures are then empty.
    """

    edition: Edition
    criteria: tuple[Criterion, ...]
    jury: tuple[Juror, ...]
    candidates: tuple[CandidateResult, ...]
    unscored: tuple[Nominee, ...]
    jurors: tuple[JurorResult, ...]
    computed: results.JuryResults | None
    conflicted: frozenset[tuple[int, int]]
    excluded_score_count: int
    problem: str | None = None
    # How many candidates the reader's hidden nominees are (the others are not judged).
    withheld_count: int = 0

    @property
    def scale_min(self) -> int | None:
        return self.criteria[0].scale_min if self.criteria else None

    @property
    def scale_max(self) -> int | None:
        return self.criteria[0].scale_max if self.criteria else None

    @property
    def scoring_juror_count(self) -> int:
        return len(self.jurors)

    @property
    def submitted_count(self) -> int:
        return sum(1 for juror in self.jury if juror.scores_submitted_at is not None)

    @property
    def small_jury(self) -> bool:
        return 0 < self.scoring_juror_count < SMALL_JURY

    @property
    def thin_jurors(self) -> list[JurorResult]:
        """Jurors whose normalisation rests on fewer than `min_nominations` nominees."""
        return [juror for juror in self.jurors if juror.summary.few_nominations]

    @property
    def min_jurors(self) -> int:
        return self.computed.min_jurors if self.computed else results.DEFAULT_MIN_JURORS

    @property
    def min_nominations(self) -> int:
        return self.computed.min_nominations if self.computed else results.DEFAULT_MIN_NOMINATIONS

    @property
    def discussion_threshold(self) -> float | None:
        return self.computed.discussion_threshold if self.computed else None

    def juror_names(self) -> dict[int, str]:
        return {juror.pk: juror_name(juror) for juror in self.jury}

    def candidate_ids(self) -> list[int]:
        return [c.nominee.pk for c in self.candidates] + [n.pk for n in self.unscored]


def juror_name(juror: Juror) -> str:
    return str(juror.user)


def load_results(edition: Edition, *, hidden: frozenset[int] = frozenset()) -> ResultsReport:
    """The edition's results, in five queries whatever the size of the jury and the field,
    or none when they were computed already and nothing they rest on has changed since
    (jury/reports/caching.py).

    `hidden`: nominees the reader has a conflict of interest on. The figures are then
    computed as if those nominees did not exist: no row, no scores, so the ranks run without
    a gap and no juror's average or spread carries what the hidden nominees were given.
    """
    report = caching.kept(edition.pk, frozenset(hidden), lambda: _compute(edition, hidden))
    # The edition row is the caller's: its dates and phase are always the current ones.
    return replace(report, edition=edition)


def _compute(edition: Edition, hidden: frozenset[int]) -> ResultsReport:
    criteria = tuple(edition.criteria.order_by("position", "pk"))
    jury = tuple(edition.jurors.select_related("user", "partner").in_role_order())
    candidates = list(selectors.candidates(edition))
    nominees = [nominee for nominee in candidates if nominee.pk not in hidden]
    conflicted = frozenset(
        ConflictDeclaration.objects.effective()
        .filter(juror__edition=edition)
        .values_list("juror_id", "nominee_id")
    )
    empty = ResultsReport(
        edition=edition,
        criteria=criteria,
        jury=jury,
        candidates=(),
        unscored=tuple(nominees),
        jurors=(),
        computed=None,
        conflicted=conflicted,
        excluded_score_count=0,
        withheld_count=len(candidates) - len(nominees),
    )
    if not criteria:
        return empty
    try:
        criteria_in = [
            results.Criterion(c.pk, c.weight, c.scale_min, c.scale_max) for c in criteria
        ]
        computed = results.results_from_totals(
            criteria_in,
            summed_scores(
                juror_ids=[juror.pk for juror in jury],
                criteria=criteria_in,
                nominee_ids=[nominee.pk for nominee in nominees],
                left_out=conflicted,
            ),
            left_out=conflicted,
        )
    except ValueError as error:
        return replace(empty, problem=str(error))

    by_pk = {nominee.pk: nominee for nominee in nominees}
    scored = {result.nominee_id for result in computed.nominees}
    jurors_by_pk = {juror.pk: juror for juror in jury}
    return ResultsReport(
        edition=edition,
        criteria=criteria,
        jury=jury,
        candidates=tuple(
            CandidateResult(
                nominee=by_pk[result.nominee_id],
                result=result,
                criteria=tuple(zip(criteria, result.criteria, strict=True)),
            )
            for result in computed.nominees
        ),
        unscored=tuple(nominee for nominee in nominees if nominee.pk not in scored),
        jurors=tuple(
            JurorResult(jurors_by_pk[summary.juror_id], summary) for summary in computed.jurors
        ),
        computed=computed,
        conflicted=conflicted,
        excluded_score_count=computed.left_out_count,
        withheld_count=empty.withheld_count,
    )


# A score is 0 to 10 (the table's check constraint): plus one, it takes four bits, and 0 says
# there is none. Fifteen criteria fit in a bigint's 63 bits.
_SCORE_BITS = 4
_CRITERIA_PER_NUMBER = 15


def summed_scores(
    *,
    juror_ids: Sequence[int],
    criteria: Sequence[results.Criterion],
    nominee_ids: Sequence[int],
    left_out: Collection[tuple[int, int]] = frozenset(),
) -> results.ScoreTotals:
    """What `results.score_totals` makes of these scores: the database reads them in one
    GROUP BY, a row per (juror, nominee) pair with the pair's scores packed four bits a
    criterion into one number (50,000 rows of three numbers at 2,000 nominees × 25 jurors × 6
    criteria instead of 300,000 scores), and `results.totals_from_pair_scores` sums them.
    `left_out`: the (juror, nominee) pairs whose scores do not count (conflicts of interest);
    their scores are counted, not summed. Sums of integers are exact, so the means come out
    the same to the last bit as from the scores themselves.
    """
    groups = [
        criteria[start : start + _CRITERIA_PER_NUMBER]
        for start in range(0, len(criteria), _CRITERIA_PER_NUMBER)
    ]
    # The edition's jurors, criteria and nominees are at hand: filtering by their ids spares
    # the database two joins. No ordering: it would join the GROUP BY. Each score lands in
    # its criterion's four bits of its group's number; OR-ed, a pair's scores make the number.
    per_pair = (
        Score.objects.filter(
            juror_id__in=juror_ids,
            criterion_id__in=[criterion.id for criterion in criteria],
            nominee_id__in=nominee_ids,
        )
        .order_by()
        .values("juror_id", "nominee_id")
        .annotate(
            **{
                f"scores_{g}": BitOr(
                    (F("value") + 1)
                    * Case(
                        *(
                            When(criterion_id=criterion.id, then=Value(1 << (_SCORE_BITS * k)))
                            for k, criterion in enumerate(group)
                        ),
                        default=Value(0),
                        output_field=BigIntegerField(),
                    ),
                    output_field=BigIntegerField(),
                )
                for g, group in enumerate(groups)
            }
        )
        .values_list("juror_id", "nominee_id", *(f"scores_{g}" for g in range(len(groups))))
    )
    # Read by the cursor, not the queryset: Django would convert each number (they are ints
    # already), a third of the time. One flat array, then a column each.
    try:
        sql, params = per_pair.query.sql_with_params()
    except EmptyResultSet:  # no juror or no nominee: nothing to ask
        rows = []
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    width = 2 + len(groups)
    table = np.fromiter(
        itertools.chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width
    ).reshape(len(rows), width)
    mask = (1 << _SCORE_BITS) - 1
    values = np.column_stack(
        [
            ((table[:, 2 + g] >> (_SCORE_BITS * k)) & mask) - 1
            for g, group in enumerate(groups)
            for k in range(len(group))
        ]
    )
    return results.totals_from_pair_scores(
        criteria, table[:, 0], table[:, 1], values, left_out=left_out
    )


# --- The final vote and the protocol ---------------------------------------------------------


def tie_break_order(nominees: Iterable[Nominee], report: ResultsReport) -> list[Nominee]:
    """By normalised score, highest first; nominees nobody scored last; then by name.

    The scores compare as the ranks do (`results.rank_key`): nominees the results page shows
    as tied on the normalised score follow by name here too, never by float noise.
    """
    normalised = {
        c.nominee.pk: results.rank_key(c.result.normalised_mean) for c in report.candidates
    }

    def key(nominee: Nominee):
        mean = normalised.get(nominee.pk)
        return (mean is None, -(mean or 0.0), nominee.name.casefold(), nominee.pk)

    return sorted(nominees, key=key)


@dataclass(frozen=True)
class Protocol:
    """Everything the protocol records; a part that does not exist yet is None or empty."""

    report: ResultsReport
    conflicts: tuple[ConflictDeclaration, ...]
    vote: "vote_selectors.VoteCount | None"
    decision: Decision | None
    honourable_mentions: tuple[Nominee, ...]
    generated_at: datetime
    # The reader has a conflict of interest on a shortlisted nominee: no count for them.
    vote_withheld: bool = False


def load_protocol(edition: Edition, *, hidden: frozenset[int] = frozenset()) -> Protocol:
    """Everything the protocol records. `hidden`: the reader's conflicts of interest (see
    `load_results`); their nominees' figures, declarations and, when one is shortlisted,
    the count of the vote are left out of the reader's copy."""
    report = load_results(edition, hidden=hidden)
    conflicts = tuple(
        ConflictDeclaration.objects.filter(juror__edition=edition, conflicted=True)
        .exclude(nominee__in=hidden)
        .select_related("juror__user", "nominee", "ruled_by")
        .prefetch_related("events__by")
        .order_by("nominee__name", "juror__user__last_name", "juror__user__first_name", "pk")
    )
    vote = vote_selectors.count_vote(edition, hidden=hidden)
    decision = (
        Decision.objects.filter(edition=edition).select_related("winner", "decided_by").first()
    )
    mentions = tuple(decision.honourable_mentions.order_by("name")) if decision else ()
    return Protocol(
        report=report,
        conflicts=conflicts,
        vote=vote,
        vote_withheld=vote is None,
        decision=decision,
        honourable_mentions=mentions,
        generated_at=timezone.now(),
    )
