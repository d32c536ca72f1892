"""Roster import: all or nothing, line numbers in every message, history kept (ROLE-1)."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from people.models import Person, Position, RosterEvent
from people.roster_import import RosterImportError, import_roster
from people.selectors import roles_on, titles_on

pytestmark = pytest.mark.django_db

HEADER = "employee_id,name,email,department,supervisor_id,hire_date,leaving_date,title,rank,position_start,username\n"


def snapshot():
    return (
        list(Person.objects.order_by("id").values()),
        list(Position.objects.order_by("id").values()),
        RosterEvent.objects.count(),
    )


def test_happy_path_creates_people_positions_supervisors_and_logins(demo):
    text = HEADER + (
        "N100,Robin Example,robin@example.com,Sales,N101,2026-01-05,,Account Manager,staff,,rexample\n"
        "N101,Sam Lead,sam@example.com,Sales,E0008,2025-03-01,,Sales Lead,staff,,\n"
    )
    result = import_roster(text)
    assert result.created == 2
    robin = Person.objects.get(employee_id="N100")
    assert robin.supervisor.employee_id == "N101"
    assert robin.user.username == "rexample" and not robin.user.has_usable_password()
    assert titles_on(robin, date(2026, 1, 5)) == ["Account Manager"]
    assert Person.objects.get(employee_id="N101").supervisor.name == "Dana Whitfield"


def test_a_bad_row_changes_nothing_and_names_its_line(demo):
    before = snapshot()
    text = HEADER + (
        "N100,Robin Example,robin@example.com,Sales,,2026-01-05,,Account Manager,staff,,\n"
        "N101,Sam Lead,sam@example.com,Sales,NOPE,2025-03-01,,Sales Lead,staff,,\n"
    )
    with pytest.raises(RosterImportError) as error:
        import_roster(text)
    assert error.value.errors == ["line 3: unknown supervisor NOPE"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("N1,A,,,,2026-13-01,,,,,\n", "line 2: hire_date '2026-13-01' is not a date (use YYYY-MM-DD)"),
        ("N1,A,,,,,,,,,\nN1,B,,,,,,,,,\n", "line 3: duplicate employee_id N1 (first on line 2)"),
        ("N1,A,not-an-email,,,,,,,,\n", "line 2: email 'not-an-email' is not an e-mail address"),
        ("N1,A,,,,,,Boss,king,,\n", "line 2: rank 'king' is not one of executive, staff, vp"),
        (",A,,,,,,,,,\n", "line 2: employee_id is empty"),
    ],
)
def test_each_kind_of_bad_row_is_refused_with_line_and_reason(demo, rows, message):
    before = snapshot()
    with pytest.raises(RosterImportError) as error:
        import_roster(HEADER + rows)
    assert message in error.value.errors
    assert snapshot() == before


def test_a_missing_column_is_refused(demo):
    with pytest.raises(RosterImportError) as error:
        import_roster("employee_id,email\nN1,a@example.com\n")
    assert error.value.errors == ["line 1: missing column name"]


def test_role1_promotion_is_a_new_dated_position_and_the_old_one_is_closed(demo):
    text = (
        HEADER + "E1003,Taylor Dubois,tdubois@innovo.example,Finance,E0003,,,Vice President Analytics,vp,2026-11-01,\n"
    )
    result = import_roster(text)
    jordan = Person.objects.get(employee_id="E1003")
    positions = list(jordan.positions.order_by("start_date"))
    assert [(p.title, p.rank, p.end_date) for p in positions] == [
        ("Senior Accountant", "staff", date(2026, 10, 31)),
        ("Vice President Analytics", "vp", None),
    ]
    assert roles_on(jordan, date(2026, 10, 31)).rank == "staff"
    assert roles_on(jordan, date(2026, 11, 1)).is_vp_or_above
    assert any("→ Vice President Analytics (vp) from 2026-11-01" in change for change in result.changes)
    # Importing the same file again changes nothing.
    again = import_roster(text)
    assert again.changes == [] and jordan.positions.count() == 2


def test_a_promotion_dated_before_the_current_position_is_refused(demo):
    before = snapshot()
    text = HEADER + "E1003,Taylor Dubois,,Finance,E0003,,,VP,vp,2000-01-01,\n"
    with pytest.raises(RosterImportError, match="line 2: position_start 2000-01-01 is before the current position"):
        import_roster(text)
    assert snapshot() == before


def test_a_leaver_is_marked_and_their_position_closed(demo):
    text = HEADER + "E1002,Casey Castillo,ccastillo@innovo.example,Design,E0010,,2026-11-20,,,,\n"
    import_roster(text)
    casey = Person.objects.get(employee_id="E1002")
    assert casey.leaving_date == date(2026, 11, 20)
    assert not casey.positions.filter(end_date__isnull=True).exists()
    assert not roles_on(casey, date(2026, 11, 21)).is_employee
    casey.user.refresh_from_db()
    assert casey.user.is_active is False


def test_dry_run_reports_changes_and_writes_nothing(demo):
    before = snapshot()
    result = import_roster(HEADER + "N200,New Person,,Sales,E0008,2026-11-02,,Clerk,staff,,\n", dry_run=True)
    assert result.dry_run and result.created == 1
    assert "line 2: new person N200 New Person" in result.changes
    assert snapshot() == before


def test_command_prints_changes_and_fails_with_line_number(demo, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "N300,Pat Example,,Sales,E0008,2026-11-02,,Clerk,staff,,\n")
    call_command("import_roster", str(good), "--dry-run")
    assert "Would import: 1 new" in capsys.readouterr().out
    assert not Person.objects.filter(employee_id="N300").exists()
    call_command("import_roster", str(good))
    assert Person.objects.filter(employee_id="N300").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "N301,Bad Date,,Sales,,31/12/2026,,,,,\n")
    with pytest.raises(CommandError, match="line 2: hire_date '31/12/2026' is not a date"):
        call_command("import_roster", str(bad))


def test_hr_upload_page_shows_the_same_messages(client, hr_director):
    client.force_login(hr_director)
    url = reverse("roster_import")
    assert client.get(url).status_code == 200
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("r.csv", (HEADER + "N1,A,,,NOPE,,,,,,\n").encode())
    response = client.post(url, {"file": upload, "dry_run": ""})
    assert response.status_code == 200
    assert "line 2: unknown supervisor NOPE" in response.content.decode()
    assert not Person.objects.filter(employee_id="N1").exists()
    upload = SimpleUploadedFile("r.csv", (HEADER + "N1,A Person,,Sales,,,,,,,\n").encode())
    response = client.post(url, {"file": upload})
    assert "1 new" in response.content.decode()
    assert Person.objects.filter(employee_id="N1").exists()


def test_employee_cannot_use_the_upload_page(client, employee):
    client.force_login(employee)
    assert client.get(reverse("roster_import")).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("roster_import"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
