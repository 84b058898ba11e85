"""Conflicts of interest (jäv): each juror's declarations and the rulings on them.

Before a juror reads any nomination they answer, for every candidate, whether they are
conflicted. The platform proposes the likely ones: the juror works for the nominee's
organisation or for an organisation that nominated it. The chair rules on the conflicts
the jurors declare; on the chair's own, the secretariat rules. Nobody rules on their own.

The declarations are a record. A declared conflict is never undeclared by the juror: they
may ask for its withdrawal, with a reason, and a ruling decides. Every declaration, request
and ruling is also written as a ConflictEvent (who, when, why), which nothing changes.

The reads these rest on are in `jury.selectors.conflicts`; who may rule, in `jury.rules`.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from jury import emails, selectors
from jury.models import ConflictDeclaration, ConflictEvent, Juror
from jury.rules import may_rule
from jury.selectors.conflicts import candidate_rows


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


# --- Changes ----------------------------------------------------------------------------------


_RULINGS = {ConflictEvent.Kind.UPHELD, ConflictEvent.Kind.DISMISSED}


def _record(declaration: ConflictDeclaration, kind: str, reason: str, by, at) -> ConflictEvent:
    event = ConflictEvent.objects.create(
        declaration=declaration, kind=kind, reason=reason, by=by, at=at
    )
    # The audit log keeps that it happened, to whom; the reason and the nominee stay here.
    record(
        Action.CONFLICT_RULED if kind in _RULINGS else Action.CONFLICT_DECLARED,
        actor=by,
        target=declaration.juror,
        edition=declaration.juror.edition_id and declaration.juror.edition,
        data={"event": str(kind)},
    )
    return event


def _locked(declaration: ConflictDeclaration) -> ConflictDeclaration:
    """The declaration, locked (its row only), with its juror and edition."""
    return (
        ConflictDeclaration.objects.select_for_update(of=("self",))
        .select_related("juror__edition")
        .get(pk=declaration.pk)
    )


def _ask_for_ruling(declaration: ConflictDeclaration, event: ConflictEvent) -> None:
    # In the same transaction as the event: the mail goes if, and only if, it stands.
    for ruler in selectors.rulers_of(declaration):
        emails.send_conflict_awaits_ruling(declaration, to=ruler, event_id=event.pk)


def declare_conflicts(
    *, juror: Juror, answers: Mapping[int, Answer], by
) -> list[ConflictDeclaration]:
    """Record the juror's answers, nominee id → Answer; returns the declarations created or
    changed.

    A declaration can grow, never shrink. A first answer is recorded as given. A "no" may
    become a conflict, and a "no"'s note may change. A conflict stays a conflict: an answer
    of "no" for it (an unticked box, a stale page) leaves it as it is; only a ruling on a
    withdrawal request (`request_withdrawal`) lets the juror judge the nominee. A conflict
    whose reason changes is declared anew: its time is now and it awaits a new ruling (the
    earlier ruling stays in the history). `proposed` records whether the platform proposed
    a conflict for that nominee, whatever the juror answered.

    Side effects: ConflictDeclaration rows, and a ConflictEvent for each change, in one
    transaction with the juror locked; each conflict declared or amended mails whoever rules
    on it (the chair, or the secretariat for the chair's own) through the outbox. Refused
    (PermissionDenied) for anyone but the juror,
    and once the jury has decided; ValueError for a nominee that is not a candidate or a
    conflict without a reason.
    """
    if by is None or by.pk != juror.user_id:
        raise PermissionDenied(_("Only the juror declares their conflicts of interest."))
    with transaction.atomic():
        juror = Juror.objects.locked("edition", "organisation").get(pk=juror.pk)
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
        Kind = ConflictEvent.Kind
        for nominee_id, answer in answers.items():
            reason = answer.reason.strip()
            if answer.conflicted and not reason:
                raise ValueError("A conflict of interest needs a reason.")
            row = rows[nominee_id]
            declaration = row.declaration
            if declaration is not None and declaration.conflicted:
                if not answer.conflicted or declaration.reason == reason:
                    continue  # Never removed here; the same conflict is left as it is.
                kind = Kind.AMENDED
            elif declaration is not None and not answer.conflicted:
                # A note on a "no" may change: there is no ruling on it.
                if declaration.reason != reason:
                    declaration.reason = reason
                    declaration.save(update_fields=["reason"])
                    _record(declaration, Kind.NO_CONFLICT, reason, by, now)
                    saved.append(declaration)
                continue
            else:
                kind = Kind.DECLARED if answer.conflicted else Kind.NO_CONFLICT
                if declaration is None:
                    declaration = ConflictDeclaration(juror=juror, nominee_id=nominee_id)
            declaration.conflicted = answer.conflicted
            declaration.reason = reason
            declaration.proposed = bool(row.proposal)
            declaration.declared_at = now
            declaration.ruling = ConflictDeclaration.Ruling.PENDING
            declaration.ruling_reason = ""
            declaration.ruled_by = None
            declaration.ruled_at = None
            declaration.save()
            event = _record(declaration, kind, reason, by, now)
            if declaration.conflicted:
                _ask_for_ruling(declaration, event)
            saved.append(declaration)
    return saved


def request_withdrawal(*, declaration: ConflictDeclaration, reason: str, by) -> ConflictDeclaration:
    """The juror asks to withdraw a conflict they declared, saying why. Until a ruling grants
    it (dismisses the conflict), the conflict counts as before.

    Side effects: the declaration's withdrawal fields and a ConflictEvent, with the row
    locked; a mail to whoever rules on it. PermissionDenied for anyone but the declaring juror;
    RulingRefused when there is
    no standing conflict to withdraw or the jury has decided; ValueError without a reason.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("A withdrawal request needs a reason.")
    with transaction.atomic():
        locked = _locked(declaration)
        if by is None or locked.juror.user_id != by.pk:
            raise PermissionDenied(_("Only the juror asks to withdraw their declaration."))
        if locked.juror.edition.decided_at is not None:
            raise RulingRefused(_("The jury has decided: the declarations can no longer change."))
        if not locked.conflicted or locked.ruling == ConflictDeclaration.Ruling.DISMISSED:
            raise RulingRefused(_("There is no conflict of interest here to withdraw."))
        now = timezone.now()
        locked.withdrawal_requested_at = now
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawal_requested_at", "withdrawal_reason"])
        event = _record(locked, ConflictEvent.Kind.WITHDRAWAL_REQUESTED, reason, by, now)
        _ask_for_ruling(locked, event)
    return locked


def rule_on_conflict(
    *, declaration: ConflictDeclaration, upheld: bool, reason: str, by
) -> ConflictDeclaration:
    """Rule on a declared conflict: upheld (the juror stays away from the nominee) or
    dismissed (they judge it after all), with the reason, who ruled and when. A ruling may
    be changed until the jury decides; the latest stands, and every one stays in the
    history. A ruling also answers a pending withdrawal request: dismissing grants it.

    Side effects: the declaration's ruling fields and a ConflictEvent, with the row locked;
    a mail to the juror with the ruling.
    Refused with PermissionDenied for the declaring juror, for a chair on the chair's own
    declaration and for anyone else who does not lead the jury; with RulingRefused (a
    PermissionDenied too) on a declaration that is no conflict, and once the jury decided.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("A ruling needs a reason.")
    with transaction.atomic():
        locked = _locked(declaration)
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
        now = timezone.now()
        locked.ruling = (
            ConflictDeclaration.Ruling.UPHELD if upheld else ConflictDeclaration.Ruling.DISMISSED
        )
        locked.ruling_reason = reason
        locked.ruled_by = by
        locked.ruled_at = now
        # The ruling answers a pending withdrawal request too: dismissed grants it.
        locked.withdrawal_requested_at = None
        locked.save(
            update_fields=[
                "ruling",
                "ruling_reason",
                "ruled_by",
                "ruled_at",
                "withdrawal_requested_at",
            ]
        )
        event = _record(
            locked,
            ConflictEvent.Kind.UPHELD if upheld else ConflictEvent.Kind.DISMISSED,
            reason,
            by,
            now,
        )
        emails.send_conflict_ruled(locked, event_id=event.pk)
    return locked
