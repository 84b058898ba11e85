"""Signing in and out: the sign-in link, the second factor, and the session's clock."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from accounts import sessions, signin, two_factor
from accounts.clientip import client_ip
from accounts.forms import SecondFactorForm, SignInRequestForm
from accounts.redirects import safe_next

PENDING_EXPIRED = gettext_lazy("The time to give your code ran out. Please sign in again.")
TOO_MANY_CODES = gettext_lazy("Too many wrong codes. Please sign in again.")


@never_cache
@require_GET
def session_status(request):
    """For the page's script: is the session alive, how long is left, and the CSRF token a
    form needs after signing in again (signing in rotates it). Like any request it extends
    the session: it is what the "stay signed in" button asks."""
    return JsonResponse(
        {
            "authenticated": request.user.is_authenticated,
            "seconds_left": sessions.seconds_left(request),
            "csrf_token": get_token(request),
        }
    )


@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_path = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignInRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = signin.request_sign_in_link(
            email=form.cleaned_data["email"],
            next_path=next_path,
            language=get_language(),
            client_ip=client_ip(request),
        )
        if not sent:
            form.add_error(
                None, _("Too many sign-in links were asked for. Please wait a while and try again.")
            )
        else:
            return redirect("accounts:sign_in_sent")
    return render(request, "registration/sign_in.html", {"form": form, "next": next_path})


@require_GET
def sign_in_sent(request):
    return render(request, "registration/sign_in_sent.html")


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_confirm(request, token: str):
    # Opening the link only shows a button: mail scanners that fetch links must not use it up.
    if request.method == "GET":
        usable = signin.find_usable_token(token) is not None
        return render(request, "registration/sign_in_confirm.html", {"usable": usable})
    result = signin.redeem_sign_in_token(raw_token=token, language=get_language())
    if result is None:
        return render(request, "registration/sign_in_confirm.html", {"usable": False}, status=410)
    user, next_path = result
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if not two_factor.required_for(user):
        # Else the code page comes first, and says so once the code is given.
        messages.success(request, _("You are signed in."))
    return redirect(safe_next(request, next_path) or resolve_url(settings.LOGIN_REDIRECT_URL))


def _next_or_default(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next")) or resolve_url(
        settings.LOGIN_REDIRECT_URL
    )


def _sign_out_pending(request, message: str):
    logout(request)
    messages.error(request, message)
    return redirect("accounts:sign_in")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second factor after a sign-in by link or password."""
    user = request.user
    next_path = _next_or_default(request)
    if user.is_verified():
        return redirect(next_path)
    if not two_factor.has_device(user):
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': next_path})}")
    if two_factor.pending_expired(request.session):
        return _sign_out_pending(request, PENDING_EXPIRED)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Asked first: a wrong code also starts a wait, and then it is the code that is wrong.
        had_to_wait = two_factor.throttled(user)
        device = two_factor.verify_code(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            two_factor.end_pending(request.session)
            messages.success(request, _("You are signed in."))
            return redirect(next_path)
        if two_factor.count_failed_attempt(request.session) >= settings.TWO_FACTOR_MAX_ATTEMPTS:
            return _sign_out_pending(request, TOO_MANY_CODES)
        form.add_error(
            "code",
            _("Too many wrong codes in a row: wait a few seconds, then try again.")
            if had_to_wait
            else _("That code is not right, or it has been used already."),
        )
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_path})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Enrol an authenticator app: its key as a QR-less text and otpauth:// URI, then a
    code from the app to confirm; the recovery codes are shown once."""
    user = request.user
    next_path = _next_or_default(request)
    if not user.is_verified():
        if two_factor.has_device(user):
            # A new device only with the one already there: else a stolen link would do.
            return redirect(
                f"{reverse('accounts:two_factor_verify')}?{urlencode({'next': next_path})}"
            )
        if two_factor.required_for(user) and two_factor.pending_expired(request.session):
            return _sign_out_pending(request, PENDING_EXPIRED)
    device = two_factor.enrolment_device(user)
    form = SecondFactorForm(request.POST or None, submit_label=_("Turn on two-factor sign-in"))
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm_enrolment(device, code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            two_factor.end_pending(request.session)
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": next_path},
            )
        form.add_error("code", _("That code is not right. Check the time on your phone."))
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": next_path,
            "secret": two_factor.secret_as_text(device),
            "otpauth_uri": device.config_url,
            "required": two_factor.required_for(user),
        },
    )


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once an account has too many wrong passwords from one address."""
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        status=429,
    )


@require_POST
def sign_out(request):
    logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("home")
