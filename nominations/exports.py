"""Files the secretariat takes away: the nomination list as CSV and XLSX, one nomination as PDF.

The CSV and the XLSX share one row builder, so the two can never disagree on a column.
"""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table, TableStyle

from kvinnofrid.pdf import TEXT_WIDTH, build_pdf, paragraph_styles, pdf_date, pdf_markup
from nominations.models import Nomination
from nominations.services import personal_identity_number_fields
from nominations.validators import mask_personal_identity_numbers

# A cell beginning with one of these is taken for a formula by Excel and LibreOffice
# (OWASP "CSV injection"); tab and carriage return are on the list for the same reason.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A spreadsheet cell that cannot run as a formula: text is prefixed with a quote.

    Nominators type these texts, so one could start with `=HYPERLINK(...)`. The price is a
    visible quote before, say, a phone number written "+46 8…"; the text stays readable.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def stockholm_time(moment: datetime | None) -> datetime | None:
    """`moment` on the prize's clock (`TIME_ZONE`, Stockholm), without time zone
    (spreadsheets have none): dated as the prize's office reads it, whoever downloads."""
    if moment is None:
        return None
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _masked(field: str) -> Callable[[Nomination], str]:
    # An export is a working copy that travels by e-mail; a personal identity number must
    # not travel with it. The screening page and the registry's PDF keep the text as sent.
    return lambda nomination: mask_personal_identity_numbers(getattr(nomination, field))


def _nominee_name(nomination: Nomination) -> str:
    # The nominee as grouped (several nominators may spell it differently).
    return nomination.nominee.name if nomination.nominee else nomination.nominee_name


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    value: Callable[[Nomination], object]


COLUMNS = (
    Column("reference_number", gettext_lazy("Reference number"), lambda n: n.reference_number),
    Column("status", gettext_lazy("Status"), lambda n: str(n.get_status_display())),
    Column("nominee", gettext_lazy("Nominee"), _nominee_name),
    Column(
        "nominee_kind",
        gettext_lazy("Kind of operation"),
        lambda n: str(n.get_nominee_kind_display()),
    ),
    Column(
        "nominee_organisation_number",
        gettext_lazy("Nominee's organisation number"),
        lambda n: n.nominee_organisation_number,
    ),
    Column(
        "areas",
        gettext_lazy("Areas"),
        lambda n: ", ".join(area.display_name for area in n.areas.all()),
    ),
    Column(
        "municipalities",
        gettext_lazy("Municipalities"),
        lambda n: ", ".join(municipality.name for municipality in n.municipalities.all()),
    ),
    Column("motivation", gettext_lazy("Motivation"), _masked("motivation")),
    Column("long_term_work", gettext_lazy("Long-term work"), _masked("long_term_work")),
    Column("collaboration", gettext_lazy("Collaboration"), _masked("collaboration")),
    Column("results", gettext_lazy("Results"), _masked("results")),
    Column(
        "nominator_organisation_name",
        gettext_lazy("Nominating organisation"),
        lambda n: n.nominator_organisation_name,
    ),
    Column(
        "nominator_organisation_number",
        gettext_lazy("Nominating organisation's number"),
        lambda n: n.nominator_organisation_number,
    ),
    Column("contact_name", gettext_lazy("Contact person"), lambda n: n.contact_name),
    Column("contact_email", gettext_lazy("E-mail"), lambda n: n.contact_email),
    Column("contact_phone", gettext_lazy("Phone"), lambda n: n.contact_phone),
    Column("submitted_at", gettext_lazy("Submitted"), lambda n: stockholm_time(n.submitted_at)),
    Column("screening_reason", gettext_lazy("Screening reason"), lambda n: n.screening_reason),
    Column(
        "contains_personal_identity_number",
        gettext_lazy("Contains a personal identity number"),
        lambda n: _yes_no(n.contains_personal_identity_number),
    ),
)

