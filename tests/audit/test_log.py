"""The audit log: chained, verified, append-only in the model and in the database."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from audit import chain
from audit.models import Action, AuditEntry, ChainHead
from audit.services import record, verify
from kvinnofrid.records import AppendOnlyError
from tests.factories import EditionFactory, NominationFactory, SecretariatFactory, UserFactory
from tests.helpers import race

pytestmark = pytest.mark.django_db

TRIGGER = "audit_auditentry_append_only"


def run_verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def some_entries(n: int = 3) -> list[AuditEntry]:
    staff = SecretariatFactory(first_name="Sara", last_name="Sekreterare")
    nomination = NominationFactory(submitted=True)
    return [
        record(
            Action.NOMINATION_OPENED, actor=staff, target=nomination, data={"step": i, "ok": True}
        )
        for i in range(n)
    ]


def test_record_snapshots_actor_target_and_edition_and_chains_the_digests():
    staff = SecretariatFactory(first_name="Sara", last_name="Sekreterare", email="sara@example.org")
    edition = EditionFactory(year=2077)
    nomination = NominationFactory(
        submitted=True, edition=edition, reference_number="KFP-2077-0001"
    )

    first = record(Action.NOMINATION_OPENED, actor=staff, target=nomination)
    second = record(Action.SCREENING_EXPORTED, actor=staff, edition=edition, data={"format": "csv"})

    assert (first.position, second.position) == (1, 2)
    assert first.actor_id == staff.pk
    assert first.actor_label == "Sara Sekreterare (kansliet)"
    assert "sara@example.org" not in first.actor_label
    assert (first.target_type, first.target_id, first.target_label) == (
        "nominations.nomination",
        str(nomination.pk),
        "KFP-2077-0001",
    )
    assert first.edition_year == 2077  # taken from the target
    assert second.edition_year == 2077
    assert second.data == {"format": "csv"}
    stored = AuditEntry.objects.get(pk=first.pk)
    assert stored.digest == chain.digest({f: getattr(stored, f) for f in chain.CONTENT_FIELDS})
    assert first.chain_hash == chain.link(chain.GENESIS, first.digest)
    assert second.chain_hash == chain.link(first.chain_hash, second.digest)
    head = ChainHead.objects.get()
    assert (head.count, head.head_hash) == (2, second.chain_hash)


def test_a_person_without_a_name_is_recorded_by_number_not_address():
    user = UserFactory(first_name="", last_name="", email="anon@example.org")
    entry = record(Action.SCORES_SUBMITTED, actor=user, target=user)
    assert entry.actor_label == f"#{user.pk}"
    assert entry.target_label == f"#{user.pk}"


def test_record_refuses_unregistered_actions_and_content_in_data():
    staff = SecretariatFactory()
    with pytest.raises(ValueError, match="Unregistered"):
        record("screening.peeked", actor=staff)
    with pytest.raises(ValueError, match="small fact"):
        record(Action.SCORES_SAVED, actor=staff, data={"comment": "x" * 101})
    with pytest.raises(TypeError):
        record(Action.SCORES_SAVED, actor=staff, data={"mean": 3.5})
    assert AuditEntry.objects.count() == 0


def test_an_action_rolled_back_leaves_no_entry_and_no_gap():
    staff = SecretariatFactory()

    def failing_action():
        with transaction.atomic():
            record(Action.SCREENING_COMPLETED, actor=staff)
            raise RuntimeError("the action failed")

    with pytest.raises(RuntimeError):
        failing_action()
    entry = record(Action.SCREENING_COMPLETED, actor=staff)
    assert entry.position == 1
    assert run_verify().startswith("OK: 1 entries")


def test_verify_reports_count_and_head_hash():
    entries = some_entries(3)
    assert run_verify() == f"OK: 3 entries, head {entries[-1].chain_hash}\n"


def test_verify_of_an_empty_log_is_ok():
    assert run_verify() == f"OK: 0 entries, head {chain.GENESIS}\n"


def test_the_model_refuses_to_change_or_delete_an_entry():
    entry = some_entries(1)[0]
    entry.action = Action.SCORES_SAVED
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action=Action.SCORES_SAVED)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET target_label = 'someone else'",
        "DELETE FROM audit_auditentry",
    ],
)
def test_the_database_refuses_update_and_delete(sql):
    some_entries(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEntry.objects.count() == 2
    assert run_verify().startswith("OK: 2 entries")


def _with_trigger_disabled(sql: str, params=()):
    # Someone with database access (the table's owner) can turn the trigger off: the chain
    # is what then tells. The ALTER is rolled back with the test's transaction.
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE audit_auditentry DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE audit_auditentry ENABLE TRIGGER {TRIGGER}")


def test_an_entry_changed_in_the_database_is_named():
    entries = some_entries(3)
    tampered = entries[1]
    _with_trigger_disabled(
        "UPDATE audit_auditentry SET target_label = %s WHERE id = %s", ["KFP-0000", tampered.pk]
    )

    with pytest.raises(CommandError) as refused:
        run_verify()
    assert refused.value.returncode == 1  # manage.py exits with it
    message = str(refused.value)
    assert f"entry {tampered.pk} ({tampered.at.isoformat()}, {Action.NOMINATION_OPENED})" in message
    assert "does not match its digest" in message
    assert "The 1 entries before it verify" in message


def test_a_digest_recomputed_after_a_change_breaks_the_chain_there():
    entries = some_entries(3)
    tampered = entries[1]
    forged = {f: getattr(tampered, f) for f in chain.CONTENT_FIELDS} | {"target_label": "x"}
    _with_trigger_disabled(
        "UPDATE audit_auditentry SET target_label = 'x', digest = %s WHERE id = %s",
        [chain.digest(forged), tampered.pk],
    )

    with pytest.raises(CommandError, match=f"entry {tampered.pk} .*chain hash does not follow"):
        run_verify()


def test_an_entry_deleted_in_the_middle_is_detected_at_the_next_one():
    entries = some_entries(3)
    _with_trigger_disabled("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])

    with pytest.raises(CommandError, match=f"entry {entries[2].pk} .*an entry is missing"):
        run_verify()


def test_a_cut_off_tail_is_detected_by_the_chain_head():
    entries = some_entries(3)
    _with_trigger_disabled("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])

    with pytest.raises(CommandError) as refused:
        run_verify()
    message = str(refused.value)
    assert "chain head records 3 entries" in message
    assert "but 2 entries" in message
    assert "cut off" in message


def test_the_chain_head_refuses_to_fork_when_its_row_is_lost():
    some_entries(2)
    ChainHead.objects.all().delete()
    # A fresh head would hand out position 1 again: the unique position refuses.
    with pytest.raises(DatabaseError), transaction.atomic():
        record(Action.SCREENING_COMPLETED, actor=None)
    assert AuditEntry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_give_one_unbroken_chain():
    staff = SecretariatFactory()
    writers, per_writer = 4, 5

    def write():
        for i in range(per_writer):
            with transaction.atomic():
                record(Action.SCORES_SAVED, actor=staff, data={"i": i})

    _results, errors = race(write, racers=writers)

    assert errors == []
    positions = list(AuditEntry.objects.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, writers * per_writer + 1))
    # Each entry follows its own predecessor: no two share one (the chain did not fork).
    previous = list(AuditEntry.objects.order_by("position").values_list("chain_hash", flat=True))
    assert len(set(previous)) == writers * per_writer
    result = verify()
    assert result.ok, result.broken
    assert result.count == writers * per_writer
