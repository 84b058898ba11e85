"""Each recorded action leaves one entry, naming who and what, and nothing of the content."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import Action, AuditEntry
from jury.services import scoring, vote
from nominations import services as nomination_services
from tests.factories import (
    AttachmentFactory,
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    NominationFactory,
    ScoreFactory,
    UserFactory,
    assign,
    eligible_nominee,
)

pytestmark = pytest.mark.django_db

SECRET = "Hemligt innehåll om Anna Andersson 811218-9876"


def url(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def only_entry(action: str) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, f"{len(entries)} entries for {action}"
    return entries[0]


def as_text(entry: AuditEntry) -> str:
    fields = [entry.actor_label, entry.target_type, entry.target_label, entry.target_id]
    return json.dumps([*fields, entry.data], ensure_ascii=False)


def assert_entry(entry: AuditEntry, *, actor, target, year: int, absent=()):
    assert entry.actor_id == actor.pk
    assert entry.actor_label.startswith(actor.get_full_name())
    assert (entry.target_type, entry.target_id) == (target._meta.label_lower, str(target.pk))
    assert entry.edition_year == year
    text = as_text(entry)
    for content in (actor.email, SECRET, *absent):
        assert content not in text


# --- Screening -------------------------------------------------------------------------------


@pytest.fixture
def screening_edition():
    return EditionFactory(screening=True)


@pytest.fixture
def nomination(screening_edition):
    return NominationFactory(
        submitted=True, edition=screening_edition, motivation=SECRET, contact_name="Anna Andersson"
    )


def test_a_staff_sign_in_is_recorded_and_a_nominators_is_not(client, secretariat):
    nominator = UserFactory(first_name="Nina", last_name="Nominerar")
    client.force_login(nominator)
    assert not AuditEntry.objects.exists()

    client.force_login(secretariat)

    entry = only_entry(Action.STAFF_SIGNED_IN)
    assert_entry(entry, actor=secretariat, target=secretariat, year=None)


def test_staff_opening_a_nomination_is_recorded(client, secretariat, nomination):
    client.force_login(secretariat)

    response = client.get(url("nominations:screening_detail", nomination.pk))

    assert SECRET in response.content.decode()
    entry = only_entry(Action.NOMINATION_OPENED)
    assert_entry(entry, actor=secretariat, target=nomination, year=nomination.edition.year)
    assert entry.target_label == nomination.reference_number


def test_a_screening_decision_is_recorded_without_its_reason(secretariat, nomination):
    reason = "Anna Andersson arbetar inte i Sverige"
    nomination_services.screen_nomination(nomination, eligible=False, reason=reason, by=secretariat)

    entry = only_entry(Action.NOMINATION_SCREENED)
    year = nomination.edition.year
    assert_entry(entry, actor=secretariat, target=nomination, year=year, absent=[reason])
    assert entry.data == {"status": "not_eligible", "previous": "submitted"}


def test_completing_screening_is_recorded(secretariat, screening_edition, nomination):
    assert nomination_services.complete_screening(screening_edition, by=secretariat)

    entry = only_entry(Action.SCREENING_COMPLETED)
    assert_entry(entry, actor=secretariat, target=screening_edition, year=screening_edition.year)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_screening_export_is_recorded_with_its_format_not_its_filters(
    client, secretariat, nomination, file_format
):
    client.force_login(secretariat)
    edition = nomination.edition

    response = client.get(
        url("nominations:screening_export", file_format),
        {"edition": edition.year, "q": "Anna Andersson"},
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    entry = only_entry(Action.SCREENING_EXPORTED)
    assert_entry(entry, actor=secretariat, target=edition, year=edition.year, absent=["Anna"])
    assert entry.data == {"format": file_format, "filtered": True}


def test_a_nomination_pdf_download_is_recorded(client, secretariat, nomination):
    client.force_login(secretariat)

    response = client.get(url("nominations:nomination_pdf", nomination.pk))

    assert response.getvalue().startswith(b"%PDF")
    entry = only_entry(Action.NOMINATION_PDF_DOWNLOADED)
    assert_entry(entry, actor=secretariat, target=nomination, year=nomination.edition.year)


def test_an_attachment_download_by_staff_is_recorded_without_the_file_name(
    client, secretariat, nomination, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "nominations").mkdir()
    (tmp_path / "nominations" / "a.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    attachment = AttachmentFactory(
        nomination=nomination,
        file="nominations/a.pdf",
        original_name="Anna Anderssons intyg.pdf",
    )
    client.force_login(nomination.nominator)
    owner_download = client.get(url("nominations:attachment", nomination.pk, attachment.pk))
    assert b"".join(owner_download.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert not AuditEntry.objects.filter(action=Action.ATTACHMENT_DOWNLOADED).exists()

    client.force_login(secretariat)
    staff_download = client.get(url("nominations:attachment", nomination.pk, attachment.pk))

    assert b"".join(staff_download.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    entry = only_entry(Action.ATTACHMENT_DOWNLOADED)
    assert_entry(
        entry, actor=secretariat, target=nomination, year=nomination.edition.year, absent=["intyg"]
    )
    assert entry.data == {"attachment": attachment.pk}


# --- The jury ----------------------------------------------------------------------------------


@pytest.fixture
def jury_edition():
    return EditionFactory(last_days_of_scoring=True)


@pytest.fixture
def criteria(jury_edition):
    return [CriterionFactory(edition=jury_edition), CriterionFactory(edition=jury_edition)]


def candidate(edition, name):
    return eligible_nominee(edition, nominee_name=name, motivation=SECRET)


@pytest.fixture
def nominees(jury_edition):
    return [candidate(jury_edition, "Alfateamet"), candidate(jury_edition, "Betagruppen")]


@pytest.fixture
def juror(jury_edition, nominees):
    user = UserFactory(first_name="Jana", last_name="Juror", email="jana@example.org")
    return assign(JurorFactory(edition=jury_edition, user=user), nominees)


@pytest.fixture
def chair(jury_edition, nominees):
    user = UserFactory(first_name="Cecilia", last_name="Ordförande")
    return assign(ChairFactory(edition=jury_edition, user=user), nominees)


def test_a_juror_opening_a_nominee_is_recorded(client, juror, nominees):
    client.force_login(juror.user)

    response = client.get(url("jury:score", juror.edition.year, nominees[0].pk))

    assert "Alfateamet" in response.content.decode()
    entry = only_entry(Action.NOMINEE_OPENED)
    assert_entry(entry, actor=juror.user, target=nominees[0], year=juror.edition.year)
    assert entry.target_label == "Alfateamet"


def test_saving_scores_is_recorded_without_values_comments_or_notes(juror, nominees, criteria):
    scoring.save_scores(
        juror=juror,
        nominee=nominees[0],
        values={criteria[0].pk: 4},
        comments={criteria[0].pk: "Kommentaren om Anna Andersson"},
        notes=SECRET,
    )

    entry = only_entry(Action.SCORES_SAVED)
    assert_entry(
        entry,
        actor=juror.user,
        target=nominees[0],
        year=juror.edition.year,
        absent=["Kommentaren"],
    )
    assert entry.data == {}


def test_submitting_and_reopening_scores_are_recorded(juror, chair, nominees, criteria):
    for nominee in nominees:
        for criterion in criteria:
            ScoreFactory(juror=juror, nominee=nominee, criterion=criterion, value=5)

    assert scoring.submit_scores(juror=juror)
    assert scoring.reopen_scores(juror=juror, by=chair.user)

    submitted = only_entry(Action.SCORES_SUBMITTED)
    assert_entry(submitted, actor=juror.user, target=juror, year=juror.edition.year)
    assert submitted.target_label == "Jana Juror"  # a name, not the address
    reopened = only_entry(Action.SCORES_REOPENED)
    assert_entry(reopened, actor=chair.user, target=juror, year=juror.edition.year)
    assert reopened.position == submitted.position + 1


def test_the_results_export_and_the_protocol_are_recorded(client, chair):
    edition = chair.edition
    client.force_login(chair.user)

    export = client.get(url("jury:export_results", edition.year, "csv"))
    protocol = client.get(url("jury:protocol", edition.year))

    assert export.status_code == 200
    assert protocol.getvalue().startswith(b"%PDF")
    exported = only_entry(Action.RESULTS_EXPORTED)
    assert_entry(exported, actor=chair.user, target=edition, year=edition.year)
    assert exported.data == {"format": "csv"}
    downloaded = only_entry(Action.PROTOCOL_DOWNLOADED)
    assert_entry(downloaded, actor=chair.user, target=edition, year=edition.year)


def test_shortlist_ballot_and_decision_are_recorded_but_not_what_they_say(
    jury_edition, chair, juror, nominees
):
    alfa, beta = nominees
    vote.set_shortlist(edition=jury_edition, nominees=[alfa, beta], by=chair.user)
    vote.cast_ballot(juror=juror, ranking_groups=[[beta.pk], [alfa.pk]])
    vote.record_decision(
        edition=jury_edition,
        winner=beta,
        honourable_mentions=[alfa],
        minutes="Juryn valde Betagruppen enhälligt.",
        by=chair.user,
    )

    year = jury_edition.year
    shortlist = only_entry(Action.SHORTLIST_SET)
    assert_entry(shortlist, actor=chair.user, target=jury_edition, year=year)
    assert shortlist.data == {"count": 2}
    ballot = only_entry(Action.BALLOT_CAST)
    assert_entry(ballot, actor=juror.user, target=juror, year=year, absent=["Betagruppen"])
    assert ballot.data == {}
    decision = only_entry(Action.DECISION_RECORDED)
    # The winner is embargoed until the announcement: the log does not name it.
    assert_entry(
        decision,
        actor=chair.user,
        target=jury_edition,
        year=year,
        absent=["Betagruppen", "Alfateamet", "enhälligt"],
    )
    assert decision.data == {}


def test_a_refused_action_leaves_no_entry(jury_edition, chair, nominees):
    with pytest.raises(Exception, match="at least"):
        vote.set_shortlist(edition=jury_edition, nominees=nominees[:1], by=chair.user)
    assert not AuditEntry.objects.filter(action=Action.SHORTLIST_SET).exists()
