"""The secretariat sets up an edition's jury: invitations, criteria, opening the scoring.

Every view needs "jury.manage" on the edition: anonymous visitors are sent to sign in,
anyone else signed in gets a 403.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jury import selectors
from jury.forms.setup import InviteForm, OpenScoringForm
from jury.models import Criterion, Juror
from jury.services import assignment, jurors
from jury.views import access
from nominations.models import Edition


def _set_up_page(*, methods=("GET",)):
    """A page of the set-up: "jury.manage" on the edition, 403 to anyone else signed in."""
    return access.edition_page("jury.manage", methods=methods, find=access.secretariat_edition)


def _manage_page(request, edition: Edition, *, invite_form=None, open_form=None, status=200):
    return render(
        request,
        "jury/setup_manage.html",
        {
            "edition": edition,
            "phase": edition.phase,
            "jurors": selectors.jury_of(edition),
            "candidate_count": selectors.candidates(edition).count(),
            "criteria": Criterion.objects.filter(edition=edition),
            "criteria_admin_url": reverse("admin:jury_criterion_changelist")
            + f"?edition__id__exact={edition.pk}",
            "invite_form": invite_form or InviteForm(edition=edition),
            "open_form": open_form or OpenScoringForm(edition=edition),
        },
        status=status,
    )


@_set_up_page()
def manage_jury(request, edition: Edition):
    return _manage_page(request, edition)


@_set_up_page(methods=("POST",))
def invite(request, edition: Edition):
    form = InviteForm(request.POST, edition=edition)
    if form.is_valid():
        data = form.cleaned_data
        new_organisation = (
            (data["organisation_number"], data["organisation_name"])
            if data["organisation_number"] and form.organisation is None
            else None
        )
        try:
            juror = jurors.invite_juror(
                edition=edition,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                language=data["language"],
                role=data["role"],
                partner=data["partner"],
                organisation=form.organisation,
                new_organisation=new_organisation,
                by=request.user,
            )
        except ValidationError as refused:
            # A second chair, or someone on the jury already: next to its field.
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("%(name)s is invited to the jury as %(role)s. The invitation is on its way.")
                % {"name": juror.user, "role": juror.get_role_display().lower()},
            )
            return redirect("jury:manage", year=edition.year)
    return _manage_page(request, edition, invite_form=form)


@_set_up_page(methods=("POST",))
def resend_invitation(request, edition: Edition, juror_id: int):
    juror = get_object_or_404(
        Juror.objects.select_related("user", "edition"), pk=juror_id, edition=edition
    )
    jurors.resend_invitation(juror=juror, by=request.user)
    messages.success(
        request,
        _("A new invitation is on its way to %(name)s.") % {"name": juror.user},
    )
    return redirect("jury:manage", year=edition.year)


@_set_up_page(methods=("POST",))
def add_default_criteria(request, edition: Edition):
    with access.refusal_as_message(request, jurors.CriteriaLocked):
        created = jurors.add_default_criteria(edition=edition, by=request.user)
        if created:
            messages.success(
                request,
                ngettext(
                    "%(count)d criterion was added. Adjust it in the administration if needed.",
                    "%(count)d criteria were added. Adjust them in the administration if needed.",
                    len(created),
                )
                % {"count": len(created)},
            )
        else:
            messages.info(request, _("The edition has its criteria already: nothing was added."))
    return redirect("jury:manage", year=edition.year)


@_set_up_page(methods=("POST",))
def open_scoring(request, edition: Edition):
    form = OpenScoringForm(request.POST, edition=edition)
    if not form.is_valid():
        return _manage_page(request, edition, open_form=form)
    with access.refusal_as_message(request, assignment.OpeningRefused):
        made = assignment.open_scoring(
            edition=edition,
            min_jurors_per_nominee=form.min_jurors_per_nominee(),
            by=request.user,
        )
        if made is None:
            messages.info(request, _("Scoring is open already: nothing was changed."))
        else:
            messages.success(
                request,
                ngettext(
                    "Scoring is open: %(count)d assignment was made.",
                    "Scoring is open: %(count)d assignments were made.",
                    made,
                )
                % {"count": made},
            )
    return redirect("jury:manage", year=edition.year)
