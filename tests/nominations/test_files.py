import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from nominations.files import DOCX, JPEG, PDF, PNG, validate_attachment

MB = 1024 * 1024


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("rapport.pdf", b"%PDF-1.7\n...", PDF),
        ("bild.PNG", b"\x89PNG\r\n\x1a\n rest", PNG),
        ("foto.jpeg", b"\xff\xd8\xff\xe0 rest", JPEG),
        ("foto.jpg", b"\xff\xd8\xff\xe0 rest", JPEG),
        ("beskrivning.docx", docx_bytes(), DOCX),
    ],
)
def test_accepted_files_are_recognised_by_content(name, content, expected):
    assert validate_attachment(SimpleUploadedFile(name, content), 10 * MB) == expected


def test_file_whose_content_is_not_what_its_name_says_is_refused():
    disguised = SimpleUploadedFile("rapport.pdf", b"\x89PNG\r\n\x1a\n an image in disguise")

    with pytest.raises(ValidationError) as error:
        validate_attachment(disguised, 10 * MB)

    assert error.value.code == "mismatch"


def test_executable_renamed_to_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile("faktura.pdf", b"MZ\x90\x00 program"), 10 * MB)

    assert error.value.code == "type"


def test_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.sh", "echo")

    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile("dokument.docx", buffer.getvalue()), 10 * MB)

    assert error.value.code == "type"


def test_file_over_the_size_limit_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_attachment(SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * MB), MB)

    assert error.value.code == "too_large"
