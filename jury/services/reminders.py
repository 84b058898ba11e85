"""Scoring reminders: before the deadline, each juror who has not submitted gets an e-mail.

An edition lists its offsets in `reminder_days` (by default 7 and 2 days before the scoring
deadline). Beat runs `jury.send_reminders` every few minutes; each run selects what is due and
not yet done, so a missed run only delays a reminder. A ReminderSent row per juror and offset
is claimed before the e-mail is queued: its unique constraint makes two runs, even at the
same moment, send once.

When several offsets are due at once (scoring opened late, or beat was down for days), a
juror gets only the reminder of the smallest offset, the one nearest the deadline, and the
larger offsets are recorded as done without an e-mail: nobody gets two reminders in one go.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from jury.emails import send_scoring_reminder
from jury.models import Juror, ReminderSent
from jury.services.scoring import scoring_progress
from nominations.models import Edition


def reminder_due_at(deadline: datetime, days: int) -> datetime:
    """`days` calendar days before the deadline, at the same local time of day.

    Counted on the Stockholm clock, so that a change to or from daylight saving time in
    between does not move the reminder by an hour.
    """
    local = timezone.localtime(deadline)
    return timezone.make_aware(local.replace(tzinfo=None) - timedelta(days=days))


def due_offsets(edition: Edition, now: datetime) -> list[int]:
    """The edition's reminder offsets (days) that are due at `now`, smallest first."""
    offsets = {
        days
        for days in edition.reminder_days or []
        if isinstance(days, int) and not isinstance(days, bool) and days > 0
    }
    return sorted(
        days for days in offsets if now >= reminder_due_at(edition.scoring_deadline, days)
    )


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
        jurors = (
            edition.jurors.filter(scores_submitted_at__isnull=True)
            .exclude(reminders__days_before=due[0])
            .order_by("pk")
        )
        for juror_id in jurors.values_list("pk", flat=True):
            if _remind(juror_id, due):
                queued += 1
    return queued


def _remind(juror_id: int, due: list[int]) -> bool:
    with transaction.atomic():
        # Under the juror row's lock, a juror who submits now is either in or out, not both.
        juror = (
            Juror.objects.select_for_update(of=("self",))
            .select_related("edition", "user")
            .filter(pk=juror_id, scores_submitted_at__isnull=True)
            .first()
        )
        if juror is None:
            return False
        progress = scoring_progress(juror)
        # Nothing assigned (yet): no reminder, and none claimed, so it comes once there is.
        if not progress.rows:
            return False
        # Claim first: only the run that creates the row sends the e-mail.
        _, created = ReminderSent.objects.get_or_create(juror=juror, days_before=due[0])
        if not created:
            return False
        for days in due[1:]:
            ReminderSent.objects.get_or_create(juror=juror, days_before=days)
        with translation.override(juror.user.language):
            url = reverse("jury:scoring", args=[juror.edition.year])
        send_scoring_reminder(
            juror, days_before=due[0], scored=progress.scored, total=progress.total, url=url
        )
    return True
