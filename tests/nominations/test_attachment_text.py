"""Personal identity numbers are looked for in the attachments' text too (DOCX, PDF)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from nominations.files import DOCX, PDF, readable_text
from tests.factories import NominationFactory, UserFactory
from tests.nominations.test_nominator_views import complete_form

PIN = "19811218-9876"


def docx_with(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>Stöd till</w:t></w:r></w:p>'
            f"<w:p><w:r><w:t>{text[:8]}</w:t></w:r><w:r><w:t>{text[8:]}</w:t></w:r></w:p>"
            "</w:body></w:document>",
        )
    return buffer.getvalue()


def pdf_with(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, f"Hon ({text}) fick stöd.")
    page.save()
    return buffer.getvalue()


def test_the_text_of_a_docx_and_a_pdf_is_read():
    assert PIN in readable_text(io.BytesIO(docx_with(PIN)), DOCX)
    assert PIN in readable_text(io.BytesIO(pdf_with(PIN)), PDF)


def test_a_file_that_cannot_be_read_has_no_text():
    assert readable_text(io.BytesIO(b"%PDF-1.7\nnothing else"), PDF) == ""
    assert readable_text(io.BytesIO(b"PK\x03\x04 broken"), DOCX) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"), [("intyg.docx", docx_with(PIN)), ("intyg.pdf", pdf_with(PIN))]
)
def test_an_attachment_with_a_number_is_warned_about_and_flagged(
    client, settings, tmp_path, name, content
):
    settings.MEDIA_ROOT = tmp_path
    nominator = UserFactory()
    draft = NominationFactory(nominator=nominator)
    client.force_login(nominator)

    response = client.post(
        f"/nominations/{draft.pk}/edit/",
        complete_form(save="1", new_attachments=[SimpleUploadedFile(name, content)]),
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.contains_personal_identity_number is True
    page = response.content.decode()
    assert f"Det ser ut som att du har skrivit ett personnummer i: {name}." in page
