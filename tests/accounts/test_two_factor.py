"""Two factors for the secretariat and the jury's chair; the admin's password throttled."""

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib import admin
from django.test import Client, RequestFactory
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.clientip import client_ip
from outbox.models import OutboxMessage
from tests.factories import (
    ChairFactory,
    EditionFactory,
    JurorFactory,
    SecretariatFactory,
    UserFactory,
)
from tests.helpers import force_login_first_factor_only, landed_on, mark_second_factor_given, race

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + offset):06d}"  # noqa: E501


def totp_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def sign_in_by_link(client, email: str, next_path: str = ""):
    client.post("/signin/", {"email": email, "next": next_path})
    message = OutboxMessage.objects.filter(recipient=email, template="sign_in_link").latest("pk")
    return client.post(re.sub(r"^https?://[^/]+", "", message.context["url"]))


def admin_login(client, email: str, password: str, **extra):
    return client.post(
        "/admin/login/?next=/admin/", {"username": email, "password": password}, **extra
    )


# --- Password throttling (django-axes) ------------------------------------------------------


def test_admin_password_is_locked_after_five_wrong_ones_even_for_the_right_one(client):
    staff = SecretariatFactory(email="kansliet@example.org")
    totp_device(staff)

    for _ in range(4):
        assert admin_login(client, staff.email, "wrong").status_code == 200
    fifth = admin_login(client, staff.email, "wrong")
    locked = admin_login(client, staff.email, PASSWORD)

    assert fifth.status_code == locked.status_code == 429
    assert "För många försök" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_account_and_address_together(client):
    staff = SecretariatFactory(email="kansliet@example.org")
    colleague = SecretariatFactory(email="kollega@example.org")
    for _ in range(5):
        admin_login(client, staff.email, "wrong")

    from_elsewhere = admin_login(Client(), staff.email, PASSWORD, REMOTE_ADDR="10.1.1.1")
    colleague_here = admin_login(Client(), colleague.email, PASSWORD)

    assert from_elsewhere.status_code == 302
    assert colleague_here.status_code == 302


