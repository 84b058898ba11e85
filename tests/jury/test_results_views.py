"""The results page, its exports and the protocol: who may see what, and the figures shown.

Who is refused how (see jury/views/results.py): anonymous visitors are sent to sign in;
anyone with no part in the edition's jury (not one of its jurors, not the secretariat) gets a
404, as for a jury that does not exist; a juror of the edition without the right gets a 403.

The hand-made fixture: three jurors, two criteria (weight 2 and 1, scale 1–5), three nominees.
A juror's weighted mean is (2 × first + second) / 3:

    juror    Alfa          Beta          Gamma
    chair    (5, 2) → 4    (3, 3) → 3    (5, 5) → 5
    maja     (4, 4) → 4    (2, 5) → 3    (1, 1) → 1
    nils     (5, 5) → 5    (2, 2) → 2    (2, 5) → 3

Mean scores: Alfa 13/3 = 4.33, Gamma 9/3 = 3.00, Beta 8/3 = 2.67; ranks 1, 2, 3.
Spread (population sd of the jurors' means): Alfa and Beta √(2/9) = 0.47; Gamma √(8/3) = 1.63,
above the discussion threshold of 25% of the scale (1.00): Gamma is to be discussed.
Lowest–highest: Alfa 4–5, Beta 2–3, Gamma 1–5.
Per criterion: Alfa 14/3 = 4.67 and 11/3 = 3.67; Beta 7/3 = 2.33 and 10/3 = 3.33; Gamma 8/3 =
2.67 and 11/3 = 3.67.
Normalisation, per juror (average, sd over their three means):
    chair (4, 3, 5): 4, √(2/3);     z Alfa 0, Beta −1.2247, Gamma +1.2247
    maja  (4, 3, 1): 8/3, √14 / 3;  z Alfa +1.0690, Beta +0.2673, Gamma −1.3363
    nils  (5, 2, 3): 10/3, √14 / 3; z Alfa +1.3363, Beta −1.0690, Gamma −0.2673
Normalised scores: Alfa 2.4053 / 3 = 0.80, Gamma −0.3789 / 3 = −0.13, Beta −2.0264 / 3 = −0.68.
"""

import csv
import io
import math
import random
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from django.db import connection
from django.template.defaultfilters import floatformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.platypus import Paragraph

from jury import reports
from jury.models import (
    Ballot,
    ConflictDeclaration,
    Decision,
    ResultsExport,
    Score,
    ShortlistEntry,
)
from jury.services import results_exports
from jury.templatetags.figures import figure
from nominations.models import Area, Nomination
from tests.factories import (
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    NominationFactory,
    UserFactory,
)
from tests.helpers import assert_sent_to_sign_in
from tests.helpers import jury_url as url

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "Min egen anteckning om Beta"

MARKS = {
    "chair": {"Alfa": (5, 2), "Beta": (3, 3), "Gamma": (5, 5)},
    "maja": {"Alfa": (4, 4), "Beta": (2, 5), "Gamma": (1, 1)},
    "nils": {"Alfa": (5, 5), "Beta": (2, 2), "Gamma": (2, 5)},
}
NOMINEE_NAMES = {"Alfa": "Stödcentrum Alfa", "Beta": "Team Beta", "Gamma": "Jouren Gamma"}
JUROR_NAMES = {
    "chair": ("Cecilia", "Ordförande"),
    "maja": ("Maja", "Medlem"),
    "nils": ("Nils", "Nilsson"),
}


def candidate(edition, name: str):
    return NominationFactory(
        submitted=True, edition=edition, status=Nomination.Status.ELIGIBLE, nominee_name=name
    ).nominee


def give_marks(juror, nominee, criteria, values, comment=""):
    Score.objects.bulk_create(
        Score(juror=juror, nominee=nominee, criterion=criterion, value=value, comment=comment)
        for criterion, value in zip(criteria, values, strict=True)
    )


class Jury:
    """The hand-made fixture: the edition, its criteria, nominees and jurors by key."""

    def __init__(self):
        now = timezone.now()
        self.edition = EditionFactory(
            nominations_open_at=now - timedelta(days=60),
            nominations_close_at=now - timedelta(days=30),
        )
        self.criteria = [
            CriterionFactory(edition=self.edition, name="Långsiktighet", weight=2, position=0),
            CriterionFactory(edition=self.edition, name="Samverkan", weight=1, position=1),
        ]
        self.nominees = {key: candidate(self.edition, name) for key, name in NOMINEE_NAMES.items()}
        self.jurors = {}
        for key, (first, last) in JUROR_NAMES.items():
            factory = ChairFactory if key == "chair" else JurorFactory
            self.jurors[key] = factory(
                edition=self.edition,
                user=UserFactory(first_name=first, last_name=last),
                scores_submitted_at=now,
            )
        for juror_key, marks in MARKS.items():
            for nominee_key, values in marks.items():
                give_marks(
                    self.jurors[juror_key],
                    self.nominees[nominee_key],
                    self.criteria,
                    values,
                    comment=SECRET_COMMENT if (juror_key, nominee_key) == ("maja", "Beta") else "",
                )

    @property
    def year(self) -> int:
        return self.edition.year


@pytest.fixture
def jury():
    return Jury()


@pytest.fixture
def chair(jury):
    return jury.jurors["chair"].user


