"""The Celery app. The beat schedule lives here, in code, in one place."""

import os
from datetime import timedelta

from celery import Celery

from innovo_compliance.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovo_compliance.settings")

app = Celery("innovo_compliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each entry names a task that is safe to run twice: the tasks record what they
# sent in the database, so a beat that fires twice sends nothing twice.
app.conf.beat_schedule = {
    # A worker runs it and notes the time: /healthz/ready reports its age (innovo_compliance/health.py).
    "heartbeat": {
        "task": "people.tasks.heartbeat",
        "schedule": timedelta(seconds=env_int("BEAT_HEARTBEAT_SECONDS", 60, minimum=1)),
    },
    # The outbox's sweep: e-mails and jobs whose kick was lost (broker down) or
    # that wait for a retry (core/tasks.py). The kick on commit sends the rest at once.
    "outbox-dispatch": {"task": "core.tasks.dispatch_outbox", "schedule": timedelta(minutes=1)},
    "form-tokens-purge": {"task": "core.tasks.purge_form_tokens", "schedule": timedelta(hours=24)},
    # CERT-1/CERT-2 reminders and escalations (certifications/tasks.py).
    "certification-reminders": {
        "task": "certifications.tasks.dispatch_reminders",
        "schedule": timedelta(minutes=30),
    },
    # Expired certificate export ZIPs are deleted (certifications/tasks.py).
    "certification-exports-purge": {
        "task": "certifications.tasks.purge_expired_exports",
        "schedule": timedelta(hours=24),
    },
    # Case deadlines: acknowledgement, investigation start, feedback (cases/tasks.py).
    "case-deadlines": {"task": "cases.tasks.dispatch_deadlines", "schedule": timedelta(minutes=30)},
    # Retention purge that skips legal holds (REC-1) (cases/tasks.py).
    "case-retention-purge": {"task": "cases.tasks.purge_expired", "schedule": timedelta(hours=24)},
    # The kept counts against a full count; drift is logged as an error and repaired (cases/counts.py).
    "case-counts-check": {"task": "cases.tasks.check_counts", "schedule": timedelta(hours=24)},
    # Approval review dates, waiver disclosures, yearly re-confirmation (approvals/tasks.py).
    "approval-reminders": {"task": "approvals.tasks.dispatch_reminders", "schedule": timedelta(hours=6)},
    # INS-4: blackout windows opening and closing (insiders/tasks.py).
    "insider-window-notices": {"task": "insiders.tasks.dispatch_window_notices", "schedule": timedelta(hours=1)},
    # BOARD-1, BOARD-2: the daily safety net of the roster-write hook; RPT-1 yearly reviews (governance/tasks.py).
    "board-check": {"task": "governance.tasks.board_check_daily", "schedule": timedelta(hours=24)},
    "related-party-reviews": {"task": "governance.tasks.rpt_review_reminders", "schedule": timedelta(hours=24)},
}
