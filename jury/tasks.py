from celery import shared_task

from jury.services import reminders, results_exports


@shared_task(name="jury.send_reminders")
def send_reminders() -> int:
    """Beat runs this every 15 minutes: queue the scoring reminders that are due.

    Side effects: see `jury.services.reminders.send_due_reminders`. Safe to run twice and
    at the same time: each reminder is claimed before it is queued.
    """
    return reminders.send_due_reminders()


@shared_task(name="jury.send_ballot_reminders")
def send_ballot_reminders() -> int:
    """Beat runs this every 15 minutes: queue the "the ballot deadline nears" reminders due.

    Side effects: see `jury.services.reminders.send_due_ballot_reminders`. Safe to run twice
    and at the same time: each reminder is claimed before it is queued.
    """
    return reminders.send_due_ballot_reminders()


# Acknowledged late: a worker that dies mid-way hands the message back; the claim on the row
# lets a redelivered message (or a second worker) find nothing to build.
@shared_task(name="jury.build_results_export", acks_late=True, reject_on_worker_lost=True)
def build_results_export(*, export_id: int) -> str:
    """Build one results workbook the chair or the secretariat asked for.

    Side effects: see `jury.services.results_exports.build_export`. Safe to run twice.
    """
    export = results_exports.build_export(export_id=export_id)
    return export.status if export else "skipped"


@shared_task(name="jury.catch_up_results_exports")
def catch_up_results_exports() -> int:
    """Beat runs this every minute: the results exports no worker took, or a lost one left."""
    return len(results_exports.catch_up_exports())
