"""The audit log: who did what to which record, when. Append-only and hash-chained.

See README.md for the chain and how it is verified.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvinnofrid.records import AppendOnly, AppendOnlyQuerySet


class Action(models.TextChoices):
    """The registry of recordable actions.

    A value is stored in every entry for ever: never rename, reuse or remove one. An action
    that is no longer recorded stays here, so that old entries keep their meaning.
    """

    STAFF_SIGNED_IN = "staff.signed_in", _("Secretariat member signed in")
    NOMINATION_OPENED = "screening.nomination_opened", _("Nomination opened for screening")
    NOMINATION_SCREENED = "screening.decided", _("Screening decision recorded")
    SCREENING_COMPLETED = "screening.completed", _("Screening completed")
    SCREENING_EXPORTED = "screening.exported", _("Nominations exported")
    NOMINATION_PDF_DOWNLOADED = "screening.pdf_downloaded", _("Nomination downloaded as PDF")
    ATTACHMENT_DOWNLOADED = "screening.attachment_downloaded", _("Attachment downloaded")
    NOMINEE_OPENED = "jury.nominee_opened", _("Nominee opened by a juror")
    SCORES_SAVED = "jury.scores_saved", _("Scores saved")
    SCORES_SUBMITTED = "jury.scores_submitted", _("Scores submitted")
    SCORES_REOPENED = "jury.scores_reopened", _("Scores reopened")
    RESULTS_EXPORTED = "jury.results_exported", _("Jury results exported")
    PROTOCOL_DOWNLOADED = "jury.protocol_downloaded", _("Jury protocol downloaded")
    SHORTLIST_SET = "jury.shortlist_set", _("Shortlist set")
    BALLOT_CAST = "jury.ballot_cast", _("Ballot cast")
    DECISION_RECORDED = "jury.decision_recorded", _("Jury decision recorded")
    CONFLICT_DECLARED = "jury.conflict_declared", _("Conflict of interest declared")
    CONFLICT_RULED = "jury.conflict_ruled", _("Ruling on a conflict of interest")
    GALLRING_RUN = "privacy.gallring", _("Personal data erased by the retention rules")
    REGISTER_EXTRACT = "privacy.register_extract", _("Register extract produced")
    PERSONAL_DATA_ERASED = "privacy.erased", _("Personal data erased on request")


class AuditEntry(AppendOnly):
    """One recorded action. Written only by `audit.services.record`, never changed."""

    CHANGE_REFUSED = "Audit entries cannot be changed."
    DELETION_REFUSED = "Audit entries cannot be deleted."

    position = models.PositiveBigIntegerField(_("position"), unique=True, editable=False)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No database constraint and no cascade: the entry outlives the person it names.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor (as recorded)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=64, choices=Action.choices, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target (as recorded)"), max_length=200, blank=True)
    edition_year = models.PositiveIntegerField(_("edition"), null=True, blank=True, db_index=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    digest = models.CharField(_("digest"), max_length=64, editable=False)
    chain_hash = models.CharField(_("chain hash"), max_length=64, editable=False)

    # The database trigger refuses changes too; refusing here says why before SQL is sent.
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-position"]
        # Nobody adds, changes or deletes entries, so no such permissions exist.
        default_permissions = ()
        permissions = [("view_audit_log", _("Can view the audit log"))]

    def __str__(self) -> str:
        return f"#{self.position} {self.action}"


class ChainHead(models.Model):
    """The single row that anchors the chain: how many entries, and the last chain hash.

    Every writer locks this row, so entries are chained one after another. The count makes
    a cut-off tail visible: deleting the last entries leaves the head pointing past them.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    count = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.count}: {self.head_hash}"
