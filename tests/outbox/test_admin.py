import pytest

from tests.factories import OutboxMessageFactory, SecretariatFactory

pytestmark = pytest.mark.django_db


def test_outbox_admin_lists_and_filters_messages(client):
    client.force_login(SecretariatFactory(is_superuser=True))
    OutboxMessageFactory(
        recipient="failed@example.org", status="failed", template="nomination_receipt"
    )
    OutboxMessageFactory(recipient="queued@example.org")

    html = client.get("/admin/outbox/outboxmessage/?status__exact=failed").content.decode()

    assert "failed@example.org" in html
    assert "queued@example.org" not in html


def test_outbox_admin_resends_a_failed_message(client, django_capture_on_commit_callbacks):
    client.force_login(SecretariatFactory(is_superuser=True))
    failed = OutboxMessageFactory(status="failed", attempts=8, last_error="SMTPDataError")

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(
            "/admin/outbox/outboxmessage/",
            {"action": "resend_failed", "_selected_action": [failed.pk]},
        )

    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("queued", 0, "")
    assert len(callbacks) == 1


def test_outbox_admin_hides_sign_in_links(client):
    client.force_login(SecretariatFactory(is_superuser=True))
    message = OutboxMessageFactory(
        template="sign_in_link", context={"url": "http://x/signin/SECRET-TOKEN/"}
    )

    html = client.get(f"/admin/outbox/outboxmessage/{message.pk}/change/").content.decode()

    assert message.recipient in html
    assert "SECRET-TOKEN" not in html
