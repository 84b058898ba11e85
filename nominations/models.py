from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvinnofrid.translation import in_active_language
from nominations.validators import validate_organisation_number


class Municipality(models.Model):
    """One of the 26 municipalities of Stockholms län (reference data)."""

    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """One of the prize's three fields of work (reference data)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_active_language(self.name, self.name_en)


class Organisation(models.Model):
    """A legal body, one record across the years, known by its organisationsnummer."""

    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Government authority")
        MUNICIPALITY = "municipality", _("Municipality or municipal operation")
        REGION = "region", _("Region")
        NON_PROFIT = "non_profit", _("Non-profit organisation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        unique=True,
        validators=[validate_organisation_number],
        help_text=_("Ten digits, NNNNNN-NNNN."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation_number})"


class EditionQuerySet(models.QuerySet):
    def current(self) -> "Edition | None":
        """The edition people are dealing with now: the latest year that is not archived."""
        return self.order_by("-year").first()


class Edition(models.Model):
    """One year's round of the prize: call, screening, jury, decision, announcement."""

    class Phase(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        OPEN = "open", _("Open for nominations")
        SCREENING = "screening", _("Screening")
        JURY = "jury", _("Jury")
        DECIDED = "decided", _("Decided")
        PUBLISHED = "published", _("Published")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    ordinal = models.PositiveSmallIntegerField(
        _("ordinal"),
        unique=True,
        help_text=_("How many times the prize has been given, this edition included."),
    )
    conference_date = models.DateField(_("conference date"), null=True, blank=True)
    conference_theme = models.CharField(_("conference theme (Swedish)"), max_length=300, blank=True)
    conference_theme_en = models.CharField(
        _("conference theme (English)"), max_length=300, blank=True
    )
    nominations_open_at = models.DateTimeField(_("nominations open"), null=True, blank=True)
    nominations_close_at = models.DateTimeField(_("nominations close"), null=True, blank=True)
    scoring_deadline = models.DateTimeField(_("jury scoring deadline"), null=True, blank=True)
    announcement_at = models.DateTimeField(_("announcement"), null=True, blank=True)
    # Set by the secretariat's actions; the rest of the phase follows from the dates.
    screening_completed_at = models.DateTimeField(
        _("screening completed"), null=True, blank=True, editable=False
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nominations_close_at__gt=F("nominations_open_at"))
                | Q(nominations_open_at__isnull=True)
                | Q(nominations_close_at__isnull=True),
                name="edition_window_closes_after_opening",
                violation_error_message=_("Nominations must close after they open."),
            ),
            models.CheckConstraint(
                condition=Q(scoring_deadline__gt=F("nominations_close_at"))
                | Q(scoring_deadline__isnull=True)
                | Q(nominations_close_at__isnull=True),
                name="edition_scoring_after_nominations",
                violation_error_message=_(
                    "The jury's scoring deadline must come after nominations close."
                ),
            ),
            models.CheckConstraint(condition=Q(ordinal__gte=1), name="edition_ordinal_positive"),
        ]

    def __str__(self) -> str:
        return f"Kvinnofridspriset {self.year}"

    @property
    def conference_theme_display(self) -> str:
        return in_active_language(self.conference_theme, self.conference_theme_en)

    def phase_at(self, moment) -> "Edition.Phase":
        announcement = getattr(self, "announcement", None)
        if announcement is not None and announcement.published_at is not None:
            return self.Phase.PUBLISHED
        if self.decided_at is not None:
            return self.Phase.DECIDED
        if self.screening_completed_at is not None:
            return self.Phase.JURY
        if self.nominations_open_at is None or moment < self.nominations_open_at:
            return self.Phase.UPCOMING
        if self.nominations_close_at is None or moment < self.nominations_close_at:
            return self.Phase.OPEN
        return self.Phase.SCREENING

    @property
    def phase(self) -> "Edition.Phase":
        return self.phase_at(timezone.now())
