from django.contrib import admin

from core.admin_audit import AuditedAdmin
from governance.models import AnnualMeeting


@admin.register(AnnualMeeting)
class AnnualMeetingAdmin(AuditedAdmin):
    """BOARD-1: the administrator enters the annual meetings; saving one moves the
    open deficiencies' cure deadlines (governance/receivers.py). Every change is
    recorded like every admin change (core.admin_audit)."""

    list_display = ["date", "note", "entered_by"]
    fields = ["date", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)
