import re
from datetime import timedelta

import pytest
import time_machine

from accounts.models import SignInToken, User
from outbox.models import OutboxMessage
from tests.factories import UserFactory
from tests.helpers import landed_on

pytestmark = pytest.mark.django_db


def ask_for_link(client, email, next_path=""):
    return client.post("/signin/", {"email": email, "next": next_path})


def link_in_outbox(email) -> str:
    message = OutboxMessage.objects.filter(recipient=email, template="sign_in_link").latest("pk")
    return re.sub(r"^https?://[^/]+", "", message.context["url"])


def test_asking_for_a_link_says_the_same_for_known_and_unknown_addresses(client):
    UserFactory(email="known@example.org")

    known = ask_for_link(client, "known@example.org")
    unknown = ask_for_link(client, "nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/signin/sent/"
    assert OutboxMessage.objects.filter(template="sign_in_link").count() == 2


def test_link_e_mail_carries_a_one_time_url_and_only_its_hash_is_stored(client):
    ask_for_link(client, "Person@Example.org")

    path = link_in_outbox("person@example.org")
    raw_token = path.rstrip("/").rsplit("/", 1)[-1]
    token = SignInToken.objects.get()
    assert token.email == "person@example.org"
    assert raw_token not in token.token_hash
    assert len(raw_token) >= 40


def test_opening_the_link_does_not_use_it_up(client):
    ask_for_link(client, "person@example.org")
    path = link_in_outbox("person@example.org")

    client.get(path)
    client.get(path)

    assert SignInToken.objects.get().used_at is None


def test_link_signs_in_once_creates_the_user_and_goes_to_next(client):
    ask_for_link(client, "new@example.org", next_path="/call/")
    path = link_in_outbox("new@example.org")

    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"] == "/call/"
    user = User.objects.get(email="new@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not user.has_usable_password()

    client.logout()
    again = client.post(path)
    assert again.status_code == 410
    assert "_auth_user_id" not in client.session
    assert "har gått ut eller har redan använts" in again.content.decode()


def test_expired_link_does_not_sign_in(client):
    ask_for_link(client, "late@example.org")
    path = link_in_outbox("late@example.org")

    with time_machine.travel(SignInToken.objects.get().expires_at + timedelta(seconds=1)):
        response = client.post(path)

    assert response.status_code == 410
    assert not User.objects.filter(email="late@example.org").exists()


def test_next_pointing_elsewhere_is_ignored(client):
    ask_for_link(client, "person@example.org", next_path="https://evil.example/")

    response = client.post(link_in_outbox("person@example.org"))

    assert landed_on(client, response) == "/nominations/"


def test_requests_are_rate_limited_per_address(client):
    for _ in range(3):
        assert ask_for_link(client, "spam@example.org").status_code == 302

    refused = ask_for_link(client, "spam@example.org")

    assert refused.status_code == 200
    assert "för många inloggningslänkar" in refused.content.decode()
    assert OutboxMessage.objects.filter(recipient="spam@example.org").count() == 3


def test_invalid_address_is_reported_beside_the_field_and_kept(client):
    response = client.post("/signin/", {"email": "inte-en-adress"})

    html = response.content.decode()
    assert "Fyll i en giltig e-postadress." in html
    assert 'value="inte-en-adress"' in html
    assert not OutboxMessage.objects.exists()


def test_link_e_mail_is_in_the_language_of_the_page(client):
    client.post("/en/signin/", {"email": "english@example.org"})

    message = OutboxMessage.objects.get(recipient="english@example.org")
    assert message.language == "en"
    assert "/en/signin/" in message.context["url"]
