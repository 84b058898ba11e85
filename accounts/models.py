import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password: sign-in by link only
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    """Anyone who signs in: a nominator, a juror or someone from the secretariat.

    People are known by their e-mail address, so there is no separate user name.
    """

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the e-mails this person receives."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def save(self, *args, **kwargs):
        # One address, one person: compare addresses the way people type them.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.get_full_name() or self.email


def hash_sign_in_token(raw_token: str) -> str:
    """What is stored of a sign-in link's secret."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


class SignInTokenQuerySet(models.QuerySet):
    def usable(self, now):
        return self.filter(used_at__isnull=True, expires_at__gt=now)

    def matching(self, raw_token: str):
        return self.filter(token_hash=hash_sign_in_token(raw_token))

    def issue(self, *, email: str, next_path: str, max_age: timedelta) -> tuple["SignInToken", str]:
        """A new one-time token for `email` that leads to `next_path` and lasts `max_age`;
        returns the row and the raw secret, which only the link carries (the row keeps its
        hash). The sign-in link and the jury's invitation both make theirs here.

        Side effects: one SignInToken row.
        """
        raw_token = secrets.token_urlsafe(32)
        token = self.create(
            email=email.strip().lower(),
            token_hash=hash_sign_in_token(raw_token),
            next_path=next_path,
            expires_at=timezone.now() + max_age,
        )
        return token, raw_token


class SignInToken(models.Model):
    """A one-time sign-in link sent by e-mail. Only a hash of the secret is stored."""

    email = models.EmailField(_("e-mail address"), db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    next_path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = SignInTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return self.email
