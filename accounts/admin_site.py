"""The admin site: staff who have not given their second factor count as not staff."""

from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class SecondFactorAdminSite(AdminSite):
    site_header = _("Kvinnofridspriset – administration")
    site_title = _("Kvinnofridspriset")

    # As django_otp.admin.OTPAdminSite, but the code is asked on our own page (the
    # middleware sends the user there), not in the admin's login form.
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and request.user.is_verified()
