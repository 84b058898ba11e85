import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from nominations.models import Area, Edition, Municipality, Nomination, Organisation
from outbox.models import OutboxMessage
from publication.models import Announcement
from tests.factories import (
    AttachmentFactory,
    EditionFactory,
    NominationFactory,
    NomineeFactory,
    OrganisationFactory,
    SecretariatFactory,
    nomination_of,
)
from tests.helpers import PERSONAL_IDENTITY_NUMBER, assert_sent_to_sign_in

# An edition whose call has closed: the secretariat is screening.
pytestmark = [pytest.mark.django_db, pytest.mark.edition(screening=True)]


def url(name: str, *args, language: str = "en", **query) -> str:
    """A screening URL; English by default so that assertions do not depend on the
    state of the Swedish catalogue."""
    with translation.override(language):
        path = reverse(f"nominations:{name}", args=args)
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return path


def references(html: str) -> list[str]:
    return re.findall(r'data-reference="([^"]+)"', html)


@pytest.fixture
def nomination(edition):
    return NominationFactory(
        submitted=True,
        edition=edition,
        nominee_name="Stödcentrum Ärlinge",
        nominator_organisation_name="Kvinnojouren Frida",
        contact_name="Anna Andersson",
    )


def _view_requests(nomination: Nomination) -> dict[str, tuple[str, str, dict]]:
    edition = nomination.edition
    return {
        "list": ("get", url("screening_list", edition=edition.year), {}),
        "detail": ("get", url("screening_detail", nomination.pk), {}),
        "screen": (
            "post",
            url("screening_detail", nomination.pk),
            {"eligible": "no", "reason": "Utanför länet."},
        ),
        "csv": ("get", url("screening_export", "csv", edition=edition.year), {}),
        "xlsx": ("get", url("screening_export", "xlsx", edition=edition.year), {}),
        "pdf": ("get", url("nomination_pdf", nomination.pk), {}),
        "complete": ("post", url("screening_complete"), {"edition": edition.year}),
    }


VIEWS = ["list", "detail", "screen", "csv", "xlsx", "pdf", "complete"]


def _assert_nothing_changed(nomination: Nomination) -> None:
    nomination.refresh_from_db()
    nomination.edition.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED
    assert nomination.screened_by is None
    assert nomination.edition.screening_completed_at is None
    assert OutboxMessage.objects.count() == 0


# --- Who may see the screening pages ----------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
def test_screening_views_send_anonymous_visitors_to_sign_in(client, nomination, view):
    method, path, data = _view_requests(nomination)[view]

    response = getattr(client, method)(path, data)

    assert_sent_to_sign_in(response, path)
    _assert_nothing_changed(nomination)


@pytest.mark.parametrize("view", VIEWS)
def test_screening_views_refuse_a_signed_in_outsider(client, nomination, outsider, view):
    method, path, data = _view_requests(nomination)[view]
    client.force_login(outsider)

    response = getattr(client, method)(path, data)

    assert response.status_code == 403
    _assert_nothing_changed(nomination)


@pytest.mark.parametrize("view", VIEWS)
def test_screening_views_refuse_the_nominator_of_the_nomination(client, nomination, view):
    method, path, data = _view_requests(nomination)[view]
    client.force_login(nomination.nominator)

    response = getattr(client, method)(path, data)

    assert response.status_code == 403
    _assert_nothing_changed(nomination)


def test_screening_views_refuse_an_inactive_staff_user(client, nomination):
    client.force_login(SecretariatFactory(is_active=False))

    response = client.get(url("screening_list", edition=nomination.edition.year))

    # An inactive user is signed out by the authentication middleware: asked to sign in.
    assert response.status_code == 302
    assert response.url.startswith("/en/signin/")


# --- The list -----------------------------------------------------------------------------------


