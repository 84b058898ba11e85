from django.db import models
from django.utils.translation import gettext_lazy as _

from kvinnofrid.translation import in_active_language


class Partner(models.Model):
    """One of Operation Kvinnofrid's seven authorities (reference data); jurors represent one."""

    slug = models.SlugField(unique=True)
    name = models.CharField(_("name (Swedish)"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_active_language(self.name, self.name_en)
