"""A test-only app for the worker that is killed mid-way through a publication.

Loaded by `tests.publication.pause.settings` in the worker process alone. While the file
named by PUBLICATION_PAUSE_FILE exists, the publication stops inside its transaction, after
the claim and before the notifications, and says so in the file `<name>.inside`.
"""

import os
import time
from pathlib import Path

from django.apps import AppConfig


class PauseConfig(AppConfig):
    name = "tests.publication.pause"
    label = "publication_pause"

    def ready(self):
        from publication import emails

        armed = Path(os.environ["PUBLICATION_PAUSE_FILE"])
        notify = emails.notify_publication

        def paused_notify(announcement):
            if armed.exists():
                armed.with_suffix(".inside").touch()
                time.sleep(120)
            return notify(announcement)

        emails.notify_publication = paused_notify
