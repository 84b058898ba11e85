from celery import shared_task

from jury.services import reminders


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
