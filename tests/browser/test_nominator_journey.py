"""A nominator's journeys through the real stack: Chromium, the live server, a Celery worker
and an SMTP sink. E-mail takes the production path: outbox row → task → SMTP."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from stdnum import luhn

from nominations.models import Area, Edition, Municipality, Nomination
from outbox.models import OutboxMessage
from tests.factories import (
    EditionFactory,
    NominationFactory,
    UserFactory,
    valid_organisation_number,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n%%EOF\n"

MOTIVATION = (
    "Teamet har i tio år byggt upp ett stöd där socialtjänst, polis och hälso- och sjukvård "
    "möts varje vecka, så att den som utsätts för våld får hjälp samma dag."
)


# A draft with nothing written in it: each of these fields empty.
NOTHING_WRITTEN = dict.fromkeys(
    (
        "nominee_name",
        "nominee_kind",
        "motivation",
        "long_term_work",
        "collaboration",
        "results",
        "nominator_organisation_name",
        "nominator_organisation_number",
        "contact_name",
        "contact_phone",
    ),
    "",
)


def signed_in_draft(sign_in, edition, **fields):
    """A draft of the edition's, its nominator signed in to the browser."""
    return NominationFactory(edition=edition, nominator=sign_in(UserFactory()), **fields)


@pytest.fixture
def edition():
    # Later than every other edition, so it is the current one; open for nominations now.
    return EditionFactory()


