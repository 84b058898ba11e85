"""Opening the scoring: who scores which nominee. The balancing is tested without the
database first, then `open_scoring` against it."""

import random

import pytest
from django.utils import timezone, translation

from jury.models import Assignment, ConflictDeclaration, Juror
from jury.services.assignment import (
    NotEnoughJurorsError,
    OpeningRefused,
    balance,
    open_scoring,
)
from nominations.models import Nomination
from tests.factories import (
    CriterionFactory,
    JurorFactory,
    NominationFactory,
    SecretariatFactory,
    eligible_nominee,
)

# Screening is completed: the edition is with the jury, scoring not yet open.
pytestmark = pytest.mark.edition(screened=True)

# --- balance(), no database ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _english():
    # The refusals are asserted word for word in the source language.
    with translation.override("en"):
        yield


def loads(assignment, juror_ids) -> dict[int, int]:
    """How many nominees each juror scores under `assignment` (a juror with none: 0)."""
    counts = dict.fromkeys(juror_ids, 0)
    for chosen in assignment.values():
        for juror in chosen:
            counts[juror] += 1
    return counts


def _spread(assignment, jurors) -> int:
    counts = loads(assignment, jurors).values()
    return max(counts) - min(counts)


def test_balance_without_conflicts_gives_each_nominee_k_jurors_round_robin():
    nominees, jurors = [10, 11, 12, 13, 14, 15, 16], [1, 2, 3, 4, 5]

    assignment = balance(nominees, jurors, [], 2)

    assert assignment == {
        10: [1, 2],
        11: [3, 4],
        12: [1, 5],
        13: [2, 3],
        14: [4, 5],
        15: [1, 2],
        16: [3, 4],
    }
    assert loads(assignment, jurors) == {1: 3, 2: 3, 3: 3, 4: 3, 5: 2}


def test_balance_keeps_jurors_off_the_nominees_they_are_conflicted_on():
    # Juror 1 is conflicted on nominees 10 and 11; juror 2 on 10.
    conflicts = {(1, 10), (1, 11), (2, 10)}

    assignment = balance([10, 11, 12, 13], [1, 2, 3, 4], conflicts, 2)

    # 10 has the fewest free jurors (3 and 4) and goes first, then 11 (2, 3, 4): of 3 and 4,
    # loaded equally by now, the lower id. Then 12 and 13 take the least loaded.
    assert assignment == {10: [3, 4], 11: [2, 3], 12: [1, 2], 13: [1, 4]}
    assert not any(
        (juror, nominee) in conflicts for nominee, js in assignment.items() for juror in js
    )
    assert _spread(assignment, [1, 2, 3, 4]) == 0


def test_balance_names_every_nominee_that_cannot_get_k_free_jurors():
    conflicts = {(1, 10), (2, 10), (1, 12)}

    with pytest.raises(NotEnoughJurorsError) as refused:
        balance([10, 11, 12], [1, 2, 3], conflicts, 2)

    assert refused.value.nominee_ids == (10,)
    assert refused.value.k == 2


def test_balance_refuses_more_jurors_than_there_are():
    with pytest.raises(NotEnoughJurorsError) as refused:
        balance([10, 11], [1, 2], [], 3)

    assert refused.value.nominee_ids == (10, 11)


def test_balance_refuses_k_below_one():
    with pytest.raises(ValueError, match="at least 1"):
        balance([10], [1], [], 0)


def test_balance_of_nothing_is_empty():
    assert balance([], [1, 2], [], 1) == {}


