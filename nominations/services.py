"""State changes of editions and nominations. Each function owns its transaction."""

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from kvinnofrid.broker import hand_over
from nominations import emails, files
from nominations.models import Attachment, Edition, Nomination, Nominee, Organisation
from nominations.validators import find_personal_identity_numbers, normalise_organisation_number

logger = logging.getLogger(__name__)


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


def _nominee_id_for(nomination: Nomination) -> int:
    """The id of the edition's nominee the nomination names, made if it is the first."""
    organisation = None
    if nomination.nominee_organisation_number:
        organisation = organisation_for(
            number=nomination.nominee_organisation_number,
            name=nomination.nominee_name,
            kind=nomination.nominee_kind,
        )
    # One statement, new or not (get_or_create takes four for a new one): on a conflict the
    # existing row is kept as it is and its id returned.
    (nominee,) = Nominee.objects.bulk_create(
        [
            Nominee(
                edition_id=nomination.edition_id,
                match_key=nominee_match_key(nomination.nominee_name, organisation),
                name=nomination.nominee_name,
                organisation=organisation,
            )
        ],
        update_conflicts=True,
        unique_fields=["edition", "match_key"],
        update_fields=["match_key"],
    )
    return nominee.pk


# --- Nominations ---------------------------------------------------------------------------


def personal_identity_number_fields(nomination: Nomination) -> list[str]:
    """The free-text fields in which a personal identity number was found."""
    return [
        field
        for field in Nomination.FREE_TEXT_FIELDS
        if find_personal_identity_numbers(getattr(nomination, field))
    ]


def attachments_with_personal_identity_numbers(nomination: Nomination) -> list[str]:
    """The names of the attachments whose text (PDF, DOCX) was found to hold a personal
    identity number. Each file is read once, after its upload commits (`check_nomination`);
    images and scanned pages cannot be read, and are not reported."""
    return list(
        nomination.attachments.filter(contains_personal_identity_number=True).values_list(
            "original_name", flat=True
        )
    )


def _read_attachment(attachment: Attachment) -> bool:
    try:
        with attachment.file.open("rb") as handle:
            text = files.readable_text(handle, attachment.content_type)
    except FileNotFoundError:
        return False
    return bool(find_personal_identity_numbers(text))


def check_nomination(nomination: Nomination) -> None:
    """Read the attachments not read yet and flag the nomination if any of its texts or
    files holds a personal identity number. Safe to run twice: a file is read once.

    Side effects: each new attachment's flag, the nomination's flag.
    """
    for attachment in nomination.attachments.filter(contains_personal_identity_number=None):
        Attachment.objects.filter(pk=attachment.pk, contains_personal_identity_number=None).update(
            contains_personal_identity_number=_read_attachment(attachment)
        )
    flagged = bool(personal_identity_number_fields(nomination)) or (
        nomination.attachments.filter(contains_personal_identity_number=True).exists()
    )
    # Only if the row is still the one read: a save since has flagged its own text, and
    # queued its own check if the flag may need lifting.
    Nomination.objects.filter(pk=nomination.pk, updated_at=nomination.updated_at).update(
        contains_personal_identity_number=flagged
    )
    nomination.contains_personal_identity_number = flagged


@dataclass(frozen=True)
class Choice:
    """A new choice of municipalities or areas, and (if known) the one stored."""

    chosen: Iterable
    stored: Iterable | None = None


class Receipt(StrEnum):
    """Which receipt a change of a nomination owes, once it has committed."""

    NONE = ""
    SUBMITTED = "submitted"
    RESUBMITTED = "resubmitted"
    UPDATED = "updated"


def _owe_receipt(nomination: Nomination, locked: Nomination, receipt: Receipt) -> list[str]:
    """Record on the row which receipt is owed; the fields to save with the change. One not
    yet sent is kept (a receipt lists the nomination as it reads when it is sent)."""
    if locked.receipt_due and receipt == Receipt.UPDATED:
        nomination.receipt_due, nomination.receipt_due_at = (
            locked.receipt_due,
            locked.receipt_due_at,
        )
    else:
        nomination.receipt_due, nomination.receipt_due_at = receipt.value, timezone.now()
    return ["receipt_due", "receipt_due_at"]


def _after_commit(nomination_id: int) -> None:
    # What can wait (reading the files, the receipt) waits for the commit and the worker.
    transaction.on_commit(lambda: hand_to_worker(nomination_id))


