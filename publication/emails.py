"""The e-mails of the publication: one function per message, all sent through the outbox."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from outbox.services import enqueue_email
from publication import selectors
from publication.markup import plain_text
from publication.models import Announcement
from subscriptions.services import queue_news


def _language_of(user) -> str:
    return user.language or settings.LANGUAGE_CODE


def _context(announcement: Announcement, language: str) -> dict:
    with translation.override(language):
        path = reverse("publication:announcement_detail", args=[announcement.edition.year])
        return {
            "year": announcement.edition.year,
            "edition": str(announcement.edition),
            "winner_name": announcement.winner_name,
            "lead": plain_text(announcement.lead_display),
            "url": settings.SITE_URL.rstrip("/") + path,
        }


def notify_publication(announcement: Announcement) -> None:
    """Everyone concerned, once each, in their language: the winner's nominators
    (congratulations), every other nominator (thanks, and who won), the jury, and the
    subscribers (fanned out in batched tasks after commit).

    Call it inside the publishing transaction: the outbox rows commit with the publication
    and their idempotency keys make a second call send nothing more.
    """
    winners, others = selectors.nominators_of(announcement)
    groups = (
        ("announcement_winner_nominator", "winner", winners),
        ("announcement_other_nominator", "thanks", others),
        ("announcement_jury", "jury", selectors.jury_of(announcement)),
    )
    for template, kind, users in groups:
        for user in users:
            language = _language_of(user)
            enqueue_email(
                recipient=user.email,
                template=template,
                context=_context(announcement, language),
                language=language,
                key=f"announcement:{announcement.pk}:{kind}:{user.pk}",
            )
    # The subscribers' copy links to the Swedish page; the fan-out gives English readers /en/.
    queue_news(
        kind="winner",
        edition_id=announcement.edition_id,
        template="news_winner",
        context=_context(announcement, settings.LANGUAGE_CODE),
    )
