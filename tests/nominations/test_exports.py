import csv
import io
from datetime import UTC, datetime

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import translation
from reportlab.platypus import Paragraph, Table

from nominations import exports
from nominations.models import Area, Municipality, Nomination, Organisation
from tests.factories import AttachmentFactory, EditionFactory, NominationFactory, SecretariatFactory

pytestmark = [pytest.mark.django_db, pytest.mark.edition(screening=True)]


HEADER = [
    "Reference number",
    "Status",
    "Nominee",
    "Kind of operation",
    "Nominee's organisation number",
    "Areas",
    "Municipalities",
    "Motivation",
    "Long-term work",
    "Collaboration",
    "Results",
    "Nominating organisation",
    "Nominating organisation's number",
    "Contact person",
    "E-mail",
    "Phone",
    "Submitted",
    "Screening reason",
    "Contains a personal identity number",
]


def url(name: str, *args) -> str:
    # English, so that the assertions do not depend on the state of the Swedish catalogue.
    with translation.override("en"):
        return reverse(f"nominations:{name}", args=args)


@pytest.fixture
def nomination(edition):
    """A nomination with Swedish letters, a formula, and a personal identity number."""
    areas = list(Area.objects.order_by("position"))
    return NominationFactory(
        submitted=True,
        edition=edition,
        reference_number="KFP-2099-0417",
        # Summer time: 10:00 UTC is 12:00 in Stockholm.
        submitted_at=datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
        nominee_name="Stödcentrum Ärlinge Östra",
        nominee_kind=Organisation.Kind.MUNICIPALITY,
        nominee_organisation_number="802000-0006",
        motivation='=HYPERLINK("https://example.org/x";"Klicka här")',
        long_term_work="Sedan 2015 – med långsiktighet.\nAndra raden.",
        collaboration="@SUM(A1:A2)",
        results="Kvinnan med personnummer 811218-9876 fick hjälp.",
        contains_personal_identity_number=True,
        nominator_organisation_name="Kvinnojouren Frida",
        nominator_organisation_number="802100-0004",
        contact_name="Åsa Öberg",
        contact_email="asa@example.org",
        contact_phone="+46 8 123 45 67",
        screening_reason="-",
        areas=[areas[0], areas[2]],
        municipalities=[
            Municipality.objects.get(code="0192"),
            Municipality.objects.get(code="0180"),
        ],
    )


@pytest.fixture
def secretariat_client(client):
    client.force_login(SecretariatFactory())
    return client


EXPECTED_ROW = [
    "KFP-2099-0417",
    "Submitted",
    "Stödcentrum Ärlinge Östra",
    "Municipality or municipal operation",
    "802000-0006",
    "violence in close relationships, prostitution and human trafficking for sexual purposes",
    "Nynäshamn, Stockholm",
    """'=HYPERLINK("https://example.org/x";"Klicka här")""",
    "Sedan 2015 – med långsiktighet.\nAndra raden.",
    "'@SUM(A1:A2)",
    "Kvinnan med personnummer XXXXXX-XXXX fick hjälp.",
    "Kvinnojouren Frida",
    "802100-0004",
    "Åsa Öberg",
    "asa@example.org",
    "'+46 8 123 45 67",
    "2026-07-01 12:00",
    "'-",
    "Yes",
]


def _csv_rows(response) -> list[list[str]]:
    content = response.getvalue()
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_export_has_a_header_and_one_row_per_nomination(
    secretariat_client, edition, nomination
):
    response = secretariat_client.get(url("screening_export", "csv"), {"edition": edition.year})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="nominations-{edition.year}.csv"'
    )
    rows = _csv_rows(response)
    assert rows[0] == HEADER
    assert rows[1:] == [EXPECTED_ROW]