def test_screening_list_shows_the_editions_submitted_nominations(client, secretariat, nomination):
    edition = nomination.edition
    draft = NominationFactory(edition=edition, nominee_name="Utkastteamet")
    withdrawn = NominationFactory(
        submitted=True, edition=edition, status=Nomination.Status.WITHDRAWN
    )
    elsewhere = NominationFactory(submitted=True, edition=EditionFactory())
    nomination.contains_personal_identity_number = True
    nomination.save()
    client.force_login(secretariat)

    response = client.get(url("screening_list", edition=edition.year))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f"Screening of the nominations, Kvinnofridspriset {edition.year}" in html
    assert references(html) == [nomination.reference_number]
    assert f'href="{url("screening_detail", nomination.pk)}"' in html
    assert "Stödcentrum Ärlinge" in html
    assert "Kvinnojouren Frida" in html
    assert '<span class="badge text-bg-danger pin-flag">Personal identity number</span>' in html
    assert "Utkastteamet" not in html
    assert withdrawn.reference_number not in html
    assert elsewhere.reference_number not in html
    assert draft.reference_number is None
    counts = {count["status"]: count["count"] for count in response.context["status_counts"]}
    assert counts == {"submitted": 1, "withdrawn": 1, "eligible": 0, "not_eligible": 0}
    assert (
        '<li class="list-inline-item" data-status="withdrawn">Withdrawn: <strong>1</strong>' in html
    )


def test_screening_pages_speak_swedish_at_the_root(client, secretariat, nomination):
    client.force_login(secretariat)

    listing = client.get(url("screening_list", language="sv", edition=nomination.edition.year))
    detail = client.get(url("screening_detail", nomination.pk, language="sv"))

    assert listing.request["PATH_INFO"] == "/screening/"
    for response in (listing, detail):
        html = response.content.decode()
        assert response.status_code == 200
        assert '<html lang="sv">' in html
        assert nomination.reference_number in html
        assert html.count("<h1") == 1


def test_screening_list_defaults_to_the_current_edition(client, secretariat):
    older = EditionFactory(year=2090)
    # The older edition is over: its winner is published.
    Announcement.objects.create(
        edition=older, winner_name="Vinnaren", citation="Motivering.", published_at=timezone.now()
    )
    current = EditionFactory(year=2091)
    old_nomination = NominationFactory(submitted=True, edition=older)
    current_nomination = NominationFactory(submitted=True, edition=current)
    client.force_login(secretariat)

    html = client.get(url("screening_list")).content.decode()

    assert Edition.objects.current() == current
    assert references(html) == [current_nomination.reference_number]
    assert old_nomination.reference_number not in html
    assert '<option value="2091" selected>Kvinnofridspriset 2091</option>' in html
    assert '<option value="2090">Kvinnofridspriset 2090</option>' in html


def test_screening_list_of_an_unknown_edition_is_not_found(client, secretariat):
    client.force_login(secretariat)

    response = client.get(url("screening_list", edition=1901))

    assert response.status_code == 404


@pytest.fixture
def varied(edition):
    """Nominations that differ in every filtered attribute."""
    areas = list(Area.objects.order_by("position"))
    stockholm = Municipality.objects.get(code="0180")
    nynashamn = Municipality.objects.get(code="0192")
    return {
        "frida": NominationFactory(
            submitted=True,
            edition=edition,
            nominee_name="Frida-teamet",
            nominee_kind=Organisation.Kind.MUNICIPALITY,
            nominator_organisation_name="Kvinnojouren Frida",
            contact_name="Anna Andersson",
            areas=[areas[0]],
            municipalities=[stockholm],
        ),
        "polisen": NominationFactory(
            submitted=True,
            edition=edition,
            status=Nomination.Status.ELIGIBLE,
            nominee_name="Relationsvåldsenheten Syd",
            nominee_kind=Organisation.Kind.AUTHORITY,
            nominator_organisation_name="Polismyndigheten",
            contact_name="Bo Berg",
            areas=[areas[1]],
            municipalities=[nynashamn],
        ),
        "ideell": NominationFactory(
            submitted=True,
            edition=edition,
            status=Nomination.Status.NOT_ELIGIBLE,
            nominee_name="Tjejjouren Väst",
            nominee_kind=Organisation.Kind.NON_PROFIT,
            nominator_organisation_name="Länsstyrelsen",
            contact_name="Cecilia Ceder",
            areas=[areas[0], areas[2]],
            municipalities=[stockholm, nynashamn],
        ),
        "withdrawn": NominationFactory(
            submitted=True,
            edition=edition,
            status=Nomination.Status.WITHDRAWN,
            nominee_name="Tillbakadragna teamet",
            areas=[areas[0]],
            municipalities=[stockholm],
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"frida", "polisen", "ideell"}),
        ({"status": "eligible"}, {"polisen"}),
        ({"status": "not_eligible"}, {"ideell"}),
        ({"status": "withdrawn"}, {"withdrawn"}),
        ({"nominee_kind": "authority"}, {"polisen"}),
        ({"nominee_kind": "non_profit"}, {"ideell"}),
        ({"area": "first"}, {"frida", "ideell"}),
        ({"area": "third"}, {"ideell"}),
        ({"municipality": "0192"}, {"polisen", "ideell"}),
        ({"municipality": "0192", "nominee_kind": "authority"}, {"polisen"}),
        ({"q": "frida"}, {"frida"}),  # nominee and nominating organisation
        ({"q": "VÅLDSENHETEN"}, {"polisen"}),  # nominee name, any case
        ({"q": "länsstyrelsen"}, {"ideell"}),  # nominating organisation
        ({"q": "bo berg"}, {"polisen"}),  # contact person
        ({"q": "ingen träff"}, set()),
    ],
)
def test_screening_list_filters_and_search_narrow_the_list(
    client, secretariat, edition, varied, query, expected
):
    areas = list(Area.objects.order_by("position"))
    municipalities = {m.code: m for m in Municipality.objects.all()}
    params = {"edition": edition.year, **query}
    if "area" in query:
        params["area"] = areas[{"first": 0, "third": 2}[query["area"]]].pk
    if "municipality" in query:
        params["municipality"] = municipalities[query["municipality"]].pk
    client.force_login(secretariat)

    response = client.get(url("screening_list"), params)

    assert response.status_code == 200
    assert sorted(references(response.content.decode())) == sorted(
        varied[key].reference_number for key in expected
    )


