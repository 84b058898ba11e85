"""The e-mails of the jury app: one function per message."""

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone

from jury.models import Juror
from outbox.services import enqueue_email_in_language


def send_invitation(juror: Juror, *, sign_in_url: str, key: str) -> None:
    """The invitation to join the jury, with a one-time sign-in link."""
    enqueue_email_in_language(
        recipient=juror.user.email,
        language=juror.user.language,
        template="jury_invitation",
        key=key,
        context=lambda: {
            "edition": str(juror.edition),
            "role": juror.get_role_display(),
            "url": sign_in_url,
        },
        secret_keys=["url"],
    )


def send_scoring_reminder(juror: Juror, *, days_before: int, scored: int, total: int, url: str):
    """A reminder to finish scoring before the deadline; once per juror and offset."""
    enqueue_email_in_language(
        recipient=juror.user.email,
        language=juror.user.language,
        template="jury_reminder",
        key=f"jury-reminder:{juror.pk}:{days_before}",
        context=lambda: {
            "edition": str(juror.edition),
            "deadline": _date(juror.edition.scoring_deadline),
            "days_before": days_before,
            "scored": scored,
            "total": total,
            "url": url,
        },
    )


# --- The jury's workflow: each step tells whoever's turn it is ---------------------------------


def _send(user, edition, *, template: str, key: str, url_name: str, context) -> None:
    """One workflow mail to `user` about `edition`, rendered in their language, linking to
    the edition's page `url_name`; `context` is a callable run inside that language, so
    names of choices and dates come out in it."""
    enqueue_email_in_language(
        recipient=user.email,
        language=user.language or "sv",
        template=template,
        key=key,
        context=lambda: {
            "edition": str(edition),
            **context(),
            "url": reverse(url_name, args=[edition.year]),
        },
    )


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "–"


def send_scoring_opened(juror: Juror) -> None:
    """Scoring has opened: to each juror, once."""
    edition = juror.edition
    _send(
        juror.user,
        edition,
        template="jury_scoring_opened",
        key=f"jury-scoring-opened:{juror.pk}",
        url_name="jury:scoring",
        context=lambda: {"deadline": _date(edition.scoring_deadline)},
    )


def send_conflict_awaits_ruling(declaration, *, to, event_id: int) -> None:
    """A declared conflict (or a withdrawal request) awaits `to`'s ruling; once per event."""
    juror = declaration.juror
    _send(
        to,
        juror.edition,
        template="jury_conflict_awaits_ruling",
        key=f"jury-conflict-awaits:{event_id}:{to.pk}",
        url_name="jury:rulings",
        context=lambda: {"juror": str(juror.user)},
    )


def send_conflict_ruled(declaration, *, event_id: int) -> None:
    """A ruling on the juror's declared conflict: to the juror, once per ruling."""
    juror = declaration.juror
    _send(
        juror.user,
        juror.edition,
        template="jury_conflict_ruled",
        key=f"jury-conflict-ruled:{event_id}",
        url_name="jury:conflicts",
        context=lambda: {
            "nominee": declaration.nominee.name,
            "ruling": declaration.get_ruling_display(),
            "reason": declaration.ruling_reason,
        },
    )


def send_ballot_opened(juror: Juror, *, shortlist_version: str) -> None:
    """The shortlist is set and the ballot open: to each juror, once per shortlist."""
    edition = juror.edition
    _send(
        juror.user,
        edition,
        template="jury_ballot_opened",
        key=f"jury-ballot-opened:{juror.pk}:{shortlist_version}",
        url_name="jury:ballot",
        context=lambda: {
            "deadline": _date(edition.ballot_deadline) if edition.ballot_deadline else ""
        },
    )


def send_ballot_deadline(juror: Juror, *, deadline, days_before: int) -> None:
    """The ballot closes soon: once per juror and offset."""
    _send(
        juror.user,
        juror.edition,
        template="jury_ballot_deadline",
        key=f"jury-ballot-deadline:{juror.pk}:{days_before}",
        url_name="jury:ballot",
        context=lambda: {"deadline": _date(deadline)},
    )


def send_decision_recorded(decision, *, to) -> None:
    """The decision, winner named: only ever to the jury and the secretariat (the embargo
    holds for everyone else until publication)."""
    edition = decision.edition
    _send(
        to,
        edition,
        template="jury_decision_recorded",
        key=f"jury-decision:{decision.pk}:{to.pk}",
        url_name="jury:decision",
        context=lambda: {
            "winner": decision.winner.name,
            "announcement_at": _date(edition.announcement_at),
        },
    )


def send_results_export_ready(export) -> None:
    """The results workbook the chair or the secretariat asked for is ready: to them, once
    per export. The link is to the exports page, whose download checks who asks; never the
    file itself."""
    _send(
        export.requested_by,
        export.edition,
        template="jury_results_export_ready",
        key=f"jury-results-export-ready:{export.pk}",
        url_name="jury:results_exports",
        context=lambda: {"days": settings.RETENTION_RESULTS_EXPORT_DAYS},
    )
