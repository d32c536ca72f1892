"""Insider trading (INS-1..INS-5): projects with material non-public information
and their insider lists, blackout windows, pre-clearance requests, and the
append-only record of every change.

The rules are in `policy.insiders`; the services in `insiders.services` are the
only writers. Dates are inclusive at both ends, as on the roster.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from policy.insiders import Security, Side, Status
from policy.routing import Decider


class Project(models.Model):
    """A matter whose information is material and not public yet (an acquisition,
    an earnings release, a major contract, or another company's securities: INS-3).
    When the information becomes public the project is closed and its list frozen."""

    class Kind(models.TextChoices):
        ACQUISITION = "acquisition", "Acquisition"
        EARNINGS = "earnings", "Earnings"
        CONTRACT = "contract", "Major contract"
        OTHER_COMPANY = "other_company", "Another company's securities"

    name = models.CharField(max_length=200, help_text="A code name is fine (for example Project Falcon).")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    other_company = models.CharField(max_length=200, blank=True, help_text="INS-3: the other company's name.")
    other_ticker = models.CharField(max_length=12, blank=True, help_text="INS-3: its ticker symbol.")
    opened_on = models.DateField(default=timezone.localdate)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    public_on = models.DateField(null=True, blank=True, help_text="The day the information became public.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "-id"]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def about_other_company(self) -> bool:
        return self.kind == self.Kind.OTHER_COMPANY


class ListEntry(models.Model):
    """One person on a project's insider list: who added them, when and why, and
    when they acknowledged being told (INS-2, INS-3). Never removed: the list is a record."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="entries")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="insider_entries")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(help_text="Why this person needs to know.")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "person"], name="insider_list_once")]

    def __str__(self):
        return f"{self.person} on {self.project}"


class Window(models.Model):
    """A blackout window (INS-4). Quarterly windows cover the designated insiders;
    event windows cover their project's list."""

    class Kind(models.TextChoices):
        QUARTERLY = "quarterly", "Quarterly"
        EVENT = "event", "Event"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=200)
    start = models.DateField()
    end = models.DateField(help_text="Last day of the blackout; trading opens the day after.")
    quarter_end = models.DateField(null=True, blank=True)
    earnings_release = models.DateField(null=True, blank=True)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="windows")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="window_ends_after_start"),
            models.UniqueConstraint(
                fields=["quarter_end"], condition=models.Q(kind="quarterly"), name="one_window_per_quarter"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.start}–{self.end})"

    def holds(self, day) -> bool:
        return self.start <= day <= self.end


class Request(models.Model):
    """A pre-clearance request (INS-4): the policy's verdict first (refused with
    rule ids, or routed), then the decision, then the trade reported or not."""

    STATUS_CHOICES = [(s.value, s.label) for s in Status]
    DECIDER_CHOICES = [
        (Decider.COMPLIANCE_OFFICER.value, "Compliance officer"),
        (Decider.AUDIT_COMMITTEE.value, "Audit committee"),
    ]

    requester = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="preclearances")
    security = models.CharField(
        max_length=10, choices=[(Security.COMPANY, "The company's securities"), (Security.OTHER, "Another company's")]
    )
    other_company = models.CharField(max_length=200, blank=True)
    other_ticker = models.CharField(max_length=12, blank=True)
    side = models.CharField(max_length=4, choices=[(Side.BUY, "Buy"), (Side.SELL, "Sell")])
    quantity = models.PositiveIntegerField()
    planned_date = models.DateField()
    trading_plan = models.BooleanField(default=False, help_text="Under a Rule 10b5-1 trading plan.")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, db_index=True)
    outcome = models.JSONField(default=dict)
    rule_ids = models.JSONField(default=list)
    decider = models.CharField(max_length=24, choices=DECIDER_CHOICES, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by_label = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_through = models.DateField(null=True, blank=True, help_text="Last trading day the approval is valid.")
    trade_date = models.DateField(null=True, blank=True)
    trade_quantity = models.PositiveIntegerField(null=True, blank=True)
    trade_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    form4_due = models.DateField(null=True, blank=True, help_text="INS-5: directors and executive officers.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"PC-{self.pk}"

    @property
    def reference(self) -> str:
        return f"PC-{self.pk}"

    @property
    def security_label(self) -> str:
        if self.security == Security.OTHER:
            return " ".join(
                part for part in (self.other_company, f"({self.other_ticker})" if self.other_ticker else "") if part
            )
        return settings.INNOVO["ORGANISATION"]

    @property
    def status_label(self) -> str:
        return Status(self.status).label


class Event(models.Model):
    """Append-only record: who did what, when, why, under which rule."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200, blank=True)
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    request = models.ForeignKey(Request, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    detail = models.TextField(blank=True)
    rule_id = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["at", "id"]

    LABELS = {
        "project_opened": "Project opened",
        "insider_added": "Added to the list",
        "insider_acknowledged": "Acknowledged",
        "project_closed": "Public: list frozen",
        "window_created": "Blackout window added",
        "requested": "Asked for pre-clearance",
        "refused": "Refused by the policy",
        "approved": "Approved",
        "denied": "Denied",
        "traded": "Trade reported",
        "not_traded": "Did not trade",
    }

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.action}"

    @property
    def label(self) -> str:
        return self.LABELS.get(self.action, self.action.replace("_", " ").capitalize())
