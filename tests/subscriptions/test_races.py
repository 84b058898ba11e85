"""Two racers on PostgreSQL: the same news queued twice at once still goes out once."""

import pytest

from subscriptions import services
from subscriptions.models import News, Subscriber
from subscriptions.tasks import fan_out_news
from tests import helpers
from tests.factories import EditionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def race(function, **kwargs) -> list[Exception]:
    """What two callers of `function(**kwargs)` at once raised."""
    return helpers.race(lambda: function(**kwargs))[1]


def test_the_same_news_queued_twice_at_once_fans_out_once(monkeypatch):
    started = []
    monkeypatch.setattr(fan_out_news, "delay", lambda **kw: started.append(kw))
    edition = EditionFactory()

    errors = race(
        services.queue_news,
        kind="winner",
        edition_id=edition.pk,
        template="news_winner",
        context={"year": edition.year, "winner_name": "X", "lead": "", "url": ""},
    )

    assert errors == []
    assert News.objects.count() == 1
    assert started == [{"news_id": News.objects.get().pk, "after_pk": 0}]


def test_the_same_address_subscribed_twice_at_once_is_one_subscriber(monkeypatch):
    from outbox.tasks import send_message

    monkeypatch.setattr(send_message, "delay", lambda **kw: None)

    errors = race(services.subscribe, email="Kim@example.org", language="sv", client_ip="192.0.2.1")

    assert errors == []
    assert Subscriber.objects.count() == 1
