import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kvinnofrid.fields import optional_moment, optional_reference
from kvinnofrid.storage import private_storage
from kvinnofrid.translation import shown_in_active_language
from nominations.models import Edition, Organisation


class AnnouncementQuerySet(models.QuerySet):
    def published(self):
        """What the public may see. Every public reader (pages, feed, sitemap) starts here."""
        return self.filter(published_at__isnull=False)

    def due(self, moment=None):
        """Approved and scheduled, time reached, not yet published: a missed beat run is
        caught up by the next one."""
        moment = moment or timezone.now()
        return self.filter(published_at__isnull=True, scheduled_at__lte=moment)


def photo_path(instance: "Announcement", filename: str) -> str:
    # The stored name is ours, and unguessable: the photo is embargoed with the winner.
    return f"announcements/{uuid.uuid4().hex}"


class Announcement(models.Model):
    """The winner of an edition and the jury's citation, published at the edition's time.

    Created as a draft when the jury's decision is recorded; the winner and the honourable
    mentions come from that decision. The 2023 entry of the archive predates the platform and
    has no decision.
    """

    edition = models.OneToOneField(
        Edition, on_delete=models.PROTECT, related_name="announcement", verbose_name=_("edition")
    )
    decision = models.OneToOneField(
        "jury.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcement",
        verbose_name=_("the jury's decision"),
    )
    # Copied from the decision when the draft is made, so the archive reads without the jury.
    winner_name = models.CharField(
        _("winner"), max_length=300, help_text=_("The organisation, unit or team that won.")
    )
    winner_organisation = optional_reference(
        Organisation, related_name="announcements", verbose_name=_("winner's organisation")
    )
    lead = models.TextField(
        _("lead"), blank=True, help_text=_("One or two sentences under the heading.")
    )
    lead_en = models.TextField(_("lead (English)"), blank=True)
    press_release = models.TextField(
        _("press release"), blank=True, help_text=_("The text of the winner's page (Markdown).")
    )
    press_release_en = models.TextField(_("press release (English)"), blank=True)
    citation = models.TextField(
        _("citation"), help_text=_("The jury's citation, in Swedish, as decided (Markdown).")
    )
    citation_en = models.TextField(
        _("English translation of the citation"),
        blank=True,
        help_text=_("Shown beside the Swedish original and marked as a translation."),
    )
    photo = models.ImageField(_("photo"), upload_to=photo_path, storage=private_storage, blank=True)
    photo_alt = models.CharField(_("photo description (alt text)"), max_length=300, blank=True)
    photo_alt_en = models.CharField(
        _("photo description (alt text, English)"), max_length=300, blank=True
    )
    # Bumped by every edit; an approval is of one version, so an edit withdraws it.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Set once both approvals are in; cleared by an edit. Beat publishes what is due.
    scheduled_at = optional_moment(_("scheduled"), editable=False)
    published_at = optional_moment(_("published"), editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-edition__year"]
        permissions = [
            ("manage_announcement", _("Can write, approve and schedule announcements")),
        ]

    def __str__(self) -> str:
        return f"{self.edition}: {self.winner_name}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    lead_display = shown_in_active_language("lead")

    press_release_display = shown_in_active_language("press_release")

    photo_alt_display = shown_in_active_language("photo_alt")


class AnnouncementEvent(models.Model):
    """One step of an announcement's way to publication: who did what, when. Append-only:
    the history is what the announcement's page shows."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Draft created from the jury's decision")
        EDITED = "edited", _("Edited")
        APPROVED = "approved", _("Approved")
        APPROVALS_WITHDRAWN = "approvals_withdrawn", _("Approvals withdrawn by an edit")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISH_NOW = "publish_now", _("Publication now requested")
        # Said of the announcement: neuter in Swedish, like the steps before it.
        PUBLISHED = "published", pgettext_lazy("announcement step", "Published")

    class Role(models.TextChoices):
        CHAIR = "chair", _("the jury's chair")
        SECRETARIAT = "secretariat", _("the secretariat")

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=30, choices=Kind.choices)
    role = models.CharField(_("as"), max_length=20, choices=Role.choices, blank=True)
    version = models.PositiveIntegerField(_("version"))
    by = optional_reference(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    # For a schedule: the time it was set to.
    scheduled_for = optional_moment(_("scheduled for"))

    class Meta:
        verbose_name = _("announcement step")
        verbose_name_plural = _("announcement steps")
        ordering = ["at", "pk"]
        constraints = [
            # One approval per role and version, and one person cannot be both approvers.
            models.UniqueConstraint(
                fields=["announcement", "version", "role"],
                condition=Q(kind="approved"),
                name="announcement_one_approval_per_role",
            ),
            models.UniqueConstraint(
                fields=["announcement", "version", "by"],
                condition=Q(kind="approved"),
                name="announcement_two_different_approvers",
            ),
            models.UniqueConstraint(
                fields=["announcement"],
                condition=Q(kind="published"),
                name="announcement_published_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.announcement}: {self.get_kind_display()}"
