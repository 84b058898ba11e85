"""The jury's results: the page, the spreadsheet exports and the protocol.

Who sees what:

- Anonymous visitors are sent to sign in.
- Someone with no part in this edition's jury (not one of its jurors, not the secretariat)
  gets a 404 on every view here, as for a jury that does not exist: the pages give no hint of
  who sits on which jury.
- A juror of the edition who may not see a page gets a 403: on the results page, a friendly
  one asking them to submit their own scores first (so that the others' do not sway theirs);
  on the exports and the protocol, which are for the chair and the secretariat, the plain one.
- The chair and the secretariat see everything, jurors' names included; a member who has
  submitted sees the figures per nominee, but never another juror's scores or comments.
"""

import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.models import Action
from audit.services import record
from jury import charts, reports, selectors, table_rows
from jury.forms.results import ResultsFilterForm
from jury.reports import caching
from jury.reports.listing import listed_candidates
from jury.rules import allowed
from jury.views import access
from nominations.exports import SPREADSHEET_CONTENT_TYPES
from nominations.models import Edition

# Rows per page of the ranking: the ranks are still over every nominee, the page shows a slice.
RESULTS_PER_PAGE = 250


def _hidden(request, edition) -> frozenset[int]:
    """The candidates the user has an effective conflict of interest on, as a juror."""
    return frozenset(selectors.conflicted_nominee_ids_of(request.user, edition)) & frozenset(
        selectors.candidates(edition).values_list("pk", flat=True)
    )


@login_required
@require_GET
@never_cache
def results(request, year: int):
    edition, permitted = access.edition_if_allowed(request, year, "jury.view_results")
    if not permitted:
        return render(request, "jury/results_not_submitted.html", {"edition": edition}, status=403)
    is_lead = allowed(request.user, "jury.lead", edition)
    # A juror, the chair too, never sees the figures of a nominee they have a conflict of
    # interest on, nor anything (a rank, a count) from which to infer them. The report counts
    # those that are candidates: no query for the candidates here.
    hidden = frozenset(selectors.conflicted_nominee_ids_of(request.user, edition))
    form = ResultsFilterForm(request.GET)
    filters = form.filters()

    def figures() -> str:
        report = reports.load_results(edition, hidden=hidden)
        # The ranks are over every nominee the reader may see; the filters choose the rows.
        listed = listed_candidates(report, **filters)
        page = Paginator(listed, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        chart = ""
        if page.object_list:
            # The chart follows the page: at most RESULTS_PER_PAGE boxes, never all 2,000.
            chart = charts.score_boxes(
                page.object_list, scale_min=report.scale_min, scale_max=report.scale_max
            )
        context = {
            "edition": edition,
            "report": report,
            "form": form,
            "listed_count": len(listed),
            "rows": page.object_list,
            "page": page,
            "is_lead": is_lead,
            "chart": chart,
            "result_rows": table_rows.result_rows(page.object_list),
            "criteria_rows": table_rows.criteria_rows(page.object_list),
            "juror_results": report.jurors if is_lead else (),
            "thin_jurors": report.thin_jurors if is_lead else (),
            "withheld": report.withheld_count,
        }
        return render_to_string("jury/results_figures.html", context, request)

    # Rendered once per page, filter and order until the results change, and shared by the
    # web processes: a page found rendered needs no report. The shortlist is not among what
    # they rest on, so a page filtered by it is rendered afresh each time.
    if filters["shortlisted_only"]:
        rendered = figures()
    else:
        key = (tuple(sorted(hidden)), is_lead, get_language(), request.GET.urlencode())
        rendered = caching.kept_fragment(edition.pk, key, figures)
    return render(
        request,
        "jury/results_detail.html",
        {"edition": edition, "is_lead": is_lead, "figures": rendered},
    )


@access.edition_page("jury.lead")
def export_results(request, edition: Edition, file_format: str):
    # The XLSX is too slow to write in a request: a worker builds it (views/exports.py).
    if file_format != "csv":
        raise Http404
    report = reports.load_results(edition, hidden=_hidden(request, edition))
    # Written as the scores are read: the first bytes leave before the last row is read.
    response = StreamingHttpResponse(
        reports.results_csv(report), content_type=SPREADSHEET_CONTENT_TYPES["csv"]
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"resultat-{edition.year}.csv"
    )
    record(
        Action.RESULTS_EXPORTED,
        actor=request.user,
        target=edition,
        edition=edition,
        data={"format": file_format},
    )
    return response


@access.edition_page("jury.lead")
def protocol_pdf(request, edition: Edition):
    content = reports.protocol_pdf(reports.load_protocol(edition, hidden=_hidden(request, edition)))
    record(Action.PROTOCOL_DOWNLOADED, actor=request.user, target=edition, edition=edition)
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=f"protokoll-{edition.year}.pdf"
    )
