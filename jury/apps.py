from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    name = "jury"
    verbose_name = _("Jury")

    def ready(self):
        from accounts import two_factor
        from jury import receivers  # noqa: F401 - connects the results' invalidation
        from jury.rules import needs_second_factor

        two_factor.also_required_for(needs_second_factor)
