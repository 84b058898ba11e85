import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_home_and_2023_winner_then_switches_to_english(live_server, page, axe_check):
    page.goto(live_server.url + "/")

    expect(page.locator("h1")).to_have_text("Kvinnofridspriset")
    expect(page.get_by_role("heading", name="Vem kan nomineras")).to_be_visible()

    page.get_by_role("link", name="Läs mer om vinnaren 2023").click()
    expect(page.locator("h1")).to_have_text(
        "Årets Kvinnofridspris till BIN-sektionen i polisområde Stockholm syd"
    )
    expect(page.locator(".citation blockquote")).to_contain_text(
        "Vi vill med detta pris uppmärksamma en engagerad samverkan."
    )
    expect(page.locator(".citation-translation")).to_have_count(0)
    axe_check("visitor: the 2023 winner, from the home page (sv)")

    page.get_by_role("link", name="English").click()

    expect(page).to_have_url(live_server.url + "/en/prize/2023/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".citation blockquote")).to_contain_text("engagerad samverkan")
    expect(page.locator(".citation-translation")).to_contain_text(
        "English translation (unofficial)"
    )
    expect(page.locator(".citation-translation blockquote")).to_have_attribute("lang", "en")
    axe_check("visitor: the 2023 winner with its translation (en)")

    page.get_by_role("link", name="Svenska").click()
    expect(page).to_have_url(live_server.url + "/prize/2023/")


def test_keyboard_user_can_skip_to_main_content(live_server, page):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main")
