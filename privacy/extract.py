"""The register extract (registerutdrag, GDPR art. 15): what the platform holds about one
e-mail address, as JSON and as a readable PDF.

`SECTIONS` names, per model, how its rows about the person are found and which fields are
shown; `NOT_EXTRACTED` names every other model and why it holds nothing about a person (or
why what it holds is shown elsewhere). A test fails for a model in neither, so a new model
with personal data cannot be forgotten here. Reads only.
"""

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from accounts.models import SignInToken, User
from audit.models import AuditEntry
from jury.models import (
    Ballot,
    ConflictDeclaration,
    ConflictEvent,
    Decision,
    Juror,
    ResultsExport,
    Score,
    ScoringNote,
)
from nominations.models import Attachment, Nomination
from outbox.models import OutboxMessage
from publication.models import AnnouncementEvent
from subscriptions.models import Subscriber


@dataclass(frozen=True)
class Person:
    email: str
    user: User | None


@dataclass(frozen=True)
class Section:
    key: str
    model: type[models.Model]
    title: Promise
    rows: Callable[[Person], models.QuerySet]
    fields: tuple[str, ...]


def _none(model):
    return model.objects.none()


def _by_user(model, lookup: str = "user"):
    def rows(person: Person):
        return model.objects.filter(**{lookup: person.user}) if person.user else _none(model)

    return rows


def _nominations(person: Person):
    mine = Q(contact_email__iexact=person.email)
    if person.user:
        mine |= Q(nominator=person.user)
    return Nomination.objects.filter(mine)


def _audit(person: Person):
    if not person.user:
        return _none(AuditEntry)
    user = person.user
    juror_ids = [str(pk) for pk in user.juror_roles.values_list("pk", flat=True)]
    return AuditEntry.objects.filter(
        Q(actor_id=user.pk)
        | Q(target_type="kvinnofrid.user", target_id=str(user.pk))
        | Q(target_type="jury.juror", target_id__in=juror_ids)
    ).order_by("position")


def _axes(model):
    return lambda person: model.objects.filter(username__iexact=person.email)


SECTIONS = (
    Section(
        "account",
        User,
        gettext_lazy("Account"),
        lambda p: User.objects.filter(pk=p.user.pk) if p.user else _none(User),
        ("email", "first_name", "last_name", "language", "is_staff", "date_joined", "last_login"),
    ),
    Section(
        "nominations",
        Nomination,
        gettext_lazy("Nominations you made or are the contact person of"),
        _nominations,
        (
            "reference_number",
            "status",
            "edition__year",
            "nominee_name",
            *Nomination.FREE_TEXT_FIELDS,
            *Nomination.NOMINATOR_DETAIL_FIELDS,
            "consent",
            "screening_reason",
            "created_at",
            "submitted_at",
            "withdrawn_at",
            "personal_data_erased_at",
        ),
    ),
    Section(
        "attachments",
        Attachment,
        gettext_lazy("Attachments to those nominations"),
        lambda p: Attachment.objects.filter(nomination__in=_nominations(p)),
        ("nomination__reference_number", "original_name", "content_type", "size", "uploaded_at"),
    ),
    Section(
        "jury_roles",
        Juror,
        gettext_lazy("Jury roles"),
        _by_user(Juror),
        ("edition__year", "role", "partner__name", "organisation__name", "invited_at"),
    ),
    Section(
        "scores",
        Score,
        gettext_lazy("Scores and comments you wrote as a juror"),
        _by_user(Score, "juror__user"),
        ("juror__edition__year", "nominee__name", "criterion__name", "value", "comment"),
    ),
    Section(
        "notes",
        ScoringNote,
        gettext_lazy("Your private notes as a juror"),
        _by_user(ScoringNote, "juror__user"),
        ("juror__edition__year", "nominee__name", "text", "updated_at"),
    ),
    Section(
        "conflicts",
        ConflictDeclaration,
        gettext_lazy("Conflicts of interest you declared"),
        _by_user(ConflictDeclaration, "juror__user"),
        ("nominee__name", "conflicted", "reason", "ruling", "ruling_reason", "declared_at"),
    ),
    Section(
        "conflict_events",
        ConflictEvent,
        gettext_lazy("Steps in conflict-of-interest matters you took"),
        _by_user(ConflictEvent, "by"),
        ("declaration__nominee__name", "kind", "reason", "at"),
    ),
    Section(
        "ballots",
        Ballot,
        gettext_lazy("Your ballots in the final vote"),
        _by_user(Ballot, "juror__user"),
        ("juror__edition__year", "ranking", "submitted_at"),
    ),
    Section(
        "decisions",
        Decision,
        gettext_lazy("Jury decisions you recorded"),
        _by_user(Decision, "decided_by"),
        ("edition__year", "winner__name", "minutes", "decided_at"),
    ),
    Section(
        "results_exports",
        ResultsExport,
        gettext_lazy("Excel files of the jury's results you asked for"),
        _by_user(ResultsExport, "requested_by"),
        ("edition__year", "status", "created_at", "finished_at"),
    ),
    Section(
        "announcement_steps",
        AnnouncementEvent,
        gettext_lazy("Steps you took on a winner's announcement"),
        _by_user(AnnouncementEvent, "by"),
        ("announcement__edition__year", "kind", "role", "at"),
    ),
    Section(
        "emails",
        OutboxMessage,
        gettext_lazy("E-mails sent to you"),
        lambda p: OutboxMessage.objects.filter(recipient__iexact=p.email),
        ("template", "subject", "status", "created_at", "sent_at"),
    ),
    Section(
        "sign_in_links",
        SignInToken,
        gettext_lazy("Sign-in links sent to you"),
        lambda p: SignInToken.objects.filter(email__iexact=p.email),
        ("created_at", "expires_at", "used_at"),
    ),
    Section(
        "subscriptions",
        Subscriber,
        gettext_lazy("Subscription to news"),
        lambda p: Subscriber.objects.with_email(p.email),
        ("email", "language", "created_at", "confirmed_at"),
    ),
    Section(
        "two_factor_apps",
        TOTPDevice,
        gettext_lazy("Authenticator apps (second factor)"),
        _by_user(TOTPDevice),
        ("name", "confirmed", "created_at", "last_used_at"),
    ),
    Section(
        "recovery_codes",
        StaticDevice,
        gettext_lazy("Recovery codes (second factor; the codes are not shown)"),
        _by_user(StaticDevice),
        ("name", "confirmed", "created_at"),
    ),
    Section(
        "password_sign_ins",
        AccessLog,
        gettext_lazy("Password sign-ins"),
        _axes(AccessLog),
        ("attempt_time", "logout_time", "ip_address", "user_agent"),
    ),
    Section(
        "failed_password_sign_ins",
        AccessFailureLog,
        gettext_lazy("Failed password sign-ins"),
        _axes(AccessFailureLog),
        ("attempt_time", "ip_address", "user_agent", "locked_out"),
    ),
    Section(
        "password_attempts",
        AccessAttempt,
        gettext_lazy("Counted wrong passwords"),
        _axes(AccessAttempt),
        ("attempt_time", "ip_address", "failures_since_start"),
    ),
    Section(
        "admin_actions",
        LogEntry,
        gettext_lazy("Changes you made in the administration"),
        _by_user(LogEntry),
        ("action_time", "content_type__model", "object_repr", "action_flag"),
    ),
    Section(
        "audit",
        AuditEntry,
        gettext_lazy("Audit log entries by or about you"),
        _audit,
        ("position", "at", "action", "actor_label", "target_label", "edition_year"),
    ),
)

