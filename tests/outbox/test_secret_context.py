"""One-time links are secrets: the mail carries them, the outbox row keeps them only until
the message is sent (or has failed for good)."""

import json

import pytest
from django.core import mail

from outbox import services
from outbox.models import OutboxMessage
from tests.factories import EditionFactory, SecretariatFactory
from tests.helpers import invite

pytestmark = pytest.mark.django_db


def _sign_in_link_requested(client, django_capture_on_commit_callbacks) -> OutboxMessage:
    with django_capture_on_commit_callbacks(execute=False):
        client.post("/signin/", {"email": "person@example.org"})
    return OutboxMessage.objects.get(template="sign_in_link")


def _token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def test_sign_in_link_is_mailed_and_then_gone_from_the_outbox_row(
    client, django_capture_on_commit_callbacks
):
    message = _sign_in_link_requested(client, django_capture_on_commit_callbacks)
    token = _token_of(message.context["url"])

    services.deliver(message.pk)

    assert token in mail.outbox[0].body
    assert token in mail.outbox[0].alternatives[0].content
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert token not in json.dumps(message.context)
    assert "url" not in message.context
    assert message.context["valid_minutes"] == 30


def test_a_link_that_fails_for_good_is_also_scrubbed_and_not_resent_without_it(
    client, django_capture_on_commit_callbacks, settings
):
    message = _sign_in_link_requested(client, django_capture_on_commit_callbacks)
    token = _token_of(message.context["url"])
    message.template = "does_not_exist"
    message.save(update_fields=["template"])

    services.deliver(message.pk)

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert token not in json.dumps(message.context)
    # Sending it again would send a mail without its link.
    assert services.resend(message) is False


def test_jury_invitation_link_is_mailed_and_then_gone_from_the_outbox_row(
    django_capture_on_commit_callbacks,
):
    edition = EditionFactory()
    with django_capture_on_commit_callbacks(execute=False):
        invite(
            edition,
            email="juror@example.org",
            first_name="Jana",
            last_name="Juror",
            by=SecretariatFactory(),
        )
    message = OutboxMessage.objects.get(template="jury_invitation")
    token = _token_of(message.context["url"])

    services.deliver(message.pk)

    assert token in mail.outbox[0].body
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert token not in json.dumps(message.context)
    assert OutboxMessage.objects.filter(context__icontains=token).count() == 0
