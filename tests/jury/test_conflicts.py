"""Conflicts of interest (jäv): the juror's declarations, the platform's proposals and the
rulings of the chair and the secretariat."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jury.models import ConflictDeclaration
from jury.selectors.conflicts import candidate_rows, has_declared_all
from jury.services.conflicts import (
    Answer,
    DeclarationsClosed,
    RulingRefused,
    declare_conflicts,
    rule_on_conflict,
)
from nominations.models import Nomination
from tests.factories import (
    ChairFactory,
    EditionFactory,
    JurorFactory,
    NominationFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.helpers import assert_sent_to_sign_in, visible_text
from tests.helpers import jury_url as url

pytestmark = [pytest.mark.django_db, pytest.mark.edition(screened=True)]

Ruling = ConflictDeclaration.Ruling


@pytest.fixture
def juror_organisation():
    return OrganisationFactory(name="Socialförvaltningen Exempel")


@pytest.fixture
def juror(edition, juror_organisation):
    return JurorFactory(
        edition=edition,
        user=UserFactory(first_name="Maja", last_name="Medlem"),
        organisation=juror_organisation,
        joined_at=None,
    )


def nominate(edition, nominee_name, *, nominator="Kvinnojouren Frida", status="eligible", **kw):
    return NominationFactory(
        submitted=True,
        edition=edition,
        nominee_name=nominee_name,
        nominator_organisation=OrganisationFactory(name=nominator),
        status=status,
        motivation="HEMLIG MOTIVERING",
        **kw,
    )


@pytest.fixture
def nominees(edition, juror_organisation):
    """Three candidates: one of the juror's own organisation, one it nominated, one unrelated;
    and a nominee whose only nomination is not eligible."""
    own = nominate(edition, "Alfa-enheten", nominator="Brottsofferjouren Syd").nominee
    own.organisation = juror_organisation
    own.save()
    nominated = nominate(edition, "Beta-teamet")
    NominationFactory(
        submitted=True,
        edition=edition,
        nominee=nominated.nominee,
        nominee_name="Beta-teamet",
        status=Nomination.Status.ELIGIBLE,
        nominator_organisation=juror_organisation,
    )
    other = nominate(edition, "Gamma-gruppen", nominator="Länsstyrelsen").nominee
    nominate(edition, "Delta-projektet", status=Nomination.Status.NOT_ELIGIBLE)
    return own, nominated.nominee, other


def declaration_post(nominees, **answers) -> dict:
    """Form data: `answers` maps a nominee's position (a, b, c) to (ticked, reason)."""
    data = {}
    for key, nominee in zip("abc", nominees, strict=True):
        ticked, reason = answers.get(key, (False, ""))
        if ticked:
            data[f"conflicted_{nominee.pk}"] = "on"
        data[f"reason_{nominee.pk}"] = reason
    return data


# --- Declaring --------------------------------------------------------------------------------


def test_declaration_page_sends_anonymous_visitors_to_sign_in(client, edition):
    path = url("conflicts", edition.year)

    response = client.get(path)

    assert_sent_to_sign_in(response, path)


