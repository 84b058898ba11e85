"""The public pages of the prize (archive, winner's page, feed, diploma) and the writers'
pages of the announcement (editor, preview, approvals, schedule)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jury.models import Juror
from nominations.models import Edition
from publication import rules, selectors, services
from publication.diploma import diploma_pdf
from publication.forms import AnnouncementForm, ScheduleForm
from publication.markup import render_markdown


@require_GET
def announcement_list(request):
    return render(
        request,
        "publication/announcement_list.html",
        {"announcements": selectors.published_announcements()},
    )


@require_GET
def announcement_detail(request, year: int):
    # Until its publication time, a winner is nobody's business: 404, not a preview.
    announcement = get_object_or_404(selectors.published_announcements(), edition__year=year)
    return render(
        request,
        "publication/announcement_detail.html",
        {
            "announcement": announcement,
            "mentions": selectors.honourable_mention_names(announcement),
            "partners": selectors.partners(),
            "presented": selectors.is_prize_presented(announcement.edition),
        },
    )


def _chair_name(announcement) -> str:
    chair = (
        Juror.objects.filter(edition_id=announcement.edition_id, role=Juror.Role.CHAIR)
        .select_related("user")
        .first()
    )
    return (chair.user.get_full_name() or chair.user.email) if chair else ""


@require_GET
def diploma(request, year: int):
    announcement = selectors.announcement_for_writers(year)
    if announcement is None or not request.user.has_perm(
        "publication.download_diploma", announcement
    ):
        raise Http404
    content = diploma_pdf(announcement, chair_name=_chair_name(announcement))
    response = FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=f"kvinnofridspriset-{year}-diplom.pdf",
        content_type="application/pdf",
    )
    if not announcement.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def photo(request, year: int):
    """The winner's photo: public once published, before that the writers' alone."""
    announcement = selectors.announcement_for_writers(year)
    if announcement is None or not announcement.photo:
        raise Http404
    if not (
        announcement.is_published
        or request.user.has_perm("publication.view_announcement", announcement)
    ):
        raise Http404
    try:
        # Streamed from the storage, whichever it is: a redirect to the bucket would hand
        # out the file past this view's check.
        handle = announcement.photo.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle)
    if not announcement.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def current_year_overview(request):
    """The secretariat's landing page: the overview of the edition at hand."""
    if not rules.is_secretariat(request.user):
        raise Http404
    edition = Edition.objects.current()
    if edition is None:
        return redirect("admin:index")
    return redirect("publication:year_overview", year=edition.year)


@login_required
@require_GET
def year_overview(request, year: int):
    """The secretariat's view of one edition: where the year stands and the way to each page."""
    if not rules.is_secretariat(request.user):
        raise Http404
    edition = get_object_or_404(Edition, year=year)
    return render(
        request,
        "publication/year_overview.html",
        {
            "edition": edition,
            "stages": selectors.year_overview(edition),
            "next_step": selectors.next_step(edition),
            "editions": Edition.objects.order_by("-year").values_list("year", flat=True),
        },
    )


# --- The writers' pages --------------------------------------------------------------------


def _announcement_for_writer(request, year: int):
    """The announcement for its writers (the chair, the secretariat); 404 for everyone else,
    so the page does not say whether a decision exists."""
    announcement = selectors.announcement_for_writers(year)
    if announcement is None or not request.user.has_perm(
        "publication.view_announcement", announcement
    ):
        raise Http404
    return announcement


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def announcement_edit(request, year: int):
    announcement = _announcement_for_writer(request, year)
    initial = {"version": announcement.version}
    if request.GET.get("start") == "comments" and not announcement.citation.strip():
        # The jurors' words as a first draft; nothing is saved until the writer saves.
        initial["citation"] = selectors.citation_draft_from_comments(announcement)
    form = AnnouncementForm(
        request.POST or None, request.FILES or None, instance=announcement, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_announcement(
                announcement,
                by=request.user,
                data=form.changes(),
                expected_version=form.cleaned_data["version"],
            )
        except services.StaleAnnouncementError:
            form.add_error(
                None,
                _(
                    "Someone else has saved the announcement since you opened it. Your text is "
                    "still here: copy what you need, reload the page and save again."
                ),
            )
        except PermissionDenied:
            messages.error(
                request, _("The announcement is published and can no longer be changed.")
            )
            return redirect("publication:announcement_edit", year=year)
        else:
            messages.success(request, _("The announcement is saved."))
            return redirect("publication:announcement_edit", year=year)
    return _editor_page(request, announcement, form=form)


def _editor_page(request, announcement, *, form=None, schedule_form=None):
    """The announcement's page: the text, its approvals, its schedule and its history."""
    return render(
        request,
        "publication/announcement_edit.html",
        {
            "announcement": announcement,
            "form": form
            or AnnouncementForm(instance=announcement, initial={"version": announcement.version}),
            "schedule_form": schedule_form
            or ScheduleForm(initial={"publish_at": announcement.edition.announcement_at}),
            **_workflow_context(request, announcement),
        },
    )


def _workflow_context(request, announcement) -> dict:
    return {
        **selectors.approval_state(announcement, request.user),
        "missing": services.missing_for_approval(announcement),
        "comments": selectors.jurors_comments_on_winner(announcement),
        "mentions": selectors.honourable_mention_names(announcement),
        "may_schedule": request.user.has_perm("publication.schedule_announcement", announcement),
    }


@login_required
@require_POST
def announcement_preview(request, year: int):
    """The live preview: the server's own rendering, so it shows what will be published."""
    _announcement_for_writer(request, year)
    return HttpResponse(render_markdown(request.POST.get("text", "")[:50_000]))


@login_required
@require_POST
def announcement_approve(request, year: int):
    announcement = _announcement_for_writer(request, year)
    try:
        version = int(request.POST.get("version", ""))
        services.approve_announcement(announcement, by=request.user, version=version)
    except (ValueError, services.StaleAnnouncementError):
        messages.error(
            request,
            _("The announcement has changed since you read it. Read it again before approving."),
        )
    except PermissionDenied:
        messages.error(request, _("You cannot approve this announcement."))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, _("Your approval is recorded."))
    return redirect("publication:announcement_edit", year=year)


@login_required
@require_POST
def announcement_schedule(request, year: int):
    announcement = _announcement_for_writer(request, year)
    form = ScheduleForm(request.POST)
    if not request.user.has_perm("publication.schedule_announcement", announcement):
        raise PermissionDenied
    if form.is_valid():
        services.schedule_announcement(
            announcement, by=request.user, at=form.cleaned_data["publish_at"]
        )
        messages.success(request, _("The publication time is saved."))
        return redirect("publication:announcement_edit", year=year)
    return _editor_page(request, announcement, schedule_form=form)


@login_required
@require_POST
def announcement_publish_now(request, year: int):
    announcement = _announcement_for_writer(request, year)
    if not request.user.has_perm("publication.schedule_announcement", announcement):
        raise PermissionDenied
    try:
        services.publish_now(announcement, by=request.user)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(
            request, _("The announcement is being published. It is public within a minute.")
        )
    return redirect("publication:announcement_edit", year=year)
