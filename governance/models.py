"""Board governance (BOARD-1, BOARD-2) and the related-party register (RPT-1).

A governance case is opened by the board monitor when the roster breaks a
listing rule; it is not a `cases.Case` (nobody files it, it has no reporter,
and it closes itself when the roster complies again). Its timeline is an
append-only list of events.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from policy.board import Body, Outcome, Relationship


class AnnualMeeting(models.Model):
    """BOARD-1: the date of an annual meeting of stockholders, entered by the
    administrator (admin) or the liaison/compliance officer (the board page).
    The cure period ends at the next one at the latest."""

    date = models.DateField(unique=True)
    note = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"Annual meeting {self.date:%B %-d, %Y}"


class GovernanceCase(models.Model):
    """A listing-rule deficiency (BOARD-1 or BOARD-2) from `event_date` (the first
    day the roster broke the rule) until a later roster change cures it."""

    RULE_CHOICES = [("BOARD-1", "Majority of independent directors"), ("BOARD-2", "Audit committee")]
    OPEN, CURED = "open", "cured"
    STATUS_CHOICES = [(OPEN, "Open"), (CURED, "Cured")]

    rule_id = models.CharField(max_length=16, choices=RULE_CHOICES)
    status = models.CharField(max_length=8, choices=STATUS_CHOICES, default=OPEN)
    event_date = models.DateField(help_text="The first day the rule was broken.")
    finding = models.TextField(help_text="What the monitor found on the event date.")
    directors = models.PositiveSmallIntegerField(default=0)
    independent_directors = models.PositiveSmallIntegerField(default=0)
    audit_members = models.PositiveSmallIntegerField(default=0)
    audit_independent = models.PositiveSmallIntegerField(default=0)
    cure_deadline = models.DateField()
    letter_received_on = models.DateField(
        null=True, blank=True, help_text="When the exchange's deficiency letter was received."
    )
    disclosure_due = models.DateField(null=True, blank=True)
    cured_on = models.DateField(null=True, blank=True)
    cured_by = models.CharField(max_length=300, blank=True)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-event_date", "-id"]
        constraints = [
            # One open case per rule: the monitor may run twice, at once, and still open one.
            models.UniqueConstraint(
                fields=["rule_id"], condition=Q(status="open"), name="governance_one_open_per_rule"
            ),
            models.UniqueConstraint(fields=["rule_id", "event_date"], name="governance_rule_event_date"),
        ]

    def __str__(self):
        return f"{self.rule_id} from {self.event_date}"

    @property
    def reference(self) -> str:
        return f"GOV-{self.event_date:%Y}-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.OPEN

    @property
    def rule_label(self) -> str:
        return dict(self.RULE_CHOICES)[self.rule_id]


class GovernanceEvent(models.Model):
    """Append-only timeline of a governance case (opened, letter recorded, deadline
    changed, cured)."""

    case = models.ForeignKey(GovernanceCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32)
    note = models.TextField()
    rule_ids = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case_id} {self.action}"


class RelatedPartyTransaction(models.Model):
    """RPT-1: a transaction between the company and a director, an executive
    officer, a family member of one, or a large holder."""

    LOAN_TO_COMPANY = "loan_to_company"
    CONVERTIBLE_NOTE = "convertible_note"
    PURCHASE = "purchase"
    SALE = "sale"
    LEASE = "lease"
    SERVICES = "services"
    EMPLOYMENT = "employment"
    OTHER = "other"
    KIND_CHOICES = [
        (CONVERTIBLE_NOTE, "Convertible note"),
        (LOAN_TO_COMPANY, "Loan to the company"),
        (PURCHASE, "Purchase from the related party"),
        (SALE, "Sale to the related party"),
        (LEASE, "Lease"),
        (SERVICES, "Services"),
        (EMPLOYMENT, "Employment of a family member"),
        (OTHER, "Other"),
    ]
    RELATIONSHIP_CHOICES = [
        (Relationship.DIRECTOR.value, "Director"),
        (Relationship.EXECUTIVE_OFFICER.value, "Executive officer"),
        (Relationship.FAMILY_MEMBER.value, "Family member of a director or executive officer"),
        (Relationship.LARGE_HOLDER.value, "Holder of more than 5 % of the stock"),
    ]

    kind = models.CharField(max_length=24, choices=KIND_CHOICES)
    counterparty = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="related_party_transactions"
    )
    counterparty_name = models.CharField(max_length=200, help_text="The person or organisation.")
    relationship = models.CharField(max_length=24, choices=RELATIONSHIP_CHOICES)
    amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Maturity or end; empty while it runs.")
    description = models.TextField()
    source_case = models.OneToOneField(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="related_party_transaction"
    )
    last_reviewed_on = models.DateField(null=True, blank=True, help_text="The latest approval or ratification.")
    review_reminded_for = models.DateField(
        null=True, blank=True, help_text="The review date a reminder was already sent for."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} with {self.counterparty_name}"

    @property
    def reference(self) -> str:
        return f"RPT-{self.start_date:%Y}-{self.pk}"

    @property
    def latest_approval(self):
        """The latest decision (prefetched on list pages: no query per row)."""
        decisions = list(self.approvals.all())
        return decisions[-1] if decisions else None


class RelatedPartyApproval(models.Model):
    """RPT-1: the Board's or the audit committee's decision on a transaction,
    recorded by the board liaison. Never edited: a later review is a new row."""

    BODY_CHOICES = [(Body.BOARD.value, "Board of Directors"), (Body.AUDIT_COMMITTEE.value, "Audit committee")]
    OUTCOME_CHOICES = [
        (Outcome.APPROVED.value, "Approved beforehand"),
        (Outcome.RATIFIED.value, "Ratified afterwards"),
        (Outcome.REJECTED.value, "Rejected"),
    ]

    transaction = models.ForeignKey(RelatedPartyTransaction, on_delete=models.CASCADE, related_name="approvals")
    body = models.CharField(max_length=8, choices=BODY_CHOICES)
    date = models.DateField(help_text="The meeting's date.")
    outcome = models.CharField(max_length=10, choices=OUTCOME_CHOICES)
    minutes_reference = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.transaction_id} {self.outcome} {self.date}"


class RelatedPartyEvent(models.Model):
    """Append-only history of a register entry."""

    transaction = models.ForeignKey(RelatedPartyTransaction, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=32)
    note = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.transaction_id} {self.action}"
