from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from subscriptions.models import News, Subscriber


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Not confirmed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.confirmed()
        if self.value() == "no":
            return queryset.filter(confirmed_at__isnull=True)
        return queryset


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "confirmed_at", "created_at"]
    list_filter = [ConfirmedFilter, "language"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    readonly_fields = ["email", "language", "confirmed_at", "created_at"]
    change_list_template = "admin/subscriptions/subscriber/change_list.html"

    def has_add_permission(self, request):
        # Only the person themselves subscribes, by confirming from their own inbox.
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "confirmed_count": Subscriber.objects.confirmed().count(),
        }
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(News)
class NewsAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "edition", "offset_days", "fanned_out"]
    list_filter = ["kind", "edition"]
    readonly_fields = [field.name for field in News._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
