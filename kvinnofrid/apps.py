from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KvinnofridConfig(AppConfig):
    name = "kvinnofrid"
    verbose_name = _("Kvinnofridspriset")

    def ready(self) -> None:
        from kvinnofrid import checks  # noqa: F401  (registers the system checks)
