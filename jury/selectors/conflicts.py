"""Reads on conflicts of interest (jäv): what a juror answers for, and what awaits a ruling."""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from jury.models import ConflictDeclaration, Juror
from jury.selectors import candidates
from nominations.models import Edition, Nomination, Nominee


@dataclass
class CandidateRow:
    """One candidate as a juror sees it before declaring: the names only, no nomination text."""

    nominee: Nominee
    nominating_organisations: list[str] = field(default_factory=list)
    declaration: ConflictDeclaration | None = None
    # Why the platform thinks the juror may be conflicted, or "".
    proposal: str = ""


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


def undeclared_candidates(juror: Juror):
    """The candidates of the juror's edition they have not answered for yet."""
    declared = ConflictDeclaration.objects.filter(juror=juror).values("nominee_id")
    return candidates(juror.edition).exclude(pk__in=declared)


def has_declared_all(juror: Juror) -> bool:
    """Has the juror answered for every candidate of their edition? (True when there are
    none yet.) The scoring pages stay closed to them until they have. One query."""
    return not undeclared_candidates(juror).exists()


def declarations_to_rule_on(edition: Edition):
    """Declared conflicts awaiting a ruling, or whose withdrawal the juror asked for; oldest
    first."""
    return (
        _declarations(edition)
        .filter(conflicted=True)
        .filter(
            Q(ruling=ConflictDeclaration.Ruling.PENDING) | Q(withdrawal_requested_at__isnull=False)
        )
        .order_by("declared_at", "pk")
    )


def past_rulings(edition: Edition):
    """Declared conflicts that have their ruling and no request pending, latest first."""
    return (
        _declarations(edition)
        .filter(conflicted=True, withdrawal_requested_at__isnull=True)
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
    return (
        ConflictDeclaration.objects.filter(juror__edition=edition)
        .select_related("juror__user", "juror__edition", "nominee", "ruled_by")
        .prefetch_related("events__by")
    )
