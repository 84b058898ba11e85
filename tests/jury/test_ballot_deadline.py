"""The ballot deadline: set with the shortlist, shown to jurors, enforced, and reminded of."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from jury.models import Ballot, ConflictDeclaration, ReminderSent, ShortlistEntry
from jury.services import vote
from jury.services.reminders import send_due_ballot_reminders
from jury.tasks import send_ballot_reminders
from nominations.models import Nomination
from outbox.emails import render_email
from outbox.models import OutboxMessage
from tests.factories import (
    ConflictDeclarationFactory,
    EditionFactory,
    JurorFactory,
    NominationFactory,
)
from tests.helpers import DEADLINE_IN_SUMMER_TIME as DEADLINE
from tests.helpers import STOCKHOLM
from tests.helpers import jury_url as url

pytestmark = pytest.mark.django_db

SEVEN_DAYS_BEFORE = datetime(2041, 3, 27, 17, 0, tzinfo=STOCKHOLM)
TWO_DAYS_BEFORE = datetime(2041, 4, 1, 17, 0, tzinfo=STOCKHOLM)


def text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def edition():
    return EditionFactory(
        nominations_open_at=DEADLINE - timedelta(days=120),
        nominations_close_at=DEADLINE - timedelta(days=90),
        screening_completed_at=DEADLINE - timedelta(days=80),
        scoring_deadline=DEADLINE - timedelta(days=30),
    )


@pytest.fixture
def nominees(edition):
    return [
        NominationFactory(
            submitted=True, edition=edition, nominee_name=name, status=Nomination.Status.ELIGIBLE
        ).nominee
        for name in ("Alfateamet", "Betagruppen")
    ]


@pytest.fixture
def open_ballot(edition, nominees, chair, member):
    """The shortlist set and the ballot open until DEADLINE, three weeks before it."""
    with time_machine.travel(DEADLINE - timedelta(days=21), tick=False):
        vote.set_shortlist(
            edition=edition, nominees=nominees, by=chair.user, ballot_deadline=DEADLINE
        )
    edition.refresh_from_db()
    return edition


def reminder_keys() -> set[str]:
    return set(
        OutboxMessage.objects.filter(template="jury_ballot_deadline").values_list(
            "idempotency_key", flat=True
        )
    )


# --- Set with the shortlist --------------------------------------------------------------------


def test_the_chair_sets_the_deadline_with_the_shortlist(client, edition, nominees, chair, member):
    with time_machine.travel(DEADLINE - timedelta(days=21), tick=False):
        client.force_login(chair.user)
        response = client.post(
            url("shortlist", edition.year),
            {"nominees": [n.pk for n in nominees], "ballot_deadline": "2041-04-03T17:00"},
            follow=True,
        )

    edition.refresh_from_db()
    assert edition.ballot_deadline == DEADLINE
    assert "Ballot deadline: 3 April 2041, 17:00" in text(response)
    assert 'value="2041-04-03T17:00"' in response.content.decode()


def test_a_deadline_in_the_past_is_refused(edition, nominees, chair):
    with (
        time_machine.travel(DEADLINE, tick=False),
        pytest.raises(ValidationError, match="must be in the future"),
    ):
        vote.set_shortlist(
            edition=edition, nominees=nominees, by=chair.user, ballot_deadline=DEADLINE
        )
    edition.refresh_from_db()
    assert edition.ballot_deadline is None
    assert not ShortlistEntry.objects.exists()


def test_the_shortlist_page_refuses_a_deadline_in_the_past(client, edition, nominees, chair):
    with time_machine.travel(DEADLINE, tick=False):
        client.force_login(chair.user)
        response = client.post(
            url("shortlist", edition.year),
            {"nominees": [n.pk for n in nominees], "ballot_deadline": "2041-04-03T16:59"},
        )

    assert response.status_code == 200
    assert "The ballot deadline must be in the future." in text(response)
    assert not ShortlistEntry.objects.exists()


def test_the_ballot_opens_mail_names_the_deadline_in_each_language(open_ballot, chair, member):
    sent = {
        message.recipient: message
        for message in OutboxMessage.objects.filter(template="jury_ballot_opened")
    }
    english = render_email(*_parts(sent[member.user.email]))
    swedish = render_email(*_parts(sent[chair.user.email]))

    assert "The ballot closes on April 3, 2041, 5 p.m." in english.text
    assert "The ballot closes on April 3, 2041, 5 p.m." in english.html
    assert "Omröstningen stänger 3 april 2041 17:00." in swedish.text
    assert "Omröstningen stänger 3 april 2041 17:00." in swedish.html


def _parts(message):
    return message.template, message.context, message.language


# --- Enforced ----------------------------------------------------------------------------------


def test_a_ballot_is_taken_until_the_deadline_and_refused_from_it(open_ballot, nominees, member):
    alfa, beta = nominees
    with time_machine.travel(DEADLINE - timedelta(seconds=1), tick=False):
        vote.cast_ballot(juror=member, ranking_groups=[[alfa.pk], [beta.pk]])

    with (
        time_machine.travel(DEADLINE, tick=False),
        pytest.raises(vote.VoteNotAllowed, match="The ballot closed on"),
    ):
        vote.cast_ballot(juror=member, ranking_groups=[[beta.pk], [alfa.pk]])

    assert Ballot.objects.get(juror=member).ranking == [[alfa.pk], [beta.pk]]


def test_the_ballot_page_shows_the_deadline_then_closes(client, open_ballot, nominees, member):
    alfa, _beta = nominees

    with time_machine.travel(DEADLINE - timedelta(hours=1), tick=False):
        client.force_login(member.user)
        page = client.get(url("ballot", open_ballot.year))
    assert "The ballot closes on 3 April 2041, 17:00." in text(page)
    assert "<select" in page.content.decode()

    with time_machine.travel(DEADLINE + timedelta(minutes=1), tick=False):
        page = client.get(url("ballot", open_ballot.year))
        response = client.post(url("ballot", open_ballot.year), {f"rank_{alfa.pk}": "1"})
    assert "The ballot closed on April 3, 2041, 5 p.m." in text(page)
    assert "<select" not in page.content.decode()
    assert response.status_code == 302
    assert not Ballot.objects.exists()


# --- Reminded ----------------------------------------------------------------------------------


def test_the_reminder_is_sent_once_per_offset_to_those_who_have_not_voted(
    open_ballot, nominees, chair, member
):
    alfa, beta = nominees
    voter = JurorFactory(edition=open_ballot)
    Ballot.objects.create(juror=voter, ranking=[[alfa.pk]], submitted_at=SEVEN_DAYS_BEFORE)
    # Conflicted on the whole shortlist: no ballot to cast.
    excluded = JurorFactory(edition=open_ballot)
    for nominee in nominees:
        ConflictDeclarationFactory(juror=excluded, nominee=nominee, conflicted=True)

    assert send_due_ballot_reminders(now=SEVEN_DAYS_BEFORE - timedelta(minutes=1)) == 0
    assert send_due_ballot_reminders(now=SEVEN_DAYS_BEFORE) == 2
    assert send_due_ballot_reminders(now=SEVEN_DAYS_BEFORE + timedelta(hours=1)) == 0
    assert reminder_keys() == {
        f"jury-ballot-deadline:{chair.pk}:7",
        f"jury-ballot-deadline:{member.pk}:7",
    }

    with time_machine.travel(TWO_DAYS_BEFORE - timedelta(minutes=1), tick=False):
        assert send_ballot_reminders() == 0
    with time_machine.travel(TWO_DAYS_BEFORE, tick=False):
        vote.cast_ballot(juror=chair, ranking_groups=[[beta.pk]])
        assert send_ballot_reminders() == 1
        assert send_ballot_reminders() == 0
    assert reminder_keys() == {
        f"jury-ballot-deadline:{chair.pk}:7",
        f"jury-ballot-deadline:{member.pk}:7",
        f"jury-ballot-deadline:{member.pk}:2",
    }
    assert set(ReminderSent.objects.values_list("juror_id", "kind", "days_before")) == {
        (chair.pk, "ballot", 7),
        (member.pk, "ballot", 7),
        (member.pk, "ballot", 2),
    }
    assert send_due_ballot_reminders(now=DEADLINE) == 0


def test_the_reminder_in_each_language(open_ballot, chair, member):
    send_due_ballot_reminders(now=TWO_DAYS_BEFORE)

    english = OutboxMessage.objects.get(idempotency_key=f"jury-ballot-deadline:{member.pk}:2")
    rendered = render_email(*_parts(english))
    assert (english.recipient, english.language) == (member.user.email, "en")
    assert rendered.subject == f"The ballot of {open_ballot} closes soon"
    assert f"The ballot of {open_ballot} closes on April 3, 2041, 5 p.m." in rendered.text
    assert f"http://127.0.0.1:8000/en/jury/{open_ballot.year}/ballot/" in rendered.text
    assert f'href="http://127.0.0.1:8000/en/jury/{open_ballot.year}/ballot/"' in rendered.html
    swedish = OutboxMessage.objects.get(idempotency_key=f"jury-ballot-deadline:{chair.pk}:2")
    rendered = render_email(*_parts(swedish))
    assert swedish.language == "sv"
    assert "3 april 2041 17:00" in rendered.text
    assert f'href="http://127.0.0.1:8000/jury/{open_ballot.year}/ballot/"' in rendered.html


def test_a_late_opening_sends_one_reminder_and_records_both_offsets(open_ballot, chair, member):
    assert send_due_ballot_reminders(now=TWO_DAYS_BEFORE + timedelta(hours=1)) == 2

    assert reminder_keys() == {
        f"jury-ballot-deadline:{chair.pk}:2",
        f"jury-ballot-deadline:{member.pk}:2",
    }
    assert ReminderSent.objects.filter(kind="ballot").count() == 4


def test_ballot_and_scoring_reminders_do_not_claim_each_other(open_ballot, member):
    ReminderSent.objects.create(juror=member, kind=ReminderSent.Kind.SCORING, days_before=7)

    assert send_due_ballot_reminders(now=SEVEN_DAYS_BEFORE) == 2


@pytest.mark.parametrize("state", ["no_shortlist", "decided", "no_deadline", "past_deadline"])
def test_no_ballot_reminders_outside_an_open_ballot(open_ballot, state):
    now = TWO_DAYS_BEFORE
    if state == "no_shortlist":
        ShortlistEntry.objects.all().delete()
    elif state == "decided":
        open_ballot.decided_at = now - timedelta(hours=1)
    elif state == "no_deadline":
        open_ballot.ballot_deadline = None
    else:
        now = DEADLINE + timedelta(seconds=1)
    open_ballot.save()

    assert send_due_ballot_reminders(now=now) == 0
    assert reminder_keys() == set()
    assert not ReminderSent.objects.exists()


def test_a_dismissed_conflict_leaves_the_juror_a_ballot(open_ballot, nominees, member):
    for nominee in nominees:
        ConflictDeclarationFactory(
            juror=member,
            nominee=nominee,
            conflicted=True,
            ruling=ConflictDeclaration.Ruling.DISMISSED,
        )

    send_due_ballot_reminders(now=TWO_DAYS_BEFORE)

    assert f"jury-ballot-deadline:{member.pk}:2" in reminder_keys()
