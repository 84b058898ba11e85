"""A draft's attachments are the nominator's alone; a double submit stores them once."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nominations.forms import NominationForm
from nominations.models import Attachment, Nomination
from tests.factories import EditionFactory, NominationFactory, SecretariatFactory, UserFactory
from tests.helpers import race
from tests.nominations.test_nominator_views import complete_form

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def download(client, url) -> bytes:
    return b"".join(client.get(url).streaming_content)


@pytest.mark.django_db
def test_a_drafts_attachment_is_the_nominators_alone_until_it_is_submitted(client):
    nominator = UserFactory()
    draft = NominationFactory(edition=EditionFactory(), nominator=nominator)
    client.force_login(nominator)
    client.post(
        f"/nominations/{draft.pk}/edit/",
        complete_form(save="1", new_attachments=[SimpleUploadedFile("plan.pdf", PDF)]),
    )
    attachment = Attachment.objects.get()
    url = f"/nominations/{draft.pk}/attachments/{attachment.pk}/"
    staff = Client()
    staff.force_login(SecretariatFactory())

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

    def click():
        client = Client()
        client.force_login(nominator)
        data = complete_form(submit="1", new_attachments=[SimpleUploadedFile("plan.pdf", PDF)])
        return client.post(f"/nominations/{draft.pk}/edit/", data).status_code

    answers, errors = race(click)

    assert errors == []
    assert answers == [302, 302]
    assert Nomination.objects.get(pk=draft.pk).status == Nomination.Status.SUBMITTED
    assert Attachment.objects.filter(nomination=draft).count() == 1
