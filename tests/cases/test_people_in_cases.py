"""People in a case are roster links (issue 9, finding 2): a person named however
the name is typed never receives, sees or decides the case; handlers one level up
confirm or clear a likely match; people added after filing re-route at once."""

import pytest
from django.urls import reverse

from approvals.services import filing_file
from cases.models import Case, CaseEvent, CaseParty
from cases.selectors import QueueParams, queue
from cases.services import CaseError, party_add, party_clear, party_confirm
from core.models import OutboxItem
from tests.approvals.factories import conflict_facts
from tests.cases.factories import person, report
from tests.mail import delivered

pytestmark = pytest.mark.django_db

WHALEN_VARIANTS = ["S. Whalen", "Whalen, Shane", "Shane  Whalen", "Shane Whalen (COO)", "Mr. Whalen", "whalen"]


def _whalen_never_reaches_him(client, case, compliance_officer):
    assert case.decider == "audit_committee"
    client.force_login(compliance_officer)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("case_pdf", args=[case.pk])).status_code == 404
    assert not queue(compliance_officer, QueueParams(q=case.reference)).cases
    assert not queue(compliance_officer, QueueParams(q="kickbacks")).cases
    assert all("swhalen@innovo.example" not in m.to for m in delivered())
    assert not OutboxItem.objects.filter(recipients__contains="swhalen@").exists()


@pytest.mark.parametrize("typed", WHALEN_VARIANTS)
def test_rep1_a_report_naming_the_compliance_officer_however_typed_goes_up_and_hides_from_him(
    client, compliance_officer, typed
):
    case, _ = report(by=person("jbrooks").user, people_about=typed)
    _whalen_never_reaches_him(client, case, compliance_officer)
    party = case.parties.get(person=person("swhalen"))
    assert party.status == CaseParty.LIKELY and party.role == CaseParty.SUBJECT and party.matched_from == typed


def test_rep1_an_anonymous_report_naming_him_in_the_description_hides_from_him(client, compliance_officer):
    case, key = report(anonymous=True, description="I saw Shane Whalen take the envelope from the supplier.")
    assert key
    _whalen_never_reaches_him(client, case, compliance_officer)


def test_a_likely_subject_is_flagged_for_the_audit_committee(client, audit_member):
    case, _ = report(by=person("jbrooks").user, people_about="Whalen, Shane")
    client.force_login(audit_member)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "likely match" in page and "Shane Whalen" in page and "Confirm: it is Shane Whalen" in page


def test_clearing_a_likely_subject_routes_the_case_back_with_an_event(audit_member, compliance_officer):
    case, _ = report(by=person("jbrooks").user, people_about="S. Whalen")
    party = case.parties.get(person=person("swhalen"))
    party_clear(party_id=party.pk, actor=audit_member, reason="The reporter means Sean Whalen of the supplier.")
    case.refresh_from_db()
    assert case.decider == "compliance_officer"
    assert Case.objects.filter(pk=case.pk).filter(pk__in=_visible(compliance_officer)).exists()
    actions = list(case.events.values_list("action", flat=True))
    assert "party-cleared" in actions and "rerouted" in actions


def test_confirming_keeps_the_case_away_from_him(audit_member, compliance_officer):
    case, _ = report(by=person("jbrooks").user, people_about="S. Whalen")
    party = case.parties.get(person=person("swhalen"))
    party_confirm(party_id=party.pk, actor=audit_member)
    party.refresh_from_db()
    case.refresh_from_db()
    assert party.status == CaseParty.CONFIRMED and case.decider == "audit_committee"
    assert not Case.objects.filter(pk=case.pk).filter(pk__in=_visible(compliance_officer)).exists()
    assert case.events.filter(action="party-confirmed").exists()


def test_an_assignee_cannot_clear_a_likely_subject_only_the_role_one_level_up(investigator, audit_member):
    from django.core.exceptions import PermissionDenied

    from cases.services import case_assign

    case, _ = report(by=person("jbrooks").user, people_about="S. Whalen")
    case_assign(case_id=case.pk, actor=audit_member, assignee=person("rchen"))
    party = case.parties.get(person=person("swhalen"))
    with pytest.raises(PermissionDenied):
        party_clear(party_id=party.pk, actor=investigator, reason="not him")


