from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nominations.models import Edition, Organisation


class AnnouncementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def due(self, moment=None):
        """Ready, time reached, not yet published: a missed beat run is caught up later."""
        moment = moment or timezone.now()
        return self.filter(
            published_at__isnull=True,
            edition__announcement_at__lte=moment,
        ).exclude(citation="")


class Announcement(models.Model):
    """The winner of an edition and the jury's citation, published at the edition's time."""

    edition = models.OneToOneField(
        Edition, on_delete=models.PROTECT, related_name="announcement", verbose_name=_("edition")
    )
    winner_name = models.CharField(
        _("winner"), max_length=300, help_text=_("The organisation, unit or team that won.")
    )
    winner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("winner's organisation"),
    )
    citation = models.TextField(
        _("citation"), help_text=_("The jury's citation, in Swedish, as decided.")
    )
    citation_en = models.TextField(
        _("English translation of the citation"),
        blank=True,
        help_text=_("Shown beside the Swedish original and marked as a translation."),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-edition__year"]

    def __str__(self) -> str:
        return f"{self.edition}: {self.winner_name}"
