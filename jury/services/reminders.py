"""Reminders before the jury's deadlines: scoring, and the ballot of the final round.

An edition lists its offsets in `reminder_days` (by default 7 and 2 days before the
deadline); the same offsets count for the scoring deadline and for the ballot deadline.
Beat runs `jury.send_reminders` and `jury.send_ballot_reminders` every few minutes; each run
selects what is due and not yet done, so a missed run only delays a reminder. A ReminderSent
row per juror, kind and offset is claimed before the e-mail is queued: its unique constraint
makes two runs, even at the same moment, send once.

When several offsets are due at once (scoring or the ballot opened late, or beat was down for
days), a juror gets only the reminder of the smallest offset, the one nearest the deadline,
and the larger offsets are recorded as done without an e-mail: nobody gets two reminders in
one go.
"""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from jury import selectors
from jury.emails import send_ballot_deadline, send_scoring_reminder
from jury.models import Ballot, Juror, ReminderSent, ShortlistEntry
from jury.selectors.scoring import scoring_progress
from jury.selectors.vote import MIN_SHORTLIST
from nominations.models import Edition


def reminder_due_at(deadline: datetime, days: int) -> datetime:
    """`days` calendar days before the deadline, at the same local time of day.

    Counted on the Stockholm clock, so that a change to or from daylight saving time in
    between does not move the reminder by an hour.
    """
    local = timezone.localtime(deadline)
    return timezone.make_aware(local.replace(tzinfo=None) - timedelta(days=days))


def due_offsets(edition: Edition, now: datetime, deadline: datetime | None = None) -> list[int]:
    """The edition's reminder offsets (days) before `deadline` (by default the scoring
    deadline) that are due at `now`, smallest first; none without a deadline."""
    deadline = deadline or edition.scoring_deadline
    if deadline is None:
        return []
    offsets = {
        days
        for days in edition.reminder_days or []
        if isinstance(days, int) and not isinstance(days, bool) and days > 0
    }
    return sorted(days for days in offsets if now >= reminder_due_at(deadline, days))


def _not_reminded(jurors: QuerySet[Juror], kind: str, days: int) -> QuerySet[Juror]:
    # One subquery, so that kind and offset are those of the same row.
    sent = ReminderSent.objects.filter(juror=OuterRef("pk"), kind=kind, days_before=days)
    return jurors.exclude(Exists(sent)).order_by("pk")


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Queue the scoring reminders that are due and not yet sent; return how many.

    Editions whose scoring is open, not decided and whose deadline is still ahead; jurors
    who have not submitted their scores and have something to score.

    Side effects: ReminderSent rows (one per due offset and juror) and, after commit, one
    `jury_reminder` e-mail per juror through the outbox, for the smallest due offset only.
    """
    now = now or timezone.now()
    editions = Edition.objects.filter(
        scoring_opened_at__isnull=False, decided_at__isnull=True, scoring_deadline__gt=now
    ).order_by("year")
    queued = 0
    for edition in editions:
        due = due_offsets(edition, now)
        if not due:
            continue
        jurors = _not_reminded(
            edition.jurors.filter(scores_submitted_at__isnull=True),
            ReminderSent.Kind.SCORING,
            due[0],
        )
        for juror_id in jurors.values_list("pk", flat=True):
            if _claim_and_send(juror_id, due, _remind_to_score):
                queued += 1
    return queued


def send_due_ballot_reminders(*, now: datetime | None = None) -> int:
    """Queue the "the ballot deadline nears" reminders that are due and not yet sent;
    return how many.

    Editions not decided whose ballot deadline is still ahead and whose shortlist is set;
    jurors who have not cast a ballot and have a nominee they may rank (one conflicted on
    the whole shortlist has no ballot to cast).

    Side effects: ReminderSent rows of kind "ballot" (one per due offset and juror) and,
    after commit, one `jury_ballot_deadline` e-mail per juror through the outbox, for the
    smallest due offset only.
    """
    now = now or timezone.now()
    editions = Edition.objects.filter(decided_at__isnull=True, ballot_deadline__gt=now).order_by(
        "year"
    )
    queued = 0
    for edition in editions:
        if ShortlistEntry.objects.filter(edition=edition).count() < MIN_SHORTLIST:
            continue
        due = due_offsets(edition, now, edition.ballot_deadline)
        if not due:
            continue
        voted = Ballot.objects.filter(juror=OuterRef("pk"), submitted_at__isnull=False)
        jurors = _not_reminded(
            edition.jurors.exclude(Exists(voted)), ReminderSent.Kind.BALLOT, due[0]
        )
        for juror_id in jurors.values_list("pk", flat=True):
            if _claim_and_send(juror_id, due, _remind_to_vote):
                queued += 1
    return queued


def _claim_and_send(
    juror_id: int, due: list[int], remind: Callable[[Juror, list[int]], bool]
) -> bool:
    with transaction.atomic():
        # Under the juror row's lock, a juror who submits now is either in or out, not both.
        juror = Juror.objects.locked("edition", "user").filter(pk=juror_id).first()
        if juror is None or not remind(juror, due):
            return False
    return True


def _claim(juror: Juror, kind: str, due: list[int]) -> bool:
    """Claim the reminder of the smallest due offset, and mark the larger ones done; only
    the run that creates the row sends the e-mail."""
    _, created = ReminderSent.objects.get_or_create(juror=juror, kind=kind, days_before=due[0])
    if created:
        for days in due[1:]:
            ReminderSent.objects.get_or_create(juror=juror, kind=kind, days_before=days)
    return created


def _remind_to_score(juror: Juror, due: list[int]) -> bool:
    if juror.scores_submitted_at is not None:
        return False
    progress = scoring_progress(juror)
    # Nothing assigned (yet): no reminder, and none claimed, so it comes once there is.
    if not progress.rows or not _claim(juror, ReminderSent.Kind.SCORING, due):
        return False
    with translation.override(juror.user.language):
        url = reverse("jury:scoring", args=[juror.edition.year])
    send_scoring_reminder(
        juror, days_before=due[0], scored=progress.scored, total=progress.total, url=url
    )
    return True


def _remind_to_vote(juror: Juror, due: list[int]) -> bool:
    if Ballot.objects.filter(juror=juror, submitted_at__isnull=False).exists():
        return False
    shortlist = set(
        ShortlistEntry.objects.filter(edition_id=juror.edition_id).values_list(
            "nominee_id", flat=True
        )
    )
    # Conflicted on the whole shortlist: nothing to rank, no ballot, no reminder.
    if not shortlist - selectors.conflicted_nominee_ids(juror):
        return False
    if not _claim(juror, ReminderSent.Kind.BALLOT, due):
        return False
    send_ballot_deadline(juror, deadline=juror.edition.ballot_deadline, days_before=due[0])
    return True
