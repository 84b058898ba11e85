"""The person's own register extract, and the secretariat's extracts and erasures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from privacy import services
from privacy.forms import ErasureForm, PersonForm

CONTENT_TYPES = {"json": "application/json", "pdf": "application/pdf"}
PERMISSION = "privacy.manage_personal_data"


def _file(content: bytes, file_format: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(
        True, f"registerutdrag.{file_format}"
    )
    return response


@require_GET
@login_required
def my_data(request):
    return render(request, "privacy/my_data.html")


@require_GET
@login_required
def my_data_download(request, file_format: str):
    if file_format not in CONTENT_TYPES:
        raise Http404
    content = services.register_extract(
        email=request.user.email, file_format=file_format, by=request.user
    )
    return _file(content, file_format)


@require_http_methods(["GET", "POST"])
@login_required
def staff_personal_data(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    extract_form = PersonForm(prefix="extract")
    erasure_form = ErasureForm(prefix="erase")
    if request.method == "POST" and "extract-email" in request.POST:
        extract_form = PersonForm(request.POST, prefix="extract")
        file_format = request.POST.get("format")
        if extract_form.is_valid() and file_format in CONTENT_TYPES:
            content = services.register_extract(
                email=extract_form.cleaned_data["email"], file_format=file_format, by=request.user
            )
            return _file(content, file_format)
    elif request.method == "POST":
        erasure_form = ErasureForm(request.POST, prefix="erase")
        if erasure_form.is_valid():
            services.erase_person(
                email=erasure_form.cleaned_data["email"],
                reason=erasure_form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(
                request,
                _("What could be erased is erased. What is part of a public record is kept."),
            )
            return redirect("privacy:staff")
    return render(
        request,
        "privacy/staff.html",
        {"extract_form": extract_form, "erasure_form": erasure_form},
    )
