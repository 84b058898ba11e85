import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.factories import SecretariatFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_reach_the_admin_and_screening_only_with_their_second_factor(live_server, page):
    staff = SecretariatFactory(email="kansliet@example.org")
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)

    page.goto(live_server.url + "/admin/")
    page.locator("#id_username").fill(staff.email)
    page.locator("#id_password").fill("a-long-test-password")
    page.locator("input[type=submit]").click()

    # The password was right; the admin still waits for the code.
    expect(page).to_have_url(re.compile(r"/signin/code/\?next=%2Fadmin%2F$"))
    expect(page.locator("h1")).to_have_text("Din kod")
    page.goto(live_server.url + "/screening/")
    expect(page).to_have_url(re.compile(r"/signin/code/\?next=%2Fscreening%2F$"))

    page.get_by_label("Kod").fill("123")
    page.get_by_role("button", name="Fortsätt").click()
    expect(page.locator(".invalid-feedback, .text-danger").first).to_contain_text(
        "Koden stämmer inte"
    )

    # django-otp throttles the device after a wrong code: one second after the first.
    page.wait_for_timeout(1100)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.get_by_label("Kod").fill(f"{code:06d}")
    page.get_by_role("button", name="Fortsätt").click()

    expect(page).to_have_url(live_server.url + "/screening/")
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.locator("#site-name")).to_contain_text("Kvinnofridspriset – administration")
