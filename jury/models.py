from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kvinnofrid.fields import optional_moment, optional_reference
from kvinnofrid.records import AppendOnly, AppendOnlyQuerySet
from kvinnofrid.storage import private_storage
from kvinnofrid.translation import in_active_language, shown_in_active_language
from nominations.models import NamedReference


class Partner(NamedReference):
    """One of Operation Kvinnofrid's seven authorities (reference data); jurors represent one."""

    name = models.CharField(_("name (Swedish)"), max_length=200, unique=True)

    class Meta(NamedReference.Meta):
        verbose_name = _("partner")
        verbose_name_plural = _("partners")


# Jurors in a list: the chair first, then the members, each by name. The roles are ordered
# explicitly, not by the alphabetical order of their codes (which only happens to agree).
JUROR_ORDER = (
    models.Case(models.When(role="chair", then=models.Value(0)), default=models.Value(1)).asc(),
    "user__last_name",
    "user__first_name",
    "pk",
)


class JurorQuerySet(models.QuerySet):
    def in_role_order(self):
        """The chair first, then the members, each by name (`JUROR_ORDER`), whatever the
        edition: the model's default order is the same within each edition."""
        return self.order_by(*JUROR_ORDER)

    def locked(self, *related: str):
        """For update, with `related` read alongside. Only the juror rows are locked: the
        edition is every juror's, and a nullable relation (the organisation) is an outer
        join, which PostgreSQL will not lock."""
        return self.select_for_update(of=("self",)).select_related(*related)


