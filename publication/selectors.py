from publication.models import Announcement


def latest_published_announcement() -> Announcement | None:
    return (
        Announcement.objects.published()
        .select_related("edition", "winner_organisation")
        .order_by("-edition__year")
        .first()
    )


def published_announcements():
    return (
        Announcement.objects.published()
        .select_related("edition", "winner_organisation")
        .order_by("-edition__year")
    )
