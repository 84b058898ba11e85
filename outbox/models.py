from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kvinnofrid.fields import optional_moment


class OutboxMessageQuerySet(models.QuerySet):
    def stuck(self, *, sending_before, queued_before):
        """Messages a lost task left behind: claimed long ago, or queued and never picked up."""
        return self.filter(
            models.Q(status=OutboxMessage.Status.SENDING, claimed_at__lt=sending_before)
            | models.Q(
                status=OutboxMessage.Status.QUEUED,
                next_attempt_at__lt=queued_before,
            )
        )


class OutboxMessage(models.Model):
    """One e-mail the platform sends, from the moment it is decided until it is delivered."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", pgettext_lazy("e-mail status", "Sent")
        FAILED = "failed", _("Failed")

    recipient = models.EmailField(_("recipient"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    template = models.CharField(
        _("template"), max_length=100, help_text=_("Name under templates/emails/.")
    )
    context = models.JSONField(_("context"), default=dict, blank=True)
    # Extra mail headers, e.g. List-Unsubscribe on news to subscribers.
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        help_text=_("The same key never sends twice."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = optional_moment(_("next attempt"))
    claimed_at = optional_moment(_("claimed"))
    sent_at = optional_moment(_("sent"))

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.template} → {self.recipient} ({self.get_status_display()})"
