"""The audit log in the admin: read-only for everybody, superusers included."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from kvinnofrid.admin_readonly import ReadOnlyAdmin

VIEW_PERMISSION = "audit.view_audit_log"


class ActorFilter(admin.SimpleListFilter):
    """The people who appear in the log, by their recorded label (not every user there is)."""

    title = _("actor")
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        rows = (
            AuditEntry.objects.exclude(actor_id=None)
            .values_list("actor_id", "actor_label")
            .order_by("actor_label", "actor_id")
            .distinct()
        )
        return [(str(actor_id), label) for actor_id, label in rows]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(actor_id=int(value)) if value and value.isdigit() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["position", "at", "action", "actor_label", "target_label", "edition_year"]
    list_filter = ["action", ActorFilter, "edition_year"]
    search_fields = ["actor_label", "target_label", "=target_id"]
    date_hierarchy = "at"
    list_per_page = 100
    readonly_fields = [field.name for field in AuditEntry._meta.fields]
    fields = readonly_fields

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and self._may_view(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    @staticmethod
    def _may_view(request) -> bool:
        return request.user.has_perm(VIEW_PERMISSION)
