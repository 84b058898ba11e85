"""Checking an uploaded file by what it contains, never by its name."""

import html
import logging
import re
import zipfile

import pypdf
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What we accept, by signature: (content type, extensions people use for it).
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JPEG = "image/jpeg"
PNG = "image/png"

EXTENSIONS = {PDF: {".pdf"}, DOCX: {".docx"}, JPEG: {".jpg", ".jpeg"}, PNG: {".png"}}

# Reading an attachment's text is bounded: a crafted file must not hold a save for long.
MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_PDF_PAGES = 50

logger = logging.getLogger(__name__)


def sniff_content_type(uploaded) -> str | None:
    """The type the file's bytes say it is, among those we accept, or None."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            uploaded.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def validate_attachment(uploaded, max_size: int) -> str:
    """Return the checked content type, or raise ValidationError naming the file."""
    name = uploaded.name
    if uploaded.size > max_size:
        raise ValidationError(
            _("%(name)s is too large: at most %(max)d MB per file."),
            params={"name": name, "max": max_size // (1024 * 1024)},
            code="too_large",
        )
    content_type = sniff_content_type(uploaded)
    if content_type is None:
        raise ValidationError(
            _("%(name)s is not a PDF, Word (DOCX), JPEG or PNG file."),
            params={"name": name},
            code="type",
        )
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS[content_type]:
        raise ValidationError(
            _("%(name)s does not contain what its name says: its content is not a %(ext)s file."),
            params={"name": name, "ext": extension or _("(no extension)")},
            code="mismatch",
        )
    return content_type


def readable_text(handle, content_type: str) -> str:
    """The text of a PDF or DOCX attachment, as far as it can be read; "" for images, for
    a scanned PDF without a text layer, and for a file that cannot be read."""
    handle.seek(0)
    try:
        if content_type == DOCX:
            with zipfile.ZipFile(handle) as archive:
                info = archive.getinfo("word/document.xml")
                if info.file_size > MAX_TEXT_BYTES:
                    return ""
                xml = archive.read(info).decode("utf-8", "replace")
            # A paragraph or a tab separates words; every other tag is markup inside them.
            xml = re.sub(r"</w:p>|<w:tab/>|<w:br/>", "\n", xml)
            return html.unescape(re.sub(r"<[^>]+>", "", xml))
        if content_type == PDF:
            reader = pypdf.PdfReader(handle)
            return "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES])[
                :MAX_TEXT_BYTES
            ]
    except (zipfile.BadZipFile, KeyError, pypdf.errors.PyPdfError, ValueError, OSError):
        logger.info("An attachment's text could not be read", exc_info=True)
    finally:
        handle.seek(0)
    return ""
