from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from nominations import services
from nominations.models import Edition, Nomination, Organisation
from outbox.models import OutboxMessage
from publication.models import Announcement
from tests.factories import (
    EditionFactory,
    NominationFactory,
    SecretariatFactory,
    UserFactory,
    valid_organisation_number,
)

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def closed_edition(**fields):
    now = timezone.now()
    return EditionFactory(
        nominations_open_at=now - timedelta(days=30),
        nominations_close_at=now - timedelta(days=1),
        **fields,
    )


def test_screening_is_refused_while_the_call_is_open():
    nomination = NominationFactory(submitted=True)

    with pytest.raises(services.ScreeningNotAllowed):
        services.screen_nomination(nomination, eligible=True, reason="", by=SecretariatFactory())

    nomination.refresh_from_db()
    assert nomination.status == "submitted"


def test_screening_is_refused_once_the_jury_has_the_nominations():
    edition = closed_edition()
    nomination = NominationFactory(submitted=True, edition=edition)
    services.complete_screening(edition, by=SecretariatFactory())

    with pytest.raises(services.ScreeningNotAllowed):
        services.screen_nomination(
            nomination, eligible=False, reason="Sent.", by=SecretariatFactory()
        )


def test_completing_screening_records_who_and_moves_the_edition_to_the_jury():
    edition = closed_edition()
    secretariat = SecretariatFactory()

    assert services.complete_screening(edition, by=secretariat) is True
    assert services.complete_screening(edition, by=secretariat) is False

    edition.refresh_from_db()
    assert edition.phase == Edition.Phase.JURY
    assert edition.screening_completed_by == secretariat


def test_completing_screening_is_refused_while_the_call_is_open():
    edition = EditionFactory()

    with pytest.raises(services.ScreeningNotAllowed):
        services.complete_screening(edition, by=SecretariatFactory())

    edition.refresh_from_db()
    assert edition.screening_completed_at is None


def test_copying_an_edition_moves_dates_a_year_keeping_the_local_time_across_dst():
    # 30 March 17:00 is summer time in 2040 (DST began 25 March) but winter time in 2041
    # (DST begins 31 March): the copy keeps 17:00 on the clock, not the UTC offset.
    edition = EditionFactory(
        year=2040,
        ordinal=25,
        call_text="Nominera!",
        conference_theme="Tema 2040",
        conference_date=date(2040, 2, 29),
        nominations_open_at=datetime(2040, 3, 1, 9, 0, tzinfo=STOCKHOLM),
        nominations_close_at=datetime(2040, 3, 30, 17, 0, tzinfo=STOCKHOLM),
        scoring_deadline=datetime(2040, 5, 1, 12, 0, tzinfo=STOCKHOLM),
        announcement_at=datetime(2040, 11, 20, 10, 0, tzinfo=STOCKHOLM),
    )

    copy = services.copy_edition(edition, year=2041)

    assert (copy.year, copy.ordinal, copy.call_text, copy.conference_theme) == (
        2041,
        26,
        "Nominera!",
        "",
    )
    assert copy.conference_date == date(2041, 2, 28)
    local = [
        timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")
        for moment in (copy.nominations_open_at, copy.nominations_close_at, copy.announcement_at)
    ]
    assert local == ["2041-03-01 09:00 CET", "2041-03-30 17:00 CET", "2041-11-20 10:00 CET"]


def test_copying_onto_an_existing_year_is_refused():
    edition = EditionFactory(year=2050)
    EditionFactory(year=2051)

    with pytest.raises(ValueError, match="2051"):
        services.copy_edition(edition, year=2051)


def test_current_edition_is_the_earliest_whose_winner_is_not_yet_published():
    done = EditionFactory(year=2060)
    Announcement.objects.create(
        edition=done, winner_name="X", citation="Y", published_at=timezone.now()
    )
    running = EditionFactory(year=2061)
    EditionFactory(year=2062)

    assert Edition.objects.current() == running


