"""News to every confirmed subscriber: batched fan-out, headers, beat's call and deadline news."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from outbox import services as outbox_services
from outbox.models import OutboxMessage
from outbox.tasks import send_message
from subscriptions import services, tokens
from subscriptions.models import News, Subscriber
from subscriptions.tasks import announce_calls, fan_out_news
from tests.factories import EditionFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
WINNER = {
    "year": 2041,
    "winner_name": "Relationsvåldsteamet Solna",
    "lead": "Ett team som möter den utsatta samma dag.",
    "url": "http://127.0.0.1:8000/prize/2041/",
}


@pytest.fixture
def run_tasks(monkeypatch, django_capture_on_commit_callbacks):
    """Run the fan-out's tasks inline, as a worker would; record the e-mails it queues."""
    sent = []
    monkeypatch.setattr(fan_out_news, "delay", lambda **kw: fan_out_news.apply(kwargs=kw))
    monkeypatch.setattr(send_message, "delay", lambda **kw: sent.append(kw["message_id"]))

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            function(**kwargs)
        return sent

    return run


def queue_winner_news(run_tasks, edition, context=WINNER) -> list[int]:
    """Queue the news of the edition's winner and run its tasks: the messages handed on."""
    return run_tasks(
        services.queue_news,
        kind="winner",
        edition_id=edition.pk,
        template="news_winner",
        context=context,
    )


def news_rows():
    return OutboxMessage.objects.filter(template__startswith="news_").order_by("pk")


def test_winner_news_reaches_every_confirmed_subscriber_in_batches(run_tasks, settings):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 2
    edition = EditionFactory()
    subscribers = SubscriberFactory.create_batch(5)
    SubscriberFactory(email="pending@example.org", confirmed_at=None)
    batches = []
    original = services.fan_out_batch

    def counting(**kwargs):
        batches.append(kwargs["after_pk"])
        return original(**kwargs)

    services.fan_out_batch = counting
    try:
        sent = queue_winner_news(run_tasks, edition)
    finally:
        services.fan_out_batch = original

    rows = list(news_rows())
    assert [row.recipient for row in rows] == [s.email for s in subscribers]
    assert [row.idempotency_key for row in rows] == [
        f"news:winner:{edition.pk}:{s.pk}" for s in subscribers
    ]
    assert sent == [row.pk for row in rows]
    # Three batches of at most two: after 0, after the 2nd, after the 4th subscriber.
    assert batches == [0, subscribers[1].pk, subscribers[3].pk]
    assert "pending@example.org" not in {row.recipient for row in rows}


def test_queueing_the_same_news_twice_sends_once(run_tasks, settings):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 2
    edition = EditionFactory()
    SubscriberFactory.create_batch(5)
    for _ in range(2):
        queue_winner_news(run_tasks, edition)
    assert news_rows().count() == 5
    assert News.objects.count() == 1


def test_a_fan_out_task_run_twice_sends_once(run_tasks, settings):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 2
    edition = EditionFactory()
    SubscriberFactory.create_batch(5)
    queue_winner_news(run_tasks, edition)
    news = News.objects.get()
    # A redelivered task: the whole chain again, from the first batch.
    run_tasks(fan_out_news, news_id=news.pk, after_pk=0)
    assert news_rows().count() == 5


def test_fan_out_of_news_that_is_gone_does_nothing():
    assert fan_out_news.apply(kwargs={"news_id": 999_999}).get() == 0
    assert not OutboxMessage.objects.exists()


def test_news_is_written_in_each_subscribers_language(run_tasks):
    edition = EditionFactory()
    swedish = SubscriberFactory(language="sv")
    english = SubscriberFactory(language="en")
    queue_winner_news(run_tasks, edition)
    by_recipient = {row.recipient: row for row in news_rows()}
    assert by_recipient[swedish.email].language == "sv"
    assert by_recipient[english.email].language == "en"
    assert by_recipient[swedish.email].context["unsubscribe_url"] == (
        f"http://127.0.0.1:8000/unsubscribe/{tokens.unsubscribe_token(swedish.pk)}/"
    )
    assert by_recipient[english.email].context["unsubscribe_url"] == (
        f"http://127.0.0.1:8000/en/unsubscribe/{tokens.unsubscribe_token(english.pk)}/"
    )
    # The winner's page, in the reader's language.
    assert by_recipient[swedish.email].context["url"] == "http://127.0.0.1:8000/prize/2041/"
    assert by_recipient[english.email].context["url"] == "http://127.0.0.1:8000/en/prize/2041/"


