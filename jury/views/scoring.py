"""The juror's pages: their start page, the candidates to score, the scoring form, submission.

A juror sees only their own scores. Nominations reach them with personal identity numbers
masked. Another edition's jury, or a nominee the juror does not score, is a 404.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import Action
from audit.services import record
from jury import selectors
from jury.forms.scoring import ScoringForm, comment_field, score_field
from jury.models import Criterion, Juror, Score, ScoringNote
from jury.rules import allowed
from jury.selectors import edition_for_year, juror_for
from jury.selectors import vote as vote_selectors
from jury.services import scoring
from jury.services.conflicts import declarations_to_rule_on, has_declared_all, may_rule
from jury.services.jurors import mark_joined
from jury.views import access
from kvinnofrid.redirects import safe_next
from nominations.models import Edition, Nomination, Nominee
from nominations.validators import mask_personal_identity_numbers

# Rows per page of the juror's list of candidates; the progress counts all of them.
OVERVIEW_PER_PAGE = 250


def _declare_first(request, juror: Juror):
    messages.info(
        request,
        _("Before you score, tell us for every nominee whether you have a conflict of interest."),
    )
    return redirect("jury:conflicts", year=juror.edition.year)


# --- The start page ---------------------------------------------------------------------------


@dataclass
class JurorAgenda:
    """One edition the user is on the jury of, and what is left for them there."""

    juror: Juror
    declared_all: bool
    progress: scoring.ScoringProgress | None
    can_view_results: bool
    can_lead: bool
    can_manage: bool
    jurors: list[Juror]
    ballot_open: bool = False
    awaiting_ruling: int = 0

    @property
    def edition(self) -> Edition:
        return self.juror.edition


def _awaiting_ruling(user, edition: Edition) -> int:
    """How many declared conflicts wait for this chair's ruling."""
    own = selectors.conflicted_nominee_ids_of(user, edition)
    return sum(
        may_rule(user, declaration, chair=True, own_conflicts=own)
        for declaration in declarations_to_rule_on(edition)
    )


@login_required
@require_GET
def jury_home(request):
    user = request.user
    agendas = []
    for juror in (
        Juror.objects.filter(user=user).select_related("edition").order_by("-edition__year")
    ):
        mark_joined(juror)
        edition = juror.edition
        declared_all = has_declared_all(juror)
        can_lead = allowed(user, "jury.lead", edition)
        agendas.append(
            JurorAgenda(
                juror=juror,
                declared_all=declared_all,
                progress=scoring.scoring_progress(juror)
                if declared_all and edition.scoring_opened_at
                else None,
                can_view_results=allowed(user, "jury.view_results", edition),
                can_lead=can_lead,
                can_manage=allowed(user, "jury.manage", edition),
                jurors=list(edition.jurors.select_related("user").in_role_order())
                if can_lead
                else [],
                ballot_open=vote_selectors.ballot_refusal(edition) is None,
                awaiting_ruling=_awaiting_ruling(user, edition) if juror.is_chair else 0,
            )
        )
    # The secretariat runs juries it does not sit on: the editions still to be decided.
    managed = []
    if allowed(user, "jury.manage", None):
        current = Edition.objects.current()
        managed = list(
            Edition.objects.filter(Q(decided_at__isnull=True) | Q(pk=getattr(current, "pk", None)))
            .exclude(jurors__user=user)
            .order_by("-year")
        )
    return render(request, "jury/home.html", {"agendas": agendas, "managed": managed})


# --- Scoring ----------------------------------------------------------------------------------


@login_required
@require_GET
def scoring_overview(request, year: int):
    juror = juror_for(request.user, edition_for_year(year))
    if not has_declared_all(juror):
        return _declare_first(request, juror)
    edition = juror.edition
    progress = scoring.scoring_progress(juror) if edition.scoring_opened_at else None
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


@dataclass(frozen=True)
class MaskedText:
    label: str
    text: str


@dataclass(frozen=True)
class NominationForJuror:
    """What a juror may read of a nomination: no contact details, identity numbers masked."""

    reference_number: str
    nominating_organisation: str
    areas: list[str]
    municipalities: list[str]
    texts: list[MaskedText]
    attachments: list[str]


def _nominations_for_juror(nominee: Nominee) -> list[NominationForJuror]:
    nominations = (
        Nomination.objects.filter(nominee=nominee, status=Nomination.Status.ELIGIBLE)
        .select_related("nominator_organisation")
        .prefetch_related("areas", "municipalities", "attachments")
        .order_by("submitted_at", "pk")
    )
    return [
        NominationForJuror(
            reference_number=nomination.reference_number or "",
            nominating_organisation=nomination.nominator_organisation_name
            or getattr(nomination.nominator_organisation, "name", ""),
            areas=[area.display_name for area in nomination.areas.all()],
            municipalities=[m.name for m in nomination.municipalities.all()],
            texts=[
                MaskedText(
                    label=str(Nomination._meta.get_field(field).verbose_name),
                    text=mask_personal_identity_numbers(getattr(nomination, field)),
                )
                for field in Nomination.FREE_TEXT_FIELDS
            ],
            attachments=[
                mask_personal_identity_numbers(attachment.original_name)
                for attachment in nomination.attachments.all()
            ],
        )
        for nomination in nominations
    ]


def _scorable(request, year: int, nominee_id: int) -> tuple[Juror, Nominee | None]:
    """The juror and the nominee they score, or 404; no nominee until conflicts are declared."""
    juror = juror_for(request.user, edition_for_year(year))
    if not has_declared_all(juror):
        return juror, None
    # Not a candidate, not assigned, or conflicted: the same 404 for each.
    return juror, get_object_or_404(scoring.assigned_candidates(juror), pk=nominee_id)


def _scoring_form(juror: Juror, nominee: Nominee, criteria, data=None, *, read_only=False):
    initial = {}
    for score in Score.objects.filter(juror=juror, nominee=nominee, criterion__in=criteria):
        criterion = next(c for c in criteria if c.pk == score.criterion_id)
        initial[score_field(criterion)] = score.value
        initial[comment_field(criterion)] = score.comment
    note = ScoringNote.objects.filter(juror=juror, nominee=nominee).first()
    initial["notes"] = note.text if note else ""
    initial["version"] = scoring.score_version(juror, nominee)
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
    criteria = list(Criterion.objects.filter(edition=juror.edition))
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
            "nominations": _nominations_for_juror(nominee),
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
    criteria = list(Criterion.objects.filter(edition=juror.edition))
    form = _scoring_form(juror, nominee, criteria, request.POST)
    if not form.is_valid():
        return JsonResponse(
            {
                "saved": False,
                "message": _("Not saved yet: some fields need attention."),
                "errors": {
                    field: [str(e) for e in errors] for field, errors in form.errors.items()
                },
            },
            status=422,
        )
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
def submit_scores(request, year: int):
    juror = juror_for(request.user, edition_for_year(year))
    if not has_declared_all(juror):
        return _declare_first(request, juror)
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
    return redirect("jury:scoring", year=year)


@login_required
@require_POST
def reopen_scores(request, year: int, juror_id: int):
    edition = access.edition_for(request, year, "jury.lead")
    juror = get_object_or_404(
        Juror.objects.select_related("edition", "user"), pk=juror_id, edition=edition
    )
    try:
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
    except scoring.ScoringClosed as refused:
        messages.error(request, refused.args[0])
    return redirect(safe_next(request, request.POST.get("next")) or "jury:home")