def test_the_call_shows_the_open_edition_while_an_earlier_one_is_with_the_jury():
    with_the_jury = EditionFactory(
        year=2070,
        nominations_open_at=timezone.now() - timedelta(days=100),
        nominations_close_at=timezone.now() - timedelta(days=50),
        screening_completed_at=timezone.now() - timedelta(days=20),
    )
    open_call = EditionFactory(year=2071)

    assert Edition.objects.current() == with_the_jury
    assert Edition.objects.for_the_call() == open_call


def test_the_call_shows_the_next_to_open_when_none_is_open():
    EditionFactory(
        year=2072,
        nominations_open_at=timezone.now() - timedelta(days=100),
        nominations_close_at=timezone.now() - timedelta(days=50),
    )
    upcoming = EditionFactory(
        year=2073,
        nominations_open_at=timezone.now() + timedelta(days=30),
        nominations_close_at=timezone.now() + timedelta(days=60),
    )

    assert Edition.objects.for_the_call() == upcoming


def _draft_closing_soon():
    edition = EditionFactory(nominations_close_at=timezone.now() + timedelta(minutes=5))
    return NominationFactory(edition=edition)


def test_the_call_closes_at_its_deadline_not_after_it():
    # The deadline is the first moment the call is closed: 17:00 means 16:59:59 is the last.
    draft = _draft_closing_soon()
    deadline = draft.edition.nominations_close_at
    with time_machine.travel(deadline - timedelta(microseconds=1), tick=False):
        assert draft.edition.accepts_nominations()
    with time_machine.travel(deadline, tick=False):
        assert not draft.edition.accepts_nominations()
        with pytest.raises(services.NominationClosed):
            services.submit_nomination(draft, by=draft.nominator)
    draft.refresh_from_db()
    assert draft.status == Nomination.Status.DRAFT
    assert draft.reference_number is None


def test_the_submit_service_itself_refuses_after_the_deadline():
    # Not only the view: a task, the shell or a second view calling the service is refused.
    draft = _draft_closing_soon()
    with time_machine.travel(draft.edition.nominations_close_at + timedelta(hours=1)):
        with pytest.raises(services.NominationClosed):
            services.submit_nomination(draft, by=draft.nominator)
        with pytest.raises(services.NominationClosed):
            services.save_and_submit(draft, by=draft.nominator)
    draft.refresh_from_db()
    assert draft.status == Nomination.Status.DRAFT
    assert draft.reference_number is None
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    "call",
    [
        pytest.param({"days_to_open": 5, "days_to_close": 30}, id="not-yet-open"),
        pytest.param({"days_to_open": -30, "days_to_close": -1}, id="closed"),
    ],
)
def test_the_draft_service_itself_refuses_outside_the_call(call):
    # The view checks the call too; the service must hold on its own (a second tab, a task).
    now = timezone.now()
    edition = EditionFactory(
        nominations_open_at=now + timedelta(days=call["days_to_open"]),
        nominations_close_at=now + timedelta(days=call["days_to_close"]),
    )

    with pytest.raises(services.NominationClosed):
        services.create_draft(edition=edition, by=UserFactory())

    assert not Nomination.objects.exists()


def test_an_organisation_is_recorded_once_and_found_by_its_number_as_first_written():
    number = valid_organisation_number(77)

    first = services.organisation_for(number=number, name="Kvinnojouren", kind="non_profit")
    # Typed without the hyphen and under another name: the same organisation, not renamed.
    again = services.organisation_for(number=number.replace("-", ""), name="Jouren")

    assert (again.pk, again.name, again.kind) == (first.pk, "Kvinnojouren", "non_profit")
    assert list(
        Organisation.objects.filter(organisation_number=number).values_list("name", "kind")
    ) == [("Kvinnojouren", "non_profit")]
    assert services.organisation_for(number=valid_organisation_number(78), name="Ny").kind == (
        "other"
    )
