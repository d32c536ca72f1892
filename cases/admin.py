"""Administrators configure categories here; cases are worked in the app, never in
the admin, and the administrator sees none of them (docs/access.md). Legal holds
and tombstones are shown as records only: holds are placed and released by the
compliance officer through the service, with a reason and an event (REC-1)."""

from django.contrib import admin

from cases.models import CategorySetting, LegalHold, Tombstone
from core.admin_audit import AuditedAdmin


@admin.register(CategorySetting)
class CategorySettingAdmin(AuditedAdmin):
    list_display = ["category", "acknowledge_days", "investigate_days", "feedback_months", "auto_assignee"]
    autocomplete_fields = ["auto_assignee"]

    def has_delete_permission(self, request, obj=None):
        return False


class RecordOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalHold)
class LegalHoldAdmin(RecordOnlyAdmin):
    list_display = ["matter", "created_at", "released_at"]
    fields = ["matter", "created_at", "created_by", "released_at", "released_by", "release_reason"]
    readonly_fields = fields


@admin.register(Tombstone)
class TombstoneAdmin(RecordOnlyAdmin):
    list_display = ["reference", "kind", "closed_at", "purged_at", "rule"]
