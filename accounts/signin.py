"""Sign-in by one-time link: no password to forget.

Asking for a link says the same thing whether or not the address is known; the link works
once, expires, and only its hash is stored.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import SignInToken, User
from kvinnofrid import ratelimit
from outbox.services import enqueue_email


def request_sign_in_link(*, email: str, next_path: str, language: str, client_ip: str) -> bool:
    """Send a sign-in link to `email`. False when rate limited (nothing is sent then).

    Side effects: one SignInToken row and one outbox e-mail, sent after commit.
    """
    email = email.strip().lower()
    if not (
        ratelimit.allow(f"signin:email:{email}", limit=3, window_seconds=15 * 60)
        and ratelimit.allow(f"signin:ip:{client_ip}", limit=20, window_seconds=60 * 60)
    ):
        return False
    with transaction.atomic():
        token, raw_token = SignInToken.objects.issue(
            email=email,
            next_path=next_path,
            max_age=timedelta(seconds=settings.SIGN_IN_LINK_MAX_AGE),
        )
        enqueue_email(
            recipient=email,
            template="sign_in_link",
            context={
                "url": settings.SITE_URL + reverse("accounts:sign_in_confirm", args=[raw_token]),
                "valid_minutes": settings.SIGN_IN_LINK_MAX_AGE // 60,
            },
            language=language,
            key=f"sign-in:{token.pk}",
            secret_keys=["url"],
        )
    return True


def find_usable_token(raw_token: str) -> SignInToken | None:
    return SignInToken.objects.usable(timezone.now()).matching(raw_token).first()


def redeem_sign_in_token(*, raw_token: str, language: str) -> tuple[User, str] | None:
    """Use the link once: return the (possibly new) user and where to go, or None.

    Side effects: marks the token used; creates the user on first sign-in.
    """
    now = timezone.now()
    with transaction.atomic():
        token = SignInToken.objects.select_for_update().usable(now).matching(raw_token).first()
        if token is None:
            return None
        token.used_at = now
        token.save(update_fields=["used_at"])
        users = get_user_model().objects
        user = users.filter(email=token.email).first() or users.create_user(
            token.email, language=language
        )
    if not user.is_active:
        return None
    return user, token.next_path
