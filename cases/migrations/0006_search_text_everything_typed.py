"""Search finds filer names, typed answers and messages (issue 10): recompute the
search text of the cases filed before, in batches. The text is built here from the
historical models, the same way cases.services.search builds it for new changes."""

from django.db import migrations

BATCH = 500


def rebuild(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseParty = apps.get_model("cases", "CaseParty")
    CaseMessage = apps.get_model("cases", "CaseMessage")
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        names, messages = {}, {}
        for case_id, person_name, name in (
            CaseParty.objects.filter(case_id__in=chunk)
            .exclude(status="cleared")
            .values_list("case_id", "person__name", "name")
        ):
            names.setdefault(case_id, []).append(person_name or name)
        for case_id, body in CaseMessage.objects.filter(case_id__in=chunk).values_list("case_id", "body"):
            messages.setdefault(case_id, []).append(body)
        changed = []
        for case in Case.objects.filter(pk__in=chunk).select_related("filer"):
            filer = case.filer.name if case.filer_id and not case.anonymous else ""
            answers = [value for value in (case.facts or {}).values() if isinstance(value, str)]
            parts = [case.reference, case.title, case.description, case.counterparty, filer]
            parts += names.get(case.pk, []) + answers + messages.get(case.pk, [])
            case.search_text = " ".join(part.strip() for part in parts if part and part.strip())
            changed.append(case)
        Case.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_closure_reason")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
