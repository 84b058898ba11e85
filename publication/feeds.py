"""The Atom feed of the prize's news: each year's call opening and each announced winner.

It reads only what is public: published announcements and calls whose opening has passed.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from nominations.models import Edition
from publication.markup import plain_text
from publication.selectors import published_announcements

# XML 1.0 forbids most control characters; Django's writer raises on them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(text: str) -> str:
    return _CONTROL.sub("", text)


@dataclass(frozen=True)
class NewsItem:
    guid: str
    title: str
    summary: str
    path: str
    published: datetime


def news_items(limit: int = 30) -> list[NewsItem]:
    items = [
        NewsItem(
            guid=f"tag:kvinnofridspriset,{a.edition.year}:winner",
            title=_("Kvinnofridspriset %(year)s goes to %(winner)s")
            % {"year": a.edition.year, "winner": a.winner_name},
            summary=plain_text(a.lead_display) or plain_text(a.citation),
            path=reverse("publication:announcement_detail", args=[a.edition.year]),
            published=a.published_at,
        )
        for a in published_announcements()[:limit]
    ]
    opened = Edition.objects.filter(nominations_open_at__lte=timezone.now()).order_by("-year")
    items += [
        NewsItem(
            guid=f"tag:kvinnofridspriset,{edition.year}:call",
            title=_("Nominations for Kvinnofridspriset %(year)s are open") % {"year": edition.year},
            summary=_(
                "Nominate an authority, a municipal operation or an organisation by %(date)s."
            )
            % {"date": timezone.localtime(edition.nominations_close_at).strftime("%Y-%m-%d")}
            if edition.nominations_close_at
            else "",
            path=reverse("nominations:call"),
            published=edition.nominations_open_at,
        )
        for edition in opened[:limit]
    ]
    return sorted(items, key=lambda item: item.published, reverse=True)[:limit]


class NewsFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Kvinnofridspriset: news")

    def subtitle(self):
        return _("The call for nominations and the winners of Operation Kvinnofrid's prize.")

    def link(self):
        return reverse("home")

    def feed_guid(self):
        return "tag:kvinnofridspriset,2023:news"

    def items(self):
        return news_items()

    def item_title(self, item: NewsItem):
        return _xml_safe(item.title)

    def item_description(self, item: NewsItem):
        return _xml_safe(item.summary)

    def item_link(self, item: NewsItem):
        return settings.SITE_URL.rstrip("/") + item.path

    def item_guid(self, item: NewsItem):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item: NewsItem):
        return item.published

    def item_updateddate(self, item: NewsItem):
        return item.published
