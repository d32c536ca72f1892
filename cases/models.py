"""The case model family: reports, questions and filings (conflicts, gifts,
pre-approvals, waivers) share one `Case` row, so the compliance officer's queue,
access rules, timeline, deadlines and retention treat them alike.

Kind-specific answers are kept in `facts` (as entered, validated by the kind's
form) and the policy's verdict in `outcome`; the few kind-specific fields that
are queried (gift counterparty, value) have their own columns.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case as SqlCase
from django.db.models import Func, Q, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.chain import ChainedEvent
from policy.outcomes import Verdict
from policy.routing import CATEGORY_CHOICES, Decider, FilingKind
from policy.workflow import OPEN_STATUSES, Status

KIND_CHOICES = [(k.value, k.label.capitalize()) for k in FilingKind]
STATUS_CHOICES = [(s.value, s.label) for s in Status]
DECIDER_CHOICES = [
    (Decider.BOARD.value, "Board of Directors or its designated committee"),
    (Decider.COMPLIANCE_OFFICER.value, "Compliance officer"),
    (Decider.AUDIT_COMMITTEE.value, "Audit committee"),
    (Decider.HR_DIRECTOR.value, "Director of Human Resources"),
    (Decider.SUPERVISOR.value, "Supervisor"),
]
VERDICT_CHOICES = [(v.value, v.label) for v in Verdict]
KIND_PREFIX = {
    FilingKind.REPORT: "R",
    FilingKind.QUESTION: "Q",
    FilingKind.CONFLICT: "C",
    FilingKind.GIFT: "G",
    FilingKind.PREAPPROVAL: "P",
    FilingKind.WAIVER: "W",
}


COUNTED = ("status", "kind", "category", "decider", "assignee_id", "anonymous")


class EarliestOf(Func):
    """The earliest of its arguments that are not empty (empty when all are). LEAST
    on PostgreSQL; SQLite's MIN() is empty as soon as one argument is, so there each
    argument is first coalesced with the others."""

    function = "LEAST"

    def as_sqlite(self, compiler, connection, **extra):
        exprs = self.get_source_expressions()
        terms = [Coalesce(e, *[o for o in exprs if o is not e]) for e in exprs]
        return Func(*terms, function="MIN", output_field=self.output_field).as_sql(compiler, connection, **extra)


def overdue_from():
    """When an open case turns overdue (cases.selectors.overdue_q): not acknowledged by
    its acknowledge-by date, a report not under investigation by its investigate-by
    date, no feedback by its feedback date; empty once the case is no longer open.
    A column the database computes from the row itself (GENERATED ALWAYS … STORED), so
    no write path can leave it behind."""
    open_statuses = sorted(s.value for s in OPEN_STATUSES)
    return EarliestOf(
        SqlCase(When(status=Status.RECEIVED.value, then="acknowledge_due")),
        SqlCase(
            When(
                status__in=["acknowledged", "received", "triage"],
                kind=FilingKind.REPORT.value,
                then="investigate_due",
            )
        ),
        SqlCase(When(status__in=open_statuses, then="feedback_due")),
        output_field=models.DateTimeField(),
    )


WAITING_ACTIONS = ("submitted", "answered", "renewal")
"""The timeline actions that put a filing in front of its decider; the last one's time
is kept on the case as `waiting_since` (cases.services.common.record_event)."""
"""The columns the kept counts (`CaseCount`) are grouped by: the queue's filters and
the columns the visibility rules read (permissions.cases.handling_clauses)."""


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[s.value for s in OPEN_STATUSES])

    def for_queue(self):
        return self.select_related("filer", "assignee")

    # Writes that bypass Case.save keep the counts too (cases.counts).
    def update(self, **kwargs):
        from cases import counts

        if not counts.touches(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            pks = list(self.values_list("pk", flat=True))
            counts.subtract_rows(pks)
            updated = super().update(**kwargs)
            counts.add_rows(pks)
        return updated

    update.alters_data = True

    def delete(self):
        from cases import counts

        with transaction.atomic(using=self.db):
            counts.subtract_rows(list(self.values_list("pk", flat=True)))
            return super().delete()

    delete.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from cases import counts

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            counts.add_rows([obj.pk for obj in created if obj.pk is not None])
        return created


class Case(models.Model):
    reference = models.CharField(max_length=24, unique=True, blank=True)
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    subkind = models.CharField(max_length=40, blank=True)
    category = models.CharField(max_length=40, choices=CATEGORY_CHOICES, blank=True)
    status = models.CharField(max_length=32, choices=STATUS_CHOICES)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    filer = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="filed_cases"
    )
    anonymous = models.BooleanField(default=False)
    filed_on = models.DateField(help_text="The date whose roles decide the routing (ROLE-1).")
    decider = models.CharField(max_length=24, choices=DECIDER_CHOICES)
    assignee = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_cases"
    )

    facts = models.JSONField(default=dict, blank=True)
    outcome = models.JSONField(null=True, blank=True, help_text="The policy's verdict, rule ids and reasons.")
    verdict = models.CharField(max_length=20, choices=VERDICT_CHOICES, blank=True)

    # Gifts and entertainment: the columns the "third gift in 12 months" rule queries.
    counterparty = models.CharField(max_length=200, blank=True, db_index=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    event_date = models.DateField(null=True, blank=True)

    # Deadlines (REP-4 and the EU whistleblowing directive's clock).
    acknowledge_due = models.DateTimeField(null=True, blank=True)
    investigate_due = models.DateTimeField(null=True, blank=True)
    feedback_due = models.DateTimeField(null=True, blank=True)
    review_date = models.DateField(null=True, blank=True, help_text="An approval that must be renewed.")

    # Anonymous follow-up: a public lookup part and a slow (argon2) hash of the whole key
    # (cases/services/receipts.py). Unique when set; "ABCDE.<id>" for keys issued before 0003.
    receipt_lookup = models.CharField(max_length=32, blank=True, db_index=True)
    receipt_hash = models.CharField(max_length=200, blank=True)

    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    finding = models.CharField(max_length=20, blank=True)
    # REP-4: why the case closed without (or before) a finding (policy.workflow.ClosureReason).
    closure_reason = models.CharField(max_length=32, blank=True)
    search_text = models.TextField(blank=True, help_text="Reference, title, description and people, for search.")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When the filing was last put in front of its decider (submitted, answered, renewal):
    # kept by record_event, so the inbox orders and counts late filings from an index.
    waiting_since = models.DateTimeField(null=True, blank=True)
    overdue_at = models.GeneratedField(expression=overdue_from(), output_field=models.DateTimeField(), db_persist=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="case_status_created"),
            models.Index(fields=["kind", "status"], name="case_kind_status"),
            models.Index(fields=["decider", "status"], name="case_decider_status"),
            models.Index(fields=["assignee", "status"], name="case_assignee_status"),
            models.Index(fields=["filer", "-created_at"], name="case_filer_created"),
            models.Index(fields=["category", "status"], name="case_category_status"),
            # The queue's default order; covering the columns visibility reads, so a
            # page number is resolved from the index alone (cases.selectors.queue).
            models.Index(
                fields=["-created_at", "-id"],
                name="case_created_cover",
                include=["status", "filer", "kind", "category", "decider", "assignee", "anonymous"],
            ),
            models.Index(fields=["acknowledge_due"], name="case_ack_due", condition=Q(status="received")),
            models.Index(fields=["feedback_due"], name="case_feedback_due"),
            # The overdue counts read only the open cases past a deadline, from this index
            # alone (cases.selectors.overdue_q; the columns visibility reads are in it).
            models.Index(
                fields=["overdue_at"],
                name="case_overdue_at_cover",
                include=["id", "status", "filer", "kind", "category", "decider", "assignee", "anonymous"],
                condition=Q(overdue_at__isnull=False),
            ),
            # The inbox's waiting filings in their order, and the late ones counted from the
            # index alone (approvals.selectors; the inbox's rules read decider and kind).
            models.Index(
                fields=["waiting_since", "id"],
                name="case_submitted_waiting",
                include=["decider", "kind"],
                condition=Q(status="submitted"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["receipt_lookup"], condition=~Q(receipt_lookup=""), name="case_receipt_lookup_unique"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    # --- kept counts: every save moves the case between CaseCount rows ------------
    def save(self, *args, **kwargs):
        from cases import counts

        with transaction.atomic(using=kwargs.get("using") or "default"):
            adding = self._state.adding or self.pk is None
            old = None if adding else getattr(self, "_counted", None)
            if not adding and old is None:
                old = counts.stored_key(self.pk)
            super().save(*args, **kwargs)
            fields = kwargs.get("update_fields")
            if old is not None and fields is not None:
                names = {self._meta.get_field(f).attname for f in fields}
                new = tuple(getattr(self, n) if n in names else v for n, v in zip(COUNTED, old, strict=True))
            else:
                new = self.count_key()
            counts.move(old, new)
            self._counted = new

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._counted = self.count_key() if self._counted_loaded() else None

    def delete(self, *args, **kwargs):
        from cases import counts

        with transaction.atomic(using=kwargs.get("using") or "default"):
            old = counts.stored_key(self.pk)
            result = super().delete(*args, **kwargs)
            counts.move(old, None)
        return result

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._counted = instance.count_key() if instance._counted_loaded() else None
        return instance

    def _counted_loaded(self) -> bool:
        deferred = self.get_deferred_fields()
        return not any(name in deferred for name in COUNTED)

    def count_key(self) -> tuple:
        return tuple(getattr(self, name) for name in COUNTED)

    @property
    def kind_enum(self) -> FilingKind:
        return FilingKind(self.kind)

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_open(self) -> bool:
        return self.status_enum in OPEN_STATUSES

    @property
    def is_filing(self) -> bool:
        return not self.kind_enum.is_case

    def next_deadline(self, now=None):
        """(label, when, overdue) of the next unmet deadline of an open report or
        question, for the queue's due-date badge; None when there is none."""
        if not self.is_open or self.is_filing:
            return None
        now = now or timezone.now()
        candidates = []
        if self.status == Status.RECEIVED and self.acknowledge_due:
            candidates.append(("acknowledge", self.acknowledge_due))
        early = self.status in (Status.RECEIVED, Status.ACKNOWLEDGED, Status.TRIAGE)
        if early and self.investigate_due and self.kind == FilingKind.REPORT:
            candidates.append(("investigate", self.investigate_due))
        if self.feedback_due:
            candidates.append(("feedback", self.feedback_due))
        if not candidates:
            return None
        label, when = min(candidates, key=lambda c: c[1])
        return {"label": label, "when": when, "overdue": when < now}


