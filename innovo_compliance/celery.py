"""The Celery app. The beat schedule lives here, in code, in one place."""

import os
from datetime import timedelta

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovo_compliance.settings")

app = Celery("innovo_compliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each entry names a task that is safe to run twice: the tasks record what they
# sent in the database, so a beat that fires twice sends nothing twice.
app.conf.beat_schedule = {
    "heartbeat": {"task": "people.tasks.heartbeat", "schedule": timedelta(minutes=5)},
}
