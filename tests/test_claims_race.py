"""Two real racers on every claim: threads on the real PostgreSQL, let go at one moment.

A claim is only proven by a race it wins. Each test starts two threads behind a barrier, each
with its own database connection, and checks that exactly one wins and one e-mail goes out.

A race left to chance proves little: two threads released together may still run one after
the other. So the racers are pushed into the worst interleaving on purpose: `reads_first`
makes each racer, after its first read of the claimed table and before its first write to
it, wait until the other racer has read too. A read-check-save claim (get the row, check its
status, save) then always has both racers read the unclaimed row, and both send. A claim by
conditional UPDATE writes before it reads, so it never waits there; a claim behind a row lock
waits, because the other racer is blocked on the lock and cannot read: after a short
timeout the waiting racer carries on, as it would have anyway.
"""

import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from jury.models import Assignment, ReminderSent, ResultsExport, ShortlistEntry
from jury.services import results_exports
from jury.services.reminders import send_due_ballot_reminders, send_due_reminders
from nominations import services as nominations
from nominations.models import Nomination
from outbox import services as outbox
from outbox.models import OutboxMessage
from tests import helpers
from tests.factories import (
    ChairFactory,
    CriterionFactory,
    EditionFactory,
    JurorFactory,
    NominationFactory,
    OutboxMessageFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 2
# How long a racer waits for the other to read; only a racer that holds a lock waits this long.
READ_RENDEZVOUS_SECONDS = 2.0


class ReadsFirst:
    """Each racer waits, after its first read of `table` and before any write to it, until
    every racer has read it (or until the timeout, when another cannot get there)."""

    def __init__(self, table: str):
        self.table = table
        self.rendezvous = threading.Barrier(RACERS)
        self.waited = []
        self.quoted = f'"{table.upper()}"'

    def _reads_from(self, statement: str) -> bool:
        # The table is the query's own, not one in a subquery: the read a claim decides on.
        head, _, rest = statement.partition(" FROM ")
        return head.startswith("SELECT") and rest.startswith(self.quoted)

    @contextmanager
    def installed(self):
        state = {"read": False, "wrote": False}

        def wrapper(execute, sql, params, many, context):
            result = execute(sql, params, many, context)
            statement = " ".join(sql.split()).upper()
            if statement.startswith(("UPDATE", "INSERT", "DELETE")) and self.quoted in statement:
                state["wrote"] = True
            elif self._reads_from(statement) and not (state["read"] or state["wrote"]):
                state["read"] = True
                try:
                    self.rendezvous.wait(timeout=READ_RENDEZVOUS_SECONDS)
                    self.waited.append("met")
                except threading.BrokenBarrierError:
                    self.waited.append("timed out")
            return result

        with connection.execute_wrapper(wrapper):
            yield


def race(target, *, reads_first: ReadsFirst) -> tuple[list, list]:
    """Run `target()` in RACERS threads released together, each holding its first read of
    the table until the others have read too; their results and errors."""

    def work():
        with reads_first.installed():
            return target()

    return helpers.race(work, racers=RACERS)


# --- The outbox's send claim -------------------------------------------------------------------


def test_two_workers_racing_for_one_message_send_it_once(mailoutbox):
    message = OutboxMessageFactory(recipient="kim@example.org")
    reads_first = ReadsFirst(OutboxMessage._meta.db_table)

    results, errors = race(lambda: outbox.deliver(message.pk), reads_first=reads_first)

    assert errors == []
    winners = [result for result in results if result is not None]
    assert len(winners) == 1
    assert results.count(None) == 1
    assert [sent.to for sent in mailoutbox] == [["kim@example.org"]]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 1)
    # The conditional UPDATE writes before anything reads: nobody waited for a rendezvous.
    assert reads_first.waited == []


# --- The jury reminders' claim -----------------------------------------------------------------


