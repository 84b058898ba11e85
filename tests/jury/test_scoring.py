"""Scoring: the juror's start page, the list of candidates, the scoring form, submission."""

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from jury.models import Assignment, ConflictDeclaration, Juror, Score, ScoringNote
from jury.selectors.scoring import nominations_for_juror
from jury.services import scoring
from nominations.models import Area, Attachment, Municipality, Nomination
from tests.factories import (
    AttachmentFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    NominationFactory,
    ScoreFactory,
    SecretariatFactory,
    UserFactory,
    assign,
    nomination_of,
)
from tests.helpers import (
    MASKED_PERSONAL_IDENTITY_NUMBER,
    PERSONAL_IDENTITY_NUMBER,
    assert_sent_to_sign_in,
)
from tests.helpers import jury_url as url

# An edition whose jury is scoring: opened ten days ago, closing in ten.
pytestmark = [pytest.mark.django_db, pytest.mark.edition(last_days_of_scoring=True)]


# --- Fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture
def criteria(edition):
    return [
        CriterionFactory(
            edition=edition,
            name="Långsiktighet",
            name_en="Long-term work",
            description="Hur arbetet har bedrivits över tid.",
            description_en="How the work has been carried on over time.",
            weight=2,
            scale_labels_en=["Weak", "Fair", "Good", "Very good", "Excellent"],
        ),
        CriterionFactory(edition=edition, name="Samverkan", name_en="Collaboration", weight=1),
    ]


def make_candidate(edition, name: str, *, nominations: int = 1, **fields):
    """A nominee with `nominations` eligible nominations."""
    first = NominationFactory(
        submitted=True,
        status=Nomination.Status.ELIGIBLE,
        edition=edition,
        nominee_name=name,
        **fields,
    )
    for _ in range(nominations - 1):
        NominationFactory(
            submitted=True,
            status=Nomination.Status.ELIGIBLE,
            edition=edition,
            nominee_name=name,
            nominee=first.nominee,
            **fields,
        )
    return first.nominee


@pytest.fixture
def nominees(edition):
    return [
        make_candidate(edition, "Stödcentrum Ärlinge"),
        make_candidate(edition, "Kvinnojouren Frida"),
    ]


@pytest.fixture
def juror(edition, nominees):
    return assign(
        JurorFactory(edition=edition, user=UserFactory(first_name="Jana", last_name="Juror")),
        nominees,
    )


@pytest.fixture
def chair(chair, nominees):
    """The jury's chair (tests/jury/conftest.py), assigned both nominees."""
    return assign(chair, nominees)


def score_all(juror, nominee, criteria, value=3):
    for criterion in criteria:
        ScoreFactory(juror=juror, nominee=nominee, criterion=criterion, value=value)


def post_data(criteria, *values, comments=(), notes=""):
    data = {"notes": notes}
    for index, criterion in enumerate(criteria):
        data[f"score_{criterion.pk}"] = "" if values[index] is None else str(values[index])
        data[f"comment_{criterion.pk}"] = comments[index] if index < len(comments) else ""
    return data


def own_scores(juror, nominee) -> dict[int, tuple[int, str]]:
    return {
        s.criterion_id: (s.value, s.comment)
        for s in Score.objects.filter(juror=juror, nominee=nominee)
    }


def rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-nominee="(\d+)" data-state="(\w+)"', html))


# --- Who may see what ------------------------------------------------------------------------


def _requests(edition, nominee, criteria):
    data = post_data(criteria, 4, 2)
    return {
        "overview": ("get", url("scoring", edition.year), {}),
        "score": ("get", url("score", edition.year, nominee.pk), {}),
        "save": ("post", url("score", edition.year, nominee.pk), data),
        "autosave": ("post", url("autosave", edition.year, nominee.pk), data),
        "submit": ("post", url("submit", edition.year), {}),
    }


VIEWS = ["overview", "score", "save", "autosave", "submit"]


@pytest.mark.parametrize("view", VIEWS)
def test_scoring_views_send_anonymous_visitors_to_sign_in(
    client, edition, nominees, criteria, view
):
    method, path, data = _requests(edition, nominees[0], criteria)[view]

    response = getattr(client, method)(path, data)

    assert_sent_to_sign_in(response, path)
    assert Score.objects.count() == 0


