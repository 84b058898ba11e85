"""Who may do what with an announcement. Used by views and templates alike.

Object permissions take the announcement. The chair is the edition's chair on its jury
(never a superuser as such); the secretariat holds `publication.manage_announcement`.
"""

import rules

from jury.rules import is_chair
from nominations.rules import secretariat_holding
from publication.models import AnnouncementEvent

# The secretariat's own named permission (the admin grants it, to a group or a person):
# being staff is not enough, and the chair is the jury's chair, whatever Django says.
SECRETARIAT_PERMISSION = "publication.manage_announcement"

is_secretariat = secretariat_holding(SECRETARIAT_PERMISSION, name="is_secretariat")


@rules.predicate
def is_chair_of_announcement(user, announcement) -> bool:
    return announcement is not None and is_chair(user, announcement.edition)


@rules.predicate
def is_published(user, announcement) -> bool:
    return announcement is not None and announcement.published_at is not None


may_write = is_chair_of_announcement | is_secretariat

# The year's overview (and the menu's link to it) is the secretariat's.
rules.add_perm("publication.run_the_year", is_secretariat)
rules.add_perm("publication.edit_announcement", may_write & ~is_published)
rules.add_perm("publication.view_announcement", may_write)
# Publishing now or moving the time is the secretariat's: it runs the conference.
rules.add_perm("publication.schedule_announcement", is_secretariat & ~is_published)
# The diploma: the secretariat any time, everyone once the winner is public.
rules.add_perm("publication.download_diploma", is_secretariat | is_published)


def approval_role(user, announcement) -> str | None:
    """The role in which this person approves: the chair's approval, or the secretariat's."""
    if is_chair(user, announcement.edition):
        return AnnouncementEvent.Role.CHAIR
    if is_secretariat(user):
        return AnnouncementEvent.Role.SECRETARIAT
    return None
