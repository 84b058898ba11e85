"""The announcement's way from the jury's decision to publication, service by service."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from outbox.models import OutboxMessage
from publication import services
from publication.models import Announcement, AnnouncementEvent
from tests.factories import JurorFactory, SecretariatFactory, UserFactory
from tests.helpers import race
from tests.publication.conftest import WINNER, approve_both, make_decided_edition

Event = AnnouncementEvent.Kind


def _kinds(announcement) -> list[str]:
    return list(announcement.events.order_by("at", "pk").values_list("kind", flat=True))


def completed_draft(decided, *, by) -> Announcement:
    """The decision's draft with a citation and a lead written by `by`: version 2."""
    return services.update_announcement(
        decided.announcement,
        by=by,
        data={"citation": "Text.", "lead": "Ingress."},
        expected_version=1,
    )


def test_the_decision_creates_the_draft_with_the_decisions_winner(decided):
    announcement = decided.announcement

    assert announcement.winner_name == WINNER
    assert announcement.decision.winner == decided.winner
    assert announcement.published_at is None
    assert announcement.scheduled_at is None
    assert _kinds(announcement) == [Event.CREATED]
    assert announcement.events.get().by == decided.chair


def test_an_edit_bumps_the_version_and_records_who(decided):
    announcement = services.update_announcement(
        decided.announcement, by=decided.chair, data={"citation": "Ny text."}, expected_version=1
    )

    assert (announcement.version, announcement.citation) == (2, "Ny text.")
    assert announcement.events.last().kind == Event.EDITED
    assert announcement.events.last().by == decided.chair


def test_an_edit_without_changes_records_nothing(decided):
    services.update_announcement(
        decided.announcement, by=decided.chair, data={"citation": ""}, expected_version=1
    )

    assert _kinds(decided.announcement) == [Event.CREATED]


def test_a_stale_form_is_refused_and_changes_nothing(decided):
    services.update_announcement(
        decided.announcement, by=decided.chair, data={"citation": "Först."}, expected_version=1
    )

    with pytest.raises(services.StaleAnnouncementError):
        services.update_announcement(
            decided.announcement,
            by=decided.secretariat,
            data={"citation": "Från en gammal flik."},
            expected_version=1,
        )
    decided.announcement.refresh_from_db()
    assert decided.announcement.citation == "Först."


def test_a_juror_who_is_not_the_chair_cannot_edit(decided):
    with pytest.raises(PermissionDenied):
        services.update_announcement(
            decided.announcement, by=decided.member, data={"citation": "X"}, expected_version=1
        )


def test_both_approvals_schedule_the_announcement_for_the_editions_time(decided):
    announcement = approve_both(decided)

    assert announcement.scheduled_at == decided.edition.announcement_at
    approvals = announcement.events.filter(kind=Event.APPROVED)
    assert {(e.role, e.by) for e in approvals} == {
        ("chair", decided.chair),
        ("secretariat", decided.secretariat),
    }
    assert _kinds(announcement)[-1] == Event.SCHEDULED


def test_one_approval_schedules_nothing(decided):
    announcement = completed_draft(decided, by=decided.chair)
    services.approve_announcement(announcement, by=decided.chair, version=2)

    announcement.refresh_from_db()
    assert announcement.scheduled_at is None
    assert not services.is_approved(announcement)


def test_an_edit_after_approval_withdraws_the_approvals_and_the_schedule(decided):
    announcement = approve_both(decided)

    announcement = services.update_announcement(
        announcement,
        by=decided.secretariat,
        data={"citation": "Ändrad efter godkännandet."},
        expected_version=announcement.version,
    )

    assert announcement.scheduled_at is None
    assert not services.is_approved(announcement)
    assert _kinds(announcement)[-2:] == [Event.APPROVALS_WITHDRAWN, Event.EDITED]
    assert services.publish_due_announcements(now=decided.edition.announcement_at) == []