def test_adding_a_subject_after_filing_reroutes_at_once_and_unassigns_them(compliance_officer, hr_director):
    from cases.services import case_assign

    case, _ = report(by=person("jbrooks").user, category="harassment")
    assert case.decider == "hr_director"
    case_assign(case_id=case.pk, actor=hr_director, assignee=person("jgrant"))
    party_add(case_id=case.pk, actor=compliance_officer, person=person("jgrant"), role=CaseParty.SUBJECT)
    case.refresh_from_db()
    assert case.decider == "compliance_officer" and case.assignee is None
    assert not Case.objects.filter(pk=case.pk).filter(pk__in=_visible(hr_director)).exists()
    assert CaseEvent.objects.filter(case=case, action="rerouted").exists()


def test_a_witness_is_not_excluded(hr_director):
    case, _ = report(by=person("jbrooks").user, category="harassment", witnesses="Jennifer Grant")
    assert case.decider == "hr_director"
    assert case.parties.get(person=person("jgrant")).role == CaseParty.WITNESS
    assert Case.objects.filter(pk=case.pk).filter(pk__in=_visible(hr_director)).exists()


def test_coi4_a_conflict_about_the_compliance_officers_partner_never_reaches_him(client, compliance_officer):
    """Finding 2: the related person was free text, so the compliance officer decided
    a filing about his own life partner."""
    facts = conflict_facts("relative_in_reporting_line", relation="life_partner", related_person="Shane Whalen")
    case = filing_file(actor=person("jbrooks").user, kind="conflict", facts=facts)
    assert case.decider == "audit_committee"
    client.force_login(compliance_officer)
    assert client.get(reverse("approvals:filing", args=[case.pk])).status_code == 404
    assert case.parties.filter(person=person("swhalen"), role=CaseParty.RELATED).exists()


def test_a_related_person_picked_from_the_roster_is_confirmed(compliance_officer):
    facts = conflict_facts(
        "relative_in_reporting_line", relation="sister", related_person="Shane Whalen, Chief Operating Officer (E0002)"
    )
    case = filing_file(actor=person("jbrooks").user, kind="conflict", facts=facts)
    party = case.parties.get(person=person("swhalen"))
    assert party.status == CaseParty.CONFIRMED and party.role == CaseParty.RELATED
    assert case.decider == "audit_committee"


def test_a_party_cannot_be_added_twice(compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    party_add(case_id=case.pk, actor=compliance_officer, person=person("rchen"), role=CaseParty.WITNESS)
    with pytest.raises(CaseError, match="already on this case"):
        party_add(case_id=case.pk, actor=compliance_officer, person=person("rchen"), role=CaseParty.WITNESS)


def test_the_add_person_form_offers_candidates_when_a_name_is_ambiguous(client, compliance_officer):
    from people.models import Person

    Person.objects.create(employee_id="E9001", name="Dana Whitfield-Ross")
    Person.objects.create(employee_id="E9002", name="Dana Whitfield")
    case, _ = report(by=person("jbrooks").user)
    client.force_login(compliance_officer)
    response = client.post(
        reverse("case_action", args=[case.pk, "party-add"]),
        {"person": "Dana Whitfield", "role": "witness"},
        follow=True,
    )
    assert "Several people on the roster match" in response.content.decode()
    assert not case.parties.exists()
    client.post(
        reverse("case_action", args=[case.pk, "party-add"]),
        {"person": "Dana Whitfield (E9002)", "role": "witness"},
    )
    assert case.parties.get().person.employee_id == "E9002"


def test_the_roster_search_needs_a_login_on_the_roster(client, employee, admin_user):
    assert client.get(reverse("roster_search"), {"q": "wha"}).status_code == 302
    client.force_login(employee)
    labels = [r["label"] for r in client.get(reverse("roster_search"), {"q": "wha"}).json()["results"]]
    assert labels == ["Shane Whalen, Chief Operating Officer (E0002)"]
    client.force_login(admin_user)
    assert client.get(reverse("roster_search"), {"q": "wha"}).status_code == 403


def _visible(user):
    from innovo_compliance.permissions import visible

    return visible(user, Case).values("pk")
