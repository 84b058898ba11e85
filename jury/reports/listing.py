"""The results page's slice of the ranking: the candidates filtered and ordered as the reader
asked. The ranks stay those over every nominee the reader may see; only the rows shown change.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jury.models import ShortlistEntry
from jury.reports.loading import CandidateResult, ResultsReport
from nominations.models import Area, Nomination


class Order(models.TextChoices):
    RAW = "raw", _("Mean score (rank)")
    NORMALISED = "normalised", _("Normalised score (rank)")
    SPREAD = "spread", _("Spread, largest first")
    NAME = "name", _("Name")


def _name(candidate: CandidateResult):
    return (candidate.nominee.name.casefold(), candidate.nominee.pk)


_ORDERS = {
    # The report's own order: raw rank, then normalised rank, then id.
    Order.RAW: None,
    Order.NORMALISED: lambda c: (c.result.normalised_rank, c.result.raw_rank, *_name(c)),
    Order.SPREAD: lambda c: (-(c.result.spread or 0.0), c.result.raw_rank, *_name(c)),
    Order.NAME: _name,
}


def listed_candidates(
    report: ResultsReport,
    *,
    text: str = "",
    area: Area | None = None,
    order: str = Order.RAW,
    shortlisted_only: bool = False,
    discuss_only: bool = False,
) -> list[CandidateResult]:
    """The report's candidates whose name holds `text`, with an eligible nomination in `area`,
    on the shortlist, to be discussed (each when asked), in `order`. One query per filter on
    the database (area, shortlist), none otherwise."""
    candidates = list(report.candidates)
    if text:
        needle = text.casefold()
        candidates = [c for c in candidates if needle in c.nominee.name.casefold()]
    if area is not None:
        in_area = set(
            Nomination.objects.filter(
                edition=report.edition, status=Nomination.Status.ELIGIBLE, areas=area
            ).values_list("nominee_id", flat=True)
        )
        candidates = [c for c in candidates if c.nominee.pk in in_area]
    if shortlisted_only:
        shortlisted = set(
            ShortlistEntry.objects.filter(edition=report.edition).values_list(
                "nominee_id", flat=True
            )
        )
        candidates = [c for c in candidates if c.nominee.pk in shortlisted]
    if discuss_only:
        candidates = [c for c in candidates if c.result.discuss]
    key = _ORDERS.get(Order(order) if order in Order.values else Order.RAW)
    return sorted(candidates, key=key) if key else candidates
