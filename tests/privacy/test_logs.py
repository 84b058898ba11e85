"""No personal data in logs: a whole journey's log output holds none of the addresses used."""

import io
import logging
import sys
from smtplib import SMTPRecipientsRefused

import pytest
from django.core.mail import EmailMultiAlternatives

from nominations.services import submit_nomination
from outbox import services as outbox
from outbox.models import OutboxMessage
from privacy.logfilter import MASK, MaskPersonalData, mask
from privacy.services import run_gallring
from tests.factories import EditionFactory, NominationFactory, SecretariatFactory, UserFactory
from tests.helpers import invite

pytestmark = pytest.mark.django_db

NOMINATOR = "lena.loggad@example.org"
CONTACT = "kim.kontakt+pris@kommun.example.se"
JUROR = "jan.juror@myndighet.example.se"


@pytest.fixture
def log_output():
    """What the configured console handler writes, whatever the logger."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, MaskPersonalData) for f in h.filters)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def _refuse(self):
    # The SMTP server's refusal names the recipient; the outbox logs it as it comes.
    raise SMTPRecipientsRefused(dict.fromkeys(self.to, (550, b"5.1.1 User unknown")))


def test_a_journey_logs_no_e_mail_address(
    client, log_output, monkeypatch, django_capture_on_commit_callbacks, worker_runs_after_saves
):
    edition = EditionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/signin/", {"email": NOMINATOR})
        nominator = UserFactory(email=NOMINATOR)
        nomination = NominationFactory(edition=edition, nominator=nominator, contact_email=CONTACT)
        submit_nomination(nomination, by=nominator)
        invite(edition, email=JUROR, first_name="Jan", last_name="Juror", by=SecretariatFactory())
    monkeypatch.setattr(EmailMultiAlternatives, "send", _refuse)
    for message in OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED):
        outbox.deliver(message.pk)
    logging.getLogger("kvinnofrid").warning("A careless line about %s", JUROR)
    run_gallring()

    output = log_output.getvalue()
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count() >= 3
    assert "failed for good" in output
    assert MASK in output
    for address in (NOMINATOR, CONTACT, JUROR, "example.org", "example.se"):
        assert address not in output


def test_the_filter_masks_exceptions_too():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "to %s", (CONTACT,), None)
    try:
        raise ValueError(f"refused {JUROR}")
    except ValueError:
        record.exc_info = sys.exc_info()

    MaskPersonalData().filter(record)

    assert record.getMessage() == f"to {MASK}"
    assert JUROR not in record.exc_text
    assert MASK in record.exc_text


def test_mask_leaves_other_text_alone():
    assert mask("E-mail 42 sent at 10:30 to a@b.se") == f"E-mail 42 sent at 10:30 to {MASK}"