def hand_to_worker(nomination_id: int) -> bool:
    """Publish the after-save task; False (and an error in the log) if the broker is down.
    What is owed is written on the rows, so `catch_up_after_saves` does it later."""
    from nominations.tasks import after_nomination_saved

    return hand_over(
        after_nomination_saved,
        what=f"Nomination {nomination_id}",
        logger=logger,
        nomination_id=nomination_id,
    )


def after_nomination_saved(*, nomination_id: int) -> bool:
    """The work a save or a submission leaves for after its commit: what can wait.

    Side effects: the attachments read and the nomination flagged (`check_nomination`), and
    the receipt owed queued, claimed by a conditional UPDATE so that it is queued once
    (the outbox's key says so too). None for a nomination withdrawn since. Safe to run twice
    or concurrently. False if the nomination is gone.
    """
    nomination = Nomination.objects.select_related("edition").filter(pk=nomination_id).first()
    if nomination is None:
        return False
    # Outside the receipt's transaction: reading a large PDF holds no lock.
    check_nomination(nomination)
    receipt, at = Receipt(nomination.receipt_due), nomination.receipt_due_at
    if not receipt:
        return True
    with transaction.atomic():
        claimed = Nomination.objects.filter(
            pk=nomination_id, receipt_due=receipt.value, receipt_due_at=at
        ).update(receipt_due="", receipt_due_at=None)
        if not claimed:
            return True
        nomination = Nomination.objects.select_related("edition", "nominator").get(pk=nomination_id)
        if nomination.status not in {Nomination.Status.DRAFT, Nomination.Status.WITHDRAWN}:
            emails.send_receipt(
                nomination,
                updated_at=at if receipt == Receipt.UPDATED else None,
                resubmitted=receipt == Receipt.RESUBMITTED,
            )
    return True