@pytest.mark.parametrize("seed", range(40))
def test_balance_invariants_on_random_juries(seed):
    rng = random.Random(seed)
    jurors = list(range(1, rng.randint(2, 12) + 1))
    nominees = list(range(100, 100 + rng.randint(1, 40)))
    k = rng.randint(1, len(jurors))
    conflicts = set()
    if seed % 2:  # every other jury has a few conflicts
        conflicts = {(rng.choice(jurors), rng.choice(nominees)) for _ in range(len(nominees) // 3)}

    free = {n: [j for j in jurors if (j, n) not in conflicts] for n in nominees}
    short = tuple(n for n in nominees if len(free[n]) < k)
    if short:
        with pytest.raises(NotEnoughJurorsError) as refused:
            balance(nominees, jurors, conflicts, k)
        assert refused.value.nominee_ids == short
        return

    assignment = balance(nominees, jurors, conflicts, k)

    assert sorted(assignment) == nominees
    for nominee, chosen in assignment.items():
        assert len(chosen) == k
        assert len(set(chosen)) == k
        assert all((juror, nominee) not in conflicts for juror in chosen)
    assert sum(loads(assignment, jurors).values()) == k * len(nominees)
    if not conflicts:
        assert _spread(assignment, jurors) <= 1


# --- open_scoring(), with the database -------------------------------------------------------


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def jury(edition):
    """Five jurors, seven candidates, one criterion; one nomination not eligible."""
    CriterionFactory(edition=edition)
    jurors = [JurorFactory(edition=edition) for _ in range(5)]
    nominees = [eligible_nominee(edition) for _ in range(7)]
    NominationFactory(submitted=True, edition=edition, status=Nomination.Status.NOT_ELIGIBLE)
    return jurors, nominees


def _pairs(edition) -> set[tuple[int, int]]:
    return set(
        Assignment.objects.filter(juror__edition=edition).values_list("juror_id", "nominee_id")
    )


def _declare(juror, nominee, ruling=ConflictDeclaration.Ruling.PENDING):
    return ConflictDeclaration.objects.create(
        juror=juror, nominee=nominee, conflicted=True, reason="Jag arbetar där.", ruling=ruling
    )


@pytest.mark.django_db
def test_open_scoring_assigns_every_juror_to_every_candidate(edition, jury, secretariat):
    jurors, nominees = jury

    made = open_scoring(edition=edition, by=secretariat)

    assert made == 35
    assert _pairs(edition) == {(j.pk, n.pk) for j in jurors for n in nominees}
    edition.refresh_from_db()
    assert edition.scoring_opened_at is not None


@pytest.mark.django_db
def test_open_scoring_balanced_gives_each_nominee_k_unconflicted_jurors(edition, jury, secretariat):
    jurors, nominees = jury
    # Pending and upheld conflicts keep the juror away; a dismissed one does not.
    _declare(jurors[0], nominees[0])
    _declare(jurors[1], nominees[0], ConflictDeclaration.Ruling.UPHELD)
    _declare(jurors[2], nominees[1], ConflictDeclaration.Ruling.DISMISSED)
    _declare(jurors[3], nominees[2])

    made = open_scoring(edition=edition, min_jurors_per_nominee=2, by=secretariat)

    assert made == 14
    pairs = _pairs(edition)
    for nominee in nominees:
        assert len([p for p in pairs if p[1] == nominee.pk]) == 2
    effective = set(ConflictDeclaration.objects.effective().values_list("juror_id", "nominee_id"))
    assert effective == {
        (jurors[0].pk, nominees[0].pk),
        (jurors[1].pk, nominees[0].pk),
        (jurors[3].pk, nominees[2].pk),
    }
    assert not pairs & effective
    per_juror = [len([p for p in pairs if p[0] == juror.pk]) for juror in jurors]
    assert sorted(per_juror) == [2, 3, 3, 3, 3]


def _refusal(edition, *, by, **options) -> str:
    """Why `open_scoring` refuses: the message of the OpeningRefused it must raise."""
    with pytest.raises(OpeningRefused) as refused:
        open_scoring(edition=edition, by=by, **options)
    return str(refused.value.args[0])


@pytest.mark.django_db
def test_open_scoring_refuses_a_k_some_nominee_cannot_get(edition, jury, secretariat):
    jurors, nominees = jury
    for juror in jurors[:3]:
        _declare(juror, nominees[4])

    refusal = _refusal(edition, by=secretariat, min_jurors_per_nominee=3)

    assert refusal == (
        f"Not every nominee can get 3 jurors without a conflict of interest: {nominees[4].name}."
    )
    assert _pairs(edition) == set()
    edition.refresh_from_db()
    assert edition.scoring_opened_at is None


@pytest.mark.django_db
def test_open_scoring_refuses_more_jurors_than_the_jury_has(edition, jury, secretariat):
    with pytest.raises(OpeningRefused):
        open_scoring(edition=edition, min_jurors_per_nominee=6, by=secretariat)

    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_open_scoring_twice_does_nothing_the_second_time(edition, jury, secretariat):
    open_scoring(edition=edition, min_jurors_per_nominee=2, by=secretariat)
    edition.refresh_from_db()
    opened, pairs = edition.scoring_opened_at, _pairs(edition)

    again = open_scoring(edition=edition, by=secretariat)

    assert again is None
    edition.refresh_from_db()
    assert edition.scoring_opened_at == opened
    assert _pairs(edition) == pairs
    assert len(pairs) == 14


@pytest.mark.django_db
def test_open_scoring_waits_for_the_screening(jury, edition, secretariat):
    edition.screening_completed_at = None
    edition.save()

    refusal = _refusal(edition, by=secretariat)

    assert refusal == ("Scoring opens once screening is completed, and before the jury decides.")
    assert Assignment.objects.count() == 0


@pytest.mark.django_db
def test_open_scoring_is_refused_after_the_decision(jury, edition, secretariat):
    edition.decided_at = timezone.now()
    edition.save()

    with pytest.raises(OpeningRefused):
        open_scoring(edition=edition, by=secretariat)


@pytest.mark.django_db
def test_open_scoring_needs_criteria(edition, secretariat):
    JurorFactory(edition=edition)
    eligible_nominee(edition)

    assert _refusal(edition, by=secretariat) == "Add the criteria before scoring opens."


@pytest.mark.django_db
def test_open_scoring_needs_jurors_and_candidates(edition, secretariat):
    CriterionFactory(edition=edition)
    eligible_nominee(edition)
    no_jurors = _refusal(edition, by=secretariat)
    Juror.objects.create(edition=edition, user=secretariat)
    Nomination.objects.update(status=Nomination.Status.NOT_ELIGIBLE)
    no_candidates = _refusal(edition, by=secretariat)

    assert no_jurors == "Invite the jurors before scoring opens."
    assert no_candidates == "There is no eligible nomination to score."
    edition.refresh_from_db()
    assert edition.scoring_opened_at is None
