"""Scoring: a juror's drafts, submission and the chair's reopening. Each change owns its
transaction and locks the juror row, so that saving and submitting never interleave.

The reads these changes rest on (what a juror is to score, how far they have come) are in
`jury.selectors.scoring`.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.services import record
from jury.models import (
    Criterion,
    Juror,
    Score,
    ScoreVersion,
    ScoringNote,
)
from jury.rules import allowed
from jury.selectors.scoring import assigned_candidates, score_version, scoring_progress
from nominations.models import Edition, Nominee


class ScoringClosed(PermissionDenied):
    """Scores can no longer be changed: see `closed_reason`."""


class NotScorable(PermissionDenied):
    """The nominee is not one this juror scores (not a candidate, not assigned, or conflicted)."""


class ScoreOffScaleError(ValueError):
    """A value outside its criterion's scale, or for a criterion of another edition."""


class ScoresIncomplete(PermissionDenied):
    """Submission refused: some candidate still lacks a score for some criterion."""

    def __init__(self, scored: int, total: int):
        super().__init__(scored, total)
        self.scored = scored
        self.total = total


class StaleScores(PermissionDenied):
    """The form was drawn from an older version of the juror's scores on this nominee (another
    tab saved since): nothing is saved, so nothing the other tab saved is lost."""


STALE = _(
    "Your scores for this nominee were changed in another tab or window since this page was "
    "opened. Nothing was saved: reload the page to see the saved scores, then make your change "
    "again."
)


class NothingToScore(PermissionDenied):
    """Submission refused: no nominee has been assigned to the juror (e.g. invited late)."""


# Why the scoring page is read-only; the first that applies is shown.
DECIDED = _("The jury has made its decision: scores can no longer be changed.")
SUBMITTED = _(
    "You have submitted your scores, so they can no longer be changed. "
    "The chair can reopen them if you need to change something."
)
NOT_OPEN = _("Scoring has not opened yet.")
NOTHING_ASSIGNED = _(
    "No nominees have been assigned to you, so there is nothing to submit. Contact the secretariat."
)
DEADLINE_PASSED = _("The scoring deadline has passed: scores can no longer be changed.")


def closed_reason(juror: Juror, *, now: datetime | None = None) -> Promise | None:
    """Why this juror may not change their scores now, or None if they may."""
    edition = juror.edition
    if edition.decided_at is not None:
        return DECIDED
    if juror.scores_submitted_at is not None:
        return SUBMITTED
    if edition.scoring_opened_at is None:
        return NOT_OPEN
    if edition.scoring_deadline is not None and (now or timezone.now()) >= (
        edition.scoring_deadline
    ):
        return DEADLINE_PASSED
    return None


# --- Changes ----------------------------------------------------------------------------------


def _locked(juror: Juror) -> Juror:
    # The juror row is the lock: saving and submitting for one juror take turns, and the
    # decision (which locks every juror's row) waits for them. The edition is read afresh
    # once the lock is held, so a decision committed meanwhile is seen.
    locked = Juror.objects.select_for_update().get(pk=juror.pk)
    locked.edition = Edition.objects.get(pk=locked.edition_id)
    return locked