class CaseCount(models.Model):
    """Kept counts (issue 12): how many cases have each combination of the columns in
    `COUNTED`. Changed in the same transaction as the case, by `Case.save`,
    `Case.delete` and the queryset's `update`, `delete` and `bulk_create`
    (cases.counts), so a viewer's counts are a sum over a handful of these rows plus
    a correction for the few cases they filed or are about. `manage.py
    rebuild_case_counts --check` compares them with a full count."""

    status = models.CharField(max_length=32)
    kind = models.CharField(max_length=16)
    category = models.CharField(max_length=40)
    decider = models.CharField(max_length=24)
    assignee_id = models.IntegerField(help_text="The assignee's person id; 0 when unassigned.")
    anonymous = models.BooleanField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=list(COUNTED), name="casecount_key")]

    def __str__(self):
        return f"{self.n} × {self.kind}/{self.status}"


class CaseParty(models.Model):
    """Someone involved in a case: a roster link with a role, or a typed name
    that matched nobody. Subjects and related people never see the case, nor
    learn that it exists, and are never its decider or assignee.

    A person found by matching free text (a name typed by an anonymous reporter,
    the description, a conflict's related person) is a *likely* party: counted as
    about the case for routing and visibility until a handler one level up
    confirms or clears it (cases.services.parties)."""

    SUBJECT = "subject"
    WITNESS = "witness"
    RELATED = "related"
    ROLE_CHOICES = [
        (SUBJECT, "Subject (the report is about them)"),
        (WITNESS, "Witness"),
        (RELATED, "Related person (a relative, partner or friend in a disclosure)"),
    ]
    EXCLUDING_ROLES = (SUBJECT, RELATED)

    CONFIRMED = "confirmed"
    LIKELY = "likely"
    CLEARED = "cleared"
    STATUS_CHOICES = [
        (CONFIRMED, "Confirmed"),
        (LIKELY, "Likely match, to confirm"),
        (CLEARED, "Cleared: not this person"),
    ]
    EXCLUDING_STATUSES = (CONFIRMED, LIKELY)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200, blank=True, help_text="As typed (kept when it matched nobody).")
    role = models.CharField(max_length=16, choices=ROLE_CHOICES, default=SUBJECT)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=CONFIRMED)
    matched_from = models.CharField(max_length=300, blank=True, help_text="The text a likely match was found in.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["person", "role"], name="party_person_role")]

    def __str__(self):
        return self.person.name if self.person_id else self.name

    @property
    def excludes(self) -> bool:
        """Is the case about this person (so they may not see, decide or work it)?"""
        return self.role in self.EXCLUDING_ROLES and self.status in self.EXCLUDING_STATUSES

    @property
    def is_likely(self) -> bool:
        return self.status == self.LIKELY


class CaseEvent(ChainedEvent):
    """Append-only timeline: who did what, when, why, under which rule.

    Hash-chained per case (core.chain) and refused UPDATE and DELETE by the
    database outside the retention purge. An event about another case (a link,
    a merge) names it only through `related_case`, shown to those who may see
    that case; its text never carries the other case's reference."""

    CHAIN_SCOPE = "case_id"
    CHAIN_FIELDS = (
        "case_id",
        "at",
        "actor_id",
        "actor_label",
        "action",
        "from_status",
        "to_status",
        "note",
        "rule_ids",
        "internal",
        "related_case_id",
    )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32, blank=True)
    note = models.TextField(blank=True)
    rule_ids = models.JSONField(default=list, blank=True)
    internal = models.BooleanField(default=True, help_text="Hidden from the filer or reporter.")
    related_case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        help_text="Another case this event is about (shown only to those who may see it).",
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="event_case_at")]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="event_case_seq")]

    def __str__(self):
        return f"{self.case_id} {self.action} {self.at:%Y-%m-%d}"

    @property
    def label(self) -> str:
        """A plain-English line for the timeline."""
        if self.action == "status" and self.to_status:
            return f"Moved to {Status(self.to_status).label.lower()}"
        return EVENT_LABELS.get(self.action, self.action.replace("-", " ").capitalize())


