"""Personal identity numbers are looked for in the attachments' text too (DOCX, PDF)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas

from nominations import services
from nominations.files import DOCX, PDF, readable_text
from nominations.models import Attachment
from outbox.emails import render_email
from outbox.models import OutboxMessage
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
def test_an_attachment_is_read_after_its_upload_commits_and_then_warned_about(
    client,
    settings,
    tmp_path,
    name,
    content,
    django_capture_on_commit_callbacks,
    worker_runs_after_saves,
):
    settings.MEDIA_ROOT = tmp_path
    nominator = UserFactory()
    draft = NominationFactory(nominator=nominator)
    client.force_login(nominator)
    warning = f"Det ser ut som att du har skrivit ett personnummer i: {name}."

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            f"/nominations/{draft.pk}/edit/",
            complete_form(save="1", new_attachments=[SimpleUploadedFile(name, content)]),
            follow=True,
        )

    # The request stores the file and reads none: the worker does, after the commit.
    attachment = Attachment.objects.get(nomination=draft)
    assert attachment.contains_personal_identity_number is None
    assert warning not in response.content.decode()
    assert len(callbacks) == 1

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()

    draft.refresh_from_db()
    attachment.refresh_from_db()
    assert attachment.contains_personal_identity_number is True
    assert draft.contains_personal_identity_number is True
    assert warning in client.get(f"/nominations/{draft.pk}/edit/").content.decode()
    assert warning in client.get(f"/nominations/{draft.pk}/").content.decode()


@pytest.mark.django_db
def test_the_receipt_asks_for_an_attachment_with_a_number_to_be_replaced(
    client, settings, tmp_path, django_capture_on_commit_callbacks, worker_runs_after_saves
):
    settings.MEDIA_ROOT = tmp_path
    nominator = UserFactory()
    draft = NominationFactory(nominator=nominator)
    client.force_login(nominator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/nominations/{draft.pk}/edit/",
            complete_form(
                submit="1",
                new_attachments=[
                    SimpleUploadedFile("intyg.pdf", pdf_with(PIN)),
                    SimpleUploadedFile("budget.pdf", pdf_with("inget nummer")),
                ],
            ),
        )

    receipt = OutboxMessage.objects.get(template="nomination_receipt")
    rendered = render_email(receipt.template, receipt.context, receipt.language)
    sentence = (
        "Det ser ut som att de här bilagorna innehåller ett personnummer: intyg.pdf. Byt ut dem "
        "mot versioner utan det: en nominering får inte innehålla personnummer."
    )
    assert sentence in " ".join(rendered.text.split())
    assert sentence in " ".join(rendered.html.split())
    assert PIN not in rendered.text + rendered.html


@pytest.mark.django_db
def test_each_file_is_read_once(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    nomination = NominationFactory()
    Attachment.objects.create(
        nomination=nomination,
        file=SimpleUploadedFile("intyg.pdf", pdf_with(PIN)),
        original_name="intyg.pdf",
        content_type=PDF,
        size=1,
    )
    services.check_nomination(nomination)
    read = []
    monkeypatch.setattr(services.files, "readable_text", lambda *args: read.append(args) or "")

    services.check_nomination(nomination)

    assert read == []
    assert services.attachments_with_personal_identity_numbers(nomination) == ["intyg.pdf"]
