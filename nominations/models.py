import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kvinnofrid.fields import optional_moment, optional_reference
from kvinnofrid.storage import private_storage
from kvinnofrid.translation import shown_in_active_language
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


class NamedReference(models.Model):
    """Reference data with a Swedish and an English name, in the order the secretariat sets:
    the prize's areas here, the jury's partners above."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.display_name

    display_name = shown_in_active_language("name")


class Area(NamedReference):
    """One of the prize's three fields of work (reference data)."""

    class Meta(NamedReference.Meta):
        verbose_name = _("area")
        verbose_name_plural = _("areas")


def organisation_number_field(verbose_name, **options) -> models.CharField:
    """An organisationsnummer as it is written, NNNNNN-NNNN: eleven characters."""
    return models.CharField(verbose_name, max_length=11, **options)


class Organisation(models.Model):
    """A legal body, one record across the years, known by its organisationsnummer."""

    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Government authority")
        MUNICIPALITY = "municipality", _("Municipality or municipal operation")
        REGION = "region", pgettext_lazy("kind of organisation", "Region")
        NON_PROFIT = "non_profit", _("Non-profit organisation")
        OTHER = "other", pgettext_lazy("kind of organisation", "Other")

    name = models.CharField(_("name"), max_length=200)
    organisation_number = organisation_number_field(
        _("organisation number"),
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


def default_reminder_days() -> list[int]:
    return [7, 2]


class EditionQuerySet(models.QuerySet):
    def current(self) -> "Edition | None":
        """The edition people are dealing with now: the earliest whose winner is not yet
        published (so next year's, once created, waits its turn); failing that, the latest."""
        in_progress = self.filter(
            Q(announcement__isnull=True) | Q(announcement__published_at__isnull=True)
        ).order_by("year")
        return in_progress.first() or self.order_by("-year").first()

    def for_the_call(self) -> "Edition | None":
        """The edition a would-be nominator is looking for: the one whose call is open, else
        the next to open, else the current one (whose call is over)."""
        now = timezone.now()
        open_now = self.filter(
            nominations_open_at__lte=now,
            nominations_close_at__gt=now,
            screening_completed_at__isnull=True,
        ).order_by("year")
        upcoming = self.filter(nominations_open_at__gt=now).order_by("nominations_open_at")
        return open_now.first() or upcoming.first() or self.current()


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
    nominations_open_at = optional_moment(_("nominations open"))
    nominations_close_at = optional_moment(_("nominations close"))
    scoring_deadline = optional_moment(_("jury scoring deadline"))
    # Set with the shortlist (or here, by the secretariat): no ballot is cast from then on.
    ballot_deadline = optional_moment(_("jury ballot deadline"))
    announcement_at = optional_moment(_("announcement"))
    # Set by the secretariat's actions; the rest of the phase follows from the dates.
    screening_completed_at = optional_moment(_("screening completed"), editable=False)
    screening_completed_by = optional_reference(
        settings.AUTH_USER_MODEL,
        editable=False,
        related_name="+",
        verbose_name=_("screening completed by"),
    )
    scoring_opened_at = optional_moment(_("scoring opened"), editable=False)
    decided_at = optional_moment(_("decided"), editable=False)
    # Days before the scoring deadline when jurors who have not finished get a reminder, and
    # before the ballot deadline when those who have not voted do.
    reminder_days = models.JSONField(
        _("reminders (days before the scoring and the ballot deadline)"),
        default=default_reminder_days,
        blank=True,
    )
    call_text = models.TextField(
        _("invitation to nominate (Swedish)"),
        blank=True,
        help_text=_("Shown on the call for nominations, above the button to nominate."),
    )
    call_text_en = models.TextField(_("invitation to nominate (English)"), blank=True)
    jurors_need_two_factor = models.BooleanField(
        _("jurors must sign in with two factors"),
        default=False,
        help_text=_(
            "The chair and the secretariat always do; tick this to require it of every juror."
        ),
    )
    # The last number handed out in this edition's KFP-<year>-NNNN series.
    last_reference_sequence = models.PositiveIntegerField(default=0, editable=False)

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

    call_text_display = shown_in_active_language("call_text")

    def accepts_nominations(self, moment=None) -> bool:
        return self.phase_at(moment or timezone.now()) == self.Phase.OPEN

    def ballot_closed(self, moment=None) -> bool:
        """The ballot deadline has passed (an edition without one never closes by time)."""
        return self.ballot_deadline is not None and (moment or timezone.now()) >= (
            self.ballot_deadline
        )

    conference_theme_display = shown_in_active_language("conference_theme")

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


class Nominee(models.Model):
    """Who is nominated in one edition. Several nominations of the same nominee, from
    different nominators, share one Nominee, so the jury sees one candidate."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="nominees", verbose_name=_("edition")
    )
    name = models.CharField(_("name"), max_length=300)
    # How the platform recognises the same nominee written differently (see services).
    match_key = models.CharField(max_length=400, editable=False)
    organisation = optional_reference(
        Organisation, related_name="nominees", verbose_name=_("organisation")
    )

    class Meta:
        verbose_name = _("nominee")
        verbose_name_plural = _("nominees")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "match_key"], name="nominee_unique_per_edition"
            )
        ]

    def __str__(self) -> str:
        return self.name


class NominationQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(status__in=[Nomination.Status.DRAFT, Nomination.Status.WITHDRAWN])

    def of(self, user):
        """A nominator's own nominations: the only ones they may ever see."""
        return self.filter(nominator=user)


class Nomination(models.Model):
    """One submission for one nominee by one nominator."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ELIGIBLE = "eligible", _("Eligible")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible")

    MOTIVATION_MAX_LENGTH = 4000
    SECTION_MAX_LENGTH = 3000
    # Free text that is scanned for personal identity numbers and masked for jurors.
    FREE_TEXT_FIELDS = ("motivation", "long_term_work", "collaboration", "results")
    NOMINEE_FIELDS = ("nominee_name", "nominee_kind", "nominee_organisation_number")
    # Who nominates: the same from one nomination to the next.
    NOMINATOR_DETAIL_FIELDS = (
        "nominator_organisation_name",
        "nominator_organisation_number",
        "contact_name",
        "contact_email",
        "contact_phone",
    )
    # What the nominator writes; everything else is the platform's or the secretariat's.
    NOMINATOR_FIELDS = (*NOMINEE_FIELDS, *FREE_TEXT_FIELDS, *NOMINATOR_DETAIL_FIELDS, "consent")

    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("edition")
    )
    nominator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="nominations",
        verbose_name=_("nominator"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    reference_number = models.CharField(
        _("reference number"), max_length=20, unique=True, null=True, blank=True, editable=False
    )

    # Who is nominated
    nominee_name = models.CharField(
        _("name of the nominated organisation, unit or team"), max_length=300, blank=True
    )
    nominee_kind = models.CharField(
        _("kind of operation"), max_length=20, choices=Organisation.Kind.choices, blank=True
    )
    nominee_organisation_number = organisation_number_field(
        _("the nominee's organisation number"),
        blank=True,
        help_text=_("The organisation the nominated unit belongs to, if you know it."),
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="nominations", verbose_name=_("municipalities")
    )
    areas = models.ManyToManyField(
        Area, blank=True, related_name="nominations", verbose_name=_("areas")
    )

    # Why
    motivation = models.TextField(_("motivation"), blank=True)
    long_term_work = models.TextField(_("long-term work"), blank=True)
    collaboration = models.TextField(_("collaboration with other actors"), blank=True)
    results = models.TextField(_("results"), blank=True)

    # Who nominates
    nominator_organisation_name = models.CharField(
        _("nominating organisation"), max_length=200, blank=True
    )
    nominator_organisation_number = organisation_number_field(_("organisation number"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    consent = models.BooleanField(_("consent to the processing of personal data"), default=False)

    # Set when the nomination is submitted
    nominee = optional_reference(Nominee, related_name="nominations", verbose_name=_("nominee"))
    nominator_organisation = optional_reference(
        Organisation, related_name="nominations_made", verbose_name=_("nominating organisation")
    )
    contains_personal_identity_number = models.BooleanField(
        _("contains a personal identity number"), default=False
    )
    # The receipt a commit left owing (services.Receipt), written in the same UPDATE as the
    # change, paid by the task after it or by the sweep if the broker was down.
    receipt_due = models.CharField(max_length=12, blank=True, default="", editable=False)
    receipt_due_at = optional_moment(editable=False)

    # Screening
    screening_reason = models.TextField(_("reason"), blank=True)
    screened_by = optional_reference(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("screened by")
    )
    screened_at = optional_moment(_("screened"))

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = optional_moment(_("submitted"))
    withdrawn_at = optional_moment(_("withdrawn"))
    # Gallring or an erasure on request removed the contact person, the free texts and the
    # attachments; the reference number, the nominee and the decisions stay (privacy/).
    personal_data_erased_at = optional_moment(_("personal data erased"), editable=False)

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reference_number__isnull=False),
                name="nomination_submitted_has_reference_number",
            ),
        ]

    def __str__(self) -> str:
        return self.reference_number or gettext("Draft: %(name)s") % {
            "name": self.nominee_name or "–"
        }

    def is_editable(self, moment=None) -> bool:
        """The nominator may still change it: a draft, a submission or a withdrawn one (which
        can be submitted again), before the deadline."""
        return self.status in {
            self.Status.DRAFT,
            self.Status.SUBMITTED,
            self.Status.WITHDRAWN,
        } and self.edition.accepts_nominations(moment)

    @property
    def awaits_submission(self) -> bool:
        """A draft, or a withdrawn nomination: the nominator's next step is to submit it."""
        return self.status in {self.Status.DRAFT, self.Status.WITHDRAWN}


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is ours; the nominator's file name is kept only as data.
    return f"nominations/{instance.nomination.edition.year}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to a nomination. Stored outside the web root; served only to those
    allowed to read the nomination."""

    MAX_SIZE = 10 * 1024 * 1024
    MAX_COUNT = 5

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Read after the upload commits (nominations.tasks): None until it has been read.
    contains_personal_identity_number = models.BooleanField(
        _("contains a personal identity number"), null=True, editable=False
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
