"""HR's bulk export: a ZIP of every signed certificate PDF and a CSV index, built by a
task with a progress bar, downloadable until it expires, in bounded memory.

The 2,000 real signed PDFs are rendered once for the module, in two worker
processes (about 140 ms each), and reused.
"""

import csv
import io
import multiprocessing
import tracemalloc
import zipfile
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certifications.models import Audience, Campaign, Certification, CodeVersion, ExportJob, Kind, Obligation
from certifications.pdf import confirmation_wording
from certifications.services.exports import export_build, export_request, exports_purge_expired
from certifications.tasks import build_export
from people.demo import CODE_FILE
from tests.certifications import pdf_factory
from tests.certifications.helpers import bulk_people, new_hire_obligation, sign

BIG, SMALL = 2000, 200


@pytest.fixture(scope="module")
def pool(signing_keys):
    context = multiprocessing.get_context("spawn")
    key, cert = signing_keys
    with ProcessPoolExecutor(
        2, mp_context=context, initializer=pdf_factory.init_worker, initargs=(str(key), str(cert))
    ) as executor:
        yield executor


@pytest.fixture(scope="module")
def rendered(pool):
    """{n: (storage name, sha256)} for BIG real signed certificate PDFs."""
    text = CODE_FILE.read_text(encoding="utf-8")
    from certifications.signing import sha256_hex

    wording, code_sha = confirmation_wording(text), sha256_hex(text.encode())
    results = pool.map(pdf_factory.render, range(BIG), [wording] * BIG, [code_sha] * BIG, chunksize=50)
    return {n: (name, sha) for n, name, sha in results}


def _campaign():
    return Campaign.objects.create(
        kind=Kind.CONFIRMATION,
        audience=Audience.EVERYONE,
        year=2099,
        title="Bulk confirmations 2099",
        code_version=CodeVersion.current(),
        opens_on="2099-01-01",
        due_date="2099-02-01",
    )


def _signed(campaign, rendered, start, stop):
    people = bulk_people(stop - start, start=start)
    obligations = Obligation.objects.bulk_create(
        Obligation(
            campaign=campaign,
            person=person,
            code_version=campaign.code_version,
            assigned_on="2099-01-01",
            due_date="2099-02-01",
            status=Obligation.Status.SIGNED,
        )
        for person in people
    )
    Certification.objects.bulk_create(
        Certification(
            obligation=obligation,
            certificate_number=pdf_factory.number(n),
            signed_at=timezone.now(),
            code_version=campaign.code_version,
            code_sha256=campaign.code_version.sha256,
            person_name=f"Bulk Person {n}",
            typed_name=f"Bulk Person {n}",
            pdf=rendered[n][0],
            pdf_sha256=rendered[n][1],
            pdf_issued_at=timezone.now(),
        )
        for n, obligation in zip(range(start, stop), obligations, strict=True)
    )


def _export_peak(campaign, hr):
    """Run the export task for the campaign; its peak traced memory in bytes."""
    job = ExportJob.objects.create(campaign=campaign, requested_by=hr)
    tracemalloc.start()
    try:
        build_export(job.pk)  # the task's body, in this process
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    job.refresh_from_db()
    return job, peak


@pytest.mark.django_db
def test_bulk_export_of_2000_certificates_is_a_zip_of_valid_signed_pdfs_in_bounded_memory(hr_director, rendered, pool):
    campaign = _campaign()
    _signed(campaign, rendered, 0, SMALL)
    _export_peak(campaign, hr_director)  # warm up: first-use imports and caches are not the export's
    small_job, small_peak = _export_peak(campaign, hr_director)
    assert small_job.status == ExportJob.Status.DONE and small_job.done == small_job.total == SMALL

    _signed(campaign, rendered, SMALL, BIG)
    job, big_peak = _export_peak(campaign, hr_director)
    assert job.status == ExportJob.Status.DONE and job.done == job.total == BIG
    assert job.expires_at - job.finished_at == timedelta(days=7)

    # Ten times the certificates, about the same memory (rows are read 200 at a time,
    # PDFs copied 64 KB at a time, the ZIP's central directory kept on disk).
    print(f"export peak: {SMALL} → {small_peak / 1e6:.2f} MB, {BIG} → {big_peak / 1e6:.2f} MB")
    assert big_peak < 1.5 * small_peak
    assert big_peak - small_peak < 512 * 1024
    assert big_peak < job.size / 20

    with job.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        index = list(csv.DictReader(io.TextIOWrapper(archive.open("index.csv"), encoding="utf-8-sig")))
    pdfs = [name for name in names if name.endswith(".pdf")]
    assert len(pdfs) == BIG and len(set(pdfs)) == BIG and "index.csv" in names
    assert len(index) == BIG
    by_member = {row["pdf_file"]: row for row in index}
    assert set(by_member) == set(pdfs)
    assert {row["certificate_number"] for row in index} == {pdf_factory.number(n) for n in range(BIG)}

    checked = list(pool.map(pdf_factory.verify_member, [job.file.path] * BIG, pdfs, chunksize=50))
    invalid = [(member, reason) for member, valid, reason, _, _ in checked if not valid]
    assert invalid == []
    for member, _, _, number, sha in checked:
        assert by_member[member]["certificate_number"] == number
        assert by_member[member]["pdf_sha256"] == sha


