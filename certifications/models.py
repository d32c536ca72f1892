"""Code versions, certification campaigns, obligations and signed certificates (CERT-1..3).

The shape, in one paragraph: a *campaign* asks an audience to sign something
about one Code version (new hires' confirmation, the officers' annual
certification, the acknowledgement of an updated Code). Each person in the
audience gets an *obligation* with its own due date. Signing one creates a
*certification* (the evidence: who, when, which text, the answers, IP and user
agent) whose PDF is rendered and digitally signed after the transaction
commits. Every state change leaves a `CertificationEvent`; every reminder sent
leaves a `ReminderSent` row whose unique key makes sending idempotent.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.chain import ChainedEvent


class CodeVersion(models.Model):
    """One version of the Code of Business Conduct and Ethics. Its text never changes
    once published: a new text is a new version, and certificates cite the hash."""

    number = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    effective_date = models.DateField()
    text = models.TextField()
    summary_of_changes = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self):
        return f"{self.title} (version {self.number}, effective {self.effective_date:%B %-d, %Y})"

    def save(self, *args, **kwargs):
        self.sha256 = hashlib.sha256(self.text.encode("utf-8")).hexdigest()
        super().save(*args, **kwargs)

    @classmethod
    def current(cls):
        return cls.objects.filter(published_at__isnull=False).order_by("-number").first()


class Kind(models.TextChoices):
    """What the signer certifies. The wording on the certificate follows from it."""

    CONFIRMATION = "confirmation", "Confirmation Certificate"  # CERT-1
    ANNUAL = "annual", "Annual Certification of Compliance"  # CERT-2
    DISTRIBUTION = "distribution", "Acknowledgement of the updated Code"  # CERT-3


class Audience(models.TextChoices):
    VP_AND_ABOVE = "vp_and_above", "Officers, Vice President or above, and executive officers"
    EVERYONE = "everyone", "Everyone on the roster (employees and directors)"
    NEW_HIRES = "new_hires", "New hires, each within their own deadline"


# Reminder steps HR may switch off for a campaign; keys as in policy.deadlines
# (overdue_week_N steps are one family).
REMINDER_FAMILIES = {
    "assigned": "On assignment",
    "due_minus_7": "7 days before the due date",
    "due_minus_1": "1 day before the due date",
    "due_day": "On the due date",
    "overdue_week": "Every week while overdue",
    "escalation": "Escalation to the supervisor and HR, 14 days overdue",
}


def default_reminder_plan() -> list[str]:
    return list(REMINDER_FAMILIES)


class Campaign(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    audience = models.CharField(max_length=16, choices=Audience.choices)
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    code_version = models.ForeignKey(CodeVersion, on_delete=models.PROTECT, related_name="campaigns")
    opens_on = models.DateField()
    due_date = models.DateField(
        null=True, blank=True, help_text="Empty for new hires: each one is due a fixed number of days after hire."
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    reminder_plan = models.JSONField(default=default_reminder_plan)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            # One open annual campaign per year, one open new-hire campaign per year:
            # promotions and new hires must know which campaign they join.
            models.UniqueConstraint(
                fields=["audience", "year", "kind"],
                condition=Q(status="open") & ~Q(audience="everyone"),
                name="one_open_campaign_per_audience_year",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def sends(self, step: str) -> bool:
        """Does this campaign's reminder plan include `step` (a policy step key)?"""
        family = "overdue_week" if step.startswith("overdue_week_") else step
        return family in self.reminder_plan


class Obligation(models.Model):
    """One person's duty to sign one campaign's certificate by a date."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SIGNED = "signed", "Signed"
        CANCELLED = "cancelled", "Cancelled"  # left the company, superseded by a newer Code
        LAPSED = "lapsed", "Not signed"  # the campaign closed first

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="obligations")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="obligations")
    code_version = models.ForeignKey(CodeVersion, on_delete=models.PROTECT, related_name="obligations")
    assigned_on = models.DateField()
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    code_opened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="one_obligation_per_campaign")]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return f"{self.person}: {self.campaign}"

    @property
    def kind(self) -> str:
        return self.campaign.kind

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def is_overdue(self, today) -> bool:
        return self.is_pending and self.due_date < today


class Certification(models.Model):
    """A signature: the evidence of who certified what, when, and from where.

    The PDF comes after the transaction commits (a task renders and signs it);
    until then `pdf` is empty and the download view renders it on demand.
    """

    obligation = models.OneToOneField(Obligation, on_delete=models.PROTECT, related_name="certification")
    certificate_number = models.CharField(max_length=32, unique=True)
    signed_at = models.DateTimeField()
    code_version = models.ForeignKey(CodeVersion, on_delete=models.PROTECT, related_name="+")
    code_sha256 = models.CharField(max_length=64)
    person_name = models.CharField(max_length=200, help_text="Roster name at signing.")
    person_title = models.CharField(max_length=400, blank=True, help_text="Titles held on the day of signing.")
    typed_name = models.CharField(max_length=200)
    answers = models.JSONField(default=dict, blank=True)
    exception = models.TextField(blank=True, help_text="The signer's explanation of any exception (annual).")
    # CERT-2: an explained exception becomes work: a case for the compliance officer.
    followup_case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    pdf = models.FileField(upload_to="certificates/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    pdf_issued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self):
        return self.certificate_number

    @property
    def has_exception(self) -> bool:
        return bool(self.exception.strip())


class CertificationEvent(ChainedEvent):
    """Append-only audit trail: who did what to which campaign or obligation, and
    why (hash-chained, refused UPDATE and DELETE by the database: core.chain)."""

    CHAIN_FIELDS = ("at", "actor_id", "campaign_id", "obligation_id", "action", "rule", "detail")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    obligation = models.ForeignKey(Obligation, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    rule = models.CharField(max_length=16, blank=True, help_text="Rule id from the brief, e.g. CERT-1.")
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["seq"], name="certevent_chain_seq")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class ReminderSent(models.Model):
    """One reminder step sent for one obligation. The unique key is the idempotency
    record: the row is inserted before the mail goes out, in the same transaction."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(max_length=32)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [models.UniqueConstraint(fields=["obligation", "step"], name="one_reminder_per_step")]

    def __str__(self):
        return f"{self.obligation_id}:{self.step}"


class ExportJob(models.Model):
    """HR's bulk export of a campaign: a ZIP of signed PDFs and a CSV index."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Export {self.pk} of {self.campaign}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.status == self.Status.DONE else 0)

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def expired(self, now) -> bool:
        return self.expires_at is not None and now >= self.expires_at
