"""Conflicts of interest (jäv): a juror's declarations, and the rulings on them.

A juror declares on their edition's page; anyone not on that jury gets a 404, and nothing
there shows more of a nomination than the nominee's and the nominators' names. The rulings
need "jury.lead" (the chair or the secretariat): anonymous visitors are sent to sign in,
anyone else signed in gets a 403, as does a chair on their own declaration.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jury import selectors
from jury.forms.conflicts import ConflictsForm, RulingForm, WithdrawalForm
from jury.models import ConflictDeclaration
from jury.rules import is_chair, may_rule
from jury.selectors.conflicts import (
    candidate_rows,
    declarations_to_rule_on,
    dismissed_proposals,
    past_rulings,
)
from jury.services import conflicts
from jury.views import access
from nominations.models import Edition


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def declare_conflicts(request, year: int):
    juror = access.seat_or_404(request, year)
    edition = juror.edition
    closed = edition.decided_at is not None
    rows = candidate_rows(juror)
    form = ConflictsForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST":
        if closed:
            messages.error(
                request, _("The jury has decided: the declarations can no longer change.")
            )
            return redirect("jury:conflicts", year=year)
        if form.is_valid():
            with access.refusal_as_message(request, conflicts.DeclarationsClosed):
                conflicts.declare_conflicts(juror=juror, answers=form.answers(), by=request.user)
                messages.success(request, _("Thank you: your declarations are saved."))
                return redirect("jury:home")
            # Refused: back to the declarations, with the reason.
            return redirect("jury:conflicts", year=year)
    return render(
        request,
        "jury/conflicts_declare.html",
        {"edition": edition, "juror": juror, "form": form, "rows": form.rows(), "closed": closed},
    )


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def request_withdrawal(request, year: int, declaration_id: int):
    """The juror asks to withdraw one of their declared conflicts; a ruling decides."""
    juror = access.seat_or_404(request, year)
    edition = juror.edition
    # Another juror's declaration, or no conflict: the same 404.
    declaration = get_object_or_404(
        ConflictDeclaration.objects.select_related("nominee", "juror__edition"),
        pk=declaration_id,
        juror=juror,
        conflicted=True,
    )
    form = WithdrawalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with access.refusal_as_message(request, conflicts.RulingRefused):
            conflicts.request_withdrawal(
                declaration=declaration, reason=form.cleaned_data["reason"], by=request.user
            )
            messages.success(
                request,
                _(
                    "Your request to withdraw the declaration on %(nominee)s is sent. The "
                    "conflict of interest stands until it is ruled on."
                )
                % {"nominee": declaration.nominee.name},
            )
        return redirect("jury:conflicts", year=year)
    return render(
        request,
        "jury/conflicts_withdraw.html",
        {"edition": edition, "declaration": declaration, "form": form},
    )


def _row(
    request, declaration, *, chair: bool, own: set[int], closed: bool, bound: RulingForm | None
) -> dict:
    """A declaration with the form to rule on it, or why this user may not."""
    form, note = None, ""
    if closed:
        pass
    elif may_rule(request.user, declaration, chair=chair, own_conflicts=own):
        form = (
            bound
            if bound is not None and bound.declaration_id == declaration.pk
            else RulingForm(declaration_id=declaration.pk)
        )
    elif declaration.juror.user_id == request.user.pk:
        note = _("Your own declaration: someone else rules on it.")
    elif declaration.juror.is_chair:
        note = _("The secretariat rules on the chair's declarations.")
    elif declaration.nominee_id in own:
        note = _("You have a conflict of interest on this nominee: the secretariat rules.")
    return {"declaration": declaration, "form": form, "note": note}


def _rulings_page(request, edition: Edition, *, bound: RulingForm | None = None):
    chair = is_chair(request.user, edition)
    own = selectors.conflicted_nominee_ids_of(request.user, edition)
    closed = edition.decided_at is not None
    pending = [
        _row(request, declaration, chair=chair, own=own, closed=closed, bound=bound)
        for declaration in declarations_to_rule_on(edition)
    ]
    past = [
        _row(request, declaration, chair=chair, own=own, closed=closed, bound=bound)
        for declaration in past_rulings(edition)
    ]
    return render(
        request,
        "jury/conflicts_rulings.html",
        {
            "edition": edition,
            "pending": pending,
            "past": past,
            "dismissed_proposals": dismissed_proposals(edition),
            "closed": closed,
        },
    )


@access.edition_page("jury.lead")
def rulings(request, edition: Edition):
    return _rulings_page(request, edition)


@access.edition_page("jury.lead", methods=("POST",))
def rule(request, edition: Edition, declaration_id: int):
    declaration = get_object_or_404(
        ConflictDeclaration.objects.select_related("juror__edition", "juror__user", "nominee"),
        pk=declaration_id,
        juror__edition=edition,
        conflicted=True,
    )
    if not may_rule(request.user, declaration):
        raise PermissionDenied
    form = RulingForm(request.POST, declaration_id=declaration.pk)
    if not form.is_valid():
        return _rulings_page(request, edition, bound=form)
    # Refused if the juror withdrew the conflict, or the jury decided, while the page was open.
    with access.refusal_as_message(request, conflicts.RulingRefused):
        ruled = conflicts.rule_on_conflict(
            declaration=declaration,
            upheld=form.upheld(),
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(
            request,
            _("The ruling on %(juror)s and %(nominee)s is recorded: %(ruling)s.")
            % {
                "juror": declaration.juror.user,
                "nominee": declaration.nominee.name,
                "ruling": ruled.get_ruling_display().lower(),
            },
        )
    return redirect("jury:rulings", year=edition.year)
