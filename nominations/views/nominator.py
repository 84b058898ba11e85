"""The nominator's pages: their nominations, the form, the receipt. Nobody sees another's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, OuterRef
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import Action
from audit.services import record
from kvinnofrid.autosave import invalid_form_answer
from nominations import services
from nominations.forms import NominationForm
from nominations.models import Edition, Nomination

CLOSED_BEFORE_SENT = gettext_lazy(
    "The call for nominations closed before you sent this. Nothing was saved."
)


def _stored_ids(through, choice: str) -> ArraySubquery:
    return ArraySubquery(through.objects.filter(nomination=OuterRef("pk")).values(f"{choice}_id"))


def _own_nomination(request, pk: int, *, for_the_form: bool = False) -> Nomination:
    # Another nominator's nomination is a 404: its existence is not revealed.
    # With its edition (and the announcement its phase reads) and the count of its
    # attachments that the form needs, and for the form the ids of the municipalities and
    # areas stored (NominationForm's initial choices): one query.
    nominations = (
        Nomination.objects.of(request.user)
        .select_related("edition__announcement")
        .annotate(attachment_count=Count("attachments"))
    )
    # ArraySubquery is PostgreSQL's; elsewhere (SQLite under `make run`) the form reads the
    # stored choices itself, one query each.
    if for_the_form and connection.vendor == "postgresql":
        nominations = nominations.annotate(
            stored_municipalities=_stored_ids(Nomination.municipalities.through, "municipality"),
            stored_areas=_stored_ids(Nomination.areas.through, "area"),
        )
    return get_object_or_404(nominations, pk=pk)


def _pin_warning(nomination: Nomination) -> str | None:
    fields = services.personal_identity_number_fields(nomination)
    attached = services.attachments_with_personal_identity_numbers(nomination)
    if not (fields or attached):
        return None
    labels = ", ".join(
        [str(Nomination._meta.get_field(field).verbose_name) for field in fields] + attached
    )
    return _(
        "It looks as if you have written a personal identity number in: %(fields)s. "
        "Please remove it: nominations must not contain personal identity numbers."
    ) % {"fields": labels}


@login_required
@require_GET
def my_nominations(request):
    nominations = (
        Nomination.objects.of(request.user)
        .select_related("edition")
        .order_by("-edition__year", "-created_at")
    )
    return render(
        request,
        "nominations/nomination_list.html",
        {"nominations": nominations, "edition": Edition.objects.for_the_call()},
    )


@login_required
@require_POST
def create_nomination(request):
    edition = Edition.objects.for_the_call()
    if edition is None or not edition.accepts_nominations():
        messages.error(request, _("The call for nominations is closed."))
        return redirect("nominations:call")
    nomination = services.create_draft(edition=edition, by=request.user)
    return redirect("nominations:edit", pk=nomination.pk)


@login_required
@require_GET
def nomination_detail(request, pk: int):
    nomination = _own_nomination(request, pk)
    return render(
        request,
        "nominations/nomination_detail.html",
        {
            "nomination": nomination,
            "attachments": nomination.attachments.all(),
            "municipalities": nomination.municipalities.all(),
            "areas": nomination.areas.all(),
            "editable": nomination.is_editable(),
            # Also the page a submission lands on: the warning it has had no page to show on.
            "pin_warning": _pin_warning(nomination),
        },
    )


def _choice(form: NominationForm, field: str) -> services.Choice | None:
    # The form has read the stored choice already: an unchanged one (as autosave left it)
    # is not written again, a changed one only by its difference.
    if field not in form.changed_data or field not in form.cleaned_data:
        return None
    return services.Choice(
        chosen=[choice.pk for choice in form.cleaned_data[field]], stored=form.initial[field]
    )


def _changes(form: NominationForm) -> dict:
    form.save(commit=False)
    return {
        "municipalities": _choice(form, "municipalities"),
        "areas": _choice(form, "areas"),
        "new_files": form.cleaned_data.get("new_attachments", []),
        "remove_attachments": form.cleaned_data.get("remove_attachments") or [],
    }


def _save(request, nomination: Nomination, form: NominationForm) -> Nomination:
    return services.save_nomination(nomination, by=request.user, **_changes(form))


@login_required
@require_http_methods(["GET", "POST"])
def edit_nomination(request, pk: int):
    nomination = _own_nomination(request, pk, for_the_form=True)
    if not nomination.is_editable():
        if request.method == "POST":
            messages.error(request, CLOSED_BEFORE_SENT)
        else:
            messages.info(request, _("This nomination can no longer be changed."))
        return redirect("nominations:detail", pk=pk)

    is_draft = nomination.awaits_submission
    if request.method == "POST" and "submit" in request.POST and not is_draft:
        # A second click on "submit": it is already in, show the receipt again.
        return redirect("nominations:detail", pk=pk)
    submitting = is_draft and "submit" in request.POST
    form = NominationForm(
        request.POST or None,
        request.FILES or None,
        instance=nomination,
        require_complete=submitting or not is_draft,
    )
    files_not_kept = False
    if request.method == "POST":
        try:
            if form.is_valid():
                if submitting:
                    if services.save_and_submit(nomination, by=request.user, **_changes(form)):
                        messages.success(
                            request,
                            _("Thank you! Your nomination has been submitted as %(ref)s.")
                            % {"ref": nomination.reference_number},
                        )
                    return redirect("nominations:detail", pk=pk)
                _save(request, nomination, form)
                # The edit page shows the warning itself: a message would say it twice.
                messages.success(request, _("Your changes have been saved."))
                return redirect("nominations:edit", pk=pk)
            if submitting:
                _save_what_is_valid_as_draft(request, nomination)
            files_not_kept = not _keep_chosen_files(request, nomination, form)
        except services.NominationClosed:
            messages.error(request, CLOSED_BEFORE_SENT)
            return redirect("nominations:detail", pk=pk)
    return render(
        request,
        "nominations/nomination_form.html",
        {
            "nomination": nomination,
            "form": form,
            "pin_warning": _pin_warning(nomination),
            "files_not_kept": files_not_kept,
        },
    )


def _save_what_is_valid_as_draft(request, nomination: Nomination) -> None:
    # An incomplete submission still keeps its progress: a draft needs nothing filled in.
    draft_form = NominationForm(request.POST, instance=Nomination.objects.get(pk=nomination.pk))
    if draft_form.is_valid():
        _save(request, draft_form.instance, draft_form)


def _keep_chosen_files(request, nomination: Nomination, form: NominationForm) -> bool:
    """A refused form must not silently drop the files chosen with it: a draft keeps the
    acceptable ones. True if every chosen file is now stored (or none was chosen)."""
    if not request.FILES.getlist("new_attachments"):
        return True
    if nomination.status != Nomination.Status.DRAFT or "new_attachments" in form.errors:
        return False
    services.save_nomination(
        Nomination.objects.get(pk=nomination.pk),
        by=request.user,
        new_files=form.cleaned_data["new_attachments"],
    )
    return True


@login_required
@require_POST
def autosave_nomination(request, pk: int):
    """Saves a draft while the nominator types; answers JSON for the page's script."""
    nomination = _own_nomination(request, pk, for_the_form=True)
    if nomination.status != Nomination.Status.DRAFT or not nomination.is_editable():
        return JsonResponse(
            {"saved": False, "message": _("The draft can no longer be changed.")}, status=409
        )
    form = NominationForm(request.POST, instance=nomination)
    if not form.is_valid():
        return invalid_form_answer(form)
    try:
        _save(request, nomination, form)
    except services.NominationClosed:
        return JsonResponse(
            {"saved": False, "message": _("The call for nominations is closed.")}, status=409
        )
    return JsonResponse(
        {
            "saved": True,
            "message": _("Draft saved at %(time)s.")
            % {"time": formats.time_format(timezone.localtime(), "H:i")},
            "warning": _pin_warning(nomination) or "",
        }
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_nomination(request, pk: int):
    nomination = _own_nomination(request, pk)
    if not nomination.is_editable():
        raise PermissionDenied(_("This nomination can no longer be withdrawn."))
    if request.method == "POST":
        was_draft = nomination.status == Nomination.Status.DRAFT
        try:
            services.withdraw_nomination(nomination, by=request.user)
        except services.NominationClosed:
            messages.error(request, _("The call for nominations has closed."))
            return redirect("nominations:detail", pk=pk)
        messages.success(
            request,
            _("The draft has been deleted.")
            if was_draft
            else _("The nomination has been withdrawn."),
        )
        return redirect("nominations:mine")
    return render(request, "nominations/nomination_withdraw.html", {"nomination": nomination})


@login_required
@require_GET
def download_attachment(request, pk: int, attachment_pk: int):
    # A draft is the nominator's alone: the secretariat sees files once they are sent.
    nomination = Nomination.objects.of(request.user).filter(pk=pk).first()
    if nomination is None and request.user.has_perm("nominations.screen"):
        nomination = (
            Nomination.objects.exclude(status=Nomination.Status.DRAFT).filter(pk=pk).first()
        )
    if nomination is None:
        raise Http404
    by_secretariat = nomination.nominator_id != request.user.pk
    attachment = get_object_or_404(nomination.attachments, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    if by_secretariat:
        # The nomination, not the file: a file's name may name a person.
        record(
            Action.ATTACHMENT_DOWNLOADED,
            actor=request.user,
            target=nomination,
            data={"attachment": attachment.pk},
        )
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
