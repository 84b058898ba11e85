import pytest

from tests.factories import SecretariatFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(SecretariatFactory(is_superuser=True))
    return client


def test_the_list_counts_confirmed_subscribers_and_searches_addresses(admin_client):
    SubscriberFactory(email="kim@example.org")
    SubscriberFactory(email="alex@example.org", language="en")
    SubscriberFactory(email="pending@example.org", confirmed_at=None)

    everyone = admin_client.get("/admin/subscriptions/subscriber/").text
    found = admin_client.get("/admin/subscriptions/subscriber/?q=kim").text
    pending = admin_client.get("/admin/subscriptions/subscriber/?confirmed=no").text

    assert "2 bekräftade prenumeranter får nyheterna." in everyone
    assert all(e in everyone for e in ("kim@", "alex@", "pending@"))
    assert "kim@example.org" in found
    assert "alex@example.org" not in found
    assert "pending@example.org" in pending
    assert "kim@example.org" not in pending


def test_subscribers_cannot_be_added_or_edited_by_hand(admin_client):
    subscriber = SubscriberFactory(email="kim@example.org")

    add = admin_client.get("/admin/subscriptions/subscriber/add/")
    change = admin_client.post(
        f"/admin/subscriptions/subscriber/{subscriber.pk}/change/",
        {"email": "other@example.org", "language": "en"},
    )

    assert add.status_code == 403
    assert change.status_code == 302
    subscriber.refresh_from_db()
    assert (subscriber.email, subscriber.language) == ("kim@example.org", "sv")
