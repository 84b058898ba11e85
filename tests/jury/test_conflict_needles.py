"""A juror with a conflict of interest, the chair included, learns nothing about the nominee
they are conflicted on from any figure page or export: not its name, not a gap in the ranks.

The needle: the hidden nominee's name, and the ranks, on every page and file they can reach.
"""

import csv
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from openpyxl import load_workbook

from jury import reports
from jury.models import ConflictDeclaration, Decision, ResultsExport, Score, ShortlistEntry
from jury.services import results_exports, vote
from tests.factories import (
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    SecretariatFactory,
    UserFactory,
    eligible_nominees,
)
from tests.helpers import jury_url as url

pytestmark = pytest.mark.django_db

HIDDEN = "Nålsögat Hemlig"
# Everyone gives the same marks: the ranks are the order of the names below.
NAMES = ["Alfateamet", HIDDEN, "Gammagruppen", "Deltajouren"]
MARKS = [5, 4, 3, 2]


class Jury:
    def __init__(self):
        now = timezone.now()
        self.edition = EditionFactory(scoring=True)
        self.criteria = [
            CriterionFactory(edition=self.edition, name="Långsiktighet", position=0),
            CriterionFactory(edition=self.edition, name="Samverkan", position=1),
        ]
        self.nominees = eligible_nominees(self.edition, *NAMES)
        self.hidden = self.nominees[1]
        self.chair = ChairFactory(
            edition=self.edition,
            user=UserFactory(first_name="Cecilia", last_name="Ordförande"),
            scores_submitted_at=now,
        )
        self.member = JurorFactory(
            edition=self.edition,
            user=UserFactory(first_name="Maja", last_name="Medlem"),
            scores_submitted_at=now,
        )
        self.others = [
            JurorFactory(edition=self.edition, scores_submitted_at=now) for _ in range(3)
        ]
        for juror in [self.chair, self.member, *self.others]:
            for nominee, mark in zip(self.nominees, MARKS, strict=True):
                Score.objects.bulk_create(
                    Score(
                        juror=juror,
                        nominee=nominee,
                        criterion=c,
                        value=mark,
                        comment=f"Kommentar om {nominee.name}",
                    )
                    for c in self.criteria
                )

    def conflict(self, juror):
        ConflictDeclaration.objects.create(
            juror=juror,
            nominee=self.hidden,
            conflicted=True,
            reason="Jäv.",
            ruling=ConflictDeclaration.Ruling.UPHELD,
        )

    def shortlist(self, *nominees):
        for nominee in nominees:
            ShortlistEntry.objects.create(edition=self.edition, nominee=nominee)

    def decide(self, winner, *, by):
        return vote.record_decision(
            edition=self.edition, winner=winner, honourable_mentions=[], minutes="Beslut.", by=by
        )


@pytest.fixture
def jury():
    return Jury()


def results_ranks(html: str) -> tuple[list[int], list[int]]:
    raw = [int(r) for r in re.findall(r'<td class="raw-rank">(\d+)', html)]
    normalised = [int(r) for r in re.findall(r'<td class="normalised-rank">(\d+)', html)]
    return raw, normalised


def pdf_text(content: bytes) -> str:
    """The text reportlab writes into an uncompressed page (Windows-1252, octal escapes)."""
    literals = re.findall(rb"\((.*?)\) Tj", content)
    out = []
    for literal in literals:
        decoded = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), literal)
        out.append(decoded.replace(b"\\(", b"(").replace(b"\\)", b")").decode("cp1252"))
    return " ".join(out)


def assert_no_needle(where: str, content: str):
    assert HIDDEN not in content, where
    assert "Nålsögat" not in content, where


def test_a_conflicted_member_sees_contiguous_ranks_and_no_trace(client, jury):
    jury.conflict(jury.member)
    client.force_login(jury.member.user)

    html = client.get(url("results", jury.edition.year)).content.decode()

    assert_no_needle("results", html)
    assert results_ranks(html) == ([1, 2, 3], [1, 2, 3])
    # The chart: one strip per shown nominee, no more.
    assert html.count('<g class="candidate"') == 3
    # The per-criterion table: three nominees, each criterion scored by every juror who may.
    assert html.count('class="criterion-mean"') == 3 * 2


def test_a_conflicted_member_s_figures_are_as_if_the_nominee_did_not_exist(client, jury):
    """Not only the ranks: the normalised means rest on the shown nominees only, so no
    juror's average reveals what the hidden nominee got."""
    jury.conflict(jury.member)
    hidden = frozenset({jury.hidden.pk})

    masked = reports.load_results(jury.edition, hidden=hidden)

    assert [c.nominee.name for c in masked.candidates] == [
        "Alfateamet",
        "Gammagruppen",
        "Deltajouren",
    ]
    assert masked.unscored == ()
    assert all(summary.nomination_count == 3 for summary in masked.computed.jurors)


