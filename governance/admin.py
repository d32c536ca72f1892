from django.contrib import admin

from governance.models import AnnualMeeting


@admin.register(AnnualMeeting)
class AnnualMeetingAdmin(admin.ModelAdmin):
    """BOARD-1: the administrator enters the annual meetings; saving one moves the
    open deficiencies' cure deadlines (governance/receivers.py)."""

    list_display = ["date", "note", "entered_by"]
    fields = ["date", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)