def test_csv_export_uses_the_filters_of_the_list(secretariat_client, edition, nomination):
    eligible = NominationFactory(submitted=True, edition=edition, status=Nomination.Status.ELIGIBLE)
    NominationFactory(edition=edition)  # a draft: never exported
    NominationFactory(submitted=True, edition=EditionFactory())  # another year

    everything = _csv_rows(
        secretariat_client.get(url("screening_export", "csv"), {"edition": edition.year})
    )
    filtered = _csv_rows(
        secretariat_client.get(
            url("screening_export", "csv"), {"edition": edition.year, "status": "eligible"}
        )
    )
    searched = _csv_rows(
        secretariat_client.get(
            url("screening_export", "csv"), {"edition": edition.year, "q": "ärlinge"}
        )
    )

    assert sorted(row[0] for row in everything[1:]) == sorted(
        [nomination.reference_number, eligible.reference_number]
    )
    assert [row[0] for row in filtered[1:]] == [eligible.reference_number]
    assert [row[0] for row in searched[1:]] == [nomination.reference_number]


def test_export_in_an_unknown_format_is_not_found(secretariat_client, edition, nomination):
    response = secretariat_client.get(url("screening_export", "pdf"), {"edition": edition.year})

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+46 8 123", "'+46 8 123"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Ärlig = rak", "Ärlig = rak"),
        ("", ""),
        (None, None),
        (datetime(2026, 1, 1, 12, 0), datetime(2026, 1, 1, 12, 0)),  # noqa: DTZ001
    ],
)
def test_neutralise_defuses_formulas_and_leaves_the_rest(value, expected):
    assert exports.neutralise(value) == expected


def test_submitted_time_is_stockholm_time_in_winter_too(edition):
    nomination = NominationFactory(
        submitted=True, edition=edition, submitted_at=datetime(2026, 1, 15, 10, 0, tzinfo=UTC)
    )

    row = dict(zip(HEADER, exports.export_row(nomination), strict=True))

    assert row["Submitted"] == datetime(2026, 1, 15, 11, 0)  # noqa: DTZ001


# --- XLSX -----------------------------------------------------------------------------------------