# --- the pages and the small cases --------------------------------------------------


@pytest.fixture
def signed_campaign(hr_director):
    """The new hires' campaign with Avery's certificate signed."""
    obligation = new_hire_obligation()
    sign(obligation)
    return obligation.campaign


@pytest.mark.django_db
def test_hr_exports_a_campaign_with_a_progress_page_and_downloads_the_zip(
    client, hr_director, signed_campaign, django_capture_on_commit_callbacks
):
    client.force_login(hr_director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cert_campaign_export", args=[signed_campaign.pk]))
    job = ExportJob.objects.get(campaign=signed_campaign)
    assert response.status_code == 302 and response["Location"] == reverse("cert_export", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Ready: 1 certificate" in page and reverse("cert_export_download", args=[job.pk]) in page
    assert "hx-trigger" not in page  # done: no more polling
    download = client.get(reverse("cert_export_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        (pdf_name,) = [n for n in archive.namelist() if n.endswith(".pdf")]
        row = next(csv.DictReader(io.TextIOWrapper(archive.open("index.csv"), encoding="utf-8-sig")))
    assert row["name"] == "Avery Alvarez" and row["pdf_file"] == pdf_name  # the PDF was rendered on the way


@pytest.mark.django_db
def test_progress_partial_polls_every_second_while_the_export_runs(client, hr_director, signed_campaign):
    job = ExportJob.objects.create(
        campaign=signed_campaign, requested_by=hr_director, status=ExportJob.Status.RUNNING, done=3, total=12
    )
    client.force_login(hr_director)
    partial = client.get(reverse("cert_export_progress", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    progress_url = reverse("cert_export_progress", args=[job.pk])
    assert f'hx-get="{progress_url}"' in partial
    assert 'hx-trigger="every 1s"' in partial
    assert '<progress class="w-100 progress-wide" value="3" max="12"' in partial and "3 of 12" in partial
    assert "<html" not in partial
    page = client.get(reverse("cert_export", args=[job.pk])).content.decode()
    assert "Refresh" in page  # without JavaScript


@pytest.mark.django_db
def test_expired_export_is_gone(client, hr_director, signed_campaign):
    job = export_request(campaign_id=signed_campaign.pk, actor=hr_director)
    export_build(job_id=job.pk)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(hr_director)
    response = client.get(reverse("cert_export_download", args=[job.pk]))
    assert response.status_code == 410 and "This export has expired" in response.content.decode()
    assert exports_purge_expired() == 1
    job.refresh_from_db()
    assert not job.file
    assert client.get(reverse("cert_export_download", args=[job.pk])).status_code == 410


@pytest.mark.django_db
def test_building_an_export_twice_keeps_the_first_zip(hr_director, signed_campaign):
    job = export_request(campaign_id=signed_campaign.pk, actor=hr_director)
    first = export_build(job_id=job.pk)
    second = export_build(job_id=job.pk)
    assert first.file.name == second.file.name and second.status == ExportJob.Status.DONE


@pytest.mark.django_db
def test_an_export_not_ready_yet_is_not_found(client, hr_director, signed_campaign):
    job = ExportJob.objects.create(campaign=signed_campaign, requested_by=hr_director)
    client.force_login(hr_director)
    assert client.get(reverse("cert_export_download", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_employee_cannot_open_or_download_an_export(client, employee, hr_director, signed_campaign):
    job = export_request(campaign_id=signed_campaign.pk, actor=hr_director)
    export_build(job_id=job.pk)
    client.force_login(employee)
    for name in ("cert_export", "cert_export_progress", "cert_export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 403, name