@pytest.fixture
def member(jury):
    """Maja, who has submitted."""
    return jury.jurors["maja"].user


@pytest.fixture
def late_member(jury):
    """A juror of the edition who has not submitted (and has not scored)."""
    return JurorFactory(
        edition=jury.edition, user=UserFactory(first_name="Lena", last_name="Sen")
    ).user


def view_urls(year: int) -> dict[str, str]:
    return {
        "results": url("results", year),
        "csv": url("export_results", year, "csv"),
        "exports": url("results_exports", year),
        "pdf": url("protocol", year),
    }


VIEWS = ["results", "csv", "exports", "pdf"]
LEAD_VIEWS = ["csv", "exports", "pdf"]


def rows_by_name(html: str) -> dict[str, dict[str, str]]:
    """The results table as {nominee name: {cell class: text}}."""
    rows = {}
    for row in re.findall(r'<tr class="candidate" data-nominee="\d+">(.*?)</tr>', html, re.S):
        name = re.search(r'<th scope="row" class="nominee-name">(.*?)</th>', row, re.S).group(1)
        cells = {
            cls: " ".join(re.sub(r"<[^>]+>", " ", text).split())
            for cls, text in re.findall(r'<td class="([\w-]+)">(.*?)</td>', row, re.S)
        }
        rows[name] = cells
    return rows


def svg_of(html: str) -> str:
    match = re.search(r"<svg .*?</svg>", html, re.S)
    assert match, "no chart on the page"
    return match.group(0)


def boxes_by_nominee(svg: str) -> dict[int, str]:
    """The chart's boxes as {nominee pk: the box's title, which says its figures}."""
    groups = re.findall(r'<g class="candidate" data-nominee="(\d+)">(.*?)</g>', svg, re.S)
    boxes = {}
    for pk, body in groups:
        assert body.count('class="score-box"') == 1
        boxes[int(pk)] = re.search(r"<title>(.*?)</title>", body).group(1)
    return boxes


# --- Who may see what ------------------------------------------------------------------------


@pytest.mark.parametrize("view", VIEWS)
def test_results_views_send_anonymous_visitors_to_sign_in(client, jury, view):
    path = view_urls(jury.year)[view]

    response = client.get(path)

    assert_sent_to_sign_in(response, path)


@pytest.mark.parametrize("view", VIEWS)
def test_results_views_are_not_found_for_someone_outside_the_jury(client, jury, view):
    # Signed in, but neither a juror of this edition nor the secretariat.
    client.force_login(UserFactory())
    assert client.get(view_urls(jury.year)[view]).status_code == 404


@pytest.mark.parametrize("view", VIEWS)
def test_results_views_are_not_found_for_a_juror_of_another_edition(client, jury, view):
    other = JurorFactory(scores_submitted_at=timezone.now())
    client.force_login(other.user)
    assert client.get(view_urls(jury.year)[view]).status_code == 404


@pytest.mark.parametrize("view", VIEWS)
def test_results_views_are_not_found_for_an_edition_that_does_not_exist(client, chair, view):
    client.force_login(chair)
    assert client.get(view_urls(1999)[view]).status_code == 404


def results_page_as(client, person, year: int):
    """The results page of the edition of `year`, as `person` signed in sees it."""
    client.force_login(person)
    return client.get(url("results", year))


def test_results_page_asks_a_member_who_has_not_submitted_to_submit_first(
    client, jury, late_member
):
    response = results_page_as(client, late_member, jury.year)

    assert response.status_code == 403
    html = response.content.decode()
    assert "Submit your scores first" in html
    assert "once you have submitted your own scores" in html
    assert url("scoring", jury.year) in html
    # Not a single figure.
    assert NOMINEE_NAMES["Alfa"] not in html
    assert "4.33" not in html


@pytest.mark.parametrize("view", LEAD_VIEWS)
@pytest.mark.parametrize("who", ["member", "late_member"])
def test_exports_and_protocol_are_refused_to_members(client, jury, request, who, view):
    client.force_login(request.getfixturevalue(who))

    response = client.get(view_urls(jury.year)[view])

    assert response.status_code == 403
    assert NOMINEE_NAMES["Alfa"].encode() not in response.content


def test_results_page_for_a_member_who_has_submitted_shows_no_juror_and_no_comment(
    client, jury, member
):
    response = results_page_as(client, member, jury.year)

    assert response.status_code == 200
    html = response.content.decode()
    rows = rows_by_name(html)
    assert list(rows) == ["Stödcentrum Alfa", "Jouren Gamma", "Team Beta"]
    assert rows["Stödcentrum Alfa"]["raw-mean"] == "4.33"
    assert rows["Stödcentrum Alfa"]["normalised-mean"] == "0.80"
    assert rows["Jouren Gamma"]["spread"] == "1.63"
    # No one's name, no one's comment, no dot per juror, no juror table, no exports.
    for first, last in JUROR_NAMES.values():
        assert f"{first} {last}" not in html
    assert SECRET_COMMENT not in html
    assert set(boxes_by_nominee(svg_of(html))) == {n.pk for n in jury.nominees.values()}
    assert "<circle" not in html
    assert "juror-results" not in html
    assert "How each juror used the scale" not in html
    assert url("export_results", jury.year, "csv") not in html
    assert url("protocol", jury.year) not in html