@pytest.mark.parametrize("view", VIEWS)
def test_scoring_views_are_not_found_for_an_outsider(
    client, edition, nominees, criteria, outsider, view
):
    method, path, data = _requests(edition, nominees[0], criteria)[view]
    client.force_login(outsider)

    response = getattr(client, method)(path, data)

    assert response.status_code == 404
    assert Score.objects.count() == 0


@pytest.mark.parametrize("view", VIEWS)
def test_scoring_views_are_not_found_for_a_juror_of_another_edition(
    client, edition, nominees, criteria, view
):
    other_edition = EditionFactory(
        scoring_opened_at=timezone.now(), screening_completed_at=timezone.now()
    )
    stranger = assign(JurorFactory(edition=other_edition), [])
    method, path, data = _requests(edition, nominees[0], criteria)[view]
    client.force_login(stranger.user)

    response = getattr(client, method)(path, data)

    assert response.status_code == 404
    assert Score.objects.count() == 0


@pytest.mark.parametrize("view", ["score", "save", "autosave"])
def test_a_conflicted_juror_cannot_reach_the_nominee_by_url(
    client, edition, nominees, criteria, view
):
    conflicted = assign(JurorFactory(edition=edition), nominees, conflicted=[nominees[0]])
    method, path, data = _requests(edition, nominees[0], criteria)[view]
    client.force_login(conflicted.user)

    response = getattr(client, method)(path, data)

    assert response.status_code == 404
    assert Score.objects.count() == 0


def test_a_conflicted_juror_sees_the_conflict_without_a_link_and_nobody_elses_scores(
    client, edition, nominees, criteria, juror
):
    conflicted = assign(
        JurorFactory(edition=edition, user=UserFactory(first_name="Klara")),
        nominees,
        conflicted=[nominees[0]],
    )
    for criterion in criteria:
        ScoreFactory(
            juror=juror, nominee=nominees[0], criterion=criterion, value=5, comment="Hemligt omdöme"
        )
    ScoringNote.objects.create(juror=juror, nominee=nominees[1], text="Hemlig anteckning")
    client.force_login(conflicted.user)

    overview = client.get(url("scoring", edition.year)).content.decode()
    other = client.get(url("score", edition.year, nominees[1].pk)).content.decode()

    assert rows(overview) == {str(nominees[0].pk): "conflicted", str(nominees[1].pk): "not_started"}
    assert "Conflict of interest – not scored by you" in overview
    assert url("score", edition.year, nominees[0].pk) not in overview
    assert url("score", edition.year, nominees[1].pk) in overview
    assert "0 of 1 nominee scored" in overview
    for html in (overview, other):
        assert "Hemligt omdöme" not in html
        assert "Hemlig anteckning" not in html
    # Nothing of the other juror's 5s: no radio button is checked but "not scored yet".
    assert re.findall(r'value="(\d*)"[^>]*checked', other) == ["", ""]


def test_a_dismissed_conflict_does_not_keep_the_juror_away(client, edition, nominees, criteria):
    juror = assign(JurorFactory(edition=edition), nominees)
    ConflictDeclaration.objects.filter(juror=juror, nominee=nominees[0]).update(
        conflicted=True, ruling=ConflictDeclaration.Ruling.DISMISSED
    )
    client.force_login(juror.user)

    assert client.get(url("score", edition.year, nominees[0].pk)).status_code == 200


def test_a_nominee_that_is_not_assigned_or_not_eligible_is_not_found(
    client, edition, nominees, criteria, juror
):
    unassigned = make_candidate(edition, "Ej tilldelad")
    ConflictDeclaration.objects.create(juror=juror, nominee=unassigned, conflicted=False)
    not_eligible = NominationFactory(submitted=True, edition=edition).nominee
    Assignment.objects.create(juror=juror, nominee=not_eligible)
    client.force_login(juror.user)

    for nominee in (unassigned, not_eligible):
        assert client.get(url("score", edition.year, nominee.pk)).status_code == 404
        assert client.post(url("autosave", edition.year, nominee.pk), {}).status_code == 404


