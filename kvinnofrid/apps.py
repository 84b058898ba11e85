from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class SecondFactorAdminConfig(admin_apps.AdminConfig):
    """The admin, whose site lets in only staff who have given their second factor."""

    default = False  # named in INSTALLED_APPS; kvinnofrid's own config stays the default
    default_site = "kvinnofrid.sites.SecondFactorAdminSite"


class KvinnofridConfig(AppConfig):
    default = True
    name = "kvinnofrid"
    verbose_name = _("Kvinnofridspriset")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from kvinnofrid import (
            checks,  # noqa: F401  (registers the system checks)
            sessions,
            two_factor,
        )

        user_logged_in.connect(two_factor.first_factor_given, dispatch_uid="two_factor_pending")
        user_logged_in.connect(sessions.signed_in, dispatch_uid="session_signed_in")