# Every other model, and why the extract leaves it out.
NOT_EXTRACTED = {
    "nominations.Municipality": "reference data",
    "nominations.Area": "reference data",
    "nominations.Organisation": "legal bodies, not people",
    "nominations.Edition": "the prize's years; the staff who completed screening are in audit",
    "nominations.Nominee": "organisations, units or teams nominated, not the person asking",
    "jury.Partner": "reference data (the authorities)",
    "jury.Criterion": "what the jury scores",
    "jury.Assignment": "which nominees a juror scores; implied by the scores shown",
    "jury.ScoreVersion": "a counter of score edits, no content",
    "jury.ReminderSent": "the reminders themselves are in the e-mails shown",
    "jury.ShortlistEntry": "nominees, not people",
    "publication.Announcement": "the published winner; the person's steps are shown",
    "subscriptions.News": "news for all subscribers, not per person",
    "audit.ChainHead": "a count and a hash",
    "privacy.PersonalData": "no table: carries a permission",
    "auth.Permission": "the permission registry",
    "auth.Group": "roles, not people",
    "contenttypes.ContentType": "the model registry",
    "sessions.Session": "signed-in state, unreadable without the key; expires",
    "otp_static.StaticToken": "the recovery codes, which must stay secret even here",
    "axes.AccessAttemptExpiration": "a lockout's expiry time, shown with the attempts",
}

EXTRACTED = {section.model._meta.label for section in SECTIONS}


def _value(instance, path: str):
    value = instance
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    if isinstance(value, models.Model):
        return str(value)
    return value


def build(email: str) -> dict:
    """Everything about `email`, section by section, as plain data."""
    email = email.strip()
    person = Person(email, User.objects.filter(email__iexact=email).first())
    sections = []
    for section in SECTIONS:
        records = [
            {field: _value(row, field) for field in section.fields} for row in section.rows(person)
        ]
        sections.append({"key": section.key, "title": str(section.title), "records": records})
    return {
        "email": email,
        "produced_at": timezone.now(),
        "sections": sections,
    }


def as_json(extract: dict) -> bytes:
    return json.dumps(extract, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _text(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def as_pdf(extract: dict) -> bytes:
    """The same content as the JSON, one heading per section, one block per record."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    story = [
        Paragraph(escape(_("Register extract")), styles["Title"]),
        Paragraph(
            escape(_("E-mail address: %(email)s") % {"email": extract["email"]}), styles["Normal"]
        ),
        Paragraph(
            escape(_("Produced: %(when)s") % {"when": _text(extract["produced_at"])}),
            styles["Normal"],
        ),
        Spacer(1, 6 * mm),
    ]
    for section in extract["sections"]:
        story.append(Paragraph(escape(section["title"]), styles["Heading2"]))
        if not section["records"]:
            story.append(Paragraph(escape(_("Nothing.")), styles["Normal"]))
        for record in section["records"]:
            for field, value in record.items():
                line = f"<b>{escape(field)}</b>: {escape(_text(value))}"
                story.append(Paragraph(line.replace("\n", "<br/>"), styles["Normal"]))
            story.append(Spacer(1, 3 * mm))
    SimpleDocTemplate(buffer, pagesize=A4, title=_("Register extract")).build(story)
    return buffer.getvalue()
