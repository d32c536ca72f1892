"""Issue 10: after a decision the filing's page leads with the decision; the yellow
"Needs approval" box folds into "What the Code said when it was filed"."""

import pytest
from django.urls import reverse

from tests.approvals.factories import decide, filing

pytestmark = pytest.mark.django_db


def test_app1_the_decision_leads_once_made(client, employee, compliance_officer):
    case = filing(employee, "conflict")
    client.force_login(employee)
    before = client.get(reverse("approvals:filing", args=[case.pk])).content.decode()
    assert '<details class="mb-3"><summary>What the Code said' not in before
    assert 'id="outcome-h"' in before
    decide(case, compliance_officer, "approved_with_conditions", conditions="Recuse from the Acme contract.")
    after = client.get(reverse("approvals:filing", args=[case.pk])).content.decode()
    banner = after.index("Approved with conditions</strong>")
    folded = after.index("<summary>What the Code said when it was filed")
    assert banner < folded < after.index('id="outcome-h"')
