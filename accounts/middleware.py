"""The second factor, asked before anything else is opened."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts import two_factor

# What someone who still owes a second factor may open: the pages that take it, and the
# way out. Everything else, the admin included, waits for the code.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:sign_out",
    "healthz",
}


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
        if match is None or match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if not two_factor.required_for(user):
            return None
        target = (
            "accounts:two_factor_verify"
            if two_factor.has_device(user)
            else "accounts:two_factor_setup"
        )
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