@pytest.mark.parametrize("shortlisted", [False, True])
def test_a_conflicted_chair_sees_no_trace_anywhere(client, jury, shortlisted, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # where the workbook is kept
    alfa, hidden, gamma, _delta = jury.nominees
    jury.conflict(jury.chair)
    jury.shortlist(alfa, gamma, *([hidden] if shortlisted else []))
    client.force_login(jury.chair.user)
    year = jury.edition.year

    html = client.get(url("results", year)).content.decode()
    assert_no_needle("results", html)
    assert results_ranks(html) == ([1, 2, 3], [1, 2, 3])
    assert html.count('<g class="candidate"') == 3

    content = client.get(url("export_results", year, "csv")).getvalue().decode("utf-8-sig")
    assert_no_needle("csv", content)
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    results = rows[2 : rows.index([])]
    assert [(row[0], row[2], row[5]) for row in results] == [
        ("Alfateamet", "1", "1"),
        ("Gammagruppen", "2", "2"),
        ("Deltajouren", "3", "3"),
    ]

    export = ResultsExport.objects.create(
        edition=jury.edition, requested_by=jury.chair.user, language="en"
    )
    results_exports.build_export(export_id=export.pk)
    download = client.get(url("download_results_export", year, export.pk))
    workbook = load_workbook(io.BytesIO(download.getvalue()))
    cells = " ".join(
        str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
    )
    assert_no_needle("xlsx", cells)

    pdf = client.get(url("protocol", year))
    assert pdf.status_code == 200
    pdf_content = pdf.getvalue()
    assert_no_needle("protocol", pdf_text(pdf_content))

    for path in [url(name, year) for name in ("shortlist", "vote", "decision")] + [url("home")]:
        response = client.get(path)
        assert response.status_code in (200, 403), path
        assert_no_needle(path, response.content.decode())
    assert pdf_text(pdf_content)  # the helper reads the PDF at all


def test_the_secretariat_sees_everything(client, jury):
    jury.conflict(jury.chair)
    client.force_login(SecretariatFactory())

    html = client.get(url("results", jury.edition.year)).content.decode()

    assert HIDDEN in html
    assert results_ranks(html) == ([1, 2, 3, 4], [1, 2, 3, 4])


def test_a_conflicted_chair_neither_adds_nor_removes_the_nominee_on_the_shortlist(jury):
    alfa, hidden, gamma, delta = jury.nominees
    jury.conflict(jury.chair)

    with pytest.raises(ValidationError):
        vote.set_shortlist(edition=jury.edition, nominees=[alfa, hidden], by=jury.chair.user)
    jury.shortlist(hidden)
    # The chair's form does not show it: what they send leaves it as it is.
    vote.set_shortlist(edition=jury.edition, nominees=[alfa, gamma], by=jury.chair.user)

    shortlisted = set(
        ShortlistEntry.objects.filter(edition=jury.edition).values_list("nominee", flat=True)
    )
    assert shortlisted == {alfa.pk, hidden.pk, gamma.pk}
    # The secretariat may change it.
    vote.set_shortlist(edition=jury.edition, nominees=[alfa, delta], by=SecretariatFactory())
    shortlisted = set(
        ShortlistEntry.objects.filter(edition=jury.edition).values_list("nominee", flat=True)
    )
    assert shortlisted == {alfa.pk, delta.pk}


def test_a_chair_conflicted_on_a_shortlisted_nominee_cannot_decide(client, jury):
    alfa, hidden, _gamma, _delta = jury.nominees
    jury.conflict(jury.chair)
    jury.shortlist(alfa, hidden)
    client.force_login(jury.chair.user)

    response = client.post(
        url("decision", jury.edition.year), {"winner": alfa.pk, "minutes": "Beslut."}
    )

    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        jury.decide(hidden, by=jury.chair.user)
    assert Decision.objects.count() == 0


def test_the_secretariat_records_it_instead_and_the_protocol_says_so(client, jury):
    alfa, hidden, _gamma, _delta = jury.nominees
    jury.conflict(jury.chair)
    jury.shortlist(alfa, hidden)
    secretariat = SecretariatFactory(first_name="Sara", last_name="Kansli")
    client.force_login(secretariat)

    response = client.post(
        url("decision", jury.edition.year), {"winner": hidden.pk, "minutes": "Juryn enades."}
    )

    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.winner, decision.decided_by, decision.recorded_as) == (
        hidden,
        secretariat,
        Decision.RecordedAs.SECRETARIAT,
    )
    with translation.override("en"):
        texts = [
            getattr(flowable, "text", "")
            for flowable in reports.protocol_story(reports.load_protocol(jury.edition))
        ]
    assert (
        "Recorded by the secretariat: the chair has a conflict of interest on a shortlisted "
        "nominee." in texts
    )


def test_the_secretariat_does_not_decide_for_an_unconflicted_chair(jury):
    alfa, hidden, _gamma, _delta = jury.nominees
    jury.shortlist(alfa, hidden)

    with pytest.raises(PermissionDenied):
        jury.decide(alfa, by=SecretariatFactory())