def catch_up_after_saves(*, now: datetime | None = None) -> list[int]:
    """The after-save work of every nomination whose task never ran (a broker down at its
    commit, a worker lost): a receipt owed or an attachment not read for over a minute.

    Side effects: those of `after_nomination_saved`, for each. Returns their ids.
    """
    before = (now or timezone.now()) - timedelta(minutes=1)
    owing = Nomination.objects.exclude(receipt_due="").filter(receipt_due_at__lt=before)
    unread = Attachment.objects.filter(
        contains_personal_identity_number=None, uploaded_at__lt=before
    )
    ids = sorted(
        set(owing.values_list("pk", flat=True))
        | set(unread.values_list("nomination_id", flat=True))
    )
    return [pk for pk in ids[:500] if after_nomination_saved(nomination_id=pk)]


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
    # The row alone is locked; the edition (and its announcement, which its phase reads) come
    # along in the same query.
    locked = (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("edition__announcement")
        .get(pk=nomination.pk)
    )
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
    which a concurrent submission may have set), the areas and municipalities (a `Choice`, a
    list, or None to keep them as they are), adds and removes attachments, flags a personal
    identity number found in the text; for a submission, relinks the nominee and
    organisation and owes an updated receipt. After commit (nominations.tasks), the new
    attachments are read and the receipt is queued. Refused after the deadline, even if the
    form was opened before it.
    """
    locked = _lock_editable(nomination, by)
    _save_locked(
        nomination,
        locked,
        municipalities=municipalities,
        areas=areas,
        new_files=new_files,
        remove_attachments=remove_attachments,
    )
    return nomination


def _save_locked(
    nomination: Nomination,
    locked: Nomination,
    *,
    submit: bool = False,
    municipalities=None,
    areas=None,
    new_files=(),
    remove_attachments=(),
) -> None:
    """Store `nomination` (its row locked as `locked`) in one UPDATE, submitting it too if
    asked: a submission with its last changes writes the row once."""
    fields = [*Nomination.NOMINATOR_FIELDS, "updated_at"]
    nomination.status = locked.status
    nomination.reference_number = locked.reference_number
    nomination.submitted_at = locked.submitted_at
    nomination.receipt_due, nomination.receipt_due_at = locked.receipt_due, locked.receipt_due_at
    if submit:
        fields += _prepare_submission(nomination, locked)
    elif locked.status == Nomination.Status.SUBMITTED:
        fields += [*_link(nomination), *_owe_receipt(nomination, locked, Receipt.UPDATED)]
    if personal_identity_number_fields(nomination):
        # Found in the text, it is flagged now; whether it is gone (or only in a file) is the
        # after-commit check's to say: until then the flag errs on the side of a warning.
        nomination.contains_personal_identity_number = True
        fields.append("contains_personal_identity_number")
    # A draft's text alone leaves nothing to do after commit, unless a flag may need lifting.
    if new_files or nomination.receipt_due or locked.contains_personal_identity_number:
        _after_commit(nomination.pk)
    _replace(nomination.municipalities, municipalities)
    _replace(nomination.areas, areas)
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
    # Last, the row itself; a first submission takes its number just before it (see
    # _number_if_new): what else the submission writes is written before the lock.
    if submit:
        fields += _number_if_new(nomination, locked)
    nomination.save(update_fields=fields)


def _replace(manager, change) -> None:
    if change is None:
        return
    if not isinstance(change, Choice):
        change = Choice(chosen=change)
    if change.stored is None:
        manager.set(change.chosen)
        return
    # What the form read already: only the difference is written, with no SELECT first.
    chosen, stored = set(change.chosen), set(change.stored)
    if stored - chosen:
        manager.remove(*(stored - chosen))
    if chosen - stored:
        manager.add(*(chosen - stored))


def _link(nomination: Nomination) -> list[str]:
    """The organisations and the nominee, found (or made) from what the nominator wrote."""
    nomination.nominator_organisation = organisation_for(
        number=nomination.nominator_organisation_number,
        name=nomination.nominator_organisation_name,
    )
    nomination.nominee_id = _nominee_id_for(nomination)
    return ["nominator_organisation", "nominee"]


def _next_reference_number(edition_id: int) -> str:
    # One statement takes the next number under the edition row's lock: two submissions
    # never share one, and no SELECT ... FOR UPDATE round trip is needed.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE nominations_edition SET last_reference_sequence = last_reference_sequence + 1"
            " WHERE id = %s RETURNING year, last_reference_sequence",
            [edition_id],
        )
        year, sequence = cursor.fetchone()
    return f"KFP-{year}-{sequence:04d}"


def _number_if_new(nomination: Nomination, locked: Nomination) -> list[str]:
    """The reference number, kept by a resubmission, else the edition's next; the fields to
    save. Taking one locks the edition's row until the commit, and every submission of the
    edition waits for that lock: so it is the last but one statement of the transaction
    (only the nomination's own row follows), never held while the rest is written."""
    nomination.reference_number = locked.reference_number or _next_reference_number(
        locked.edition_id
    )
    return ["reference_number"]


def _prepare_submission(nomination: Nomination, locked: Nomination) -> list[str]:
    """Set what a submission sets on `nomination` (unsaved) but its reference number
    (`_number_if_new`); the fields to save. The receipt follows the commit."""
    resubmitted = bool(locked.reference_number)
    nomination.withdrawn_at = None
    nomination.status = Nomination.Status.SUBMITTED
    nomination.submitted_at = timezone.now()
    receipt = Receipt.RESUBMITTED if resubmitted else Receipt.SUBMITTED
    return [
        "withdrawn_at",
        "status",
        "submitted_at",
        *_link(nomination),
        *_owe_receipt(nomination, locked, receipt),
    ]


@transaction.atomic
def submit_nomination(nomination: Nomination, *, by) -> bool:
    """Submit a complete draft, or a withdrawn nomination again (it keeps its reference
    number). Returns False if it was already submitted (a double click).

    Side effects: reference number, links to the organisations and the nominee; after
    commit, the attachments read and the receipt queued (nominations.tasks).
    """
    locked = _lock_editable(nomination, by)
    if not locked.awaits_submission:
        return False
    nomination.refresh_from_db()
    fields = _prepare_submission(nomination, locked)
    fields += _number_if_new(nomination, locked)
    nomination.save(update_fields=[*fields, "updated_at"])
    _after_commit(nomination.pk)
    return True


@transaction.atomic
def save_and_submit(nomination: Nomination, *, by, **changes) -> bool:
    """Store the nominator's last changes and submit, in one transaction under one lock.

    False if it was submitted already (a double click): then nothing of this request is
    stored, its attachments included. `changes` are save_nomination's keyword arguments.
    Side effects: those of save_nomination and submit_nomination (one receipt).
    """
    locked = _lock_editable(nomination, by)
    if not locked.awaits_submission:
        return False
    _save_locked(nomination, locked, submit=True, **changes)
    return True


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
