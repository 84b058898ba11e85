"""Model field declarations several apps repeat, named for what they say."""

from django.db import models


def optional_reference(to, *, related_name: str, verbose_name, **options) -> models.ForeignKey:
    """A reference a row may lack (a juror's organisation, who ruled on a conflict), whose
    target cannot be deleted while a row names it: the record keeps what it referred to."""
    return models.ForeignKey(
        to,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def optional_moment(verbose_name=None, **options) -> models.DateTimeField:
    """A moment that may not have happened yet (a deadline not yet set, a step not yet taken):
    empty until it is known, and a form may leave it so."""
    return models.DateTimeField(verbose_name, null=True, blank=True, **options)
