"""Conflicts of interest (jäv): each juror's declarations and the rulings on them.

Before a juror reads any nomination they answer, for every candidate, whether they are
conflicted. The platform proposes the likely ones: the juror works for the nominee's
organisation or for an organisation that nominated it. The chair rules on the conflicts
the jurors declare; on the chair's own, the secretariat rules. Nobody rules on their own.

Also the reads these rest on, shared by the views and the scoring engineer's pages.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jury.models import ConflictDeclaration, Juror
from jury.rules import is_chair
from jury.selectors import candidates
from nominations.models import Edition, Nomination, Nominee
from nominations.rules import is_secretariat


class DeclarationsClosed(PermissionDenied):
    """The jury has decided: the declarations are part of the record and stay as they are."""


class RulingRefused(PermissionDenied):
    """No ruling can be made now: the juror declares no conflict here, or the jury decided.

    (Someone who may not rule gets a plain PermissionDenied.)"""


@dataclass(frozen=True)
class Answer:
    """A juror's answer for one nominee."""

    conflicted: bool
    reason: str = ""


@dataclass
class CandidateRow:
    """One candidate as a juror sees it before declaring: the names only, no nomination text."""

    nominee: Nominee
    nominating_organisations: list[str] = field(default_factory=list)
    declaration: ConflictDeclaration | None = None
    # Why the platform thinks the juror may be conflicted, or "".
    proposal: str = ""


# --- Reads ------------------------------------------------------------------------------------


def candidate_rows(juror: Juror) -> list[CandidateRow]:
    """Every candidate of the juror's edition, with its nominating organisations' names, the
    juror's declaration if any, and the platform's proposal. Three queries, however many."""
    rows = {
        nominee.pk: CandidateRow(nominee=nominee)
        for nominee in candidates(juror.edition).select_related("organisation")
    }
    organisation = juror.organisation
    nominated_by_juror_organisation = set()
    nominations = (
        Nomination.objects.filter(nominee_id__in=rows, status=Nomination.Status.ELIGIBLE)
        .order_by("submitted_at", "pk")
        .values_list(
            "nominee_id",
            "nominator_organisation_id",
            "nominator_organisation__name",
            "nominator_organisation_name",
        )
    )
    for nominee_id, organisation_id, registered_name, typed_name in nominations:
        name = registered_name or typed_name
        if name and name not in rows[nominee_id].nominating_organisations:
            rows[nominee_id].nominating_organisations.append(name)
        if organisation is not None and organisation_id == organisation.pk:
            nominated_by_juror_organisation.add(nominee_id)
    for declaration in ConflictDeclaration.objects.filter(juror=juror, nominee_id__in=rows):
        rows[declaration.nominee_id].declaration = declaration
    if organisation is not None:
        for row in rows.values():
            if row.nominee.organisation_id == organisation.pk:
                row.proposal = _("Same organisation as the nominee: %(organisation)s.") % {
                    "organisation": organisation.name
                }
            elif row.nominee.pk in nominated_by_juror_organisation:
                row.proposal = _(
                    "Same organisation as a nominating organisation: %(organisation)s."
                ) % {"organisation": organisation.name}
    return list(rows.values())


def has_declared_all(juror: Juror) -> bool:
    """Has the juror answered for every candidate of their edition? (True when there are
    none yet.) The scoring pages stay closed to them until they have. One query."""
    declared = ConflictDeclaration.objects.filter(juror=juror).values("nominee_id")
    return not candidates(juror.edition).exclude(pk__in=declared).exists()


def may_rule(user, declaration: ConflictDeclaration, *, chair: bool | None = None) -> bool:
    """The chair rules on the other jurors' declared conflicts; the secretariat on anyone's,
    the chair's included. Nobody on their own. `chair` says whether `user` chairs the jury,
    if the caller knows already (a list asks once, not once per row)."""
    juror = declaration.juror
    if not user.is_authenticated or juror.user_id == user.pk:
        return False
    if is_secretariat(user):
        return True
    if juror.is_chair:
        return False
    return is_chair(user, juror.edition) if chair is None else chair


def declarations_to_rule_on(edition: Edition):
    """Declared conflicts awaiting a ruling, oldest first."""
    return (
        _declarations(edition)
        .filter(conflicted=True, ruling=ConflictDeclaration.Ruling.PENDING)
        .order_by("declared_at", "pk")
    )


def past_rulings(edition: Edition):
    """Declared conflicts that have their ruling, latest first."""
    return (
        _declarations(edition)
        .filter(conflicted=True)
        .exclude(ruling=ConflictDeclaration.Ruling.PENDING)
        .order_by("-ruled_at", "-pk")
    )


