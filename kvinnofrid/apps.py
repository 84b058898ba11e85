from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The project package as an app: the site-wide pages' template tags, static files and
    demo data, and the system checks. It has no models."""

    default = True
    name = "kvinnofrid"
    # "kvinnofrid" is the label of the accounts app, which holds the tables made under it
    # (accounts/apps.py).
    label = "site"
    verbose_name = _("Kvinnofridspriset")

    def ready(self) -> None:
        from kvinnofrid import checks  # noqa: F401  (registers the system checks)
