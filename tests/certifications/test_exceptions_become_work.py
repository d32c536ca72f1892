"""CERT-2 (issue 10 item 7): an exception explained on the annual certification is
work, not a silent "Signed": a follow-up case for the compliance officer, opened in
the same transaction as the signature; an Exceptions counter, badge and the
explanation on HR's dashboard; a panel on the compliance officer's home; the
explanation in the export's index."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from cases.models import Case
from certifications.models import Certification, CertificationEvent
from certifications.services.certify import CertificationError
from certifications.services.exports import export_build, export_request
from tests.certifications.helpers import annual_obligation, sign

pytestmark = pytest.mark.django_db

NO_CONFLICTS = {"complied": True, "no_unreported_violation": True, "conflicts_disclosed": False}
EXPLANATION = "My brother-in-law owns 3% of Acme Freight, a carrier we use."


def test_cert2_an_exception_opens_a_case_for_the_compliance_officer(vp, compliance_officer):
    certification = sign(annual_obligation("dwhitfield"), answers=NO_CONFLICTS, exception=EXPLANATION)
    case = certification.followup_case
    assert case is not None and case.kind == "report" and case.category == "conflicts"
    assert case.filer.user == vp and not case.anonymous
    assert case.decider == "compliance_officer"
    assert EXPLANATION in case.description and certification.certificate_number in case.description
    assert "I have disclosed every actual or potential conflict of interest" in case.description
    assert CertificationEvent.objects.filter(
        obligation=certification.obligation, action="exception-case", rule="CERT-2"
    ).exists()


def test_cert2_no_exception_no_case(vp):
    certification = sign(annual_obligation("dwhitfield"))
    assert certification.followup_case is None and not Case.objects.exists()


def test_cert2_a_refused_signature_opens_no_case(vp):
    obligation = annual_obligation("dwhitfield")
    with pytest.raises(CertificationError):
        sign(obligation, answers=NO_CONFLICTS, exception=EXPLANATION, typed_name="Somebody Else")
    assert not Case.objects.exists() and not Certification.objects.exists()


def test_cert2_the_compliance_officers_own_exception_goes_one_level_up(compliance_officer):
    obligation = annual_obligation("swhalen")
    certification = sign(obligation, answers=NO_CONFLICTS, exception="I sit on the board of a supplier.")
    assert certification.followup_case.decider == "audit_committee"


def test_cert2_hr_dashboard_counts_badges_and_shows_the_explanation(client, vp, hr_director):
    obligation = annual_obligation("dwhitfield")
    sign(obligation, answers=NO_CONFLICTS, exception=EXPLANATION)
    client.force_login(hr_director)
    url = reverse("cert_campaign", args=[obligation.campaign_id])
    page = client.get(url).content.decode()
    assert "exception explained" in page and "?status=exceptions" in page
    assert "Exception</span>" in page and EXPLANATION in page
    assert "A follow-up case was opened for the compliance officer" in page
    filtered = client.get(url, {"status": "exceptions"}).content.decode()
    assert "Derek Whitfield" in filtered or obligation.person.name in filtered
    home = client.get(reverse("home")).content.decode()
    assert "1 exception" in home


def test_cert2_the_compliance_officer_sees_the_exception_on_home_and_reads_it(client, vp, compliance_officer):
    certification = sign(annual_obligation("dwhitfield"), answers=NO_CONFLICTS, exception=EXPLANATION)
    case = certification.followup_case
    client.force_login(compliance_officer)
    home = client.get(reverse("home")).content.decode()
    assert "Certification exceptions to follow up" in home and reverse("case_detail", args=[case.pk]) in home
    assert EXPLANATION in client.get(reverse("case_detail", args=[case.pk])).content.decode()


def test_cert2_nobody_else_learns_the_case_reference(client, vp, hr_director, employee):
    certification = sign(annual_obligation("dwhitfield"), answers=NO_CONFLICTS, exception=EXPLANATION)
    case = certification.followup_case
    client.force_login(hr_director)  # HR reads the explanation, not the conflicts case
    page = client.get(reverse("cert_sign", args=[certification.obligation_id])).content.decode()
    assert EXPLANATION in page and case.reference not in page
    client.force_login(employee)
    assert "Certification exceptions" not in client.get(reverse("home")).content.decode()


def test_cert2_the_export_index_carries_the_explanation_as_plain_text(vp, hr_director):
    obligation = annual_obligation("dwhitfield")
    sign(obligation, answers=NO_CONFLICTS, exception='=HYPERLINK("http://evil") and a carrier')
    job = export_build(job_id=export_request(campaign_id=obligation.campaign_id, actor=hr_director).pk)
    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        index = archive.read("index.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(index)))
    row = next(r for r in rows if r["exception_explained"] == "yes")
    assert row["exception_explanation"] == '\'=HYPERLINK("http://evil") and a carrier'
