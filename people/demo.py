"""Demo data: the Code as version 1 and a roster built from the seeds.

The officers and directors named in the seed documents keep their documented
roles and dates (the Code's contacts page, the 2004 and 2006 press releases).
Everyone else is fictional. Running it twice gives the same data: every row is
found by a natural key before it is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from certifications.demo import seed_certifications
from certifications.models import CodeVersion
from people.models import (
    Committee,
    CommitteeMembership,
    Designation,
    DirectorSeat,
    Person,
    Position,
    Rank,
    RoleDesignation,
)

DEMO_PASSWORD = "innovo-demo-2026"  # noqa: S105 (printed for the demo on purpose)
ADMIN_USERNAME = "admin"
SEEDS = Path(settings.BASE_DIR) / "seeds"
CODE_FILE = SEEDS / "code-of-business-conduct-and-ethics-2003.txt"


@dataclass
class Entry:
    employee_id: str
    name: str
    username: str | None
    department: str = ""
    supervisor: str | None = None
    hire: date | None = None
    leaving: date | None = None
    phone: str = ""
    positions: tuple = ()  # (title, rank, start, end)
    seats: tuple = ()  # (start, end, independent)
    designations: tuple = ()  # (role, start, end)
    committees: tuple = ()  # (slug, start, end, chair)


D = date


def _named() -> list[Entry]:
    """People and roles documented in the seeds (plus the fictional directors and
    officers a working Board and compliance function need)."""
    return [
        Entry(
            "E0001",
            "Samuel J. (Jay) Furrow, Jr.",
            "jfurrow",
            "Executive",
            None,
            D(2003, 5, 31),
            phone="323-725-5510",
            positions=(("Chief Executive Officer", Rank.EXECUTIVE, D(2003, 5, 31), None),),
            seats=((D(2003, 5, 31), None, False),),
        ),
        Entry(
            "E0002",
            "Shane Whalen",
            "swhalen",
            "Executive",
            "E0001",
            D(2003, 5, 31),
            phone="323-278-6764",
            positions=(("Chief Operating Officer", Rank.EXECUTIVE, D(2003, 5, 31), None),),
            designations=((Designation.COMPLIANCE_OFFICER, D(2003, 5, 31), None),),
        ),
        # A director since January 1999, CFO since March 2003, also President from Sept 8, 2004.
        Entry(
            "E0003",
            "Marc Crossman",
            "mcrossman",
            "Finance",
            "E0001",
            D(2003, 3, 1),
            phone="323-725-5530",
            positions=(
                ("Chief Financial Officer", Rank.EXECUTIVE, D(2003, 3, 1), None),
                ("President", Rank.EXECUTIVE, D(2004, 9, 8), None),
            ),
            seats=((D(1999, 1, 1), None, False),),
        ),
        # President since July 1990 and director since August 1990, until September 2004.
        Entry(
            "E0004",
            "Pat Anderson",
            None,
            "Executive",
            "E0001",
            D(1990, 7, 1),
            leaving=D(2004, 9, 7),
            positions=(("President", Rank.EXECUTIVE, D(1990, 7, 1), D(2004, 9, 7)),),
            seats=((D(1990, 8, 1), D(2004, 9, 7), False),),
        ),
        # Independent director from July 2003, resigned February 2006 (announced February 6).
        # NASDAQ's letter came on February 2, and the cure period ends one year after the event
        # at the latest, January 31, 2007: so his last day was January 30, 2006 (BOARD-1).
        Entry(
            "D0001",
            "Vincent Sanfilippo",
            None,
            seats=((D(2003, 7, 1), D(2006, 1, 30), True),),
            committees=(("audit", D(2003, 7, 1), D(2006, 1, 30), False),),
        ),
        Entry(
            "E0005",
            "Jennifer Grant",
            "jgrant",
            "Human Resources",
            "E0002",
            D(2002, 4, 15),
            phone="323-725-5572",
            positions=(("Director of Human Resources", Rank.STAFF, D(2002, 4, 15), None),),
            designations=((Designation.HR_DIRECTOR, D(2002, 4, 15), None),),
        ),
        # Fictional from here on.
        Entry(
            "D0002",
            "Alexandra Reyes",
            "areyes",
            seats=((D(2001, 6, 1), None, True),),
            committees=(("audit", D(2001, 6, 1), None, True),),
        ),
        Entry(
            "D0003",
            "Thomas Okafor",
            "tokafor",
            seats=((D(2004, 11, 1), None, True),),
            committees=(("audit", D(2004, 11, 1), None, False),),
        ),
        Entry("D0004", "Linda Chow", None, seats=((D(2002, 1, 15), None, True),)),
        Entry("D0005", "Harold Brandt", None, seats=((D(2000, 3, 1), None, False),)),
        Entry(
            "D0006",
            "Priya Raman",
            "praman",
            seats=((D(2006, 6, 1), None, True),),
            committees=(("audit", D(2006, 6, 1), None, False),),
        ),
        Entry(
            "E0006",
            "Morgan Ellis",
            "mellis",
            "Legal",
            "E0001",
            D(2004, 1, 12),
            positions=(("Vice President, General Counsel and Corporate Secretary", Rank.VP, D(2004, 1, 12), None),),
            designations=((Designation.BOARD_LIAISON, D(2004, 1, 12), None),),
        ),
        Entry(
            "E0007",
            "Riley Chen",
            "rchen",
            "Legal",
            "E0006",
            D(2019, 9, 3),
            positions=(("Compliance Investigator", Rank.STAFF, D(2019, 9, 3), None),),
            designations=((Designation.INVESTIGATOR, D(2019, 9, 3), None),),
        ),
        Entry(
            "E0008",
            "Dana Whitfield",
            "dwhitfield",
            "Sales",
            "E0002",
            D(2011, 2, 1),
            positions=(
                ("Sales Director", Rank.STAFF, D(2011, 2, 1), D(2018, 12, 31)),
                ("Vice President, Sales", Rank.VP, D(2019, 1, 1), None),
            ),
        ),
        Entry(
            "E0009",
            "Omar Haddad",
            "ohaddad",
            "Operations",
            "E0002",
            D(2008, 5, 19),
            positions=(("Vice President, Operations", Rank.VP, D(2015, 7, 1), None),),
        ),
        Entry(
            "E0010",
            "Grace Kim",
            "gkim",
            "Design",
            "E0001",
            D(2012, 10, 8),
            positions=(("Vice President, Design", Rank.VP, D(2012, 10, 8), None),),
        ),
    ]


_FIRST = [
    "Avery",
    "Jordan",
    "Casey",
    "Taylor",
    "Morgan",
    "Jamie",
    "Quinn",
    "Rowan",
    "Skyler",
    "Emerson",
    "Harper",
    "Reese",
    "Logan",
    "Parker",
    "Sawyer",
    "Hayden",
    "Dakota",
    "Finley",
    "Kendall",
    "Blake",
    "Cameron",
    "Drew",
    "Elliot",
    "Frankie",
    "Gray",
    "Hollis",
    "Indy",
    "Jules",
    "Kai",
    "Lane",
]
_LAST = [
    "Alvarez",
    "Brooks",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "Garcia",
    "Holm",
    "Ibarra",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Oduya",
    "Petrov",
    "Quintero",
    "Rossi",
    "Sato",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weiss",
    "Xu",
    "Yilmaz",
    "Zamora",
    "Abbott",
    "Bianchi",
    "Coelho",
    "Dahl",
]
_DEPARTMENTS = [
    ("Sales", "E0008", "Account Manager"),
    ("Operations", "E0009", "Operations Analyst"),
    ("Design", "E0010", "Designer"),
    ("Finance", "E0003", "Accountant"),
    ("Human Resources", "E0005", "HR Generalist"),
    ("Warehouse", "E0009", "Warehouse Associate"),
]


def _staff(today: date) -> list[Entry]:
    """Thirty fictional employees. Two joined in the last weeks (new hires who owe a
    confirmation certificate) and one left last year."""
    entries = []
    for n in range(30):
        department, supervisor, title = _DEPARTMENTS[n % len(_DEPARTMENTS)]
        first, last = _FIRST[n], _LAST[n]
        hire = D(2010 + n % 15, 1 + n % 12, 1 + n % 27)
        if n == 0:
            hire = today - timedelta(days=3)
        elif n == 1:
            hire = today - timedelta(days=12)
        leaving = D(2025, 6, 30) if n == 29 else None
        if n < 6 and n > 1:
            # Team leads, who supervise the rest of their department.
            title = f"Senior {title}"
        entries.append(
            Entry(
                f"E{1000 + n}",
                f"{first} {last}",
                f"{first[0]}{last}".lower(),
                department,
                supervisor,
                hire,
                leaving,
                positions=((title, Rank.STAFF, hire, leaving),),
            )
        )
    return entries


def _upsert_dated(model, lookup: dict, start: date, end: date | None, **extra) -> None:
    """Idempotent write of one dated record, found by its person, kind and start."""
    obj, created = model.objects.get_or_create(**lookup, start_date=start, defaults={"end_date": end, **extra})
    if not created and (obj.end_date != end or any(getattr(obj, k) != v for k, v in extra.items())):
        obj.end_date = end
        for key, value in extra.items():
            setattr(obj, key, value)
        obj.save()


@transaction.atomic
def seed_demo(*, today: date | None = None) -> dict:
    """Load the Code and the demo roster. Returns the demo logins."""
    today = today or timezone.localdate()
    User = get_user_model()

    code_text = CODE_FILE.read_text(encoding="utf-8")
    code, _ = CodeVersion.objects.get_or_create(
        number=1,
        defaults={
            "title": "Code of Business Conduct and Ethics",
            "effective_date": D(2003, 5, 31),
            "text": code_text,
            "summary_of_changes": "First version, adopted as current on May 31, 2003.",
            "published_at": timezone.now(),
        },
    )

    board, _ = Committee.objects.update_or_create(
        slug=Committee.BOARD, defaults={"name": "Board of Directors", "designated_for_decisions": True}
    )
    audit, _ = Committee.objects.update_or_create(
        slug=Committee.AUDIT, defaults={"name": "Audit Committee", "designated_for_decisions": False}
    )
    committees = {c.slug: c for c in (board, audit)}

    entries = _named() + _staff(today)
    # One hash for every demo login (same password): hashing 45 times costs a minute.
    demo_hash = make_password(DEMO_PASSWORD)
    people: dict[str, Person] = {}
    for entry in entries:
        person, _ = Person.objects.update_or_create(
            employee_id=entry.employee_id,
            defaults={
                "name": entry.name,
                "email": f"{entry.username or entry.employee_id.lower()}@innovo.example",
                "department": entry.department,
                "hire_date": entry.hire,
                "leaving_date": entry.leaving,
                "phone": entry.phone,
            },
        )
        people[entry.employee_id] = person
    logins = []
    for entry in entries:
        person = people[entry.employee_id]
        supervisor = people.get(entry.supervisor) if entry.supervisor else None
        if person.supervisor_id != (supervisor.id if supervisor else None):
            person.supervisor = supervisor
            person.save(update_fields=["supervisor"])
        for title, rank, start, end in entry.positions:
            _upsert_dated(Position, {"person": person, "title": title}, start, end, rank=rank)
        for start, end, independent in entry.seats:
            _upsert_dated(DirectorSeat, {"person": person}, start, end, independent=independent)
        for role, start, end in entry.designations:
            _upsert_dated(RoleDesignation, {"person": person, "role": role}, start, end)
        for slug, start, end, chair in entry.committees:
            _upsert_dated(
                CommitteeMembership, {"person": person, "committee": committees[slug]}, start, end, chair=chair
            )
        if entry.username:
            user, created = User.objects.get_or_create(username=entry.username, defaults={"email": person.email})
            active = entry.leaving is None or entry.leaving >= today
            if created or not user.has_usable_password() or user.is_active != active:
                user.password = demo_hash
                user.is_active = active
                user.save()
            if person.user_id != user.id:
                person.user = user
                person.save(update_fields=["user"])
            if active:
                logins.append((entry.username, person.name, _describe(entry)))

    admin, created = User.objects.get_or_create(
        username=ADMIN_USERNAME, defaults={"is_staff": True, "is_superuser": True, "email": "admin@innovo.example"}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    logins.insert(0, (ADMIN_USERNAME, "Administrator", "Django admin: roster, roles, code versions"))
    seed_certifications(today=today)
    return {"code": code, "logins": logins, "people": len(people)}


def _describe(entry: Entry) -> str:
    roles = [title for title, _, _, end in entry.positions if end is None]
    roles += [
        Designation(role).label
        for role, _, end in entry.designations
        if end is None and Designation(role).label not in roles
    ]
    if any(end is None for _, end, _ in entry.seats):
        roles.append("director")
    if any(end is None for _, _, end, _ in entry.committees):
        roles.append("audit committee")
    return ", ".join(roles) or "employee"