def test_scoring_waits_until_every_conflict_is_declared(client, edition, nominees, criteria):
    juror = assign(JurorFactory(edition=edition), nominees, declared=False)
    ConflictDeclaration.objects.create(juror=juror, nominee=nominees[0], conflicted=False)
    client.force_login(juror.user)

    for path in (url("scoring", edition.year), url("score", edition.year, nominees[0].pk)):
        response = client.get(path, follow=True)
        assert response.redirect_chain == [(url("conflicts", edition.year), 302)]
    assert client.post(url("submit", edition.year)).url == url("conflicts", edition.year)
    assert Juror.objects.get(pk=juror.pk).scores_submitted_at is None


# --- The start page ---------------------------------------------------------------------------


def test_home_tells_someone_without_a_jury_politely(client, outsider):
    client.force_login(outsider)

    response = client.get(url("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "You are not on a jury of Kvinnofridspriset." in html


def test_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(url("home"))

    assert response.status_code == 302
    assert response.url.startswith("/en/signin/")


def test_home_shows_what_is_left(client, edition, nominees, criteria, juror):
    Juror.objects.filter(pk=juror.pk).update(joined_at=None)
    undeclared_edition = EditionFactory(scoring_opened_at=timezone.now())
    make_candidate(undeclared_edition, "Odeklarerad")
    other_role = JurorFactory(edition=undeclared_edition, user=juror.user, joined_at=None)
    score_all(juror, nominees[0], criteria)
    client.force_login(juror.user)

    response = client.get(url("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    sections = dict(re.findall(r'data-year="(\d+)">(.*?)</section>', html, flags=re.S))
    mine, other = sections[str(edition.year)], sections[str(undeclared_edition.year)]
    assert "1 of 2 nominees scored" in mine
    assert 'aria-valuenow="1" aria-valuemin="0" aria-valuemax="2"' in mine
    assert f'href="{url("scoring", edition.year)}"' in mine
    assert "Scoring closes on" in mine
    assert f'href="{url("results", edition.year)}"' not in mine
    assert f'href="{url("rulings", edition.year)}"' not in mine
    assert f'href="{url("conflicts", undeclared_edition.year)}"' in other
    assert f'href="{url("scoring", undeclared_edition.year)}"' not in other
    # Reading the page is no sign-in: nobody joins by it (see test_setup).
    assert Juror.objects.get(pk=juror.pk).joined_at is None
    assert Juror.objects.get(pk=other_role.pk).joined_at is None


def test_home_gives_the_chair_the_links_to_lead_the_jury(client, edition, chair, juror):
    juror.scores_submitted_at = timezone.now()
    juror.save()
    client.force_login(chair.user)

    html = client.get(url("home")).content.decode()

    for name in ("results", "rulings", "shortlist", "vote", "decision"):
        assert f'href="{url(name, edition.year)}"' in html
    assert f'href="{url("manage", edition.year)}"' not in html
    assert f'action="{url("reopen", edition.year, juror.pk)}"' in html
    assert f'action="{url("reopen", edition.year, chair.pk)}"' not in html


def test_home_shows_the_secretariat_the_juries_it_manages(client, edition):
    secretariat = SecretariatFactory()
    client.force_login(secretariat)

    html = client.get(url("home")).content.decode()

    assert f'href="{url("manage", edition.year)}"' in html
    assert "You are not on a jury" not in html


# --- The list of candidates -------------------------------------------------------------------


def test_overview_counts_progress_per_candidate(client, edition, nominees, criteria, juror):
    third = make_candidate(edition, "Barnahus Söder")
    assign(juror, [third])
    score_all(juror, nominees[0], criteria)
    ScoreFactory(juror=juror, nominee=nominees[1], criterion=criteria[0])
    # Another juror's scores do not count for this one.
    other = assign(JurorFactory(edition=edition), [third])
    score_all(other, third, criteria)
    client.force_login(juror.user)

    response = client.get(url("scoring", edition.year))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert rows(html) == {
        str(nominees[0].pk): "scored",
        str(nominees[1].pk): "in_progress",
        str(third.pk): "not_started",
    }
    assert "1 of 3 nominees scored" in html
    assert 'aria-valuenow="1" aria-valuemin="0" aria-valuemax="3"' in html
    assert 'class="progress-bar w-25" data-percent="33"' in html
    assert "1 of 2 criteria" in html
    assert "Scoring closes on" in html
    assert re.search(r'<button type="submit" class="btn btn-primary"[^>]*disabled>', html)


def test_overview_says_when_scoring_has_not_opened(client, edition, nominees, juror):
    edition.scoring_opened_at = None
    edition.save()
    client.force_login(juror.user)

    html = client.get(url("scoring", edition.year)).content.decode()

    assert "Scoring has not opened yet." in html
    assert rows(html) == {}
    assert url("submit", edition.year) not in html


# --- The scoring page -------------------------------------------------------------------------


def test_score_page_shows_every_eligible_nomination_masked(client, edition, criteria, outsider):
    area = Area.objects.order_by("pk").first()
    municipality = Municipality.objects.get(code="0180")
    nominee = make_candidate(
        edition,
        "Stödcentrum Ärlinge",
        motivation=f"Kontakt via {PERSONAL_IDENTITY_NUMBER} i ärendet.",
        nominator_organisation_name="Kvinnojouren Frida",
        contact_name="Anna Andersson",
        areas=[area],
        municipalities=[municipality],
    )
    second = nomination_of(
        nominee,
        status=Nomination.Status.ELIGIBLE,
        nominator_organisation_name="Länsstyrelsen",
        results=f"Resultat för 19{PERSONAL_IDENTITY_NUMBER}.",
    )
    AttachmentFactory(
        nomination=second,
        file="nominations/x",
        original_name=f"intyg {PERSONAL_IDENTITY_NUMBER}.pdf",
        size=10,
    )
    withdrawn = nomination_of(
        nominee, status=Nomination.Status.NOT_ELIGIBLE, motivation="Ej behörig motivering"
    )
    juror = assign(JurorFactory(edition=edition), [nominee])
    client.force_login(juror.user)

    response = client.get(url("score", edition.year, nominee.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert PERSONAL_IDENTITY_NUMBER not in html
    assert "9876" not in html
    assert f"Kontakt via {MASKED_PERSONAL_IDENTITY_NUMBER} i ärendet." in html
    assert f"Resultat för XX{MASKED_PERSONAL_IDENTITY_NUMBER}." in html
    assert f"<li>intyg {MASKED_PERSONAL_IDENTITY_NUMBER}.pdf</li>" in html
    assert "nominations/x" not in html
    assert "Nominated by Kvinnojouren Frida" in html
    assert "Nominated by Länsstyrelsen" in html
    assert area.display_name in html
    assert municipality.name in html
    assert "Anna Andersson" not in html
    assert second.contact_email not in html
    assert "Ej behörig motivering" not in html
    assert withdrawn.reference_number not in html
    # The form: each criterion with its weight, description and labelled steps.
    assert "Long-term work (weight 2)" in html
    assert "How the work has been carried on over time." in html
    assert "4 – Very good" in html
    assert "Collaboration (weight 1)" in html
    assert 'hx-post="' + url("autosave", edition.year, nominee.pk) + '"' in html


def test_score_page_speaks_swedish_at_the_root(client, edition, nominees, criteria, juror):
    client.force_login(juror.user)

    html = client.get(url("score", edition.year, nominees[0].pk, language="sv")).content.decode()

    assert '<html lang="sv">' in html
    assert "3 – Bra" in html
    assert "Hur arbetet har bedrivits över tid." in html


def test_saving_a_part_of_the_scores_keeps_a_draft(client, edition, nominees, criteria, juror):
    client.force_login(juror.user)

    response = client.post(
        url("score", edition.year, nominees[0].pk),
        post_data(criteria, 4, None, comments=["Stabilt över tid.", ""], notes="Fråga om budget"),
        follow=True,
    )

    assert response.redirect_chain == [(url("score", edition.year, nominees[0].pk), 302)]
    assert "Your scores for Stödcentrum Ärlinge are saved." in response.content.decode()
    assert own_scores(juror, nominees[0]) == {criteria[0].pk: (4, "Stabilt över tid.")}
    assert ScoringNote.objects.get(juror=juror, nominee=nominees[0]).text == "Fråga om budget"
    html = client.get(url("scoring", edition.year)).content.decode()
    assert rows(html)[str(nominees[0].pk)] == "in_progress"

    # Changing one score and clearing another; "save and go back" returns to the list.
    data = post_data(criteria, None, 5, notes="")
    data["save_and_list"] = "1"
    response = client.post(url("score", edition.year, nominees[0].pk), data)

    assert response.url == url("scoring", edition.year)
    assert own_scores(juror, nominees[0]) == {criteria[1].pk: (5, "")}
    assert ScoringNote.objects.get(juror=juror, nominee=nominees[0]).text == ""


def test_a_value_off_the_scale_is_refused_next_to_its_field_in_swedish(
    client, edition, nominees, criteria, juror
):
    client.force_login(juror.user)
    path = url("score", edition.year, nominees[0].pk, language="sv")

    response = client.post(
        path, post_data(criteria, 7, 2, comments=["Min kommentar", "Annat"], notes="Mina noter")
    )

    html = response.content.decode()
    assert response.status_code == 200
    field = re.search(
        rf'<div id="div_id_score_{criteria[0].pk}".*?</fieldset>', html, flags=re.S
    ).group(0)
    assert "Välj ett giltigt alternativ. 7 finns inte bland tillgängliga alternativ." in field
    assert "is-invalid" in field
    # What the juror entered is still there.
    assert ">\nMin kommentar</textarea>" in html
    assert ">\nMina noter</textarea>" in html
    assert re.search(rf'name="score_{criteria[1].pk}" value="2"[^>]*checked', html)
    assert own_scores(juror, nominees[0]) == {}


def test_a_comment_needs_a_score(client, edition, nominees, criteria, juror):
    client.force_login(juror.user)

    response = client.post(
        url("score", edition.year, nominees[0].pk),
        post_data(criteria, None, 3, comments=["Utan poäng", ""]),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "A comment is kept with its score: choose a score too." in html
    assert own_scores(juror, nominees[0]) == {}


def test_the_service_checks_each_value_against_its_scale(edition, nominees, criteria, juror):
    narrow = CriterionFactory(edition=edition, scale_min=1, scale_max=3, scale_labels=[])

    with pytest.raises(scoring.ScoreOffScaleError):
        scoring.save_scores(juror=juror, nominee=nominees[0], values={narrow.pk: 4})
    with pytest.raises(scoring.ScoreOffScaleError):
        scoring.save_scores(juror=juror, nominee=nominees[0], values={criteria[0].pk: 0})
    elsewhere = CriterionFactory(edition=EditionFactory())
    with pytest.raises(scoring.ScoreOffScaleError):
        scoring.save_scores(juror=juror, nominee=nominees[0], values={elsewhere.pk: 3})
    scoring.save_scores(juror=juror, nominee=nominees[0], values={narrow.pk: 3})

    assert own_scores(juror, nominees[0]) == {narrow.pk: (3, "")}


def test_the_service_refuses_a_conflicted_nominee(edition, nominees, criteria):
    conflicted = assign(JurorFactory(edition=edition), nominees, conflicted=[nominees[0]])

    with pytest.raises(scoring.NotScorable):
        scoring.save_scores(juror=conflicted, nominee=nominees[0], values={criteria[0].pk: 3})
    assert Score.objects.count() == 0


def test_autosave_answers_json(client, edition, nominees, criteria, juror):
    client.force_login(juror.user)
    path = url("autosave", edition.year, nominees[0].pk)

    saved = client.post(path, post_data(criteria, 2, None, notes="Utkast"))
    refused = client.post(path, post_data(criteria, 9, 1))

    assert saved.status_code == 200
    assert saved.json()["saved"] is True
    assert saved.json()["message"].startswith("Saved at ")
    assert refused.status_code == 422
    assert refused.json()["saved"] is False
    assert list(refused.json()["errors"]) == [f"score_{criteria[0].pk}"]
    assert own_scores(juror, nominees[0]) == {criteria[0].pk: (2, "")}
    assert ScoringNote.objects.get(juror=juror).text == "Utkast"


# --- Deadline, submission, reopening ----------------------------------------------------------


def test_the_deadline_is_enforced_on_the_server(client, edition, nominees, criteria, juror):
    score_path = url("score", edition.year, nominees[0].pk)
    ScoreFactory(juror=juror, nominee=nominees[0], criterion=criteria[0], value=2)

    with time_machine.travel(edition.scoring_deadline - timedelta(seconds=1)):
        client.force_login(juror.user)
        response = client.post(score_path, post_data(criteria, 3, 3))
        assert response.url == score_path
    with time_machine.travel(edition.scoring_deadline + timedelta(seconds=1)):
        client.force_login(juror.user)
        response = client.post(score_path, post_data(criteria, 5, 5), follow=True)
        autosave = client.post(
            url("autosave", edition.year, nominees[0].pk), post_data(criteria, 1, 1)
        )
        with pytest.raises(scoring.ScoringClosed):
            scoring.save_scores(juror=juror, nominee=nominees[0], values={criteria[0].pk: 4})

    html = response.content.decode()
    assert "The scoring deadline has passed: scores can no longer be changed." in html
    assert 'name="save"' not in html
    assert re.search(rf'name="score_{criteria[0].pk}" value="3"[^>]*disabled', html)
    assert autosave.status_code == 409
    assert autosave.json()["saved"] is False
    assert own_scores(juror, nominees[0]) == {criteria[0].pk: (3, ""), criteria[1].pk: (3, "")}


def test_submission_is_refused_while_incomplete_then_locks(
    client, edition, nominees, criteria, juror
):
    conflicted = make_candidate(edition, "Jävig kandidat")
    assign(juror, [conflicted], conflicted=[conflicted])
    score_all(juror, nominees[0], criteria)
    ScoreFactory(juror=juror, nominee=nominees[1], criterion=criteria[0])
    client.force_login(juror.user)

    refused = client.post(url("submit", edition.year), follow=True)

    assert "You have scored 1 of 2 nominees." in refused.content.decode()
    assert Juror.objects.get(pk=juror.pk).scores_submitted_at is None

    ScoreFactory(juror=juror, nominee=nominees[1], criterion=criteria[1])
    overview = client.get(url("scoring", edition.year)).content.decode()
    assert re.search(r'<button type="submit" class="btn btn-primary"[^>]*>', overview)
    assert not re.search(r'<button type="submit" class="btn btn-primary"[^>]*disabled>', overview)

    submitted = client.post(url("submit", edition.year), follow=True)

    html = submitted.content.decode()
    juror.refresh_from_db()
    assert "Thank you! Your scores are submitted" in html
    assert "You submitted your scores on" in html
    assert f'href="{url("results", edition.year)}"' in html
    assert juror.scores_submitted_at is not None
    assert scoring.submit_scores(juror=juror) is False

    # Locked: saving is refused and the page is read-only.
    saved = client.post(
        url("score", edition.year, nominees[0].pk), post_data(criteria, 1, 1), follow=True
    )
    assert "You have submitted your scores" in saved.content.decode()
    assert 'name="save"' not in saved.content.decode()
    assert own_scores(juror, nominees[0]) == {criteria[0].pk: (3, ""), criteria[1].pk: (3, "")}
    assert client.post(url("autosave", edition.year, nominees[0].pk), {}).status_code == 409


def test_a_juror_with_nothing_assigned_cannot_submit(client, edition, nominees, criteria):
    # Invited after scoring opened: declared, but nothing assigned.
    late = JurorFactory(edition=edition)
    for nominee in nominees:
        ConflictDeclaration.objects.create(juror=late, nominee=nominee, conflicted=False)
    client.force_login(late.user)

    overview = client.get(url("scoring", edition.year)).content.decode()
    response = client.post(url("submit", edition.year), follow=True)

    assert "There are no nominees for you to score." in overview
    assert re.search(r'<button type="submit" class="btn btn-primary"[^>]*disabled>', overview)
    assert "No nominees have been assigned to you" in response.content.decode()
    assert Juror.objects.get(pk=late.pk).scores_submitted_at is None


@pytest.fixture
def submitted(edition, nominees, criteria, juror):
    for nominee in nominees:
        score_all(juror, nominee, criteria)
    assert scoring.submit_scores(juror=juror) is True
    return juror


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member", "juror"])
def test_only_the_chair_or_the_secretariat_may_reopen(client, edition, submitted, who):
    if who == "member":
        client.force_login(JurorFactory(edition=edition).user)
    elif who == "juror":
        client.force_login(submitted.user)
    elif who == "outsider":
        client.force_login(UserFactory())

    response = client.post(url("reopen", edition.year, submitted.pk))

    expected = {"anonymous": 302, "outsider": 404, "member": 403, "juror": 403}
    assert response.status_code == expected[who]
    assert Juror.objects.get(pk=submitted.pk).scores_submitted_at is not None


@pytest.mark.parametrize("who", ["chair", "secretariat"])
def test_the_chair_or_the_secretariat_reopens_submitted_scores(
    client, edition, chair, submitted, who
):
    client.force_login(chair.user if who == "chair" else SecretariatFactory())

    response = client.post(url("reopen", edition.year, submitted.pk), follow=True)

    assert response.redirect_chain == [(url("home"), 302)]
    assert "The scores of Jana Juror are reopened" in response.content.decode()
    assert Juror.objects.get(pk=submitted.pk).scores_submitted_at is None


def test_reopening_a_juror_of_another_edition_is_not_found(client, edition, chair):
    elsewhere = JurorFactory(edition=EditionFactory(), scores_submitted_at=timezone.now())
    client.force_login(chair.user)

    assert client.post(url("reopen", edition.year, elsewhere.pk)).status_code == 404
    assert Juror.objects.get(pk=elsewhere.pk).scores_submitted_at is not None


def test_nothing_is_reopened_once_the_jury_has_decided(client, edition, chair, submitted):
    edition.decided_at = timezone.now()
    edition.save()
    client.force_login(chair.user)

    response = client.post(
        url("reopen", edition.year, submitted.pk),
        {"next": url("scoring", edition.year)},
        follow=True,
    )

    assert "The jury has made its decision" in response.content.decode()
    assert Juror.objects.get(pk=submitted.pk).scores_submitted_at is not None
    with pytest.raises(scoring.ScoringClosed):
        scoring.reopen_scores(juror=submitted, by=chair.user)


def test_the_service_refuses_to_reopen_for_a_member(edition, submitted):
    member = JurorFactory(edition=edition)

    with pytest.raises(scoring.PermissionDenied):
        scoring.reopen_scores(juror=submitted, by=member.user)


def test_a_juror_reads_each_nomination_with_its_own_lists_in_their_order(edition):
    first_area, second_area = Area.objects.order_by("pk")[:2]
    # The secretariat's order, not the rows': the second area first.
    Area.objects.filter(pk=first_area.pk).update(position=20)
    Area.objects.filter(pk=second_area.pk).update(position=10)
    # Named in the other order than they were stored.
    stored_first = Municipality.objects.order_by("pk").first()
    named_first = Municipality.objects.filter(
        pk__gt=stored_first.pk, name__lt=stored_first.name
    ).first()
    nominee = make_candidate(
        edition,
        "Kandidaten",
        areas=[first_area, second_area],
        municipalities=[stored_first, named_first],
    )
    other = nomination_of(nominee, status=Nomination.Status.ELIGIBLE, areas=[first_area])
    first = Nomination.objects.filter(nominee=nominee).exclude(pk=other.pk).get()
    for name, minutes_ago in (("senare.pdf", 1), ("tidigare.pdf", 5)):
        attachment = Attachment.objects.create(
            nomination=first, file="x", original_name=name, content_type="application/pdf", size=1
        )
        uploaded = timezone.now() - timedelta(minutes=minutes_ago)
        Attachment.objects.filter(pk=attachment.pk).update(uploaded_at=uploaded)
    Nomination.objects.filter(pk=other.pk).update(submitted_at=first.submitted_at + timedelta(1))

    with translation.override("en"):
        read = nominations_for_juror(nominee)

    assert [(n.areas, n.municipalities, n.attachments) for n in read] == [
        (
            [second_area.name_en, first_area.name_en],
            [named_first.name, stored_first.name],
            ["tidigare.pdf", "senare.pdf"],
        ),
        ([first_area.name_en], [], []),
    ]


# --- Query counts -----------------------------------------------------------------------------

# Each page asks the same number of queries however many nominees and criteria there are,
# pinned at two sizes. In production: the session, the user, the user's juror rows (read once
# for the second factor, the rules, the view and the menu: 3), and the page's own reads. The
# session is not written (its expiry was written at the sign-in and slides once a minute).
# The nominee with the juror's notes and version, the criteria with the juror's scores, the
# nominations and then their areas, municipalities and attachments in one (2), the audit entry
# of the opening (one statement, so no savepoint under the test's transaction either).
SCORE_PAGE_QUERIES = 3 + 2 + 2 + 1
# Declared on every candidate? The criteria, conflicts, scores and candidates (4).
OVERVIEW_QUERIES = 3 + 1 + 4
# Per edition on the jury: declared on every candidate? (1), the progress (4), the ballot (1).
HOME_QUERIES = 3 + 1 + 4 + 1


@dataclass
class Sized:
    juror: Juror
    nominees: list
    criteria: list


@pytest.fixture(params=[(3, 3), (30, 10)], ids=["3x3", "30x10"])
def sized(request, client, edition) -> Sized:
    """A juror, signed in, of (nominees, criteria) at two sizes: declared on every candidate,
    the first scored fully and the second in part, a conflict on the last; each nominee has
    two nominations with an area, a municipality and an attachment."""
    nominee_count, criterion_count = request.param
    criteria = [CriterionFactory(edition=edition) for _ in range(criterion_count)]
    areas, municipalities = list(Area.objects.all()[:1]), list(Municipality.objects.all()[:1])
    nominees = [
        make_candidate(
            edition, f"Kandidat {i}", nominations=2, areas=areas, municipalities=municipalities
        )
        for i in range(nominee_count)
    ]
    for nomination in Nomination.objects.filter(nominee__in=nominees):
        AttachmentFactory(
            nomination=nomination,
            file="nominations/x",
            original_name="bilaga.pdf",
            size=10,
        )
    juror = assign(JurorFactory(edition=edition), nominees, conflicted=nominees[-1:])
    score_all(juror, nominees[0], criteria)
    ScoreFactory(juror=juror, nominee=nominees[1], criterion=criteria[0], comment="Bra.")
    ScoringNote.objects.create(juror=juror, nominee=nominees[1], text="Ring dem.")
    client.force_login(juror.user)
    return Sized(juror=juror, nominees=nominees, criteria=criteria)


def test_the_score_page_asks_the_same_queries_at_every_size(
    client, django_assert_num_queries, edition, sized
):
    path = url("score", edition.year, sized.nominees[1].pk)

    with django_assert_num_queries(SCORE_PAGE_QUERIES):
        response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('name="comment_') == len(sized.criteria)
    assert "Bra.</textarea>" in html
    assert "Ring dem." in html
    assert html.count("<li>bilaga.pdf</li>") == 2


def test_the_scoring_overview_asks_the_same_queries_at_every_size(
    client, django_assert_num_queries, edition, sized
):
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(url("scoring", edition.year))

    states = rows(response.content.decode())
    assert len(states) == len(sized.nominees)
    assert states[str(sized.nominees[0].pk)] == "scored"
    assert states[str(sized.nominees[1].pk)] == "in_progress"
    assert states[str(sized.nominees[-1].pk)] == "conflicted"


def test_the_jury_home_asks_the_same_queries_at_every_size(
    client, django_assert_num_queries, edition, sized
):
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(url("home"))

    assert f"1 of {len(sized.nominees) - 1} nominees scored" in response.content.decode()


# --- Reading writes nothing ---------------------------------------------------------------------

# Anywhere in a statement: the audit entry is an UPDATE and an INSERT in one (a WITH clause).
WRITE = re.compile(r'\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"(\w+)"', re.IGNORECASE)


def _tables_written(client, path) -> set[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return {m[1] for q in captured.captured_queries for m in WRITE.finditer(q["sql"])}


def test_opening_the_jury_pages_writes_nothing_but_the_audit_log(
    client, edition, nominees, criteria, chair
):
    Juror.objects.filter(pk=chair.pk).update(joined_at=None)
    client.force_login(chair.user)
    for path in (
        url("home"),
        url("conflicts", edition.year),
        url("rulings", edition.year),
        url("scoring", edition.year),
    ):
        assert _tables_written(client, path) == set(), path
    # Who opened which nominee is a record of its own.
    assert _tables_written(client, url("score", edition.year, nominees[0].pk)) == {
        "audit_chainhead",
        "audit_auditentry",
    }
    assert Juror.objects.get(pk=chair.pk).joined_at is None
