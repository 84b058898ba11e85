"""The e-mails of the nominations app: one function per message."""

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import capfirst

from nominations.models import Nomination
from nominations.validators import mask_personal_identity_numbers
from outbox.services import enqueue_email_in_language


def _language_of(user) -> str:
    return user.language or translation.get_language() or "sv"


def _nomination_summary(nomination: Nomination) -> dict:
    """What was submitted, as the receipt lists it, in the active language. A personal
    identity number is never repeated in an e-mail: every text comes masked."""
    attachments = list(nomination.attachments.all())
    summary = {
        "reference_number": nomination.reference_number,
        "edition": str(nomination.edition),
        "submitted_at": formats.date_format(
            timezone.localtime(nomination.submitted_at), "DATETIME_FORMAT"
        ),
        "nominee_name": nomination.nominee_name,
        "nominee_kind": nomination.get_nominee_kind_display(),
        "municipalities": [m.name for m in nomination.municipalities.all()],
        "areas": [capfirst(a.display_name) for a in nomination.areas.all()],
        "motivation": nomination.motivation,
        "long_term_work": nomination.long_term_work,
        "collaboration": nomination.collaboration,
        "results": nomination.results,
        "attachments": [a.original_name for a in attachments],
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
    masked = {
        key: mask_personal_identity_numbers(value)
        if isinstance(value, str) and key != "url"
        else value
        for key, value in summary.items()
    }
    # Read after the upload (nominations.services.check_nomination): the files to replace.
    masked["attachments_with_numbers"] = [
        mask_personal_identity_numbers(a.original_name)
        for a in attachments
        if a.contains_personal_identity_number
    ]
    return masked


def _send_to_nominator(nomination: Nomination, *, template: str, key: str, context) -> None:
    """One message to the nomination's nominator, its `context` (a callable) built in their
    language."""
    enqueue_email_in_language(
        recipient=nomination.nominator.email,
        language=_language_of(nomination.nominator),
        template=template,
        key=key,
        context=context,
    )


def send_receipt(nomination: Nomination, *, updated_at=None, resubmitted: bool = False) -> None:
    """The receipt for a submitted nomination, listing what was submitted; after a change
    to a submitted one (`updated_at`), an updated receipt, once per change."""
    key = f"nomination-receipt:{nomination.pk}"
    if updated_at is not None:
        key += f":updated:{updated_at.isoformat()}"
    elif resubmitted:
        # A resubmission after a withdrawal is a new receipt: the key names the submission.
        key += f":resubmitted:{nomination.submitted_at.isoformat()}"  # type: ignore[union-attr] # set on submit
    _send_to_nominator(
        nomination,
        template="nomination_receipt",
        key=key,
        context=lambda: {**_nomination_summary(nomination), "updated": updated_at is not None},
    )


def _about(nomination: Nomination) -> dict:
    return {
        "reference_number": nomination.reference_number,
        "edition": str(nomination.edition),
        "nominee_name": mask_personal_identity_numbers(nomination.nominee_name),
        "url": reverse("nominations:detail", args=[nomination.pk]),
    }


def send_withdrawn(nomination: Nomination) -> None:
    """The confirmation that a submitted nomination was withdrawn; once per withdrawal."""
    _send_to_nominator(
        nomination,
        template="nomination_withdrawn",
        key=f"nomination-withdrawn:{nomination.pk}:{nomination.withdrawn_at.isoformat()}",  # type: ignore[union-attr] # set on withdrawal
        context=lambda: {
            **_about(nomination),
            "deadline": formats.date_format(
                timezone.localtime(nomination.edition.nominations_close_at), "DATETIME_FORMAT"
            ),
        },
    )


def send_screening_corrected(nomination: Nomination) -> None:
    """A corrected screening decision (found eligible after an earlier "not eligible")."""
    _send_to_nominator(
        nomination,
        template="nomination_screening_corrected",
        key=f"nomination-screening-corrected:{nomination.pk}:{nomination.screened_at.isoformat()}",  # type: ignore[union-attr] # set on screening
        context=lambda: {**_about(nomination), "status": str(nomination.get_status_display())},
    )


def send_not_eligible(nomination: Nomination) -> None:
    """A polite word that the nomination does not meet the prize's conditions."""
    _send_to_nominator(
        nomination,
        template="nomination_not_eligible",
        # Screening sets screened_at before it sends this; mypy sees only the nullable column.
        key=f"nomination-not-eligible:{nomination.pk}:{nomination.screened_at.isoformat()}",  # type: ignore[union-attr]
        context=lambda: {
            "reference_number": nomination.reference_number,
            "edition": str(nomination.edition),
            "nominee_name": mask_personal_identity_numbers(nomination.nominee_name),
            "reason": nomination.screening_reason,
        },
    )
