"""The jury's roles are the jury's: a Django superuser is not the chair, and the secretariat
acts through its own named permission, not through is_staff or is_superuser."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from jury import reports, selectors
from jury.models import ConflictDeclaration, Decision, Juror, ShortlistEntry
from jury.services import assignment, jurors, vote
from jury.services.conflicts import rule_on_conflict
from jury.services.scoring import reopen_scores
from tests.factories import (
    ChairFactory,
    EditionFactory,
    JurorFactory,
    SecretariatFactory,
    SuperuserFactory,
    UserFactory,
    eligible_nominees,
)
from tests.helpers import jury_url as url

pytestmark = [pytest.mark.django_db, pytest.mark.edition(scoring=True)]


@pytest.fixture
def shortlist(edition):
    nominees = eligible_nominees(edition, "Alfateamet", "Betagruppen")
    for nominee in nominees:
        ShortlistEntry.objects.create(edition=edition, nominee=nominee)
    return nominees


@pytest.fixture
def superuser():
    return SuperuserFactory()


def decision_post(winner) -> dict:
    return {"winner": winner.pk, "minutes": "Juryn enades."}


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_superuser_who_is_not_the_chair_gets_403_on_the_decision(
    client, edition, chair, shortlist, superuser, method
):
    client.force_login(superuser)

    response = getattr(client, method)(url("decision", edition.year), decision_post(shortlist[0]))

    assert response.status_code == 403
    assert Decision.objects.count() == 0
    edition.refresh_from_db()
    assert edition.decided_at is None


@pytest.mark.parametrize(
    "who",
    [
        pytest.param(lambda edition: SuperuserFactory(), id="superuser"),
        pytest.param(lambda edition: JurorFactory(edition=edition).user, id="member"),
        pytest.param(lambda edition: SecretariatFactory(), id="secretariat"),
    ],
)
def test_the_decision_service_refuses_all_but_the_chair(edition, chair, shortlist, who):
    with pytest.raises(PermissionDenied):
        vote.record_decision(
            edition=edition,
            winner=shortlist[0],
            honourable_mentions=[],
            minutes="Juryn enades.",
            by=who(edition),
        )

    assert Decision.objects.count() == 0


def test_the_chair_records_the_decision_through_the_service(edition, chair, shortlist):
    decision = vote.record_decision(
        edition=edition,
        winner=shortlist[0],
        honourable_mentions=[],
        minutes="Juryn enades.",
        by=chair.user,
    )

    assert (decision.winner, decision.decided_by) == (shortlist[0], chair.user)


def test_a_superuser_member_is_a_member(client, edition, chair, shortlist):
    """A superuser on the jury as a member gets a member's refusals."""
    member = JurorFactory(edition=edition, user=UserFactory(is_staff=True, is_superuser=True))
    client.force_login(member.user)

    response = client.post(url("decision", edition.year), decision_post(shortlist[0]))

    assert response.status_code == 403
    assert Decision.objects.count() == 0


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: UserFactory(is_staff=True), id="staff without the permission"),
        # The secretariat works in the admin: a permission left on an account that is no
        # longer staff opens nothing here, and a juror's pages ask no permission query for it.
        pytest.param(lambda: SecretariatFactory(is_staff=False), id="the permission without staff"),
    ],
)
def test_only_staff_with_the_named_permission_is_the_secretariat(client, edition, chair, make):
    user = make()
    client.force_login(user)

    for name in ("results", "rulings", "shortlist", "vote"):
        assert client.get(url(name, edition.year)).status_code == 404, name
    # The set-up pages answer 403 to anyone signed in who is not the secretariat.
    assert client.get(url("manage", edition.year)).status_code == 403
    assert user not in selectors.secretariat_users()


def test_the_named_permission_makes_the_secretariat(client, edition, chair):
    client.force_login(SecretariatFactory())

    for name in ("manage", "results", "rulings", "shortlist", "vote"):
        assert client.get(url(name, edition.year)).status_code == 200, name


