"""Reads of the publication app. Public readers start from `published()`, always."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jury.models import Juror, Partner, Score
from nominations.models import Edition, Nomination
from nominations.selectors import status_counts
from publication import rules
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
    if announcement.decision is None:
        return []
    return [nominee.name for nominee in announcement.decision.honourable_mentions.all()]


def jurors_comments_on_winner(announcement: Announcement) -> list[tuple[str, list[str]]]:
    """(criterion, comments) for the winner, in the criteria's order: the citation's raw
    material. Only the jury's and the secretariat's eyes see it (the editor's page)."""
    if announcement.decision is None:
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
    winner_id = announcement.decision.winner_id if announcement.decision else None
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


@dataclass(frozen=True)
class Stage:
    """One stage of the year on the secretariat's overview."""

    key: str
    title: str
    state: str  # "done", "now" or "later"
    facts: list[str]
    links: list[tuple[str, str]]


def year_overview(edition: Edition) -> list[Stage]:
    """Where the year stands, stage by stage, with counts and the pages of each stage."""
    now = timezone.now()
    phase = edition.phase_at(now)
    order = [p.value for p in Edition.Phase]
    position = order.index(phase)
    counts = {c["status"]: c["count"] for c in status_counts(edition)}
    drafts = Nomination.objects.filter(edition=edition, status=Nomination.Status.DRAFT).count()
    submitted = sum(counts.values()) - counts.get(Nomination.Status.WITHDRAWN, 0)
    jurors = Juror.objects.filter(edition=edition).aggregate(
        total=Count("pk"), done=Count("pk", filter=Q(scores_submitted_at__isnull=False))
    )
    announcement = Announcement.objects.filter(edition=edition).first()
    year = edition.year

    def state(stage_phase: str, done_when: str) -> str:
        if order.index(done_when) <= position:
            return "done"
        return "now" if order.index(stage_phase) <= position else "later"

    when = _local
    stages = [
        Stage(
            "call",
            _("Call for nominations"),
            state("open", "screening"),
            [
                _("Open %(opens)s – %(closes)s.")
                % {
                    "opens": when(edition.nominations_open_at),
                    "closes": when(edition.nominations_close_at),
                },
                _("%(submitted)d submitted, %(drafts)d drafts.")
                % {"submitted": submitted, "drafts": drafts},
            ],
            [(_("The call page"), reverse("nominations:call"))],
        ),
        Stage(
            "screening",
            _("Screening"),
            state("screening", "jury"),
            [
                _("%(eligible)d eligible, %(not_eligible)d not eligible, %(waiting)d to screen.")
                % {
                    "eligible": counts.get(Nomination.Status.ELIGIBLE, 0),
                    "not_eligible": counts.get(Nomination.Status.NOT_ELIGIBLE, 0),
                    "waiting": counts.get(Nomination.Status.SUBMITTED, 0),
                }
            ],
            [(_("Screening"), reverse("nominations:screening_list") + f"?edition={year}")],
        ),
        Stage(
            "jury",
            _("Jury"),
            state("jury", "decided"),
            [
                _("%(done)d of %(total)d jurors have submitted their scores.") % jurors,
                _("Scoring deadline: %(deadline)s.") % {"deadline": when(edition.scoring_deadline)},
            ],
            [
                (_("The jury"), reverse("jury:manage", args=[year])),
                (_("Results"), reverse("jury:results", args=[year])),
                (_("Shortlist"), reverse("jury:shortlist", args=[year])),
                (_("Final vote"), reverse("jury:vote", args=[year])),
            ],
        ),
        Stage(
            "decision",
            _("The jury's decision"),
            state("jury", "decided"),
            [
                _("Recorded on %(when)s.") % {"when": when(edition.decided_at)}
                if edition.decided_at
                else _("Not yet recorded: the chair records it after the final vote.")
            ],
            [(_("The decision"), reverse("jury:decision", args=[year]))],
        ),
        Stage(
            "announcement",
            _("Announcement"),
            state("decided", "published"),
            [_announcement_fact(announcement, edition)],
            [(_("The announcement"), reverse("publication:announcement_edit", args=[year]))]
            if announcement
            else [],
        ),
        Stage(
            "published",
            _("Published"),
            "done" if phase == Edition.Phase.PUBLISHED else "later",
            [
                _("Published on %(when)s.") % {"when": when(announcement.published_at)}
                if announcement and announcement.published_at
                else _("Not yet published.")
            ],
            [(_("The winner's page"), reverse("publication:announcement_detail", args=[year]))]
            if phase == Edition.Phase.PUBLISHED
            else [],
        ),
    ]
    return stages


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "–"


def _announcement_fact(announcement: Announcement | None, edition: Edition) -> str:
    if announcement is None:
        return _("Drafted when the jury's decision is recorded.")
    if announcement.published_at:
        return _("Published.")
    if announcement.scheduled_at:
        return _("Approved; published automatically on %(when)s.") % {
            "when": _local(announcement.scheduled_at)
        }
    return _("Being written; it needs the approvals of the chair and the secretariat.")


def next_step(edition: Edition) -> str:
    """What the secretariat does next, in one sentence."""
    phase = edition.phase
    announcement = Announcement.objects.filter(edition=edition).first()
    steps = {
        Edition.Phase.UPCOMING: _("Prepare the call: it opens on %(when)s.")
        % {"when": _local(edition.nominations_open_at)},
        Edition.Phase.OPEN: _("Nominations are coming in until %(when)s; screening starts then.")
        % {"when": _local(edition.nominations_close_at)},
        Edition.Phase.SCREENING: _(
            "Screen the submitted nominations, then mark the screening as complete."
        ),
        Edition.Phase.JURY: _(
            "The jury is at work: scoring, then the shortlist, the final vote and the decision."
        ),
        Edition.Phase.PUBLISHED: _("The year is done: the winner is public."),
    }
    if phase == Edition.Phase.DECIDED:
        if announcement and announcement.scheduled_at:
            return _("Nothing to do: the announcement is published automatically on %(when)s.") % {
                "when": _local(announcement.scheduled_at)
            }
        return _("Write the announcement with the chair and give it both approvals.")
    return steps[phase]


def approval_state(announcement: Announcement, user) -> dict:
    """The approvals of the current version by role, and whether `user` may add theirs:
    as the chair or the secretariat, once per version, never both (see the services)."""
    approvals = {
        event.role: event
        for event in announcement.events.all()
        if event.kind == AnnouncementEvent.Kind.APPROVED and event.version == announcement.version
    }
    role = rules.approval_role(user, announcement)
    return {
        "approvals": approvals,
        "my_role": role,
        "is_approved": len(approvals) == len(AnnouncementEvent.Role),
        "may_approve": role is not None
        and role not in approvals
        and all(event.by_id != user.pk for event in approvals.values())
        and not announcement.is_published,
    }
