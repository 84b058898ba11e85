"""What every PDF of the site shares: its paragraph styles, dates and safe text."""

from datetime import datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm


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
        "section": sample["Heading2"],
        "heading": sample["Heading3"],
        "subheading": sample["Heading4"],
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
