"""Backups that restore: `manage.py backup` on a populated PostgreSQL instance, then
`manage.py restore` into an empty database of the test's own and empty storage;
every table (cases, events, certificates...), every file and every certificate
signature comes back intact."""

import hashlib
import io
import tarfile
from urllib.parse import urlunparse

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from cases.models import Attachment, Case, CaseEvent
from certifications import signing
from certifications.models import Certification
from certifications.services.certify import certificate_issue_pdf
from innovo_compliance.backup import storage_names
from tests.certifications.helpers import new_hire_obligation, sign
from tests.deploy import servers
from tests.pow import pow_ok

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _admin_conninfo(dbname: str) -> dict:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
        "dbname": dbname,
    }


def _url(dbname: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return urlunparse(("postgres", f"{auth}@{db['HOST']}:{db['PORT'] or 5432}", f"/{dbname}", "", "", ""))


@pytest.fixture
def empty_database():
    """A new, empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    with psycopg.connect(**_admin_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(**_admin_conninfo("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def own_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "source-storage")},
        },
    }
    return tmp_path / "source-storage"


def _populate(client, employee, compliance_officer):
    """Named and anonymous reports with attachments, their events, a signed certificate."""
    client.force_login(employee)
    data = {
        "category": "fair_dealing",
        "title": "Supplier kickbacks",
        "description": "A fictional supplier pays a fictional buyer.",
        "how_known": "I saw the envelope.",
    }
    upload = SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf")
    assert client.post(reverse("report_new"), {**data, "files": [upload]}).status_code == 302
    client.logout()
    photo = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
    anonymous = {**data, "title": "Invoices altered", "files": [photo]}
    assert client.post(reverse("report_new"), {**anonymous, **pow_ok()}).status_code == 200
    # Case work writes events: a note and a message to the reporter on each case.
    client.force_login(compliance_officer)
    for case in Case.objects.all():
        for action in ("note", "message"):
            url = reverse("case_action", args=[case.pk, action])
            assert client.post(url, {"body": f"{action} on {case.reference}"}).status_code == 302
    client.logout()
    certification = certificate_issue_pdf(certification_id=sign(new_hire_obligation()).pk)
    return certification


def _table_digests(cursor) -> dict[str, str]:
    """md5 over every row of every table of the public schema, in a stable order."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    digests = {}
    for (table,) in cursor.fetchall():
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"  # noqa: S608 (names from pg_tables)
        )
        digests[table] = cursor.fetchone()
    return digests


def _schema_objects(cursor) -> dict:
    cursor.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
    triggers = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'")
    indexes = cursor.fetchone()[0]
    cursor.execute(
        "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename"
    )
    return {"triggers": triggers, "indexes": indexes, "sequences": cursor.fetchall()}


@pytest.mark.services
def test_backup_of_a_populated_instance_restores_into_an_empty_one(
    postgres_required,
    transactional_db,
    client,
    demo,
    employee,
    compliance_officer,
    signing_keys,
    own_storage,
    empty_database,
    tmp_path,
):
    certification = _populate(client, employee, compliance_officer)
    assert Case.objects.count() == 2 and Attachment.objects.count() == 2
    assert CaseEvent.objects.count() >= 4
    archive = tmp_path / "innovo.tar"

    call_command("backup", str(archive), stdout=io.StringIO())
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    call_command("restore", str(archive), "--check-only", stdout=io.StringIO())

    with connection.cursor() as cursor:
        source_tables, source_schema = _table_digests(cursor), _schema_objects(cursor)
    source_files = {name: hashlib.sha256((own_storage / name).read_bytes()).hexdigest() for name in storage_names()}
    assert len(source_files) == 3  # two attachments and the certificate PDF

    restored_var = tmp_path / "restored-var"
    env = servers.app_env(
        {
            "DATABASE_URL": _url(empty_database),
            "VAR_DIR": str(restored_var),
            "SECRET_KEY": "restore-test-secret-key-with-plenty-of-entropy-0123456789",
            "DEBUG": "false",
        }
    )
    result = servers.manage(env, "restore", str(archive))
    assert "Restored postgresql database and 3 files" in result.stdout, result.stdout + result.stderr

    with psycopg.connect(**_admin_conninfo(empty_database)) as restored, restored.cursor() as cursor:
        assert _table_digests(cursor) == source_tables  # every case, event, certificate... row for row
        assert _schema_objects(cursor) == source_schema  # indexes, triggers, sequences where they were
    for name, sha in source_files.items():
        assert hashlib.sha256((restored_var / "private" / name).read_bytes()).hexdigest() == sha, name
    restored_pdf = (restored_var / "private" / certification.pdf.name).read_bytes()
    assert signing.sha256_hex(restored_pdf) == Certification.objects.get(pk=certification.pk).pdf_sha256
    verdict = signing.verify_pdf(restored_pdf, trust_cert_path=signing_keys[1])
    assert verdict.valid, verdict.reason

    # A second restore into the now populated database is refused, and changes nothing.
    with pytest.raises(servers.ServerError, match="not empty|already holds"):
        servers.manage(env, "restore", str(archive))


@pytest.mark.services
def test_a_damaged_archive_is_refused_before_anything_changes(
    postgres_required, transactional_db, client, demo, employee, compliance_officer, signing_keys, own_storage, tmp_path
):
    _populate(client, employee, compliance_officer)
    archive = tmp_path / "innovo.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("files/certificates/"))
        offset = member.offset_data + member.size // 2
    data = bytearray(archive.read_bytes())
    data[offset] ^= 0x01
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(archive), "--check-only", stdout=io.StringIO())
