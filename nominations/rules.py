"""Who may do what with nominations. Used by views and templates alike."""

import rules


@rules.predicate
def is_secretariat(user) -> bool:
    # The secretariat are the staff users who run the edition in the admin.
    return user.is_authenticated and user.is_active and user.is_staff


def secretariat_holding(permission: str, *, name: str) -> rules.Predicate:
    """The secretariat, holding a named permission of its own (the jury's, the
    announcement's): being staff is not enough. Staff is asked first, so that a page seen by
    anyone else asks no permission query of the database."""
    return rules.Predicate(
        lambda user: is_secretariat(user) and user.has_perm(permission), name=name
    )


@rules.predicate
def owns_nomination(user, nomination) -> bool:
    return nomination is not None and user.is_authenticated and nomination.nominator_id == user.pk


rules.add_perm("nominations.view_own_nomination", owns_nomination)
rules.add_perm("nominations.screen", is_secretariat)
