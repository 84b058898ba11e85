"""Reads of the results workbooks the chair and the secretariat ask for
(`jury.services.results_exports`)."""

from jury.models import ResultsExport
from nominations.models import Edition


def results_exports_of(user, edition: Edition) -> list[ResultsExport]:
    """The workbooks `user` asked for in `edition`, newest first: only their own (each one
    leaves out the nominees its requester is conflicted on). Gallring keeps the list short."""
    return list(ResultsExport.objects.filter(edition=edition, requested_by=user))


def ready_export_of(user, edition: Edition, export_id: int) -> ResultsExport | None:
    """`user`'s own workbook `export_id` in `edition` if it is ready to download, else None."""
    return ResultsExport.objects.filter(
        pk=export_id,
        edition=edition,
        requested_by=user,
        status=ResultsExport.Status.READY,
    ).first()
