"""The e-mails of the jury app: one function per message."""

from django.utils import formats, timezone, translation

from jury.models import Juror
from outbox.services import enqueue_email


def send_invitation(juror: Juror, *, sign_in_url: str, key: str) -> None:
    """The invitation to join the jury, with a one-time sign-in link."""
    language = juror.user.language
    with translation.override(language):
        context = {
            "edition": str(juror.edition),
            "role": juror.get_role_display(),
            "url": sign_in_url,
        }
    enqueue_email(
        recipient=juror.user.email,
        template="jury_invitation",
        context=context,
        language=language,
        key=key,
        secret_keys=["url"],
    )


def send_scoring_reminder(juror: Juror, *, days_before: int, scored: int, total: int, url: str):
    """A reminder to finish scoring before the deadline; once per juror and offset."""
    language = juror.user.language
    with translation.override(language):
        context = {
            "edition": str(juror.edition),
            "deadline": formats.date_format(
                timezone.localtime(juror.edition.scoring_deadline), "DATETIME_FORMAT"
            ),
            "days_before": days_before,
            "scored": scored,
            "total": total,
            "url": url,
        }
    enqueue_email(
        recipient=juror.user.email,
        template="jury_reminder",
        context=context,
        language=language,
        key=f"jury-reminder:{juror.pk}:{days_before}",
    )
