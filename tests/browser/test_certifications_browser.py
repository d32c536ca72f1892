"""In Chromium: a new hire signs the confirmation certificate (CERT-1) and downloads it;
the PDF names them and the Code version, its signature checks out, and one changed
byte makes both pyHanko and the public verification page say invalid. Then HR's
dashboard. Screenshots land in var/screenshots/ (looked at)."""

import io
import subprocess

import pypdf
import pytest

from certifications import signing
from certifications.models import Certification
from tests.conftest import login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signing_key(tmp_path, settings):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    signing.generate_demo_keypair(key, cert)
    settings.INNOVO = {**settings.INNOVO, "SIGNING_KEY": key, "SIGNING_CERT": cert}
    return cert


def _upload_to_verification_page(browser_page, path):
    browser_page.goto("/certifications/verify/")
    browser_page.get_by_label("Certificate PDF").set_input_files(str(path))
    browser_page.get_by_role("button", name="Check the PDF").click()
    browser_page.wait_for_load_state()
    return browser_page.get_by_role("status").inner_text()


def test_new_hire_reads_signs_and_downloads_a_verifiable_certificate(
    page, demo, signing_key, screenshot_dir, tmp_path, _chromium, live_server
):
    login(page, "aalvarez")
    task = page.get_by_role("link", name="Read and sign: Confirmation Certificate, Code version 1")
    assert task.is_visible()
    task.click()
    page.wait_for_url("**/certifications/*/")

    page.get_by_role("link", name="Read the Code, version 1").click()
    page.wait_for_url("**/read/")
    assert page.get_by_role("heading", name="Conflicts of Interest", exact=True).is_visible()
    page.get_by_role("link", name="Continue to sign").first.click()
    page.wait_for_url("**/certifications/*/")
    assert page.get_by_text("Opened").first.is_visible()

    page.get_by_label("Your full name").fill("avery alvarez")
    page.get_by_label("Your password").fill("wrong password")
    page.screenshot(path=screenshot_dir / "certification-sign.png", full_page=True)
    page.get_by_role("button", name="Sign the certificate").click()
    assert page.get_by_text("That is not your password").is_visible()
    assert page.get_by_label("Your full name").input_value() == "avery alvarez"  # kept
    assert page.get_by_label("Your password").input_value() == ""  # not kept
    page.screenshot(path=screenshot_dir / "certification-sign-error.png", full_page=True)

    from people.demo import DEMO_PASSWORD

    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign the certificate").click()
    assert page.get_by_role("heading", name="Signed").is_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    pdf_path = tmp_path / download.value.suggested_filename
    download.value.save_as(pdf_path)
    data = pdf_path.read_bytes()
    page.screenshot(path=screenshot_dir / "certification-signed.png", full_page=True)

    certification = Certification.objects.get(obligation__person__user__username="aalvarez")
    assert download.value.suggested_filename == f"{certification.certificate_number}.pdf"
    assert certification.pdf_sha256 == signing.sha256_hex(data)
    text = " ".join(pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text().split())
    assert "Avery Alvarez" in text
    assert "Code version 1, effective May 31, 2003" in text
    assert certification.certificate_number in text
    result = signing.verify_pdf(data, trust_cert_path=signing_key)
    assert result.valid and result.trusted and result.intact, result.reason

    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf_path), str(screenshot_dir / "certificate")],
        check=True,
    )
    assert (screenshot_dir / "certificate.png").stat().st_size > 10_000

    # One changed byte: pyHanko and the public page (no login) both say invalid.
    tampered = bytearray(data)
    tampered[len(tampered) // 2] ^= 0x01
    tampered_path = tmp_path / "tampered.pdf"
    tampered_path.write_bytes(bytes(tampered))
    assert not signing.verify_pdf(bytes(tampered), trust_cert_path=signing_key).valid

    public = _chromium.new_context(base_url=live_server.url).new_page()
    verdict = _upload_to_verification_page(public, tampered_path)
    assert "Not valid" in verdict
    public.screenshot(path=screenshot_dir / "certification-verify-tampered.png", full_page=True)
    verdict = _upload_to_verification_page(public, pdf_path)
    assert "Valid certificate" in verdict and "Avery Alvarez" in verdict
    public.goto(f"/certifications/verify/{certification.certificate_number}/")
    assert "Valid certificate" in public.get_by_role("status").inner_text()
    public.context.close()

    # HR's dashboard of the new hires' campaign: one of two signed.
    logout(page)
    login(page, "jgrant")
    page.goto("/certifications/campaigns/")
    page.get_by_role("link", name=f"New-hire confirmation certificates {certification.signed_at.year}").click()
    assert page.get_by_text("signed of 2").is_visible()
    assert page.locator("svg[role=img] rect").count() >= 2
    page.screenshot(path=screenshot_dir / "certification-hr-dashboard.png", full_page=True)
    with page.expect_download() as hr_download:
        page.get_by_role("link", name=f"{certification.certificate_number}.pdf").click()
    assert hr_download.value.suggested_filename == f"{certification.certificate_number}.pdf"
    assert page.foreign_requests == []


def test_hr_exports_a_campaign_and_the_progress_bar_follows_the_task(page, demo, signing_key, screenshot_dir):
    from certifications.models import ExportJob, Obligation
    from certifications.services.exports import export_build
    from tests.certifications.helpers import sign

    for obligation in Obligation.objects.filter(campaign__kind="annual").order_by("id")[:3]:
        sign(obligation)
    login(page, "jgrant")
    page.goto("/certifications/campaigns/")
    page.get_by_role("link", name="Annual certification").first.click()
    page.get_by_role("button", name="Export certificates (ZIP)").click()  # tasks run inline in tests
    page.wait_for_url("**/exports/*/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the ZIP").click()
    assert download.value.suggested_filename.endswith(".zip")

    # A job a worker is still building: htmx polls the partial every second.
    job = ExportJob.objects.create(
        campaign=Obligation.objects.filter(campaign__kind="annual").first().campaign,
        status=ExportJob.Status.RUNNING,
        done=1,
        total=3,
    )
    page.goto(f"/certifications/exports/{job.pk}/")
    assert page.locator("progress").get_attribute("value") == "1"
    ExportJob.objects.filter(pk=job.pk).update(done=2)
    page.locator('progress[value="2"]').wait_for(timeout=5_000)  # swapped in without a reload
    page.screenshot(path=screenshot_dir / "certification-export-progress.png", full_page=True)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.QUEUED)
    export_build(job_id=job.pk)
    page.get_by_role("link", name="Download the ZIP").wait_for(timeout=5_000)
    assert page.locator("progress").get_attribute("value") == "3"
    page.screenshot(path=screenshot_dir / "certification-export-ready.png", full_page=True)
    assert page.foreign_requests == []