EVENT_LABELS = {
    "received": "Received",
    "message": "Message to the reporter",
    "reporter-message": "The reporter wrote",
    "withdrawn": "Withdrawn",
    "merged": "Merged into another case",
    "merged-in": "A duplicate was merged in",
    "party-added": "Person added",
    "party-confirmed": "Likely person confirmed",
    "party-cleared": "Likely person cleared",
    "party-removed": "Person removed",
    "rerouted": "Routed again",
    "assigned": "Assignment changed",
    "note": "Internal note",
    "task": "Task added",
    "task-done": "Task done",
    "linked": "Linked to another case",
    "finding": "Finding recorded",
    "closed": "Closed",
    "reopened": "Reopened",
    "hold": "Legal hold placed",
    "hold-released": "Legal hold released",
    "checkins": "Retaliation check-ins planned",
}


class CaseMessage(models.Model):
    """The channel with the filer or reporter (named or anonymous)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_reporter = models.BooleanField(default=False)
    body = models.TextField()

    class Meta:
        ordering = ["at", "id"]


class CaseNote(models.Model):
    """Internal note: never shown to the filer or reporter."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()

    class Meta:
        ordering = ["at", "id"]


class CaseTask(models.Model):
    RETALIATION_CHECKIN = "retaliation_checkin"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, blank=True)
    due = models.DateField(null=True, blank=True)
    assignee = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_at", "due", "id"]


