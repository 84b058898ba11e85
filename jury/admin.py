from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jury.models import ConflictDeclaration, ConflictEvent, Criterion, Juror, Partner
from jury.services.jurors import copy_edition_with_jury
from kvinnofrid.admin_readonly import ReadOnlyAdmin
from nominations.admin import EditionAdmin as NominationsEditionAdmin
from nominations.models import Edition

# The edition is the nominations app's; copying one to next year copies its jury and criteria
# too, which only the jury app knows of, so the action is added here, above it.
admin.site.unregister(Edition)


@admin.register(Edition)
class EditionAdmin(NominationsEditionAdmin):
    actions = ["copy_to_next_year"]

    @admin.action(description=gettext_lazy("Create next year's edition from this one"))
    def copy_to_next_year(self, request, queryset):
        for edition in queryset.order_by("year"):
            year = edition.year + 1
            try:
                new_edition = copy_edition_with_jury(edition, year=year)
            except ValueError:  # copy_edition's refusal: that year or ordinal is taken
                self.message_user(
                    request,
                    _(
                        "Kvinnofridspriset %(year)s, or an edition with the ordinal "
                        "%(ordinal)s, exists already; nothing was copied from %(from)s."
                    )
                    % {"year": year, "ordinal": edition.ordinal + 1, "from": edition.year},
                    messages.ERROR,
                )
                continue
            self.message_user(
                request,
                _("%(edition)s was created from %(from)s. Check its dates and texts.")
                % {"edition": new_edition, "from": edition.year},
                messages.SUCCESS,
            )


class NamedCellChangeListForm(forms.ModelForm):
    """A row of an admin list whose one editable cell is named after the row's object (WCAG
    1.3.1, 4.1.2): the admin's list gives an editable cell no label of its own.
    `cell_label` takes the object's name as `%(name)s`."""

    cell_label = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            (field,) = self._meta.fields  # one editable cell per row
            self.fields[field].widget.attrs["aria-label"] = self.cell_label % {
                "name": self.instance.name
            }


class PartnerChangeListForm(NamedCellChangeListForm):
    """A row of the partner list: its position box is named after the partner."""

    cell_label = gettext_lazy("Position of %(name)s")

    class Meta:
        model = Partner
        fields = ["position"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "name_en"]
    # `name` is redeclared (unique) after the base's fields: the form keeps this order.
    fields = ["slug", "name", "name_en", "position"]
    prepopulated_fields = {"slug": ["name"]}

    def get_changelist_form(self, request, **kwargs):
        return PartnerChangeListForm


def _scoring_opened(criterion: Criterion | None) -> bool:
    return criterion is not None and criterion.edition.scoring_opened_at is not None


class CriterionChangeListForm(NamedCellChangeListForm):
    """A row of the criteria list: the weight is locked once the edition's scoring opened."""

    cell_label = gettext_lazy("Weight of %(name)s")

    class Meta:
        model = Criterion
        fields = ["weight"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and _scoring_opened(self.instance):
            self.fields["weight"].disabled = True


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """The criteria are edited here until the edition's scoring opens; then they are what the
    jurors score, and are only looked at."""

    list_display = ["name", "name_en", "edition", "weight", "scale_min", "scale_max", "position"]
    list_display_links = ["name"]
    list_editable = ["weight"]
    list_filter = ["edition"]
    list_select_related = ["edition"]
    search_fields = ["name", "name_en"]
    ordering = ["-edition__year", "position", "pk"]

    def get_changelist_form(self, request, **kwargs):
        return CriterionChangeListForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "edition":
            # A criterion cannot be added to, or moved into, an edition whose scoring opened.
            kwargs["queryset"] = Edition.objects.filter(scoring_opened_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not _scoring_opened(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not _scoring_opened(obj)


class RecordAdmin(ReadOnlyAdmin):
    """Kept for the record: the jury's pages change these, the administration only shows them."""


@admin.register(Juror)
class JurorAdmin(RecordAdmin):
    list_display = [
        "user",
        "edition",
        "role",
        "partner",
        "organisation",
        "invited_at",
        "joined_at",
        "scores_submitted_at",
    ]
    list_filter = ["edition", "role", "partner"]
    list_select_related = ["user", "edition", "partner", "organisation"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(RecordAdmin):
    list_display = [
        "juror",
        "nominee",
        "conflicted",
        "proposed",
        "declared_at",
        "ruling",
        "ruled_by",
        "ruled_at",
    ]
    list_filter = ["juror__edition", "conflicted", "ruling", "proposed"]
    list_select_related = ["juror__user", "juror__edition", "nominee", "ruled_by"]
    search_fields = ["juror__user__email", "juror__user__last_name", "nominee__name"]


@admin.register(ConflictEvent)
class ConflictEventAdmin(RecordAdmin):
    list_display = ["declaration", "kind", "by", "at"]
    list_filter = ["declaration__juror__edition", "kind"]
    list_select_related = ["declaration__juror__user", "declaration__nominee", "by"]
    search_fields = ["declaration__juror__user__last_name", "declaration__nominee__name"]
