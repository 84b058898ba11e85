"""Conflicts of interest are a record: once declared, a conflict is only withdrawn by a ruling,
and every declaration, withdrawal request and ruling stays, with who, when and why."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from jury import reports
from jury.models import ConflictDeclaration, ConflictEvent, Score
from jury.selectors.scoring import assigned_candidates
from jury.services.conflicts import (
    Answer,
    declare_conflicts,
    request_withdrawal,
    rule_on_conflict,
)
from jury.services.scoring import reopen_scores
from tests.factories import (
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    UserFactory,
    eligible_nominees,
)
from tests.helpers import jury_url as url
from tests.helpers import visible_text

pytestmark = pytest.mark.django_db

Ruling = ConflictDeclaration.Ruling
Kind = ConflictEvent.Kind


@pytest.fixture
def edition():
    now = timezone.now()
    return EditionFactory(
        screened=True,
        scoring_opened_at=now - timedelta(hours=1),
    )


@pytest.fixture
def nominees(edition):
    return eligible_nominees(edition, "Alfa-enheten", "Beta-teamet")


@pytest.fixture
def juror(edition, nominees):
    juror = JurorFactory(edition=edition, user=UserFactory(first_name="Maja", last_name="Medlem"))
    for nominee in nominees:
        juror.assignments.create(nominee=nominee)
    return juror


def post(nominees, ticked: dict[int, str]) -> dict:
    data = {}
    for nominee in nominees:
        if nominee.pk in ticked:
            data[f"conflicted_{nominee.pk}"] = "on"
        data[f"reason_{nominee.pk}"] = ticked.get(nominee.pk, "")
    return data


def test_resubmitting_the_form_unticked_keeps_an_upheld_conflict(
    client, edition, juror, chair, nominees
):
    alfa, beta = nominees
    client.force_login(juror.user)
    client.post(url("conflicts", edition.year), post(nominees, {alfa.pk: "Min arbetsgivare."}))
    declaration = ConflictDeclaration.objects.get(juror=juror, nominee=alfa)
    rule_on_conflict(declaration=declaration, upheld=True, reason="Anställd.", by=chair.user)

    # The same form again, the box unticked and the reasons empty.
    response = client.post(url("conflicts", edition.year), post(nominees, {}))

    assert response.status_code == 302
    declaration.refresh_from_db()
    assert (declaration.conflicted, declaration.reason, declaration.ruling) == (
        True,
        "Min arbetsgivare.",
        Ruling.UPHELD,
    )
    assert list(ConflictDeclaration.objects.effective()) == [declaration]
    # The nominee stays closed to the juror, even once the chair reopens their scores.
    juror.scores_submitted_at = timezone.now()
    juror.save()
    reopen_scores(juror=juror, by=chair.user)
    assert list(assigned_candidates(juror)) == [beta]
    assert client.get(url("score", edition.year, alfa.pk)).status_code == 404
    # And the protocol still records the conflict.
    protocol = reports.load_protocol(edition)
    assert [(d.juror, d.nominee, d.ruling) for d in protocol.conflicts] == [
        (juror, alfa, Ruling.UPHELD)
    ]


def test_the_service_never_removes_a_conflict(edition, juror, nominees):
    alfa, _beta = nominees
    declare_conflicts(juror=juror, answers={alfa.pk: Answer(True, "Vi nominerade.")}, by=juror.user)

    changed = declare_conflicts(juror=juror, answers={alfa.pk: Answer(False)}, by=juror.user)

    assert changed == []
    declaration = ConflictDeclaration.objects.get(juror=juror, nominee=alfa)
    assert (declaration.conflicted, declaration.ruling) == (True, Ruling.PENDING)
    assert [e.kind for e in declaration.events.all()] == [Kind.DECLARED]


def test_a_later_form_can_add_a_conflict(edition, juror, nominees):
    alfa, beta = nominees
    declare_conflicts(
        juror=juror, answers={alfa.pk: Answer(False), beta.pk: Answer(False)}, by=juror.user
    )

    declare_conflicts(juror=juror, answers={beta.pk: Answer(True, "Nu vet jag.")}, by=juror.user)

    declaration = ConflictDeclaration.objects.get(juror=juror, nominee=beta)
    assert (declaration.conflicted, declaration.reason, declaration.ruling) == (
        True,
        "Nu vet jag.",
        Ruling.PENDING,
    )
    assert [e.kind for e in declaration.events.all()] == [Kind.NO_CONFLICT, Kind.DECLARED]


def test_a_changed_reason_keeps_the_earlier_ruling_in_the_history(edition, juror, chair, nominees):
    alfa, _beta = nominees
    declare_conflicts(juror=juror, answers={alfa.pk: Answer(True, "Första.")}, by=juror.user)
    declaration = ConflictDeclaration.objects.get(juror=juror, nominee=alfa)
    rule_on_conflict(declaration=declaration, upheld=True, reason="Anställd.", by=chair.user)

    declare_conflicts(juror=juror, answers={alfa.pk: Answer(True, "Andra.")}, by=juror.user)

    declaration.refresh_from_db()
    # A changed declaration awaits a new ruling (and keeps the juror away meanwhile) ...
    assert (declaration.reason, declaration.ruling) == ("Andra.", Ruling.PENDING)
    assert list(ConflictDeclaration.objects.effective()) == [declaration]
    # ... and the earlier ruling is kept in the history.
    history = [(e.kind, e.reason, e.by) for e in declaration.events.all()]
    assert history == [
        (Kind.DECLARED, "Första.", juror.user),
        (Kind.UPHELD, "Anställd.", chair.user),
        (Kind.AMENDED, "Andra.", juror.user),
    ]


def test_withdrawal_is_requested_by_the_juror_and_granted_by_a_ruling(
    client, edition, juror, chair, nominees
):
    alfa, beta = nominees
    declare_conflicts(juror=juror, answers={alfa.pk: Answer(True, "Trodde jag.")}, by=juror.user)
    declaration = ConflictDeclaration.objects.get(juror=juror, nominee=alfa)
    rule_on_conflict(declaration=declaration, upheld=True, reason="Ja.", by=chair.user)
    client.force_login(juror.user)

    response = client.post(
        url("withdraw", edition.year, declaration.pk), {"reason": "Fel enhet, jag tog miste."}
    )

    assert response.status_code == 302
    declaration.refresh_from_db()
    # Asking is not withdrawing: the nominee stays closed until the ruling.
    assert declaration.withdrawal_requested_at is not None
    assert list(ConflictDeclaration.objects.effective()) == [declaration]
    assert list(assigned_candidates(juror)) == [beta]
    client.force_login(chair.user)
    page = client.get(url("rulings", edition.year))
    assert "Fel enhet, jag tog miste." in visible_text(page)
    assert f'action="{url("rule", edition.year, declaration.pk)}"' in page.content.decode()

    client.post(
        url("rule", edition.year, declaration.pk),
        {"ruling": "dismissed", "reason": "Godtas: annan enhet."},
    )

    declaration.refresh_from_db()
    assert (declaration.ruling, declaration.withdrawal_requested_at) == (Ruling.DISMISSED, None)
    assert list(ConflictDeclaration.objects.effective()) == []
    assert set(assigned_candidates(juror)) == {alfa, beta}
    history = [(e.kind, e.reason, e.by) for e in declaration.events.all()]
    assert history == [
        (Kind.DECLARED, "Trodde jag.", juror.user),
        (Kind.UPHELD, "Ja.", chair.user),
        (Kind.WITHDRAWAL_REQUESTED, "Fel enhet, jag tog miste.", juror.user),
        (Kind.DISMISSED, "Godtas: annan enhet.", chair.user),
    ]
    assert all(timezone.now() - e.at < timedelta(minutes=1) for e in declaration.events.all())


def test_only_the_juror_asks_and_a_reason_is_needed(edition, juror, chair, nominees):
    declare_conflicts(juror=juror, answers={nominees[0].pk: Answer(True, "Ja.")}, by=juror.user)
    declaration = ConflictDeclaration.objects.get(juror=juror)

    with pytest.raises(PermissionDenied):
        request_withdrawal(declaration=declaration, reason="Nej.", by=chair.user)
    with pytest.raises(ValueError, match="needs a reason"):
        request_withdrawal(declaration=declaration, reason=" ", by=juror.user)

    declaration.refresh_from_db()
    assert declaration.withdrawal_requested_at is None


def test_withdrawal_page_needs_a_reason_and_is_the_juror_s_own(
    client, edition, juror, chair, nominees
):
    declare_conflicts(juror=juror, answers={nominees[0].pk: Answer(True, "Ja.")}, by=juror.user)
    declaration = ConflictDeclaration.objects.get(juror=juror)
    client.force_login(juror.user)

    empty = client.post(url("withdraw", edition.year, declaration.pk), {"reason": ""})
    client.force_login(chair.user)
    other = client.post(url("withdraw", edition.year, declaration.pk), {"reason": "Nej."})

    assert empty.status_code == 200
    assert "Say why you want to withdraw the declaration." in visible_text(empty)
    assert other.status_code == 404
    declaration.refresh_from_db()
    assert declaration.withdrawal_requested_at is None


def test_the_chair_s_withdrawal_is_ruled_on_by_the_secretariat(
    edition, chair, secretariat, nominees
):
    declare_conflicts(juror=chair, answers={nominees[0].pk: Answer(True, "Ja.")}, by=chair.user)
    declaration = ConflictDeclaration.objects.get(juror=chair)
    request_withdrawal(declaration=declaration, reason="Misstag.", by=chair.user)

    with pytest.raises(PermissionDenied):
        rule_on_conflict(declaration=declaration, upheld=False, reason="Nej.", by=chair.user)
    rule_on_conflict(declaration=declaration, upheld=False, reason="Godtas.", by=secretariat)

    assert [(e.kind, e.by) for e in declaration.events.all()] == [
        (Kind.DECLARED, chair.user),
        (Kind.WITHDRAWAL_REQUESTED, chair.user),
        (Kind.DISMISSED, secretariat),
    ]


def test_conflict_events_cannot_be_changed_or_deleted(edition, juror, nominees):
    declare_conflicts(juror=juror, answers={nominees[0].pk: Answer(True, "Ja.")}, by=juror.user)
    event = ConflictEvent.objects.get()

    event.reason = "Ändrad."
    with pytest.raises(ValueError, match="never changed"):
        event.save()
    with pytest.raises(ValueError, match="never deleted"):
        event.delete()
    with pytest.raises(ValueError, match="never deleted"):
        ConflictEvent.objects.all().delete()
    with pytest.raises(ValueError, match="never changed"):
        ConflictEvent.objects.update(reason="Ändrad.")
    assert ConflictEvent.objects.get().reason == "Ja."


def test_the_protocol_and_the_rulings_page_show_the_history(
    client, edition, juror, chair, nominees
):
    alfa, _beta = nominees
    CriterionFactory(edition=edition)
    declare_conflicts(juror=juror, answers={alfa.pk: Answer(True, "Första.")}, by=juror.user)
    declaration = ConflictDeclaration.objects.get(juror=juror, nominee=alfa)
    rule_on_conflict(declaration=declaration, upheld=True, reason="Anställd.", by=chair.user)
    request_withdrawal(declaration=declaration, reason="Slutade i maj.", by=juror.user)
    rule_on_conflict(declaration=declaration, upheld=True, reason="Står fast.", by=chair.user)

    with translation.override("en"):
        story = reports.protocol_story(reports.load_protocol(edition))
    texts = []
    for flowable in story:
        if hasattr(flowable, "_cellvalues"):
            texts.extend(cell.text for row in flowable._cellvalues for cell in row)
        elif hasattr(flowable, "text"):
            texts.append(flowable.text)
    history = " | ".join(texts)
    for sentence in ("Första.", "Anställd.", "Slutade i maj.", "Står fast."):
        assert sentence in history
    assert "Withdrawal requested" in history
    client.force_login(chair.user)
    page = visible_text(client.get(url("rulings", edition.year)))
    assert re.search(
        r"Declared a conflict of interest by Maja Medlem .*Första\..*"
        r"Upheld by Cecilia Chair .*Anställd\..*"
        r"Withdrawal requested by Maja Medlem .*Slutade i maj\..*Upheld by Cecilia Chair "
        r".*Står fast\.",
        page,
    ), page
    assert Score.objects.count() == 0
