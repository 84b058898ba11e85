"""Requests the site will not read: a body too large, a `next` too long."""

import pytest
from django.conf import settings

from accounts.models import SignInToken
from nominations.models import Attachment
from tests.factories import EditionFactory, NominationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_body_over_the_cap_is_refused_with_413_before_it_is_read(client):
    nominator = UserFactory()
    draft = NominationFactory(edition=EditionFactory(), nominator=nominator)
    client.force_login(nominator)

    response = client.post(
        f"/nominations/{draft.pk}/edit/",
        {"save": "1"},
        CONTENT_LENGTH=str(settings.REQUEST_BODY_MAX_BYTES + 1),
    )

    assert response.status_code == 413
    assert "Det du skickade är större än" in response.content.decode()


def test_the_cap_leaves_room_for_every_attachment_at_its_largest():
    attachments = Attachment.MAX_COUNT * Attachment.MAX_SIZE
    assert attachments < settings.REQUEST_BODY_MAX_BYTES <= attachments + 4 * 1024 * 1024


def test_a_next_over_500_characters_is_ignored_not_a_server_error(client):
    response = client.post(
        "/signin/", {"email": "person@example.org", "next": "/call/" + "a" * 600}
    )

    assert response.status_code == 302
    assert response["Location"] == "/signin/sent/"
    assert SignInToken.objects.get().next_path == ""


def test_a_next_of_500_characters_is_kept(client):
    next_path = "/call/?q=" + "a" * 491

    client.post("/signin/", {"email": "person@example.org", "next": next_path})

    assert SignInToken.objects.get().next_path == next_path
