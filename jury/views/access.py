"""Who gets which refusal on the jury's pages.

Someone with no part in an edition's jury (neither one of its jurors nor the secretariat)
gets a 404: the pages do not reveal who sits on which jury. A juror without the right role
gets a 403. The reads answer None; here that becomes the 404. A service's refusal of what a
permitted user asks (scoring closed, the jury decided) is neither: it is a message on the page.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jury import selectors
from jury.models import Juror
from jury.rules import allowed, is_juror, is_jury_secretariat
from nominations.models import Edition


def edition_or_404(year: int) -> Edition:
    edition = selectors.edition_for_year(year)
    if edition is None:
        raise Http404
    return edition


def seat_or_404(request, year: int) -> Juror:
    """The signed-in user's juror row in the edition of `year`, or 404: no hint that the
    edition or its jury exists."""
    juror = selectors.seat_in(request.user, year)
    if juror is None:
        raise Http404
    return juror


def edition_if_allowed(request, year: int, permission: str) -> tuple[Edition, bool]:
    """The edition and whether the user holds `permission` on it; 404 for outsiders."""
    edition = edition_or_404(year)
    if allowed(request.user, permission, edition):
        return edition, True
    if not (is_juror(request.user, edition) or is_jury_secretariat(request.user)):
        raise Http404
    return edition, False


def edition_for(request, year: int, permission: str) -> Edition:
    """The edition when the user holds `permission` on it; else 404 or 403 as above."""
    edition, permitted = edition_if_allowed(request, year, permission)
    if not permitted:
        raise PermissionDenied
    return edition


def secretariat_edition(request, year: int, permission: str) -> Edition:
    """For the secretariat's own pages (the jury's set-up): the edition when the user holds
    `permission` on it; 403 to anyone else signed in, juror or not."""
    edition = edition_or_404(year)
    if not allowed(request.user, permission, edition):
        raise PermissionDenied
    return edition


def edition_page(
    permission: str,
    *,
    methods: Sequence[str] = ("GET",),
    find: Callable[..., Edition] = edition_for,
):
    """A page of the jury's work on the edition of `year`, for those holding `permission`.

    Sign-in comes first, then the method (405), then `find` (404 or 403, as above). The page
    is never cached, and the view gets the edition in place of the year.
    """

    def decorate(view):
        @wraps(view)
        def on_edition(request, year: int, **kwargs):
            return view(request, find(request, year, permission), **kwargs)

        return login_required(require_http_methods(list(methods))(never_cache(on_edition)))

    return decorate


@contextmanager
def refusal_as_message(request, refusal: type[PermissionDenied]) -> Iterator[None]:
    """Around a service call and what follows its success: the service's `refusal` skips the
    rest of the block and becomes an error message with the reason it gives."""
    try:
        yield
    except refusal as refused:
        messages.error(request, str(refused))