def text_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_body(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def _sign_in_link(message, site_url: str) -> str:
    links = re.findall(re.escape(site_url) + r"/signin/[\w-]+/", text_body(message))
    assert len(links) == 1, f"Expected one sign-in link in:\n{text_body(message)}"
    assert links[0] in html_body(message)
    return links[0]


def test_nominator_signs_in_saves_a_draft_returns_and_submits_it(
    live_server, page, edition, mail_sink, site_url, celery_worker, axe_check
):
    email = "nominator@example.org"

    # The call, and signing in by a one-time link that comes by e-mail.
    page.goto(site_url + "/")
    axe_check("home (sv)")
    page.get_by_role("navigation").get_by_role("link", name="Nominera", exact=True).click()
    expect(page).to_have_url(site_url + "/call/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbjudan att nominera")
    axe_check("call (sv)")
    page.get_by_role("link", name="Logga in för att nominera").click()
    axe_check("sign-in form (sv)")
    page.get_by_label("Din e-postadress").fill(email)
    page.get_by_role("button", name="Skicka en inloggningslänk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")
    axe_check("sign-in link sent (sv)")

    link = _sign_in_link(mail_sink.wait_for(to=email), site_url)
    page.goto(link)
    expect(
        page.get_by_text("Tryck på knappen för att logga in på Kvinnofridspriset.")
    ).to_be_visible()
    axe_check("sign-in confirmation (sv)")
    page.get_by_role("button", name="Logga in", exact=True).click()
    expect(page).to_have_url(site_url + "/call/")
    expect(page.get_by_role("status")).to_contain_text("Du är inloggad.")

    # Start a nomination and fill in part of it.
    page.get_by_role("button", name="Påbörja en nominering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Din nominering (utkast)")
    nomination = Nomination.objects.get(nominator__email=email)
    expect(page).to_have_url(f"{site_url}/nominations/{nomination.pk}/edit/")
    axe_check("nomination form, empty draft (sv)")

    page.get_by_label("Namn på den nominerade organisationen").fill("Relationsvåldsteamet Solna")
    page.get_by_role("radio", name="Kommun eller kommunal verksamhet").check()
    page.get_by_role("checkbox", name="Solna", exact=True).check()
    page.get_by_role("checkbox", name="Våld i nära relationer", exact=True).check()
    page.get_by_label("Skäl till nomineringen").fill(MOTIVATION)

    # The counter follows the text; two seconds after the last keystroke the draft is saved.
    expect(page.locator("#id_motivation + .char-counter")).to_have_text(
        f"{len(MOTIVATION)} / 4000 tecken"
    )
    expect(page.locator("#autosave-status")).to_have_text(
        re.compile(r"^Utkast sparat kl\. \d\d:\d\d\.$"), timeout=10_000
    )
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.DRAFT
    assert nomination.nominee_name == "Relationsvåldsteamet Solna"
    axe_check("nomination form, autosaved (sv)")
    assert nomination.nominee_kind == "municipality"
    assert nomination.motivation == MOTIVATION
    assert list(nomination.municipalities.values_list("name", flat=True)) == ["Solna"]
    assert list(nomination.areas.values_list("slug", flat=True)) == ["vald-i-nara-relationer"]

    page.get_by_role("button", name="Spara utkast").click()
    expect(page.get_by_role("status").filter(has_text="Dina ändringar är sparade.")).to_be_visible()
    axe_check("nomination form, saved with a message (sv)")

    # Leave, come back through "Mina nomineringar" and find the draft.
    page.get_by_role("navigation").get_by_role("link", name="Priset", exact=True).click()
    expect(page).to_have_url(site_url + "/")
    page.get_by_role("navigation").get_by_role("link", name="Mina nomineringar").click()
    row = page.get_by_role("row").filter(has_text="Relationsvåldsteamet Solna")
    expect(row.get_by_role("cell").nth(3)).to_have_text("Utkast")
    axe_check("my nominations, one draft (sv)")
    row.get_by_role("link", name="Relationsvåldsteamet Solna").click()
    page.get_by_role("link", name="Fortsätt med utkastet").click()

    # What was saved is there; fill in the rest and submit.
    expect(page.get_by_label("Skäl till nomineringen")).to_have_value(MOTIVATION)
    expect(page.get_by_role("checkbox", name="Solna", exact=True)).to_be_checked()
    organisation_number = valid_organisation_number(4711)
    page.get_by_label("Nominerande organisation").fill("Föreningen Tryggare Hem")
    page.get_by_role("textbox", name=re.compile(r"^Organisationsnummer")).fill(organisation_number)
    page.get_by_label("Kontaktperson").fill("Kim Kontakt")
    page.get_by_label("E-post *", exact=True).fill(email)
    page.get_by_role("checkbox", name="Jag samtycker").check()
    page.get_by_role("button", name="Skicka in nomineringen").click()

    # The receipt page.
    reference = f"KFP-{edition.year}-0001"
    expect(page).to_have_url(f"{site_url}/nominations/{nomination.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Nominering {reference}")
    expect(page.locator(".receipt")).to_have_text(
        f"Vi har tagit emot din nominering. Dess referensnummer är {reference}. "
        "Ett kvitto har skickats till din e-postadress."
    )
    expect(page.locator(".nomination-status")).to_have_text("Inskickad")
    axe_check("nomination receipt (sv)")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED
    assert nomination.reference_number == reference
    assert nomination.nominator_organisation_number == organisation_number
    assert nomination.consent is True

    # The receipt e-mail, through the outbox, the worker and SMTP.
    receipt = mail_sink.wait_for(to=email, subject_contains=reference)
    assert (
        receipt["subject"]
        == f"Kvitto: din nominering {reference} till Kvinnofridspriset {edition.year}"
    )
    assert MOTIVATION in text_body(receipt)
    assert f"{site_url}/nominations/{nomination.pk}/" in text_body(receipt)
    assert MOTIVATION in html_body(receipt)
    assert OutboxMessage.objects.get(template="nomination_receipt").status == "sent"

    # And in "Mina nomineringar" it is submitted.
    page.get_by_role("navigation").get_by_role("link", name="Mina nomineringar").click()
    row = page.get_by_role("row").filter(has_text="Relationsvåldsteamet Solna")
    expect(row.get_by_role("cell").nth(2)).to_have_text(reference)
    expect(row.get_by_role("cell").nth(3)).to_have_text("Inskickad")
    axe_check("my nominations, one submitted (sv)")


def test_submission_after_the_deadline_is_refused_and_the_draft_kept(
    live_server, page, edition, sign_in, axe_check
):
    nomination = signed_in_draft(
        sign_in,
        edition,
        nominee_name="Mottagningen Haninge",
        municipalities=[Municipality.objects.get(name="Haninge")],
        areas=[Area.objects.get(slug="vald-i-nara-relationer")],
    )
    page.goto(f"{live_server.url}/nominations/{nomination.pk}/edit/")
    expect(page.get_by_label("Namn på den nominerade organisationen")).to_have_value(
        "Mottagningen Haninge"
    )

    # The deadline passes while the form is open.
    Edition.objects.filter(pk=edition.pk).update(
        nominations_close_at=timezone.now() - timedelta(minutes=1)
    )
    page.get_by_role("button", name="Skicka in nomineringen").click()

    expect(page).to_have_url(f"{live_server.url}/nominations/{nomination.pk}/")
    expect(
        page.get_by_text("Nomineringsperioden har stängt: nomineringen kan inte längre ändras.")
    ).to_be_visible()
    expect(page.locator(".nomination-status")).to_have_text("Utkast")
    expect(page.locator(".receipt")).to_have_count(0)
    axe_check("nomination detail, refused after the deadline (sv)")

    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.DRAFT
    assert nomination.reference_number is None
    assert nomination.submitted_at is None
    assert not OutboxMessage.objects.filter(template="nomination_receipt").exists()
    assert Edition.objects.get(pk=edition.pk).last_reference_sequence == 0

    # The nominator pressed "submit": the page must say plainly that nothing went in.
    expect(
        page.get_by_role("status"),
        "Application bug: a submission after the deadline gets the info message 'Den här "
        "nomineringen kan inte längre ändras.' (edit_nomination's early is_editable() check) "
        "instead of the error 'Nomineringsperioden stängde innan du skickade detta. Inget "
        "sparades.'",
    ).to_have_text("Nomineringsperioden stängde innan du skickade detta. Inget sparades.")


def test_invalid_submission_shows_errors_beside_the_fields_and_keeps_the_input(
    live_server, page, edition, sign_in, axe_check
):
    nomination = signed_in_draft(sign_in, edition, **NOTHING_WRITTEN, consent=False)
    digits = "802479001"
    wrong_check_digit = f"{digits[:6]}-{digits[6:]}{(int(luhn.calc_check_digit(digits)) + 1) % 10}"

    page.goto(f"{live_server.url}/nominations/{nomination.pk}/edit/")
    page.get_by_label("Namn på den nominerade organisationen").fill("Barnahus Södertörn")
    page.get_by_role("radio", name="Myndighet").check()
    page.get_by_role("checkbox", name="Huddinge", exact=True).check()
    page.get_by_role("checkbox", name="Hedersrelaterat våld och förtryck", exact=True).check()
    page.get_by_label("Skäl till nomineringen").fill(MOTIVATION)
    page.get_by_label("Nominerande organisation").fill("Föreningen Tryggare Hem")
    page.get_by_role("textbox", name=re.compile(r"^Organisationsnummer")).fill(wrong_check_digit)
    # The contact person is left empty.
    page.get_by_role("checkbox", name="Jag samtycker").check()
    page.get_by_label("Lägg till bilagor").set_input_files(
        {"name": "verksamhetsberattelse.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Skicka in nomineringen").click()

    # The error summary has the focus: a screen reader reads it at once. Each error is a link
    # to its field; the chosen file is kept with the draft, and the page says what was kept.
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Det finns problem med 2 svar")
    expect(summary.locator(".error-summary-intro")).to_have_text(
        "Rätta de markerade fälten nedan. Inget av det du skrivit har försvunnit."
    )
    expect(summary.get_by_role("link")).to_have_text(
        [
            re.compile(
                r"^Organisationsnummer.*: Organisationsnumret är inte giltigt: kontrollera den "
                r"sista siffran\.$"
            ),
            "Kontaktperson: Detta fält måste fyllas i.",
        ]
    )
    expect(page.get_by_role("link", name="verksamhetsberattelse.pdf")).to_be_visible()
    assert list(nomination.attachments.values_list("original_name", flat=True)) == [
        "verksamhetsberattelse.pdf"
    ]
    axe_check("nomination form, submission refused with two errors (sv)")
    summary.get_by_role("link", name="Kontaktperson: Detta fält måste fyllas i.").click()
    expect(page.get_by_label("Kontaktperson")).to_be_focused()
    organisation_number = page.get_by_role("textbox", name=re.compile(r"^Organisationsnummer"))
    expect(organisation_number).to_have_attribute("aria-invalid", "true")
    expect(organisation_number).to_have_accessible_description(
        "Organisationsnumret är inte giltigt: kontrollera den sista siffran."
    )
    expect(
        page.get_by_text(
            "Organisationsnumret är inte giltigt: kontrollera den sista siffran.", exact=True
        )
    ).to_be_visible()
    contact_name = page.get_by_label("Kontaktperson")
    expect(contact_name).to_have_attribute("aria-invalid", "true")
    expect(contact_name).to_have_accessible_description("Detta fält måste fyllas i.")
    expect(page.get_by_text("Detta fält måste fyllas i.", exact=True)).to_be_visible()
    expect(page.locator("[aria-invalid=true]")).to_have_count(2)

    # What was typed is still there.
    expect(organisation_number).to_have_value(wrong_check_digit)
    expect(contact_name).to_have_value("")
    expect(page.get_by_label("Namn på den nominerade organisationen")).to_have_value(
        "Barnahus Södertörn"
    )
    expect(page.get_by_role("radio", name="Myndighet")).to_be_checked()
    expect(page.get_by_role("checkbox", name="Huddinge", exact=True)).to_be_checked()
    expect(
        page.get_by_role("checkbox", name="Hedersrelaterat våld och förtryck", exact=True)
    ).to_be_checked()
    expect(page.get_by_label("Skäl till nomineringen")).to_have_value(MOTIVATION)
    expect(page.get_by_label("Nominerande organisation")).to_have_value("Föreningen Tryggare Hem")
    expect(page.get_by_role("checkbox", name="Jag samtycker")).to_be_checked()

    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.DRAFT
    assert nomination.reference_number is None
