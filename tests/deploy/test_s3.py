"""Uploads, certificate PDFs and exports in an S3-compatible bucket (django-storages),
against a real S3 API server on loopback (moto in server mode): private objects,
served only through the app's permission-checked views."""

import io
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Attachment, Case
from certifications import signing
from certifications.models import ExportJob
from certifications.services.certify import certificate_issue_pdf
from certifications.services.exports import export_build, export_request
from innovo_compliance import health
from tests.certifications.helpers import new_hire_obligation, sign
from tests.deploy import servers

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with servers.moto_s3(tmp_path_factory.mktemp("moto")) as server:
        yield server


@pytest.fixture
def s3_storage(settings, s3, tmp_path):
    """The STORAGES entry innovo_compliance/settings.py builds when S3_BUCKET is set."""
    settings.S3_BUCKET = s3["bucket"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": s3["bucket"],
                "endpoint_url": s3["url"],
                "region_name": "us-east-1",
                "access_key": "innovo-test",
                "secret_key": "innovo-test-secret",
                "location": f"t-{tmp_path.name}",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "private, no-store"},
            },
        },
    }
    settings.PRIVATE_STORAGE_DIR = tmp_path / "must-stay-empty"
    settings.MEDIA_ROOT = settings.PRIVATE_STORAGE_DIR
    return {**s3, "prefix": f"t-{tmp_path.name}/"}


def _keys(s3, prefix):
    listing = s3["client"].list_objects_v2(Bucket=s3["bucket"], Prefix=s3["prefix"] + prefix)
    return [item["Key"] for item in listing.get("Contents", [])]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_report_attachment_is_stored_in_the_bucket_and_served_only_to_those_allowed(
    client, settings, s3_storage, employee, compliance_officer, other_employee
):
    client.force_login(employee)
    upload = SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf")
    data = {
        "category": "fair_dealing",
        "title": "Supplier kickbacks",
        "description": "A fictional supplier pays a fictional buyer.",
        "how_known": "I saw the envelope.",
        "files": [upload],
    }
    assert client.post(reverse("report_new"), data).status_code == 302
    attachment = Attachment.objects.get()
    keys = _keys(s3_storage, "attachments/")
    assert keys == [s3_storage["prefix"] + attachment.file.name]
    assert s3_storage["client"].get_object(Bucket=s3_storage["bucket"], Key=keys[0])["Body"].read() == PDF
    assert not settings.PRIVATE_STORAGE_DIR.exists()  # nothing on the local disk

    url = reverse("attachment_download", args=[attachment.case_id, attachment.pk])
    client.force_login(compliance_officer)
    response = client.get(url)
    assert response.status_code == 200 and _body(response) == PDF
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(other_employee)
    assert client.get(url).status_code == 404
    assert Case.objects.count() == 1


def test_objects_are_private_in_the_bucket(s3_storage, employee):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("attachments/private-check.txt", ContentFile(b"confidential"))
    key = s3_storage["prefix"] + name
    grants = s3_storage["client"].get_object_acl(Bucket=s3_storage["bucket"], Key=key)["Grants"]
    assert [g for g in grants if "URI" in g["Grantee"]] == []  # no AllUsers / AuthenticatedUsers grant
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_storage['url']}/{s3_storage['bucket']}/{key}", timeout=10)  # noqa: S310
    assert refused.value.code == 403


def test_certificate_pdf_lives_in_the_bucket_and_downloads_through_the_app(client, s3_storage, employee, signing_keys):
    obligation = new_hire_obligation()
    certification = sign(obligation)
    certification = certificate_issue_pdf(certification_id=certification.pk)
    assert _keys(s3_storage, "certificates/") == [s3_storage["prefix"] + certification.pdf.name]
    client.force_login(employee)
    response = client.get(reverse("cert_download", args=[obligation.pk]))
    data = _body(response)
    assert response.status_code == 200 and signing.sha256_hex(data) == certification.pdf_sha256
    assert signing.verify_pdf(data, trust_cert_path=signing_keys[1]).valid


def test_hr_export_zip_is_built_from_and_into_the_bucket(client, s3_storage, employee, hr_director, signing_keys):
    obligation = new_hire_obligation()
    certification = certificate_issue_pdf(certification_id=sign(obligation).pk)
    job = export_request(campaign_id=obligation.campaign_id, actor=hr_director)
    job = export_build(job_id=job.pk)
    assert job.status == ExportJob.Status.DONE
    assert _keys(s3_storage, "exports/") == [s3_storage["prefix"] + job.file.name]
    client.force_login(hr_director)
    response = client.get(reverse("cert_export_download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(_body(response)))
    member = f"certificates/{certification.certificate_number}.pdf"
    assert signing.sha256_hex(archive.read(member)) == certification.pdf_sha256
    client.force_login(employee)
    assert client.get(reverse("cert_export_download", args=[job.pk])).status_code in (403, 404)


def test_readiness_checks_the_bucket(s3_storage, settings):
    health.check_storage()  # the bucket answers
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"},
        },
    }
    with pytest.raises(Exception, match="404|NoSuchBucket|Not Found"):
        health.check_storage()
