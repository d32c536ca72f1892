"""Who must sign what, and when: new hires (CERT-1), officers VP and above each year
(CERT-2), anyone promoted while the campaign is open (ROLE-1), everyone for a new
Code version (CERT-3), and nobody who has left."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from certifications.models import Audience, Campaign, CertificationEvent, CodeVersion, Kind, Obligation
from certifications.services.campaigns import campaign_close, campaign_create, code_version_publish
from certifications.services.events import CertificationError
from certifications.services.obligations import obligations_sync
from people.models import Person
from people.roster_import import import_roster
from people.services import person_leave
from tests.certifications.helpers import annual_campaign, new_hire_obligation, person, sign

pytestmark = pytest.mark.django_db

OFFICERS = {"dwhitfield", "ohaddad", "gkim", "mellis", "jfurrow", "swhalen", "mcrossman"}


def test_new_hire_owes_the_confirmation_certificate_30_days_after_hire(employee):
    """CERT-1."""
    obligation = new_hire_obligation("aalvarez")
    hired = obligation.person.hire_date
    assert obligation.campaign.kind == Kind.CONFIRMATION
    assert obligation.due_date == hired + timedelta(days=30)
    assert obligation.code_version == CodeVersion.current()
    assert obligation.status == Obligation.Status.PENDING
    event = CertificationEvent.objects.get(obligation=obligation, action="assigned")
    assert event.rule == "CERT-1"


def test_long_serving_employee_owes_no_confirmation_certificate(demo):
    assert not Obligation.objects.filter(
        person__user__username="jgrant", campaign__audience=Audience.NEW_HIRES
    ).exists()


def test_new_hire_period_comes_from_settings(demo, settings):
    settings.INNOVO = {**settings.INNOVO, "NEW_HIRE_CERTIFICATION_DAYS": 10}
    today = date.today()
    newcomer = Person.objects.create(employee_id="E9001", name="Noa Newcomer", hire_date=today - timedelta(days=2))
    obligations_sync(person_ids=[newcomer.id], today=today)
    assert Obligation.objects.get(person=newcomer).due_date == newcomer.hire_date + timedelta(days=10)


def test_new_hire_from_roster_import_owes_the_certificate(demo, django_capture_on_commit_callbacks):
    hired = date.today() - timedelta(days=1)
    csv = (
        f"employee_id,name,email,department,hire_date,title\nE9002,Kit Newman,kit@innovo.example,Sales,{hired},Clerk\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_roster(csv)
    obligation = Obligation.objects.get(person__employee_id="E9002")
    assert obligation.campaign.audience == Audience.NEW_HIRES
    assert obligation.due_date == hired + timedelta(days=30)


def test_employee_hired_years_ago_and_imported_now_is_not_a_new_hire(demo, django_capture_on_commit_callbacks):
    csv = "employee_id,name,hire_date,title\nE9003,Old Timer,2012-04-01,Clerk\n"
    with django_capture_on_commit_callbacks(execute=True):
        import_roster(csv)
    assert not Obligation.objects.filter(person__employee_id="E9003").exists()


def test_annual_campaign_goes_to_vps_and_executive_officers_only(demo):
    """CERT-2: every officer titled VP or above, and every executive officer."""
    campaign = annual_campaign()
    signers = set(campaign.obligations.values_list("person__user__username", flat=True))
    assert signers == OFFICERS
    assert all(o.due_date == campaign.due_date for o in campaign.obligations.all())


def test_promotion_to_vp_through_import_roster_assigns_the_open_annual_certification(
    demo, django_capture_on_commit_callbacks
):
    """ROLE-1 and CERT-2: promoted while the campaign is open, so they certify too."""
    today = date.today()
    campaign = annual_campaign()
    brooks = person("jbrooks")
    assert not campaign.obligations.filter(person=brooks).exists()
    csv = (
        "employee_id,name,department,title,rank,position_start\n"
        f"{brooks.employee_id},{brooks.name},Operations,Vice President of Logistics,vp,{today}\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_roster(csv)
    obligation = campaign.obligations.get(person=brooks)
    assert obligation.assigned_on == today
    assert obligation.due_date == max(campaign.due_date, today + timedelta(days=30))
    assert CertificationEvent.objects.get(obligation=obligation, action="assigned").rule == "ROLE-1"


def test_promotion_dated_later_is_assigned_when_its_day_comes(demo, django_capture_on_commit_callbacks):
    today = date.today()
    campaign = annual_campaign()
    brooks = person("jbrooks")
    later = today + timedelta(days=5)
    csv = f"employee_id,name,title,rank,position_start\n{brooks.employee_id},{brooks.name},VP Logistics,vp,{later}\n"
    with django_capture_on_commit_callbacks(execute=True):
        import_roster(csv)
    assert not campaign.obligations.filter(person=brooks).exists()
    obligations_sync(today=today + timedelta(days=5))  # what the reminder beat runs first
    assert campaign.obligations.filter(person=brooks).exists()


def test_leaver_owes_nothing_more(demo, django_capture_on_commit_callbacks):
    obligation = new_hire_obligation("aalvarez")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        person_leave(person=obligation.person, leaving_date=date.today() - timedelta(days=1))
    obligation.refresh_from_db()
    assert obligation.status == Obligation.Status.CANCELLED
    assert CertificationEvent.objects.filter(obligation=obligation, action="cancelled").exists()


def test_syncing_twice_creates_nothing_new(demo):
    before = Obligation.objects.count()
    assert obligations_sync() == []
    assert obligations_sync() == []
    assert Obligation.objects.count() == before


def test_only_hr_opens_a_campaign(employee):
    with pytest.raises(PermissionDenied):
        campaign_create(
            actor=employee,
            kind=Kind.ANNUAL,
            audience=Audience.EVERYONE,
            year=2031,
            due_date=date.today() + timedelta(days=9),
        )


def test_hr_opens_a_campaign_for_everyone(hr_director):
    today = date.today()
    campaign = campaign_create(
        actor=hr_director,
        kind=Kind.CONFIRMATION,
        audience=Audience.EVERYONE,
        year=today.year,
        due_date=today + timedelta(days=14),
        reminder_plan=["assigned", "escalation"],
        today=today,
    )
    everyone = Person.objects.filter(hire_date__lte=today, leaving_date__isnull=True).count()
    directors_only = Person.objects.filter(hire_date__isnull=True, director_seats__end_date__isnull=True).count()
    assert campaign.obligations.count() == everyone + directors_only
    assert campaign.created_by == hr_director
    assert campaign.reminder_plan == ["assigned", "escalation"]
    assert CertificationEvent.objects.filter(campaign=campaign, action="assigned").count() == everyone + directors_only


def test_a_second_open_annual_campaign_for_the_same_year_is_refused(hr_director):
    campaign = annual_campaign()
    with pytest.raises(CertificationError) as error:
        campaign_create(
            actor=hr_director,
            kind=Kind.ANNUAL,
            audience=Audience.VP_AND_ABOVE,
            year=campaign.year,
            due_date=date.today() + timedelta(days=9),
        )
    assert error.value.field == "year"
    assert Campaign.objects.filter(kind=Kind.ANNUAL, year=campaign.year).count() == 1


def test_due_date_must_be_after_today(hr_director):
    with pytest.raises(CertificationError) as error:
        campaign_create(
            actor=hr_director, kind=Kind.ANNUAL, audience=Audience.EVERYONE, year=2031, due_date=date.today()
        )
    assert error.value.field == "due_date"


def test_closing_a_campaign_records_who_did_not_sign(hr_director):
    campaign = annual_campaign()
    sign(campaign.obligations.get(person__user__username="gkim"))
    campaign_close(campaign_id=campaign.pk, actor=hr_director)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    statuses = dict(campaign.obligations.values_list("person__user__username", "status"))
    assert statuses.pop("gkim") == Obligation.Status.SIGNED
    assert set(statuses.values()) == {Obligation.Status.LAPSED}
    assert CertificationEvent.objects.filter(campaign=campaign, action="lapsed").count() == len(statuses)
    with pytest.raises(CertificationError):
        campaign_close(campaign_id=campaign.pk, actor=hr_director)


def _new_version(number=2, text=None):
    current = CodeVersion.current()
    return CodeVersion.objects.create(
        number=number,
        title=current.title,
        effective_date=date.today(),
        text=text if text is not None else current.text + "\nAmended: gifts under $200.\n",
        summary_of_changes="Gift limit lowered.",
    )


def test_publishing_a_new_code_version_sends_it_to_everyone(demo, admin_user):
    """CERT-3: everyone receives every update of the Code."""
    new_hire = new_hire_obligation("aalvarez")
    from certifications.services.obligations import obligation_code_opened

    obligation_code_opened(obligation_id=new_hire.pk, actor=new_hire.person.user)
    version = _new_version()
    campaign = code_version_publish(code_version_id=version.pk, actor=admin_user)
    version.refresh_from_db()
    assert version.published_at is not None and CodeVersion.current() == version
    assert campaign.kind == Kind.DISTRIBUTION and campaign.code_version == version
    names = set(campaign.obligations.values_list("person__user__username", flat=True))
    assert {"jgrant", "swhalen", "areyes", "dwhitfield"} <= names  # employees and directors
    assert "aalvarez" not in names  # new hires sign the new version instead
    assert not campaign.obligations.filter(person__leaving_date__isnull=False).exists()
    new_hire.refresh_from_db()
    assert new_hire.code_version == version and new_hire.code_opened_at is None


def test_a_newer_version_supersedes_a_pending_acknowledgement(demo, admin_user):
    first = code_version_publish(code_version_id=_new_version(2).pk, actor=admin_user)
    second = code_version_publish(code_version_id=_new_version(3).pk, actor=admin_user)
    first.refresh_from_db()
    assert first.status == Campaign.Status.CLOSED
    assert set(first.obligations.values_list("status", flat=True)) == {Obligation.Status.CANCELLED}
    assert second.obligations.filter(status=Obligation.Status.PENDING).exists()


def test_publishing_is_refused_twice_for_older_versions_and_without_a_certificate_page(demo, admin_user):
    version = _new_version(2)
    code_version_publish(code_version_id=version.pk, actor=admin_user)
    with pytest.raises(CertificationError, match="already published"):
        code_version_publish(code_version_id=version.pk, actor=admin_user)
    with pytest.raises(CertificationError, match="not newer"):
        code_version_publish(
            code_version_id=CodeVersion.objects.create(
                number=0, title="Old", effective_date=date(2000, 1, 1), text="x"
            ).pk,
            actor=admin_user,
        )
    without = _new_version(5, text="A code with no certificate page.")
    with pytest.raises(CertificationError, match="cannot be signed"):
        code_version_publish(code_version_id=without.pk, actor=admin_user)
    assert CodeVersion.current() == version


def test_an_employee_cannot_publish_a_code_version(employee):
    with pytest.raises(PermissionDenied):
        code_version_publish(code_version_id=_new_version().pk, actor=employee)


def test_administrator_publishes_a_version_from_the_admin(client, admin_user):
    version = _new_version()
    client.force_login(admin_user)
    response = client.post(
        "/admin/certifications/codeversion/",
        {"action": "publish", "_selected_action": [version.pk]},
        follow=True,
    )
    assert "Version 2 published" in response.content.decode()
    assert Campaign.objects.filter(kind=Kind.DISTRIBUTION, code_version=version).exists()
    # A published text can no longer be edited in the admin.
    page = client.get(f"/admin/certifications/codeversion/{version.pk}/change/").content.decode()
    assert 'name="text"' not in page
