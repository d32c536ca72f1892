"""Decisions on filings (APP-1), waiver disclosures (WAIVE-2) and the record of
notices sent, so that reminders go out once.

The filing itself is a `cases.models.Case` (kinds conflict, gift, preapproval,
waiver): one model family, so that filings share the compliance officer's
queue, access rules and timeline with reports. This app adds what only
approvals have.
"""

from django.conf import settings
from django.db import models

from cases.models import DECIDER_CHOICES, Case


class Decision(models.Model):
    """APP-1: who decided, when, on what, with what conditions and under which rules.

    Never edited: a renewal or a new decision is a new row. For the Board
    (COI-2, COI-7, WAIVE-2) the board liaison records the meeting date, the
    resolution and the directors who recused themselves.
    """

    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    DENIED = "denied"
    CHOICES = [
        (APPROVED, "Approve"),
        (APPROVED_WITH_CONDITIONS, "Approve with conditions"),
        (DENIED, "Deny"),
    ]

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_label = models.CharField(max_length=200, help_text="The decider's name when it was recorded.")
    decider_role = models.CharField(max_length=24, choices=DECIDER_CHOICES)
    decision = models.CharField(max_length=32, choices=CHOICES)
    conditions = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    rule_ids = models.JSONField(default=list, blank=True)
    review_date = models.DateField(null=True, blank=True, help_text="The approval must be renewed by then.")
    decided_at = models.DateTimeField()
    # The Board's decisions, recorded by the board liaison (COI-2, COI-7, WAIVE-2).
    meeting_date = models.DateField(null=True, blank=True)
    resolution_reference = models.CharField(max_length=100, blank=True)
    recused = models.ManyToManyField("people.Person", blank=True, related_name="+")

    class Meta:
        ordering = ["decided_at", "id"]
        indexes = [models.Index(fields=["case", "decided_at"], name="decision_case_at")]

    def __str__(self):
        return f"{self.case_id} {self.decision} {self.decided_at:%Y-%m-%d}"

    @property
    def approves(self) -> bool:
        return self.decision in (self.APPROVED, self.APPROVED_WITH_CONDITIONS)


class WaiverDisclosure(models.Model):
    """WAIVE-2: a waiver the Board granted to a director or executive officer is
    disclosed publicly by `due_on` (four business days, holidays skipped)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="waiver_disclosure")
    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="disclosure")
    due_on = models.DateField(db_index=True)
    disclosed_on = models.DateField(null=True, blank=True)
    reference = models.CharField(max_length=300, blank=True, help_text="Filing number or web address.")
    marked_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.case_id} due {self.due_on}"

    @property
    def is_disclosed(self) -> bool:
        return self.disclosed_on is not None

    def is_overdue(self, today) -> bool:
        return not self.is_disclosed and today > self.due_on


class ApprovalNotice(models.Model):
    """Idempotency record: each e-mail about a filing (submitted, decided,
    information requested, review reminder, disclosure reminder, yearly prompt)
    is sent once per (case, step), even if a task runs twice."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approval_notices")
    step = models.CharField(max_length=80)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "step"], name="unique_approval_notice")]

    def __str__(self):
        return f"{self.case_id} {self.step}"
