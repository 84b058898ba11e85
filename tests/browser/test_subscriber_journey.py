"""A subscriber's journey through the real stack: Chromium, the live server, a Celery worker
and an SMTP sink. Subscribe, confirm from the real mail, receive the winner's news, leave
with one click as a mail client does (RFC 8058), or by the link in the body."""

import re
import urllib.request

import pytest
from playwright.sync_api import expect

from subscriptions.models import Subscriber
from subscriptions.services import queue_news
from tests.factories import EditionFactory, SubscriberFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def text_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_body(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def _one_link(message, pattern: str) -> str:
    links = re.findall(pattern, text_body(message))
    assert len(links) == 1, f"Expected one link like {pattern} in:\n{text_body(message)}"
    assert links[0] in html_body(message)
    return links[0]


def test_subscribe_confirm_receive_the_winner_and_unsubscribe_with_one_click(
    live_server, page, mail_sink, site_url, celery_worker, axe_check
):
    email = "prenumerant@example.org"
    edition = EditionFactory()
    second = SubscriberFactory(email="andra@example.org")

    # Subscribe from the footer.
    page.goto(site_url + "/")
    page.get_by_role("contentinfo").get_by_role("link", name="Nyheter om priset med e-post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nyheter om priset")
    page.get_by_label("Din e-postadress").fill(email)
    page.get_by_role("button", name="Prenumerera").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din inkorg")
    axe_check("subscriber: confirmation sent (sv)")
    assert Subscriber.objects.get(email=email).confirmed_at is None

    # Confirm from the real mail: opening the link asks, the button confirms.
    confirmation = mail_sink.wait_for(to=email, subject_contains="Bekräfta")
    link = _one_link(confirmation, re.escape(site_url) + r"/subscribe/confirm/[^/\s]+/")
    page.goto(link)
    axe_check("subscriber: confirm the subscription? (sv)")
    assert Subscriber.objects.get(email=email).confirmed_at is None
    page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_role("status")).to_contain_text("Din prenumeration är bekräftad.")
    axe_check("subscriber: subscription confirmed (sv)")
    subscriber = Subscriber.objects.get(email=email)
    assert subscriber.confirmed_at is not None

    # Publication announces the winner: every confirmed subscriber gets the news.
    queue_news(
        kind="winner",
        edition_id=edition.pk,
        template="news_winner",
        context={
            "year": edition.year,
            "winner_name": "Relationsvåldsteamet Solna",
            "lead": "Ett team som möter den utsatta samma dag.",
            "url": f"{site_url}/prize/{edition.year}/",
        },
    )
    subject = f"Relationsvåldsteamet Solna får Kvinnofridspriset {edition.year}"
    news = mail_sink.wait_for(to=email, subject_contains="Relationsvåldsteamet Solna")
    assert news["subject"] == subject
    assert "Ett team som möter den utsatta samma dag." in text_body(news)
    assert f"{site_url}/prize/{edition.year}/" in text_body(news)
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = news["List-Unsubscribe"]
    assert re.fullmatch(r"<" + re.escape(site_url) + r"/unsubscribe/[^/\s]+/>", header), header
    unsubscribe_url = header[1:-1]
    assert unsubscribe_url in text_body(news)
    assert unsubscribe_url in html_body(news)

    # The mail client's one-click unsubscribe: a POST with the RFC 8058 body, nothing else.
    request = urllib.request.Request(  # noqa: S310 (the live server's own URL)
        unsubscribe_url,
        data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 200
        assert "Din prenumeration är avslutad." in response.read().decode()
    assert not Subscriber.objects.filter(email=email).exists()

    # The second subscriber follows the link in the body and presses the button.
    second_news = mail_sink.wait_for(to=second.email, subject_contains="Relationsvåldsteamet")
    assert second_news["subject"] == subject
    body_link = _one_link(second_news, re.escape(site_url) + r"/unsubscribe/[^/\s]+/")
    assert second_news["List-Unsubscribe"] == f"<{body_link}>"
    page.goto(body_link)
    expect(
        page.get_by_text("Tryck på knappen för att sluta få nyheter om Kvinnofridspriset.")
    ).to_be_visible()
    axe_check("subscriber: unsubscribe? (sv)")
    assert Subscriber.objects.filter(pk=second.pk).exists()
    page.get_by_role("main").get_by_role("button", name="Avsluta prenumerationen").click()
    expect(page.get_by_role("status")).to_contain_text("Din adress är raderad")
    axe_check("subscriber: unsubscribed (sv)")
    assert not Subscriber.objects.exists()
