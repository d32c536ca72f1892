"""Intake and routing of reports and questions (REP-1, REP-2, REP-3, ASK-1)."""

import pytest

from cases.models import Case, CaseEvent
from cases.services import CaseError, case_for_receipt_key
from policy.routing import Category, Decider
from tests.cases.factories import person, report
from tests.mail import delivered

pytestmark = pytest.mark.django_db


def test_rep2_accounting_report_goes_to_the_audit_committee(employee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case, key = report(by=employee, category=Category.ACCOUNTING)
    assert case.decider == Decider.AUDIT_COMMITTEE and key is None
    assert case.reference.startswith("R-") and case.status == "received"
    assert case.acknowledge_due and case.feedback_due
    assert CaseEvent.objects.get(case=case, action="received").rule_ids == ["REP-1", "REP-2"]
    assert {"areyes@innovo.example", "tokafor@innovo.example", "praman@innovo.example"} <= set(delivered()[0].to)


def test_rep3_harassment_report_goes_to_hr_and_one_level_up_when_hr_is_named(employee, hr_director):
    case, _ = report(by=employee, category=Category.HARASSMENT)
    assert case.decider == Decider.HR_DIRECTOR
    case, _ = report(by=employee, category=Category.HARASSMENT, subjects=[person("jgrant")])
    assert case.decider == Decider.COMPLIANCE_OFFICER


def test_report_naming_the_compliance_officer_goes_to_the_audit_committee(employee):
    case, _ = report(by=employee, subjects=[person("swhalen")])
    assert case.decider == Decider.AUDIT_COMMITTEE


def test_ask1_question_goes_to_the_compliance_officer(employee):
    case, _ = report(by=employee, kind="question", category=Category.OTHER)
    assert case.decider == Decider.COMPLIANCE_OFFICER and case.reference.startswith("Q-")


def test_rep1_anonymous_report_gets_a_key_kept_only_as_a_slow_hash(demo):
    case, key = report(anonymous=True)
    assert case.filer is None and case.anonymous
    assert len(key) == 29 and key.count("-") == 4
    stored = Case.objects.get(pk=case.pk)
    assert key not in stored.receipt_hash and stored.receipt_hash.startswith("$argon2id$")
    assert case_for_receipt_key(key) == stored
    assert case_for_receipt_key(key.lower().replace("-", " ")) == stored
    assert case_for_receipt_key("AAAAA-BBBBB-CCCCC-DDDDD-EEEEE") is None
    assert case_for_receipt_key("") is None


def test_empty_report_is_refused(employee):
    with pytest.raises(CaseError, match="title and a description"):
        report(by=employee, title=" ", description="")
    assert not Case.objects.exists()


def test_auto_assignment_per_category_skips_people_named_in_the_report(employee):
    from cases.models import CategorySetting

    CategorySetting.objects.create(category=Category.FAIR_DEALING, auto_assignee=person("rchen"))
    case, _ = report(by=employee, category=Category.FAIR_DEALING)
    assert case.assignee == person("rchen")
    case, _ = report(by=employee, category=Category.FAIR_DEALING, subjects=[person("rchen")])
    assert case.assignee is None


def test_category_clock_is_configurable(employee):
    from cases.models import CategorySetting

    CategorySetting.objects.create(category=Category.ANTITRUST, acknowledge_days=3, feedback_months=1)
    case, _ = report(by=employee, category=Category.ANTITRUST)
    assert (case.acknowledge_due - case.created_at).days in (2, 3)
    assert 28 <= (case.feedback_due - case.created_at).days <= 31