# The same words label the fields on the screening page and in the PDF.
LABELS = {column.key: column.header for column in COLUMNS}


def export_header() -> list[str]:
    return [str(column.header) for column in COLUMNS]


def export_row(nomination: Nomination) -> list:
    """One nomination as spreadsheet cells: text neutralised, times in Stockholm."""
    return [neutralise(column.value(nomination)) for column in COLUMNS]


def export_rows(nominations: Iterable[Nomination]) -> Iterator[list]:
    for nomination in nominations:
        yield export_row(nomination)


# --- CSV -------------------------------------------------------------------------------------


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def nominations_csv(nominations: Iterable[Nomination]) -> bytes:
    """The nominations as CSV for Excel in Sweden.

    Semicolons, because Swedish Excel uses the comma as its decimal sign and so expects `;`
    between fields when a file is opened by double-click; and UTF-8 with a byte order mark,
    without which Excel reads the file as Windows-1252 and garbles å, ä and ö.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(export_header())
    for row in export_rows(nominations):
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


# --- XLSX ------------------------------------------------------------------------------------

# Named, not guessed from the file name: Python's own table has no .xlsx, and a server's
# mime.types may not either.
SPREADSHEET_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Long texts get wide, wrapped columns; the rest fit their content.
_WIDE_COLUMNS = {"motivation", "long_term_work", "collaboration", "results", "screening_reason"}


def _xlsx_cell(value):
    if isinstance(value, str):
        # Characters XML cannot hold (pasted from word processors) would make openpyxl fail.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def nominations_xlsx(nominations: Iterable[Nomination], *, title: str) -> bytes:
    """The nominations as an Excel workbook: one sheet, a header row, filters, frozen header."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit for a sheet name
    sheet.append(export_header())
    for row in export_rows(nominations):
        sheet.append([_xlsx_cell(value) for value in row])

    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        wide = column.key in _WIDE_COLUMNS
        sheet.column_dimensions[letter].width = 60 if wide else 22
        for cell in sheet[letter][1:]:
            if column.key == "submitted_at":
                cell.number_format = "yyyy-mm-dd hh:mm"
            if wide:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- PDF -------------------------------------------------------------------------------------


class Fact(NamedTuple):
    """A labelled fact about a nomination; `href` where the page links it (the PDF does not)."""

    label: str
    text: str
    href: str = ""


def nominee_facts(nomination: Nomination) -> list[Fact]:
    """The nominee, as the screening page and the PDF describe it."""
    return [
        Fact(_("Name"), nomination.nominee_name),
        Fact(str(LABELS["nominee_kind"]), str(nomination.get_nominee_kind_display()) or "–"),
        Fact(
            str(LABELS["nominee_organisation_number"]),
            nomination.nominee_organisation_number or "–",
        ),
        Fact(
            str(LABELS["municipalities"]),
            ", ".join(m.name for m in nomination.municipalities.all()) or "–",
        ),
        Fact(
            str(LABELS["areas"]),
            ", ".join(a.display_name for a in nomination.areas.all()) or "–",
        ),
    ]


def nominator_facts(nomination: Nomination) -> list[Fact]:
    """The nominator and its contact person, as the screening page and the PDF describe them."""
    return [
        Fact(str(LABELS["nominator_organisation_name"]), nomination.nominator_organisation_name),
        Fact(
            str(LABELS["nominator_organisation_number"]),
            nomination.nominator_organisation_number,
        ),
        Fact(str(LABELS["contact_name"]), nomination.contact_name),
        Fact(
            str(LABELS["contact_email"]),
            nomination.contact_email,
            href=f"mailto:{nomination.contact_email}",
        ),
        Fact(str(LABELS["contact_phone"]), nomination.contact_phone or "–"),
        Fact(_("Consent to the processing of personal data"), _yes_no(nomination.consent)),
    ]


