from celery import shared_task

from privacy import services


@shared_task(name="privacy.gallring")
def gallring() -> dict[str, int]:
    """Beat runs this daily: every retention rule, once.

    Side effects: see `privacy.services.run_gallring`. Idempotent: a second run the same
    day erases nothing more; two at once queue on the audit log's chain head.
    """
    return services.run_gallring()