def dismissed_proposals(edition: Edition):
    """Conflicts the platform proposed and the juror said were none: for the record."""
    return (
        _declarations(edition)
        .filter(conflicted=False, proposed=True)
        .order_by("juror__user__last_name", "nominee__name")
    )


def _declarations(edition: Edition):
    return ConflictDeclaration.objects.filter(juror__edition=edition).select_related(
        "juror__user", "juror__edition", "nominee", "ruled_by"
    )


# --- Changes ----------------------------------------------------------------------------------


def declare_conflicts(
    *, juror: Juror, answers: Mapping[int, Answer], by
) -> list[ConflictDeclaration]:
    """Record the juror's answers, nominee id → Answer; returns the declarations created or
    changed.

    An unchanged answer is left as it was. A changed one (conflicted or not; for a conflict,
    its reason) is declared anew: its time is now and any ruling on the old answer is
    cleared, back to awaiting a ruling. `proposed` records whether the platform proposed a
    conflict for that nominee, whatever the juror answered.

    Side effects: ConflictDeclaration rows, in one transaction with the juror locked.
    Refused (PermissionDenied) for anyone but the juror, and once the jury has decided;
    ValueError for a nominee that is not a candidate or a conflict without a reason.
    """
    if by is None or by.pk != juror.user_id:
        raise PermissionDenied(_("Only the juror declares their conflicts of interest."))
    with transaction.atomic():
        juror = (
            Juror.objects.select_for_update(of=("self",))
            .select_related("edition", "organisation")
            .get(pk=juror.pk)
        )
        if juror.edition.decided_at is not None:
            raise DeclarationsClosed(
                _("The jury has decided: the declarations can no longer change.")
            )
        rows = {row.nominee.pk: row for row in candidate_rows(juror)}
        unknown = set(answers) - set(rows)
        if unknown:
            raise ValueError(f"Not candidates of {juror.edition}: {sorted(unknown)}")
        now = timezone.now()
        saved = []
        for nominee_id, answer in answers.items():
            reason = answer.reason.strip()
            if answer.conflicted and not reason:
                raise ValueError("A conflict of interest needs a reason.")
            row = rows[nominee_id]
            declaration = row.declaration
            if declaration is None:
                declaration = ConflictDeclaration(juror=juror, nominee_id=nominee_id)
            elif declaration.conflicted == answer.conflicted and (
                not answer.conflicted or declaration.reason == reason
            ):
                # The same answer. A note on a "no" may change: there is no ruling on it.
                if declaration.reason != reason:
                    declaration.reason = reason
                    declaration.save(update_fields=["reason"])
                    saved.append(declaration)
                continue
            declaration.conflicted = answer.conflicted
            declaration.reason = reason
            declaration.proposed = bool(row.proposal)
            declaration.declared_at = now
            declaration.ruling = ConflictDeclaration.Ruling.PENDING
            declaration.ruling_reason = ""
            declaration.ruled_by = None
            declaration.ruled_at = None
            declaration.save()
            saved.append(declaration)
    return saved


def rule_on_conflict(
    *, declaration: ConflictDeclaration, upheld: bool, reason: str, by
) -> ConflictDeclaration:
    """Rule on a declared conflict: upheld (the juror stays away from the nominee) or
    dismissed (they judge it after all), with the reason, who ruled and when. A ruling may
    be changed until the jury decides; the latest stands.

    Side effects: the declaration's ruling fields, with the row locked.
    Refused with PermissionDenied for the declaring juror, for a chair on the chair's own
    declaration and for anyone else who does not lead the jury; with RulingRefused (a
    PermissionDenied too) on a declaration that is no conflict, and once the jury decided.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("A ruling needs a reason.")
    with transaction.atomic():
        locked = (
            ConflictDeclaration.objects.select_for_update(of=("self",))
            .select_related("juror__edition")
            .get(pk=declaration.pk)
        )
        if locked.juror.user_id == by.pk:
            raise PermissionDenied(_("You cannot rule on your own conflict of interest."))
        if not may_rule(by, locked):
            if locked.juror.is_chair:
                raise PermissionDenied(
                    _("The secretariat rules on the chair's conflicts of interest.")
                )
            raise PermissionDenied(_("Only the chair or the secretariat rules on conflicts."))
        if not locked.conflicted:
            raise RulingRefused(_("The juror has not declared a conflict of interest here."))
        if locked.juror.edition.decided_at is not None:
            raise RulingRefused(_("The jury has decided: the rulings can no longer change."))
        locked.ruling = (
            ConflictDeclaration.Ruling.UPHELD if upheld else ConflictDeclaration.Ruling.DISMISSED
        )
        locked.ruling_reason = reason
        locked.ruled_by = by
        locked.ruled_at = timezone.now()
        locked.save(update_fields=["ruling", "ruling_reason", "ruled_by", "ruled_at"])
    return locked
