from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """People who sign in: the user model, sign-in links, the second factor, sessions."""

    default = True
    name = "accounts"
    # The user model and its sign-in tokens were made in the project package, under its
    # label; the tables, migrations, content types and permissions still carry it. Keeping
    # the label moves the code without touching a database (AUTH_USER_MODEL stays
    # "kvinnofrid.User"); the project package itself is labelled "site" (kvinnofrid/apps.py).
    label = "kvinnofrid"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts import sessions, two_factor

        user_logged_in.connect(two_factor.first_factor_given, dispatch_uid="two_factor_pending")
        user_logged_in.connect(sessions.signed_in, dispatch_uid="session_signed_in")


class SecondFactorAdminConfig(admin_apps.AdminConfig):
    """The admin, whose site lets in only staff who have given their second factor."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "accounts.admin_site.SecondFactorAdminSite"
