"""Infrastructure rows: the outbox of notices and background jobs, one-time form
tokens, and the tamper-evident record of changes made in the Django admin."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.chain import ChainedEvent


class OutboxItem(models.Model):
    """One notice (an e-mail) or one background job, written in the same
    transaction as the change it reports or needs. The dispatcher (core.outbox)
    sends it, retries with backoff, and marks it done once: a broker or mail
    outage delays it and loses nothing."""

    class Kind(models.TextChoices):
        EMAIL = "email", "E-mail"
        JOB = "job", "Background job"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        RUNNING = "running", "Being sent"
        DONE = "done", "Sent"
        FAILED = "failed", "Failed (retry it from the admin)"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=100, help_text="E-mail template or job name.")
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    recipients = models.TextField(blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True, help_text="A job's arguments.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    run_after = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["run_after"], name="outbox_due", condition=models.Q(status="pending")),
            models.Index(fields=["lease_until"], name="outbox_leased", condition=models.Q(status="running")),
            models.Index(fields=["status", "-created_at"], name="outbox_status_created"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name} ({self.get_status_display().lower()})"


class FormToken(models.Model):
    """A form's one-time token, recorded when the form is first accepted: a reload
    or a double click sends the same token again and files nothing twice."""

    token = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)
    result_url = models.CharField(max_length=300, blank=True)

    def __str__(self):
        return self.token[:8]


class AdminChange(ChainedEvent):
    """A change made in the Django admin (roster, roles, settings, Code versions):
    who, when, which object, and its fields before and after. Append-only and
    hash-chained like every audit table."""

    CHAIN_FIELDS = ("at", "actor_id", "actor_label", "model", "object_id", "object_repr", "action", "before", "after")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    model = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=8, choices=[("add", "Added"), ("change", "Changed"), ("delete", "Deleted")])
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["seq"], name="adminchange_chain_seq")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model} {self.object_repr}"
