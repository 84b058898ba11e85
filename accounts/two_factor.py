"""The second factor: a TOTP app, or a one-time recovery code.

Required for the secretariat (is_staff), for a jury's chair and for the jurors of an edition
that requires it; offered to everyone else (any juror can enrol on the setup page). Signing
in by e-mail link or by password is the first factor only: until a code is given,
accounts.middleware sends such a user here.

A pending verification lasts TWO_FACTOR_PENDING_SECONDS from the first factor and allows
TWO_FACTOR_MAX_ATTEMPTS wrong codes; then the session is signed out. django-otp's devices
throttle wrong codes on top (a growing delay per device, across sessions), and a TOTP code
once used is refused for the rest of its window (the device's last_t).
"""

import time
from base64 import b32encode
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_SINCE = "two_factor_pending_since"
FAILED_ATTEMPTS = "two_factor_failed_attempts"
RECOVERY_DEVICE_NAME = "recovery"
RECOVERY_CODE_COUNT = 10


# Who besides staff must give a second factor is for the apps above to say: the jury adds
# its chairs, and the jurors of an edition that asks for it (jury/apps.py).
_REQUIRED_BY: list[Callable[[Any], bool]] = []


def also_required_for(predicate: Callable[[Any], bool]) -> None:
    """Ask a second factor of everyone `predicate(user)` says yes to, as well as of staff."""
    if predicate not in _REQUIRED_BY:
        _REQUIRED_BY.append(predicate)


def required_for(user) -> bool:
    """Must this person give a second factor before using the site? The secretariat, and
    whoever an app has named through `also_required_for`."""
    if not user.is_authenticated:
        return False
    return user.is_staff or any(predicate(user) for predicate in _REQUIRED_BY)


def has_device(user) -> bool:
    """A confirmed TOTP device, or recovery codes left."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticToken.objects.filter(device__user=user, device__confirmed=True).exists()
    )


def throttled(user) -> bool:
    """After wrong codes every device of the user's waits a while (django-otp doubles it)."""
    devices = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]
    return bool(devices) and not any(device.verify_is_allowed()[0] for device in devices)


# --- The pending verification, kept in the session ----------------------------------------


def start_pending(session) -> None:
    """The first factor was given now (called when someone signs in)."""
    session[PENDING_SINCE] = time.time()
    session[FAILED_ATTEMPTS] = 0


def first_factor_given(sender, request, user, **kwargs) -> None:
    """On `user_logged_in`: the clock of the pending verification starts."""
    if request is not None and hasattr(request, "session"):
        start_pending(request.session)


def pending_expired(session) -> bool:
    since = session.get(PENDING_SINCE)
    return since is None or time.time() - since > settings.TWO_FACTOR_PENDING_SECONDS


def count_failed_attempt(session) -> int:
    """One more wrong code in this session; returns how many there were."""
    session[FAILED_ATTEMPTS] = session.get(FAILED_ATTEMPTS, 0) + 1
    return session[FAILED_ATTEMPTS]


def end_pending(session) -> None:
    session.pop(PENDING_SINCE, None)
    session.pop(FAILED_ATTEMPTS, None)


# --- Checking a code ---------------------------------------------------------------------


def _normalise(code: str) -> str:
    return "".join(code.split()).lower()


def verify_code(user, code: str) -> Device | None:
    """The device that accepts `code` (and has now used it up), or None.

    Side effects: a TOTP device records the code's window (so it is refused next time) or
    a failure (throttling); a recovery code is deleted.
    """
    code = _normalise(code)
    if code.isdigit():
        return _verify_totp(user, code)
    return consume_recovery_code(user, code)


def _verify_totp(user, code: str) -> TOTPDevice | None:
    for device_id in TOTPDevice.objects.filter(user=user, confirmed=True).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            # Locked: two requests with the same code must not both read the old last_t.
            device = TOTPDevice.objects.select_for_update().get(pk=device_id)
            if device.verify_token(code):
                return device
    return None


def consume_recovery_code(user, code: str) -> StaticDevice | None:
    """Use up one recovery code. Of two racers with the same code, only one gets a device.

    django-otp's own StaticDevice.verify_token reads the token, then deletes it: two
    requests can both read it. Here the DELETE is the check: only the one that removed the
    row passes.

    Side effects: the code is deleted; the device's throttling is updated.
    """
    code = _normalise(code)
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            continue
        # Plain too: `manage.py addstatictoken` (the first staff device) stores it so.
        deleted, _rows = StaticToken.objects.filter(
            device=device, token__in=[stored_form(code), code]
        ).delete()
        if deleted:
            device.throttle_reset(commit=False)
            device.set_last_used_timestamp(commit=False)
            device.save()
            return device
        device.throttle_increment()
    return None


# --- Enrolling -----------------------------------------------------------------------------


def enrolment_device(user) -> TOTPDevice:
    """The TOTP device being set up (not yet confirmed), made on first call.

    Side effects: at most one unconfirmed TOTPDevice row per user.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def secret_as_text(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed in: base32, in groups of 4."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_enrolment(device: TOTPDevice, *, code: str) -> list[str] | None:
    """Confirm a new TOTP device with a code from the app; returns fresh recovery codes.

    None when the code is wrong. Side effects: the device is confirmed and replaces the
    user's earlier TOTP devices; the earlier recovery codes are replaced by new ones.
    """
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if locked.confirmed or not locked.verify_token(_normalise(code)):
        return None
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=locked.user).exclude(pk=locked.pk).delete()
    return replace_recovery_codes(locked.user)


def replace_recovery_codes(user, codes: list[str] | None = None) -> list[str]:
    """New one-time recovery codes for `user` (random unless given); the old ones go.

    Side effects: one StaticDevice with its StaticToken rows.
    """
    StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = codes or [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=stored_form(code)) for code in codes
    )
    return codes


def stored_form(code: str) -> str:
    """What the database keeps of a recovery code: a keyed hash, cut to the column's 16
    characters (64 bits), so that reading the table does not give anyone a code. A new
    SECRET_KEY makes the codes invalid: give out new ones then."""
    return salted_hmac(
        "kvinnofrid.recovery-code", _normalise(code), algorithm="sha256"
    ).hexdigest()[:16]
