"""The results as an Excel workbook, built by a worker: who may ask and download, what the
file holds, the claim, the e-mail, the sweep, and a real worker end to end.

The figures are the hand-made fixture's (tests/jury/test_results_views.py): Alfa 13/3, Gamma
3, Beta 8/3, ranks 1, 2, 3."""

import io
import logging
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone

from audit.models import Action, AuditEntry
from jury import tasks
from jury.models import ConflictDeclaration, ResultsExport
from jury.services import results_exports
from outbox.emails import render_email
from outbox.models import OutboxMessage
from tests.conftest import StreamOnlyStorage
from tests.factories import ChairFactory, JurorFactory, SuperuserFactory
from tests.helpers import wait_for
from tests.jury import test_results_views as results_views
from tests.jury.test_results_views import (
    NOMINEE_NAMES,
    SECRET_COMMENT,
    Jury,
    populate,
    streamed,
    url,
)

pytestmark = pytest.mark.django_db

Status = ResultsExport.Status


# The results page's hand-made jury and its people (Cecilia the chair, Maja a member): the
# same fixtures; Sara of the secretariat is tests/conftest.py's.
jury, chair, member = results_views.jury, results_views.chair, results_views.member


@pytest.fixture
def storage(monkeypatch):
    """The workbooks in a storage that is not this machine's disk and has no URL to give."""
    storage = StreamOnlyStorage()
    monkeypatch.setattr(ResultsExport._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def handed_over(monkeypatch):
    """The build tasks handed to the broker, by export id, instead of a real broker."""
    ids: list[int] = []
    monkeypatch.setattr(
        tasks.build_results_export, "delay", lambda *, export_id: ids.append(export_id)
    )
    return ids


def ask(client, year: int):
    return client.post(url("request_results_export", year))


def workbook_of(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(streamed(response)))


# --- Who may ask, see and download -------------------------------------------------------------


def test_the_chair_asks_once_and_the_task_is_handed_over_on_commit(
    client, jury, chair, handed_over, django_capture_on_commit_callbacks
):
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, jury.year)
        assert handed_over == []  # not before the commit

    assert response.status_code == 302
    assert response["Location"] == url("results_exports", jury.year)
    export = ResultsExport.objects.get()
    assert (export.requested_by, export.edition, export.status) == (chair, jury.edition, "pending")
    assert export.language == "en"
    assert handed_over == [export.pk]
    page = client.get(response["Location"]).content.decode()
    assert "The Excel file is being prepared." in page
    assert "Waiting to be prepared" in page
    # The list asks again by itself while the file is prepared.
    assert 'hx-trigger="every 3s"' in page


def test_a_double_click_gives_one_job(
    client, jury, chair, handed_over, django_capture_on_commit_callbacks
):
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=True):
        ask(client, jury.year)
        second = ask(client, jury.year)

    assert ResultsExport.objects.count() == 1
    assert handed_over == [ResultsExport.objects.get().pk]
    assert (
        "Your Excel file is already being prepared."
        in client.get(second["Location"]).content.decode()
    )


def test_once_ready_a_new_ask_makes_a_new_job(client, jury, chair, handed_over):
    client.force_login(chair)
    ask(client, jury.year)
    ResultsExport.objects.update(status=Status.READY)

    ask(client, jury.year)

    assert sorted(ResultsExport.objects.values_list("status", flat=True)) == ["pending", "ready"]


