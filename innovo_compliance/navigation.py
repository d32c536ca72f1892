"""The menu, built from the permissions module: nobody is offered a page they
cannot use (issue 10, item 4).

`menu(request)` answers what base.html draws: the main entries, the "Work"
group (the pages of a role: queue, holds, approvals, campaigns...), the
"Speak up" group, and the user menu. Each entry's `current` says whether it is
the page being shown (the longest matching path wins), for `aria-current`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from innovo_compliance.permissions import can
from innovo_compliance.permissions.common import active_user

# (label, URL name, the action `can()` must allow, or None for everyone logged in)
WORK = [
    ("Case queue", "queue", "queue.view"),
    ("Legal holds", "holds", "hold.manage"),
    ("Approvals inbox", "approvals:inbox", "approvals.inbox"),
    ("Waiver disclosures", "approvals:disclosures", "disclosure.list"),
    ("Certification campaigns", "cert_campaigns", "certifications.manage"),
    ("Board governance", "governance:board", "governance.view"),
    ("Related-party register", "governance:register", "rpt.view"),
    ("Roster import", "roster_import", "roster.import"),
    ("Insider projects", "insiders:projects", "insiders.manage"),
    ("Blackout windows", "insiders:windows", "insiders.manage"),
    ("Pre-clearance requests", "insiders:inbox", "preclearance.inbox"),
]
MINE = [
    ("My filings", "approvals:mine"),
    ("My certificates", "cert_mine"),
    ("Change password", "password_change"),
]


@dataclass
class Item:
    label: str
    url: str
    current: bool = False


@dataclass
class Menu:
    main: list[Item] = field(default_factory=list)
    work: list[Item] = field(default_factory=list)
    speak: list[Item] = field(default_factory=list)
    user: list[Item] = field(default_factory=list)
    help: Item | None = None
    user_name: str = ""
    signed_in: bool = False

    @property
    def work_current(self) -> bool:
        return any(item.current for item in self.work)

    @property
    def speak_current(self) -> bool:
        return any(item.current for item in self.speak)

    @property
    def user_current(self) -> bool:
        return any(item.current for item in self.user)

    def items(self) -> list[Item]:
        return [*self.main, *self.work, *self.speak, *self.user, *([self.help] if self.help else [])]


def _item(label: str, name: str) -> Item:
    return Item(label=label, url=reverse(name))


def menu(request) -> Menu:
    user = getattr(request, "user", None)
    signed_in = active_user(user)
    nav = Menu(signed_in=signed_in)
    if signed_in:
        nav.main = [_item("Home", "home"), _item("Read the Code", "read_code")]
        if can(user, "filing.create"):
            nav.main.append(_item("New filing", "approvals:new"))
        nav.work = [_item(label, name) for label, name, action in WORK if can(user, action)]
        nav.speak = [_item("Report a concern", "report_new"), _item("Ask a question", "question_new")]
        # My filings and My certificates belong to someone on the roster (an administrator's
        # login may have no roster entry: nothing to show there).
        on_roster = can(user, "filing.create")
        nav.user = [_item(label, name) for label, name in MINE if on_roster or name == "password_change"]
        if can(user, "insiders.menu"):  # designated insiders (INS-4): no query on every page
            nav.user.insert(2, _item("Insider trading", "insiders:mine"))
        if user.is_staff:
            nav.user.append(_item("Admin", "admin:index"))
        person = getattr(request, "person", None)
        nav.user_name = person.name if person else user.get_username()
    else:
        # Visitors: the public speak-up pages, side by side (no group to open).
        nav.main = [_item("Home", "home"), _item("Read the Code", "read_code")]
        nav.speak = [
            _item("Report a concern", "report_new"),
            _item("Ask a question", "question_new"),
            _item("Follow up with a key", "follow_up"),
            _item("Verify a certificate", "cert_verify"),
        ]
    nav.help = _item("Get help", "help")
    _mark_current(nav, request.path)
    return nav


def _mark_current(nav: Menu, path: str) -> None:
    """The entry whose URL is the longest prefix of the path ("/" only for itself)."""
    best = None
    for item in nav.items():
        matches = path == item.url if item.url == "/" else path.startswith(item.url)
        if matches and (best is None or len(item.url) > len(best.url)):
            best = item
    if best is not None:
        best.current = True