class Juror(models.Model):
    """A member of one edition's jury."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")

    edition = models.ForeignKey(
        "nominations.Edition", on_delete=models.CASCADE, related_name="jurors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juror_roles"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    partner = optional_reference(Partner, related_name="jurors", verbose_name=_("represents"))
    # The organisation the juror works for, to propose conflicts of interest.
    organisation = optional_reference(
        "nominations.Organisation", related_name="jurors", verbose_name=_("organisation")
    )
    invited_at = optional_moment(_("invited"))
    joined_at = optional_moment(_("joined"))
    # Set when the juror submits their scores; the chair may reopen them.
    scores_submitted_at = optional_moment(_("scores submitted"))

    objects = JurorQuerySet.as_manager()

    class Meta:
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        ordering = ["edition", *JUROR_ORDER]
        # The secretariat's named permission: it runs every edition's jury (set-up, the
        # chair's conflicts, a decision the chair may not record) without being on it. The
        # jury's own roles (chair, member) come from Juror rows, never from a permission.
        permissions = [("manage_jury", _("Can run the jury (the secretariat)"))]
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="juror_once_per_edition"),
            models.UniqueConstraint(
                fields=["edition"], condition=Q(role="chair"), name="juror_one_chair_per_edition"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.edition.year})"

    @property
    def is_chair(self) -> bool:
        return self.role == self.Role.CHAIR


class Criterion(models.Model):
    """What the jury scores, with a weight and a scale whose steps have labels."""

    edition = models.ForeignKey(
        "nominations.Edition", on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name (Swedish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    # One label per step, lowest first, e.g. ["Svagt", "Godtagbart", ...].
    scale_labels = models.JSONField(_("step labels (Swedish)"), default=list, blank=True)
    scale_labels_en = models.JSONField(_("step labels (English)"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["edition", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="criterion_unique_name"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="criterion_scale_ascending"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    display_name = shown_in_active_language("name")

    display_description = shown_in_active_language("description")

    def steps(self) -> list[tuple[int, str]]:
        """(value, label) for each step of the scale, in the active language."""
        labels = in_active_language(self.scale_labels, self.scale_labels_en)
        values = range(self.scale_min, self.scale_max + 1)
        return [(v, labels[i] if i < len(labels) else "") for i, v in enumerate(values)]


class Assignment(models.Model):
    """A juror is to score a nominee. By default every juror scores every eligible nominee."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="assignments")
    nominee = models.ForeignKey(
        "nominations.Nominee", on_delete=models.CASCADE, related_name="assignments"
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["juror", "nominee"], name="assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} → {self.nominee}"


class ConflictDeclarationQuerySet(models.QuerySet):
    def effective(self):
        """Conflicts that keep a juror away: declared and not dismissed by a ruling.

        A conflict awaiting its ruling already counts: better to wait than to have judged. So
        does one whose withdrawal the juror has asked for: only a ruling withdraws it.
        """
        return self.filter(conflicted=True).exclude(ruling=ConflictDeclaration.Ruling.DISMISSED)


class ConflictDeclaration(models.Model):
    """A juror's answer, for one nominee, to "are you conflicted (jäv)?", and its ruling.

    The row holds the current state, which `effective()` reads; every change to it is also
    written as a ConflictEvent, which nothing changes or deletes: the history the protocol
    prints. Once declared, a conflict is never undeclared: the juror may ask for its
    withdrawal, and a ruling decides.
    """

    class Ruling(models.TextChoices):
        PENDING = "pending", _("Awaiting ruling")
        UPHELD = "upheld", _("Conflict of interest")
        DISMISSED = "dismissed", _("No conflict of interest")

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="conflicts")
    nominee = models.ForeignKey(
        "nominations.Nominee", on_delete=models.CASCADE, related_name="conflicts"
    )
    conflicted = models.BooleanField(_("conflicted"))
    reason = models.TextField(pgettext_lazy("conflict of interest", "reason"), blank=True)
    # The platform proposed it (same organisation as the nominee or the nominator).
    proposed = models.BooleanField(_("proposed by the platform"), default=False)
    declared_at = models.DateTimeField(_("declared"), default=timezone.now)
    ruling = models.CharField(
        _("ruling"), max_length=10, choices=Ruling.choices, default=Ruling.PENDING
    )
    ruling_reason = models.TextField(_("reason for the ruling"), blank=True)
    ruled_by = optional_reference(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("ruled by")
    )
    ruled_at = optional_moment(_("ruled"))
    # The juror asked to withdraw the conflict; cleared by the next ruling.
    withdrawal_requested_at = optional_moment(_("withdrawal requested"))
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    objects = ConflictDeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        constraints = [
            models.UniqueConstraint(fields=["juror", "nominee"], name="conflict_declared_once"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} / {self.nominee}: {self.get_ruling_display()}"


class ConflictEvent(AppendOnly):
    """One step in the history of a declaration: who did what, when and why. Append-only."""

    CHANGE_REFUSED = "Conflict of interest events are a record: they are never changed."
    DELETION_REFUSED = "Conflict of interest events are a record: they are never deleted."

    class Kind(models.TextChoices):
        DECLARED = "declared", _("Declared a conflict of interest")
        NO_CONFLICT = "no_conflict", _("Declared no conflict of interest")
        AMENDED = "amended", _("Changed the reason")
        WITHDRAWAL_REQUESTED = "withdrawal_requested", _("Withdrawal requested")
        UPHELD = "upheld", pgettext_lazy("conflict of interest ruling", "Upheld")
        DISMISSED = "dismissed", pgettext_lazy("conflict of interest ruling", "Dismissed")

    declaration = models.ForeignKey(
        ConflictDeclaration, on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices)
    reason = models.TextField(pgettext_lazy("conflict of interest", "reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict of interest event")
        verbose_name_plural = _("conflict of interest events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.declaration}: {self.get_kind_display()}"


class Score(models.Model):
    """A juror's value for one criterion of one nominee."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="scores")
    nominee = models.ForeignKey(
        "nominations.Nominee", on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "nominee", "criterion"], name="score_once_per_criterion"
            ),
            # The criterion's own scale is checked by the service; no scale goes past 10.
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=10), name="score_value_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror} / {self.nominee} / {self.criterion}: {self.value}"


class ScoringNote(models.Model):
    """A juror's private notes on a nominee: seen by nobody else."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="notes")
    nominee = models.ForeignKey("nominations.Nominee", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("private notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["juror", "nominee"], name="note_once"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} / {self.nominee}"


class ScoreVersion(models.Model):
    """How many times a juror's scores on one nominee have changed: the scoring form carries
    the number it was drawn from, and a save from an older form is refused (a stale tab)."""

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="+")
    nominee = models.ForeignKey("nominations.Nominee", on_delete=models.CASCADE, related_name="+")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["juror", "nominee"], name="score_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} / {self.nominee}: {self.version}"


class ReminderSent(models.Model):
    """One reminder, sent to one juror at one offset before a deadline: the scoring's or
    the ballot's. Its unique constraint is the claim: whoever creates the row sends."""

    class Kind(models.TextChoices):
        SCORING = "scoring", _("Scoring")
        BALLOT = "ballot", _("Ballot")

    juror = models.ForeignKey(Juror, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SCORING)
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["juror", "kind", "days_before"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.juror}: {self.kind} {self.days_before}"


class ShortlistEntry(models.Model):
    """A nominee in the final round (slutkandidat)."""

    edition = models.ForeignKey(
        "nominations.Edition", on_delete=models.CASCADE, related_name="shortlist"
    )
    nominee = models.ForeignKey(
        "nominations.Nominee", on_delete=models.CASCADE, related_name="shortlist_entries"
    )

    class Meta:
        verbose_name = _("shortlisted nominee")
        verbose_name_plural = _("shortlist")
        constraints = [
            models.UniqueConstraint(fields=["edition", "nominee"], name="shortlisted_once"),
        ]

    def __str__(self) -> str:
        return str(self.nominee)


class Ballot(models.Model):
    """A juror's ranking of the shortlist: nominee ids in groups, best first."""

    juror = models.OneToOneField(Juror, on_delete=models.CASCADE, related_name="ballot")
    ranking = models.JSONField(_("ranking"), default=list)
    submitted_at = optional_moment(_("submitted"))

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(self.juror)


class Decision(models.Model):
    """The jury's decision: the winner, honourable mentions and the minutes."""

    class RecordedAs(models.TextChoices):
        CHAIR = "chair", _("the chair")
        # The chair has a conflict of interest on a shortlisted nominee (see jury/README.md).
        SECRETARIAT = "secretariat", _("the secretariat")

    edition = models.OneToOneField(
        "nominations.Edition", on_delete=models.PROTECT, related_name="decision"
    )
    winner = models.ForeignKey(
        "nominations.Nominee", on_delete=models.PROTECT, related_name="+", verbose_name=_("winner")
    )
    honourable_mentions = models.ManyToManyField(
        "nominations.Nominee", blank=True, related_name="+", verbose_name=_("honourable mentions")
    )
    minutes = models.TextField(_("minutes"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    recorded_as = models.CharField(
        _("recorded by"), max_length=12, choices=RecordedAs.choices, default=RecordedAs.CHAIR
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.edition}: {self.winner}"


class ResultsExportQuerySet(models.QuerySet):
    def in_progress(self):
        return self.filter(status__in=[ResultsExport.Status.PENDING, ResultsExport.Status.RUNNING])


class ResultsExport(models.Model):
    """The results as an Excel workbook, asked for by the chair or the secretariat and built
    by a worker (`services.results_exports`): too slow for a request at 2,000 nominees.

    The file holds every score and comment: only the person who asked downloads it, and
    gallring deletes it (and the row) after RETENTION_RESULTS_EXPORT_DAYS."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be prepared")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    edition = models.ForeignKey(
        "nominations.Edition", on_delete=models.CASCADE, related_name="results_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="results_exports",
        verbose_name=_("asked for by"),
    )
    # The headers and yes/no cells are written in the language the request was made in.
    language = models.CharField(max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(
        storage=private_storage, upload_to="exports/results/", blank=True, max_length=300
    )
    # The nominees the requester had a conflict of interest on when the file was built, and
    # which it therefore leaves out: a later conflict makes the file unfit to download.
    left_out_nominee_ids = models.JSONField(default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked for"), default=timezone.now)
    started_at = optional_moment()
    finished_at = optional_moment(_("finished"))

    objects = ResultsExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("results export")
        verbose_name_plural = _("results exports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A double click, or two tabs, make one job: the second request finds this one.
            models.UniqueConstraint(
                fields=["edition", "requested_by"],
                condition=Q(status__in=["pending", "running"]),
                name="results_export_one_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} / {self.requested_by}: {self.status}"

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.RUNNING}
