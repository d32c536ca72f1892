"""Administrators configure categories; cases are worked in the app, not here.
Deleting a case is refused while a legal hold covers it (REC-1)."""

from django.contrib import admin

from cases.models import Case, CategorySetting, LegalHold, Tombstone
from cases.services.holds import is_held


@admin.register(CategorySetting)
class CategorySettingAdmin(admin.ModelAdmin):
    list_display = ["category", "acknowledge_days", "investigate_days", "feedback_months", "auto_assignee"]
    autocomplete_fields = ["auto_assignee"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "category", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["reference"]
    fields = ["reference", "kind", "category", "status", "created_at", "closed_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and is_held(obj))


@admin.register(LegalHold)
class LegalHoldAdmin(admin.ModelAdmin):
    list_display = ["matter", "created_at", "released_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "closed_at", "purged_at", "rule"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
