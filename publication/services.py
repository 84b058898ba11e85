"""State changes of the announcement: the draft, edits, approvals, the schedule, publication.

The way of an announcement: the jury's decision creates its draft; the chair and the
secretariat write it; the chair and an administrator (two different people) approve one
version of it; it is then scheduled for the edition's announcement time; beat publishes it
when that time comes. Every step is an AnnouncementEvent with who and when.
"""

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nominations import page_cache
from publication import emails, rules
from publication.models import Announcement, AnnouncementEvent

logger = logging.getLogger(__name__)

Event = AnnouncementEvent.Kind

# What an edit may change; everything else is the decision's or the platform's.
EDITABLE_FIELDS = (
    "lead",
    "lead_en",
    "press_release",
    "press_release_en",
    "citation",
    "citation_en",
    "photo",
    "photo_alt",
    "photo_alt_en",
)


class StaleAnnouncementError(Exception):
    """Someone saved the announcement since this form was opened."""


def create_draft_for_decision(decision) -> Announcement:
    """The announcement's draft for a decision just recorded (called in its transaction).

    Side effects: one Announcement (the winner copied from the decision) and its first
    event. An edition that already has an announcement keeps it, tied to the decision.
    """
    winner = decision.winner
    announcement, created = Announcement.objects.get_or_create(
        edition_id=decision.edition_id,
        defaults={
            "decision": decision,
            "winner_name": winner.name,
            "winner_organisation_id": winner.organisation_id,
        },
    )
    if created:
        AnnouncementEvent.objects.create(
            announcement=announcement, kind=Event.CREATED, version=1, by=decision.decided_by
        )
    return announcement


def _locked(announcement: Announcement) -> Announcement:
    return (
        Announcement.objects.select_for_update().select_related("edition").get(pk=announcement.pk)
    )


@transaction.atomic
def update_announcement(
    announcement: Announcement, *, by, data: dict, expected_version: int
) -> Announcement:
    """Save the writers' changes. Any change withdraws the approvals given so far.

    Side effects: the announcement's fields and version; an `edited` event, and an
    `approvals_withdrawn` event when there were approvals (the schedule is cleared).
    Refused after publication (PermissionDenied) and from a stale form (StaleAnnouncementError).
    """
    announcement = _locked(announcement)
    if not by.has_perm("publication.edit_announcement", announcement):
        raise PermissionDenied
    if announcement.version != expected_version:
        raise StaleAnnouncementError
    changed = [f for f in EDITABLE_FIELDS if f in data and getattr(announcement, f) != data[f]]
    if not changed:
        return announcement
    had_approvals = _approvals(announcement).exists()
    for field in changed:
        setattr(announcement, field, data[field])
    announcement.version += 1
    announcement.scheduled_at = None
    announcement.save(update_fields=[*changed, "version", "scheduled_at", "updated_at"])
    if had_approvals:
        AnnouncementEvent.objects.create(
            announcement=announcement,
            kind=Event.APPROVALS_WITHDRAWN,
            version=announcement.version,
            by=by,
        )
    AnnouncementEvent.objects.create(
        announcement=announcement, kind=Event.EDITED, version=announcement.version, by=by
    )
    return announcement


def _approvals(announcement: Announcement):
    """The approvals of the announcement's current version."""
    return announcement.events.filter(kind=Event.APPROVED, version=announcement.version)


def missing_for_approval(announcement: Announcement) -> list[str]:
    """What must be written before anyone may approve, in the active language."""
    missing = []
    if not announcement.citation.strip():
        missing.append(_("the citation"))
    if not announcement.lead.strip():
        missing.append(_("the lead"))
    if announcement.photo and not announcement.photo_alt.strip():
        missing.append(_("a description of the photo"))
    return missing


@transaction.atomic
def approve_announcement(announcement: Announcement, *, by, version: int) -> AnnouncementEvent:
    """Approve this version, as the chair or as the secretariat.

    Side effects: an `approved` event; when both approvals are in, the schedule is set to
    the edition's announcement time (a `scheduled` event). Refused for someone who is
    neither, for a second approval by the same person, for a role that has approved, for a
    stale version, and while something required is missing.
    """
    announcement = _locked(announcement)
    role = rules.approval_role(by, announcement)
    if role is None or announcement.is_published:
        raise PermissionDenied
    if announcement.version != version:
        raise StaleAnnouncementError
    if missing := missing_for_approval(announcement):
        raise ValidationError(
            _("Write %(missing)s before approving.") % {"missing": ", ".join(missing)},
            code="incomplete",
        )
    approvals = _approvals(announcement)
    if approvals.filter(by=by).exists():
        raise ValidationError(
            _(
                "You have approved this version already; the other approval must come "
                "from someone else."
            ),
            code="same_person",
        )
    if approvals.filter(role=role).exists():
        raise ValidationError(
            _("This version already has the approval of %(role)s.")
            % {"role": AnnouncementEvent.Role(role).label},
            code="role_done",
        )
    approval = AnnouncementEvent.objects.create(
        announcement=announcement, kind=Event.APPROVED, role=role, version=version, by=by
    )
    if approvals.count() == len(AnnouncementEvent.Role) and announcement.edition.announcement_at:
        _schedule(announcement, at=announcement.edition.announcement_at, by=None)
    return approval


