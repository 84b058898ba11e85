"""The outbox on the real database, delivering to a real SMTP server (aiosmtpd, in process).

No worker here: `deliver` and the task are called directly. The test environment swaps every
mailer for locmem, so each test that sends points MAILERS back at a real SMTP server.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from celery.exceptions import Retry
from django.urls import reverse
from django.utils import translation

from kvinnofrid.mailsink import MailSink, read_messages
from nominations.emails import send_receipt
from outbox import services
from outbox.emails import render_email
from outbox.models import OutboxMessage
from outbox.tasks import send_message
from tests.factories import EditionFactory, NominationFactory, OutboxMessageFactory, UserFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2040, 3, 2, 10, 30, tzinfo=STOCKHOLM)
Status = OutboxMessage.Status


def use_smtp_server(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


class ReplyingSink(MailSink):
    """A sink that answers RCPT or DATA with the reply given, e.g. a refusal."""

    def __init__(self, directory, *, rcpt_reply: str = "", data_reply: str = ""):
        super().__init__(directory)
        self.rcpt_reply = rcpt_reply
        self.data_reply = data_reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.data_reply:
            return self.data_reply
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def start_smtp_server(settings, unused_port):
    """Start a real SMTP server in this process with the given handler; Django sends to it."""
    controllers = []

    def start(handler):
        controller = Controller(
            handler, hostname="127.0.0.1", port=unused_port, server_hostname="localhost"
        )
        controller.start()
        controllers.append(controller)
        use_smtp_server(settings, unused_port)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def sink(start_smtp_server, tmp_path):
    return start_smtp_server(MailSink(tmp_path / "mail"))


@pytest.fixture
def smtp_down(settings, unused_port):
    """MAILERS pointing at a port nobody listens on: every connection is refused."""
    use_smtp_server(settings, unused_port)


@pytest.fixture
def outbox_settings(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_STUCK_AFTER_SECONDS = 300
    return settings


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def enqueue(key: str = "test:1", **overrides) -> OutboxMessage:
    arguments = {
        "recipient": "kim@example.org",
        "template": "sign_in_link",
        "context": {"url": "http://127.0.0.1:8000/sign-in/demo/", "valid_minutes": 30},
        "language": "sv",
        "key": key,
    }
    return services.enqueue_email(**{**arguments, **overrides})


def recipients(sink: MailSink) -> list[str]:
    return [message["To"] for message in read_messages(sink.directory)]


# --- enqueue_email ----------------------------------------------------------------------------


def test_enqueue_email_with_the_same_key_makes_one_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = enqueue(key="receipt:1")
        second = enqueue(key="receipt:1", recipient="someone.else@example.org")

    assert second.pk == first.pk
    assert list(OutboxMessage.objects.values_list("idempotency_key", "recipient")) == [
        ("receipt:1", "kim@example.org")
    ]
    assert len(callbacks) == 1


def test_enqueue_email_sends_nothing_until_commit(
    sink, outbox_settings, django_capture_on_commit_callbacks, monkeypatch
):
    # The task runs in this process when the transaction commits: no broker, no worker.
    monkeypatch.setattr(send_message, "delay", lambda **kwargs: send_message.apply(kwargs=kwargs))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = enqueue()
        message.refresh_from_db()

        assert (message.status, message.attempts) == (Status.QUEUED, 0)
        assert recipients(sink) == []

    message.refresh_from_db()
    assert len(callbacks) == 1
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert recipients(sink) == ["kim@example.org"]


# --- deliver ----------------------------------------------------------------------------------


def test_deliver_missing_message_returns_none(sink):
    message = OutboxMessageFactory()
    message_id = message.pk
    message.delete()

    assert services.deliver(message_id) is None
    assert recipients(sink) == []


def test_deliver_sends_and_marks_sent(sink, frozen):
    message = OutboxMessageFactory(recipient="kim@example.org")

    delivered = services.deliver(message.pk)

    message.refresh_from_db()
    assert delivered == message
    assert (message.status, message.attempts, message.last_error) == (Status.SENT, 1, "")
    assert message.subject == "Din inloggningslänk till Kvinnofridspriset"
    assert (message.claimed_at, message.sent_at) == (frozen, frozen)
    [sent] = read_messages(sink.directory)
    assert sent["To"] == "kim@example.org"
    assert sent["From"] == "Kvinnofridspriset <kvinnofridspriset@example.org>"
    assert sent["Subject"] == "Din inloggningslänk till Kvinnofridspriset"
    assert sent["Message-ID"] == f"<outbox-{message.pk}@example.org>"


def test_deliver_twice_sends_once(sink):
    message = OutboxMessageFactory()

    first = services.deliver(message.pk)
    second = services.deliver(message.pk)

    message.refresh_from_db()
    assert first.status == Status.SENT
    assert second is None
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert recipients(sink) == [message.recipient]


def test_deliver_with_smtp_down_queues_again_with_back_off(smtp_down, outbox_settings, frozen):
    message = OutboxMessageFactory()

    with pytest.raises(services.TransientSendError) as raised:
        services.deliver(message.pk)

    message.refresh_from_db()
    assert raised.value.delay == timedelta(seconds=30)
    assert (message.status, message.attempts) == (Status.QUEUED, 1)
    assert message.last_error.startswith("ConnectionRefusedError: ")
    assert str(raised.value) == message.last_error
    assert message.claimed_at == frozen
    assert message.next_attempt_at == frozen + timedelta(seconds=30)
    assert message.sent_at is None


def test_deliver_doubles_the_back_off_after_each_failure(smtp_down, outbox_settings, frozen):
    message = OutboxMessageFactory()

    delays = []
    for _attempt in range(2):
        with pytest.raises(services.TransientSendError) as raised:
            services.deliver(message.pk)
        delays.append(raised.value.delay)

    message.refresh_from_db()
    assert delays == [timedelta(seconds=30), timedelta(seconds=60)]
    assert (message.status, message.attempts) == (Status.QUEUED, 2)
    assert message.next_attempt_at == frozen + timedelta(seconds=60)


def test_deliver_fails_for_good_after_max_attempts(smtp_down, outbox_settings):
    message = OutboxMessageFactory()
    for _attempt in range(outbox_settings.OUTBOX_MAX_ATTEMPTS - 1):
        with pytest.raises(services.TransientSendError):
            services.deliver(message.pk)

    last = services.deliver(message.pk)

    message.refresh_from_db()
    assert last == message
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert message.last_error.startswith("ConnectionRefusedError: ")
    # A failed message is no longer claimed by a late task.
    assert services.deliver(message.pk) is None
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.FAILED, 3)


def test_deliver_with_missing_template_fails_at_once(sink, outbox_settings):
    message = OutboxMessageFactory(template="no_such_template")

    failed = services.deliver(message.pk)

    message.refresh_from_db()
    assert failed == message
    assert (message.status, message.attempts) == (Status.FAILED, 1)
    assert message.last_error == "TemplateDoesNotExist: emails/no_such_template_subject.txt"
    assert recipients(sink) == []


@pytest.mark.parametrize(
    "sink_replies",
    [
        pytest.param(
            {"rcpt_reply": "550 5.1.1 No such user here"},
            id="recipient-refused-550",
        ),
        pytest.param(
            {"data_reply": "554 5.6.0 Message rejected as spam"},
            id="message-rejected-554",
        ),
    ],
)
def test_deliver_permanent_smtp_refusal_fails_at_once(
    start_smtp_server, tmp_path, outbox_settings, sink_replies
):
    start_smtp_server(ReplyingSink(tmp_path / "mail", **sink_replies))
    message = OutboxMessageFactory()

    failed = services.deliver(message.pk)

    message.refresh_from_db()
    assert failed == message
    assert (message.status, message.attempts) == (Status.FAILED, 1)


def test_deliver_temporary_smtp_refusal_queues_again(start_smtp_server, tmp_path, outbox_settings):
    start_smtp_server(ReplyingSink(tmp_path / "mail", rcpt_reply="450 4.2.1 Mailbox busy"))
    message = OutboxMessageFactory(recipient="kim@example.org")

    with pytest.raises(services.TransientSendError):
        services.deliver(message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.QUEUED, 1)
    assert message.last_error == (
        "SMTPRecipientsRefused: {'kim@example.org': (450, b'4.2.1 Mailbox busy')}"
    )


RECEIPT_TEXTS = {
    "sv": {
        "subject": "Kvitto: din nominering KFP-2040-0007 till Kvinnofridspriset 2040",
        "greeting": "Hej!",
        "received": (
            "Tack för din nominering till Kvinnofridspriset 2040. Vi tog emot den "
            "2 mars 2040 10:30. Dess referensnummer är KFP-2040-0007."
        ),
        "deadline": "Du kan ändra eller återkalla den till och med 15 april 2040 23:59:",
        "heading": "Det här skickade du in",
    },
    "en": {
        "subject": "Receipt: your nomination KFP-2040-0007 for Kvinnofridspriset 2040",
        "greeting": "Hello,",
        "received": (
            "Thank you for your nomination for Kvinnofridspriset 2040. We received it on "
            "March 2, 2040, 10:30 a.m.. Its reference number is KFP-2040-0007."
        ),
        "deadline": "You can change or withdraw it until April 15, 2040, 11:59 p.m.:",
        "heading": "What you submitted",
    },
}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_deliver_receipt_is_multipart_in_the_recipients_language(sink, frozen, language):
    expected = RECEIPT_TEXTS[language]
    edition = EditionFactory(
        year=2040, nominations_close_at=datetime(2040, 4, 15, 23, 59, tzinfo=STOCKHOLM)
    )
    nomination = NominationFactory(
        submitted=True,
        edition=edition,
        submitted_at=frozen,
        reference_number="KFP-2040-0007",
        nominator=UserFactory(email="kim@example.org", language=language),
    )
    send_receipt(nomination)
    message = OutboxMessage.objects.get(idempotency_key=f"nomination-receipt:{nomination.pk}")

    services.deliver(message.pk)

    message.refresh_from_db()
    assert (message.status, message.language) == (Status.SENT, language)
    assert message.subject == expected["subject"]
    [sent] = read_messages(sink.directory)
    assert sent["Subject"] == expected["subject"]
    assert sent["To"] == "kim@example.org"
    assert sent.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in sent.iter_parts()] == ["text/plain", "text/html"]
    with translation.override(language):
        link = "http://127.0.0.1:8000" + reverse("nominations:detail", args=[nomination.pk])
    text = sent.get_body(preferencelist=("plain",)).get_content()
    assert text.splitlines()[:10] == [
        expected["greeting"],
        "",
        expected["received"],
        "",
        expected["deadline"],
        link,
        "",
        expected["heading"],
        "========================",
        "",
    ]
    html = sent.get_body(preferencelist=("html",)).get_content()
    assert f"<p>{expected['greeting']}</p>" in html
    assert f"<p>{expected['received']}</p>" in html
    assert f'{expected["deadline"]} <a href="{link}">KFP-2040-0007</a></p>' in html
    assert f'<h2 style="font-size: 1.1em;">{expected["heading"]}</h2>' in html


def test_render_email_marks_the_html_with_the_recipients_language():
    rendered = render_email(
        "sign_in_link", {"url": "http://127.0.0.1:8000/sign-in/demo/", "valid_minutes": 30}, "en"
    )

    assert '<html lang="en">' in rendered.html


# --- requeue_stuck and resend -------------------------------------------------------------


def test_requeue_stuck_requeues_old_sending_rows_and_leaves_fresh_ones(
    outbox_settings, frozen, django_capture_on_commit_callbacks
):
    long_ago = frozen - timedelta(minutes=10)
    lately = frozen - timedelta(minutes=1)
    stuck = OutboxMessageFactory(status=Status.SENDING, claimed_at=long_ago, attempts=1)
    fresh = OutboxMessageFactory(status=Status.SENDING, claimed_at=lately, attempts=1)
    overdue = OutboxMessageFactory(next_attempt_at=long_ago)
    waiting = OutboxMessageFactory(next_attempt_at=frozen + timedelta(seconds=30), attempts=1)
    sent = OutboxMessageFactory(status=Status.SENT, claimed_at=long_ago, next_attempt_at=long_ago)

    with django_capture_on_commit_callbacks() as callbacks:
        requeued = services.requeue_stuck()

    assert sorted(requeued) == sorted([stuck.pk, overdue.pk])
    assert len(callbacks) == 2
    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses == {
        stuck.pk: Status.QUEUED,
        fresh.pk: Status.SENDING,
        overdue.pk: Status.QUEUED,
        waiting.pk: Status.QUEUED,
        sent.pk: Status.SENT,
    }
    stuck.refresh_from_db()
    assert stuck.attempts == 1


def test_requeue_stuck_stuck_message_is_then_delivered_once(sink, outbox_settings, frozen):
    stuck = OutboxMessageFactory(
        status=Status.SENDING, claimed_at=frozen - timedelta(minutes=10), attempts=1
    )

    services.requeue_stuck()
    services.deliver(stuck.pk)
    services.deliver(stuck.pk)

    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (Status.SENT, 2)
    assert recipients(sink) == [stuck.recipient]


def test_resend_requeues_only_failed_messages_and_resets_attempts(
    outbox_settings, frozen, django_capture_on_commit_callbacks
):
    failed = OutboxMessageFactory(
        status=Status.FAILED,
        attempts=3,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        next_attempt_at=frozen - timedelta(hours=1),
    )
    sent = OutboxMessageFactory(status=Status.SENT, attempts=1)
    queued = OutboxMessageFactory(attempts=2, last_error="SMTPServerDisconnected: gone")

    with django_capture_on_commit_callbacks() as callbacks:
        outcomes = [services.resend(message) for message in (failed, sent, queued)]

    assert outcomes == [True, False, False]
    assert len(callbacks) == 1
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (Status.QUEUED, 0, "")
    assert failed.next_attempt_at == frozen
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == (Status.SENT, 1)
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.last_error) == (
        Status.QUEUED,
        2,
        "SMTPServerDisconnected: gone",
    )


# --- the task ---------------------------------------------------------------------------------


def test_send_message_delivers_and_returns_the_status(sink):
    message = OutboxMessageFactory()

    result = send_message.apply(kwargs={"message_id": message.pk})

    message.refresh_from_db()
    assert (result.state, result.result) == ("SUCCESS", "sent")
    assert message.status == Status.SENT
    assert recipients(sink) == [message.recipient]


def test_send_message_missing_row_is_skipped(sink):
    message = OutboxMessageFactory()
    message_id = message.pk
    message.delete()

    result = send_message.apply(kwargs={"message_id": message_id})

    assert (result.state, result.result) == ("SUCCESS", "skipped")
    assert recipients(sink) == []


def test_send_message_run_twice_sends_once(sink):
    message = OutboxMessageFactory()

    first = send_message.apply(kwargs={"message_id": message.pk})
    second = send_message.apply(kwargs={"message_id": message.pk})

    assert (first.result, second.result) == ("sent", "skipped")
    assert recipients(sink) == [message.recipient]


def test_send_message_transient_failure_asks_for_a_retry_after_the_back_off(
    smtp_down, outbox_settings
):
    message = OutboxMessageFactory()
    # As a worker would run it, but without a broker: an eager request makes `retry`
    # raise its Retry instead of publishing the next attempt.
    send_message.push_request(
        id="test-retry", is_eager=True, called_directly=False, kwargs={"message_id": message.pk}
    )
    try:
        with pytest.raises(Retry) as raised:
            send_message.run(message_id=message.pk)
    finally:
        send_message.pop_request()

    message.refresh_from_db()
    assert raised.value.when == 30.0
    assert raised.value.sig.kwargs == {"message_id": message.pk}
    assert (message.status, message.attempts) == (Status.QUEUED, 1)


def test_send_message_eager_retries_stop_at_max_attempts(smtp_down, outbox_settings):
    # Celery's eager `apply` runs each retry at once instead of reporting RETRY, so with the
    # server down the chain of retries is visible in full: it ends with the row failed.
    message = OutboxMessageFactory()

    result = send_message.apply(kwargs={"message_id": message.pk})

    message.refresh_from_db()
    assert (result.state, result.result) == ("SUCCESS", "failed")
    assert (message.status, message.attempts) == (Status.FAILED, 3)
    assert message.last_error.startswith("ConnectionRefusedError: ")
