from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kvinnofrid.admin_readonly import ReadOnlyAdmin
from publication.models import Announcement, AnnouncementEvent


class AnnouncementEventInline(admin.TabularInline):
    model = AnnouncementEvent
    fields = ["at", "kind", "role", "version", "by", "scheduled_for"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    """Raw data only. An announcement is made by the jury's decision and written, approved
    and scheduled on its own page, where every step is recorded; the admin changes none."""

    list_display = ["edition", "winner_name", "scheduled_at", "published_at", "editor_link"]
    list_select_related = ["edition"]
    search_fields = ["winner_name", "citation"]
    inlines = [AnnouncementEventInline]

    @admin.display(description=_("page"))
    def editor_link(self, announcement):
        url = reverse("publication:announcement_edit", args=[announcement.edition.year])
        return format_html('<a href="{}">{}</a>', url, _("Open the announcement's page"))