@pytest.mark.parametrize("who", ["chair", "secretariat"])
def test_results_page_for_the_chair_and_the_secretariat_shows_the_figures(
    client, jury, request, who
):
    response = results_page_as(client, request.getfixturevalue(who), jury.year)

    assert response.status_code == 200
    html = response.content.decode()
    rows = rows_by_name(html)
    # In rank order, the figures computed by hand in the module's docstring.
    assert list(rows) == ["Stödcentrum Alfa", "Jouren Gamma", "Team Beta"]
    assert rows == {
        "Stödcentrum Alfa": {
            "raw-mean": "4.33",
            "raw-rank": "1",
            "normalised-mean": "0.80",
            "normalised-rank": "1",
            "juror-count": "3",
            "spread": "0.47",
            "range": "4.00–5.00",
            "quartiles": "4.00 (4.00–4.50)",
            "notes": "",
        },
        "Jouren Gamma": {
            "raw-mean": "3.00",
            "raw-rank": "2",
            "normalised-mean": "-0.13",
            "normalised-rank": "2",
            "juror-count": "3",
            "spread": "1.63",
            "range": "1.00–5.00",
            "quartiles": "3.00 (2.00–4.00)",
            "notes": "Discuss",
        },
        "Team Beta": {
            "raw-mean": "2.67",
            "raw-rank": "3",
            "normalised-mean": "-0.68",
            "normalised-rank": "3",
            "juror-count": "3",
            "spread": "0.47",
            "range": "2.00–3.00",
            "quartiles": "3.00 (2.50–3.00)",
            "notes": "",
        },
    }
    criteria_row = (
        r'<tr class="candidate-criteria" data-nominee="\d+">\s*<th scope="row">(.*?)</th>'
    )
    criteria = dict(re.findall(criteria_row + r"(.*?)</tr>", html, re.S))
    assert re.findall(r'class="criterion-mean"[^>]*>(.*?)</td>', criteria["Team Beta"]) == [
        "2.33 (3)",
        "3.33 (3)",
    ]
    # The chair and the secretariat see who the jurors are and how they used the scale.
    assert "How each juror used the scale" in html
    for first, last in JUROR_NAMES.values():
        assert f"{first} {last}" in html
    assert url("export_results", jury.year, "csv") in html
    # The workbook is asked for with a button; it is downloaded from the exports page.
    assert f'action="{url("request_results_export", jury.year)}"' in html
    assert url("results_exports", jury.year) in html
    assert url("protocol", jury.year) in html
    # Comments stay in the export, never on the page.
    assert SECRET_COMMENT not in html


def test_results_page_explains_how_normalisation_treats_gaps(client, jury, member):
    client.force_login(member)

    html = client.get(url("results", jury.year)).content.decode()

    assert "How the normalised score works" in html
    assert "Gaps: when a juror has not scored a nominee – because of a conflict of interest" in html
    assert "nothing is filled in" in html


def test_results_page_is_in_swedish_by_default(client, jury, member):
    client.force_login(member)
    with translation.override("sv"):
        path = reverse("jury:results", args=[jury.year])

    html = client.get(path).content.decode()

    assert path == f"/jury/{jury.year}/results/"
    # Swedish numbers: a decimal comma.
    assert rows_by_name(html)["Stödcentrum Alfa"]["raw-mean"] == "4,33"


# --- The figures ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ruling", "left_out"),
    [
        (ConflictDeclaration.Ruling.PENDING, True),
        (ConflictDeclaration.Ruling.UPHELD, True),
        (ConflictDeclaration.Ruling.DISMISSED, False),
    ],
)
def test_scores_despite_a_conflict_of_interest_are_left_out(client, jury, chair, ruling, left_out):
    """Maja declares a conflict on Alfa, but her marks for it are there (they should not be).

    Left out: Alfa (4 + 5) / 2 = 4.50 from two jurors, and few jurors. Maja's own means become
    Beta 3, Gamma 1 (average 2, sd 1), so her z-scores are +1 and −1; Alfa's normalised score
    is (0 + 1.3363) / 2 = 0.67. Dismissed: nothing changes.
    """
    ConflictDeclaration.objects.create(
        juror=jury.jurors["maja"],
        nominee=jury.nominees["Alfa"],
        conflicted=True,
        reason="Jag sitter i styrelsen.",
        ruling=ruling,
    )
    client.force_login(chair)

    html = client.get(url("results", jury.year)).content.decode()

    alfa = rows_by_name(html)["Stödcentrum Alfa"]
    if left_out:
        assert (alfa["raw-mean"], alfa["juror-count"], alfa["normalised-mean"]) == (
            "4.50",
            "2",
            "0.67",
        )
        assert "Few jurors" in alfa["notes"]
        assert "2 scores were left out because their jurors have a conflict of interest" in html
        assert boxes_by_nominee(svg_of(html))[jury.nominees["Alfa"].pk] == (
            "Stödcentrum Alfa: lowest 4.00, lower quartile 4.25, median 4.50, upper quartile "
            "4.75, highest 5.00; mean score 4.50"
        )
    else:
        assert (alfa["raw-mean"], alfa["juror-count"]) == ("4.33", "3")
        assert "left out" not in html


