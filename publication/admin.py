from django.contrib import admin

from publication.models import Announcement


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["edition", "winner_name", "published_at"]
    list_select_related = ["edition"]
    search_fields = ["winner_name", "citation"]
    autocomplete_fields = ["winner_organisation"]
    # Set by the publishing task when the edition's announcement time comes, never by hand.
    readonly_fields = ["published_at"]
