"""The chair asks for the results as Excel, through the real stack: Chromium, the live server,
a Celery worker on Redis, PostgreSQL and an SMTP sink.

The exports page says the file is being prepared and, without a reload, shows the download
link once the worker is done (htmx asks for the list again); the mail links to the page, and
the download is the workbook. English pages (/en/), as in the jury's journey.
"""

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from jury.models import ResultsExport
from tests.browser.test_jury_journey import jury_at_work, scores_in_the_database

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_asks_for_the_workbook_and_downloads_it_when_it_is_ready(
    live_server, page, sign_in, axe_check, mail_sink, site_url, settings, tmp_path, celery_worker
):
    # The worker's VAR_DIR is tmp_path: its media folder is the one the live server reads.
    settings.MEDIA_ROOT = tmp_path / "media"
    jury = jury_at_work("Alfateamet", "Betagruppen", members=1)
    alfa, beta = jury["nominees"]
    scores_in_the_database(jury["chair"], jury["criteria"], {alfa: 5, beta: 3})
    edition, chair = jury["edition"], jury["chair"].user
    sign_in(chair)

    page.goto(f"{live_server.url}/en/jury/{edition.year}/results/")
    page.get_by_role("button", name="Export as Excel (XLSX)").click()

    expect(page).to_have_url(f"{live_server.url}/en/jury/{edition.year}/results/exports/")
    expect(page.get_by_role("status")).to_contain_text("The Excel file is being prepared.")
    axe_check("chair: the results' Excel files, one being prepared (en)")
    # The worker builds it meanwhile; the list shows the link by itself.
    link = page.get_by_role("link", name=f"Download resultat-{edition.year}.xlsx")
    expect(link).to_be_visible(timeout=30_000)
    expect(page.locator("tr.results-export")).to_have_attribute("data-status", "ready")
    axe_check("chair: the results' Excel files, one ready (en)")

    mail = mail_sink.wait_for(to=chair.email, subject_contains=str(edition))
    text = mail.get_body(("plain",)).get_content()
    # The chair reads Swedish: the link is to the Swedish page, never to the file.
    assert f"{site_url}/jury/{edition.year}/results/exports/\r\n" in text
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"resultat-{edition.year}.xlsx"
    # Playwright keeps the download under a name without an extension, which openpyxl refuses.
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    names = [row[0] for row in list(workbook["Results"].values)[1:]]
    assert names == ["Alfateamet", "Betagruppen"]
    assert ResultsExport.objects.get().status == ResultsExport.Status.READY