def test_two_beat_runs_racing_for_one_reminder_queue_it_once():
    # Two guards: the juror row's lock, and the claim (get_or_create on the unique
    # (juror, offset)). Either alone holds; a read-check-save claim without the lock lets
    # both racers read "no reminder yet" and the second insert crashes its run.
    now = timezone.now()
    edition = EditionFactory(
        scoring=True,
        # Five days to go: the 7-day reminder is due, the 2-day one not yet.
        scoring_deadline=now + timedelta(days=5),
    )
    CriterionFactory(edition=edition)
    nominee = NominationFactory(submitted=True, status="eligible", edition=edition).nominee
    juror = JurorFactory(edition=edition)
    Assignment.objects.create(juror=juror, nominee=nominee)
    reads_first = ReadsFirst(ReminderSent._meta.db_table)

    results, errors = race(lambda: send_due_reminders(now=now), reads_first=reads_first)

    assert errors == []
    assert sorted(results) == [0, 1]
    assert list(ReminderSent.objects.values_list("juror_id", "days_before")) == [(juror.pk, 7)]
    assert list(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == [
        f"jury-reminder:{juror.pk}:7"
    ]


def test_two_beat_runs_racing_for_one_ballot_reminder_queue_it_once():
    # The same two guards as the scoring reminder's: the juror row's lock and the claim on
    # the unique (juror, kind, offset).
    now = timezone.now()
    edition = EditionFactory(
        nominations_open_at=now - timedelta(days=60),
        nominations_close_at=now - timedelta(days=30),
        screening_completed_at=now - timedelta(days=20),
        # Five days to go: the 7-day reminder is due, the 2-day one not yet.
        ballot_deadline=now + timedelta(days=5),
    )
    juror = JurorFactory(edition=edition)
    for _ in range(2):
        nominee = NominationFactory(submitted=True, status="eligible", edition=edition).nominee
        ShortlistEntry.objects.create(edition=edition, nominee=nominee)
    reads_first = ReadsFirst(ReminderSent._meta.db_table)

    results, errors = race(lambda: send_due_ballot_reminders(now=now), reads_first=reads_first)

    assert errors == []
    assert sorted(results) == [0, 1]
    assert list(ReminderSent.objects.values_list("juror_id", "kind", "days_before")) == [
        (juror.pk, "ballot", 7)
    ]
    assert list(
        OutboxMessage.objects.filter(template="jury_ballot_deadline").values_list(
            "idempotency_key", flat=True
        )
    ) == [f"jury-ballot-deadline:{juror.pk}:7"]


# --- The nominations' reference numbers and receipts ----------------------------------------


def test_two_submissions_racing_in_one_edition_get_two_reference_numbers():
    edition = EditionFactory()
    drafts = iter([NominationFactory(edition=edition), NominationFactory(edition=edition)])
    lock = threading.Lock()

    def submit():
        with lock:
            draft = next(drafts)
        return nominations.submit_nomination(draft, by=draft.nominator)

    results, errors = race(submit, reads_first=ReadsFirst("nominations_edition"))

    assert errors == []
    assert results == [True, True]
    references = sorted(Nomination.objects.values_list("reference_number", flat=True))
    assert references == [f"KFP-{edition.year}-0001", f"KFP-{edition.year}-0002"]


def test_two_workers_racing_for_one_owed_receipt_queue_it_once():
    draft = NominationFactory()
    nominations.submit_nomination(draft, by=draft.nominator)

    results, errors = race(
        lambda: nominations.after_nomination_saved(nomination_id=draft.pk),
        reads_first=ReadsFirst("nominations_nomination"),
    )

    assert errors == []
    assert results == [True, True]
    assert OutboxMessage.objects.filter(template="nomination_receipt").count() == 1


# --- The results workbook's build claim and its request ----------------------------------------


def test_two_workers_racing_for_one_results_export_build_it_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    chair = ChairFactory()
    CriterionFactory(edition=chair.edition)
    export = ResultsExport.objects.create(
        edition=chair.edition, requested_by=chair.user, language="sv"
    )
    reads_first = ReadsFirst(ResultsExport._meta.db_table)

    results, errors = race(
        lambda: results_exports.build_export(export_id=export.pk), reads_first=reads_first
    )

    assert errors == []
    assert results.count(None) == 1
    export.refresh_from_db()
    assert (export.status, export.attempts) == (ResultsExport.Status.READY, 1)
    assert [path.name for path in (tmp_path / "exports" / "results").iterdir()] == [
        export.file.name.rsplit("/", 1)[-1]
    ]
    assert list(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == [
        f"jury-results-export-ready:{export.pk}"
    ]
    # The conditional UPDATE writes before anything reads: nobody waited for a rendezvous.
    assert reads_first.waited == []


def test_a_double_click_racing_itself_asks_for_one_results_export(monkeypatch):
    # Two requests both find no job in progress; the unique constraint lets one insert, and
    # the other answers with that one.
    monkeypatch.setattr(results_exports, "hand_to_worker", lambda export_id: True)
    chair = ChairFactory()

    results, errors = race(
        lambda: (
            results_exports.request_export(edition=chair.edition, by=chair.user, language="sv")[
                0
            ].pk
        ),
        reads_first=ReadsFirst(ResultsExport._meta.db_table),
    )

    assert errors == []
    assert results == [ResultsExport.objects.get().pk] * 2
