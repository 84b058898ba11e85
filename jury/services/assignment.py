"""Opening the scoring: who scores which nominee.

By default every juror scores every candidate. With many nominations the secretariat may
ask instead that each nominee get at least k jurors; `balance` spreads the work evenly and
keeps jurors off the nominees they are conflicted on.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jury import emails
from jury.models import Assignment, ConflictDeclaration, Criterion, Juror
from jury.rules import allowed
from jury.selectors import candidates
from nominations.models import Edition


class OpeningRefused(PermissionDenied):
    """Scoring cannot open: wrong phase, nothing to score, nobody to score it, or k too high."""


class NotEnoughJurorsError(Exception):
    """Some nominees have fewer than k jurors who are free of conflicts on them."""

    def __init__(self, *, nominee_ids: tuple[int, ...], k: int):
        super().__init__(nominee_ids, k)
        self.nominee_ids = nominee_ids
        self.k = k


def balance(
    nominee_ids: Iterable[int],
    juror_ids: Iterable[int],
    conflicts: Iterable[tuple[int, int]],
    k: int,
) -> dict[int, list[int]]:
    """Give each nominee k jurors not conflicted on it, spreading the load evenly.

    `conflicts` holds (juror_id, nominee_id) pairs. Returns nominee id → sorted juror ids.
    Raises NotEnoughJurorsError, naming every nominee with fewer than k free jurors.

    Greedy: the nominees with the fewest free jurors go first (ties by id), since they have
    the least choice; each takes the k least-loaded free jurors (ties by juror id). Without
    conflicts the loads then differ by at most 1 (the least-loaded jurors always take the
    next nominee, round-robin). Conflicts can force a larger spread, e.g. when only one
    juror is free for several nominees; the greedy choice keeps it small without
    promising the optimum.
    """
    if k < 1:
        raise ValueError("k must be at least 1.")
    jurors = sorted(set(juror_ids))
    blocked = set(conflicts)
    free = {
        nominee: [juror for juror in jurors if (juror, nominee) not in blocked]
        for nominee in sorted(set(nominee_ids))
    }
    short = tuple(nominee for nominee, available in free.items() if len(available) < k)
    if short:
        raise NotEnoughJurorsError(nominee_ids=short, k=k)
    load = dict.fromkeys(jurors, 0)
    assignment: dict[int, list[int]] = {}
    for nominee in sorted(free, key=lambda nominee: (len(free[nominee]), nominee)):
        chosen = sorted(free[nominee], key=lambda juror: (load[juror], juror))[:k]
        for juror in chosen:
            load[juror] += 1
        assignment[nominee] = sorted(chosen)
    return assignment


def open_scoring(*, edition: Edition, min_jurors_per_nominee: int | None = None, by) -> int | None:
    """Open the jury's scoring: create the assignments and record the moment.

    Every juror scores every candidate, unless `min_jurors_per_nominee` (k) is given: then
    each candidate gets at least k jurors who are not effectively conflicted on it, as
    `balance` chooses. Returns how many assignments were made, or None if scoring had
    opened already (nothing happens then).

    Side effects: Assignment rows and the edition's scoring_opened_at, in one transaction
    with the edition locked, and a mail to each juror that scoring is open. Refused (OpeningRefused)
    unless screening is completed and the
    edition undecided, with criteria, jurors and candidates; and when some candidate cannot
    get k free jurors. PermissionDenied unless `by` is the secretariat (`jury.manage_jury`).
    """
    if not allowed(by, "jury.manage", edition):
        raise PermissionDenied(_("Only the secretariat opens the scoring."))
    with transaction.atomic():
        locked = (
            Edition.objects.select_for_update(of=("self",))
            .select_related("announcement")
            .get(pk=edition.pk)
        )
        if locked.scoring_opened_at is not None:
            return None
        if locked.phase != Edition.Phase.JURY:
            raise OpeningRefused(
                _("Scoring opens once screening is completed, and before the jury decides.")
            )
        nominee_ids = list(candidates(locked).values_list("pk", flat=True))
        juror_ids = list(Juror.objects.filter(edition=locked).values_list("pk", flat=True))
        if not Criterion.objects.filter(edition=locked).exists():
            raise OpeningRefused(_("Add the criteria before scoring opens."))
        if not juror_ids:
            raise OpeningRefused(_("Invite the jurors before scoring opens."))
        if not nominee_ids:
            raise OpeningRefused(_("There is no eligible nomination to score."))
        if min_jurors_per_nominee is None:
            pairs = [(juror, nominee) for nominee in nominee_ids for juror in juror_ids]
        else:
            pairs = _balanced_pairs(locked, nominee_ids, juror_ids, min_jurors_per_nominee)
        Assignment.objects.bulk_create(
            [Assignment(juror_id=juror, nominee_id=nominee) for juror, nominee in pairs],
            ignore_conflicts=True,
        )
        locked.scoring_opened_at = timezone.now()
        locked.save(update_fields=["scoring_opened_at"])
        for juror in Juror.objects.filter(edition=locked).select_related("user", "edition"):
            emails.send_scoring_opened(juror)
    edition.scoring_opened_at = locked.scoring_opened_at
    return len(pairs)


def _balanced_pairs(
    edition: Edition, nominee_ids: list[int], juror_ids: list[int], k: int
) -> list[tuple[int, int]]:
    conflicts = ConflictDeclaration.objects.effective().filter(
        juror__edition=edition, nominee_id__in=nominee_ids
    )
    try:
        assignment = balance(
            nominee_ids, juror_ids, conflicts.values_list("juror_id", "nominee_id"), k
        )
    except NotEnoughJurorsError as short:
        names = candidates(edition).filter(pk__in=short.nominee_ids).values_list("name", flat=True)
        raise OpeningRefused(
            ngettext(
                "Not every nominee can get %(k)d juror without a conflict of interest: %(names)s.",
                "Not every nominee can get %(k)d jurors without a conflict of interest: %(names)s.",
                k,
            )
            % {"k": k, "names": ", ".join(names)}
        ) from short
    except ValueError as wrong:
        raise OpeningRefused(_("Each nominee needs at least one juror.")) from wrong
    return [(juror, nominee) for nominee, jurors in assignment.items() for juror in jurors]