def nomination_facts(nomination: Nomination) -> list[tuple[str, list[tuple[str, str]]]]:
    """What the PDF says, as (section heading, [(label, text)]) in reading order."""
    if nomination.screened_at:
        screening = [
            (_("Decision"), str(nomination.get_status_display())),
            (_("Reason"), nomination.screening_reason or "–"),
            (_("Screened by"), str(nomination.screened_by) if nomination.screened_by else "–"),
            (_("Screened"), pdf_date(nomination.screened_at)),
        ]
    else:
        screening = [(_("Decision"), _("Not screened yet."))]
    attachments = [attachment.original_name for attachment in nomination.attachments.all()]
    return [
        (
            _("Nomination"),
            [
                (str(LABELS["reference_number"]), nomination.reference_number or "–"),
                (_("Edition"), str(nomination.edition)),
                (str(LABELS["status"]), str(nomination.get_status_display())),
                (str(LABELS["submitted_at"]), pdf_date(nomination.submitted_at)),
                *(
                    [(_("Withdrawn"), pdf_date(nomination.withdrawn_at))]
                    if nomination.withdrawn_at
                    else []
                ),
            ],
        ),
        (_("The nominee"), [(fact.label, fact.text) for fact in nominee_facts(nomination)]),
        (
            _("The work"),
            [
                (str(LABELS[field]), getattr(nomination, field) or "–")
                for field in Nomination.FREE_TEXT_FIELDS
            ],
        ),
        (
            _("The nominator"),
            [(fact.label, fact.text) for fact in nominator_facts(nomination)],
        ),
        (_("Attachments"), [(_("Files"), "\n".join(attachments) or _("None"))]),
        (_("Screening"), screening),
    ]


def nomination_story(nomination: Nomination) -> list:
    """The PDF's flowables. The registry's copy keeps the text exactly as it was sent; a
    personal identity number is pointed out so that it is masked before disclosure."""
    styles = paragraph_styles()
    story = [
        Paragraph(pdf_markup(nomination.reference_number), styles["title"]),
        Paragraph(pdf_markup(nomination.nominee_name), styles["subtitle"]),
    ]
    if fields := personal_identity_number_fields(nomination):
        story.append(
            Paragraph(
                pdf_markup(
                    _(
                        "Contains what looks like a personal identity number in: %(fields)s. "
                        "Check for confidentiality before disclosing this document."
                    )
                    % {"fields": ", ".join(str(LABELS[field]) for field in fields)}
                ),
                styles["warning"],
            )
        )
    # The nominator's texts can run for pages: each under its label, free to break across
    # pages. The short facts sit beside their labels, two columns, so that a usual
    # nomination fits on one page.
    free_texts = {str(LABELS[field]) for field in Nomination.FREE_TEXT_FIELDS}
    for heading, facts in nomination_facts(nomination):
        story.append(Paragraph(pdf_markup(heading), styles["heading"]))
        short = [(label, text) for label, text in facts if label not in free_texts]
        if short:
            story.append(_facts_table(short, styles))
        for label, text in facts:
            if label in free_texts:
                story.append(Paragraph(pdf_markup(label), styles["label"]))
                story.append(Paragraph(pdf_markup(text), styles["body"]))
    return story


_LABEL_WIDTH = 60 * mm


def _facts_table(facts: list[tuple[str, str]], styles) -> Table:
    table = Table(
        [
            [
                Paragraph(pdf_markup(label), styles["label"]),
                Paragraph(pdf_markup(text), styles["body"]),
            ]
            for label, text in facts
        ],
        colWidths=[_LABEL_WIDTH, TEXT_WIDTH - _LABEL_WIDTH],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def nomination_pdf(nomination: Nomination) -> bytes:
    """One nomination as a PDF for the registry, its pages numbered."""
    return build_pdf(
        nomination_story(nomination),
        title=nomination.reference_number or "",
        subject=str(nomination.edition),
    )
