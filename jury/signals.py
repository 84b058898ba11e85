"""What the jury tells the apps above it, without importing them (see ARCHITECTURE.md).

`decision_recorded` is sent inside the transaction that records the decision, so that a
receiver's writes (publication's announcement draft) commit or roll back with it.
"""

from django.dispatch import Signal

# Sent with `decision` (a jury.models.Decision).
decision_recorded = Signal()
