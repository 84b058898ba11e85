"""Where uploaded files live: the storage that attachments and photos name.

A callable rather than the storage itself, so that a migration records this function's
path, not the backend and bucket of the machine that made it (settings.py, "Files").
"""

from django.core.files.storage import Storage, storages

# Every file here is private: served only by a view that checks who asks, never by URL.
PRIVATE = "private"


def private_storage() -> Storage:
    return storages[PRIVATE]
