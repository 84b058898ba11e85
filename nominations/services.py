"""State changes of editions and nominations. Each function owns its transaction."""

import re
import unicodedata
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from nominations import emails, files
from nominations.models import Attachment, Edition, Nomination, Nominee, Organisation
from nominations.validators import find_personal_identity_numbers, normalise_organisation_number


class NominationClosed(PermissionDenied):
    """The call is closed (or the nomination is no longer the nominator's to change)."""


class ScreeningNotAllowed(PermissionDenied):
    """Screening happens between the close of the call and the jury's start, on submissions."""


# --- Editions --------------------------------------------------------------------------------


def _same_day_in(year_delta: int, day: date | None) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + year_delta)
    except ValueError:  # 29 February
        return day.replace(year=day.year + year_delta, day=28)


def _same_moment_in(year_delta: int, moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    local = timezone.localtime(moment)
    try:
        shifted = local.replace(year=local.year + year_delta)
    except ValueError:  # 29 February
        shifted = local.replace(year=local.year + year_delta, day=28)
    # Re-localise so that 09:00 stays 09:00 across a daylight saving change.
    return timezone.make_aware(shifted.replace(tzinfo=None))


@transaction.atomic
def copy_edition(edition: Edition, *, year: int) -> Edition:
    """Create `year`'s edition from `edition`: texts kept, dates moved by whole years.

    Side effects: one Edition row. Criteria and jury are copied by the jury app's own
    services when they exist.
    """
    delta = year - edition.year
    ordinal = edition.ordinal + delta
    if Edition.objects.filter(Q(year=year) | Q(ordinal=ordinal)).exists():
        raise ValueError(f"An edition for {year} or with ordinal {ordinal} exists already.")
    return Edition.objects.create(
        year=year,
        ordinal=ordinal,
        conference_date=_same_day_in(delta, edition.conference_date),
        conference_theme="",
        conference_theme_en="",
        call_text=edition.call_text,
        call_text_en=edition.call_text_en,
        nominations_open_at=_same_moment_in(delta, edition.nominations_open_at),
        nominations_close_at=_same_moment_in(delta, edition.nominations_close_at),
        scoring_deadline=_same_moment_in(delta, edition.scoring_deadline),
        ballot_deadline=_same_moment_in(delta, edition.ballot_deadline),
        announcement_at=_same_moment_in(delta, edition.announcement_at),
    )


@transaction.atomic
def complete_screening(edition: Edition, *, by) -> bool:
    """The secretariat closes screening: the edition moves on to the jury.

    Side effects: records when and by whom. False if it was completed already; refused
    while the call is still open.
    """
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    if locked.screening_completed_at is not None:
        return False
    if locked.phase != Edition.Phase.SCREENING:
        raise ScreeningNotAllowed(_("Screening starts when the call for nominations has closed."))
    locked.screening_completed_at = timezone.now()
    locked.screening_completed_by = by
    locked.save(update_fields=["screening_completed_at", "screening_completed_by"])
    record(Action.SCREENING_COMPLETED, actor=by, target=locked, edition=locked)
    return True


# --- Organisations and nominees ----------------------------------------------------------


def organisation_for(*, number: str, name: str, kind: str = "") -> Organisation:
    """The one record of an organisation across the years, found by its number."""
    number = normalise_organisation_number(number)
    organisation, _created = Organisation.objects.get_or_create(
        organisation_number=number,
        defaults={"name": name, "kind": kind or Organisation.Kind.OTHER},
    )
    return organisation


# Letters that look Latin but are not, as a pasted or mistyped name carries them ("Роlisen"
# with a Cyrillic Р and о). Two nominees must not differ by a letter nobody can see. A small
# explicit table of the look-alikes of the Latin alphabet, lower case (it is applied after
# casefold), rather than a full confusables database: nominee names are Swedish, and å, ä, ö
# must stay themselves.
_LOOK_ALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j",
        "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y",
        "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "m", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c", "ϳ": "j",
        # Latin look-alikes of Latin letters
        "ı": "i", "ſ": "s",
    }
)  # fmt: skip


