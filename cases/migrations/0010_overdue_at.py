"""When an open case turns overdue, as a column the database computes from the row
(GENERATED ALWAYS … STORED), with a partial covering index: the overdue counts become
an index-only count of the cases past it. The two partial indexes of 0008 that served
the three-clause condition it replaces go."""

import cases.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0009_waiting_since'),
        ('people', '0003_alter_roledesignation_role'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='case_open_feedback_due',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='case_early_investigate_due',
        ),
        migrations.AddField(
            model_name='case',
            name='overdue_at',
            field=models.GeneratedField(db_persist=True, expression=cases.models.EarliestOf(models.Case(models.When(status='received', then='acknowledge_due')), models.Case(models.When(kind='report', status__in=['acknowledged', 'received', 'triage'], then='investigate_due')), models.Case(models.When(status__in=['acknowledged', 'decision', 'draft', 'info_requested', 'investigating', 'received', 'submitted', 'triage'], then='feedback_due')), output_field=models.DateTimeField()), output_field=models.DateTimeField()),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('overdue_at__isnull', False)), fields=['overdue_at'], include=('id', 'status', 'filer', 'kind', 'category', 'decider', 'assignee', 'anonymous'), name='case_overdue_at_cover'),
        ),
    ]
