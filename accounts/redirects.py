"""Where a `next` parameter may send the browser: only to a page of this site."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import SignInToken

# A longer one cannot be a page of ours, and would not fit the sign-in token's column.
NEXT_MAX_LENGTH = SignInToken._meta.get_field("next_path").max_length


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """`candidate` when it is a path or URL on this host (and scheme), else ""."""
    if (
        candidate
        and len(candidate) <= NEXT_MAX_LENGTH
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return ""
