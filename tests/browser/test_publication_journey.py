"""The year's end through the real stack: Chromium, the live server, a Celery worker, an SMTP
sink. The chair writes the citation from the jurors' comments, the chair and the
secretariat approve it, the secretariat publishes now, and the worker publishes the winner's
page, which reads like the 2023 announcement, and mails the winner's nominators.
"""

import pytest
from playwright.sync_api import expect

from tests.helpers import wait_for
from tests.publication.conftest import WINNER, make_decided_edition

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

LEAD = "Stödcentrumet får priset för ett långsiktigt arbete med de utsatta i centrum."


def test_from_the_decision_to_the_published_winner(
    live_server, page, sign_in, celery_worker, mail_sink
):
    decided = make_decided_edition(year=2047)
    year = decided.edition.year

    # The chair: from the decision to the editor, starting from the jurors' comments.
    sign_in(decided.chair)
    page.goto(f"{live_server.url}/jury/{year}/decision/")
    page.get_by_role("link", name="Skriv offentliggörandet").click()
    page.get_by_role("link", name="Börja motiveringen från jurymedlemmarnas kommentarer").click()
    citation = page.get_by_label("Motivering", exact=True)
    expect(citation).to_have_value(
        "**Långsiktighet:** Fem års uthålligt arbete.\n\n**Samverkan:** Samverkar brett."
    )
    citation.fill(
        "Stödcentrumet har under **fem år** arbetat uthålligt och samverkar brett. "
        "Vi vill med detta pris uppmärksamma ett arbete med den utsatta i fokus."
    )
    # The server's rendering, as it will be published, replaces the comments' draft.
    expect(page.locator("#citation-preview")).to_contain_text("den utsatta i fokus")
    expect(page.locator("#citation-preview strong")).to_have_text("fem år")
    page.get_by_label("Ingress", exact=True).fill(LEAD)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Offentliggörandet är sparat.")).to_be_visible()
    page.get_by_role("button", name="Godkänn som juryns ordförande").click()
    expect(page.locator(".approval-chair")).to_contain_text("Cecilia Ordförande")

    # The secretariat: from the year's overview to its approval, then publish now.
    sign_in(decided.secretariat)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Året").click()
    page.get_by_role("link", name="Offentliggörandet").click()
    page.get_by_role("button", name="Godkänn för kansliet").click()
    expect(page.locator(".announcement-state")).to_contain_text("Godkänt och schemalagt")
    page.get_by_role("button", name="Publicera nu").click()
    # The POST's redirect lands before the page is reloaded: a reload during the navigation
    # would find no page to reload.
    expect(page.get_by_text("Offentliggörandet publiceras.")).to_be_visible()

    def published():
        page.reload()
        return "Publicerat" in page.locator(".announcement-state").inner_text()

    wait_for(published, timeout=30)
    page.get_by_role("link", name="Den publicerade sidan").click()

    expect(page.locator("h1")).to_have_text(f"Årets Kvinnofridspris till {WINNER}")
    expect(page.locator("p.lead")).to_have_text(LEAD)
    expect(
        page.get_by_role(
            "heading", name=f"Motiveringen i sin helhet till vinsten av Kvinnofridspriset {year}"
        )
    ).to_be_visible()
    expect(page.locator(".citation blockquote")).to_contain_text("den utsatta i fokus")
    expect(page.locator(".honourable-mentions")).to_contain_text(decided.runner_up.name)
    expect(
        page.get_by_role("heading", name="Operation Kvinnofrid och Kvinnofridspriset")
    ).to_be_visible()
    expect(page.locator(".about-operation-kvinnofrid")).to_contain_text("Åklagarmyndigheten")

    congratulations = mail_sink.wait_for(
        to=decided.winner_nominators[0].email, subject_contains="har vunnit"
    )
    text = congratulations.get_body(preferencelist=("plain",)).get_content()
    assert LEAD in text
    assert f"{live_server.url}/prize/{year}/" in text
    english = mail_sink.wait_for(to=decided.winner_nominators[1].email, subject_contains="has won")
    assert f"/en/prize/{year}/" in english.get_body(preferencelist=("plain",)).get_content()