def test_one_person_cannot_give_both_approvals(decided):
    # The chair also works at the secretariat: still one person, one approval.
    decided.chair.is_staff = True
    decided.chair.save()
    announcement = completed_draft(decided, by=decided.chair)
    services.approve_announcement(announcement, by=decided.chair, version=2)

    with pytest.raises(ValidationError) as refused:
        services.approve_announcement(announcement, by=decided.chair, version=2)
    assert refused.value.code == "same_person"


def test_a_superuser_approves_as_the_secretariat_never_as_the_chair(decided):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    announcement = completed_draft(decided, by=superuser)
    services.approve_announcement(announcement, by=superuser, version=2)

    with pytest.raises(ValidationError) as refused:
        services.approve_announcement(announcement, by=decided.secretariat, version=2)
    assert refused.value.code == "role_done"
    assert announcement.events.get(kind=Event.APPROVED).role == "secretariat"
    assert not services.is_approved(announcement)


def test_neither_a_member_nor_an_outsider_can_approve(decided):
    announcement = approve_both(decided)
    for person in (decided.member, UserFactory(), JurorFactory(edition__year=2078).user):
        with pytest.raises(PermissionDenied):
            services.approve_announcement(announcement, by=person, version=announcement.version)


def test_approval_of_an_old_version_is_refused(decided):
    announcement = completed_draft(decided, by=decided.chair)

    with pytest.raises(services.StaleAnnouncementError):
        services.approve_announcement(announcement, by=decided.chair, version=1)


def test_approval_waits_for_the_citation_and_the_lead(decided):
    with pytest.raises(ValidationError) as refused:
        services.approve_announcement(decided.announcement, by=decided.chair, version=1)

    assert refused.value.code == "incomplete"


def test_the_secretariat_moves_the_time_and_the_schedule_follows(decided):
    announcement = approve_both(decided)
    later = decided.edition.announcement_at + timedelta(hours=3)

    services.schedule_announcement(announcement, by=decided.secretariat, at=later)

    announcement.refresh_from_db()
    assert announcement.scheduled_at == later
    assert announcement.edition.announcement_at == later
    assert announcement.events.last().scheduled_for == later