def save_scores(
    *,
    juror: Juror,
    nominee: Nominee,
    values: dict[int, int | None],
    comments: dict[int, str] | None = None,
    notes: str | None = None,
    expected_version: int | None = None,
) -> int:
    """Save a juror's draft scores for one nominee; partial is fine. Returns the version of
    the juror's scores on the nominee after the save.

    A save changes only what it carries. `values` maps criterion ids to a value on that
    criterion's scale, or None to clear it; criteria left out are untouched. A comment is
    kept with its score (and goes with it); a criterion in `values` but not in `comments`
    keeps its comment. `notes` replaces the juror's private notes on the nominee; None
    leaves them as they are.

    `expected_version`: the version the form was drawn from (`score_version`). When the
    saved scores have moved on since (another tab, a second window), the save is refused
    with StaleScores and nothing changes, unless it would change nothing anyway (a double
    click). None skips the check.

    Side effects: Score rows created, changed or deleted; one ScoringNote row; the
    ScoreVersion row counts up when anything changed. Raises ScoringClosed after the
    deadline, once submitted or once decided (checked under the juror row's lock, which
    also orders two saves of one juror); NotScorable for a nominee the juror does not score;
    ScoreOffScaleError for a value outside its scale, before anything is saved.
    """
    comments = comments or {}
    with transaction.atomic():
        juror = _locked(juror)
        if reason := closed_reason(juror):
            raise ScoringClosed(reason)
        if not assigned_candidates(juror).filter(pk=nominee.pk).exists():
            raise NotScorable
        criteria = {c.pk: c for c in Criterion.objects.filter(edition_id=juror.edition_id)}
        for criterion_id, value in values.items():
            criterion = criteria.get(criterion_id)
            if criterion is None:
                raise ScoreOffScaleError(f"Criterion {criterion_id} is not one of this edition's.")
            if value is not None and not criterion.scale_min <= value <= criterion.scale_max:
                raise ScoreOffScaleError(
                    f"{value} is off the scale {criterion.scale_min}–{criterion.scale_max} "
                    f"of criterion {criterion_id}."
                )
        existing = {
            score.criterion_id: score
            for score in Score.objects.filter(
                juror=juror, nominee=nominee, criterion_id__in=list(values)
            )
        }
        # (criterion id, the saved score or None, the new value or None to clear, comment)
        changes: list[tuple[int, Score | None, int | None, str]] = []
        for criterion_id, value in values.items():
            score = existing.get(criterion_id)
            comment = comments.get(criterion_id)
            if comment is None:
                comment = score.comment if score is not None else ""
            comment = comment.strip()
            if value is None:
                if score is not None:
                    changes.append((criterion_id, score, None, ""))
            elif score is None or (score.value, score.comment) != (value, comment):
                changes.append((criterion_id, score, value, comment))
        note = ScoringNote.objects.filter(juror=juror, nominee=nominee).first()
        notes = None if notes is None else notes.strip()
        notes_change = notes is not None and (note.text if note else "") != notes
        current = score_version(juror, nominee)
        if not changes and not notes_change:
            return current
        if expected_version is not None and expected_version != current:
            raise StaleScores(STALE)
        for criterion_id, score, value, comment in changes:
            if value is None:
                # Clearing is a change only where a score is saved (see above).
                if score is not None:
                    score.delete()
            elif score is None:
                Score.objects.create(
                    juror=juror,
                    nominee=nominee,
                    criterion_id=criterion_id,
                    value=value,
                    comment=comment,
                )
            else:
                score.value, score.comment = value, comment
                score.save(update_fields=["value", "comment", "updated_at"])
        if notes is not None and notes_change:
            _save_notes(juror, nominee, notes)
        record(Action.SCORES_SAVED, actor=juror.user, target=nominee, edition=juror.edition)
        version, _created = ScoreVersion.objects.get_or_create(juror=juror, nominee=nominee)
        version.version += 1
        version.save(update_fields=["version"])
        return version.version


def _save_notes(juror: Juror, nominee: Nominee, text: str) -> None:
    note = ScoringNote.objects.filter(juror=juror, nominee=nominee).first()
    if note is None:
        if text:
            ScoringNote.objects.create(juror=juror, nominee=nominee, text=text)
    elif note.text != text:
        note.text = text
        note.save(update_fields=["text", "updated_at"])


def submit_scores(*, juror: Juror) -> bool:
    """The juror hands in their scores: from now on they are read-only.

    Side effects: sets `scores_submitted_at` (which also lets the juror see the results).
    True when submitted now, False if they were submitted already. Raises ScoresIncomplete
    unless every assigned, unconflicted candidate has a score for every criterion,
    NothingToScore when the juror has no candidate at all (neither assigned nor conflicted),
    and ScoringClosed before scoring opens or once the jury has decided. Submitting after the
    deadline is allowed: the scores are frozen by then anyway, and it lets the juror in to
    the results.
    """
    with transaction.atomic():
        juror = _locked(juror)
        if juror.scores_submitted_at is not None:
            return False
        if juror.edition.decided_at is not None:
            raise ScoringClosed(DECIDED)
        if juror.edition.scoring_opened_at is None:
            raise ScoringClosed(NOT_OPEN)
        progress = scoring_progress(juror)
        # Submitting nothing would only open the results to someone who scored nothing.
        if not progress.rows:
            raise NothingToScore(NOTHING_ASSIGNED)
        if not progress.complete:
            raise ScoresIncomplete(progress.scored, progress.total)
        juror.scores_submitted_at = timezone.now()
        juror.save(update_fields=["scores_submitted_at"])
        record(Action.SCORES_SUBMITTED, actor=juror.user, target=juror)
        return True


def reopen_scores(*, juror: Juror, by) -> bool:
    """The chair (or the secretariat) lets a juror change their submitted scores again.

    Side effects: clears `scores_submitted_at`. True when reopened, False if they were not
    submitted. Raises PermissionDenied unless `by` may lead the jury, ScoringClosed once the
    jury has decided.
    """
    if not allowed(by, "jury.lead", juror.edition):
        raise PermissionDenied
    with transaction.atomic():
        juror = _locked(juror)
        if juror.edition.decided_at is not None:
            raise ScoringClosed(DECIDED)
        if juror.scores_submitted_at is None:
            return False
        juror.scores_submitted_at = None
        juror.save(update_fields=["scores_submitted_at"])
        record(Action.SCORES_REOPENED, actor=by, target=juror)
        return True
