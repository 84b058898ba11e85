from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox import services
from outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "template",
        "language",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["status", "template", "language", "created_at"]
    search_fields = ["recipient", "subject", "idempotency_key"]
    date_hierarchy = "created_at"
    actions = ["resend_failed"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]

    # These carry a one-time sign-in link: whoever reads it could sign in as the recipient.
    SECRET_TEMPLATES = {"sign_in_link", "jury_invitation"}

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and obj.template in self.SECRET_TEMPLATES:
            return [field for field in fields if field != "context"]
        return fields

    def has_add_permission(self, request):
        # Messages come from the platform's own actions, never typed in by hand.
        return False

    def has_delete_permission(self, request, obj=None):
        # The outbox is the record of what was sent to whom.
        return False

    @admin.action(description=_("Send the selected failed messages again"))
    def resend_failed(self, request, queryset):
        count = sum(services.resend(message) for message in queryset)
        if count:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message queued again.", "%(count)d messages queued again.", count
                )
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request, _("Only failed messages can be sent again."), messages.WARNING
            )