def test_the_lockout_follows_the_trusted_proxy_header(client, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    staff = SecretariatFactory(email="kansliet@example.org")
    for _ in range(5):
        admin_login(client, staff.email, "wrong", HTTP_X_FORWARDED_FOR="203.0.113.7")

    other_person_behind_the_proxy = admin_login(
        Client(), staff.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    same_person = admin_login(Client(), staff.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert other_person_behind_the_proxy.status_code == 302
    assert same_person.status_code == 429


# --- The client's address -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "proxies", "forwarded", "expected"),
    [
        ("", 1, "198.51.100.1", "10.0.0.1"),
        ("HTTP_X_FORWARDED_FOR", 1, "198.51.100.1", "198.51.100.1"),
        ("HTTP_X_FORWARDED_FOR", 1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        ("HTTP_X_FORWARDED_FOR", 2, "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"),
        ("HTTP_X_FORWARDED_FOR", 1, "", "10.0.0.1"),
    ],
)
def test_client_ip_trusts_only_the_configured_header(
    settings, header, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_HEADER = header
    settings.NUM_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_behind_the_proxy_each_client_has_its_own_sign_in_limit(client, settings):
    settings.TRUSTED_PROXY_HEADER = "HTTP_X_FORWARDED_FOR"
    for n in range(20):
        client.post("/signin/", {"email": f"a{n}@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.7")

    refused = client.post(
        "/signin/", {"email": "x@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    other = client.post("/signin/", {"email": "y@example.org"}, HTTP_X_FORWARDED_FOR="203.0.113.8")

    assert refused.status_code == 200
    assert "för många inloggningslänkar" in refused.content.decode()
    assert other.status_code == 302


# --- The second factor after the first --------------------------------------------------------


def test_an_e_mail_link_alone_does_not_open_the_admin_for_a_superuser(client):
    boss = SecretariatFactory(email="chef@example.org", is_superuser=True)
    device = totp_device(boss)

    signed_in = sign_in_by_link(client, boss.email, next_path="/admin/")
    asked = client.get("/admin/")

    assert signed_in["Location"] == "/admin/"
    assert asked.status_code == 302
    assert asked["Location"] == "/signin/code/?next=%2Fadmin%2F"

    verified = client.post("/signin/code/", {"code": code_for(device), "next": "/admin/"})
    assert verified["Location"] == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "Kvinnofridspriset – administration" in page.content.decode()


def test_a_password_alone_does_not_open_the_admin(client):
    staff = SecretariatFactory(email="kansliet@example.org")
    totp_device(staff)

    assert admin_login(client, staff.email, PASSWORD).status_code == 302
    response = client.get("/admin/")

    assert response["Location"] == "/signin/code/?next=%2Fadmin%2F"


@pytest.mark.parametrize("path", ["/screening/", "/nominations/", "/jury/"])
def test_staff_pages_wait_for_the_second_factor(client, path):
    staff = SecretariatFactory()
    totp_device(staff)
    force_login_first_factor_only(client, staff)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/signin/code/?next=")


def test_admin_site_refuses_unverified_staff_whatever_the_middleware():
    staff = SecretariatFactory()
    request = RequestFactory().get("/admin/")
    request.user = staff
    staff.is_verified = lambda: False

    assert admin.site.has_permission(request) is False
    staff.is_verified = lambda: True
    assert admin.site.has_permission(request) is True


def test_a_jury_chair_needs_the_second_factor_a_member_does_not(client):
    chair = ChairFactory().user
    member = JurorFactory().user
    totp_device(chair)

    force_login_first_factor_only(client, chair)
    assert client.get("/jury/")["Location"].startswith("/signin/code/")
    other = Client()
    force_login_first_factor_only(other, member)
    assert other.get("/nominations/").status_code == 200
    assert two_factor.required_for(chair)
    assert not two_factor.required_for(member)


def test_an_edition_can_require_the_second_factor_of_every_juror(client):
    strict = JurorFactory(edition=EditionFactory(year=2081, jurors_need_two_factor=True)).user
    relaxed = JurorFactory(edition=EditionFactory(year=2082)).user

    force_login_first_factor_only(client, strict)
    assert client.get("/jury/")["Location"].startswith("/signin/two-factor/")
    assert two_factor.required_for(strict)
    assert not two_factor.required_for(relaxed)


def test_a_used_code_is_refused_for_the_rest_of_its_window(client):
    staff = SecretariatFactory()
    device = totp_device(staff)
    code = code_for(device)
    force_login_first_factor_only(client, staff)
    assert landed_on(client, client.post("/signin/code/", {"code": code})) == "/prize/overview/"

    again = Client()
    force_login_first_factor_only(again, staff)
    refused = again.post("/signin/code/", {"code": code})

    assert refused.status_code == 200
    assert "Koden stämmer inte" in refused.content.decode()
    assert again.get("/screening/").status_code == 302


def test_a_pending_verification_expires_after_five_minutes(client):
    staff = SecretariatFactory()
    device = totp_device(staff)
    force_login_first_factor_only(client, staff)

    with time_machine.travel(timedelta(minutes=5, seconds=1)):
        response = client.post("/signin/code/", {"code": code_for(device)}, follow=True)

    assert response.redirect_chain[-1][0] == "/signin/"
    assert "Tiden för att ange koden tog slut" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_codes_sign_the_session_out(client):
    staff = SecretariatFactory()
    totp_device(staff)
    force_login_first_factor_only(client, staff)

    for _ in range(4):
        assert client.post("/signin/code/", {"code": "000000"}).status_code == 200
    last = client.post("/signin/code/", {"code": "000000"}, follow=True)

    assert "För många felaktiga koder" in last.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_works_once(client):
    staff = SecretariatFactory()
    codes = two_factor.replace_recovery_codes(staff)
    force_login_first_factor_only(client, staff)

    response = client.post("/signin/code/", {"code": codes[0].upper()})
    assert landed_on(client, response) == "/prize/overview/"
    again = Client()
    force_login_first_factor_only(again, staff)
    assert again.post("/signin/code/", {"code": codes[0]}).status_code == 200
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_recovery_codes_are_not_kept_as_they_are_given():
    staff = SecretariatFactory()

    codes = two_factor.replace_recovery_codes(staff)

    stored = set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & set(codes)


def test_a_code_from_addstatictoken_opens_the_first_staff_account(client):
    from django.core.management import call_command

    staff = SecretariatFactory(email="forsta@example.org")
    call_command("addstatictoken", staff.email, "-t", "bootstrap1")
    force_login_first_factor_only(client, staff)

    assert client.get("/admin/")["Location"].startswith("/signin/code/")
    response = client.post("/signin/code/", {"code": "bootstrap1"})
    assert landed_on(client, response) == "/prize/overview/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_racers_with_one_recovery_code_do_not_both_pass():
    staff = SecretariatFactory()
    [code] = two_factor.replace_recovery_codes(staff, ["racecode"])

    results, errors = race(lambda: two_factor.consume_recovery_code(staff, code) is not None)

    assert errors == []
    assert sorted(results) == [False, True]


# --- Enrolling -------------------------------------------------------------------------------


def test_staff_without_a_device_is_sent_to_enrol_and_then_gets_in(client):
    staff = SecretariatFactory()
    force_login_first_factor_only(client, staff)

    sent = client.get("/screening/")
    assert sent["Location"] == "/signin/two-factor/?next=%2Fscreening%2F"
    page = client.get(sent["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert two_factor.secret_as_text(device) in page
    assert "otpauth://totp/" in page

    done = client.post("/signin/two-factor/", {"code": code_for(device), "next": "/screening/"})

    html = done.content.decode()
    assert "Spara de här reservkoderna" in html
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", html)
    assert len(codes) == 10
    assert {two_factor.stored_form(code) for code in codes} == set(
        StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)
    )
    assert client.get("/screening/").status_code == 200


def test_a_wrong_code_does_not_confirm_a_new_device(client):
    staff = SecretariatFactory()
    force_login_first_factor_only(client, staff)
    client.get("/signin/two-factor/")
    device = TOTPDevice.objects.get(user=staff)

    response = client.post("/signin/two-factor/", {"code": code_for(device, offset=5)})

    assert response.status_code == 200
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/screening/")["Location"].startswith("/signin/two-factor/")


def test_someone_with_a_device_cannot_enrol_another_before_giving_a_code(client):
    staff = SecretariatFactory()
    totp_device(staff)
    force_login_first_factor_only(client, staff)

    response = client.get("/signin/two-factor/")

    assert response["Location"].startswith("/signin/code/")
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_any_juror_is_offered_the_setup_page(client):
    member = JurorFactory().user
    force_login_first_factor_only(client, member)

    page = client.get("/signin/two-factor/").content.decode()

    assert "Du kan skydda ditt konto" in page
    assert (
        'href="/signin/two-factor/">Tvåstegsinloggning</a>' in client.get("/jury/").content.decode()
    )
    assert TOTPDevice.objects.filter(user=member, confirmed=False).count() == 1


def test_a_nominator_is_never_asked_for_a_second_factor(client):
    nominator = UserFactory()
    force_login_first_factor_only(client, nominator)

    assert client.get("/nominations/").status_code == 200


@pytest.mark.parametrize("revoke", ["delete", "unconfirm"])
def test_a_revoked_device_ends_the_verified_state_at_the_next_request(client, revoke):
    """The session names its device; each request finds it again (django-otp's middleware):
    nothing of the device is trusted from the session alone."""
    staff = SecretariatFactory()
    force_login_first_factor_only(client, staff)
    mark_second_factor_given(client, staff)
    assert client.get("/screening/").status_code == 200

    device = TOTPDevice.objects.get(user=staff)
    if revoke == "delete":
        device.delete()
    else:
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=False)
    response = client.get("/screening/")

    assert response.status_code == 302
    assert response["Location"].startswith(("/signin/two-factor/", "/signin/code/"))


def test_a_nominator_made_chair_gives_the_second_factor_at_the_next_request(client):
    """Whether someone needs a second factor is asked on every request, not remembered in
    the session: a jury's chair appointed while signed in is stopped at once."""
    user = UserFactory()
    force_login_first_factor_only(client, user)
    assert client.get("/nominations/").status_code == 200

    ChairFactory(user=user)
    response = client.get("/nominations/")

    assert response.status_code == 302
    assert response["Location"].startswith("/signin/two-factor/")


@pytest.mark.django_db(transaction=True)
def test_two_racers_with_one_totp_code_do_not_both_pass(monkeypatch):
    staff = SecretariatFactory()
    device = totp_device(staff)
    code = code_for(device)
    arrivals = []
    both_here = threading.Event()
    verify_token = TOTPDevice.verify_token

    def verify_token_once_both_have_read_the_device(self, token):
        # Unlocked, both racers would have read the old last_t by now. Locked, the second
        # cannot get here before the first is done: the first waits a second for nothing.
        arrivals.append(self.pk)
        if len(arrivals) == 2:
            both_here.set()
        both_here.wait(timeout=1)
        return verify_token(self, token)

    monkeypatch.setattr(TOTPDevice, "verify_token", verify_token_once_both_have_read_the_device)

    results, errors = race(lambda: two_factor.verify_code(staff, code) is not None)

    assert errors == []
    assert sorted(results) == [False, True]


def test_after_a_wrong_code_the_next_right_one_waits_a_moment_and_says_so(client):
    staff = SecretariatFactory()
    device = totp_device(staff)
    force_login_first_factor_only(client, staff)
    client.post("/signin/code/", {"code": "000000"})

    too_soon = client.post("/signin/code/", {"code": code_for(device)})

    assert "vänta några sekunder" in too_soon.content.decode()
    with time_machine.travel(timedelta(seconds=2)):
        assert client.post("/signin/code/", {"code": code_for(device)}).status_code == 302
