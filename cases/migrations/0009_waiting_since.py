"""Keep when a filing was last put in front of its decider on the case itself, so the
inbox's order and its late count read an index instead of a subquery per filing. The
existing filings take it from their timeline (the last submitted, answered or renewal
event), in one statement that PostgreSQL and SQLite both run."""

from django.db import migrations, models

FILL = """
UPDATE cases_case SET waiting_since = (
    SELECT MAX(e.at) FROM cases_caseevent e
    WHERE e.case_id = cases_case.id AND e.action IN ('submitted', 'answered', 'renewal')
)
"""


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_queue_indexes'),
        ('people', '0003_alter_roledesignation_role'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='waiting_since',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('status', 'submitted')), fields=['waiting_since', 'id'], include=('decider', 'kind'), name='case_submitted_waiting'),
        ),
    ]
