"""The admin's read-only pages, for every app's records and reference data.

A building block of the floor (ARCHITECTURE.md): it imports no app.
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows looked at in the admin, never changed there: reference data, records, and what
    the product's own pages write (each step recorded there)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
