"""Changes made in the Django admin are recorded, with each object's fields
before and after (core.models.AdminChange, hash-chained and append-only).

Every ModelAdmin of the roster, roles and settings inherits `AuditedAdmin`; its
inlines (positions, director seats, designations, memberships) are recorded
through `save_formset`. A test walks the admin registry so that no editable
model escapes it (tests/test_admin_audit.py)."""

from __future__ import annotations

import json

from django.contrib import admin
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.forms.models import model_to_dict

from core.models import AdminChange

SECRET_FIELDS = {"password"}


def snapshot(obj) -> dict | None:
    """The object's concrete fields as JSON-safe values (secrets masked)."""
    if obj is None or obj.pk is None:
        return None
    data = model_to_dict(obj, fields=[f.name for f in obj._meta.concrete_fields])
    data = {k: ("(changed)" if k in SECRET_FIELDS else v) for k, v in data.items()}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def record(request, obj, action: str, before: dict | None, after: dict | None) -> AdminChange | None:
    if action == "change" and before == after:
        return None
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    return AdminChange.objects.create(
        actor=user,
        actor_label=user.get_username() if user else "",
        model=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        action=action,
        before=before,
        after=after,
    )


def _fresh(obj):
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).first()


class AuditedAdmin(admin.ModelAdmin):
    """Records every add, change and delete made through this admin page."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = snapshot(_fresh(obj)) if change else None
            super().save_model(request, obj, form, change)
            record(request, obj, "change" if change else "add", before, snapshot(obj))

    def delete_model(self, request, obj):
        with transaction.atomic():
            before, pk = snapshot(obj), obj.pk
            super().delete_model(request, obj)
            obj.pk = pk
            record(request, obj, "delete", before, None)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in list(queryset):
                self.delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            befores = {}
            for inline_form in formset.forms:
                instance = inline_form.instance
                if instance.pk is not None:
                    befores[instance.pk] = snapshot(_fresh(instance))
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                record(request, obj, "add", None, snapshot(obj))
            for obj, _fields in formset.changed_objects:
                record(request, obj, "change", befores.get(obj.pk), snapshot(obj))
            for obj in formset.deleted_objects:
                record(request, obj, "delete", befores.get(obj.pk) or snapshot(obj), None)
