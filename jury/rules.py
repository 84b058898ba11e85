"""Who may do what in the jury. Used by views, services and templates alike.

Object permissions take the edition (or a juror row) as the object.

The jury's roles are the jury's: the chair and the members are Juror rows, and a Django
superuser is neither unless they sit on the jury. Check these rules with `allowed(user,
permission, edition)` (or `rules.has_perm`), never with `user.has_perm`: Django lets an
active superuser pass every `has_perm`. The secretariat, which runs a jury it does not sit on,
is whoever holds the named permission `jury.manage_jury` (given in the admin, to a person or
a group); a superuser holds it too, which makes them the secretariat, never the chair.
"""

import rules

from jury.models import ConflictDeclaration, ShortlistEntry

SECRETARIAT_PERMISSION = "jury.manage_jury"


@rules.predicate
def is_jury_secretariat(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(SECRETARIAT_PERMISSION)


@rules.predicate
def is_juror(user, edition) -> bool:
    return (
        edition is not None and user.is_authenticated and edition.jurors.filter(user=user).exists()
    )


@rules.predicate
def is_chair(user, edition) -> bool:
    return (
        edition is not None
        and user.is_authenticated
        and edition.jurors.filter(user=user, role="chair").exists()
    )


@rules.predicate
def has_submitted_scores(user, edition) -> bool:
    return (
        edition is not None
        and user.is_authenticated
        and edition.jurors.filter(user=user, scores_submitted_at__isnull=False).exists()
    )


@rules.predicate
def is_on_a_jury(user) -> bool:
    return user.is_authenticated and user.juror_roles.exists()


def chair_conflicted_on_shortlist(edition) -> bool:
    """Has the chair an effective conflict of interest on a shortlisted nominee? Then the
    chair does not record the decision: the secretariat does (see jury/README.md)."""
    if edition is None:
        return False
    return (
        ConflictDeclaration.objects.effective()
        .filter(
            juror__edition=edition,
            juror__role="chair",
            nominee__in=ShortlistEntry.objects.filter(edition=edition).values("nominee"),
        )
        .exists()
    )


@rules.predicate
def chair_may_not_decide(user, edition) -> bool:
    return chair_conflicted_on_shortlist(edition)


def allowed(user, permission: str, edition=None) -> bool:
    """Whether `user` holds the jury's `permission` on `edition`, by the jury's rules only."""
    return rules.has_perm(permission, user, edition)


# The chair and the secretariat run the jury; a member sees results once their own are in.
rules.add_perm("jury.view_home", is_on_a_jury)
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
