"""The access matrix: role × {see, act} × {filer, subject, assignee, outsider} for every
kind of report and question, through the case URL (404 when not visible, 403 when
visible but not allowed). docs/access.md states the same table in prose."""

import pytest
from django.urls import reverse

from cases.models import Case
from cases.services import case_assign
from tests.cases.factories import person, report

pytestmark = pytest.mark.django_db

ROLES = {
    "employee": "aalvarez",
    "supervisor": "dwhitfield",
    "investigator": "rchen",
    "compliance_officer": "swhalen",
    "hr_director": "jgrant",
    "audit_member": "areyes",
    "board_liaison": "mellis",
}
KINDS = {
    "report-other": ("report", "fair_dealing"),
    "report-accounting": ("report", "accounting"),
    "report-harassment": ("report", "harassment"),
    "question": ("question", "other"),
}
ROUTED = {
    # Which roles handle a case they have no other relation to.
    "compliance_officer": {"report-other", "report-accounting", "report-harassment", "question"},
    "hr_director": {"report-harassment"},
    "audit_member": {"report-accounting"},
}


def expected(role: str, kind: str, relation: str) -> tuple[bool, bool]:
    """(sees, acts)."""
    if relation == "filer":
        return True, False
    if relation == "subject":
        return False, False
    if relation == "assignee":
        return True, True
    routed = kind in ROUTED.get(role, set())
    return routed, routed


def make_case(kind_key: str, relation: str, username: str) -> Case:
    kind, category = KINDS[kind_key]
    user = person(username).user
    other = person("jbrooks").user
    if relation == "filer":
        case, _ = report(by=user, kind=kind, category=category)
    elif relation == "subject":
        case, _ = report(by=other, kind=kind, category=category, subjects=[person(username)])
    else:
        case, _ = report(by=other, kind=kind, category=category)
        if relation == "assignee":
            case_assign(case_id=case.pk, actor=person("swhalen").user, assignee=person(username))
    return case


@pytest.mark.parametrize("relation", ["filer", "subject", "assignee", "outsider"])
@pytest.mark.parametrize("kind_key", list(KINDS))
@pytest.mark.parametrize("role", list(ROLES))
def test_access_matrix(client, demo, role, kind_key, relation):
    username = ROLES[role]
    case = make_case(kind_key, relation, username)
    sees, acts = expected(role, kind_key, relation)
    client.force_login(person(username).user)
    page = client.get(reverse("case_detail", args=[case.pk]))
    assert page.status_code == (200 if sees else 404)
    note = client.post(reverse("case_action", args=[case.pk, "note"]), {"body": "checked"})
    if not sees:
        assert note.status_code == 404
    else:
        assert note.status_code == (302 if acts else 403)
        assert case.notes.exists() == acts
    in_queue = client.get(reverse("queue"), {"q": case.reference})
    if in_queue.status_code == 200:
        assert (f'href="/cases/{case.pk}/"' in in_queue.content.decode()) == sees


def test_subject_never_learns_the_case_exists(client, demo):
    """The compliance officer named in a report: no case page, no queue row, no
    count, no search hit, no register line; the case went to the audit committee."""
    case, _ = report(by=person("jbrooks").user, subjects=[person("swhalen")], title="Officer expense padding")
    assert case.decider == "audit_committee"
    client.force_login(person("swhalen").user)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("case_pdf", args=[case.pk])).status_code == 404
    queue = client.get(reverse("queue")).content.decode()
    link = f'href="/cases/{case.pk}/"'
    assert link not in queue and "0 cases" in queue
    assert link not in client.get(reverse("queue"), {"q": "expense padding"}).content.decode()
    assert link not in client.get(reverse("queue"), {"q": case.reference}).content.decode()
    register = b"".join(client.get(reverse("register_csv")).streaming_content).decode()
    assert case.reference not in register
    home = client.get(reverse("home")).content.decode()
    assert "0 open cases" in home
    # The audit committee does see it.
    client.force_login(person("areyes").user)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200


def test_anonymous_user_is_sent_to_login_for_cases(client, demo):
    case, _ = report(by=person("jbrooks").user)
    for url in (reverse("queue"), reverse("case_detail", args=[case.pk]), reverse("holds")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_get_on_a_write_url_is_refused(client, compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    client.force_login(compliance_officer)
    assert client.get(reverse("case_action", args=[case.pk, "note"])).status_code == 405
    assert client.get(reverse("bulk_assign")).status_code == 405


def test_employee_cannot_open_the_queue(client, employee):
    client.force_login(employee)
    assert client.get(reverse("queue")).status_code == 403
    assert client.get(reverse("holds")).status_code == 403
    assert client.get(reverse("register_csv")).status_code == 403