def _comparable(name: str) -> str:
    """The name as compared: NFKC (full-width and ligature forms become plain letters),
    without invisible format characters (zero-width spaces, joiners, byte order marks:
    Unicode category Cf), casefolded, look-alike letters mapped to Latin, and composed again
    so that "ö" typed as o + combining diaeresis is the letter ö."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = text.casefold().translate(_LOOK_ALIKES)
    return unicodedata.normalize("NFC", text)


def nominee_match_key(name: str, organisation: Organisation | None) -> str:
    """The same nominee, however it is typed: case, spaces, punctuation, invisible characters
    and letters that only look Latin do not count."""
    words = re.sub(r"[^\w]+", " ", _comparable(name)).split()
    prefix = organisation.organisation_number if organisation else "-"
    return f"{prefix}:{' '.join(words)}"


def _nominee_for(nomination: Nomination) -> Nominee:
    organisation = None
    if nomination.nominee_organisation_number:
        organisation = organisation_for(
            number=nomination.nominee_organisation_number,
            name=nomination.nominee_name,
            kind=nomination.nominee_kind,
        )
    nominee, _created = Nominee.objects.get_or_create(
        edition=nomination.edition,
        match_key=nominee_match_key(nomination.nominee_name, organisation),
        defaults={"name": nomination.nominee_name, "organisation": organisation},
    )
    return nominee


# --- Nominations ---------------------------------------------------------------------------


def personal_identity_number_fields(nomination: Nomination) -> list[str]:
    """The free-text fields in which a personal identity number was found."""
    return [
        field
        for field in Nomination.FREE_TEXT_FIELDS
        if find_personal_identity_numbers(getattr(nomination, field))
    ]


def attachments_with_personal_identity_numbers(nomination: Nomination) -> list[str]:
    """The names of the attachments whose text (PDF, DOCX) holds a personal identity
    number. Images and scanned pages cannot be read, and are not reported."""
    found = []
    for attachment in nomination.attachments.all():
        try:
            with attachment.file.open("rb") as handle:
                text = files.readable_text(handle, attachment.content_type)
        except FileNotFoundError:
            continue
        if find_personal_identity_numbers(text):
            found.append(attachment.original_name)
    return found


def _contains_personal_identity_number(nomination: Nomination) -> bool:
    return bool(
        personal_identity_number_fields(nomination)
        or attachments_with_personal_identity_numbers(nomination)
    )


@transaction.atomic
def create_draft(*, edition: Edition, by) -> Nomination:
    """Start a nomination. Side effects: one draft row, prefilled with the nominator's
    details from their latest nomination."""
    if not edition.accepts_nominations():
        raise NominationClosed(_("The call for nominations is closed."))
    previous = Nomination.objects.of(by).order_by("-created_at").first()
    nomination = Nomination(edition=edition, nominator=by, contact_email=by.email)
    if previous is not None:
        for field in (
            "nominator_organisation_name",
            "nominator_organisation_number",
            "contact_name",
            "contact_email",
            "contact_phone",
        ):
            setattr(nomination, field, getattr(previous, field))
    nomination.save()
    return nomination


def _lock_editable(nomination: Nomination, by) -> Nomination:
    locked = Nomination.objects.select_for_update().select_related("edition").get(pk=nomination.pk)
    if locked.nominator_id != by.pk or not locked.is_editable():
        raise NominationClosed(_("This nomination can no longer be changed."))
    return locked


@transaction.atomic
def save_nomination(
    nomination: Nomination,
    *,
    by,
    municipalities=None,
    areas=None,
    new_files=(),
    remove_attachments=(),
) -> Nomination:
    """Store the nominator's changes (the form has set them on `nomination`).

    Side effects: updates the nominator's fields only (never status or reference number,
    which a concurrent submission may have set), the areas and municipalities, adds and
    removes attachments, flags a personal identity number; for a submission, relinks the
    nominee and organisation and queues an updated receipt after commit. Refused after the deadline,
    even if the form was opened
    before it.
    """
    locked = _lock_editable(nomination, by)
    fields = [*Nomination.NOMINATOR_FIELDS, "updated_at"]
    if locked.status == Nomination.Status.SUBMITTED:
        nomination.nominator_organisation = organisation_for(
            number=nomination.nominator_organisation_number,
            name=nomination.nominator_organisation_name,
        )
        nomination.nominee = _nominee_for(nomination)
        fields += ["nominator_organisation", "nominee"]
    nomination.save(update_fields=fields)
    updated_receipt = locked.status == Nomination.Status.SUBMITTED
    if municipalities is not None:
        nomination.municipalities.set(municipalities)
    if areas is not None:
        nomination.areas.set(areas)
    for attachment in nomination.attachments.filter(pk__in=[a.pk for a in remove_attachments]):
        attachment.file.delete(save=False)
        attachment.delete()
    for uploaded, content_type in new_files:
        Attachment.objects.create(
            nomination=nomination,
            file=uploaded,
            original_name=uploaded.name[:255],
            content_type=content_type,
            size=uploaded.size,
        )
    # Scanned once the attachments are in: their text counts as much as the form's.
    nomination.contains_personal_identity_number = _contains_personal_identity_number(nomination)
    Nomination.objects.filter(pk=nomination.pk).update(
        contains_personal_identity_number=nomination.contains_personal_identity_number
    )
    nomination.status = locked.status
    nomination.reference_number = locked.reference_number
    if updated_receipt:
        nomination.submitted_at = locked.submitted_at
        emails.send_receipt(nomination, updated_at=timezone.now())
    return nomination


@transaction.atomic
def submit_nomination(nomination: Nomination, *, by) -> bool:
    """Submit a complete draft, or a withdrawn nomination again (it keeps its reference
    number). Returns False if it was already submitted (a double click).

    Side effects: reference number, links to the organisations and the nominee, and a
    receipt e-mail queued after commit.
    """
    locked = _lock_editable(nomination, by)
    if not locked.awaits_submission:
        return False
    resubmitted = bool(locked.reference_number)
    if not locked.reference_number:
        edition = Edition.objects.select_for_update().get(pk=locked.edition_id)
        edition.last_reference_sequence += 1
        edition.save(update_fields=["last_reference_sequence"])
        locked.reference_number = f"KFP-{edition.year}-{edition.last_reference_sequence:04d}"
    locked.withdrawn_at = None
    locked.status = Nomination.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.nominator_organisation = organisation_for(
        number=locked.nominator_organisation_number, name=locked.nominator_organisation_name
    )
    locked.nominee = _nominee_for(locked)
    locked.contains_personal_identity_number = _contains_personal_identity_number(locked)
    locked.save()
    nomination.refresh_from_db()

    emails.send_receipt(locked, resubmitted=resubmitted)
    return True


@transaction.atomic
def save_and_submit(nomination: Nomination, *, by, **changes) -> bool:
    """Store the nominator's last changes and submit, in one transaction under one lock.

    False if it was submitted already (a double click): then nothing of this request is
    stored, its attachments included. `changes` are save_nomination's keyword arguments.
    Side effects: those of save_nomination and submit_nomination.
    """
    locked = _lock_editable(nomination, by)
    if not locked.awaits_submission:
        return False
    save_nomination(nomination, by=by, **changes)
    return submit_nomination(nomination, by=by)


@transaction.atomic
def withdraw_nomination(nomination: Nomination, *, by) -> None:
    """The nominator takes a submission (or a draft) back, before the deadline.

    Side effects: status withdrawn and a confirmation queued after commit; a draft is simply
    deleted. Withdrawing a withdrawn nomination changes nothing.
    """
    locked = _lock_editable(nomination, by)
    if locked.status == Nomination.Status.WITHDRAWN:
        return
    if locked.status == Nomination.Status.DRAFT:
        for attachment in locked.attachments.all():
            attachment.file.delete(save=False)
        locked.delete()
        return
    locked.status = Nomination.Status.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
    emails.send_withdrawn(locked)


@transaction.atomic
def screen_nomination(nomination: Nomination, *, eligible: bool, reason: str, by) -> Nomination:
    """The secretariat's eligibility decision.

    Side effects: status and reason recorded with who and when; a nomination found not
    eligible sends its nominator a polite e-mail (once per decision), and one found eligible
    after all sends a correction.
    """
    locked = Nomination.objects.select_for_update().select_related("edition").get(pk=nomination.pk)
    if locked.status not in {
        Nomination.Status.SUBMITTED,
        Nomination.Status.ELIGIBLE,
        Nomination.Status.NOT_ELIGIBLE,
    }:
        raise ScreeningNotAllowed(_("Only submitted nominations are screened."))
    # While the call is open the nominator may still change it; once the jury has it,
    # a changed decision would change what the jurors see.
    if locked.edition.phase != Edition.Phase.SCREENING:
        raise ScreeningNotAllowed(
            _("Nominations are screened after the call has closed and before the jury starts.")
        )
    previous = locked.status
    locked.status = Nomination.Status.ELIGIBLE if eligible else Nomination.Status.NOT_ELIGIBLE
    locked.screening_reason = reason
    locked.screened_by = by
    locked.screened_at = timezone.now()
    locked.save(update_fields=["status", "screening_reason", "screened_by", "screened_at"])
    if not eligible and previous != Nomination.Status.NOT_ELIGIBLE:
        emails.send_not_eligible(locked)
    elif eligible and previous == Nomination.Status.NOT_ELIGIBLE:
        # The nominator was told "not eligible": a corrected decision must reach them too.
        emails.send_screening_corrected(locked)
    # The outcome, not the reason: the reason is the secretariat's text about the nominee.
    record(
        Action.NOMINATION_SCREENED,
        actor=by,
        target=locked,
        data={"status": locked.status, "previous": previous},
    )
    return locked