def test_small_jury_warning_names_thin_jurors_to_the_chair_only(client, jury, chair, member):
    # Maja is conflicted on Alfa and Beta: her normalisation rests on Gamma alone.
    for key in ("Alfa", "Beta"):
        ConflictDeclaration.objects.create(
            juror=jury.jurors["maja"],
            nominee=jury.nominees[key],
            conflicted=True,
            ruling=ConflictDeclaration.Ruling.UPHELD,
        )
    client.force_login(chair)
    chair_html = client.get(url("results", jury.year)).content.decode()
    client.force_login(member)
    member_html = client.get(url("results", jury.year)).content.decode()

    for html in (chair_html, member_html):
        assert "A small jury" in html
        assert "Only 3 jurors have scored." in html
    assert "The normalisation of these jurors rests on fewer than 3 nominees:" in chair_html
    assert "<li>Maja Medlem (1)</li>" in chair_html
    assert "The normalisation of these jurors" not in member_html
    assert "Maja Medlem" not in member_html


def test_no_small_jury_warning_with_five_jurors(client, jury, chair):
    for _ in range(2):
        juror = JurorFactory(edition=jury.edition, scores_submitted_at=timezone.now())
        for nominee in jury.nominees.values():
            give_marks(juror, nominee, jury.criteria, (3, 3))
    client.force_login(chair)

    html = client.get(url("results", jury.year)).content.decode()

    assert "A small jury" not in html
    assert rows_by_name(html)["Stödcentrum Alfa"]["juror-count"] == "5"


def test_ties_share_a_rank_and_are_flagged(client, jury, chair):
    # Everyone gives Beta 3 on both criteria: its mean (3 + 3 + 3) / 3 = 3 ties Gamma's
    # (5 + 1 + 3) / 3 = 3. The normalised scores differ (Beta −0.56, Gamma −0.27).
    Score.objects.filter(juror__in=jury.jurors.values(), nominee=jury.nominees["Beta"]).update(
        value=3
    )
    client.force_login(chair)

    rows = rows_by_name(client.get(url("results", jury.year)).content.decode())

    assert rows["Team Beta"]["raw-mean"] == rows["Jouren Gamma"]["raw-mean"] == "3.00"
    assert rows["Team Beta"]["raw-rank"] == "2 shared place"
    assert rows["Jouren Gamma"]["raw-rank"] == "2 shared place"
    assert rows["Stödcentrum Alfa"]["raw-rank"] == "1"
    assert "shared" not in rows["Team Beta"]["normalised-rank"]


def test_results_page_without_scores(client, chair, jury):
    client.force_login(chair)
    Score.objects.all().delete()

    html = client.get(url("results", jury.year)).content.decode()

    assert "No scores yet." in html
    assert "<svg" not in html


def test_results_page_explains_scores_that_do_not_fit_the_criteria(client, chair, jury):
    # The secretariat narrowed a scale after scoring: 5 is now off it.
    jury.criteria[0].scale_max = 4
    jury.criteria[0].save()
    client.force_login(chair)

    response = client.get(url("results", jury.year))

    assert response.status_code == 200
    assert "The scores cannot be summarised" in response.content.decode()


# --- The chart -------------------------------------------------------------------------------


def test_chart_has_one_box_per_nominee_with_its_figures(client, jury, chair):
    """Alfa's jurors' means 4, 4, 5: quartiles at positions 0.5, 1 and 1.5 of the sorted
    means, 4, 4 and 4.5; Gamma's 1, 3, 5: 2, 3, 4; Beta's 2, 3, 3: 2.5, 3, 3."""
    client.force_login(chair)

    html = client.get(url("results", jury.year)).content.decode()

    svg = svg_of(html)
    assert 'role="img"' in svg
    assert 'aria-labelledby="score-chart-title score-chart-desc"' in svg
    assert '<title id="score-chart-title">' in svg
    nominees = jury.nominees
    assert boxes_by_nominee(svg) == {
        nominees["Alfa"].pk: "Stödcentrum Alfa: lowest 4.00, lower quartile 4.00, median 4.00, "
        "upper quartile 4.50, highest 5.00; mean score 4.33",
        nominees["Gamma"].pk: "Jouren Gamma: lowest 1.00, lower quartile 2.00, median 3.00, "
        "upper quartile 4.00, highest 5.00; mean score 3.00",
        # 8/3 rounded, not cut off.
        nominees["Beta"].pk: "Team Beta: lowest 2.00, lower quartile 2.50, median 3.00, "
        "upper quartile 3.00, highest 3.00; mean score 2.67",
    }
    # In the page's order, and no dot per juror: the chart shows no one's mark.
    order = [int(pk) for pk in re.findall(r'<g class="candidate" data-nominee="(\d+)">', svg)]
    assert order == [nominees[name].pk for name in ("Alfa", "Gamma", "Beta")]
    assert "<circle" not in svg
    assert svg.count('class="raw-mean"') == 3
    # The Content-Security-Policy forbids inline styles, in the page and in the SVG alike.
    assert "style=" not in html
    assert "<script>" not in html


def test_chart_escapes_names(client, jury, chair):
    jury.nominees["Beta"].name = 'Team <b>"Beta"</b> & co'
    jury.nominees["Beta"].save()
    client.force_login(chair)

    svg = svg_of(client.get(url("results", jury.year)).content.decode())

    assert "Team &lt;b&gt;&quot;Beta&quot;&lt;/b&gt; &amp; co" in svg
    assert "<b>" not in svg


