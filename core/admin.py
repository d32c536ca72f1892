"""The administrator's view of delivery and of the admin's own audit trail.

The outbox list shows what an administrator needs to act on (which notice or
job, to whom, how many attempts, the last error) and never a message's subject
or body: those can carry a case's title, and the administrator sees no cases
(docs/access.md)."""

from django.contrib import admin, messages

from core import outbox
from core.models import AdminChange, OutboxItem


@admin.register(OutboxItem)
class OutboxItemAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "name", "status", "attempts", "run_after", "short_error"]
    list_filter = ["status", "kind"]
    fields = ["kind", "name", "recipients", "status", "attempts", "run_after", "done_at", "last_error", "created_at"]
    readonly_fields = fields
    actions = ["retry_now"]

    @admin.display(description="last error")
    def short_error(self, obj):
        return obj.last_error[:120]

    @admin.action(description="Retry now")
    def retry_now(self, request, queryset):
        count = outbox.retry(queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} item(s) queued again.", messages.SUCCESS)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AdminChange)
class AdminChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "model", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["object_repr", "actor_label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