def test_xlsx_export_has_the_same_columns_and_typed_cells(secretariat_client, edition, nomination):
    response = secretariat_client.get(url("screening_export", "xlsx"), {"edition": edition.year})

    assert response.status_code == 200
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert (
        response["Content-Disposition"] == f'attachment; filename="nominations-{edition.year}.xlsx"'
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    sheet = workbook.active
    assert sheet.title == f"Nominations {edition.year}"
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    expected = [*EXPECTED_ROW]
    expected[HEADER.index("Submitted")] = datetime(2026, 7, 1, 12, 0)  # noqa: DTZ001
    assert rows[1:] == [expected]
    motivation = sheet.cell(row=2, column=HEADER.index("Motivation") + 1)
    assert motivation.data_type == "s"  # text, not a formula
    submitted = sheet.cell(row=2, column=HEADER.index("Submitted") + 1)
    assert submitted.number_format == "yyyy-mm-dd hh:mm"
    assert sheet.freeze_panes == "A2"


def test_xlsx_export_drops_characters_excel_cannot_store(edition):
    nomination = NominationFactory(
        submitted=True, edition=edition, motivation="Före\x0bEfter", results="Ett\x01två"
    )

    content = exports.nominations_xlsx([nomination], title="Test")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.cell(row=2, column=HEADER.index("Motivation") + 1).value == "FöreEfter"
    assert sheet.cell(row=2, column=HEADER.index("Results") + 1).value == "Etttvå"


# --- PDF ------------------------------------------------------------------------------------------


def test_nomination_pdf_is_a_download_named_by_the_reference_number(secretariat_client, nomination):
    response = secretariat_client.get(url("nomination_pdf", nomination.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="KFP-2099-0417.pdf"'
    content = response.getvalue()
    assert content.startswith(b"%PDF-")
    # The pages are uncompressed; Helvetica's encoding writes å, ä, ö as octal escapes.
    assert b"(KFP-2099-0417) Tj" in content
    assert b"St\\366dcentrum \\304rlinge \\326stra" in content
    assert b"Kvinnojouren Frida" in content


def story_texts(story) -> list[str]:
    """The text of every paragraph, those in the two-column tables too, in reading order."""
    texts = []
    for flowable in story:
        if isinstance(flowable, Paragraph):
            texts.append(flowable.text)
        elif isinstance(flowable, Table):
            texts.extend(cell.text for row in flowable._cellvalues for cell in row)
    return texts


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def test_a_usual_nomination_fits_on_one_numbered_page(nomination):
    with translation.override("sv"):
        pages = pdf_pages(exports.nomination_pdf(nomination))

    assert len(pages) == 1
    assert pages[0].rstrip().endswith("Sida 1 av 1")
    assert "E-post\nasa@example.org" in pages[0]
    assert "Resultat\nKvinnan med personnummer 811218-9876 fick hjälp." in pages[0]


def test_a_long_nomination_numbers_every_page(edition):
    nomination = NominationFactory(
        submitted=True,
        edition=edition,
        motivation="\n".join(f"Stycke {n}: " + "långsiktigt arbete " * 40 for n in range(30)),
    )

    with translation.override("en"):
        pages = pdf_pages(exports.nomination_pdf(nomination))

    assert len(pages) > 2
    assert [page.rstrip().rsplit("\n", 1)[-1] for page in pages] == [
        f"Page {n} of {len(pages)}" for n in range(1, len(pages) + 1)
    ]
    assert "Stycke 29:" in pages[-1] or "Stycke 29:" in pages[-2]


def test_nomination_pdf_story_holds_every_field_and_the_decision(edition, nomination):
    AttachmentFactory(
        nomination=nomination,
        file="nominations/test/not-read",
        original_name="Verksamhetsberättelse 2025.pdf",
        size=2048,
    )
    nomination.status = Nomination.Status.NOT_ELIGIBLE
    nomination.screening_reason = "Utanför länet."
    nomination.screened_at = datetime(2026, 9, 1, 7, 30, tzinfo=UTC)
    nomination.screened_by = SecretariatFactory(first_name="Sara", last_name="Kansli")
    nomination.save()

    with translation.override("en"):
        texts = story_texts(exports.nomination_story(nomination))

    assert texts[:2] == ["KFP-2099-0417", "Stödcentrum Ärlinge Östra"]
    assert texts[2] == (
        "Contains what looks like a personal identity number in: Results. "
        "Check for confidentiality before disclosing this document."
    )
    for expected in [
        f"Kvinnofridspriset {edition.year}",
        "Not eligible",
        "2026-07-01 12:00",
        "Municipality or municipal operation",
        "802000-0006",
        "Nynäshamn, Stockholm",
        "violence in close relationships, prostitution and human trafficking for sexual purposes",
        '=HYPERLINK("https://example.org/x";"Klicka här")',  # the PDF runs no formulas
        "Sedan 2015 – med långsiktighet.<br/>Andra raden.",
        "Kvinnan med personnummer 811218-9876 fick hjälp.",  # the registry's copy is whole
        "Kvinnojouren Frida",
        "802100-0004",
        "Åsa Öberg",
        "asa@example.org",
        "+46 8 123 45 67",
        "Verksamhetsberättelse 2025.pdf",
        "Utanför länet.",
        "Sara Kansli",
        "2026-09-01 09:30",
    ]:
        assert expected in texts, expected


def test_nomination_pdf_escapes_reportlab_markup(edition):
    nomination = NominationFactory(
        submitted=True,
        edition=edition,
        nominee_name="Team <b>Ärla</b> & co",
        motivation="a < b > c <para>",
    )

    story = exports.nomination_story(nomination)
    content = exports.nomination_pdf(nomination)

    texts = [flowable.text for flowable in story if isinstance(flowable, Paragraph)]
    assert "Team &lt;b&gt;Ärla&lt;/b&gt; &amp; co" in texts
    assert "a &lt; b &gt; c &lt;para&gt;" in texts
    assert content.startswith(b"%PDF-")
    # Drawn as the characters typed, not as bold text.
    assert b"(Team <) Tj (b) Tj (>) Tj (\\304rla) Tj (<) Tj (/b) Tj (> & co) Tj" in content
