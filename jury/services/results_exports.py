"""The results as an Excel workbook, built by a worker rather than in a request.

At 2,000 nominees × 25 jurors the workbook takes some fifteen seconds to write. A request only
records the wish (`request_export`); after its commit a task builds the file
(`build_export`), saves it in the private storage and mails the person who asked a link to
the exports page. What is owed is written on the row, so a broker that is down at the commit
loses nothing: beat's sweep (`catch_up_exports`) hands over what no worker took, and gives a
lost worker's export another try.
"""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jury import emails, reports, selectors
from jury.models import ResultsExport
from jury.rules import allowed
from kvinnofrid.broker import hand_over
from nominations.models import Edition

logger = logging.getLogger(__name__)

# A pending export that no worker has claimed after this long was never handed over.
HANDOVER_GRACE = timedelta(minutes=1)
# Builds of one export, the lost ones included, before it is given up as failed.
MAX_ATTEMPTS = 3


def _stuck_after() -> timedelta:
    # A build still running after the task's hard time limit has lost its worker.
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


def request_export(*, edition: Edition, by, language: str) -> tuple[ResultsExport, bool]:
    """Record that `by` wants the results as XLSX; (the export, whether it is new).

    Side effects: one pending ResultsExport row and, on commit, one `jury.build_results_export`
    task; none when `by` has one waiting or being prepared already (a double click, a second
    tab), which is returned instead. PermissionDenied unless `by` leads the jury
    (`jury.lead`: the chair or the secretariat, by the jury's rules).
    """
    if not allowed(by, "jury.lead", edition):
        raise PermissionDenied(_("Only the chair and the secretariat export the results."))
    existing = ResultsExport.objects.in_progress().filter(edition=edition, requested_by=by)
    if found := existing.first():
        return found, False
    try:
        # The savepoint keeps the caller's transaction usable when the insert loses a race.
        with transaction.atomic():
            export = ResultsExport.objects.create(
                edition=edition, requested_by=by, language=language
            )
    except IntegrityError:
        # The other click committed first: one job, theirs (the unique constraint).
        return existing.get(), False
    transaction.on_commit(lambda: hand_to_worker(export.pk))
    return export, True


def hand_to_worker(export_id: int) -> bool:
    """Publish the build task; False (and an error in the log) if the broker is down. The
    row stays pending, so `catch_up_exports` hands it over once the broker is back."""
    from jury.tasks import build_results_export

    return hand_over(
        build_results_export, what=f"Results export {export_id}", logger=logger, export_id=export_id
    )


def claim(export_id: int) -> bool:
    """Take a pending export for building; False if another worker has it or it is done."""
    return bool(
        ResultsExport.objects.filter(pk=export_id, status=ResultsExport.Status.PENDING).update(
            status=ResultsExport.Status.RUNNING,
            started_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


def build_export(*, export_id: int) -> ResultsExport | None:
    """Build one pending export: the workbook the requester would have downloaded, their
    conflicts of interest left out, in the language they asked in.

    Side effects: the claim (pending → running), then the file in the private storage, the
    row ready and one e-mail to the requester through the outbox, in one transaction; or
    the row failed with the error (and no file) when building raised. None when there was
    nothing to claim (gone, taken by another worker, done): safe to run twice or at once.
    """
    if not claim(export_id):
        return None
    export = ResultsExport.objects.select_related("edition", "requested_by").get(pk=export_id)
    user, edition = export.requested_by, export.edition
    # This build's claim: should the sweep have given the export to another worker meanwhile
    # (a build slower than the time limit allows), this one records nothing.
    mine = ResultsExport.objects.filter(
        pk=export_id, status=ResultsExport.Status.RUNNING, started_at=export.started_at
    )
    try:
        if not allowed(user, "jury.lead", edition):
            # Asked for as the chair, since replaced: the file is not theirs to have any more.
            raise PermissionDenied("the requester no longer leads this jury")
        hidden = frozenset(selectors.conflicted_nominee_ids_of(user, edition))
        with translation.override(export.language):
            report = reports.load_results(edition, hidden=hidden)
            with reports.results_xlsx(report) as workbook:
                export.file.save(f"resultat-{edition.year}.xlsx", File(workbook), save=False)
    except Exception as exc:
        logger.exception("Results export %s failed", export_id)
        mine.update(
            status=ResultsExport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        if export.file:
            export.file.delete(save=False)
        export.refresh_from_db()
        return export
    with transaction.atomic():
        finished = mine.update(
            status=ResultsExport.Status.READY,
            file=export.file.name,
            left_out_nominee_ids=sorted(hidden),
            finished_at=timezone.now(),
            error="",
        )
        if finished:
            emails.send_results_export_ready(export)
    if not finished:
        export.file.delete(save=False)
    export.refresh_from_db()
    return export


def catch_up_exports(*, now: datetime | None = None) -> list[int]:
    """Hand over every export a worker should have built and did not: pending for over a
    minute (a broker down at its commit), or running for longer than a task may (its worker
    lost; acknowledged late, its message comes back but finds nothing to claim).

    Side effects: lost builds back to pending, or failed after MAX_ATTEMPTS; on commit one
    build task per pending export found. Returns the ids handed over. An extra task costs
    nothing: the claim lets one build.
    """
    now = now or timezone.now()
    with transaction.atomic():
        stuck = ResultsExport.objects.filter(
            status=ResultsExport.Status.RUNNING, started_at__lt=now - _stuck_after()
        )
        stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
            status=ResultsExport.Status.FAILED,
            error="The worker building it was lost too many times.",
            finished_at=now,
        )
        stuck.update(status=ResultsExport.Status.PENDING)
        ids = list(
            ResultsExport.objects.filter(
                status=ResultsExport.Status.PENDING, created_at__lt=now - HANDOVER_GRACE
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:100]
        )
        for export_id in ids:
            transaction.on_commit(partial(hand_to_worker, export_id))
    return ids
