"""A session that ends while a nomination is being written loses nothing (WCAG 2.2.1), and the
page warns before the end with a way to stay signed in."""

import re

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from nominations.models import Nomination
from tests.factories import EditionFactory, NominationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"^Utkast sparat kl\. \d\d:\d\d\.$")
MOTIVATION = "Teamet möter den som utsatts för våld samma dag, tillsammans med polisen."
LONG_TERM = "Arbetet har pågått sedan 2015 och finansieras nu av kommunen."


def test_session_ends_while_typing_and_nothing_typed_is_lost(live_server, page, sign_in, axe_check):
    user = sign_in(UserFactory())
    nomination = NominationFactory(
        edition=EditionFactory(), nominator=user, motivation="", long_term_work=""
    )
    page.goto(f"{live_server.url}/nominations/{nomination.pk}/edit/")
    page.get_by_label("Namn på den nominerade organisationen").fill("Stödcentrum Nacka")
    expect(page.locator("#autosave-status")).to_have_text(SAVED, timeout=10_000)

    # The session ends on the server (it timed out, or was signed out elsewhere).
    Session.objects.all().delete()
    page.get_by_label("Skäl till nomineringen").fill(MOTIVATION)

    # Autosave finds the session gone: the page says so where it can be seen, and offers a
    # sign-in in another tab.
    expect(page.locator("#autosave-status")).to_have_text(
        "Du har loggats ut, så utkastet sparas inte. Skriv vidare: det du skriver stannar här "
        "och sparas så snart du loggar in igen i en annan flik.",
        timeout=10_000,
    )
    warning = page.locator("#session-warning")
    expect(warning).to_be_visible()
    expect(
        warning.get_by_role("link", name="Logga in igen (öppnas i en ny flik)")
    ).to_have_attribute("target", "_blank")
    axe_check("nominator: form, the session has ended (sv)")

    # Keep typing; "Spara utkast" would lead to the sign-in page and lose it: it waits.
    page.get_by_label("Långsiktigt arbete").fill(LONG_TERM)
    page.get_by_role("button", name="Spara utkast").click()
    expect(page).to_have_url(f"{live_server.url}/nominations/{nomination.pk}/edit/")
    expect(page.get_by_label("Skäl till nomineringen")).to_have_value(MOTIVATION)
    nomination.refresh_from_db()
    assert nomination.motivation == ""

    # Signing in again in another tab: this page notices, and saves what was typed.
    other_tab = page.context.new_page()
    sign_in(user)
    other_tab.goto(f"{live_server.url}/nominations/")
    expect(page.locator("#autosave-status")).to_have_text(SAVED, timeout=15_000)
    nomination.refresh_from_db()
    assert nomination.nominee_name == "Stödcentrum Nacka"
    assert nomination.motivation == MOTIVATION
    assert nomination.long_term_work == LONG_TERM
    assert nomination.status == Nomination.Status.DRAFT

    # And the form works normally again: the button saves, with the new CSRF token.
    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_role("status").filter(has_text="Dina ändringar är sparade.")).to_be_visible()


def test_warning_before_the_session_ends_and_staying_signed_in(
    live_server, page, sign_in, settings, axe_check
):
    # A session of 70 seconds, warned a minute before its end: the warning comes at once.
    settings.SESSION_COOKIE_AGE = 70
    settings.SESSION_WARNING_MINUTES = 1
    user = sign_in(UserFactory())
    page.goto(f"{live_server.url}/en/nominations/")
    warning = page.locator("#session-warning")
    expect(warning).to_be_visible(timeout=15_000)
    expect(warning).to_have_attribute("role", "alert")
    expect(warning.locator(".session-warning-text")).to_have_text(
        re.compile(r"^You will be signed out in 1 min because nothing has happened for a while\.")
    )
    axe_check("nominator: the warning before the session ends (en)")
    before = Session.objects.get().expire_date

    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning.locator(".session-warning-text")).to_have_text("You are still signed in.")
    session = Session.objects.get()
    assert session.expire_date > before
    assert session.get_decoded()["_auth_user_id"] == str(user.pk)