def test_a_url_elsewhere_is_left_as_it_is(run_tasks):
    edition = EditionFactory()
    SubscriberFactory(language="en")
    queue_winner_news(run_tasks, edition, {**WINNER, "url": "https://example.com/prize/2041/"})
    assert news_rows().get().context["url"] == "https://example.com/prize/2041/"


def test_a_delivered_news_mail_has_both_headers_and_the_link_in_both_bodies(run_tasks):
    edition = EditionFactory()
    subscriber = SubscriberFactory()
    sent = queue_winner_news(run_tasks, edition)

    outbox_services.deliver(sent[0])

    (message,) = mail.outbox
    unsubscribe_url = (
        f"http://127.0.0.1:8000/unsubscribe/{tokens.unsubscribe_token(subscriber.pk)}/"
    )
    raw = message.message()
    assert raw["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert raw["Message-ID"].startswith("<outbox-")
    assert message.subject == "Relationsvåldsteamet Solna får Kvinnofridspriset 2041"
    assert "Kvinnofridspriset 2041 går till Relationsvåldsteamet Solna." in message.body
    assert WINNER["lead"] in message.body
    assert WINNER["url"] in message.body
    assert unsubscribe_url in message.body
    html = message.alternatives[0].content
    assert f'<a href="{unsubscribe_url}">Avsluta prenumerationen</a>' in html
    assert f'<a href="{WINNER["url"]}">Läs juryns motivering</a>' in html


def test_other_mail_gets_no_list_headers():
    outbox_services.enqueue_email(
        recipient="kim@example.org",
        template="sign_in_link",
        context={"url": "http://127.0.0.1:8000/signin/x/", "valid_minutes": 30},
        language="sv",
        key="test",
    )
    outbox_services.deliver(OutboxMessage.objects.get().pk)
    raw = mail.outbox[0].message()
    assert raw["List-Unsubscribe"] is None
    assert raw["List-Unsubscribe-Post"] is None


# --- Beat: the call opening and the deadline approaching ----------------------------------

OPENS = datetime(2041, 3, 1, 9, 0, tzinfo=STOCKHOLM)
CLOSES = datetime(2041, 3, 31, 23, 59, tzinfo=STOCKHOLM)


@pytest.fixture
def edition(settings):
    settings.SUBSCRIPTIONS_DEADLINE_NEWS_DAYS = [7, 1]
    settings.SUBSCRIPTIONS_CALL_NEWS_WITHIN_DAYS = 3
    return EditionFactory(
        year=2041,
        nominations_open_at=OPENS,
        nominations_close_at=CLOSES,
        scoring_deadline=CLOSES + timedelta(days=60),
        announcement_at=CLOSES + timedelta(days=90),
    )


def beat_at(moment, run_tasks):
    with time_machine.travel(moment, tick=False):
        run_tasks(announce_calls.apply)


def keys():
    return sorted({row.idempotency_key.rsplit(":", 1)[0] for row in news_rows()})


def test_beat_sends_each_news_once_per_edition_and_offset(edition, run_tasks):
    SubscriberFactory()
    beat_at(OPENS - timedelta(minutes=1), run_tasks)
    assert keys() == []

    for moment in (OPENS + timedelta(minutes=5), OPENS + timedelta(minutes=15)):
        beat_at(moment, run_tasks)
    assert keys() == [f"news:call_opened:{edition.pk}"]

    # Summer time begins on 31 March 2041: a week before is still 23:59 on the local clock.
    week_before = datetime(2041, 3, 24, 23, 59, tzinfo=STOCKHOLM)
    beat_at(week_before - timedelta(minutes=1), run_tasks)
    assert keys() == [f"news:call_opened:{edition.pk}"]
    for moment in (week_before, week_before + timedelta(hours=1)):
        beat_at(moment, run_tasks)
    assert keys() == [f"news:call_opened:{edition.pk}", f"news:deadline-7d:{edition.pk}"]

    for moment in (CLOSES - timedelta(hours=23), CLOSES - timedelta(hours=1)):
        beat_at(moment, run_tasks)
    assert keys() == [
        f"news:call_opened:{edition.pk}",
        f"news:deadline-1d:{edition.pk}",
        f"news:deadline-7d:{edition.pk}",
    ]
    assert news_rows().count() == 3

    beat_at(CLOSES + timedelta(minutes=1), run_tasks)
    assert news_rows().count() == 3


def test_a_missed_run_catches_up_with_the_nearest_deadline_only(edition, run_tasks):
    SubscriberFactory()
    # Beat was down from the opening until 12 hours before the deadline.
    beat_at(CLOSES - timedelta(hours=12), run_tasks)
    beat_at(CLOSES - timedelta(hours=11), run_tasks)

    assert keys() == [f"news:deadline-1d:{edition.pk}"]
    assert set(News.objects.values_list("kind", "offset_days", "fanned_out")) == {
        ("deadline", 1, True),
        ("deadline", 7, False),
    }


def test_a_call_opened_long_ago_gets_no_opening_news(edition, run_tasks):
    SubscriberFactory()
    beat_at(OPENS + timedelta(days=3, minutes=1), run_tasks)
    assert keys() == []


def test_a_call_opened_within_a_week_of_its_deadline_gets_no_7_day_news(edition, run_tasks):
    SubscriberFactory()
    late_open = CLOSES - timedelta(days=5)
    edition.nominations_open_at = late_open
    edition.save()
    for hours in (0, 1, 2):
        beat_at(late_open + timedelta(hours=hours), run_tasks)
    assert keys() == [f"news:call_opened:{edition.pk}"]
    assert News.objects.get(offset_days=7).fanned_out is False


def test_the_deadline_news_says_when_the_call_closes(edition, run_tasks):
    SubscriberFactory(language="en")
    beat_at(datetime(2041, 3, 25, 8, 0, tzinfo=STOCKHOLM), run_tasks)
    sent = list(news_rows().values_list("pk", flat=True))
    outbox_services.deliver(sent[-1])
    message = mail.outbox[-1]
    assert message.subject == "7 days left to nominate for Kvinnofridspriset 2041"
    assert (
        "The call for nominations for Kvinnofridspriset 2041 closes on 31 March 2041 at 23:59."
        in message.body
    )
    assert "http://127.0.0.1:8000/en/call/" in message.body
    assert "/en/unsubscribe/" in message.body


def test_unconfirmed_addresses_are_forgotten_after_the_links_lifetime(settings):
    settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS = 7
    now = datetime(2041, 3, 10, 12, 0, tzinfo=STOCKHOLM)
    with time_machine.travel(now - timedelta(days=8), tick=False):
        old_pending = SubscriberFactory(confirmed_at=None)
        old_confirmed = SubscriberFactory()
    with time_machine.travel(now - timedelta(days=6), tick=False):
        new_pending = SubscriberFactory(confirmed_at=None)

    assert services.forget_unconfirmed(now=now) == 1
    assert set(Subscriber.objects.values_list("pk", flat=True)) == {
        old_confirmed.pk,
        new_pending.pk,
    }
    assert not Subscriber.objects.filter(pk=old_pending.pk).exists()


def test_nothing_is_sent_about_a_call_that_has_closed(edition, run_tasks):
    SubscriberFactory()
    # Beat was down for the whole call: afterwards it is too late for any of its news.
    beat_at(CLOSES + timedelta(minutes=1), run_tasks)
    assert keys() == []
    assert not News.objects.exists()
