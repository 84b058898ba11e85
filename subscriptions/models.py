from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from kvinnofrid.fields import optional_moment


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_since_before(self, cutoff):
        """Never confirmed, and subscribed before `cutoff`: their link has expired."""
        return self.filter(confirmed_at__isnull=True, created_at__lt=cutoff)

    def with_email(self, email: str):
        # Addresses are compared without regard to case, as the unique constraint does.
        return self.filter(email__iexact=email.strip())


class Subscriber(models.Model):
    """Someone who asked for news about the prize. Only the address and the language are
    kept; unsubscribing deletes the row."""

    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    confirmed_at = optional_moment(_("confirmed"))
    created_at = models.DateTimeField(_("subscribed"), auto_now_add=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscriber_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.email


class News(models.Model):
    """One piece of news for every subscriber (a call opening, a deadline, a winner).

    The row is the claim: its unique constraint makes a second attempt to send the same
    news (a second beat run, a repeated call from publication) find it and stop.
    """

    kind = models.CharField(_("kind"), max_length=50)
    edition = models.ForeignKey(
        "nominations.Edition",
        on_delete=models.CASCADE,
        related_name="news",
        verbose_name=_("edition"),
    )
    # Days before the deadline, for deadline news; 0 for the rest.
    offset_days = models.PositiveSmallIntegerField(_("days before the deadline"), default=0)
    template = models.CharField(_("template"), max_length=100, blank=True)
    context = models.JSONField(_("context"), default=dict, blank=True)
    # False when a nearer deadline made this one moot: recorded as done, nothing sent.
    fanned_out = models.BooleanField(_("sent to subscribers"), default=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("news")
        verbose_name_plural = _("news")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "edition", "offset_days"], name="news_once_per_edition"
            ),
        ]

    def __str__(self) -> str:
        return self.key_kind

    @property
    def key_kind(self) -> str:
        """The kind as it appears in the outbox's idempotency keys."""
        return f"{self.kind}-{self.offset_days}d" if self.offset_days else self.kind