@pytest.mark.parametrize("who", ["outsider", "secretariat", "juror of another edition"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_declaration_page_is_404_for_anyone_not_on_this_jury(
    client, edition, nominees, secretariat, who, method
):
    user = {
        "outsider": UserFactory(),
        "secretariat": secretariat,
        "juror of another edition": JurorFactory().user,
    }[who]
    client.force_login(user)

    response = getattr(client, method)(
        url("conflicts", edition.year), declaration_post(nominees, a=(True, "Ja."))
    )

    assert response.status_code == 404
    assert ConflictDeclaration.objects.count() == 0


def test_declaration_page_shows_names_only_with_the_proposals_ticked(
    client, edition, juror, nominees
):
    own, nominated, other = nominees
    client.force_login(juror.user)

    response = client.get(url("conflicts", edition.year))

    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'<legend class="h5 card-header nominee-name">([^<]+)</legend>', html) == [
        "Alfa-enheten",
        "Beta-teamet",
        "Gamma-gruppen",
    ]
    nominators = re.findall(r'<p class="small text-body-secondary nominators">([^<]+)</p>', html)
    assert nominators == [
        "Nominated by: Brottsofferjouren Syd",
        "Nominated by: Kvinnojouren Frida, Socialförvaltningen Exempel",
        "Nominated by: Länsstyrelsen",
    ]
    assert "HEMLIG MOTIVERING" not in html
    assert "Delta-projektet" not in html
    ticked = re.findall(r'name="conflicted_(\d+)" id="[^"]+" checked', html)
    assert ticked == [str(own.pk), str(nominated.pk)]
    form = response.context["form"]
    assert form[f"reason_{own.pk}"].value() == (
        "Same organisation as the nominee: Socialförvaltningen Exempel."
    )
    assert form[f"reason_{nominated.pk}"].value() == (
        "Same organisation as a nominating organisation: Socialförvaltningen Exempel."
    )
    assert form[f"reason_{other.pk}"].value() == ""


def test_no_proposals_without_an_organisation(edition, nominees):
    juror = JurorFactory(edition=edition, organisation=None)

    assert [row.proposal for row in candidate_rows(juror)] == ["", "", ""]


def test_declaring_saves_an_answer_for_every_candidate(client, edition, juror, nominees):
    own, nominated, other = nominees
    client.force_login(juror.user)
    assert has_declared_all(juror) is False

    response = client.post(
        url("conflicts", edition.year),
        declaration_post(
            nominees,
            a=(True, "Jag arbetar i samma förvaltning."),
            b=(False, "Jag känner inte till nomineringen."),
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == url("home")
    declarations = {
        d.nominee_id: (d.conflicted, d.reason, d.proposed, d.ruling)
        for d in ConflictDeclaration.objects.filter(juror=juror)
    }
    assert declarations == {
        own.pk: (True, "Jag arbetar i samma förvaltning.", True, Ruling.PENDING),
        nominated.pk: (False, "Jag känner inte till nomineringen.", True, Ruling.PENDING),
        other.pk: (False, "", False, Ruling.PENDING),
    }
    assert has_declared_all(juror) is True

    # A new candidate needs an answer too.
    nominate(edition, "Epsilon-enheten")
    assert has_declared_all(juror) is False


def test_a_candidate_that_was_not_on_the_page_is_not_declared(client, edition, juror, nominees):
    data = declaration_post(nominees)
    late = nominate(edition, "Epsilon-enheten").nominee
    client.force_login(juror.user)

    client.post(url("conflicts", edition.year), data)

    declared = set(ConflictDeclaration.objects.values_list("nominee_id", flat=True))
    assert declared == {nominee.pk for nominee in nominees}
    assert late.pk not in declared
    assert has_declared_all(juror) is False


def test_a_conflict_needs_a_reason(client, edition, juror, nominees):
    own = nominees[0]
    client.force_login(juror.user)

    response = client.post(url("conflicts", edition.year), declaration_post(nominees, a=(True, "")))

    assert response.status_code == 200
    assert response.context["form"].errors == {
        f"reason_{own.pk}": ["Say briefly why you have a conflict of interest."]
    }
    assert "Say briefly why you have a conflict of interest." in visible_text(response)
    assert ConflictDeclaration.objects.count() == 0


def test_declaring_again_resets_the_ruling_only_if_the_answer_changed(edition, juror, nominees):
    own, nominated, other = nominees
    chair = ChairFactory(edition=edition)
    declare_conflicts(
        juror=juror,
        answers={
            own.pk: Answer(True, "Samma förvaltning."),
            nominated.pk: Answer(True, "Vi nominerade."),
            other.pk: Answer(False),
        },
        by=juror.user,
    )
    for declaration in ConflictDeclaration.objects.filter(conflicted=True):
        rule_on_conflict(declaration=declaration, upheld=True, reason="Jäv.", by=chair.user)
    before = {d.nominee_id: d for d in ConflictDeclaration.objects.all()}

    changed = declare_conflicts(
        juror=juror,
        answers={
            own.pk: Answer(True, "Samma förvaltning."),
            nominated.pk: Answer(False),
            other.pk: Answer(False, "Ingen koppling."),
        },
        by=juror.user,
    )

    after = {d.nominee_id: d for d in ConflictDeclaration.objects.all()}
    # A declared conflict is never removed by a later answer (see test_conflict_history.py):
    # the "no" for `nominated` leaves its upheld conflict as it was.
    assert sorted(d.nominee_id for d in changed) == [other.pk]
    for kept in (after[own.pk], after[nominated.pk]):
        assert (kept.conflicted, kept.ruling, kept.ruling_reason, kept.ruled_by) == (
            True,
            Ruling.UPHELD,
            "Jäv.",
            chair.user,
        )
        assert kept.declared_at == before[kept.nominee_id].declared_at
    assert after[other.pk].reason == "Ingen koppling."


def test_only_the_juror_declares(edition, juror, nominees, chair):
    with pytest.raises(PermissionDenied):
        declare_conflicts(juror=juror, answers={nominees[0].pk: Answer(False)}, by=chair.user)

    assert ConflictDeclaration.objects.count() == 0


def test_declarations_close_with_the_decision(client, edition, juror, nominees):
    edition.decided_at = timezone.now()
    edition.save()
    client.force_login(juror.user)

    with pytest.raises(DeclarationsClosed):
        declare_conflicts(juror=juror, answers={nominees[0].pk: Answer(False)}, by=juror.user)
    response = client.post(url("conflicts", edition.year), declaration_post(nominees), follow=True)

    assert "The jury has decided: the declarations can no longer change." in visible_text(response)
    assert ConflictDeclaration.objects.count() == 0


def test_answers_for_nominees_that_are_not_candidates_are_refused(edition, juror, nominees):
    elsewhere = nominate(EditionFactory(), "Annat år").nominee

    with pytest.raises(ValueError, match="Not candidates"):
        declare_conflicts(juror=juror, answers={elsewhere.pk: Answer(False)}, by=juror.user)


# --- Ruling -----------------------------------------------------------------------------------


@pytest.fixture
def declared(edition, juror, chair, nominees):
    """The member has declared a conflict on the first nominee, the chair on the third (a
    chair conflicted on a nominee does not rule on another's conflict on it)."""
    own = nominees[0]
    member_conflict = ConflictDeclaration.objects.create(
        juror=juror, nominee=own, conflicted=True, reason="Samma förvaltning.", proposed=True
    )
    chair_conflict = ConflictDeclaration.objects.create(
        juror=chair, nominee=nominees[2], conflicted=True, reason="Min syster arbetar där."
    )
    return member_conflict, chair_conflict


def ruling_post(ruling="upheld", reason="Anställd hos den nominerade.") -> dict:
    return {"ruling": ruling, "reason": reason}


def _assert_not_ruled(*declarations):
    for declaration in declarations:
        declaration.refresh_from_db()
        assert (declaration.ruling, declaration.ruled_by, declaration.ruled_at) == (
            Ruling.PENDING,
            None,
            None,
        )


@pytest.mark.parametrize("view", ["rulings", "rule"])
def test_rulings_send_anonymous_visitors_to_sign_in(client, edition, declared, view):
    path = (
        url("rulings", edition.year)
        if view == "rulings"
        else url("rule", edition.year, declared[0].pk)
    )

    response = client.get(path) if view == "rulings" else client.post(path, ruling_post())

    assert_sent_to_sign_in(response, path)
    _assert_not_ruled(*declared)


@pytest.mark.parametrize("who", ["outsider", "member"])
@pytest.mark.parametrize("view", ["rulings", "rule"])
def test_rulings_refuse_outsiders_and_members(client, edition, declared, juror, who, view):
    other_member = JurorFactory(edition=edition)
    client.force_login({"outsider": UserFactory(), "member": other_member.user}[who])

    if view == "rulings":
        response = client.get(url("rulings", edition.year))
    else:
        response = client.post(url("rule", edition.year, declared[0].pk), ruling_post())

    # Someone with no part in this jury is not told it exists; a member is refused.
    assert response.status_code == {"outsider": 404, "member": 403}[who]
    _assert_not_ruled(*declared)


def test_rulings_page_shows_the_chair_what_awaits_a_ruling(client, edition, chair, declared):
    member_conflict, chair_conflict = declared
    client.force_login(chair.user)

    response = client.get(url("rulings", edition.year))

    assert response.status_code == 200
    html = response.content.decode()
    cards = dict(re.findall(r'<article [^>]*data-declaration="(\d+)"(.*?)</article>', html, re.S))
    assert set(cards) == {str(member_conflict.pk), str(chair_conflict.pk)}
    member_card = cards[str(member_conflict.pk)]
    assert f'action="{url("rule", edition.year, member_conflict.pk)}"' in member_card
    assert "Samma förvaltning." in member_card
    assert "Proposed by the platform" in member_card
    chair_card = cards[str(chair_conflict.pk)]
    assert "ruling-form" not in chair_card
    assert "Your own declaration: someone else rules on it." in chair_card
    assert "No rulings yet." in visible_text(response)


def test_chair_rules_on_a_member_conflict(client, edition, chair, declared):
    member_conflict, _chair_conflict = declared
    client.force_login(chair.user)

    response = client.post(
        url("rule", edition.year, member_conflict.pk),
        ruling_post("dismissed", "Annan enhet."),
        follow=True,
    )

    member_conflict.refresh_from_db()
    assert (member_conflict.ruling, member_conflict.ruling_reason, member_conflict.ruled_by) == (
        Ruling.DISMISSED,
        "Annan enhet.",
        chair.user,
    )
    assert timezone.now() - member_conflict.ruled_at < timedelta(minutes=1)
    page = visible_text(response)
    assert (
        "The ruling on Maja Medlem and Alfa-enheten is recorded: no conflict of interest." in page
    )
    assert "Cecilia Chair, " in page
    # A dismissed conflict no longer keeps the juror away.
    assert list(ConflictDeclaration.objects.effective()) == [_chair_conflict]


def test_chair_cannot_rule_on_their_own_conflict(client, edition, chair, declared):
    client.force_login(chair.user)

    response = client.post(url("rule", edition.year, declared[1].pk), ruling_post("dismissed"))

    assert response.status_code == 403
    _assert_not_ruled(*declared)
    with pytest.raises(PermissionDenied, match="own conflict"):
        rule_on_conflict(declaration=declared[1], upheld=False, reason="Nej.", by=chair.user)


def test_a_staff_chair_still_cannot_rule_on_their_own(edition, chair, declared):
    chair.user.is_staff = True
    chair.user.save()

    with pytest.raises(PermissionDenied):
        rule_on_conflict(declaration=declared[1], upheld=False, reason="Nej.", by=chair.user)

    _assert_not_ruled(*declared)


def test_secretariat_rules_on_the_chair_conflict(client, edition, secretariat, declared):
    _member_conflict, chair_conflict = declared
    client.force_login(secretariat)

    page = client.get(url("rulings", edition.year)).content.decode()
    response = client.post(url("rule", edition.year, chair_conflict.pk), ruling_post())

    assert page.count('class="ruling-form"') == 2
    assert response.status_code == 302
    assert response["Location"] == url("rulings", edition.year)
    chair_conflict.refresh_from_db()
    assert (chair_conflict.ruling, chair_conflict.ruling_reason, chair_conflict.ruled_by) == (
        Ruling.UPHELD,
        "Anställd hos den nominerade.",
        secretariat,
    )


def test_a_member_of_the_jury_cannot_rule_even_through_the_service(edition, juror, declared):
    other_member = JurorFactory(edition=edition)

    with pytest.raises(PermissionDenied):
        rule_on_conflict(declaration=declared[0], upheld=True, reason="Ja.", by=other_member.user)
    with pytest.raises(PermissionDenied):
        rule_on_conflict(declaration=declared[0], upheld=False, reason="Nej.", by=juror.user)

    _assert_not_ruled(*declared)


def test_a_non_secretariat_chair_cannot_rule_on_the_chair_conflict(edition, chair, declared):
    # Another edition's chair, say: only this edition's secretariat rules on its chair.
    stranger = ChairFactory().user

    with pytest.raises(PermissionDenied):
        rule_on_conflict(declaration=declared[1], upheld=False, reason="Nej.", by=stranger)


def test_a_ruling_needs_a_reason(client, edition, chair, declared):
    client.force_login(chair.user)

    response = client.post(url("rule", edition.year, declared[0].pk), ruling_post(reason=" "))

    assert response.status_code == 200
    assert "Give the reason for the ruling." in visible_text(response)
    _assert_not_ruled(*declared)


def test_rulings_list_past_rulings_with_who_and_when(client, edition, chair, secretariat, declared):
    member_conflict, chair_conflict = declared
    rule_on_conflict(declaration=member_conflict, upheld=True, reason="Anställd.", by=chair.user)
    rule_on_conflict(declaration=chair_conflict, upheld=False, reason="Avlägset.", by=secretariat)
    client.force_login(chair.user)

    response = client.get(url("rulings", edition.year))

    page = visible_text(response)
    assert "No declared conflict of interest awaits a ruling." in page
    member_conflict.refresh_from_db()
    when = timezone.localtime(member_conflict.ruled_at)
    assert (
        f"Ruling Conflict of interest Reason for the ruling Anställd. "
        f"Ruled by Cecilia Chair, {when:%Y-%m-%d %H:%M}"
    ) in page
    assert "Reason for the ruling Avlägset. Ruled by Sara Kansli," in page
    # The chair may change the member's ruling, not their own.
    assert response.content.decode().count('class="ruling-form"') == 1


def test_no_ruling_on_a_declaration_without_a_conflict(client, edition, chair, juror, nominees):
    declaration = ConflictDeclaration.objects.create(
        juror=juror, nominee=nominees[2], conflicted=False
    )
    client.force_login(chair.user)

    response = client.post(url("rule", edition.year, declaration.pk), ruling_post())

    assert response.status_code == 404
    with pytest.raises(RulingRefused):
        rule_on_conflict(declaration=declaration, upheld=True, reason="Ja.", by=chair.user)


def test_rulings_close_with_the_decision(client, edition, chair, declared):
    edition.decided_at = timezone.now()
    edition.save()
    client.force_login(chair.user)

    page = client.get(url("rulings", edition.year))
    response = client.post(url("rule", edition.year, declared[0].pk), ruling_post(), follow=True)

    assert 'class="ruling-form"' not in page.content.decode()
    assert "The jury has decided: the rulings can no longer change." in visible_text(response)
    _assert_not_ruled(*declared)


def test_rulings_list_proposals_the_juror_said_were_no_conflict(
    client, edition, chair, juror, nominees
):
    declare_conflicts(
        juror=juror,
        answers={nominees[1].pk: Answer(False, "Vi skrev under, men jag var inte med.")},
        by=juror.user,
    )
    client.force_login(chair.user)

    response = client.get(url("rulings", edition.year))

    items = re.findall(
        r'<ul class="dismissed-proposals">(.*?)</ul>', response.content.decode(), re.S
    )
    assert "Maja Medlem – Beta-teamet: Vi skrev under, men jag var inte med." in re.sub(
        r"\s+", " ", items[0]
    )


def test_rulings_page_query_count_does_not_grow_with_the_declarations(client, edition, chair):
    client.force_login(chair.user)

    def queries_with(count: int) -> int:
        while ConflictDeclaration.objects.count() < count:
            nominee = nominate(edition, f"Enhet {ConflictDeclaration.objects.count()}").nominee
            ConflictDeclaration.objects.create(
                juror=JurorFactory(edition=edition), nominee=nominee, conflicted=True, reason="Ja."
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("rulings", edition.year))
        assert response.content.decode().count('class="ruling-form"') == count
        return len(queries)

    assert queries_with(3) == queries_with(12)
