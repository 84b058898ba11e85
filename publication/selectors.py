"""Reads of the publication app. Public readers start from `published()`, always."""

from django.db.models import Prefetch
from django.utils import timezone

from jury.models import Juror, Partner, Score
from nominations.models import Nomination
from publication.models import Announcement, AnnouncementEvent


def latest_published_announcement() -> Announcement | None:
    return published_announcements().first()


def published_announcements():
    return (
        Announcement.objects.published()
        .select_related("edition", "winner_organisation", "decision")
        .prefetch_related("decision__honourable_mentions")
        .order_by("-edition__year")
    )


def announcement_for_writers(year: int) -> Announcement | None:
    """An edition's announcement, published or not, with its history: for the writers."""
    return (
        Announcement.objects.select_related("edition", "decision", "decision__winner")
        .prefetch_related(
            "decision__honourable_mentions",
            Prefetch("events", queryset=AnnouncementEvent.objects.select_related("by")),
        )
        .filter(edition__year=year)
        .first()
    )


def honourable_mention_names(announcement: Announcement) -> list[str]:
    if announcement.decision_id is None:
        return []
    return [nominee.name for nominee in announcement.decision.honourable_mentions.all()]


def jurors_comments_on_winner(announcement: Announcement) -> list[tuple[str, list[str]]]:
    """(criterion, comments) for the winner, in the criteria's order: the citation's raw
    material. Only the jury's and the secretariat's eyes see it (the editor's page)."""
    if announcement.decision_id is None:
        return []
    scores = (
        Score.objects.filter(
            nominee_id=announcement.decision.winner_id,
            juror__edition_id=announcement.edition_id,
        )
        .exclude(comment="")
        .select_related("criterion")
        .order_by("criterion__position", "criterion__pk", "juror__pk")
    )
    grouped: dict[str, list[str]] = {}
    for score in scores:
        grouped.setdefault(score.criterion.display_name, []).append(score.comment.strip())
    return list(grouped.items())


def nominators_of(announcement: Announcement) -> tuple[list, list]:
    """(the winning nominee's nominators, every other nominator of the edition), as users,
    each once; a nominator of both the winner and another nominee is among the winners."""
    winner_id = announcement.decision.winner_id if announcement.decision_id else None
    nominations = (
        Nomination.objects.submitted()
        .filter(edition_id=announcement.edition_id)
        .select_related("nominator")
        .order_by("pk")
    )
    winners: dict[int, object] = {}
    others: dict[int, object] = {}
    for nomination in nominations:
        if winner_id is not None and nomination.nominee_id == winner_id:
            winners[nomination.nominator_id] = nomination.nominator
    for nomination in nominations:
        if nomination.nominator_id not in winners:
            others[nomination.nominator_id] = nomination.nominator
    return list(winners.values()), list(others.values())


def jury_of(announcement: Announcement) -> list:
    return [
        juror.user
        for juror in Juror.objects.filter(edition_id=announcement.edition_id).select_related("user")
    ]


def citation_draft_from_comments(announcement: Announcement) -> str:
    """A first draft of the citation from the jurors' comments on the winner, one paragraph
    per criterion, for the writer to rework into the jury's own words."""
    return "\n\n".join(
        f"**{criterion}:** " + " ".join(comments)
        for criterion, comments in jurors_comments_on_winner(announcement)
    )


def partners():
    return Partner.objects.all()


def is_prize_presented(edition, today=None) -> bool:
    """Has the conference where the prize is presented taken place? Before it, the winner's
    page speaks of the presentation in the future tense."""
    today = today or timezone.localdate()
    if edition.conference_date:
        return edition.conference_date < today
    return edition.year < today.year
