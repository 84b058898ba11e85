"""The diploma: the citation on one A4 page, to print and hand over at the conference."""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from kvinnofrid.pdf import pdf_markup
from publication.markup import plain_text
from publication.models import Announcement


def _style(name: str, size: float, *, bold: bool = False, space: float = 4) -> ParagraphStyle:
    # reportlab's built-in Helvetica speaks Windows-1252, which has å, ä and ö.
    return ParagraphStyle(
        name,
        fontName="Helvetica-Bold" if bold else "Helvetica",
        fontSize=size,
        leading=size * 1.35,
        alignment=TA_CENTER,
        spaceAfter=space * mm,
    )


def diploma_pdf(announcement: Announcement, *, chair_name: str) -> bytes:
    """The diploma in Swedish, the language of the jury's citation.

    Side effects: none; the PDF is made on request (it is small) and never stored.
    """
    with translation.override("sv"):
        story = diploma_story(announcement, chair_name=chair_name)
    edition = announcement.edition
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        pageCompression=0,
        title=f"Kvinnofridspriset {edition.year}: {announcement.winner_name}",
        author="Operation Kvinnofrid",
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    ).build(story)
    return buffer.getvalue()


def diploma_story(announcement: Announcement, *, chair_name: str) -> list:
    edition = announcement.edition
    story = [
        Spacer(1, 30 * mm),
        Paragraph("Operation Kvinnofrid", _style("org", 14)),
        Paragraph(
            _("Kvinnofridspriset %(year)s") % {"year": edition.year},
            _style("title", 30, bold=True, space=10),
        ),
        Paragraph(_("is awarded to"), _style("to", 13)),
        Paragraph(pdf_markup(announcement.winner_name), _style("winner", 22, bold=True, space=12)),
        Paragraph(_("The jury's citation"), _style("heading", 12, bold=True, space=3)),
    ]
    for paragraph in plain_text(announcement.citation).splitlines():
        if paragraph.strip():
            story.append(Paragraph(pdf_markup(paragraph.strip()), _style("citation", 13)))
    story += [
        Spacer(1, 25 * mm),
        Paragraph("_" * 36, _style("line", 12, space=1)),
        Paragraph(pdf_markup(chair_name), _style("chair", 12, bold=True, space=1)),
        Paragraph(_("Chair of the jury"), _style("role", 11)),
    ]
    return story
