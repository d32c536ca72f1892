"""The roster: people and the roles they held on each day (ROLE-1).

Routing, access and certification obligations all ask "who was this person on
date D?". So roles are dated records that are never overwritten: a change
closes one record (sets its `end_date`, the last day it was held) and opens the
next. Every `start_date`/`end_date` pair is inclusive; an open record has no
`end_date`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.chain import ChainedEvent


class Rank(models.TextChoices):
    """Mirrors policy.roles.Rank."""

    STAFF = "staff", "Staff"
    VP = "vp", "Officer, Vice President or above"
    EXECUTIVE = "executive", "Executive officer"


RANK_ORDER = {Rank.STAFF: 0, Rank.VP: 1, Rank.EXECUTIVE: 2}


class Designation(models.TextChoices):
    COMPLIANCE_OFFICER = "compliance_officer", "Compliance officer"
    HR_DIRECTOR = "hr_director", "Director of Human Resources"
    BOARD_LIAISON = "board_liaison", "Board liaison"
    INVESTIGATOR = "investigator", "Investigator"
    DESIGNATED_INSIDER = "designated_insider", "Designated insider (insider trading policy)"


class DatedQuerySet(models.QuerySet):
    def on(self, day):
        """Records in force on `day` (inclusive at both ends)."""
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))

    def current(self):
        return self.filter(end_date__isnull=True)


class Dated(models.Model):
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Last day held; empty while current.")

    objects = DatedQuerySet.as_manager()

    class Meta:
        abstract = True

    def held_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class Person(models.Model):
    """One roster entry. Non-employee directors are people with no hire date."""

    employee_id = models.CharField(max_length=32, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    name = models.CharField(max_length=200, help_text="Full name, as typed when signing.")
    email = models.EmailField(blank=True)
    department = models.CharField(max_length=100, blank=True, db_index=True)
    supervisor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    hire_date = models.DateField(null=True, blank=True)
    leaving_date = models.DateField(null=True, blank=True, help_text="Last day employed.")
    phone = models.CharField(max_length=40, blank=True)
    aliases = models.TextField(
        blank=True,
        help_text="Other names this person is known by, one per line (a nickname, a former name): "
        "reports that name them this way are matched to them.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def employed_on(self, day) -> bool:
        return (
            self.hire_date is not None
            and self.hire_date <= day
            and (self.leaving_date is None or day <= self.leaving_date)
        )


class PersonNameKey(models.Model):
    """The roster's name index: each word of a person's names (folded: no case, no
    accents), so free text is matched against a handful of candidates, not the
    whole roster (people.matching). Rebuilt whenever the person is saved."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=100, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="person_name_key")]


class Position(Dated):
    """A title held for a period, with its rank (staff, VP and above, executive officer)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(max_length=200)
    rank = models.CharField(max_length=16, choices=Rank.choices, default=Rank.STAFF)

    class Meta:
        ordering = ["person", "start_date"]
        indexes = [models.Index(fields=["rank", "start_date", "end_date"])]

    def __str__(self):
        return f"{self.person}: {self.title} ({self.start_date}–{self.end_date or 'now'})"


class DirectorSeat(Dated):
    """A seat on the Board of Directors. Employee or not is read from the roster."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="director_seats")
    independent = models.BooleanField(default=False)

    class Meta:
        ordering = ["person", "start_date"]

    def __str__(self):
        kind = "independent" if self.independent else "non-independent"
        return f"{self.person}: {kind} director ({self.start_date}–{self.end_date or 'now'})"


class Committee(models.Model):
    """The Board of Directors, its Audit Committee, or another designated committee."""

    BOARD = "board"
    AUDIT = "audit"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    designated_for_decisions = models.BooleanField(
        default=False,
        help_text="Decides conflicts and waivers of executive officers and directors for the Board.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommitteeMembership(Dated):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="committee_memberships")
    chair = models.BooleanField(default=False)

    class Meta:
        ordering = ["committee", "start_date"]

    def __str__(self):
        return f"{self.person} on {self.committee} ({self.start_date}–{self.end_date or 'now'})"


class RoleDesignation(Dated):
    """Compliance officer, director of HR, board liaison, investigator, designated insider (INS-4)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="designations")
    role = models.CharField(max_length=32, choices=Designation.choices)

    class Meta:
        ordering = ["role", "start_date"]
        indexes = [models.Index(fields=["role", "start_date", "end_date"])]

    def __str__(self):
        return f"{self.person}: {self.get_role_display()} ({self.start_date}–{self.end_date or 'now'})"


class RosterEvent(ChainedEvent):
    """Append-only record of a roster change: who changed what, when and why
    (hash-chained, refused UPDATE and DELETE by the database: core.chain)."""

    CHAIN_FIELDS = ("at", "actor_id", "person_id", "action", "detail")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["seq"], name="rosterevent_chain_seq")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.person}: {self.action}"
