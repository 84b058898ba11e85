"""Rows that are a record: written once, never changed or deleted (the audit log, the
history of a conflict of interest). The history is what the protocol prints."""

from typing import ClassVar

from django.db import models


class AppendOnlyError(ValueError):
    """A row of a record was to be changed or deleted: the record only grows."""


class AppendOnlyQuerySet(models.QuerySet):
    # No bulk change or deletion either.
    def update(self, **kwargs):
        raise AppendOnlyError(self.model.CHANGE_REFUSED)

    def delete(self):
        raise AppendOnlyError(self.model.DELETION_REFUSED)


class AppendOnly(models.Model):
    """A row of a record; the subclass says in its own words why a change or a deletion is
    refused."""

    CHANGE_REFUSED: ClassVar[str]
    DELETION_REFUSED: ClassVar[str]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A row with a primary key has been written (or would overwrite one that has).
        if self.pk is not None:
            raise AppendOnlyError(self.CHANGE_REFUSED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(self.DELETION_REFUSED)
