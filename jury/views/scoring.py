"""The juror's pages: their start page, the candidates to score, the scoring form, submission.

A juror sees only their own scores. Nominations reach them with personal identity numbers
masked. Another edition's jury, or a nominee the juror does not score, is a 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.redirects import safe_next
from audit.models import Action
from audit.services import record
from jury.forms.scoring import ScoringForm, comment_field, score_field
from jury.models import Juror
from jury.rules import allowed
from jury.selectors import home
from jury.selectors.conflicts import has_declared_all
from jury.selectors.scoring import (
    criteria_with_scores,
    nominations_for_juror,
    nominee_to_score,
    scoring_progress,
)
from jury.services import scoring
from jury.views import access
from kvinnofrid.autosave import invalid_form_answer
from nominations.models import Nominee

# Rows per page of the juror's list of candidates; the progress counts all of them.
OVERVIEW_PER_PAGE = 250


def _declare_first(request, juror: Juror):
    messages.info(
        request,
        _("Before you score, tell us for every nominee whether you have a conflict of interest."),
    )
    return redirect("jury:conflicts", year=juror.edition.year)


def _declared_seat(view):
    """For a view of the juror's own scoring: it gets their seat in the edition of `year`
    (404 without one), once they have declared on every nominee; until then they are sent
    to declare first."""

    @wraps(view)
    def with_seat(request, year: int):
        juror = access.seat_or_404(request, year)
        if not has_declared_all(juror):
            return _declare_first(request, juror)
        return view(request, juror)

    return with_seat


# --- The start page ---------------------------------------------------------------------------


@login_required
@require_GET
def jury_home(request):
    return render(
        request,
        "jury/home.html",
        {
            "agendas": home.agendas_of(request.user),
            "managed": home.managed_editions(request.user),
        },
    )


# --- Scoring ----------------------------------------------------------------------------------


@login_required
@require_GET
@_declared_seat
def scoring_overview(request, juror: Juror):
    edition = juror.edition
    progress = scoring_progress(juror) if edition.scoring_opened_at else None
    closed = scoring.closed_reason(juror)
    page = Paginator(progress.rows if progress else [], OVERVIEW_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "jury/scoring_overview.html",
        {
            "juror": juror,
            "edition": edition,
            "progress": progress,
            "rows": page.object_list,
            "page": page,
            "closed": closed,
            "can_submit": progress is not None
            and bool(progress.rows)
            and progress.complete
            and juror.scores_submitted_at is None
            and edition.decided_at is None,
            "can_view_results": allowed(request.user, "jury.view_results", edition),
        },
    )


def _scorable(request, year: int, nominee_id: int) -> tuple[Juror, Nominee | None]:
    """The juror and the nominee they score, or 404; no nominee until conflicts are declared."""
    juror = access.seat_or_404(request, year)
    nominee = nominee_to_score(juror, nominee_id)
    if nominee is None:
        if not has_declared_all(juror):
            return juror, None
        # Not a candidate, not assigned, or conflicted: the same 404 for each.
        raise Http404
    return juror, nominee if nominee.declared_all else None


def _scoring_form(juror: Juror, nominee: Nominee, criteria, data=None, *, read_only=False):
    """`nominee` from `nominee_to_score`, `criteria` from `criteria_with_scores`."""
    initial: dict[str, object] = {"notes": nominee.saved_notes, "version": nominee.saved_version}
    for criterion in criteria:
        if criterion.saved_value is not None:
            initial[score_field(criterion)] = criterion.saved_value
            initial[comment_field(criterion)] = criterion.saved_comment
    return ScoringForm(
        data,
        criteria=criteria,
        initial=initial,
        read_only=read_only,
        autosave_url=reverse("jury:autosave", args=[juror.edition.year, nominee.pk]),
    )


def _save(juror: Juror, nominee: Nominee, form: ScoringForm) -> int:
    return scoring.save_scores(
        juror=juror,
        nominee=nominee,
        values=form.values(),
        comments=form.comments(),
        notes=form.posted_notes(),
        expected_version=form.posted_version(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def score_nominee(request, year: int, nominee_id: int):
    juror, nominee = _scorable(request, year, nominee_id)
    if nominee is None:
        return _declare_first(request, juror)
    criteria = criteria_with_scores(juror, nominee)
    closed = scoring.closed_reason(juror)
    here = reverse("jury:score", args=[year, nominee.pk])
    if request.method == "POST":
        if closed:
            messages.error(request, closed)
            return redirect(here)
        form = _scoring_form(juror, nominee, criteria, request.POST)
        if form.is_valid():
            try:
                _save(juror, nominee, form)
            except (scoring.ScoringClosed, scoring.StaleScores) as refused:
                messages.error(request, refused.args[0])
                return redirect(here)
            messages.success(
                request, _("Your scores for %(nominee)s are saved.") % {"nominee": nominee.name}
            )
            if "save_and_list" in request.POST:
                return redirect("jury:scoring", year=year)
            return redirect(here)
    else:
        form = _scoring_form(juror, nominee, criteria, read_only=bool(closed))
    record(Action.NOMINEE_OPENED, actor=request.user, target=nominee, edition=juror.edition)
    return render(
        request,
        "jury/scoring_nominee.html",
        {
            "juror": juror,
            "edition": juror.edition,
            "nominee": nominee,
            "nominations": nominations_for_juror(nominee),
            "form": form,
            "closed": closed,
        },
    )


@login_required
@require_POST
def autosave_scores(request, year: int, nominee_id: int):
    """Saves the draft while the juror works; answers JSON for scoring.js."""
    juror, nominee = _scorable(request, year, nominee_id)
    if nominee is None:
        return JsonResponse(
            {"saved": False, "message": _("Declare your conflicts of interest first.")},
            status=409,
        )
    closed = scoring.closed_reason(juror)
    if closed:
        return JsonResponse({"saved": False, "message": str(closed)}, status=409)
    criteria = criteria_with_scores(juror, nominee)
    form = _scoring_form(juror, nominee, criteria, request.POST)
    if not form.is_valid():
        return invalid_form_answer(form)
    try:
        version = _save(juror, nominee, form)
    except scoring.ScoringClosed as refused:
        return JsonResponse({"saved": False, "message": str(refused.args[0])}, status=409)
    except scoring.StaleScores as refused:
        return JsonResponse(
            {"saved": False, "stale": True, "message": str(refused.args[0])}, status=409
        )
    return JsonResponse(
        {
            "saved": True,
            "version": version,
            "message": _("Saved at %(time)s.")
            % {"time": formats.time_format(timezone.localtime(), "H:i")},
        }
    )


@login_required
@require_POST
@_declared_seat
def submit_scores(request, juror: Juror):
    try:
        if scoring.submit_scores(juror=juror):
            messages.success(
                request,
                _("Thank you! Your scores are submitted and can no longer be changed."),
            )
    except scoring.ScoresIncomplete as incomplete:
        messages.error(
            request,
            _(
                "You have scored %(scored)d of %(total)d nominees. Score every criterion of "
                "every nominee before you submit."
            )
            % {"scored": incomplete.scored, "total": incomplete.total},
        )
    except (scoring.ScoringClosed, scoring.NothingToScore) as refused:
        messages.error(request, refused.args[0])
    return redirect("jury:scoring", year=juror.edition.year)


@login_required
@require_POST
def reopen_scores(request, year: int, juror_id: int):
    edition = access.edition_for(request, year, "jury.lead")
    juror = get_object_or_404(
        Juror.objects.select_related("edition", "user"), pk=juror_id, edition=edition
    )
    with access.refusal_as_message(request, scoring.ScoringClosed):
        if scoring.reopen_scores(juror=juror, by=request.user):
            messages.success(
                request,
                _("The scores of %(juror)s are reopened: they can change them again.")
                % {"juror": juror.user},
            )
        else:
            messages.info(
                request, _("%(juror)s has not submitted their scores.") % {"juror": juror.user}
            )
    return redirect(safe_next(request, request.POST.get("next")) or "jury:home")