def test_screening_list_searches_the_reference_number(client, secretariat, edition, varied):
    client.force_login(secretariat)
    wanted = varied["polisen"].reference_number

    html = client.get(url("screening_list"), {"edition": edition.year, "q": wanted}).content

    assert references(html.decode()) == [wanted]


def test_screening_list_ignores_an_invalid_filter_and_says_so(client, secretariat, edition, varied):
    client.force_login(secretariat)

    response = client.get(url("screening_list"), {"edition": edition.year, "status": "draft"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. draft is not one of the available choices." in html
    assert len(references(html)) == 3


def test_screening_list_export_links_keep_the_filters(client, secretariat, edition, varied):
    client.force_login(secretariat)

    html = client.get(
        url("screening_list"), {"edition": edition.year, "status": "eligible", "q": "syd"}
    ).content.decode()

    csv_link = (
        f"{url('screening_export', 'csv')}?edition={edition.year}&amp;status=eligible&amp;q=syd"
    )
    xlsx_link = (
        f"{url('screening_export', 'xlsx')}?edition={edition.year}&amp;status=eligible&amp;q=syd"
    )
    assert f'href="{csv_link}"' in html
    assert f'href="{xlsx_link}"' in html


def test_screening_list_groups_the_nominations_of_one_nominee(client, secretariat, edition):
    nominee = NomineeFactory(edition=edition, name="Stödcentrum Ärlinge")
    first = nomination_of(
        nominee,
        nominee_name="Stödcentrum Ärlinge",
        nominator_organisation_name="Kvinnojouren Frida",
    )
    second = nomination_of(
        nominee, nominee_name="stödcentrum ärlinge", nominator_organisation_name="Polismyndigheten"
    )
    other = NominationFactory(submitted=True, edition=edition, nominee_name="Ett annat team")
    client.force_login(secretariat)

    html = client.get(url("screening_list", edition=edition.year)).content.decode()

    sections = dict(
        re.findall(
            r'<section class="nominee card mb-3" id="nominee-(\d+)">(.*?)</section>', html, re.S
        )
    )
    assert set(sections) == {str(nominee.pk), str(other.nominee_id)}
    grouped = sections[str(nominee.pk)]
    assert re.findall(r'<h3 class="h5 card-title nominee-name">([^<]*)', grouped) == [
        "Stödcentrum Ärlinge"
    ]
    assert references(grouped) == [first.reference_number, second.reference_number]
    assert "Kvinnojouren Frida" in grouped
    assert "Polismyndigheten" in grouped
    assert "Nominated 2 times in this list." in grouped
    assert references(sections[str(other.nominee_id)]) == [other.reference_number]
    assert html.count('class="h5 card-title nominee-name"') == 2


def _add_nominations(edition, count: int) -> None:
    areas = list(Area.objects.all())
    municipalities = list(Municipality.objects.all())
    nominees = [
        NomineeFactory(edition=edition, organisation=OrganisationFactory() if i % 2 else None)
        for i in range(7)
    ]
    for i in range(count):
        NominationFactory(
            submitted=True,
            edition=edition,
            nominee=nominees[i % len(nominees)],
            status=[Nomination.Status.SUBMITTED, Nomination.Status.ELIGIBLE][i % 2],
            contains_personal_identity_number=i % 3 == 0,
            areas=areas[: 1 + i % 3],
            municipalities=municipalities[i % 5 : i % 5 + 3],
        )


def _count_list_queries(client, edition) -> tuple[int, int]:
    path = url("screening_list", edition=edition.year)
    client.get(path)  # the session and the like, once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), len(references(response.content.decode()))


def test_screening_list_query_count_does_not_grow_with_the_nominations(
    client, secretariat, edition
):
    client.force_login(secretariat)
    _add_nominations(edition, 5)
    small, shown_small = _count_list_queries(client, edition)

    _add_nominations(edition, 45)
    large, shown_large = _count_list_queries(client, edition)

    assert (shown_small, shown_large) == (5, 50)
    assert small == large


# --- One nomination --------------------------------------------------------------------------


def test_screening_detail_shows_the_whole_nomination(client, secretariat, edition):
    areas = list(Area.objects.order_by("position"))
    nomination = NominationFactory(
        submitted=True,
        edition=edition,
        nominee_name="Stödcentrum Ärlinge",
        nominee_organisation_number="802000-0006",
        nominee_kind=Organisation.Kind.NON_PROFIT,
        motivation="Ett arbete med den utsatta i fokus.\nAndra stycket.",
        long_term_work="Sedan 2015.",
        collaboration="Med socialtjänsten.",
        results="Fler upptäcks tidigt.",
        nominator_organisation_name="Kvinnojouren Frida",
        nominator_organisation_number="802100-0004",
        contact_name="Anna Andersson",
        contact_email="anna@example.org",
        contact_phone="08-123 456 78",
        areas=[areas[0], areas[2]],
        municipalities=[Municipality.objects.get(code="0192")],
    )
    attachment = AttachmentFactory(
        nomination=nomination,
        file="nominations/test/not-read",
        original_name="Verksamhetsberättelse 2025.pdf",
        size=2048,
    )
    client.force_login(secretariat)

    response = client.get(url("screening_detail", nomination.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert f"<h1>{nomination.reference_number}: Stödcentrum Ärlinge</h1>" in html
    for text in [
        f"Kvinnofridspriset {edition.year}",
        "802000-0006",
        "Non-profit organisation",
        "Nynäshamn",
        "violence in close relationships, prostitution and human trafficking",
        "<p>Ett arbete med den utsatta i fokus.<br>Andra stycket.</p>",
        "Sedan 2015.",
        "Med socialtjänsten.",
        "Fler upptäcks tidigt.",
        "Kvinnojouren Frida",
        "802100-0004",
        "Anna Andersson",
        '<a href="mailto:anna@example.org">anna@example.org</a>',
        "08-123 456 78",
        "Not screened yet.",
    ]:
        assert text in html, text
    attachment_url = reverse("nominations:attachment", args=[nomination.pk, attachment.pk])
    assert f'<a href="{attachment_url}">Verksamhetsberättelse 2025.pdf</a>' in html
    assert f'href="{url("nomination_pdf", nomination.pk)}"' in html
    assert 'name="eligible"' in html
    assert 'name="reason"' in html
    assert "pin-warning" not in html


def test_screening_detail_flags_a_personal_identity_number_and_where_it_is(
    client, secretariat, edition
):
    nomination = NominationFactory(
        submitted=True,
        edition=edition,
        results=f"Hjälpte kvinnan med personnummer {PERSONAL_IDENTITY_NUMBER}.",
        contains_personal_identity_number=True,
    )
    client.force_login(secretariat)

    html = client.get(url("screening_detail", nomination.pk)).content.decode()

    warning = re.search(r'<div class="alert alert-danger pin-warning".*?</div>', html, re.S)
    assert warning
    assert "This nomination seems to contain a personal identity number." in warning.group(0)
    assert "Found in: Results." in warning.group(0)
    assert re.search(r'id="field-results">Results <span class="badge[^"]*pin-flag">', html)
    assert not re.search(r'id="field-motivation">Motivation <span', html)


def test_screening_detail_links_the_other_nominations_of_the_nominee(client, secretariat, edition):
    nominee = NomineeFactory(edition=edition, name="Stödcentrum Ärlinge")
    nomination = nomination_of(nominee)
    sibling = nomination_of(nominee, nominator_organisation_name="Polismyndigheten")
    unrelated = NominationFactory(submitted=True, edition=edition)
    client.force_login(secretariat)

    html = client.get(url("screening_detail", nomination.pk)).content.decode()

    others = re.search(r'<section class="mb-4 other-nominations".*?</section>', html, re.S).group(0)
    sibling_link = f'<a href="{url("screening_detail", sibling.pk)}">{sibling.reference_number}</a>'
    assert sibling_link in others
    assert "Polismyndigheten" in others
    assert unrelated.reference_number not in others
    assert f">{nomination.reference_number}</a>" not in others


def test_screening_detail_of_a_draft_is_not_found(client, secretariat, edition):
    draft = NominationFactory(edition=edition)
    client.force_login(secretariat)

    assert client.get(url("screening_detail", draft.pk)).status_code == 404
    assert client.post(url("screening_detail", draft.pk), {"eligible": "yes"}).status_code == 404
    assert client.get(url("nomination_pdf", draft.pk)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Nomination.Status.DRAFT


def test_screening_detail_of_a_withdrawn_nomination_offers_no_decision(
    client, secretariat, edition
):
    withdrawn = NominationFactory(
        submitted=True,
        edition=edition,
        status=Nomination.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
    )
    client.force_login(secretariat)

    html = client.get(url("screening_detail", withdrawn.pk)).content.decode()
    response = client.post(
        url("screening_detail", withdrawn.pk), {"eligible": "yes", "reason": ""}, follow=True
    )

    assert "A withdrawn nomination is not screened." in html
    assert 'name="eligible"' not in html
    assert "Only submitted nominations are screened." in response.content.decode()
    withdrawn.refresh_from_db()
    assert withdrawn.status == Nomination.Status.WITHDRAWN
    assert withdrawn.screened_by is None


# --- Screening decisions ----------------------------------------------------------------------


def test_not_eligible_without_a_reason_is_refused_next_to_the_reason(
    client, secretariat, nomination, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            url("screening_detail", nomination.pk), {"eligible": "no", "reason": "   "}
        )

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        r'<textarea name="reason"[^>]*class="[^"]*is-invalid[^"]*"[^>]*>\s*</textarea>\s*'
        r'<div id="id_reason_error" class="invalid-feedback">\s*<span id="error_1_id_reason">'
        r"<strong>Say why the nomination is not eligible.</strong></span>",
        html,
    )
    assert re.search(r'<input type="radio"[^>]*name="eligible" value="no"[^>]*checked', html)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED
    assert nomination.screened_by is None
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []


def test_screening_form_keeps_the_typed_reason_when_the_decision_is_missing(
    client, secretariat, nomination
):
    client.force_login(secretariat)

    response = client.post(
        url("screening_detail", nomination.pk),
        {"reason": "Verksamheten ligger utanför Stockholms län."},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Verksamheten ligger utanför Stockholms län.</textarea>" in html
    assert "<strong>This field is required.</strong>" in html
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED


def test_not_eligible_records_the_decision_and_queues_one_email_to_the_nominator(
    client, secretariat, nomination, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    reason = "Verksamheten ligger utanför Stockholms län."

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            url("screening_detail", nomination.pk), {"eligible": "no", "reason": reason}
        )

    assert response.status_code == 302
    assert response.url == url("screening_detail", nomination.pk)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.NOT_ELIGIBLE
    assert nomination.screening_reason == reason
    assert nomination.screened_by == secretariat
    assert nomination.screened_at is not None
    message = OutboxMessage.objects.get()
    assert message.template == "nomination_not_eligible"
    assert message.recipient == nomination.nominator.email
    assert message.context["reason"] == reason
    assert message.context["reference_number"] == nomination.reference_number
    assert message.status == OutboxMessage.Status.QUEUED
    assert len(callbacks) == 1  # the send task, after commit

    html = client.get(response.url).content.decode()
    assert f"The decision on {nomination.reference_number} has been recorded: Not eligible." in html
    assert "Not eligible, recorded by Sara Kansli on" in html
    assert reason in html


def test_eligible_records_the_decision_and_sends_nothing(
    client, secretariat, nomination, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            url("screening_detail", nomination.pk), {"eligible": "yes", "reason": ""}
        )

    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.ELIGIBLE
    assert nomination.screening_reason == ""
    assert nomination.screened_by == secretariat
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []


def test_screening_form_shows_the_recorded_decision(client, secretariat, nomination):
    nomination.status = Nomination.Status.NOT_ELIGIBLE
    nomination.screening_reason = "Utanför länet."
    nomination.save()
    client.force_login(secretariat)

    html = client.get(url("screening_detail", nomination.pk)).content.decode()

    assert re.search(r'<input type="radio"[^>]*name="eligible" value="no"[^>]*checked', html)
    assert "Utanför länet.</textarea>" in html


# --- Completing the screening ------------------------------------------------------------------


def test_completing_the_screening_moves_the_edition_to_the_jury(client, secretariat, nomination):
    edition = nomination.edition
    assert edition.phase == Edition.Phase.SCREENING
    client.force_login(secretariat)
    before = client.get(url("screening_list", edition=edition.year)).content.decode()

    response = client.post(url("screening_complete"), {"edition": edition.year})

    assert response.status_code == 302
    assert response.url == url("screening_list", edition=edition.year)
    edition.refresh_from_db()
    assert edition.phase == Edition.Phase.JURY
    assert edition.screening_completed_at is not None
    assert 'action="/en/screening/complete/"' in before
    assert "1 nomination has not been screened yet." in before
    after = client.get(response.url).content.decode()
    assert f"Screening of Kvinnofridspriset {edition.year} is completed" in after
    assert "Screening was completed on" in after
    assert 'action="/en/screening/complete/"' not in after


def test_completing_the_screening_is_refused_while_the_call_is_open(client, secretariat):
    edition = EditionFactory()  # open for nominations now
    client.force_login(secretariat)

    response = client.post(url("screening_complete"), {"edition": edition.year}, follow=True)

    edition.refresh_from_db()
    assert edition.phase == Edition.Phase.OPEN
    assert edition.screening_completed_at is None
    html = response.content.decode()
    assert "Screening can only be completed after the call for nominations has closed" in html
    assert "Screening can be completed once the call for nominations has closed." in html
    assert 'action="/en/screening/complete/"' not in html


def test_completing_the_screening_of_an_unknown_edition_changes_nothing(
    client, secretariat, nomination
):
    client.force_login(secretariat)

    response = client.post(url("screening_complete"), {"edition": "1901"}, follow=True)

    assert "There is no such edition." in response.content.decode()
    _assert_nothing_changed(nomination)


def test_screening_recognises_a_past_winner_and_a_repeat_nominee(client, secretariat):
    police = Organisation.objects.get(organisation_number="202100-0076")
    earlier_edition = EditionFactory(year=2080)
    NomineeFactory(edition=earlier_edition, name="BIN-sektionen Syd", organisation=police)
    edition = EditionFactory(year=2081)
    nominee = NomineeFactory(
        edition=edition, name="BIN-sektionen Stockholm syd", organisation=police
    )
    nomination = NominationFactory(submitted=True, edition=edition, nominee=nominee)
    client.force_login(secretariat)

    html = client.get(url("screening_detail", nomination.pk, language="sv")).content.decode()

    assert "Vann Kvinnofridspriset 2023: BIN-sektionen i polisområde Stockholm syd" in html
    assert "Nominerad till Kvinnofridspriset 2080 som ”BIN-sektionen Syd”" in html


def test_screening_names_a_win_only_once_it_is_published(client, secretariat):
    # The jury's decision is embargoed until publication: a draft announcement is no win yet.
    organisation = OrganisationFactory()
    earlier = EditionFactory(year=2082)
    Announcement.objects.create(
        edition=earlier, winner_name="Teamet Norr", winner_organisation=organisation, citation="-"
    )
    published = EditionFactory(year=2083)
    Announcement.objects.create(
        edition=published,
        winner_name="Teamet Norr",
        citation="-",
        published_at=timezone.now(),
    )
    edition = EditionFactory(year=2084)
    nominee = NomineeFactory(edition=edition, name="Teamet Norr", organisation=organisation)
    nomination = NominationFactory(submitted=True, edition=edition, nominee=nominee)
    client.force_login(secretariat)

    html = client.get(url("screening_detail", nomination.pk, language="sv")).content.decode()

    assert "Vann Kvinnofridspriset 2083: Teamet Norr" in html
    assert "Vann Kvinnofridspriset 2082" not in html


def test_screening_says_when_a_nominee_is_new(client, secretariat):
    nomination = NominationFactory(submitted=True)
    client.force_login(secretariat)

    html = client.get(url("screening_detail", nomination.pk, language="sv")).content.decode()

    assert "Inte nominerad tidigare, så vitt plattformen vet." in html
