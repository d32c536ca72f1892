"""Full-text search on PostgreSQL: a GIN index over the same expression the
queue's search uses (SearchVector("search_text", config="english")). SQLite,
for `make run`, searches with LIKE instead and gets no index."""

from django.db import migrations

INDEX = "case_search_gin"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(search_text, '')))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
