"""Who may do what with nominations. Used by views and templates alike."""

import rules


@rules.predicate
def is_secretariat(user) -> bool:
    # The secretariat are the staff users who run the edition in the admin.
    return user.is_authenticated and user.is_active and user.is_staff


@rules.predicate
def owns_nomination(user, nomination) -> bool:
    return nomination is not None and user.is_authenticated and nomination.nominator_id == user.pk


rules.add_perm("nominations.view_own_nomination", owns_nomination)
rules.add_perm("nominations.screen", is_secretariat)
