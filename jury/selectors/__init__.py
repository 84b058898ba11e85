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


def secretariat_users():
    """The active accounts that run the jury (`jury.manage_jury`, superusers included)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    permission = Permission.objects.get(content_type__app_label="jury", codename="manage_jury")
    return (
        get_user_model()
        .objects.filter(
            Q(user_permissions=permission)
            | Q(groups__permissions=permission)
            | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def rulers_of(declaration: ConflictDeclaration) -> list:
    """Who rules on this declaration: the chair, unless it is the chair's own or the chair is
    conflicted on the nominee; then the secretariat."""
    juror = declaration.juror
    chairs = []
    if not juror.is_chair:
        conflicted = ConflictDeclaration.objects.effective().filter(
            juror__edition_id=juror.edition_id, nominee_id=declaration.nominee_id
        )
        chairs = [
            chair.user
            for chair in Juror.objects.filter(edition_id=juror.edition_id, role=Juror.Role.CHAIR)
            .exclude(pk__in=conflicted.values("juror_id"))
            .select_related("user")
        ]
    rulers = chairs or list(secretariat_users())
    return [user for user in rulers if user.pk != juror.user_id]
