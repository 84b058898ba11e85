"""The secretariat sets up the jury: the list, invitations, criteria, opening the scoring, the
administration of criteria, and copying a jury to the next edition."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import SignInToken, User
from jury.models import Assignment, Criterion, Juror, Partner
from jury.selectors import jury_of
from jury.services.jurors import (
    DEFAULT_CRITERIA,
    INVITATION_LINK_MAX_AGE,
    copy_jury_and_criteria,
    mark_joined,
)
from nominations.models import Organisation
from outbox.models import OutboxMessage
from tests.factories import (
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    OrganisationFactory,
    UserFactory,
    eligible_nominee,
    valid_organisation_number,
)
from tests.helpers import assert_sent_to_sign_in, invite, visible_text
from tests.helpers import jury_url as url

# Screening is completed: the edition is with the jury, scoring not yet open.
pytestmark = [pytest.mark.django_db, pytest.mark.edition(screened=True)]


@pytest.fixture
def chair(edition):
    return ChairFactory(
        edition=edition,
        user=UserFactory(first_name="Cecilia", last_name="Ordförande"),
        partner=Partner.objects.get(slug="polismyndigheten"),
        organisation=OrganisationFactory(name="Polismyndigheten"),
        invited_at=timezone.now() - timedelta(days=3),
    )


@pytest.fixture
def member(edition):
    return JurorFactory(
        edition=edition,
        user=UserFactory(first_name="Maja", last_name="Medlem"),
        joined_at=None,
        invited_at=timezone.now() - timedelta(days=2),
    )


def invite_data(**overrides) -> dict:
    return {
        "email": "Nina.Ny@Example.org",
        "first_name": "Nina",
        "last_name": "Ny",
        "language": "sv",
        "role": "member",
        "partner": Partner.objects.get(slug="lansstyrelsen-stockholm").pk,
        "organisation_number": "",
        "organisation_name": "",
    } | overrides


def _requests(edition, juror) -> dict[str, tuple[str, str, dict]]:
    year = edition.year
    return {
        "manage": ("get", url("manage", year), {}),
        "invite": ("post", url("invite", year), invite_data()),
        "resend": ("post", url("resend_invitation", year, juror.pk), {}),
        "criteria": ("post", url("default_criteria", year), {}),
        "open": ("post", url("open_scoring", year), {"mode": "all"}),
    }


VIEWS = ["manage", "invite", "resend", "criteria", "open"]


def _assert_nothing_changed(edition) -> None:
    edition.refresh_from_db()
    assert edition.scoring_opened_at is None
    assert OutboxMessage.objects.count() == 0
    assert SignInToken.objects.count() == 0
    assert Criterion.objects.filter(edition=edition).count() == 0
    assert not User.objects.filter(email="nina.ny@example.org").exists()


# --- Who may set up the jury ------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
def test_setup_views_send_anonymous_visitors_to_sign_in(client, edition, member, view):
    method, path, data = _requests(edition, member)[view]

    response = getattr(client, method)(path, data)

    assert_sent_to_sign_in(response, path)
    _assert_nothing_changed(edition)


@pytest.mark.parametrize("who", ["outsider", "member", "chair"])
@pytest.mark.parametrize("view", VIEWS)
def test_setup_views_refuse_all_but_the_secretariat(client, edition, member, chair, who, view):
    user = {"outsider": UserFactory(), "member": member.user, "chair": chair.user}[who]
    method, path, data = _requests(edition, member)[view]
    invited_at = member.invited_at
    client.force_login(user)

    response = getattr(client, method)(path, data)

    assert response.status_code == 403
    _assert_nothing_changed(edition)
    member.refresh_from_db()
    assert member.invited_at == invited_at


def test_setup_views_answer_404_for_an_unknown_edition(client, secretariat):
    client.force_login(secretariat)

    assert client.get(url("manage", 1999)).status_code == 404


# --- The list ---------------------------------------------------------------------------------


def test_manage_page_lists_the_jurors_and_their_state(client, secretariat, edition, chair, member):
    nominee = eligible_nominee(edition)
    eligible_nominee(edition)
    member.conflicts.create(nominee=nominee, conflicted=False)
    chair.scores_submitted_at = timezone.now()
    chair.save()
    client.force_login(secretariat)

    response = client.get(url("manage", edition.year))

    assert response.status_code == 200
    rows = re.findall(r'<tr data-juror="(\d+)">(.*?)</tr>', response.content.decode(), re.S)
    assert [int(pk) for pk, _ in rows] == [chair.pk, member.pk]
    cells = {int(pk): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for pk, row in rows}
    local = timezone.localtime
    assert cells[chair.pk] == (
        f"Cecilia Ordförande {chair.user.email} · Swedish Chair Swedish Police Authority "
        f"Polismyndigheten {local(chair.invited_at):%Y-%m-%d %H:%M} "
        f"{local(chair.joined_at):%Y-%m-%d %H:%M} 0 of 2 "
        f"{local(chair.scores_submitted_at):%Y-%m-%d %H:%M} "
        "Send a new invitation (Cecilia Ordförande)"
    )
    assert cells[member.pk] == (
        f"Maja Medlem {member.user.email} · Swedish Member – – "
        f"{local(member.invited_at):%Y-%m-%d %H:%M} – 1 of 2 – "
        "Send a new invitation (Maja Medlem)"
    )
    page = visible_text(response)
    assert "2 nominees have an eligible nomination." in page
    assert "Phase: Jury." in page
    assert 'id="invite-form"' in response.content.decode()
    assert 'id="open-scoring-form"' in response.content.decode()
    assert "The edition has no criteria yet." in page


def test_manage_page_query_count_does_not_grow_with_the_jury(client, secretariat, edition):
    for _ in range(3):
        eligible_nominee(edition)
    CriterionFactory(edition=edition)
    client.force_login(secretariat)

    def queries_with(jurors: int) -> int:
        while Juror.objects.filter(edition=edition).count() < jurors:
            JurorFactory(edition=edition, organisation=OrganisationFactory())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("manage", edition.year))
        assert response.status_code == 200
        assert response.content.decode().count("<tr data-juror=") == jurors
        return len(queries)

    five = queries_with(5)
    twenty = queries_with(20)

    assert five == twenty


# --- Invitations ------------------------------------------------------------------------------


def test_invitation_creates_the_juror_and_queues_one_e_mail_with_a_sign_in_link(
    client, secretariat, edition
):
    client.force_login(secretariat)

    response = client.post(url("invite", edition.year), invite_data())

    assert response.status_code == 302
    assert response["Location"] == url("manage", edition.year)
    user = User.objects.get(email="nina.ny@example.org")
    assert (user.first_name, user.last_name, user.language) == ("Nina", "Ny", "sv")
    assert not user.has_usable_password()
    juror = Juror.objects.get(edition=edition, user=user)
    assert juror.role == Juror.Role.MEMBER
    assert juror.partner.slug == "lansstyrelsen-stockholm"
    assert juror.organisation is None
    assert juror.invited_at is not None
    assert juror.joined_at is None
    message = OutboxMessage.objects.get()
    token = SignInToken.objects.get()
    assert message.template == "jury_invitation"
    assert message.recipient == "nina.ny@example.org"
    assert message.language == "sv"
    assert message.idempotency_key == f"jury-invitation:{juror.pk}:{token.pk}"
    assert message.context["edition"] == str(edition)
    sign_in_url = message.context["url"]
    assert re.fullmatch(re.escape(settings.SITE_URL) + r"/signin/[\w-]{40,}/", sign_in_url)
    assert token.email == "nina.ny@example.org"
    assert token.next_path == "/jury/"
    assert token.expires_at - token.created_at == pytest.approx(
        INVITATION_LINK_MAX_AGE, abs=timedelta(seconds=5)
    )

    # The juror follows the link: opening it shows a button, pressing it signs them in.
    client.logout()
    path = sign_in_url.removeprefix(settings.SITE_URL)
    opened = client.get(path)
    assert opened.status_code == 200
    assert re.search(r'<form method="post">.*<button type="submit"', opened.content.decode(), re.S)
    signed_in = client.post(path)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/jury/"
    assert client.session["_auth_user_id"] == str(user.pk)
    # Signing in takes the invitation up.
    juror.refresh_from_db()
    assert juror.joined_at is not None
    # The link works once.
    client.logout()
    assert client.post(path).status_code == 410


def test_invitation_in_english_links_to_the_english_pages(client, secretariat, edition):
    client.force_login(secretariat)

    client.post(url("invite", edition.year), invite_data(language="en", role="chair"))

    message = OutboxMessage.objects.get()
    assert message.language == "en"
    assert message.context["role"] == "Chair"
    assert message.context["url"].startswith(f"{settings.SITE_URL}/en/signin/")
    assert SignInToken.objects.get().next_path == "/en/jury/"
    assert Juror.objects.get(edition=edition).role == Juror.Role.CHAIR


def test_invitation_of_a_known_person_keeps_their_account(client, secretariat, edition):
    known = UserFactory(email="nina.ny@example.org", first_name="Nina", last_name="", language="en")
    client.force_login(secretariat)

    client.post(url("invite", edition.year), invite_data(last_name="Nyberg"))

    assert User.objects.filter(email="nina.ny@example.org").count() == 1
    known.refresh_from_db()
    assert (known.first_name, known.last_name, known.language) == ("Nina", "Nyberg", "en")
    assert known.has_usable_password()
    assert Juror.objects.get(edition=edition).user == known
    assert OutboxMessage.objects.get().language == "en"


def test_a_second_chair_is_refused(client, secretariat, edition, chair):
    client.force_login(secretariat)

    response = client.post(url("invite", edition.year), invite_data(role="chair"))

    assert response.status_code == 200
    assert response.context["invite_form"].errors == {
        "role": ["The jury already has a chair. Invite this person as a member."]
    }
    assert "The jury already has a chair. Invite this person as a member." in visible_text(response)
    assert list(Juror.objects.filter(edition=edition)) == [chair]
    assert OutboxMessage.objects.count() == 0
    assert not User.objects.filter(email="nina.ny@example.org").exists()


def test_a_refused_invitation_leaves_no_new_organisation_behind(
    client, secretariat, edition, chair
):
    client.force_login(secretariat)
    before = set(Organisation.objects.values_list("organisation_number", flat=True))

    response = client.post(
        url("invite", edition.year),
        invite_data(
            role="chair", organisation_number="802000-0017", organisation_name="Nya föreningen"
        ),
    )

    assert response.status_code == 200
    assert "role" in response.context["invite_form"].errors
    assert set(Organisation.objects.values_list("organisation_number", flat=True)) == before


def test_an_invitation_records_an_organisation_new_to_the_platform(client, secretariat, edition):
    client.force_login(secretariat)

    client.post(
        url("invite", edition.year),
        invite_data(organisation_number="802000-0017", organisation_name="Nya föreningen"),
    )

    juror = Juror.objects.get(edition=edition, user__email="nina.ny@example.org")
    assert (juror.organisation.organisation_number, juror.organisation.name) == (
        "802000-0017",
        "Nya föreningen",
    )


def test_the_service_refuses_a_second_chair_even_if_the_form_did_not_see_it(
    secretariat, edition, chair
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        invite(
            edition,
            email="other@example.org",
            first_name="O",
            last_name="Ther",
            by=secretariat,
            role="chair",
        )

    assert refused.value.message_dict == {
        "role": ["The jury already has a chair. Invite this person as a member."]
    }
    assert Juror.objects.filter(edition=edition).count() == 1


def test_someone_already_on_the_jury_is_not_invited_twice(client, secretariat, edition, member):
    client.force_login(secretariat)

    response = client.post(
        url("invite", edition.year), invite_data(email=member.user.email.upper())
    )

    assert response.status_code == 200
    assert response.context["invite_form"].errors == {
        "email": ["This person is already on this jury."]
    }
    assert Juror.objects.filter(edition=edition).count() == 1
    assert OutboxMessage.objects.count() == 0


def test_invitation_finds_a_known_organisation_by_its_number(client, secretariat, edition):
    known = OrganisationFactory(name="Region Stockholm")
    organisations = Organisation.objects.count()
    client.force_login(secretariat)

    client.post(
        url("invite", edition.year),
        invite_data(organisation_number=known.organisation_number.replace("-", "")),
    )

    assert Juror.objects.get(edition=edition).organisation == known
    assert Organisation.objects.count() == organisations


def test_invitation_creates_a_new_organisation_with_its_name(client, secretariat, edition):
    number = valid_organisation_number(4242)
    client.force_login(secretariat)

    client.post(
        url("invite", edition.year),
        invite_data(organisation_number=number, organisation_name="Kvinnojouren Exempel"),
    )

    organisation = Juror.objects.get(edition=edition).organisation
    assert (organisation.organisation_number, organisation.name) == (
        number,
        "Kvinnojouren Exempel",
    )


@pytest.mark.parametrize(
    ("number", "name", "errors"),
    [
        (
            valid_organisation_number(4243),
            "",
            {
                "organisation_name": [
                    "The platform does not know this organisation yet: give its name."
                ]
            },
        ),
        (
            "",
            "Kvinnojouren Exempel",
            {
                "organisation_number": [
                    "Give the organisation's number: organisations are known by it."
                ]
            },
        ),
        (
            "556000-0000",
            "Kvinnojouren Exempel",
            {
                "organisation_number": [
                    "This organisation number is not valid: check the last digit."
                ]
            },
        ),
    ],
)
def test_invitation_organisation_errors(client, secretariat, edition, number, name, errors):
    organisations = Organisation.objects.count()
    client.force_login(secretariat)

    response = client.post(
        url("invite", edition.year),
        invite_data(organisation_number=number, organisation_name=name),
    )

    assert response.status_code == 200
    assert response.context["invite_form"].errors == errors
    assert Juror.objects.count() == 0
    assert Organisation.objects.count() == organisations


def test_resend_makes_a_new_link_and_a_new_e_mail(client, secretariat, edition, member):
    client.force_login(secretariat)
    client.post(url("resend_invitation", edition.year, member.pk))
    first_sent = Juror.objects.get(pk=member.pk).invited_at

    response = client.post(url("resend_invitation", edition.year, member.pk))

    assert response.status_code == 302
    assert response["Location"] == url("manage", edition.year)
    messages = list(OutboxMessage.objects.order_by("pk"))
    tokens = list(SignInToken.objects.order_by("pk"))
    assert [m.template for m in messages] == ["jury_invitation", "jury_invitation"]
    assert [m.idempotency_key for m in messages] == [
        f"jury-invitation:{member.pk}:{token.pk}" for token in tokens
    ]
    assert messages[0].context["url"] != messages[1].context["url"]
    member.refresh_from_db()
    assert member.invited_at > first_sent


def test_resend_for_a_juror_of_another_edition_is_404(client, secretariat, edition):
    other = JurorFactory()
    client.force_login(secretariat)

    response = client.post(url("resend_invitation", edition.year, other.pk))

    assert response.status_code == 404
    assert OutboxMessage.objects.count() == 0


def test_mark_joined_records_the_first_sign_in_of_each_invitation_only(member):
    first = timezone.now() - timedelta(hours=1)
    copied = JurorFactory(user=member.user, invited_at=None, joined_at=None)

    assert mark_joined(user=member.user, now=first) == 1
    assert mark_joined(user=member.user) == 0

    member.refresh_from_db()
    copied.refresh_from_db()
    assert member.joined_at == first
    # Copied to a next edition and not invited there yet: nothing to take up.
    assert copied.joined_at is None


# --- Criteria ---------------------------------------------------------------------------------


def test_default_criteria_are_created_once(client, secretariat, edition):
    client.force_login(secretariat)

    first = client.post(url("default_criteria", edition.year), follow=True)
    second = client.post(url("default_criteria", edition.year), follow=True)

    criteria = list(Criterion.objects.filter(edition=edition))
    assert [(c.name, c.name_en) for c in criteria] == [
        ("Långsiktigt arbete", "Long-term work"),
        ("Samverkan internt och externt", "Collaboration inside and outside the organisation"),
        ("Den utsatta i fokus", "The victim in focus"),
        ("Tidiga insatser och brottsförebyggande arbete", "Acting early and preventing crime"),
        ("Resultat", "Results"),
    ]
    assert len(DEFAULT_CRITERIA) == 5
    for criterion in criteria:
        assert criterion.description
        assert criterion.description_en
        assert (criterion.weight, criterion.scale_min, criterion.scale_max) == (1, 1, 5)
        assert criterion.scale_labels == ["Svagt", "Godtagbart", "Bra", "Mycket bra", "Utmärkt"]
        assert criterion.scale_labels_en == ["Weak", "Fair", "Good", "Very good", "Excellent"]
    with translation.override("en"):
        assert criteria[0].steps() == [
            (1, "Weak"),
            (2, "Fair"),
            (3, "Good"),
            (4, "Very good"),
            (5, "Excellent"),
        ]
    assert "5 criteria were added." in visible_text(first)
    assert "The edition has its criteria already: nothing was added." in visible_text(second)
    assert "Change the criteria in the administration" in visible_text(second)


def test_default_criteria_are_refused_once_scoring_opened(client, secretariat, edition):
    edition.scoring_opened_at = timezone.now()
    edition.save()
    client.force_login(secretariat)

    response = client.post(url("default_criteria", edition.year), follow=True)

    assert "Scoring has opened: the criteria can no longer change." in visible_text(response)
    assert Criterion.objects.count() == 0


# --- Opening the scoring ----------------------------------------------------------------------


@pytest.fixture
def ready(edition, chair, member):
    CriterionFactory(edition=edition)
    JurorFactory(edition=edition)
    return [eligible_nominee(edition) for _ in range(4)]


def test_open_scoring_for_everyone(client, secretariat, edition, ready):
    client.force_login(secretariat)

    response = client.post(url("open_scoring", edition.year), {"mode": "all"}, follow=True)

    assert Assignment.objects.filter(juror__edition=edition).count() == 12
    edition.refresh_from_db()
    assert edition.scoring_opened_at is not None
    page = visible_text(response)
    assert "Scoring is open: 12 assignments were made." in page
    assert "Scoring opened on" in page
    assert 'id="open-scoring-form"' not in response.content.decode()


def test_open_scoring_with_k_jurors_per_nominee(client, secretariat, edition, ready):
    client.force_login(secretariat)

    response = client.post(
        url("open_scoring", edition.year), {"mode": "balanced", "min_jurors": 2}, follow=True
    )

    assert "Scoring is open: 8 assignments were made." in visible_text(response)
    per_juror = [juror.assigned for juror in jury_of(edition)]
    assert sorted(per_juror) == [2, 3, 3]


def test_open_scoring_with_k_needs_k(client, secretariat, edition, ready):
    client.force_login(secretariat)

    response = client.post(url("open_scoring", edition.year), {"mode": "balanced"})

    assert response.status_code == 200
    assert response.context["open_form"].errors == {
        "min_jurors": ["How many jurors should each nominee get?"]
    }
    assert Assignment.objects.count() == 0


def test_open_scoring_with_an_impossible_k_says_why(client, secretariat, edition, ready):
    client.force_login(secretariat)

    response = client.post(
        url("open_scoring", edition.year), {"mode": "balanced", "min_jurors": 4}, follow=True
    )

    names = ", ".join(sorted(n.name for n in ready))
    assert (
        f"Not every nominee can get 4 jurors without a conflict of interest: {names}."
        in visible_text(response)
    )
    assert Assignment.objects.count() == 0
    edition.refresh_from_db()
    assert edition.scoring_opened_at is None


def test_open_scoring_twice_says_it_is_open(client, secretariat, edition, ready):
    client.force_login(secretariat)
    client.post(url("open_scoring", edition.year), {"mode": "all"})

    response = client.post(
        url("open_scoring", edition.year), {"mode": "balanced", "min_jurors": 1}, follow=True
    )

    assert "Scoring is open already: nothing was changed." in visible_text(response)
    assert Assignment.objects.count() == 12


def test_open_scoring_before_screening_is_completed_is_refused(client, secretariat, edition, ready):
    edition.screening_completed_at = None
    edition.save()
    client.force_login(secretariat)

    page = client.get(url("manage", edition.year))
    response = client.post(url("open_scoring", edition.year), {"mode": "all"}, follow=True)

    assert 'id="open-scoring-form"' not in page.content.decode()
    assert (
        "Scoring opens once screening is completed, and before the jury decides."
        in visible_text(response)
    )
    assert Assignment.objects.count() == 0


# --- The administration of criteria and the record --------------------------------------------


def test_criteria_can_be_changed_in_the_admin_until_scoring_opens(client, secretariat, edition):
    admin = UserFactory(is_staff=True, is_superuser=True)
    criterion = CriterionFactory(edition=edition, weight=1)
    client.force_login(admin)
    changelist = reverse("admin:jury_criterion_changelist")
    change = reverse("admin:jury_criterion_change", args=[criterion.pk])

    listing = client.get(changelist, {"edition__id__exact": edition.pk})
    assert 'name="form-0-weight"' in listing.content.decode()
    client.post(
        changelist + f"?edition__id__exact={edition.pk}",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(criterion.pk),
            "form-0-weight": "3",
            "_save": "Save",
        },
    )
    criterion.refresh_from_db()
    assert criterion.weight == 3
    assert 'name="_save"' in client.get(change).content.decode()

    edition.scoring_opened_at = timezone.now()
    edition.save()

    client.post(
        changelist + f"?edition__id__exact={edition.pk}",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(criterion.pk),
            "form-0-weight": "5",
            "_save": "Save",
        },
    )
    criterion.refresh_from_db()
    assert criterion.weight == 3
    assert 'name="_save"' not in client.get(change).content.decode()
    assert client.post(change, {"name": "Nytt namn", "weight": 5}).status_code == 403
    delete = reverse("admin:jury_criterion_delete", args=[criterion.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Criterion.objects.get(pk=criterion.pk).name == criterion.name
    add_form = client.get(reverse("admin:jury_criterion_add")).content.decode()
    assert f'<option value="{edition.pk}"' not in add_form


def test_jurors_and_declarations_are_read_only_in_the_admin(client, member):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    listing = client.get(reverse("admin:jury_juror_changelist"))
    change = client.get(reverse("admin:jury_juror_change", args=[member.pk]))

    assert listing.status_code == 200
    assert str(member.user) in listing.content.decode()
    assert 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:jury_juror_add")).status_code == 403
    assert client.get(reverse("admin:jury_conflictdeclaration_add")).status_code == 403
    assert client.get(reverse("admin:jury_conflictdeclaration_changelist")).status_code == 200


# --- Next year --------------------------------------------------------------------------------


def test_copy_jury_and_criteria_to_the_next_edition(edition, chair, member):
    CriterionFactory(edition=edition, name="Långsiktigt arbete", weight=2, position=1)
    CriterionFactory(edition=edition, name="Resultat", position=2)
    member.scores_submitted_at = timezone.now()
    member.save()
    target = EditionFactory(year=edition.year + 1)
    CriterionFactory(edition=target, name="Resultat", weight=3)

    copied = copy_jury_and_criteria(source=edition, target=target)
    again = copy_jury_and_criteria(source=edition, target=target)

    assert copied == (1, 2)
    assert again == (0, 0)
    assert sorted(Criterion.objects.filter(edition=target).values_list("name", "weight")) == [
        ("Långsiktigt arbete", 2),
        ("Resultat", 3),
    ]
    jurors = {juror.user_id: juror for juror in Juror.objects.filter(edition=target)}
    assert set(jurors) == {chair.user_id, member.user_id}
    copied_chair = jurors[chair.user_id]
    assert (copied_chair.role, copied_chair.partner, copied_chair.organisation) == (
        Juror.Role.CHAIR,
        chair.partner,
        chair.organisation,
    )
    for juror in jurors.values():
        assert (juror.invited_at, juror.joined_at, juror.scores_submitted_at) == (None, None, None)


def test_copy_makes_the_chair_a_member_when_the_target_has_a_chair(edition, chair):
    target = EditionFactory(year=edition.year + 1)
    ChairFactory(edition=target)

    copy_jury_and_criteria(source=edition, target=target)

    assert Juror.objects.get(edition=target, user=chair.user).role == Juror.Role.MEMBER


def test_a_juror_invited_once_scoring_is_open_scores_every_candidate(secretariat, edition):
    nominees = [eligible_nominee(edition) for _ in range(3)]
    edition.scoring_opened_at = timezone.now()
    edition.save(update_fields=["scoring_opened_at"])

    juror = invite(
        edition, email="late@example.org", first_name="Sen", last_name="Ankomling", by=secretariat
    )

    assert set(juror.assignments.values_list("nominee_id", flat=True)) == {n.pk for n in nominees}


def test_a_juror_invited_before_scoring_opens_gets_no_assignments_yet(secretariat, edition):
    eligible_nominee(edition)

    juror = invite(
        edition, email="early@example.org", first_name="Tidig", last_name="Medlem", by=secretariat
    )

    assert juror.assignments.count() == 0
