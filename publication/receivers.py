"""What publication does when the jury tells it something (see jury/signals.py), and the
public pages' cache retired when what they show changes (nominations/page_cache.py)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from jury.models import Decision, Partner
from jury.signals import decision_recorded
from nominations import page_cache
from nominations.models import Area, Edition, Nominee, Organisation
from publication.models import Announcement
from publication.services import create_draft_for_decision


@receiver(decision_recorded, dispatch_uid="publication.draft_the_announcement")
def draft_the_announcement(sender, decision, **kwargs):
    # In the decision's own transaction: no decision without its announcement's draft.
    create_draft_for_decision(decision)


# What the public pages (home, call, archive, winner's page, feed) show. Publication itself
# is an UPDATE that sends no signal: publish_announcement bumps the version on its commit.
for model in (Area, Partner):
    label = model._meta.label
    post_save.connect(page_cache.content_changed, sender=model, dispatch_uid=f"pages:{label}")
for model in (Edition, Area, Partner, Announcement, Nominee, Organisation):
    label = model._meta.label
    post_delete.connect(page_cache.content_changed, sender=model, dispatch_uid=f"pages:-{label}")
m2m_changed.connect(
    page_cache.content_changed,
    sender=Decision.honourable_mentions.through,
    dispatch_uid="pages:honourable_mentions",
)

# Handed out on every submission, and shown on no public page.
_EDITION_BOOKKEEPING = frozenset({"last_reference_sequence"})


@receiver(post_save, sender=Edition, dispatch_uid="pages:edition")
def _edition_saved(sender, update_fields=None, **kwargs):
    if update_fields is None or not set(update_fields) <= _EDITION_BOOKKEEPING:
        page_cache.content_changed()


@receiver(post_save, sender=Nominee, dispatch_uid="pages:nominee")
@receiver(post_save, sender=Organisation, dispatch_uid="pages:organisation")
def _renamed(sender, created=False, **kwargs):
    # A new nominee or organisation (every submission makes some) is on no public page
    # yet; a renamed one may be an honourable mention or the winner's organisation.
    if not created:
        page_cache.content_changed()


@receiver(post_save, sender=Announcement, dispatch_uid="pages:announcement")
def _announcement_saved(sender, instance, **kwargs):
    # Until it is published an announcement is on no public page: its drafts, approvals and
    # schedule change nothing there.
    if instance.published_at is not None:
        page_cache.content_changed()
