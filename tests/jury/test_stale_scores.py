"""A stale scoring tab, a double click, two tabs at once: a post changes only what it carries,
and a post from a form older than what is saved is refused with nothing lost."""

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from jury.models import Assignment, ConflictDeclaration, Score
from jury.selectors.scoring import score_version
from jury.services import scoring
from nominations.models import Nomination
from tests.factories import CriterionFactory, EditionFactory, JurorFactory, NominationFactory
from tests.helpers import jury_url as url

pytestmark = pytest.mark.django_db

STALE = (
    "Your scores for this nominee were changed in another tab or window since this page was "
    "opened. Nothing was saved: reload the page to see the saved scores, then make your change "
    "again."
)


def setting_up():
    now = timezone.now()
    edition = EditionFactory(
        scoring=True,
        scoring_deadline=now + timedelta(days=10),
    )
    criteria = [CriterionFactory(edition=edition, position=i) for i in range(5)]
    nominee = NominationFactory(
        submitted=True, edition=edition, nominee_name="Frida", status=Nomination.Status.ELIGIBLE
    ).nominee
    juror = JurorFactory(edition=edition)
    Assignment.objects.create(juror=juror, nominee=nominee)
    ConflictDeclaration.objects.create(juror=juror, nominee=nominee, conflicted=False)
    return edition, criteria, nominee, juror


@pytest.fixture
def setup():
    return setting_up()


def form_data(html: str) -> dict:
    """What the browser would post from the page: every field as rendered."""
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html):
        data[name] = value
    radios = r'<input type="radio" name="(\w+)" value="([^"]*)"[^>]*checked'
    for name, value in re.findall(radios, html):
        data[name] = value
    for name, value in re.findall(r'<textarea name="(\w+)"[^>]*>([^<]*)</textarea>', html, re.S):
        data[name] = value.strip()
    return data


def saved(juror, nominee) -> dict[int, tuple[int, str]]:
    return {
        s.criterion_id: (s.value, s.comment)
        for s in Score.objects.filter(juror=juror, nominee=nominee)
    }


@pytest.mark.parametrize("view", ["score", "autosave"])
def test_a_stale_tab_is_refused_and_loses_nothing(client, setup, view):
    edition, criteria, nominee, juror = setup
    client.force_login(juror.user)
    page = url("score", edition.year, nominee.pk)
    stale = form_data(client.get(page).content.decode())
    assert "version" in stale
    # The other tab scores four criteria, with comments.
    fresh = form_data(client.get(page).content.decode())
    for criterion in criteria[1:]:
        fresh[f"score_{criterion.pk}"] = "4"
        fresh[f"comment_{criterion.pk}"] = f"Bra {criterion.pk}"
    assert client.post(page, fresh).status_code == 302
    before = saved(juror, nominee)
    assert len(before) == 4

    # The stale tab posts its one score, and "not scored yet" for the others.
    stale[f"score_{criteria[0].pk}"] = "2"
    response = client.post(url(view, edition.year, nominee.pk), stale, follow=True)

    assert saved(juror, nominee) == before
    if view == "autosave":
        assert response.status_code == 409
        assert response.json() == {"saved": False, "stale": True, "message": STALE}
    else:
        assert STALE in " ".join(response.content.decode().split())


def test_a_post_changes_only_what_it_carries(client, setup):
    edition, criteria, nominee, juror = setup
    for criterion in criteria:
        Score.objects.create(
            juror=juror, nominee=nominee, criterion=criterion, value=3, comment="Kvar"
        )
    client.force_login(juror.user)

    response = client.post(
        url("autosave", edition.year, nominee.pk), {f"score_{criteria[0].pk}": "5"}
    )

    assert response.status_code == 200
    assert saved(juror, nominee) == {
        criteria[0].pk: (5, "Kvar"),
        **{c.pk: (3, "Kvar") for c in criteria[1:]},
    }


def test_a_double_click_saves_once_and_refuses_nothing(client, setup):
    edition, criteria, nominee, juror = setup
    client.force_login(juror.user)
    page = url("score", edition.year, nominee.pk)
    data = form_data(client.get(page).content.decode())
    data[f"score_{criteria[0].pk}"] = "5"

    first = client.post(url("autosave", edition.year, nominee.pk), data)
    second = client.post(url("autosave", edition.year, nominee.pk), data)

    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["version"] == first.json()["version"]
    assert saved(juror, nominee) == {criteria[0].pk: (5, "")}


def test_the_version_moves_on_with_each_save(setup):
    _edition, criteria, nominee, juror = setup
    version = score_version(juror, nominee)

    after = scoring.save_scores(
        juror=juror, nominee=nominee, values={criteria[0].pk: 2}, expected_version=version
    )

    assert after == version + 1 == score_version(juror, nominee)
    with pytest.raises(scoring.StaleScores):
        scoring.save_scores(
            juror=juror, nominee=nominee, values={criteria[0].pk: 4}, expected_version=version
        )
    assert saved(juror, nominee) == {criteria[0].pk: (2, "")}


@pytest.mark.django_db(transaction=True)
def test_two_tabs_racing_one_wins_and_nothing_is_mixed():
    _edition, criteria, nominee, juror = setting_up()
    version = score_version(juror, nominee)
    barrier = threading.Barrier(2)
    outcomes = []

    def tab(value: int):
        try:
            barrier.wait()
            scoring.save_scores(
                juror=juror,
                nominee=nominee,
                values={c.pk: value for c in criteria},
                comments={c.pk: f"Flik {value}" for c in criteria},
                expected_version=version,
            )
            outcomes.append(("saved", value))
        except scoring.StaleScores:
            outcomes.append(("stale", value))
        finally:
            connection.close()

    threads = [threading.Thread(target=tab, args=(value,)) for value in (2, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(kind for kind, _value in outcomes) == ["saved", "stale"]
    winner = next(value for kind, value in outcomes if kind == "saved")
    assert saved(juror, nominee) == {c.pk: (winner, f"Flik {winner}") for c in criteria}
    assert score_version(juror, nominee) == version + 1
