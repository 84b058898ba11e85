"""Reads for the jury's start page: each edition the user sits on the jury of, and what is
left for them there; the editions the secretariat runs without sitting on their jury."""

from dataclasses import dataclass, field

from django.db.models import Q

from jury.models import Juror
from jury.rules import allowed, may_rule
from jury.selectors import conflicted_nominee_ids_of, seats_of
from jury.selectors.conflicts import declarations_to_rule_on, has_declared_all
from jury.selectors.scoring import ScoringProgress, scoring_progress
from jury.selectors.vote import ballot_refusal
from nominations.models import Edition


@dataclass
class JurorAgenda:
    """One edition the user is on the jury of, and what is left for them there."""

    juror: Juror
    declared_all: bool
    progress: ScoringProgress | None
    can_view_results: bool
    can_lead: bool
    can_manage: bool
    jurors: list[Juror] = field(default_factory=list)
    ballot_open: bool = False
    awaiting_ruling: int = 0

    @property
    def edition(self) -> Edition:
        return self.juror.edition


def _awaiting_ruling(user, edition: Edition) -> int:
    """How many declared conflicts wait for this chair's ruling."""
    own = conflicted_nominee_ids_of(user, edition)
    return sum(
        may_rule(user, declaration, chair=True, own_conflicts=own)
        for declaration in declarations_to_rule_on(edition)
    )


def agendas_of(user) -> list[JurorAgenda]:
    """The user's editions on the jury, the latest first, each with what is left to do."""
    agendas = []
    for juror in seats_of(user):
        edition = juror.edition
        declared_all = has_declared_all(juror)
        can_lead = allowed(user, "jury.lead", edition)
        agendas.append(
            JurorAgenda(
                juror=juror,
                declared_all=declared_all,
                progress=scoring_progress(juror)
                if declared_all and edition.scoring_opened_at
                else None,
                can_view_results=allowed(user, "jury.view_results", edition),
                can_lead=can_lead,
                can_manage=allowed(user, "jury.manage", edition),
                jurors=list(edition.jurors.select_related("user").in_role_order())
                if can_lead
                else [],
                ballot_open=ballot_refusal(edition) is None,
                awaiting_ruling=_awaiting_ruling(user, edition) if juror.is_chair else 0,
            )
        )
    return agendas


def managed_editions(user) -> list[Edition]:
    """For the secretariat: the editions still to be decided (and the current one) whose
    jury they do not sit on. Empty for anyone else."""
    if not allowed(user, "jury.manage", None):
        return []
    current = Edition.objects.current()
    return list(
        Edition.objects.filter(Q(decided_at__isnull=True) | Q(pk=getattr(current, "pk", None)))
        .exclude(jurors__user=user)
        .order_by("-year")
    )