def test_the_chair_cannot_move_the_time_or_publish_now(decided):
    announcement = approve_both(decided)

    with pytest.raises(PermissionDenied):
        services.schedule_announcement(announcement, by=decided.chair, at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.publish_now(announcement, by=decided.chair)


def test_publish_now_needs_both_approvals(decided):
    with pytest.raises(ValidationError):
        services.publish_now(decided.announcement, by=decided.secretariat)

    assert Announcement.objects.get(pk=decided.announcement.pk).scheduled_at is None


def test_nothing_is_published_before_its_time(decided):
    approve_both(decided)

    assert (
        services.publish_due_announcements(
            now=decided.edition.announcement_at - timedelta(seconds=1)
        )
        == []
    )
    assert not OutboxMessage.objects.filter(template__startswith="announcement_").exists()


def test_publication_notifies_everyone_concerned_once_each(decided):
    announcement = approve_both(decided)

    published = services.publish_due_announcements(now=decided.edition.announcement_at)

    assert published == [announcement.pk]
    announcement.refresh_from_db()
    assert announcement.published_at == decided.edition.announcement_at
    rows = {
        (m.recipient, m.template, m.language)
        for m in OutboxMessage.objects.filter(template__startswith="announcement_")
    }
    winners = {
        (u.email, "announcement_winner_nominator", u.language) for u in decided.winner_nominators
    }
    others = {
        (u.email, "announcement_other_nominator", u.language) for u in decided.other_nominators
    }
    jury = {
        (decided.chair.email, "announcement_jury", "sv"),
        (decided.member.email, "announcement_jury", "en"),
    }
    assert rows == winners | others | jury
    assert _kinds(announcement)[-1] == Event.PUBLISHED


def test_the_notifications_name_the_winner_and_link_to_the_page_in_each_language(decided):
    approve_both(decided)
    services.publish_due_announcements(now=decided.edition.announcement_at)

    english = OutboxMessage.objects.get(recipient=decided.winner_nominators[1].email)
    swedish = OutboxMessage.objects.get(recipient=decided.winner_nominators[0].email)
    assert english.context["url"].endswith(f"/en/prize/{decided.edition.year}/")
    assert swedish.context["url"].endswith(f"/prize/{decided.edition.year}/")
    assert "/en/" not in swedish.context["url"]
    assert swedish.context["winner_name"] == WINNER


def test_publishing_twice_publishes_once_and_mails_once(decided):
    announcement = approve_both(decided)
    moment = decided.edition.announcement_at

    first = services.publish_due_announcements(now=moment)
    count = OutboxMessage.objects.count()
    second = services.publish_due_announcements(now=moment + timedelta(minutes=1))
    again = services.publish_announcement(announcement_id=announcement.pk)

    assert (first, second, again) == ([announcement.pk], [], False)
    assert OutboxMessage.objects.count() == count
    assert announcement.events.filter(kind=Event.PUBLISHED).count() == 1


def test_a_missed_beat_run_is_caught_up(decided):
    approve_both(decided)

    published = services.publish_due_announcements(
        now=decided.edition.announcement_at + timedelta(days=2)
    )

    assert published == [decided.announcement.pk]


def test_a_published_announcement_cannot_be_edited_or_moved(decided):
    announcement = approve_both(decided)
    services.publish_due_announcements(now=decided.edition.announcement_at)
    announcement.refresh_from_db()

    with pytest.raises(PermissionDenied):
        services.update_announcement(
            announcement,
            by=decided.secretariat,
            data={"citation": "Efteråt."},
            expected_version=announcement.version,
        )
    with pytest.raises(PermissionDenied):
        services.schedule_announcement(announcement, by=decided.secretariat, at=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_two_racing_publishers_publish_once_and_mail_once():
    decided = make_decided_edition(year=2043)
    announcement = approve_both(decided)
    moment = decided.edition.announcement_at

    results, errors = race(
        lambda: services.publish_announcement(announcement_id=announcement.pk, now=moment)
    )

    assert errors == []
    assert sorted(results) == [False, True]
    recipients = list(
        OutboxMessage.objects.filter(template__startswith="announcement_").values_list(
            "recipient", flat=True
        )
    )
    # Two nominators of the winner, two others, the chair and a member: once each.
    assert len(recipients) == len(set(recipients)) == 6
    assert announcement.events.filter(kind=Event.PUBLISHED).count() == 1


def test_a_second_secretariat_member_is_a_different_person(decided):
    announcement = completed_draft(decided, by=decided.secretariat)
    services.approve_announcement(announcement, by=decided.secretariat, version=2)

    with pytest.raises(ValidationError):
        services.approve_announcement(announcement, by=SecretariatFactory(), version=2)
    services.approve_announcement(announcement, by=decided.chair, version=2)
    assert services.is_approved(announcement)


def test_publication_queues_the_winners_news_for_the_subscribers(
    decided, django_capture_on_commit_callbacks
):
    from subscriptions.models import News, Subscriber
    from subscriptions.services import fan_out_batch

    Subscriber.objects.create(
        email="prenumerant@example.org", language="sv", confirmed_at=timezone.now()
    )
    approve_both(decided)

    with django_capture_on_commit_callbacks() as callbacks:
        services.publish_due_announcements(now=decided.edition.announcement_at)

    news = News.objects.get(kind="winner", edition=decided.edition)
    assert news.context["winner_name"] == WINNER
    assert len(callbacks) >= 1  # the fan-out task, enqueued once the publication commits
    fan_out_batch(news_id=news.pk, after_pk=0)
    message = OutboxMessage.objects.get(recipient="prenumerant@example.org")
    assert message.template == "news_winner"
    assert message.context["url"].endswith(f"/prize/{decided.edition.year}/")