def is_approved(announcement: Announcement) -> bool:
    return _approvals(announcement).count() == len(AnnouncementEvent.Role)


def _schedule(announcement: Announcement, *, at: datetime, by) -> None:
    announcement.scheduled_at = at
    announcement.save(update_fields=["scheduled_at", "updated_at"])
    AnnouncementEvent.objects.create(
        announcement=announcement,
        kind=Event.SCHEDULED,
        version=announcement.version,
        by=by,
        scheduled_for=at,
    )


@transaction.atomic
def schedule_announcement(announcement: Announcement, *, by, at: datetime) -> Announcement:
    """Move the announcement (and the edition's announcement time) to `at`.

    Side effects: the edition's `announcement_at`; when approved, the schedule and a
    `scheduled` event. The secretariat's alone; refused after publication.
    """
    announcement = _locked(announcement)
    if not by.has_perm("publication.schedule_announcement", announcement):
        raise PermissionDenied
    edition = announcement.edition
    edition.announcement_at = at
    edition.save(update_fields=["announcement_at"])
    if is_approved(announcement):
        _schedule(announcement, at=at, by=by)
    return announcement


@transaction.atomic
def publish_now(announcement: Announcement, *, by) -> Announcement:
    """Publish an approved announcement at once instead of at its time.

    Side effects: the schedule set to now (a `publish_now` event) and, on commit, the
    publishing task. Refused unless approved, and for anyone but the secretariat.
    """
    announcement = _locked(announcement)
    if not by.has_perm("publication.schedule_announcement", announcement):
        raise PermissionDenied
    if not is_approved(announcement):
        raise ValidationError(
            _("Both approvals are needed before the announcement can be published."),
            code="not_approved",
        )
    now = timezone.now()
    announcement.scheduled_at = now
    announcement.save(update_fields=["scheduled_at", "updated_at"])
    AnnouncementEvent.objects.create(
        announcement=announcement, kind=Event.PUBLISH_NOW, version=announcement.version, by=by
    )
    from publication.tasks import publish_announcement as task

    transaction.on_commit(lambda: task.delay(announcement_id=announcement.pk))
    return announcement


def publish_announcement(*, announcement_id: int, now: datetime | None = None) -> bool:
    """Publish one due announcement and tell everyone concerned, exactly once.

    Side effects, in one transaction: `published_at`, a `published` event, one outbox row
    per recipient (idempotency keys), and on commit the subscribers' fan-out and the public
    pages' cache retired. The row is
    claimed by a conditional UPDATE: a second run, a concurrent worker or a retry after a
    worker died mid-way finds nothing to claim (or rolls back with the dead one).
    Returns whether this call published it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Announcement.objects.due(now).filter(pk=announcement_id).update(published_at=now)
        if not claimed:
            return False
        announcement = Announcement.objects.select_related("edition", "decision").get(
            pk=announcement_id
        )
        AnnouncementEvent.objects.create(
            announcement=announcement,
            kind=Event.PUBLISHED,
            version=announcement.version,
            at=now,
        )
        emails.notify_publication(announcement)
        # The winner is public from this commit on, and not a moment before: the public
        # pages' cached copies are retired when the row is, not when the UPDATE ran.
        transaction.on_commit(page_cache.bump_version)
    logger.info("Published the winner of %s", announcement.edition)
    return True


def publish_due_announcements(*, now: datetime | None = None) -> list[int]:
    """Publish every announcement whose time has come and that is not yet published.

    Side effects: those of `publish_announcement`, for each. Safe to run twice or
    concurrently. Returns the ids this run published.
    """
    now = now or timezone.now()
    due = list(Announcement.objects.due(now).values_list("pk", flat=True))
    return [pk for pk in due if publish_announcement(announcement_id=pk, now=now)]
