"""The subscriber's pages: subscribe, confirm, unsubscribe, in Swedish and English."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.utils import timezone

from outbox.models import OutboxMessage
from subscriptions import tokens
from subscriptions.models import Subscriber
from tests.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def subscribe(client, email: str, prefix: str = ""):
    return client.post(f"{prefix}/subscribe/", {"email": email}, follow=True)


def confirm_link(message: OutboxMessage) -> str:
    return message.context["url"].removeprefix("http://127.0.0.1:8000")


# --- Subscribing ----------------------------------------------------------------------------


def test_subscribe_page_is_swedish_at_the_root_and_english_under_en(client):
    swedish = client.get("/subscribe/")
    english = client.get("/en/subscribe/")
    assert "<h1>Nyheter om priset</h1>" in swedish.text
    assert 'value="Prenumerera"' in swedish.text
    assert "<h1>News about the prize</h1>" in english.text


def test_subscribing_stores_an_unconfirmed_address_and_mails_a_link(client):
    response = subscribe(client, "Kim@Example.org")

    assert response.redirect_chain == [("/subscribe/sent/", 302)]
    assert "<h1>Titta i din inkorg</h1>" in response.text
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.language, subscriber.confirmed_at) == (
        "Kim@Example.org",
        "sv",
        None,
    )
    message = OutboxMessage.objects.get()
    assert (message.template, message.recipient, message.language) == (
        "subscription_confirm",
        "Kim@Example.org",
        "sv",
    )
    assert message.context["url"].startswith("http://127.0.0.1:8000/subscribe/confirm/")
    assert message.headers == {}


def test_the_language_stored_is_the_pages(client):
    subscribe(client, "kim@example.org", prefix="/en")
    assert Subscriber.objects.get().language == "en"
    message = OutboxMessage.objects.get()
    assert message.language == "en"
    assert message.context["url"].startswith("http://127.0.0.1:8000/en/subscribe/confirm/")


def test_a_malformed_address_is_refused_next_to_the_field_and_kept(client):
    response = client.post("/subscribe/", {"email": "kim(at)example"})

    assert response.status_code == 200
    assert "Fyll i en giltig e-postadress." in response.text
    assert 'id="error_1_id_email"' in response.text
    assert 'value="kim(at)example"' in response.text
    assert not Subscriber.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_malformed_address_is_refused_in_english_under_en(client):
    response = client.post("/en/subscribe/", {"email": "not an address"})
    assert "Enter a valid email address." in response.text
    assert not Subscriber.objects.exists()


def test_the_answer_is_the_same_for_new_pending_and_confirmed_addresses(client):
    SubscriberFactory(email="confirmed@example.org")
    SubscriberFactory(email="pending@example.org", confirmed_at=None)

    pages = [
        subscribe(Client(), email)
        for email in ("new@example.org", "pending@example.org", "CONFIRMED@example.org")
    ]

    assert {page.redirect_chain[-1] for page in pages} == {("/subscribe/sent/", 302)}
    assert len({page.text for page in pages}) == 1
    # The confirmed one is left as it was and gets nothing.
    assert Subscriber.objects.count() == 3
    assert sorted(OutboxMessage.objects.values_list("recipient", flat=True)) == [
        "new@example.org",
        "pending@example.org",
    ]


def test_a_resubmitted_form_changes_nothing(client):
    subscribe(client, "kim@example.org")
    subscriber = Subscriber.objects.get()
    subscribe(client, "KIM@example.org", prefix="/en")

    assert list(Subscriber.objects.values_list("pk", "email", "language", "confirmed_at")) == [
        (subscriber.pk, "kim@example.org", "sv", None)
    ]


def test_confirmation_mails_are_rate_limited_per_address(client):
    start = timezone.now()
    for minutes in range(5):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            subscribe(client, "kim@example.org")
    assert Subscriber.objects.count() == 1
    assert OutboxMessage.objects.count() == 3


# --- Confirming -----------------------------------------------------------------------------


def test_opening_the_confirmation_link_only_shows_a_button(client):
    subscriber = SubscriberFactory(confirmed_at=None)

    response = client.get(f"/subscribe/confirm/{tokens.confirm_token(subscriber.pk)}/")

    assert "Tryck på knappen för att få nyheter om Kvinnofridspriset med e-post." in response.text
    assert '<button type="submit" class="btn btn-primary">Bekräfta</button>' in response.text
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_pressing_the_button_confirms(client):
    subscriber = SubscriberFactory(confirmed_at=None)
    url = f"/subscribe/confirm/{tokens.confirm_token(subscriber.pk)}/"

    response = client.post(url)

    assert "Tack! Din prenumeration är bekräftad." in response.text
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None


def test_a_used_link_says_so_and_changes_nothing(client):
    subscriber = SubscriberFactory(confirmed_at=None)
    url = f"/subscribe/confirm/{tokens.confirm_token(subscriber.pk)}/"
    client.post(url)
    subscriber.refresh_from_db()
    first = subscriber.confirmed_at

    again = client.post(url)
    opened = client.get(url)

    assert "Prenumerationen är redan bekräftad. Ingenting har ändrats." in again.text
    assert "Prenumerationen är redan bekräftad." in opened.text
    assert "<button" not in opened.text.split("<main")[1].split("</main>")[0]
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at == first


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        signing.dumps(1, salt="another.salt"),
        # An unsubscribe token must not pass for a confirmation.
        "UNSUBSCRIBE",
    ],
)
def test_a_forged_confirmation_link_changes_nothing(client, token):
    subscriber = SubscriberFactory(confirmed_at=None)
    if token == "UNSUBSCRIBE":
        token = tokens.unsubscribe_token(subscriber.pk)
    token = token.replace(":1:", f":{subscriber.pk}:")

    opened = client.get(f"/subscribe/confirm/{token}/")
    pressed = client.post(f"/subscribe/confirm/{token}/")

    for response in (opened, pressed):
        assert "Bekräftelselänken är inte giltig" in response.text
    assert pressed.status_code == 410
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_a_tampered_confirmation_link_changes_nothing(client):
    subscriber = SubscriberFactory(confirmed_at=None)
    other = SubscriberFactory(confirmed_at=None)
    token = tokens.confirm_token(subscriber.pk)
    # The same signature with another subscriber's id.
    _value, rest = token.split(":", 1)
    forged = signing.dumps(other.pk, salt="x").split(":", 1)[0] + ":" + rest

    response = client.post(f"/subscribe/confirm/{forged}/")

    assert response.status_code == 410
    assert Subscriber.objects.confirmed().count() == 0


def test_an_expired_confirmation_link_changes_nothing(client, settings):
    settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS = 7
    with time_machine.travel(timezone.now() - timedelta(days=7, minutes=1), tick=False):
        subscriber = SubscriberFactory(confirmed_at=None)
        token = tokens.confirm_token(subscriber.pk)

    opened = client.get(f"/subscribe/confirm/{token}/")
    pressed = client.post(f"/subscribe/confirm/{token}/")

    assert "den har gått ut eller är ofullständig" in opened.text
    assert pressed.status_code == 410
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_a_link_within_its_lifetime_still_confirms(client, settings):
    settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS = 7
    with time_machine.travel(timezone.now() - timedelta(days=6, hours=23), tick=False):
        subscriber = SubscriberFactory(confirmed_at=None)
        token = tokens.confirm_token(subscriber.pk)

    client.post(f"/subscribe/confirm/{token}/")

    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None


def test_a_link_for_a_deleted_subscriber_is_not_valid(client):
    subscriber = SubscriberFactory(confirmed_at=None)
    token = tokens.confirm_token(subscriber.pk)
    subscriber.delete()

    response = client.post(f"/subscribe/confirm/{token}/")

    assert response.status_code == 410
    assert "Bekräftelselänken är inte giltig" in response.text


# --- Unsubscribing --------------------------------------------------------------------------


def test_opening_the_unsubscribe_link_only_shows_a_button(client):
    subscriber = SubscriberFactory()

    response = client.get(f"/unsubscribe/{tokens.unsubscribe_token(subscriber.pk)}/")

    assert "Tryck på knappen för att sluta få nyheter om Kvinnofridspriset." in response.text
    assert "Avsluta prenumerationen</button>" in response.text
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_pressing_the_button_deletes_the_subscriber(client):
    subscriber = SubscriberFactory(language="en")
    url = f"/en/unsubscribe/{tokens.unsubscribe_token(subscriber.pk)}/"

    response = client.post(url)

    assert "You are unsubscribed. Your address has been deleted" in response.text
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_one_click_unsubscribe_works_without_a_csrf_token(settings):
    # A mail client's RFC 8058 POST: no cookie, no token, just this body.
    subscriber = SubscriberFactory()
    kept = SubscriberFactory()
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/unsubscribe/{tokens.unsubscribe_token(subscriber.pk)}/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Din prenumeration är avslutad." in response.text
    assert list(Subscriber.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_confirm_button_does_need_its_csrf_token():
    subscriber = SubscriberFactory(confirmed_at=None)
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/subscribe/confirm/{tokens.confirm_token(subscriber.pk)}/")

    assert response.status_code == 403
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_an_unsubscribed_subscriber_still_sees_unsubscribed(client):
    subscriber = SubscriberFactory()
    url = f"/unsubscribe/{tokens.unsubscribe_token(subscriber.pk)}/"
    client.post(url)

    opened = client.get(url)
    pressed = client.post(url)

    for response in (opened, pressed):
        assert response.status_code == 200
        assert "Din prenumeration är avslutad." in response.text


def test_an_unsubscribe_link_does_not_expire(client):
    with time_machine.travel(timezone.now() - timedelta(days=3 * 365), tick=False):
        subscriber = SubscriberFactory()
        token = tokens.unsubscribe_token(subscriber.pk)

    client.post(f"/unsubscribe/{token}/")

    assert not Subscriber.objects.exists()


def test_a_forged_unsubscribe_link_changes_nothing(client):
    subscriber = SubscriberFactory()
    confirm = tokens.confirm_token(subscriber.pk)

    for token in ("garbage", confirm, tokens.unsubscribe_token(subscriber.pk)[:-2] + "xx"):
        response = client.post(f"/unsubscribe/{token}/")
        assert response.status_code == 400
        assert "Länken för att avsluta prenumerationen är inte giltig" in response.text
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


# --- Links to the subscribe page ------------------------------------------------------------


def test_the_footer_and_the_call_page_link_to_the_subscribe_page(client):
    home = client.get("/")
    call = client.get("/call/")
    english = client.get("/en/")
    assert '<a href="/subscribe/">Nyheter om priset med e-post</a>' in home.text
    assert 'href="/subscribe/">Få e-post när nomineringsperioden öppnar' in call.text
    assert '<a href="/en/subscribe/">News about the prize by e-mail</a>' in english.text
