"""The final round: the shortlist, the jurors' ballots, the count and the jury's decision.

The chair and the secretariat ("jury.lead") set the shortlist and follow the count; each
juror ("jury.take_part") casts a ballot; only the chair records the decision. Anonymous
visitors are sent to sign in, anyone else signed in gets a 403.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jury import reports, selectors
from jury.forms.vote import BallotForm, DecisionForm, ShortlistForm
from jury.rules import allowed
from jury.selectors import vote as vote_selectors
from jury.services import vote
from jury.views import access
from nominations.models import Edition


@access.edition_page("jury.lead", methods=("GET", "POST"))
def shortlist(request, edition: Edition):
    refusal = vote_selectors.shortlist_refusal(edition)
    # A chair with a conflict of interest sees neither the figures nor the place on the
    # shortlist of the nominees concerned; the service keeps those places as they are.
    hidden = selectors.conflicted_nominee_ids_of(request.user, edition)
    report = reports.load_results(edition, hidden=frozenset(hidden))
    shortlisted = vote_selectors.shortlisted_nominees(edition).exclude(pk__in=hidden)
    form = ShortlistForm(
        request.POST if request.method == "POST" else None,
        candidates=selectors.candidates(edition).exclude(pk__in=hidden),
        jury=report.computed,
        initial={
            "nominees": [nominee.pk for nominee in shortlisted],
            "ballot_deadline": edition.ballot_deadline,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            with access.refusal_as_message(request, vote.VoteNotAllowed):
                entries = vote.set_shortlist(
                    edition=edition,
                    nominees=form.cleaned_data["nominees"],
                    ballot_deadline=form.cleaned_data["ballot_deadline"],
                    by=request.user,
                )
                messages.success(
                    request,
                    ngettext(
                        "The shortlist is saved: %(count)d nominee.",
                        "The shortlist is saved: %(count)d nominees.",
                        len(entries),
                    )
                    % {"count": len(entries)},
                )
            return redirect("jury:shortlist", year=edition.year)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "jury/vote_shortlist.html",
        {
            "edition": edition,
            "form": form,
            "refusal": refusal,
            "problem": report.problem,
            "shortlist": shortlisted,
            "withheld": bool(hidden),
        },
    )


@access.edition_page("jury.take_part", methods=("GET", "POST"))
def ballot(request, edition: Edition):
    juror = access.seat_or_404(request, edition.year)
    refusal = vote_selectors.ballot_refusal(edition)
    shortlisted = list(vote_selectors.shortlisted_nominees(edition))
    conflicted = selectors.conflicted_nominee_ids(juror)
    stored = vote_selectors.ballot_of(juror)
    form = None
    if refusal is None:
        form = BallotForm(
            request.POST if request.method == "POST" else None,
            nominees=[nominee for nominee in shortlisted if nominee.pk not in conflicted],
            ranks=vote_selectors.ranks_of(stored),
        )
    if request.method == "POST":
        if form is None:
            messages.error(request, refusal)
            return redirect("jury:ballot", year=edition.year)
        if form.is_valid():
            try:
                with access.refusal_as_message(request, vote.VoteNotAllowed):
                    vote.cast_ballot(juror=juror, ranking_groups=form.ranking_groups())
                    messages.success(request, _("Your ballot has been cast."))
                return redirect("jury:ballot", year=edition.year)
            except ValidationError as error:
                form.add_error(None, error)
    names = {nominee.pk: nominee for nominee in shortlisted}
    ranks = vote_selectors.ranks_of(stored)
    return render(
        request,
        "jury/vote_ballot.html",
        {
            "edition": edition,
            "form": form,
            "refusal": refusal,
            "conflicted": [nominee for nominee in shortlisted if nominee.pk in conflicted],
            "ballot": stored,
            "my_ranking": [
                [names[pk] for pk in group if pk in names]
                for group in (stored.ranking if stored else [])
            ],
            "unranked": [nominee for nominee in shortlisted if nominee.pk not in ranks],
        },
    )


@access.edition_page("jury.lead")
def vote_result(request, edition: Edition):
    # The count names every shortlisted nominee and its figures: not for a reader with a
    # conflict of interest on one of them.
    count = vote_selectors.count_vote(
        edition, hidden=selectors.conflicted_nominee_ids_of(request.user, edition)
    )
    return render(
        request,
        "jury/vote_result.html",
        {
            "edition": edition,
            "count": count,
            "withheld": count is None,
            "decision": vote_selectors.decision_of(edition),
            "can_decide": allowed(request.user, "jury.decide", edition),
        },
    )


@access.edition_page("jury.decide", methods=("GET", "POST"))
def record_decision(request, edition: Edition):
    decision = vote_selectors.decision_of(edition)
    count = vote_selectors.count_vote(edition) if decision is None else None
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        shortlist=vote_selectors.shortlisted_nominees(edition),
        candidates=selectors.candidates(edition).exclude(
            pk__in=selectors.conflicted_nominee_ids_of(request.user, edition)
        ),
        initial={"winner": count.winner.pk if count and count.winner else None},
    )
    if request.method == "POST":
        if decision is not None:
            messages.error(request, vote.already_decided_message(edition))
            return redirect("jury:decision", year=edition.year)
        if form.is_valid():
            try:
                with access.refusal_as_message(request, vote.DecisionAlreadyRecorded):
                    vote.record_decision(
                        edition=edition,
                        winner=form.cleaned_data["winner"],
                        honourable_mentions=form.cleaned_data["honourable_mentions"],
                        minutes=form.cleaned_data["minutes"],
                        by=request.user,
                    )
                    messages.success(request, _("The jury's decision has been recorded."))
                return redirect("jury:decision", year=edition.year)
            except ValidationError as error:
                form.add_error(None, error)
    return render(
        request,
        "jury/vote_decision.html",
        {"edition": edition, "decision": decision, "count": count, "form": form},
    )
