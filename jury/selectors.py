"""Reads of the jury app."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from jury.models import ConflictDeclaration, Juror
from nominations.models import Edition, Nomination, Nominee


def edition_for_year(year: int) -> Edition:
    return get_object_or_404(Edition, year=year)


def juror_for(user, edition: Edition) -> Juror:
    """The signed-in user's juror row in this edition, or 404: no hint that the jury exists."""
    try:
        return Juror.objects.select_related("edition", "partner").get(edition=edition, user=user)
    except Juror.DoesNotExist as missing:
        raise Http404 from missing


def candidates(edition: Edition):
    """The nominees the jury judges: those with at least one eligible nomination."""
    return (
        Nominee.objects.filter(edition=edition, nominations__status=Nomination.Status.ELIGIBLE)
        .distinct()
        .order_by("name")
    )


def conflicted_nominee_ids(juror: Juror) -> set[int]:
    return set(
        ConflictDeclaration.objects.effective()
        .filter(juror=juror)
        .values_list("nominee_id", flat=True)
    )


def conflicted_nominee_ids_of(user, edition: Edition) -> set[int]:
    """The nominees `user` has an effective conflict of interest on in this edition, as a
    juror of it (the chair too); empty for the secretariat, who is not on the jury. Every
    page and file with figures leaves these nominees out for that user."""
    return set(
        ConflictDeclaration.objects.effective()
        .filter(juror__edition=edition, juror__user=user)
        .values_list("nominee_id", flat=True)
    )
