"""The nominator's and the juror's journeys with the keyboard alone (WCAG 2.1.1, 2.4.3, 2.4.7).

No click, no fill: Tab moves to each control (in the page's own order), Space and the arrow
keys choose, typing types, Enter sends. Each control reached must show a focus outline. Going
to a URL stands for following the link in an e-mail.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jury.models import Assignment, Ballot, ConflictDeclaration, Score
from jury.services import vote
from nominations.models import Nomination
from tests.factories import (
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    eligible_nominees,
    valid_organisation_number,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.7\n%%EOF\n"
MOTIVATION = "Teamet möter den som utsatts för våld samma dag, tillsammans med polisen."
REASON = "Jag sitter i styrelsen för Betagruppen."


def focus_outline(page) -> tuple[str, float]:
    return tuple(
        page.evaluate(
            """() => {
                const style = getComputedStyle(document.activeElement);
                return [style.outlineStyle, parseFloat(style.outlineWidth) || 0];
            }"""
        )
    )


def tab_to(page, target, limit: int = 250) -> None:
    """Press Tab until `target` has the focus; it must then show a visible outline."""
    element = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", element):
            style, width = focus_outline(page)
            assert style != "none", f"{target} has the focus but no outline"
            assert width >= 2, f"{target} has the focus but a thin outline ({width}px)"
            return
    pytest.fail(f"{target} cannot be reached with Tab")


def type_into(page, target, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def press_on(page, target, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def choose_radio(page, group, target) -> None:
    """Tab into a group of radio buttons, then move with the arrow key to `target`."""
    tab_to(page, group.get_by_role("radio").first)
    for _ in range(group.get_by_role("radio").count()):
        if target.is_checked():
            return
        page.keyboard.press("ArrowDown")
    expect(target).to_be_checked()


@pytest.mark.integration
def test_nominator_signs_in_fills_in_attaches_and_submits_with_the_keyboard(
    live_server, page, mail_sink, site_url, celery_worker, axe_check
):
    edition = EditionFactory()
    email = "tangentbord@example.org"

    page.goto(site_url + "/call/")
    press_on(page, page.get_by_role("link", name="Logga in för att nominera"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    type_into(page, page.get_by_label("Din e-postadress"), email)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")

    text = mail_sink.wait_for(to=email).get_body(preferencelist=("plain",)).get_content()
    page.goto(re.search(re.escape(site_url) + r"/signin/[\w-]+/", text).group(0))
    press_on(page, page.get_by_role("button", name="Logga in", exact=True))
    expect(page).to_have_url(site_url + "/call/")

    press_on(page, page.get_by_role("button", name="Påbörja en nominering"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Din nominering (utkast)")
    nomination = Nomination.objects.get(nominator__email=email)

    type_into(page, page.get_by_label("Namn på den nominerade organisationen"), "Stödcentrum Nacka")
    kinds = page.get_by_role("radiogroup").or_(page.locator("#div_id_nominee_kind")).first
    choose_radio(page, kinds, page.get_by_role("radio", name="Kommun eller kommunal verksamhet"))
    press_on(page, page.get_by_role("checkbox", name="Nacka", exact=True), "Space")
    press_on(page, page.get_by_role("checkbox", name="Våld i nära relationer", exact=True), "Space")
    type_into(page, page.get_by_label("Skäl till nomineringen"), MOTIVATION)

    # The file input opens the system's file chooser from the keyboard, as a click would.
    with page.expect_file_chooser() as chooser:
        press_on(page, page.get_by_label("Lägg till bilagor"), "Space")
    chooser.value.set_files({"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": PDF})

    type_into(page, page.get_by_label("Nominerande organisation"), "Föreningen Tryggare Hem")
    type_into(
        page,
        page.get_by_role("textbox", name=re.compile(r"^Organisationsnummer")),
        valid_organisation_number(4712),
    )
    type_into(page, page.get_by_label("Kontaktperson"), "Kim Kontakt")
    type_into(page, page.get_by_label("E-post *", exact=True), email)
    press_on(page, page.get_by_role("checkbox", name="Jag samtycker"), "Space")
    press_on(page, page.get_by_role("button", name="Skicka in nomineringen"))

    reference = f"KFP-{edition.year}-0001"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Nominering {reference}")
    axe_check("nominator: receipt after a keyboard-only journey (sv)")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.SUBMITTED
    assert nomination.nominee_name == "Stödcentrum Nacka"
    assert nomination.nominee_kind == "municipality"
    assert nomination.motivation == MOTIVATION
    assert list(nomination.municipalities.values_list("name", flat=True)) == ["Nacka"]
    assert list(nomination.attachments.values_list("original_name", flat=True)) == ["rapport.pdf"]


def test_juror_declares_scores_submits_and_ranks_with_the_keyboard(
    live_server, page, sign_in, axe_check
):
    now = timezone.now()
    edition = EditionFactory(
        scoring=True,
        scoring_deadline=now + timedelta(days=20),
    )
    criterion = CriterionFactory(edition=edition, name="Samverkan", name_en="Collaboration")
    alfa, beta = eligible_nominees(edition, "Alfateamet", "Betagruppen")
    chair = ChairFactory(edition=edition)
    member = JurorFactory(edition=edition, user__first_name="Maja", user__last_name="Medlem")
    for juror in (chair, member):
        Assignment.objects.bulk_create(Assignment(juror=juror, nominee=n) for n in (alfa, beta))
    sign_in(member.user)
    site = f"{live_server.url}/jury/{edition.year}"

    # Conflicts: one declared, with its reason.
    page.goto(f"{site}/conflicts/")
    beta_box = page.locator(f'fieldset[data-nominee="{beta.pk}"]')
    press_on(page, beta_box.get_by_role("checkbox"), "Space")
    type_into(page, beta_box.get_by_role("textbox"), REASON)
    press_on(page, page.get_by_role("button", name="Spara mina jävsanmälningar"))
    expect(page.get_by_role("status")).to_contain_text("Tack! Dina jävsanmälningar är sparade.")
    assert ConflictDeclaration.objects.get(juror=member, nominee=beta).reason == REASON

    # Scoring the other nominee, then submitting.
    page.goto(f"{site}/nominees/")
    press_on(page, page.get_by_role("link", name="Alfateamet", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alfateamet")
    group = page.locator(f'[data-criterion="{criterion.pk}"]')
    choose_radio(page, group, group.get_by_role("radio", name=re.compile(r"^4 – ")))
    press_on(page, page.get_by_role("button", name="Spara och gå tillbaka till listan"))
    expect(page).to_have_url(f"{site}/nominees/")
    press_on(page, page.get_by_role("button", name="Lämna in min bedömning"))
    expect(page.get_by_role("status").filter(has_text="Din bedömning är inlämnad")).to_be_visible()
    assert list(Score.objects.filter(juror=member).values_list("nominee__name", "value")) == [
        ("Alfateamet", 4)
    ]

    # The ballot, on the shortlist the chair has set.
    vote.set_shortlist(edition=edition, nominees=[alfa, beta], by=chair.user)
    page.goto(f"{site}/ballot/")
    rank = page.get_by_label("Alfateamet")
    tab_to(page, rank)
    page.keyboard.press("ArrowDown")
    expect(rank).to_have_value("1")
    press_on(page, page.get_by_role("button", name="Lämna min röst"))
    expect(page.get_by_role("status")).to_contain_text("Din röst är lämnad.")
    axe_check("juror: ballot cast after a keyboard-only journey (sv)")
    assert Ballot.objects.get(juror=member).ranking == [[alfa.pk]]