class CaseLink(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    other = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "other"], name="unique_case_link")]


class CorrectiveAction(models.Model):
    """REP-4: what was done about a substantiated finding."""

    KIND_CHOICES = [
        ("discipline", "Discipline"),
        ("training", "Training"),
        ("policy_change", "Policy change"),
        ("referral", "Referral to authorities"),
        ("other", "Other"),
    ]
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="corrective_actions")
    kind = models.CharField(max_length=20, choices=KIND_CHOICES)
    description = models.TextField()
    at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")


class Attachment(models.Model):
    """A file kept in private storage (outside the web root), served only through
    a view that checks access first."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    from_reporter = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)


class CategorySetting(models.Model):
    """Per-category clock and optional auto-assignment (administrators edit it)."""

    category = models.CharField(max_length=40, choices=CATEGORY_CHOICES, unique=True)
    acknowledge_days = models.PositiveIntegerField(default=7)
    investigate_days = models.PositiveIntegerField(default=14)
    feedback_months = models.PositiveIntegerField(default=3)
    auto_assignee = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return self.get_category_display()


class DeadlineNotice(models.Model):
    """Idempotency record: each reminder or escalation is sent once per case and step."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    step = models.CharField(max_length=60)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "step"], name="unique_case_notice")]


class SavedFilter(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=1000)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="unique_saved_filter")]


class LegalHold(models.Model):
    """REC-1: records that may pertain to a matter are kept: held cases, and cases
    of held people, cannot be deleted or purged by anyone."""

    matter = models.CharField(max_length=200)
    reason = models.TextField(blank=True)
    cases = models.ManyToManyField(Case, blank=True, related_name="legal_holds")
    people = models.ManyToManyField("people.Person", blank=True, related_name="legal_holds")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    release_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.matter


class Tombstone(models.Model):
    """What a retention purge removed: the reference stays findable."""

    reference = models.CharField(max_length=24, db_index=True)
    kind = models.CharField(max_length=16)
    category = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True)
    purged_at = models.DateTimeField(auto_now_add=True)
    rule = models.CharField(max_length=200)

    class Meta:
        ordering = ["-purged_at"]
