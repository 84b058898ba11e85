"""The results as files for the chair and the secretariat: CSV and XLSX.

Both are built from the same three tables (the results, the means per criterion, every
score with its comment), computed from a loaded `ResultsReport`. Text that people typed is
neutralised against spreadsheet formulas.

At 2,000 nominees × 25 jurors × 6 criteria the scores are 300,000 rows: they are read from
the database as plain rows, a chunk at a time, never as model instances. The CSV is written
as it is read (an iterator of bytes for a streaming response); the XLSX by openpyxl's
write-only workbook into a temporary file, which the response then streams.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jury.models import Score
from jury.reports.loading import ResultsReport
from nominations.exports import neutralise

# Rows read from the database, and written to the CSV, at a time.
CHUNK = 2000

# --- Tables shared by the CSV and the XLSX ---------------------------------------------------


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def results_table(report: ResultsReport) -> tuple[list[str], list[list]]:
    """Per nominee, in rank order: the figures of the results page."""
    header = [
        _("Nominee"),
        _("Mean score"),
        _("Rank (mean score)"),
        _("Shared rank (mean score)"),
        _("Normalised score"),
        _("Rank (normalised score)"),
        _("Shared rank (normalised score)"),
        _("Jurors"),
        _("Spread (standard deviation)"),
        _("Lowest"),
        _("Highest"),
        _("Discuss"),
        _("Few jurors"),
    ]
    rows = [
        [
            c.nominee.name,
            c.result.raw_mean,
            c.result.raw_rank,
            _yes_no(c.result.raw_tied),
            c.result.normalised_mean,
            c.result.normalised_rank,
            _yes_no(c.result.normalised_tied),
            c.result.juror_count,
            c.result.spread,
            c.result.minimum,
            c.result.maximum,
            _yes_no(c.result.discuss),
            _yes_no(c.result.few_jurors),
        ]
        for c in report.candidates
    ]
    return header, rows


def criteria_table(report: ResultsReport) -> tuple[list[str], list[list]]:
    """Per nominee (in rank order) and criterion: the mean raw score and how many gave one."""
    header = [_("Nominee"), _("Criterion"), _("Weight"), _("Mean score"), _("Jurors")]
    rows = [
        [c.nominee.name, criterion.display_name, criterion.weight, mean.mean, mean.count]
        for c in report.candidates
        for criterion, mean in c.criteria
    ]
    return header, rows


def scores_table(report: ResultsReport) -> tuple[list[str], Iterator[list]]:
    """Every juror's every score, with the comment and whether it was left out for a
    conflict of interest: for the chair and the secretariat only. The rows are read as they
    are consumed."""
    header = [
        _("Juror"),
        _("Nominee"),
        _("Criterion"),
        _("Score"),
        _("Comment"),
        _("Left out (conflict of interest)"),
    ]
    return header, _score_rows(report, yes=_("Yes"), no=_("No"))


def _score_rows(report: ResultsReport, *, yes: str, no: str) -> Iterator[list]:
    jurors = report.juror_names()
    nominees = {c.nominee.pk: c.nominee.name for c in report.candidates}
    nominees |= {nominee.pk: nominee.name for nominee in report.unscored}
    criteria = {criterion.pk: criterion.display_name for criterion in report.criteria}
    rows = (
        Score.objects.filter(
            juror__edition=report.edition,
            criterion__edition=report.edition,
            nominee__in=list(nominees),
        )
        .order_by(
            "nominee__name",
            "nominee__pk",
            "juror__user__last_name",
            "juror__user__first_name",
            "juror__pk",
            "criterion__position",
            "criterion__pk",
        )
        .values_list("juror_id", "nominee_id", "criterion_id", "value", "comment")
        .iterator(chunk_size=CHUNK)
    )
    for juror, nominee, criterion, value, comment in rows:
        yield [
            jurors[juror],
            nominees[nominee],
            criteria[criterion],
            value,
            comment,
            yes if (juror, nominee) in report.conflicted else no,
        ]


def _sections(report: ResultsReport) -> list[tuple[str, list[str], Iterable[list]]]:
    return [
        (_("Results"), *results_table(report)),
        (_("Per criterion"), *criteria_table(report)),
        (_("Scores"), *scores_table(report)),
    ]


# --- CSV -------------------------------------------------------------------------------------


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Swedish Excel, for which the file is written (see `results_csv`), reads a decimal
        # comma; four places keep the figures comparable without float noise.
        return f"{value:.4f}".replace(".", ",")
    return str(value)


class _Line:
    """What `csv.writer` writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def results_csv(report: ResultsReport) -> Iterator[bytes]:
    """The results as CSV for Excel in Sweden: three sections, each a title row, a header row
    and its rows, separated by an empty row; bytes a chunk of rows at a time.

    Semicolons and UTF-8 with a byte order mark, as in the nominations export; text cells
    (names and comments that people typed) are neutralised against formulas.
    """
    # The headers now, in the reader's language: the rows follow once the view has returned.
    sections = _sections(report)
    language = translation.get_language()

    def lines() -> Iterator[bytes]:
        writer = csv.writer(_Line(), delimiter=";")
        with translation.override(language):
            yield "\ufeff".encode()
            for index, (title, header, rows) in enumerate(sections):
                chunk = [writer.writerow([]) if index else "", writer.writerow([title])]
                chunk.append(writer.writerow(header))
                for row in rows:
                    chunk.append(writer.writerow([_csv_cell(neutralise(v)) for v in row]))
                    if len(chunk) >= CHUNK:
                        yield "".join(chunk).encode()
                        chunk = []
                yield "".join(chunk).encode()

    return lines()


# --- XLSX ------------------------------------------------------------------------------------


def _xlsx_cell(value):
    value = neutralise(value)
    if isinstance(value, str):
        # Characters XML cannot hold (pasted from word processors) would make openpyxl fail.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def results_xlsx(report: ResultsReport) -> IO[bytes]:
    """The results as an Excel workbook: one sheet per section, numbers kept as numbers.

    Written row by row (openpyxl's write-only mode keeps no sheet in memory) into a
    temporary file, returned open at its start; closing it deletes it.
    """
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for title, header, rows in _sections(report):
        sheet = workbook.create_sheet(title[:31])  # Excel's limit for a sheet name
        for index in range(1, len(header) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 40 if index == 1 else 16
        sheet.freeze_panes = "A2"
        sheet.append([_header_cell(sheet, text, bold, wrap) for text in header])
        count = 0
        for row in rows:
            sheet.append([_number_cell(sheet, _xlsx_cell(value)) for value in row])
            count += 1
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    workbook.save(file)
    file.seek(0)
    return file


def _header_cell(sheet, text: str, font: Font, alignment: Alignment) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    cell.alignment = alignment
    return cell


def _number_cell(sheet, value):
    if isinstance(value, float):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "0.00"
        return cell
    return value
