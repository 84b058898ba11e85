from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kvinnofrid.admin_readonly import ReadOnlyAdmin
from nominations.models import Area, Edition, Municipality, Nomination, Nominee, Organisation


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["name", "name_en", "slug", "position"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = [
        "year",
        "ordinal",
        "phase_display",
        "nominations_open_at",
        "nominations_close_at",
        "scoring_deadline",
        "announcement_at",
        "conference_date",
    ]
    readonly_fields = ["screening_completed_at", "decided_at"]
    fieldsets = (
        (None, {"fields": ("year", "ordinal", "conference_date")}),
        (
            _("Dates"),
            {
                "fields": (
                    "nominations_open_at",
                    "nominations_close_at",
                    "scoring_deadline",
                    "ballot_deadline",
                    "announcement_at",
                    "screening_completed_at",
                    "decided_at",
                )
            },
        ),
        (
            _("Texts"),
            {"fields": ("conference_theme", "conference_theme_en", "call_text", "call_text_en")},
        ),
        (_("The jury"), {"fields": ("reminder_days", "jurors_need_two_factor")}),
    )

    def get_queryset(self, request):
        # The phase looks at the announcement: fetch it with the edition, not once per row.
        return super().get_queryset(request).select_related("announcement")

    @admin.display(description=_("phase"))
    def phase_display(self, edition: Edition) -> str:
        # `phase` is computed, not a field, so there is no get_phase_display().
        return edition.phase.label


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation_number"]


class NominationInline(admin.TabularInline):
    model = Nomination
    fk_name = "nominee"
    fields = ["screening_link", "status", "nominator_organisation_name", "submitted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("nominations of this nominee")

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=Nomination.Status.DRAFT)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("reference number"))
    def screening_link(self, nomination: Nomination) -> str:
        return _screening_link(nomination)


@admin.register(Nominee)
class NomineeAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "organisation", "nomination_count"]
    list_filter = ["edition"]
    list_select_related = ["edition", "organisation"]
    search_fields = ["name", "organisation__name", "organisation__organisation_number"]
    autocomplete_fields = ["organisation"]
    # A nominee comes into being when a nomination is submitted (the services recognise the
    # same nominee typed differently); moving one to another edition would orphan its
    # nominations.
    readonly_fields = ["edition"]
    inlines = [NominationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(nomination_total=Count("nominations"))

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("nominations"), ordering="nomination_total")
    def nomination_count(self, nominee: Nominee) -> int:
        return nominee.nomination_total


def _screening_link(nomination: Nomination) -> str:
    return format_html(
        '<a href="{}">{}</a>',
        reverse("nominations:screening_detail", args=[nomination.pk]),
        nomination.reference_number,
    )


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    """A look at the received nominations. Decisions are taken on the screening pages, where
    the rules and the e-mails to nominators live; nominations are public documents and are
    never deleted here."""

    list_display = [
        "reference_number",
        "nominee_name",
        "edition",
        "status",
        "nominator_organisation_name",
        "submitted_at",
        "contains_personal_identity_number",
        "screening_page",
    ]
    list_filter = [
        "edition",
        "status",
        "nominee_kind",
        "contains_personal_identity_number",
        "areas",
        "municipalities",
    ]
    list_select_related = ["edition"]
    search_fields = [
        "reference_number",
        "nominee_name",
        "nominator_organisation_name",
        "contact_name",
        "contact_email",
    ]
    date_hierarchy = "submitted_at"
    ordering = ["-submitted_at"]
    readonly_fields = ["screening_page"]

    def get_queryset(self, request):
        # A draft is not received yet: it is the nominator's alone, as on the screening pages.
        return super().get_queryset(request).exclude(status=Nomination.Status.DRAFT)

    @admin.display(description=_("screening"))
    def screening_page(self, nomination: Nomination) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("nominations:screening_detail", args=[nomination.pk]),
            _("Open the screening page"),
        )
