"""Who may do what in the jury. Used by views, services and templates alike.

Object permissions take the edition (or a juror row) as the object.

The jury's roles are the jury's: the chair and the members are Juror rows, and a Django
superuser is neither unless they sit on the jury. Check these rules with `allowed(user,
permission, edition)` (or `rules.has_perm`), never with `user.has_perm`: Django lets an
active superuser pass every `has_perm`. The secretariat, which runs a jury it does not sit on,
is the staff who hold the named permission `jury.manage_jury` (given in the admin, to a person
or a group); a superuser holds it too, which makes them the secretariat, never the chair.
"""

import rules

from jury.models import ConflictDeclaration, Juror, ResultsExport, ShortlistEntry
from jury.selectors import conflicted_nominee_ids_of, known_seats, seats_of
from nominations.rules import secretariat_holding

SECRETARIAT_PERMISSION = "jury.manage_jury"

# The secretariat works in the admin: staff, and holding the named permission.
is_jury_secretariat = secretariat_holding(SECRETARIAT_PERMISSION, name="is_jury_secretariat")


def needs_second_factor(user) -> bool:
    """Every chair gives a second factor at sign-in, and every juror of an edition that says
    so (`jurors_need_two_factor`); accounts.two_factor asks this of each signed-in user."""
    # The juror rows are read once per request and kept for the jury's rules and pages.
    return any(seat.is_chair or seat.edition.jurors_need_two_factor for seat in seats_of(user))


# `_kept_seat` when the request has not read the user's juror rows: ask the database.
UNKNOWN = object()


def _kept_seat(user, edition):
    """The user's juror row in `edition` (None if they have none there) from the rows the
    request has read already (`selectors.seats_of`), else UNKNOWN."""
    seats = known_seats(user)
    if seats is None:
        return UNKNOWN
    return next((seat for seat in seats if seat.edition_id == edition.pk), None)


def _has_seat(user, edition, holds=lambda seat: True, **lookup) -> bool:
    """Whether the user sits on the edition's jury in a seat that `holds`: asked of the seats
    the request has read when it has, else of the database (`lookup`, the same test)."""
    if edition is None or not user.is_authenticated:
        return False
    seat = _kept_seat(user, edition)
    if seat is not UNKNOWN:
        return seat is not None and holds(seat)
    return edition.jurors.filter(user=user, **lookup).exists()


@rules.predicate
def is_juror(user, edition) -> bool:
    return _has_seat(user, edition)


@rules.predicate
def is_chair(user, edition) -> bool:
    return _has_seat(user, edition, lambda seat: seat.is_chair, role=Juror.Role.CHAIR)


@rules.predicate
def has_submitted_scores(user, edition) -> bool:
    return _has_seat(
        user,
        edition,
        lambda seat: seat.scores_submitted_at is not None,
        scores_submitted_at__isnull=False,
    )


@rules.predicate
def is_on_a_jury(user) -> bool:
    if not user.is_authenticated:
        return False
    seats = known_seats(user)
    return bool(seats) if seats is not None else user.juror_roles.exists()


def chair_conflicted_on_shortlist(edition) -> bool:
    """Has the chair an effective conflict of interest on a shortlisted nominee? Then the
    chair does not record the decision: the secretariat does (see jury/README.md)."""
    if edition is None:
        return False
    return (
        ConflictDeclaration.objects.effective()
        .filter(
            juror__edition=edition,
            juror__role=Juror.Role.CHAIR,
            nominee__in=ShortlistEntry.objects.filter(edition=edition).values("nominee"),
        )
        .exists()
    )


@rules.predicate
def chair_may_not_decide(user, edition) -> bool:
    return chair_conflicted_on_shortlist(edition)


def may_rule(
    user,
    declaration: ConflictDeclaration,
    *,
    chair: bool | None = None,
    own_conflicts: set[int] | None = None,
) -> bool:
    """The chair rules on the other jurors' declared conflicts; the secretariat on anyone's,
    the chair's included. Nobody on their own, and a chair with a conflict of interest on the
    nominee does not rule on another's conflict on it (the secretariat does). `chair` and
    `own_conflicts` (the user's conflicted nominees) are passed by a caller that knows them
    already: a list asks once, not once per row."""
    juror = declaration.juror
    if not user.is_authenticated or juror.user_id == user.pk:
        return False
    if is_jury_secretariat(user):
        return True
    if juror.is_chair:
        return False
    if not (is_chair(user, juror.edition) if chair is None else chair):
        return False
    if own_conflicts is None:
        own_conflicts = conflicted_nominee_ids_of(user, juror.edition)
    return declaration.nominee_id not in own_conflicts


def may_download_export(user, export: ResultsExport) -> bool:
    """The results workbook is its requester's, while they lead the jury (`jury.lead`), and
    only while it leaves out every nominee they now have a conflict of interest on: a file
    built before a new conflict would show them its figures."""
    if not user.is_authenticated or export.requested_by_id != user.pk:
        return False
    if export.status != ResultsExport.Status.READY or not allowed(
        user, "jury.lead", export.edition
    ):
        return False
    return conflicted_nominee_ids_of(user, export.edition) <= set(export.left_out_nominee_ids)


def allowed(user, permission: str, edition=None) -> bool:
    """Whether `user` holds the jury's `permission` on `edition`, by the jury's rules only."""
    return rules.has_perm(permission, user, edition)


# The chair and the secretariat run the jury; a member sees results once their own are in.
# The start page: a juror's editions, and the ones the secretariat runs.
rules.add_perm("jury.view_home", is_on_a_jury | is_jury_secretariat)
rules.add_perm("jury.take_part", is_juror)
rules.add_perm("jury.lead", is_chair | is_jury_secretariat)
# The chair records the decision: the secretariat runs the jury but does not decide, unless
# the chair has a conflict of interest on a shortlisted nominee; then the secretariat records
# it instead, and the protocol says so.
rules.add_perm(
    "jury.decide",
    (is_chair & ~chair_may_not_decide) | (is_jury_secretariat & chair_may_not_decide),
)
rules.add_perm("jury.manage", is_jury_secretariat)
rules.add_perm("jury.view_results", is_chair | is_jury_secretariat | has_submitted_scores)
