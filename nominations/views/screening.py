"""The secretariat's screening pages: the list, one nomination, the exports, closing screening.

Every view here needs the "nominations.screen" permission: anonymous visitors are sent to
sign in, anyone else signed in gets a 403.
"""

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import Action
from audit.services import record
from nominations import exports, selectors, services
from nominations.forms import CompleteScreeningForm, ScreeningFilterForm, ScreeningForm
from nominations.models import Edition, Nomination

# Nominees (cards) per page of the screening list.
SCREENING_PER_PAGE = 100

# The statuses a screening decision can be recorded on (the service refuses the others).
SCREENABLE = {
    Nomination.Status.SUBMITTED,
    Nomination.Status.ELIGIBLE,
    Nomination.Status.NOT_ELIGIBLE,
}


def secretariat_required(view):
    # login_required first, so that an anonymous visitor is asked to sign in, not refused.
    return login_required(permission_required("nominations.screen", raise_exception=True)(view))


def _filter_form(request) -> tuple[ScreeningFilterForm, Edition | None]:
    """The bound filter form and the edition it selects (the current one by default)."""
    data = request.GET.copy()
    if not data.get("edition") and (current := Edition.objects.current()):
        data["edition"] = str(current.year)
    form = ScreeningFilterForm(data)
    form.is_valid()
    if "edition" in form.errors:
        raise Http404
    # An invalid filter is shown with its error and otherwise ignored.
    return form, form.cleaned_data.get("edition")


def _list_url(year: int | str | None) -> str:
    url = reverse("nominations:screening_list")
    return f"{url}?{urlencode({'edition': year})}" if year else url


# --- Views -------------------------------------------------------------------------------------


@secretariat_required
@require_GET
@never_cache
def screening_list(request):
    form, edition = _filter_form(request)
    keys: list[int] = []
    groups: list[selectors.NomineeGroup] = []
    nomination_count, counts = 0, []
    if edition is not None:
        nominations = selectors.screening_queryset(edition, form.cleaned_data)
        keys, nomination_count = selectors.group_keys(nominations)
        counts = selectors.status_counts(edition)
    unscreened = sum(c["count"] for c in counts if c["status"] == Nomination.Status.SUBMITTED)
    # The filters stay in the URL; the page number joins them (includes/_pagination.html).
    # A page of nominees is cut from their ids; only its nominations are loaded whole.
    page = Paginator(keys, SCREENING_PER_PAGE).get_page(request.GET.get("page"))
    if edition is not None and page.object_list:
        groups = selectors.groups_of(nominations, list(page.object_list))
    return render(
        request,
        "nominations/screening_list.html",
        {
            "form": form,
            "edition": edition,
            "groups": groups,
            "page": page,
            "nomination_count": nomination_count,
            "status_counts": counts,
            "unscreened": unscreened,
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
@never_cache
def screening_detail(request, pk: int):
    nomination = get_object_or_404(selectors.screenable_nominations(), pk=pk)
    form = None
    # The form only when a decision can be recorded: a submitted nomination, in screening.
    screening_open = nomination.edition.phase == Edition.Phase.SCREENING
    if nomination.status in SCREENABLE and screening_open:
        form = ScreeningForm(request.POST or None, initial=_screening_initial(nomination))
    if request.method == "POST":
        if form is not None and form.is_valid():
            try:
                screened = services.screen_nomination(
                    nomination,
                    eligible=form.cleaned_data["eligible"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except PermissionDenied as refusal:
                # The nominator withdrew it while the page was open.
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request,
                    _("The decision on %(reference)s has been recorded: %(decision)s.")
                    % {
                        "reference": screened.reference_number,
                        "decision": screened.get_status_display(),
                    },
                )
            return redirect("nominations:screening_detail", pk=pk)
        if form is None:
            messages.error(
                request,
                _("Nominations are screened after the call has closed and before the jury starts.")
                if nomination.status in SCREENABLE
                else _("Only submitted nominations are screened."),
            )
            return redirect("nominations:screening_detail", pk=pk)

    record(Action.NOMINATION_OPENED, actor=request.user, target=nomination)
    pin_fields = services.personal_identity_number_fields(nomination)
    return render(
        request,
        "nominations/screening_detail.html",
        {
            "nomination": nomination,
            "form": form,
            "screening_open": screening_open,
            "nominee_facts": exports.nominee_facts(nomination),
            "nominator_facts": exports.nominator_facts(nomination),
            "pin_fields": pin_fields,
            "pin_labels": [str(exports.LABELS[field]) for field in pin_fields]
            + services.attachments_with_personal_identity_numbers(nomination),
            "others": selectors.other_nominations_of_nominee(nomination),
            "history": selectors.nominee_history(nomination.nominee),
            "list_url": _list_url(nomination.edition.year),
        },
    )


def _screening_initial(nomination: Nomination) -> dict:
    decision = {
        Nomination.Status.ELIGIBLE: "yes",
        Nomination.Status.NOT_ELIGIBLE: "no",
    }.get(nomination.status)
    return {"eligible": decision, "reason": nomination.screening_reason}


@secretariat_required
@require_GET
@never_cache
def screening_export(request, file_format: str):
    if file_format not in ("csv", "xlsx"):
        raise Http404
    form, edition = _filter_form(request)
    if edition is None:
        raise Http404
    nominations = selectors.screening_queryset(edition, form.cleaned_data)
    if file_format == "csv":
        content = exports.nominations_csv(nominations)
    else:
        content = exports.nominations_xlsx(
            nominations, title=_("Nominations %(year)s") % {"year": edition.year}
        )
    # The filters are not recorded: a search term may be a name.
    record(
        Action.SCREENING_EXPORTED,
        actor=request.user,
        target=edition,
        edition=edition,
        data={"format": file_format, "filtered": _is_filtered(request)},
    )
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"nominations-{edition.year}.{file_format}",
        content_type=exports.SPREADSHEET_CONTENT_TYPES[file_format],
    )


@secretariat_required
@require_GET
@never_cache
def nomination_pdf(request, pk: int):
    nomination = get_object_or_404(selectors.screenable_nominations(), pk=pk)
    content = exports.nomination_pdf(nomination)
    record(Action.NOMINATION_PDF_DOWNLOADED, actor=request.user, target=nomination)
    return FileResponse(
        io.BytesIO(content), as_attachment=True, filename=f"{nomination.reference_number}.pdf"
    )


def _is_filtered(request) -> bool:
    return any(value for key, value in request.GET.items() if key != "edition")


@secretariat_required
@require_POST
def complete_screening(request):
    form = CompleteScreeningForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("edition", []):
            messages.error(request, error)
        # Back to the edition in question if it exists, else to the current one.
        known = form.has_error("edition", "wrong_phase")
        return redirect(_list_url(request.POST["edition"] if known else None))
    edition = form.cleaned_data["edition"]
    services.complete_screening(edition, by=request.user)
    messages.success(
        request,
        _("Screening of %(edition)s is completed: the nominations now go to the jury.")
        % {"edition": edition},
    )
    return redirect(_list_url(edition.year))
