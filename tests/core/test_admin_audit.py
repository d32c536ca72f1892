"""The admin (issue 9, findings 5 and 6): it records every roster, role and
setting change with before and after; it shows no case; it deletes no case,
event, attachment or hold, and places no hold."""

import pytest
from django.contrib import admin
from django.urls import reverse

from cases.models import Case, CaseEvent, LegalHold
from core.admin_audit import AuditedAdmin
from core.models import AdminChange
from people.models import Person, Position, RoleDesignation
from tests.cases.factories import person, report

pytestmark = pytest.mark.django_db

# Models whose admin page is records only (no change, no delete), or that a
# superuser edits through Django's own pages without workflow meaning.
RECORD_ONLY = {
    "cases.LegalHold",
    "cases.Tombstone",
    "core.OutboxItem",
    "core.AdminChange",
    "people.RosterEvent",
    "certifications.Campaign",
    "certifications.Obligation",
    "certifications.Certification",
    "certifications.CertificationEvent",
    "certifications.ExportJob",
    "auth.Group",
}


def test_every_editable_admin_page_records_its_changes():
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.label not in RECORD_ONLY and not isinstance(model_admin, AuditedAdmin)
    ]
    assert unaudited == []


def test_the_admin_lists_no_case(client, admin_user):
    report(by=person("jbrooks").user, title="Kickbacks at the warehouse")
    client.force_login(admin_user)
    index = client.get(reverse("admin:index")).content.decode()
    assert "cases/case/" not in index and Case not in admin.site._registry
    assert CaseEvent not in admin.site._registry


def test_a_roster_change_in_the_admin_is_recorded_with_before_and_after(client, admin_user):
    client.force_login(admin_user)
    whitfield = person("dwhitfield")
    url = reverse("admin:people_person_change", args=[whitfield.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "name": "Dana Whitfield-Ross",
            "employee_id": whitfield.employee_id,
            "email": whitfield.email,
            "department": "Sales",
            "aliases": "Dana Ross",
        }
    )
    for prefix, model in (("positions", Position), ("director_seats", None), ("designations", RoleDesignation)):
        rows = list(model.objects.filter(person=whitfield)) if model else []
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-person"] = whitfield.pk
            for field in ("title", "rank", "role", "start_date", "end_date"):
                if hasattr(row, field):
                    value = getattr(row, field)
                    data[f"{prefix}-{i}-{field}"] = "" if value is None else str(value)
        if prefix == "positions" and rows:
            data["positions-0-title"] = "Senior Vice President, Sales"
    data = {k: ("" if v is None else v) for k, v in data.items() if not isinstance(v, list)}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    change = AdminChange.objects.get(model="people.Person", action="change")
    assert change.before["name"] == "Dana Whitfield" and change.after["name"] == "Dana Whitfield-Ross"
    assert change.actor == admin_user
    position = AdminChange.objects.get(model="people.Position", action="change")
    assert position.after["title"] == "Senior Vice President, Sales"
    assert Person.objects.get(pk=whitfield.pk).name_keys.filter(key="ross").exists()  # the name index follows


def test_the_admin_cannot_delete_people_nor_place_or_release_holds(client, admin_user, compliance_officer):
    from cases.services import hold_create

    case, _ = report(by=person("jbrooks").user)
    hold = hold_create(actor=compliance_officer, matter="Subpoena", reason="DOJ", cases=[case])
    client.force_login(admin_user)
    assert client.get(reverse("admin:people_person_delete", args=[person("jbrooks").pk])).status_code == 403
    assert client.get(reverse("admin:cases_legalhold_add")).status_code == 403
    response = client.post(reverse("admin:cases_legalhold_change", args=[hold.pk]), {"released_at": "2026-01-01"})
    assert response.status_code == 403
    assert client.get(reverse("admin:cases_legalhold_delete", args=[hold.pk])).status_code == 403
    assert LegalHold.objects.get(pk=hold.pk).released_at is None


def test_the_outbox_shows_failures_and_retries_them_without_showing_a_body(client, admin_user, refusing_smtp, settings):
    from core import outbox
    from core.models import OutboxItem

    case, _ = report(by=person("jbrooks").user, title="Very secret title")
    settings.MAILERS = refusing_smtp
    outbox.dispatch()
    item = OutboxItem.objects.get(dedupe_key=f"case:{case.pk}:new")
    OutboxItem.objects.filter(pk=item.pk).update(status="failed")
    client.force_login(admin_user)
    listing = client.get(reverse("admin:core_outboxitem_changelist") + "?status__exact=failed").content.decode()
    detail = client.get(reverse("admin:core_outboxitem_change", args=[item.pk])).content.decode()
    assert "cases/new_case" in listing and "Very secret title" not in listing + detail
    client.post(reverse("admin:core_outboxitem_changelist"), {"action": "retry_now", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert item.status in ("pending", "done") and item.attempts <= 1
