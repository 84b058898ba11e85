"""An edition whose jury has decided: the starting point of every publication test."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from jury.models import ShortlistEntry
from jury.services.vote import record_decision
from nominations.models import Edition, Nomination, Nominee
from publication.models import Announcement
from tests.factories import (
    ChairFactory,
    CriterionFactory,
    JurorFactory,
    NominationFactory,
    ScoreFactory,
    SecretariatFactory,
    UserFactory,
)

WINNER = "Demo: Stödcentrum Exempelstad"


@dataclass
class Decided:
    edition: Edition
    announcement: Announcement
    chair: object
    member: object
    secretariat: object
    winner: Nominee
    runner_up: Nominee
    winner_nominators: list
    other_nominators: list


def make_decided_edition(*, year: int = 2041) -> Decided:
    edition = Edition.objects.create(
        year=year,
        ordinal=year - 2015,
        nominations_open_at=timezone.now() - timedelta(days=120),
        nominations_close_at=timezone.now() - timedelta(days=90),
        scoring_deadline=timezone.now() - timedelta(days=30),
        announcement_at=timezone.now() + timedelta(days=5),
        conference_date=(timezone.now() + timedelta(days=5)).date(),
        conference_theme="samverkan över gränser",
        screening_completed_at=timezone.now() - timedelta(days=80),
    )
    chair = ChairFactory(edition=edition, user__first_name="Cecilia", user__last_name="Ordförande")
    member = JurorFactory(edition=edition, user__language="en")
    secretariat = SecretariatFactory(first_name="Kim", last_name="Kansliet")
    winner_nominators = [UserFactory(), UserFactory(language="en")]
    other_nominators = [UserFactory(), UserFactory()]
    winner_nominations = [
        NominationFactory(
            edition=edition,
            nominator=user,
            nominee_name=WINNER,
            submitted=True,
            status=Nomination.Status.ELIGIBLE,
        )
        for user in winner_nominators[:1]
    ]
    winner = winner_nominations[0].nominee
    NominationFactory(
        edition=edition,
        nominator=winner_nominators[1],
        nominee_name=WINNER,
        nominee=winner,
        submitted=True,
        status=Nomination.Status.ELIGIBLE,
    )
    runner_up = NominationFactory(
        edition=edition,
        nominator=other_nominators[0],
        submitted=True,
        status=Nomination.Status.ELIGIBLE,
    ).nominee
    NominationFactory(
        edition=edition,
        nominator=other_nominators[1],
        submitted=True,
        status=Nomination.Status.NOT_ELIGIBLE,
    )
    # Drafts and withdrawn nominations are not part of the edition: their authors hear nothing.
    NominationFactory(edition=edition, nominator=UserFactory(email="utkast@example.org"))
    criteria = [
        CriterionFactory(edition=edition, name="Långsiktighet"),
        CriterionFactory(edition=edition, name="Samverkan"),
    ]
    ScoreFactory(
        juror=chair,
        nominee=winner,
        criterion=criteria[0],
        value=5,
        comment="Fem års uthålligt arbete.",
    )
    ScoreFactory(
        juror=member, nominee=winner, criterion=criteria[1], value=4, comment="Samverkar brett."
    )
    ScoreFactory(juror=member, nominee=winner, criterion=criteria[0], value=5, comment="")
    for nominee in (winner, runner_up):
        ShortlistEntry.objects.create(edition=edition, nominee=nominee)
    decision = record_decision(
        edition=edition,
        winner=winner,
        honourable_mentions=[runner_up],
        minutes="Juryn enades om vinnaren.",
        by=chair.user,
    )
    return Decided(
        edition=edition,
        announcement=Announcement.objects.get(decision=decision),
        chair=chair.user,
        member=member.user,
        secretariat=secretariat,
        winner=winner,
        runner_up=runner_up,
        winner_nominators=winner_nominators,
        other_nominators=other_nominators,
    )


@pytest.fixture
def decided(db) -> Decided:
    return make_decided_edition()


def approve_both(decided: Decided, *, citation: str = "Demo: en motivering.") -> Announcement:
    from publication.services import approve_announcement, update_announcement

    announcement = update_announcement(
        decided.announcement,
        by=decided.chair,
        data={"citation": citation, "lead": "Demo: priset går till ett stödcentrum."},
        expected_version=decided.announcement.version,
    )
    approve_announcement(announcement, by=decided.chair, version=announcement.version)
    approve_announcement(announcement, by=decided.secretariat, version=announcement.version)
    announcement.refresh_from_db()
    return announcement
