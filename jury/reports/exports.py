"""The results as files for the chair and the secretariat: CSV and XLSX.

Both are built from the same three tables (the results, the means per criterion, every
score with its comment), computed from a loaded `ResultsReport`. Text that people typed is
neutralised against spreadsheet formulas.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jury.reports.loading import ResultsReport, juror_name, raw_scores
from nominations.exports import neutralise

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


def scores_table(report: ResultsReport) -> tuple[list[str], list[list]]:
    """Every juror's every score, with the comment: for the chair and the secretariat only."""
    header = [
        _("Juror"),
        _("Nominee"),
        _("Criterion"),
        _("Score"),
        _("Comment"),
        _("Left out (conflict of interest)"),
    ]
    rows = [
        [
            juror_name(score.juror),
            score.nominee.name,
            score.criterion.display_name,
            score.value,
            score.comment,
            _yes_no(left_out),
        ]
        for score, left_out in raw_scores(report)
    ]
    return header, rows


def _sections(report: ResultsReport) -> list[tuple[str, list[str], list[list]]]:
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


def results_csv(report: ResultsReport) -> bytes:
    """The results as CSV for Excel in Sweden: three sections, each a title row, a header row
    and its rows, separated by an empty row.

    Semicolons and UTF-8 with a byte order mark, as in the nominations export; text cells
    (names and comments that people typed) are neutralised against formulas.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for index, (title, header, rows) in enumerate(_sections(report)):
        if index:
            writer.writerow([])
        writer.writerow([title])
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_cell(neutralise(value)) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


# --- XLSX ------------------------------------------------------------------------------------


def _xlsx_cell(value):
    value = neutralise(value)
    if isinstance(value, str):
        # Characters XML cannot hold (pasted from word processors) would make openpyxl fail.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def results_xlsx(report: ResultsReport) -> bytes:
    """The results as an Excel workbook: one sheet per section, numbers kept as numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in _sections(report):
        sheet = workbook.create_sheet(title[:31])  # Excel's limit for a sheet name
        sheet.append(header)
        for row in rows:
            sheet.append([_xlsx_cell(value) for value in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index in range(1, len(header) + 1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = 40 if index == 1 else 16
            for cell in sheet[letter][1:]:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
