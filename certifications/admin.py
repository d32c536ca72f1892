"""Administrators add Code versions here and publish them through the service (CERT-3).
Campaigns, obligations and certificates are shown read-only: they change only
through the services, which keep the audit trail."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from certifications.models import Campaign, Certification, CertificationEvent, CodeVersion, Obligation
from core.admin_audit import AuditedAdmin


@admin.register(CodeVersion)
class CodeVersionAdmin(AuditedAdmin):
    list_display = ["number", "title", "effective_date", "published_at"]
    readonly_fields = ["sha256", "published_at"]
    actions = ["publish"]

    def has_change_permission(self, request, obj=None):
        # A published text never changes: a new text is a new version.
        if obj is not None and obj.published_at is not None:
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description="Publish and send to everyone on the roster (CERT-3)")
    def publish(self, request, queryset):
        from certifications.services.campaigns import code_version_publish
        from certifications.services.events import CertificationError

        for code in queryset.order_by("number"):
            try:
                campaign = code_version_publish(code_version_id=code.pk, actor=request.user)
            except (CertificationError, PermissionDenied) as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                count = campaign.obligations.count()
                self.message_user(request, f"Version {code.number} published: {count} people asked to acknowledge it.")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "audience", "year", "opens_on", "due_date", "status"]
    list_filter = ["kind", "status", "year"]


@admin.register(Obligation)
class ObligationAdmin(ReadOnlyAdmin):
    list_display = ["person", "campaign", "due_date", "status"]
    list_filter = ["status", "campaign"]
    search_fields = ["person__name"]
    list_select_related = ["person", "campaign"]


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ["certificate_number", "person_name", "signed_at"]
    search_fields = ["certificate_number", "person_name"]
    exclude = ["pdf"]


@admin.register(CertificationEvent)
class CertificationEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "rule", "actor", "campaign", "obligation"]
    list_filter = ["action"]
