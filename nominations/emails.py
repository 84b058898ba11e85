"""The e-mails of the nominations app: one function per message."""

from django.urls import reverse
from django.utils import formats, timezone, translation

from nominations.models import Nomination
from outbox.services import enqueue_email


def _language_of(user) -> str:
    return user.language or translation.get_language() or "sv"


def _nomination_summary(nomination: Nomination) -> dict:
    """What was submitted, as the receipt lists it, in the active language."""
    return {
        "reference_number": nomination.reference_number,
        "edition": str(nomination.edition),
        "submitted_at": formats.date_format(
            timezone.localtime(nomination.submitted_at), "DATETIME_FORMAT"
        ),
        "nominee_name": nomination.nominee_name,
        "nominee_kind": nomination.get_nominee_kind_display(),
        "municipalities": [m.name for m in nomination.municipalities.all()],
        "areas": [a.display_name for a in nomination.areas.all()],
        "motivation": nomination.motivation,
        "long_term_work": nomination.long_term_work,
        "collaboration": nomination.collaboration,
        "results": nomination.results,
        "attachments": [a.original_name for a in nomination.attachments.all()],
        "nominator_organisation_name": nomination.nominator_organisation_name,
        "nominator_organisation_number": nomination.nominator_organisation_number,
        "contact_name": nomination.contact_name,
        "contact_email": nomination.contact_email,
        "contact_phone": nomination.contact_phone,
        "deadline": formats.date_format(
            timezone.localtime(nomination.edition.nominations_close_at), "DATETIME_FORMAT"
        ),
        "url": reverse("nominations:detail", args=[nomination.pk]),
    }


def send_receipt(nomination: Nomination) -> None:
    """The receipt for a submitted nomination, listing what was submitted."""
    language = _language_of(nomination.nominator)
    with translation.override(language):
        context = _nomination_summary(nomination)
    enqueue_email(
        recipient=nomination.nominator.email,
        template="nomination_receipt",
        context=context,
        language=language,
        key=f"nomination-receipt:{nomination.pk}",
    )


def send_not_eligible(nomination: Nomination) -> None:
    """A polite word that the nomination does not meet the prize's conditions."""
    language = _language_of(nomination.nominator)
    with translation.override(language):
        context = {
            "reference_number": nomination.reference_number,
            "edition": str(nomination.edition),
            "nominee_name": nomination.nominee_name,
            "reason": nomination.screening_reason,
        }
    enqueue_email(
        recipient=nomination.nominator.email,
        template="nomination_not_eligible",
        context=context,
        language=language,
        # Screening sets screened_at before it sends this; mypy sees only the nullable column.
        key=f"nomination-not-eligible:{nomination.pk}:{nomination.screened_at.isoformat()}",  # type: ignore[union-attr]
    )
