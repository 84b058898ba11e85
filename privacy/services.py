"""Gallring (the retention rules applied) and erasure on request.

Both write in one transaction and record it in the audit log with counts only; files leave
storage after the commit, so a rolled-back run never loses a file whose row stays.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInToken, User
from audit.models import Action
from audit.services import record
from jury.models import Decision, ResultsExport, ScoringNote
from nominations.models import Attachment, Nomination
from outbox.models import OutboxMessage
from privacy.retention import BY_KEY
from subscriptions.models import Subscriber

logger = logging.getLogger(__name__)

# What erasing a nomination's personal data blanks. The reference number, the nominee, the
# organisations and the screening stay: the archive and the public record need them.
NOMINATION_PERSONAL_FIELDS = (
    "contact_name",
    "contact_email",
    "contact_phone",
    *Nomination.FREE_TEXT_FIELDS,
)
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")
OUTBOX_PERSONAL = {"recipient": "", "subject": "", "context": {}, "headers": {}, "last_error": ""}


class ErasureReason(models.TextChoices):
    """Why the secretariat erases one person's data; kept in the audit log."""

    REQUEST = "request", _("The person asked for erasure (GDPR art. 17)")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("The person withdrew their consent")
    OBJECTION = "objection", _("The person objected to the processing (GDPR art. 21)")
    NO_LONGER_NEEDED = "no_longer_needed", _("The data is no longer needed")


def _delete_files_on_commit(names: list[str], storage) -> None:
    def delete() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _delete_attachments(attachments) -> int:
    """Delete attachment rows now and their files once the transaction commits."""
    attachments = list(attachments)
    if not attachments:
        return 0
    storage = attachments[0].file.storage
    _delete_files_on_commit([a.file.name for a in attachments if a.file.name], storage)
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    return len(attachments)


def _delete_drafts(queryset) -> int:
    ids = list(queryset.values_list("pk", flat=True))
    _delete_attachments(Attachment.objects.filter(nomination_id__in=ids))
    Nomination.objects.filter(pk__in=ids).delete()
    return len(ids)


def _erase_nominations(queryset, now: datetime, fields=NOMINATION_PERSONAL_FIELDS) -> int:
    ids = list(queryset.values_list("pk", flat=True))
    _delete_attachments(Attachment.objects.filter(nomination_id__in=ids))
    Nomination.objects.filter(pk__in=ids).update(
        personal_data_erased_at=now, **dict.fromkeys(fields, "")
    )
    return len(ids)


def _delete(queryset) -> int:
    return queryset.delete()[0]


# --- The rules ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    key: str
    due: Callable[[datetime], models.QuerySet]
    apply: Callable[[models.QuerySet, datetime], int]


def _drafts_due(now):
    cutoff = BY_KEY["drafts"].cutoff(now)
    return Nomination.objects.filter(
        status=Nomination.Status.DRAFT, edition__nominations_close_at__lt=cutoff
    )


def _nominations_due(now):
    cutoff = BY_KEY["nominations"].cutoff(now)
    announced = Q(edition__announcement__published_at__lt=cutoff) | Q(
        edition__announcement__published_at__isnull=True, edition__announcement_at__lt=cutoff
    )
    return (
        Nomination.objects.submitted()
        .filter(announced, personal_data_erased_at__isnull=True)
        .exclude(nominee_id__in=Decision.objects.values("winner_id"))
    )


def _withdrawn_due(now):
    cutoff = BY_KEY["withdrawn"].cutoff(now)
    return Nomination.objects.filter(
        status=Nomination.Status.WITHDRAWN,
        withdrawn_at__lt=cutoff,
        personal_data_erased_at__isnull=True,
    )


def _outbox_due(now):
    cutoff = BY_KEY["outbox"].cutoff(now)
    return OutboxMessage.objects.filter(
        status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED],
        created_at__lt=cutoff,
    ).exclude(recipient="")


def _scrub_outbox(queryset, now) -> int:
    return queryset.update(**OUTBOX_PERSONAL)


def _sign_in_links_due(now):
    cutoff = BY_KEY["sign_in_links"].cutoff(now)
    return SignInToken.objects.filter(Q(expires_at__lt=cutoff) | Q(used_at__lt=cutoff))


def _sessions_due(now):
    return Session.objects.filter(expire_date__lt=BY_KEY["sessions"].cutoff(now))


class _AccessLogs:
    """django-axes keeps three tables; one category, counted together."""

    models = (AccessAttempt, AccessFailureLog, AccessLog)

    def __init__(self, cutoff):
        self.querysets = [m.objects.filter(attempt_time__lt=cutoff) for m in self.models]

    def count(self) -> int:
        return sum(qs.count() for qs in self.querysets)


def _access_log_due(now):
    return _AccessLogs(BY_KEY["access_log"].cutoff(now))


def _delete_access_logs(due: _AccessLogs, now) -> int:
    return sum(qs.delete()[0] for qs in due.querysets)


def _juror_notes_due(now):
    cutoff = BY_KEY["juror_notes"].cutoff(now)
    return ScoringNote.objects.filter(juror__edition__decided_at__lt=cutoff)


def _results_exports_due(now):
    return ResultsExport.objects.filter(created_at__lt=BY_KEY["results_exports"].cutoff(now))


def _delete_results_exports(queryset, now) -> int:
    """Delete the export rows now and their files once the transaction commits."""
    names = [name for name in queryset.values_list("file", flat=True) if name]
    _delete_files_on_commit(names, ResultsExport._meta.get_field("file").storage)
    return _delete(queryset)


