"""Receipt look-up ids become unique (issue 9, finding 10).

New keys carry a 15-character look-up id (cases/services/receipts.py). Look-ups
issued before were the key's first 5 characters and may collide; each becomes
"ABCDE.<case id>", unique, and still found from the key's first 5 characters,
so no reporter's key stops working. Backwards, every look-up goes back to the
key's first 5 characters, which is what the former code looked up.
"""

from django.db import migrations, models

LEGACY = 5


def legacy_lookups_unique(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    for pk, lookup in Case.objects.exclude(receipt_lookup="").values_list("pk", "receipt_lookup").iterator():
        if len(lookup) == LEGACY:
            Case.objects.filter(pk=pk).update(receipt_lookup=f"{lookup}.{pk}")


def lookups_back_to_five(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    for pk, lookup in Case.objects.exclude(receipt_lookup="").values_list("pk", "receipt_lookup").iterator():
        Case.objects.filter(pk=pk).update(receipt_lookup=lookup[:LEGACY])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_chained_events_and_parties"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="receipt_lookup",
            field=models.CharField(blank=True, db_index=True, max_length=32),
        ),
        migrations.RunPython(legacy_lookups_unique, lookups_back_to_five, elidable=False),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(("receipt_lookup", ""), _negated=True),
                fields=("receipt_lookup",),
                name="case_receipt_lookup_unique",
            ),
        ),
    ]
