"""Who may do what in the jury. Used by views and templates alike.

Object permissions take the edition (or a juror row) as the object.
"""

import rules

from nominations.rules import is_secretariat


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


# The chair and the secretariat run the jury; a member sees results once their own are in.
rules.add_perm("jury.view_home", is_on_a_jury)
rules.add_perm("jury.take_part", is_juror)
rules.add_perm("jury.lead", is_chair | is_secretariat)
# The chair alone records the decision: the secretariat runs the jury but does not decide.
rules.add_perm("jury.decide", is_chair)
rules.add_perm("jury.manage", is_secretariat)
rules.add_perm("jury.view_results", is_chair | is_secretariat | has_submitted_scores)