def _unconfirmed_subscribers_due(now):
    return Subscriber.objects.unconfirmed_since_before(
        BY_KEY["unconfirmed_subscribers"].cutoff(now)
    )


RULES = (
    Rule("drafts", _drafts_due, lambda qs, now: _delete_drafts(qs)),
    Rule("nominations", _nominations_due, _erase_nominations),
    Rule("withdrawn", _withdrawn_due, _erase_nominations),
    Rule("outbox", _outbox_due, _scrub_outbox),
    Rule("sign_in_links", _sign_in_links_due, lambda qs, now: _delete(qs)),
    Rule("sessions", _sessions_due, lambda qs, now: _delete(qs)),
    Rule("access_log", _access_log_due, _delete_access_logs),  # type: ignore[arg-type] # three querysets, not one
    Rule("juror_notes", _juror_notes_due, lambda qs, now: _delete(qs)),
    Rule("results_exports", _results_exports_due, _delete_results_exports),
    Rule("unconfirmed_subscribers", _unconfirmed_subscribers_due, lambda qs, now: _delete(qs)),
)


def due_counts(*, now: datetime | None = None) -> dict[str, int]:
    """How many records of each category gallring would erase at `now`. Reads only."""
    now = now or timezone.now()
    return {rule.key: rule.due(now).count() for rule in RULES}


def run_gallring(*, now: datetime | None = None) -> dict[str, int]:
    """Apply every retention rule once and return how many records each erased.

    Side effects, in one transaction: drafts and their attachments deleted; the personal
    data of nominations that did not win and of withdrawn ones blanked (the archive's part
    stays) and their attachments deleted; sent e-mails' recipient, subject and context
    blanked; old sign-in links, sessions, django-axes records, jurors' notes, results
    workbooks and unconfirmed subscribers deleted; one audit entry with the counts per
    category. Attachment and workbook files leave storage after the commit. Idempotent:
    what is erased is no longer due, so a second run erases nothing (and records zeros).
    """
    now = now or timezone.now()
    with transaction.atomic():
        counts = {rule.key: rule.apply(rule.due(now), now) for rule in RULES}
        record(Action.GALLRING_RUN, actor=None, data=counts)
    logger.info("Gallring: %s", ", ".join(f"{key} {n}" for key, n in counts.items()))
    return counts


# --- Erasure on request ---------------------------------------------------------------------


def _user_with_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def erase_person(*, email: str, reason: str, by) -> dict[str, int]:
    """Erase what the law allows of one person's data; return counts per kind.

    Side effects, in one transaction: their drafts (and attachments) deleted; their contact
    details blanked on the nominations they made or are the contact of; e-mails to them
    blanked; their sign-in links, subscription, private notes, second-factor devices and
    django-axes records deleted; their account renamed to a placeholder address, emptied
    of names and deactivated. Kept, because they are part of a public record (allmän
    handling): submitted nominations with their nominee, texts and decisions, jury roles,
    scores and comments, conflict-of-interest declarations and rulings, ballots, the
    decision, and the audit log. One audit entry with the reason and the counts, never what
    was erased. Raises ValueError for an unknown reason.
    """
    if reason not in ErasureReason.values:
        raise ValueError(f"Unknown erasure reason: {reason!r}")
    email = email.strip()
    now = timezone.now()
    with transaction.atomic():
        user = _user_with_email(email)
        mine = Q(contact_email__iexact=email) | (Q(nominator=user) if user else Q(pk__in=[]))
        nominations = Nomination.objects.filter(mine)
        counts = {
            "drafts": _delete_drafts(nominations.filter(status=Nomination.Status.DRAFT)),
            "nominations": _erase_nominations(
                nominations.exclude(status=Nomination.Status.DRAFT), now, CONTACT_FIELDS
            ),
            "outbox": OutboxMessage.objects.filter(recipient__iexact=email)
            .exclude(status__in=[OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING])
            .update(**OUTBOX_PERSONAL),
            "sign_in_links": _delete(SignInToken.objects.filter(email__iexact=email)),
            "subscriptions": _delete(Subscriber.objects.with_email(email)),
            "access_log": sum(
                _delete(m.objects.filter(username__iexact=email)) for m in _AccessLogs.models
            ),
            "juror_notes": 0,
            "account": 0,
        }
        if user is not None:
            counts["juror_notes"] = _delete(ScoringNote.objects.filter(juror__user=user))
            _delete(TOTPDevice.objects.filter(user=user))
            _delete(StaticDevice.objects.filter(user=user))
            user.email = f"erased-{user.pk}@erased.invalid"
            user.first_name = user.last_name = ""
            user.is_active = False
            user.set_unusable_password()
            user.save()
            counts["account"] = 1
        record(
            Action.PERSONAL_DATA_ERASED,
            actor=by,
            target=user,
            data={"reason": reason, **counts},
        )
    return counts


# --- Register extract -----------------------------------------------------------------------


def register_extract(*, email: str, file_format: str, by) -> bytes:
    """One person's register extract as a JSON or PDF file (see privacy/extract.py).

    Side effect: one audit entry (the format, and whether the person asked for their own),
    whose target is the person's account if there is one. Raises ValueError for a format
    other than "json" or "pdf".
    """
    from privacy import extract

    if file_format not in {"json", "pdf"}:
        raise ValueError(f"Unknown format: {file_format!r}")
    data = extract.build(email)
    content = extract.as_json(data) if file_format == "json" else extract.as_pdf(data)
    user = _user_with_email(email)
    own = user is not None and by is not None and user.pk == by.pk
    record(
        Action.REGISTER_EXTRACT,
        actor=by,
        target=user,
        data={"format": file_format, "own": own},
    )
    return content
