"""A draft's attachments are the nominator's alone; a double submit stores them once."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from nominations.forms import NominationForm
from nominations.models import Attachment, Nomination
from tests.factories import EditionFactory, NominationFactory, SecretariatFactory, UserFactory
from tests.nominations.test_nominator_views import complete_form

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def download(client, url) -> bytes:
    return b"".join(client.get(url).streaming_content)


def _nomination_with_attachment(client, **action: str) -> tuple[Nomination, Attachment, Client]:
    """A nominator (signed in on `client`) uploads plan.pdf with `action` (save or submit);
    returns the nomination, the attachment and a signed-in secretariat's client."""
    nominator = UserFactory()
    nomination = NominationFactory(edition=EditionFactory(), nominator=nominator)
    client.force_login(nominator)
    client.post(
        f"/nominations/{nomination.pk}/edit/",
        complete_form(**action, new_attachments=[SimpleUploadedFile("plan.pdf", PDF)]),
    )
    staff = Client()
    staff.force_login(SecretariatFactory())
    return nomination, Attachment.objects.get(), staff


@pytest.mark.django_db
def test_a_drafts_attachment_is_the_nominators_alone_until_it_is_submitted(client):
    draft, attachment, staff = _nomination_with_attachment(client, save="1")
    url = f"/nominations/{draft.pk}/attachments/{attachment.pk}/"

    assert download(client, url) == PDF
    assert staff.get(url).status_code == 404

    client.post(f"/nominations/{draft.pk}/edit/", complete_form(submit="1"))
    assert Nomination.objects.get(pk=draft.pk).status == Nomination.Status.SUBMITTED
    assert download(staff, url) == PDF


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_with_an_attachment_stores_it_once(monkeypatch):
    nominator = UserFactory()
    draft = NominationFactory(edition=EditionFactory(), nominator=nominator)
    # Both clicks are past the "is it still a draft?" check before either is saved.
    barrier = threading.Barrier(2, timeout=10)
    is_valid = NominationForm.is_valid

    def is_valid_once_both_are_here(form):
        valid = is_valid(form)
        barrier.wait()
        return valid

    monkeypatch.setattr(NominationForm, "is_valid", is_valid_once_both_are_here)
    answers = []

    def click():
        try:
            client = Client()
            client.force_login(nominator)
            data = complete_form(submit="1", new_attachments=[SimpleUploadedFile("plan.pdf", PDF)])
            answers.append(client.post(f"/nominations/{draft.pk}/edit/", data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert answers == [302, 302]
    assert Nomination.objects.get(pk=draft.pk).status == Nomination.Status.SUBMITTED
    assert Attachment.objects.filter(nomination=draft).count() == 1


@pytest.mark.django_db
def test_attachments_live_in_the_shared_storage_and_are_streamed_from_it(
    client, settings, object_storage
):
    nomination, attachment, staff = _nomination_with_attachment(client, submit="1")
    url = f"/nominations/{nomination.pk}/attachments/{attachment.pk}/"

    with object_storage.open(attachment.file.name) as stored:
        assert stored.read() == PDF
    for who in (client, staff):
        response = who.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    assert not settings.MEDIA_ROOT.exists()

    client.post(
        f"/nominations/{nomination.pk}/edit/",
        complete_form(save="1", remove_attachments=[attachment.pk]),
    )
    assert object_storage.exists(attachment.file.name) is False
