"""The results as an Excel workbook: asked for here, built by a worker, downloaded here.

Who may: those who may export the results today (`jury.lead`: the chair and the
secretariat, by the jury's rules; refusals as on the results page, `views/access.py`). Each
sees and downloads only the workbooks they asked for themselves; another's is a 404.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from jury.rules import may_download_export
from jury.selectors.exports import ready_export_of, results_exports_of
from jury.services.results_exports import request_export
from jury.views import access
from nominations.exports import SPREADSHEET_CONTENT_TYPES
from nominations.models import Edition

# How often the exports page asks again while a workbook is being prepared.
POLL_SECONDS = 3


@access.edition_page("jury.lead", methods=("POST",))
def request_results_export(request, edition: Edition):
    _export, created = request_export(edition=edition, by=request.user, language=get_language())
    if created:
        messages.success(
            request,
            _(
                "The Excel file is being prepared. It appears here when it is ready, and we "
                "send you an e-mail."
            ),
        )
    else:
        messages.info(request, _("Your Excel file is already being prepared."))
    return redirect("jury:results_exports", edition.year)


@access.edition_page("jury.lead")
def results_exports(request, edition: Edition):
    exports = results_exports_of(request.user, edition)
    context = {
        "edition": edition,
        "exports": exports,
        "polling": any(export.in_progress for export in exports),
        "poll_seconds": POLL_SECONDS,
    }
    # htmx asks for the list alone while a workbook is being prepared.
    template = "jury/results_exports.html"
    if request.headers.get("HX-Request"):
        template += "#export-list"
    return render(request, template, context)


@access.edition_page("jury.lead")
def download_results_export(request, edition: Edition, export_id: int):
    export = ready_export_of(request.user, edition, export_id)
    if export is None:
        raise Http404
    if not may_download_export(request.user, export):
        messages.error(
            request,
            _(
                "This file was prepared before you declared a conflict of interest, so it shows "
                "figures you may not see. Ask for a new one."
            ),
        )
        return redirect("jury:results_exports", edition.year)
    record(
        Action.RESULTS_EXPORTED,
        actor=request.user,
        target=edition,
        edition=edition,
        data={"format": "xlsx", "export": export.pk},
    )
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"resultat-{edition.year}.xlsx",
        content_type=SPREADSHEET_CONTENT_TYPES["xlsx"],
    )
