"""What publication does when the jury tells it something (see jury/signals.py)."""

from django.dispatch import receiver

from jury.signals import decision_recorded
from publication.services import create_draft_for_decision


@receiver(decision_recorded, dispatch_uid="publication.draft_the_announcement")
def draft_the_announcement(sender, decision, **kwargs):
    # In the decision's own transaction: no decision without its announcement's draft.
    create_draft_for_decision(decision)
