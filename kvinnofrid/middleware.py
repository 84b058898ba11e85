"""Site-wide request guards: the second factor, and the size of a request's body."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse

from kvinnofrid import two_factor

# What someone who still owes a second factor may open: the pages that take it, and the
# way out. Everything else, the admin included, waits for the code.
OPEN_BEFORE_SECOND_FACTOR = {"two_factor_verify", "two_factor_setup", "sign_out", "healthz"}


class SecondFactorMiddleware:
    """Sends a signed-in person who needs a second factor (staff, a jury chair) and has not
    given it to the code page, or to enrol a device if they have none. Goes after
    django_otp's OTPMiddleware, which tells whether the session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if match is None or match.url_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not two_factor.required_for(user):
            return None
        target = "two_factor_verify" if two_factor.has_device(user) else "two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


class RequestBodyLimitMiddleware:
    """Refuses a body larger than REQUEST_BODY_MAX_BYTES (by its Content-Length) with a 413,
    before anything reads it: the upload checks come too late for a 2 GB post."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return render(
                request,
                "request_too_large.html",
                {"max_megabytes": settings.REQUEST_BODY_MAX_BYTES // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)
