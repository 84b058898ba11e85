"""What every PDF of the site shares: its page, paragraph styles, dates and safe text."""

import io
from datetime import datetime
from functools import partial
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

MARGIN = 20 * mm
# The width between the margins of an A4 page: what a table's columns share.
TEXT_WIDTH = A4[0] - 2 * MARGIN


def pdf_markup(text) -> str:
    """Plain text made safe for reportlab's paragraph mini-markup, line breaks kept."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(text if text is not None else ""))
    return escape(text).replace("\r\n", "\n").replace("\n", "<br/>")


def paragraph_styles() -> dict[str, ParagraphStyle]:
    """The styles of the nomination PDF and the jury's protocol, by what they are for."""
    # reportlab's built-in Helvetica speaks Windows-1252, which has å, ä and ö.
    sample = getSampleStyleSheet()
    return {
        "title": sample["Title"],
        "subtitle": sample["Heading2"],
        # A heading stays on the page of what it heads.
        "section": ParagraphStyle("section", parent=sample["Heading2"], keepWithNext=1),
        "heading": ParagraphStyle("heading", parent=sample["Heading3"], keepWithNext=1),
        "subheading": ParagraphStyle("subheading", parent=sample["Heading4"], keepWithNext=1),
        "label": ParagraphStyle("label", parent=sample["Normal"], fontName="Helvetica-Bold"),
        "body": ParagraphStyle("body", parent=sample["Normal"], spaceAfter=2 * mm),
        "warning": ParagraphStyle(
            "warning", parent=sample["Normal"], fontName="Helvetica-Bold", spaceAfter=3 * mm
        ),
        "cell": ParagraphStyle("cell", parent=sample["Normal"], fontSize=8, leading=10),
        "head": ParagraphStyle(
            "head", parent=sample["Normal"], fontName="Helvetica-Bold", fontSize=8, leading=10
        ),
    }


def pdf_date(moment: datetime | None) -> str:
    """`moment` to the minute on the prize's clock (`TIME_ZONE`), or a dash."""
    if moment is None:
        return "–"
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%d %H:%M")


class _NumberedCanvas(Canvas):
    """Writes "Page n of N" at the foot of every page: the pages are kept until the last is
    laid out, so that N is known."""

    def __init__(self, *args, page_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._page_label = page_label
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (reportlab's name, overridden)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self.setFont("Helvetica", 8)
            self.drawRightString(
                A4[0] - MARGIN, MARGIN / 2, self._page_label % {"page": number, "pages": total}
            )
            super().showPage()
        super().save()


def build_pdf(story: list, *, title: str, subject: str) -> bytes:
    """An A4 PDF of `story`, its pages numbered "Page n of N" in the active language.

    Pages are left uncompressed: the files are small, and their text can then be searched
    with plain tools (and by the tests) without a PDF library.
    """
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        pageCompression=0,
        title=title,
        author="Kvinnofridspriset",
        subject=subject,
        **dict.fromkeys(("leftMargin", "rightMargin", "topMargin", "bottomMargin"), MARGIN),
    )
    label = _("Page %(page)s of %(pages)s")
    document.build(story, canvasmaker=partial(_NumberedCanvas, page_label=label))
    return buffer.getvalue()