@pytest.mark.parametrize("view", ["list", "ask"])
def test_anonymous_visitors_are_sent_to_sign_in(client, jury, view):
    response = (
        client.get(url("results_exports", jury.year)) if view == "list" else ask(client, jury.year)
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/en/signin/")
    assert not ResultsExport.objects.exists()


def _outsiders(jury):
    return {
        "nominator": jury.nominees["Alfa"].nominations.get().nominator,
        "chair of another edition": ChairFactory().user,
    }


@pytest.mark.parametrize("who", ["nominator", "chair of another edition"])
def test_outsiders_find_no_exports(client, jury, chair, storage, who):
    export = build_ready(jury, chair)
    client.force_login(_outsiders(jury)[who])

    assert client.get(url("results_exports", jury.year)).status_code == 404
    assert ask(client, jury.year).status_code == 404
    assert client.get(url("download_results_export", jury.year, export.pk)).status_code == 404
    assert ResultsExport.objects.count() == 1


def test_a_member_is_refused(client, jury, chair, member, storage):
    export = build_ready(jury, chair)
    client.force_login(member)

    assert client.get(url("results_exports", jury.year)).status_code == 403
    assert ask(client, jury.year).status_code == 403
    response = client.get(url("download_results_export", jury.year, export.pk))
    assert response.status_code == 403
    assert NOMINEE_NAMES["Alfa"].encode() not in response.content
    assert ResultsExport.objects.count() == 1


def test_only_the_one_who_asked_sees_and_downloads_the_file(
    client, jury, chair, secretariat, storage
):
    export = build_ready(jury, chair)
    client.force_login(secretariat)

    page = client.get(url("results_exports", jury.year)).content.decode()
    download = client.get(url("download_results_export", jury.year, export.pk))

    assert "You have not asked for an Excel file yet." in page
    assert url("download_results_export", jury.year, export.pk) not in page
    assert download.status_code == 404
    assert not AuditEntry.objects.filter(action=Action.RESULTS_EXPORTED).exists()


def test_a_superuser_asks_as_the_secretariat_never_as_the_chair(client, jury, handed_over):
    superuser = SuperuserFactory()
    client.force_login(superuser)

    assert ask(client, jury.year).status_code == 302
    assert ResultsExport.objects.get().requested_by == superuser
    # The results page treats them as the secretariat too: the same rule.
    assert client.get(url("results", jury.year)).status_code == 200


def test_the_service_refuses_a_member_whatever_the_view_does(jury, member):
    with pytest.raises(results_exports.PermissionDenied):
        results_exports.request_export(edition=jury.edition, by=member, language="sv")
    assert not ResultsExport.objects.exists()


# --- Building the file -------------------------------------------------------------------------


def build_ready(jury, user, *, language="en") -> ResultsExport:
    export = ResultsExport.objects.create(
        edition=jury.edition, requested_by=user, language=language
    )
    built = results_exports.build_export(export_id=export.pk)
    assert built.status == Status.READY, built.error
    return built


def test_the_worker_builds_the_workbook_and_the_requester_downloads_it(
    client, jury, chair, storage
):
    export = build_ready(jury, chair)
    client.force_login(chair)

    page = client.get(url("results_exports", jury.year)).content.decode()
    response = client.get(url("download_results_export", jury.year, export.pk))

    assert export.file.name.startswith("exports/results/resultat-")
    assert export.started_at <= export.finished_at
    assert (export.attempts, export.error, export.left_out_nominee_ids) == (1, "", [])
    assert "Ready" in page
    assert "hx-trigger" not in page  # nothing left to wait for
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="resultat-{jury.year}.xlsx"'
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = workbook_of(response)
    assert workbook.sheetnames == ["Results", "Per criterion", "Scores"]
    header, *rows = list(workbook["Results"].values)
    assert header[:3] == ("Nominee", "Mean score", "Rank (mean score)")
    assert [row[0] for row in rows] == ["Stödcentrum Alfa", "Jouren Gamma", "Team Beta"]
    assert [row[1] for row in rows] == pytest.approx([13 / 3, 3.0, 8 / 3], abs=1e-9)
    scores = list(workbook["Scores"].values)[1:]
    assert len(scores) == 18
    assert ("Maja Medlem", "Team Beta", "Samverkan", 5, SECRET_COMMENT, "No") in scores
    entry = AuditEntry.objects.get(action=Action.RESULTS_EXPORTED)
    assert (entry.actor_id, entry.edition_year) == (chair.pk, jury.year)
    assert entry.data == {"format": "xlsx", "export": export.pk}


def test_the_workbook_is_written_in_the_language_it_was_asked_in(jury, chair, storage):
    export = build_ready(jury, chair, language="sv")

    workbook = openpyxl.load_workbook(export.file.open("rb"))

    assert workbook.sheetnames == ["Resultat", "Per bedömningskriterium", "Poäng"]


def test_the_ready_mail_links_to_the_exports_page_not_the_file(jury, chair, storage, settings):
    settings.SITE_URL = "https://kvinnofridspriset.example.org"
    chair.language = "sv"
    chair.save(update_fields=["language"])
    export = build_ready(jury, chair)

    message = OutboxMessage.objects.get(template="jury_results_export_ready")
    rendered = render_email(message.template, message.context, message.language)

    assert message.recipient == chair.email
    assert message.idempotency_key == f"jury-results-export-ready:{export.pk}"
    link = f"https://kvinnofridspriset.example.org/jury/{jury.year}/results/exports/"
    assert rendered.subject == f"Resultatet för {jury.edition} kan laddas ned"
    assert "Excelfilen med juryns resultat" in rendered.text
    assert "7 dagar" in rendered.text
    assert link in rendered.text
    assert f'href="{link}"' in rendered.html
    assert "Till exporterna" in rendered.html
    assert export.file.name not in rendered.text + rendered.html


def test_building_twice_builds_once_and_mails_once(jury, chair, storage):
    export = build_ready(jury, chair)

    assert results_exports.build_export(export_id=export.pk) is None
    assert results_exports.build_export(export_id=export.pk + 1000) is None
    assert OutboxMessage.objects.filter(template="jury_results_export_ready").count() == 1
    assert len(storage.listdir("exports/results")[1]) == 1


def test_a_failed_build_says_so_and_keeps_no_file(
    client, jury, chair, storage, monkeypatch, caplog
):
    def broken(report):
        raise ValueError("a cell openpyxl cannot hold")

    monkeypatch.setattr(results_exports.reports, "results_xlsx", broken)
    export = ResultsExport.objects.create(edition=jury.edition, requested_by=chair, language="en")

    with caplog.at_level(logging.ERROR, logger="jury.services.results_exports"):
        failed = results_exports.build_export(export_id=export.pk)

    assert failed.status == Status.FAILED
    assert failed.error == "ValueError: a cell openpyxl cannot hold"
    assert failed.finished_at is not None
    assert not failed.file
    assert f"Results export {export.pk} failed" in caplog.text
    assert not OutboxMessage.objects.exists()
    client.force_login(chair)
    page = client.get(url("results_exports", jury.year)).content.decode()
    assert "Failed: something went wrong; ask for a new one." in page
    assert client.get(url("download_results_export", jury.year, export.pk)).status_code == 404
    # Failed is not in progress: asking again makes a new job.
    assert results_exports.request_export(edition=jury.edition, by=chair, language="en")[1]


def test_a_build_overtaken_by_the_sweep_records_nothing(jury, chair, storage, monkeypatch):
    export = ResultsExport.objects.create(edition=jury.edition, requested_by=chair, language="en")
    later = timezone.now() + timedelta(minutes=7)
    write = results_exports.reports.results_xlsx

    def slow(report):
        # While this build writes, the sweep gave the export to another worker.
        ResultsExport.objects.filter(pk=export.pk).update(started_at=later, attempts=2)
        return write(report)

    monkeypatch.setattr(results_exports.reports, "results_xlsx", slow)

    overtaken = results_exports.build_export(export_id=export.pk)

    assert (overtaken.status, overtaken.started_at, overtaken.file.name) == (
        Status.RUNNING,
        later,
        "",
    )
    assert storage.listdir("exports/results")[1] == []
    assert not OutboxMessage.objects.exists()


def test_a_chair_replaced_before_the_build_gets_no_file(jury, chair, storage):
    export = ResultsExport.objects.create(edition=jury.edition, requested_by=chair, language="en")
    jury.jurors["chair"].role = "member"
    jury.jurors["chair"].save(update_fields=["role"])

    failed = results_exports.build_export(export_id=export.pk)

    assert failed.status == Status.FAILED
    assert not failed.file


# --- Conflicts of interest ---------------------------------------------------------------------


def _conflict(jury, juror_key: str, nominee_key: str) -> None:
    ConflictDeclaration.objects.create(
        juror=jury.jurors[juror_key],
        nominee=jury.nominees[nominee_key],
        conflicted=True,
        ruling=ConflictDeclaration.Ruling.UPHELD,
    )


def test_a_conflicted_chairs_workbook_leaves_the_nominee_out(client, jury, chair, storage):
    _conflict(jury, "chair", "Gamma")
    export = build_ready(jury, chair)
    client.force_login(chair)

    workbook = workbook_of(client.get(url("download_results_export", jury.year, export.pk)))

    assert export.left_out_nominee_ids == [jury.nominees["Gamma"].pk]
    cells = " ".join(str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row)
    assert NOMINEE_NAMES["Gamma"] not in cells
    assert [row[0] for row in list(workbook["Results"].values)[1:]] == [
        "Stödcentrum Alfa",
        "Team Beta",
    ]


def test_a_conflict_declared_after_the_build_makes_the_file_unfit(client, jury, chair, storage):
    export = build_ready(jury, chair)
    _conflict(jury, "chair", "Gamma")
    client.force_login(chair)

    response = client.get(url("download_results_export", jury.year, export.pk), follow=True)

    assert response.redirect_chain == [(url("results_exports", jury.year), 302)]
    assert "prepared before you declared a conflict of interest" in response.content.decode()
    assert not AuditEntry.objects.filter(action=Action.RESULTS_EXPORTED).exists()


# --- The sweep ---------------------------------------------------------------------------------


def test_the_sweep_hands_over_what_no_worker_took_and_retries_a_lost_build(
    jury, chair, secretariat, handed_over, django_capture_on_commit_callbacks
):
    now = timezone.now()
    waiting = ResultsExport.objects.create(
        edition=jury.edition,
        requested_by=chair,
        language="en",
        created_at=now - timedelta(minutes=2),
    )
    just_asked = ResultsExport.objects.create(
        edition=jury.edition, requested_by=secretariat, language="en", created_at=now
    )
    other = JurorFactory(edition=jury.edition).user
    lost = ResultsExport.objects.create(
        edition=ChairFactory().edition,
        requested_by=other,
        language="en",
        status=Status.RUNNING,
        attempts=1,
        created_at=now - timedelta(minutes=10),
        started_at=now - timedelta(minutes=7),
    )
    hopeless = ResultsExport.objects.create(
        edition=jury.edition,
        requested_by=other,
        language="en",
        status=Status.RUNNING,
        attempts=results_exports.MAX_ATTEMPTS,
        started_at=now - timedelta(minutes=7),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert results_exports.catch_up_exports(now=now) == [waiting.pk, lost.pk]

    assert handed_over == [waiting.pk, lost.pk]
    statuses = dict(ResultsExport.objects.values_list("pk", "status"))
    assert statuses == {
        waiting.pk: "pending",
        just_asked.pk: "pending",
        lost.pk: "pending",
        hopeless.pk: "failed",
    }
    assert ResultsExport.objects.get(pk=hopeless.pk).error


def test_a_build_still_running_within_the_time_limit_is_left_alone(jury, chair, handed_over):
    now = timezone.now()
    ResultsExport.objects.create(
        edition=jury.edition,
        requested_by=chair,
        language="en",
        status=Status.RUNNING,
        created_at=now - timedelta(minutes=3),
        started_at=now - timedelta(minutes=3),
    )

    assert results_exports.catch_up_exports(now=now) == []
    assert ResultsExport.objects.get().status == Status.RUNNING


# --- A real worker -----------------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_file_and_mails_the_link(client, tmp_path, settings, mail_sink):
    from tests.conftest import start_celery_worker

    # The worker's VAR_DIR is tmp_path: its media folder is the one this process reads.
    settings.MEDIA_ROOT = tmp_path / "media"
    fixture = Jury()
    chair_user = fixture.jurors["chair"].user
    client.force_login(chair_user)
    env = {"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail_sink.port)}

    with start_celery_worker(tmp_path, env):
        response = ask(client, fixture.year)
        export = ResultsExport.objects.get()
        wait_for(
            lambda: (
                ResultsExport.objects.filter(pk=export.pk)
                .exclude(status__in=["pending", "running"])
                .exists()
            ),
            timeout=60,
        )
        mail = mail_sink.wait_for(to=chair_user.email, subject_contains=str(fixture.edition))

    export.refresh_from_db()
    assert response.status_code == 302
    assert export.status == Status.READY, export.error
    assert (tmp_path / "media" / export.file.name).exists()
    body = mail.get_body(("plain",)).get_content()
    assert f"/jury/{fixture.year}/results/exports/" in body
    download = client.get(url("download_results_export", fixture.year, export.pk))
    assert [row[0] for row in list(workbook_of(download)["Results"].values)[1:]] == [
        "Stödcentrum Alfa",
        "Jouren Gamma",
        "Team Beta",
    ]
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


# --- Query counts ------------------------------------------------------------------------------

# The session, the user, the second factor, the edition, the chair's role (asked by the view
# and by the service, which checks `by` itself), the job in progress looked for, its insert in
# a savepoint.
ASK_QUERIES = 10
# The claim, the row, the requester's role and conflicts, the results' five queries, the scores
# with their comments (one cursor), the row made ready and the e-mail queued (looked up,
# inserted; savepoints around both), the row read back.
BUILD_QUERIES = 18


@pytest.mark.parametrize("size", [(3, 3), (60, 8)])
def test_asking_and_building_ask_as_many_queries_however_many_scores(
    client, django_assert_num_queries, handed_over, storage, size
):
    edition, chair_user, _ = populate(*size)
    client.force_login(chair_user)

    with django_assert_num_queries(ASK_QUERIES):
        assert ask(client, edition.year).status_code == 302
    export = ResultsExport.objects.get()
    with django_assert_num_queries(BUILD_QUERIES):
        built = results_exports.build_export(export_id=export.pk)

    assert built.status == Status.READY
    scores = list(openpyxl.load_workbook(built.file.open("rb"))["Scores"].values)
    assert len(scores) == 1 + size[0] * size[1] * 2