def test_services_check_the_jury_roles_not_django_s(edition, chair, shortlist):
    member = JurorFactory(edition=edition, scores_submitted_at=timezone.now())
    declaration = ConflictDeclaration.objects.create(
        juror=member, nominee=shortlist[0], conflicted=True, reason="Ja."
    )
    staff = UserFactory(is_staff=True)

    with pytest.raises(PermissionDenied):
        vote.set_shortlist(edition=edition, nominees=shortlist, by=staff)
    with pytest.raises(PermissionDenied):
        rule_on_conflict(declaration=declaration, upheld=True, reason="Ja.", by=staff)
    with pytest.raises(PermissionDenied):
        reopen_scores(juror=member, by=staff)

    member.refresh_from_db()
    declaration.refresh_from_db()
    assert member.scores_submitted_at is not None
    assert declaration.ruled_by is None


# --- The chair first, wherever jurors are listed -----------------------------------------------


@pytest.fixture
def jury_by_name(edition):
    """A member created first, the chair with the name that sorts last, another member: only
    an order by role puts the chair first."""
    andersson = JurorFactory(
        edition=edition, user=UserFactory(first_name="Anna", last_name="Andersson")
    )
    oberg = ChairFactory(edition=edition, user=UserFactory(first_name="Örjan", last_name="Öberg"))
    berg = JurorFactory(edition=edition, user=UserFactory(first_name="Bo", last_name="Berg"))
    return [oberg, andersson, berg]


def _rows(html: str, pattern: str) -> list[int]:
    """The juror ids in the order the page lists them (each once)."""
    return [int(pk) for pk in dict.fromkeys(re.findall(pattern, html))]


def _in_the_protocol(edition) -> list[str]:
    with translation.override("en"):
        story = reports.protocol_story(reports.load_protocol(edition))
    jury_table = next(flowable for flowable in story if hasattr(flowable, "_cellvalues"))
    return [row[0].text for row in jury_table._cellvalues[1:]]


def test_the_model_and_the_queryset_list_the_chair_first(edition, jury_by_name):
    expected = [juror.pk for juror in jury_by_name]

    assert [j.pk for j in Juror.objects.filter(edition=edition)] == expected
    assert [j.pk for j in edition.jurors.all()] == expected
    assert [j.pk for j in Juror.objects.filter(edition=edition).in_role_order()] == expected
    assert [j.pk for j in reports.load_results(edition).jury] == expected


def test_the_protocol_lists_the_chair_first(edition, jury_by_name):
    assert _in_the_protocol(edition) == ["Örjan Öberg", "Anna Andersson", "Bo Berg"]


# Where each page names a juror's row: its data attribute, or the admin's change link.
ROW_OF_A_JUROR = r'data-juror="(\d+)"'
ADMIN_ROW_OF_A_JUROR = r"/admin/jury/juror/(\d+)/change/"


@pytest.mark.parametrize("page", ["home", "manage", "admin"])
def test_the_pages_list_the_chair_first(client, edition, jury_by_name, page):
    pattern = ROW_OF_A_JUROR
    if page == "home":
        client.force_login(jury_by_name[0].user)  # the chair sees the jury's progress
        path = url("home")
    elif page == "manage":
        client.force_login(SecretariatFactory())
        path = url("manage", edition.year)
    else:
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        path = reverse("admin:jury_juror_changelist")
        pattern = ADMIN_ROW_OF_A_JUROR

    response = client.get(path)

    assert response.status_code == 200
    assert _rows(response.content.decode(), pattern) == [juror.pk for juror in jury_by_name]


def test_setting_up_the_jury_needs_the_secretariat_s_permission(edition, chair):
    staff = UserFactory(is_staff=True)

    with pytest.raises(PermissionDenied):
        assignment.open_scoring(edition=EditionFactory(), by=staff)
    with pytest.raises(PermissionDenied):
        jurors.add_default_criteria(edition=edition, by=chair.user)
    with pytest.raises(PermissionDenied):
        jurors.resend_invitation(juror=chair, by=staff)

    assert edition.criteria.count() == 0
