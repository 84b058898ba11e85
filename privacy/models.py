"""No tables of its own: the privacy app erases and extracts what the other apps hold."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalData(models.Model):
    """Carries the secretariat's permission to extract and erase one person's data.

    Unmanaged and never queried: a permission needs a content type, not a table.
    """

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("personal data")
        permissions = [
            ("manage_personal_data", _("Can produce register extracts and erase personal data"))
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
