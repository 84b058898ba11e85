"""The jury's workflow tells whoever's turn it is, through the outbox, in their language."""

import pytest

from jury.services import vote
from jury.services.assignment import open_scoring
from jury.services.conflicts import Answer, declare_conflicts, rule_on_conflict
from nominations.models import Nomination
from outbox.emails import render_email
from outbox.models import OutboxMessage
from tests.factories import (
    ConflictDeclarationFactory,
    CriterionFactory,
    EditionFactory,
    SecretariatFactory,
    eligible_nominees,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(scoring=True, scoring_opened_at=None)


@pytest.fixture
def nominees(edition):
    return eligible_nominees(edition, "Alfateamet", "Betagruppen")


@pytest.fixture
def secretariat():
    return SecretariatFactory(language="sv")


def mails(template: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template=template).order_by("recipient"))


def rendered(message: OutboxMessage):
    return render_email(message.template, message.context, message.language)


def test_opening_the_scoring_mails_each_juror_in_their_language(
    edition, nominees, chair, member, secretariat
):
    CriterionFactory(edition=edition)

    open_scoring(edition=edition, by=secretariat)
    open_scoring(edition=edition, by=secretariat)

    sent = {message.recipient: message for message in mails("jury_scoring_opened")}
    assert set(sent) == {chair.user.email, member.user.email}
    english = rendered(sent[member.user.email])
    assert english.subject == f"Scoring of {edition} has opened"
    assert f"/en/jury/{edition.year}/nominees/" in english.text
    swedish = rendered(sent[chair.user.email])
    assert swedish.subject == f"Bedömningen av {edition} har öppnat"
    assert f"/jury/{edition.year}/nominees/" in swedish.html


def declare_a_conflict_on_the_first(juror, nominees, *, reason: str) -> None:
    """The juror's own declarations: a conflict on the first nominee, none on the second."""
    declare_conflicts(
        juror=juror,
        answers={nominees[0].pk: Answer(True, reason), nominees[1].pk: Answer(False)},
        by=juror.user,
    )


def test_a_declared_conflict_mails_the_chair_and_the_ruling_mails_the_juror(
    edition, nominees, chair, member, secretariat
):
    declare_a_conflict_on_the_first(member, nominees, reason="My sister works there.")

    awaiting = mails("jury_conflict_awaits_ruling")
    assert [message.recipient for message in awaiting] == [chair.user.email]
    assert f"/jury/{edition.year}/conflicts/rulings/" in rendered(awaiting[0]).text

    declaration = member.conflicts.get(nominee=nominees[0])
    rule_on_conflict(declaration=declaration, upheld=True, reason="Nära släkt.", by=chair.user)

    ruled = mails("jury_conflict_ruled")
    assert [message.recipient for message in ruled] == [member.user.email]
    text = rendered(ruled[0]).text
    assert "Alfateamet" in text
    assert "Nära släkt." in text
    assert "has been ruled on: Conflict of interest" in text


def test_the_chairs_own_declaration_mails_the_secretariat(
    edition, nominees, chair, member, secretariat
):
    declare_a_conflict_on_the_first(chair, nominees, reason="Jag satt i styrelsen.")

    assert [message.recipient for message in mails("jury_conflict_awaits_ruling")] == [
        secretariat.email
    ]


def test_a_conflicted_chair_is_not_asked_to_rule_on_the_same_nominee(
    edition, nominees, chair, member, secretariat
):
    ConflictDeclarationFactory(juror=chair, nominee=nominees[0], conflicted=True, reason="Styrelse")

    declare_conflicts(
        juror=member, answers={nominees[0].pk: Answer(True, "Granne.")}, by=member.user
    )

    assert [message.recipient for message in mails("jury_conflict_awaits_ruling")] == [
        secretariat.email
    ]


def test_setting_the_shortlist_opens_the_ballot_for_each_juror_with_the_link(
    edition, nominees, chair, member, secretariat
):
    vote.set_shortlist(edition=edition, nominees=nominees, by=chair.user)
    vote.set_shortlist(edition=edition, nominees=nominees, by=chair.user)

    sent = {message.recipient: message for message in mails("jury_ballot_opened")}
    assert set(sent) == {chair.user.email, member.user.email}
    assert f"/en/jury/{edition.year}/ballot/" in rendered(sent[member.user.email]).text
    assert f'/jury/{edition.year}/ballot/"' in rendered(sent[chair.user.email]).html


def test_the_decision_is_mailed_to_the_jury_and_the_secretariat_only(
    edition, nominees, chair, member, secretariat
):
    vote.set_shortlist(edition=edition, nominees=nominees, by=chair.user)
    nominator = Nomination.objects.filter(nominee=nominees[0]).get().nominator

    vote.record_decision(
        edition=edition,
        winner=nominees[0],
        honourable_mentions=[],
        minutes="Enhälligt.",
        by=chair.user,
    )

    sent = mails("jury_decision_recorded")
    assert {message.recipient for message in sent} == {
        chair.user.email,
        member.user.email,
        secretariat.email,
    }
    assert all("Alfateamet" in rendered(message).text for message in sent)
    # Nobody outside the jury and the secretariat hears a word of it before publication.
    assert not OutboxMessage.objects.filter(recipient=nominator.email).exists()
