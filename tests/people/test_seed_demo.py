from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from certifications.models import CodeVersion
from people.demo import seed_demo
from people.models import Committee, CommitteeMembership, DirectorSeat, Person, Position, RoleDesignation

pytestmark = pytest.mark.django_db


def everything():
    models = [Person, Position, DirectorSeat, Committee, CommitteeMembership, RoleDesignation, CodeVersion]
    data = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    data["users"] = list(get_user_model().objects.order_by("pk").values("username", "is_active", "password"))
    return data


def test_seed_demo_twice_gives_the_same_data():
    seed_demo(today=date(2026, 11, 22))
    first = everything()
    seed_demo(today=date(2026, 11, 22))
    assert everything() == first
    assert len(first["Person"]) >= 45
    assert CodeVersion.objects.get(number=1).text.startswith("-----")


def test_seed_demo_command_prints_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "swhalen" in out and "Compliance officer" in out and "innovo-demo-2026" in out


def test_demo_roster_has_departments_with_supervisors():
    seed_demo(today=date(2026, 11, 22))
    staff = Person.objects.filter(employee_id__startswith="E1")
    assert staff.count() == 30
    assert all(p.supervisor_id for p in staff)
    assert len(set(staff.values_list("department", flat=True))) >= 5


def test_seed_demo_roster_only_loads_no_cases():
    from cases.models import Case

    call_command("seed_demo", "--roster-only")
    assert Case.objects.count() == 0
    assert get_user_model().objects.filter(username="swhalen").exists()


def test_seed_demo_without_the_development_requirements_loads_the_roster_and_says_so(monkeypatch, capsys):
    """The production image has no time-machine: the command still loads the roster."""
    import sys

    from cases.models import Case

    monkeypatch.setitem(sys.modules, "time_machine", None)
    call_command("seed_demo")
    assert "development requirements (time-machine)" in capsys.readouterr().out
    assert Case.objects.count() == 0
    assert get_user_model().objects.filter(username="swhalen").exists()
