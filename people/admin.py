"""The roster in the Django admin. Dated records are edited inline; closing a record
(setting its end date) and adding the next keeps the history (ROLE-1). Every
change made here is recorded with before and after (core.admin_audit); people
are never deleted (a leaver gets a leaving date)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from core.admin_audit import AuditedAdmin
from people.models import (
    Committee,
    CommitteeMembership,
    DirectorSeat,
    Person,
    Position,
    RoleDesignation,
    RosterEvent,
)


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0


class DirectorSeatInline(admin.TabularInline):
    model = DirectorSeat
    extra = 0


class DesignationInline(admin.TabularInline):
    model = RoleDesignation
    extra = 0


class MembershipInline(admin.TabularInline):
    model = CommitteeMembership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["employee_id", "name", "department", "supervisor", "hire_date", "leaving_date"]
    list_filter = ["department"]
    search_fields = ["employee_id", "name", "email"]
    autocomplete_fields = ["supervisor", "user"]
    list_select_related = ["supervisor"]
    inlines = [PositionInline, DirectorSeatInline, DesignationInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ["name", "slug", "designated_for_decisions"]
    inlines = [MembershipInline]


@admin.register(RosterEvent)
class RosterEventAdmin(admin.ModelAdmin):
    list_display = ["at", "person", "action", "detail", "actor"]
    list_select_related = ["person", "actor"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AuditedUserAdmin(AuditedAdmin, UserAdmin):
    """Logins and their permissions: every change recorded, passwords masked."""
