"""Reads of the jury app: what every page needs here, the rest by subject beside it
(`conflicts`, `scoring`, `home`).

A read answers None (or an empty queryset) when there is nothing to find; the views turn that
into a 404. Nothing here knows about HTTP.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Q

from jury.models import ConflictDeclaration, Juror
from nominations.models import Edition, Nomination, Nominee


def edition_for_year(year: int) -> Edition | None:
    return Edition.objects.filter(year=year).first()


# Where `seats_of` keeps a user's juror rows, on the user object: the one a request carries
# (Django keeps permissions on it the same way), so that the second-factor check, the menu,
# the rules and the view ask once per request.
SEATS_CACHE = "_jury_seats"


def seats_of(user) -> list[Juror]:
    """The user's juror rows, each with its edition, the latest edition first; read once
    for this user object and kept on it."""
    if not user.is_authenticated:
        return []
    seats = getattr(user, SEATS_CACHE, None)
    if seats is None:
        seats = list(
            Juror.objects.filter(user=user)
            .select_related("edition", "partner")
            .order_by("-edition__year")
        )
        setattr(user, SEATS_CACHE, seats)
    return seats


def known_seats(user) -> list[Juror] | None:
    """The juror rows `seats_of` has kept on this user object, or None if it has not read
    them (the rules then ask the database themselves)."""
    return getattr(user, SEATS_CACHE, None)


def seat_in(user, year: int) -> Juror | None:
    """The user's juror row in the edition of `year` (its edition loaded), or None."""
    return next((seat for seat in seats_of(user) if seat.edition.year == year), None)


def candidates(edition: Edition):
    """The nominees the jury judges: those with at least one eligible nomination."""
    return (
        Nominee.objects.filter(edition=edition, nominations__status=Nomination.Status.ELIGIBLE)
        .distinct()
        .order_by("name")
    )


def jury_of(edition: Edition):
    """The edition's jurors for the secretariat's list, the chair first, each with
    `declared` (candidates they have answered for) and `assigned` (nominees they score).
    One query, however many jurors."""
    eligible = Nominee.objects.filter(
        edition=edition, nominations__status=Nomination.Status.ELIGIBLE
    ).values("pk")
    return (
        Juror.objects.filter(edition=edition)
        .select_related("user", "partner", "organisation")
        .annotate(
            declared=Count("conflicts", filter=Q(conflicts__nominee__in=eligible), distinct=True),
            assigned=Count("assignments", distinct=True),
        )
        .in_role_order()
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
    """The active staff accounts that run the jury (`jury.manage_jury`, superusers
    included): those `rules.is_jury_secretariat` admits."""
    permission = Permission.objects.get(content_type__app_label="jury", codename="manage_jury")
    return (
        get_user_model()
        .objects.filter(
            Q(user_permissions=permission)
            | Q(groups__permissions=permission)
            | Q(is_superuser=True),
            is_active=True,
            is_staff=True,
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
