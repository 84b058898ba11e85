"""Checking an uploaded file by what it contains, never by its name."""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# What we accept, by signature: (content type, extensions people use for it).
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JPEG = "image/jpeg"
PNG = "image/png"

EXTENSIONS = {PDF: {".pdf"}, DOCX: {".docx"}, JPEG: {".jpg", ".jpeg"}, PNG: {".png"}}


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