def test_tables_escape_names(client, jury, chair):
    jury.nominees["Beta"].name = 'Team <b>"Beta"</b> & co'
    jury.nominees["Beta"].save()
    client.force_login(chair)

    html = client.get(url("results", jury.year)).content.decode()

    escaped = "Team &lt;b&gt;&quot;Beta&quot;&lt;/b&gt; &amp; co"
    assert f'<th scope="row" class="nominee-name">{escaped}</th>' in html
    beta = jury.nominees["Beta"].pk
    assert (
        f'data-nominee="{beta}"><th scope="row">{escaped}</th><td class="criterion-mean">' in html
    )
    assert "<b>" not in html


# --- Exports ---------------------------------------------------------------------------------


def streamed(response) -> bytes:
    """The body of an export, which streams: it is never held whole in a response."""
    assert response.streaming
    return b"".join(response.streaming_content)


def csv_sections(content: bytes) -> dict[str, list[list[str]]]:
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    sections, current = {}, None
    for row in rows:
        if not row:
            current = None
        elif current is None:
            current = sections.setdefault(row[0], [])
        else:
            current.append(row)
    return sections


def number(cell: str) -> float:
    return float(cell.replace(",", "."))


@pytest.mark.parametrize("who", ["chair", "secretariat"])
def test_csv_export_holds_the_figures_the_criteria_and_the_scores(client, jury, request, who):
    Score.objects.filter(juror=jury.jurors["nils"], nominee=jury.nominees["Gamma"]).update(
        comment='=HYPERLINK("https://example.org";"klicka")'
    )
    client.force_login(request.getfixturevalue(who))

    response = client.get(url("export_results", jury.year, "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="resultat-{jury.year}.csv"'
    sections = csv_sections(streamed(response))
    assert list(sections) == ["Results", "Per criterion", "Scores"]

    header, *rows = sections["Results"]
    assert header[:4] == ["Nominee", "Mean score", "Rank (mean score)", "Shared rank (mean score)"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert [row[0] for row in rows] == ["Stödcentrum Alfa", "Jouren Gamma", "Team Beta"]
    assert number(by_name["Stödcentrum Alfa"]["Mean score"]) == pytest.approx(13 / 3, abs=1e-4)
    assert number(by_name["Stödcentrum Alfa"]["Normalised score"]) == pytest.approx(
        0.8018, abs=1e-4
    )
    assert number(by_name["Team Beta"]["Normalised score"]) == pytest.approx(-0.6755, abs=1e-4)
    assert number(by_name["Jouren Gamma"]["Spread (standard deviation)"]) == pytest.approx(
        math.sqrt(8 / 3), abs=1e-4
    )
    assert by_name["Jouren Gamma"]["Discuss"] == "Yes"
    assert by_name["Team Beta"]["Discuss"] == "No"
    assert (by_name["Jouren Gamma"]["Lowest"], by_name["Jouren Gamma"]["Highest"]) == (
        "1,0000",
        "5,0000",
    )

    header, *rows = sections["Per criterion"]
    assert header == ["Nominee", "Criterion", "Weight", "Mean score", "Jurors"]
    assert rows[:2] == [
        ["Stödcentrum Alfa", "Långsiktighet", "2", "4,6667", "3"],
        ["Stödcentrum Alfa", "Samverkan", "1", "3,6667", "3"],
    ]

    header, *rows = sections["Scores"]
    assert header == [
        "Juror",
        "Nominee",
        "Criterion",
        "Score",
        "Comment",
        "Left out (conflict of interest)",
    ]
    assert len(rows) == 18  # 3 jurors × 3 nominees × 2 criteria
    assert ["Maja Medlem", "Team Beta", "Samverkan", "5", SECRET_COMMENT, "No"] in rows
    # A comment that Excel would run as a formula is defused.
    assert [
        "Nils Nilsson",
        "Jouren Gamma",
        "Långsiktighet",
        "2",
        '\'=HYPERLINK("https://example.org";"klicka")',
        "No",
    ] in rows


def test_csv_export_marks_scores_left_out_for_a_conflict(client, jury, chair):
    ConflictDeclaration.objects.create(
        juror=jury.jurors["maja"],
        nominee=jury.nominees["Alfa"],
        conflicted=True,
        ruling=ConflictDeclaration.Ruling.UPHELD,
    )
    client.force_login(chair)

    sections = csv_sections(streamed(client.get(url("export_results", jury.year, "csv"))))

    alfa = next(row for row in sections["Results"][1:] if row[0] == "Stödcentrum Alfa")
    assert number(alfa[1]) == 4.5
    left_out = [row[:3] for row in sections["Scores"][1:] if row[5] == "Yes"]
    assert left_out == [
        ["Maja Medlem", "Stödcentrum Alfa", "Långsiktighet"],
        ["Maja Medlem", "Stödcentrum Alfa", "Samverkan"],
    ]


def test_xlsx_export_has_three_sheets_with_numbers_as_numbers(
    client, jury, chair, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    Score.objects.filter(juror=jury.jurors["maja"], nominee=jury.nominees["Beta"]).update(
        comment="@SUM(A1:A2)"
    )
    export = ResultsExport.objects.create(edition=jury.edition, requested_by=chair, language="en")
    results_exports.build_export(export_id=export.pk)
    client.force_login(chair)

    response = client.get(url("download_results_export", jury.year, export.pk))

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(streamed(response)))
    assert workbook.sheetnames == ["Results", "Per criterion", "Scores"]

    header, *rows = list(workbook["Results"].values)
    assert header[:3] == ("Nominee", "Mean score", "Rank (mean score)")
    assert [row[0] for row in rows] == ["Stödcentrum Alfa", "Jouren Gamma", "Team Beta"]
    assert [row[1] for row in rows] == pytest.approx([13 / 3, 3.0, 8 / 3], abs=1e-9)
    assert [row[2] for row in rows] == [1, 2, 3]
    assert [row[4] for row in rows] == pytest.approx([0.8018, -0.1263, -0.6755], abs=1e-4)

    criteria = list(workbook["Per criterion"].values)
    assert criteria[-1] == ("Team Beta", "Samverkan", 1, pytest.approx(10 / 3), 3)

    scores = list(workbook["Scores"].values)[1:]
    assert len(scores) == 18
    assert ("Maja Medlem", "Team Beta", "Samverkan", 5, "'@SUM(A1:A2)", "No") in scores


@pytest.mark.parametrize("file_format", ["ods", "xlsx"])
def test_unknown_export_format_is_not_found(client, jury, chair, file_format):
    # The XLSX is a worker's: a GET of it neither builds it nor asks for it.
    client.force_login(chair)
    assert client.get(url("export_results", jury.year, file_format)).status_code == 404
    assert not ResultsExport.objects.exists()


# --- The protocol ----------------------------------------------------------------------------


def pdf_literal(text: str) -> bytes:
    """`text` as reportlab writes it into an uncompressed page: Windows-1252, octal escapes."""
    out = []
    for byte in text.encode("cp1252"):
        char = chr(byte)
        if byte > 126:
            out.append(f"\\{byte:03o}")
        elif char in "()\\":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out).encode("ascii")


def story_texts(edition) -> list[str]:
    with translation.override("en"):
        story = reports.protocol_story(reports.load_protocol(edition))
    texts = []
    for flowable in story:
        if isinstance(flowable, Paragraph):
            texts.append(flowable.text)
        elif hasattr(flowable, "_cellvalues"):
            texts.extend(cell.text for row in flowable._cellvalues for cell in row)
    return texts


def test_protocol_before_the_decision_says_what_is_not_yet_recorded(client, jury, secretariat):
    client.force_login(secretariat)

    response = client.get(url("protocol", jury.year))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="protokoll-{jury.year}.pdf"'
    content = response.getvalue()
    assert content.startswith(b"%PDF-")
    assert pdf_literal(f"Kvinnofridspriset {jury.year}") in content
    texts = story_texts(jury.edition)
    # No vote and no decision yet.
    assert texts.count("Not yet recorded.") == 2
    assert "No conflicts of interest declared." in texts
    # The jury and the scores are there.
    assert "Cecilia Ordförande" in texts
    assert "Chair" in texts
    assert texts[texts.index("Stödcentrum Alfa") - 1 : texts.index("Stödcentrum Alfa") + 7] == [
        "1",
        "Stödcentrum Alfa",
        "4.33",
        "0.80 (1)",
        "3",
        "0.47",
        "4.00–5.00",
        "",
    ]
    # Rounded, not cut off: 8/3 is 2.67 and −0.6755 is −0.68.
    assert texts[texts.index("Team Beta") - 1 : texts.index("Team Beta") + 7] == [
        "3",
        "Team Beta",
        "2.67",
        "-0.68 (3)",
        "3",
        "0.47",
        "2.00–3.00",
        "",
    ]
    assert SECRET_COMMENT not in texts


def test_protocol_records_conflicts_vote_and_decision(client, jury, chair):
    edition = jury.edition
    alfa, gamma = jury.nominees["Alfa"], jury.nominees["Gamma"]
    ruled_at = datetime(2041, 3, 2, 9, 15, tzinfo=UTC)
    ConflictDeclaration.objects.create(
        juror=jury.jurors["nils"],
        nominee=jury.nominees["Beta"],
        conflicted=True,
        reason="Tidigare anställd.",
        ruling=ConflictDeclaration.Ruling.DISMISSED,
        ruling_reason="Mer än fem år sedan.",
        ruled_by=chair,
        ruled_at=ruled_at,
    )
    for nominee in (alfa, gamma):
        ShortlistEntry.objects.create(edition=edition, nominee=nominee)
    # Two ballots A > C, one C > A: Alfa wins 2 to 1.
    for key, order in [("chair", [alfa, gamma]), ("maja", [gamma, alfa]), ("nils", [alfa, gamma])]:
        Ballot.objects.create(
            juror=jury.jurors[key],
            ranking=[[nominee.pk] for nominee in order],
            submitted_at=timezone.now(),
        )
    decision = Decision.objects.create(
        edition=edition,
        winner=alfa,
        minutes="Juryn enades om Stödcentrum Alfa.\nBeslutet var enhälligt.",
        decided_by=chair,
        decided_at=datetime(2041, 4, 1, 12, 0, tzinfo=UTC),
    )
    decision.honourable_mentions.set([gamma])
    client.force_login(chair)

    response = client.get(url("protocol", jury.year))

    assert response.status_code == 200
    content = response.getvalue()
    assert content.startswith(b"%PDF-")
    assert pdf_literal(f"Kvinnofridspriset {jury.year}") in content
    assert pdf_literal("Stödcentrum Alfa") in content

    texts = story_texts(edition)
    # The conflict, its ruling, who ruled and when (Stockholm time).
    assert "Tidigare anställd." in " ".join(texts)
    assert "No conflict of interest<br/>Mer än fem år sedan." in texts
    assert "Cecilia Ordförande<br/>2041-03-02 10:15" in texts
    # The vote: shortlist by name, the pairwise matrix, the winner.
    assert "Shortlist: 1. Jouren Gamma; 2. Stödcentrum Alfa." in texts
    assert "3 ballots counted by the Schulze method." in texts
    assert texts[texts.index("1. Jouren Gamma") : texts.index("1. Jouren Gamma") + 6] == [
        "1. Jouren Gamma",
        "–",
        "1",
        "2. Stödcentrum Alfa",
        "2",
        "–",
    ]
    assert "Winner of the vote: Stödcentrum Alfa" in texts
    assert texts[texts.index("Winner of the vote: Stödcentrum Alfa") + 1].startswith(
        "Stödcentrum Alfa wins: its strongest path"
    )
    # The decision.
    assert "Not yet recorded." not in texts
    decision_texts = texts[texts.index("The jury's decision") :]
    assert decision_texts[1:] == [
        "Winner",
        "Stödcentrum Alfa",
        "Honourable mentions",
        "Jouren Gamma",
        "Minutes",
        "Juryn enades om Stödcentrum Alfa.<br/>Beslutet var enhälligt.",
        "Decided by",
        "Cecilia Ordförande",
        "Decided",
        "2041-04-01 14:00",
    ]


def test_protocol_vote_tie_is_broken_by_the_normalised_scores(jury):
    alfa, gamma = jury.nominees["Alfa"], jury.nominees["Gamma"]
    for nominee in (alfa, gamma):
        ShortlistEntry.objects.create(edition=jury.edition, nominee=nominee)
    for key, order in [("chair", [gamma, alfa]), ("maja", [alfa, gamma])]:
        Ballot.objects.create(
            juror=jury.jurors[key],
            ranking=[[nominee.pk] for nominee in order],
            submitted_at=timezone.now(),
        )
    # A ballot not submitted does not count.
    Ballot.objects.create(juror=jury.jurors["nils"], ranking=[[gamma.pk], [alfa.pk]])

    texts = story_texts(jury.edition)

    assert "2 ballots counted by the Schulze method." in texts
    # One each: tied; Alfa's normalised score (0.80) is above Gamma's (−0.13).
    assert "Winner of the vote: Stödcentrum Alfa" in texts
    assert (
        "Jouren Gamma, Stödcentrum Alfa are tied on their strongest paths. The tie is broken "
        "by the jury's normalised scores, in which Stödcentrum Alfa comes first."
    ) in texts


# --- Query counts --------------------------------------------------------------------------


def populate(nominee_count: int, juror_count: int):
    """An edition with every juror's every score filled in, and a conflict or two."""
    now = timezone.now()
    edition = EditionFactory(
        nominations_open_at=now - timedelta(days=60), nominations_close_at=now - timedelta(days=30)
    )
    criteria = [
        CriterionFactory(edition=edition, weight=2),
        CriterionFactory(edition=edition, weight=1),
    ]
    nominees = [candidate(edition, f"Kandidat {i}") for i in range(nominee_count)]
    chair = ChairFactory(edition=edition, scores_submitted_at=now)
    jurors = [chair] + [
        JurorFactory(edition=edition, scores_submitted_at=now) for _ in range(juror_count - 1)
    ]
    Score.objects.bulk_create(
        Score(juror=juror, nominee=nominee, criterion=criterion, value=1 + (i * j + k) % 5)
        for i, juror in enumerate(jurors)
        for j, nominee in enumerate(nominees)
        for k, criterion in enumerate(criteria)
    )
    ConflictDeclaration.objects.create(
        juror=jurors[-1], nominee=nominees[0], conflicted=True, ruling="upheld"
    )
    return edition, chair.user, jurors[1].user


@pytest.mark.parametrize("who", ["chair", "member"])
def test_results_page_query_count_does_not_grow_with_nominees_or_jurors(client, who):
    counts = {}
    for size in [(3, 3), (12, 9)]:
        edition, chair, member = populate(*size)
        client.force_login(chair if who == "chair" else member)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("results", edition.year))
        assert response.status_code == 200
        html = response.content.decode()
        assert len(rows_by_name(html)) == size[0]
        counts[size] = len(queries.captured_queries)

    assert counts[(3, 3)] == counts[(12, 9)], counts


# What the page asks: the session and user (the session is not written: its expiry was at the
# sign-in), the edition, the jury's roles and the reader's conflicts; then, when the results
# are computed, their five queries (criteria, jury, candidates, conflicts, and the scores in one
# row per juror and nominee); when the figures are rendered, the
# areas for the filter. Fewer when the results are kept, fewer still when their figures are
# kept rendered; the same at 3 nominees × 3 jurors and 60 × 8. The reader's juror rows are read
# once for every check of their rights (`selectors.seats_of`), and the menu asks no permission
# query of a juror.
PAGE_QUERIES = {
    "chair": {"computed": 14, "kept": 9, "rendered": 8},
    "member": {"computed": 11, "kept": 6, "rendered": 5},
}
# The page's checks, the results' five queries, the scores read once more with their comments,
# the audit log's entry (one statement).
EXPORT_QUERIES = {"csv": 14}


@pytest.mark.parametrize("who", ["chair", "member"])
@pytest.mark.parametrize("size", [(3, 3), (60, 8)])
def test_results_page_queries_are_pinned_at_two_sizes(client, django_assert_num_queries, who, size):
    edition, chair, member = populate(*size)
    client.force_login(chair if who == "chair" else member)
    with django_assert_num_queries(PAGE_QUERIES[who]["computed"]):
        response = client.get(url("results", edition.year))
    rows = rows_by_name(response.content.decode())
    assert len(rows) == size[0]
    with django_assert_num_queries(PAGE_QUERIES[who]["kept"]):
        by_name = client.get(url("results", edition.year), {"order": "name"})
    assert rows_by_name(by_name.content.decode()) == dict(sorted(rows.items()))
    with django_assert_num_queries(PAGE_QUERIES[who]["rendered"]):
        again = client.get(url("results", edition.year), {"order": "name"})
    assert svg_of(again.content.decode()) == svg_of(by_name.content.decode())
    assert rows_by_name(again.content.decode()) == rows_by_name(by_name.content.decode())


@pytest.mark.parametrize("size", [(3, 3), (60, 8)])
def test_results_page_filters_add_one_query_each(client, django_assert_num_queries, size):
    edition, chair, _ = populate(*size)
    area = Area.objects.first()
    nominees = {n.name: n for n in edition.nominees.all()}
    nominees["Kandidat 1"].nominations.get().areas.add(area)
    nominees["Kandidat 2"].nominations.get().areas.add(area)
    for name in ("Kandidat 1", "Kandidat 0"):
        ShortlistEntry.objects.create(edition=edition, nominee=nominees[name])
    client.force_login(chair)
    client.get(url("results", edition.year))

    # Kept results, figures rendered afresh: the area is checked and its nominees read, the
    # shortlist read (one query each), the name none.
    with django_assert_num_queries(PAGE_QUERIES["chair"]["kept"] + 3):
        response = client.get(
            url("results", edition.year), {"area": area.pk, "shortlisted": "on", "q": "KANDIDAT"}
        )
    assert list(rows_by_name(response.content.decode())) == ["Kandidat 1"]


@pytest.mark.parametrize("file_format", ["csv"])
@pytest.mark.parametrize("size", [(3, 3), (60, 8)])
def test_export_queries_are_pinned_at_two_sizes(
    client, django_assert_num_queries, file_format, size
):
    edition, chair, _ = populate(*size)
    client.force_login(chair)
    with django_assert_num_queries(EXPORT_QUERIES[file_format]):
        response = client.get(url("export_results", edition.year, file_format))
        content = streamed(response)
    if file_format == "csv":
        assert len(csv_sections(content)["Scores"]) == 1 + size[0] * size[1] * 2


def test_a_member_never_sees_the_figures_of_a_nominee_they_are_conflicted_on(client, jury, member):
    gamma = jury.nominees["Gamma"]
    ConflictDeclaration.objects.create(
        juror=jury.jurors["maja"],
        nominee=gamma,
        conflicted=True,
        ruling=ConflictDeclaration.Ruling.UPHELD,
    )
    client.force_login(member)

    html = client.get(url("results", jury.year)).content.decode()

    assert list(rows_by_name(html)) == ["Stödcentrum Alfa", "Team Beta"]
    assert gamma.name not in html
    assert "you have a conflict of interest on are not shown to you" in html


def test_results_page_orders_and_ignores_a_filter_it_cannot_read(client, jury, chair):
    client.force_login(chair)
    path = url("results", jury.year)

    by_name = rows_by_name(client.get(path, {"order": "name"}).content.decode())
    by_spread = rows_by_name(client.get(path, {"order": "spread"}).content.decode())
    # An area that does not exist is as if none were asked; the order still holds.
    odd = client.get(path, {"order": "name", "area": "999999", "page": "x"})

    assert list(by_name) == ["Jouren Gamma", "Stödcentrum Alfa", "Team Beta"]
    # Spreads 1.63, 0.47, 0.47: the tie by rank (Alfa 1, Beta 3). Ranks unchanged by order.
    assert list(by_spread) == ["Jouren Gamma", "Stödcentrum Alfa", "Team Beta"]
    assert by_spread["Team Beta"]["raw-rank"] == "3"
    assert odd.status_code == 200
    assert list(rows_by_name(odd.content.decode())) == list(by_name)
    assert 'name="order"' in odd.content.decode()


@pytest.mark.parametrize("language", ["sv", "en"])
def test_figure_writes_what_floatformat_writes(language):
    generator = random.Random(7)
    values = [0.0, -0.0, -0.001, 0.005, 2.675, 1.125, -1.125, 8 / 3, -2 / 3, 4.999, 1e-9, 12.5]
    values += [generator.uniform(-3, 6) for _ in range(2000)]
    values += [round(generator.uniform(-3, 6), 3) for _ in range(2000)]
    with translation.override(language):
        assert [figure(value) for value in values] == [floatformat(value, 2) for value in values]
