"""HR's bulk export of a campaign: one ZIP with every signed certificate PDF and a
CSV index, built by a task, downloadable until it expires.

Memory stays flat whatever the campaign size: certificates are read from the
database in chunks, each PDF is copied from storage into the ZIP member by
member in 64 KB pieces, the CSV index is written to a temporary file as we go
and copied in last, and even the ZIP's central directory (which `zipfile`
keeps in memory, a few hundred bytes per member) waits in a temporary file.
"""

from __future__ import annotations

import csv
import io
import logging
import pickle
import shutil
import tempfile
import zipfile
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from certifications.models import Campaign, Certification, ExportJob, Kind, Obligation
from certifications.services.certify import certificate_issue_pdf, verify_url
from certifications.services.events import record
from core import outbox
from innovo_compliance.permissions import can

log = logging.getLogger(__name__)

EXPORT_LIFETIME = timedelta(days=7)
STALE_RUN = timedelta(minutes=30)
"""A job marked running for longer than this is taken to have lost its worker."""
CHUNK = 64 * 1024
INDEX_COLUMNS = [
    "certificate_number",
    "employee_id",
    "name",
    "department",
    "title",
    "certificate",
    "code_version",
    "code_sha256",
    "signed_at",
    "exception_explained",
    "exception_explanation",
    "pdf_file",
    "pdf_sha256",
    "verify_url",
]


class _CentralDirectoryOnDisk:
    """Stands in for `ZipFile.filelist` while writing: `zipfile` appends each member's
    ZipInfo after writing it and reads them all back once, in order, to write the
    central directory on close. Kept pickled in a temporary file, not in memory."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._count = 0

    def append(self, info: zipfile.ZipInfo) -> None:
        pickle.dump(info, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        self._file.seek(0)
        for _ in range(self._count):
            yield pickle.load(self._file)  # noqa: S301 (our own temporary file)

    def close(self) -> None:
        self._file.close()


class _NoNameIndex(dict):
    """Stands in for `ZipFile.NameToInfo`, which would keep every ZipInfo too. Member
    names are unique by construction (certificate numbers), so nothing is kept."""

    def __setitem__(self, key, value):
        pass


def _bounded_zipfile(fileobj) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_STORED, allowZip64=True)
    archive.filelist = _CentralDirectoryOnDisk()
    archive.NameToInfo = _NoNameIndex()
    return archive


def export_request(*, campaign_id: int, actor) -> ExportJob:
    """Queue an export of the campaign's signed certificates."""
    campaign = Campaign.objects.get(pk=campaign_id)
    if not can(actor, "certifications.export", campaign):
        raise PermissionDenied("Only HR exports certificates.")
    with transaction.atomic():
        job = ExportJob.objects.create(campaign=campaign, requested_by=actor, total=_signed(campaign).count())
        record("export-requested", actor=actor, campaign=campaign, detail=f"Export {job.pk}: {job.total} certificates.")
        # Built after the commit by the outbox: a broker that is down delays it, never loses it.
        outbox.job("certifications.services.exports.export_build", key=f"export:{job.pk}", job_id=job.pk)
    return job


def _signed(campaign: Campaign):
    return Certification.objects.filter(obligation__campaign=campaign, obligation__status=Obligation.Status.SIGNED)


def export_build(*, job_id: int, progress_every: int = 25) -> ExportJob:
    """Build the ZIP for one job. Safe to run twice: a finished job is left alone,
    and a job another worker is building (recently started) is skipped."""
    now = timezone.now()
    with transaction.atomic():
        job = ExportJob.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=job_id)
        if job.status == ExportJob.Status.DONE:
            return job
        if job.status == ExportJob.Status.RUNNING and job.started_at and now - job.started_at < STALE_RUN:
            return job
        job.status, job.started_at, job.done, job.error = ExportJob.Status.RUNNING, now, 0, ""
        job.total = _signed(job.campaign).count()
        job.save(update_fields=["status", "started_at", "done", "total", "error"])
    try:
        with tempfile.TemporaryFile() as archive:
            count = _write_zip(archive, job, progress_every=progress_every)
            size = archive.tell()
            archive.seek(0)
            name = default_storage.save(f"exports/{job.pk}-{slugify(job.campaign.title)}.zip", File(archive))
    except Exception as error:
        log.exception("Export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=str(error)[:1000])
        raise
    finished = timezone.now()
    with transaction.atomic():
        job = ExportJob.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=job_id)
        job.file, job.size, job.done, job.total = name, size, count, count
        job.status, job.finished_at, job.expires_at = ExportJob.Status.DONE, finished, finished + EXPORT_LIFETIME
        job.save(update_fields=["file", "size", "done", "total", "status", "finished_at", "expires_at"])
        record("export-ready", actor=job.requested_by, campaign=job.campaign, detail=f"Export {job.pk}: {count} PDFs.")
    return job


EXPORT_FIELDS = (
    "id",
    "certificate_number",
    "pdf",
    "pdf_sha256",
    "person_name",
    "person_title",
    "signed_at",
    "code_sha256",
    "exception",
    "code_version__number",
    "obligation__person__employee_id",
    "obligation__person__department",
    "obligation__campaign__kind",
)


def _write_zip(archive, job: ExportJob, *, progress_every: int) -> int:
    # Plain rows, not model instances: a FieldFile and its instance refer to each
    # other, and thousands of such cycles would wait for the garbage collector.
    rows = _signed(job.campaign).order_by("id").values(*EXPORT_FIELDS)
    count = 0
    zf = _bounded_zipfile(archive)
    try:
        with zf, tempfile.TemporaryFile() as index_file:
            index = io.TextIOWrapper(index_file, encoding="utf-8-sig", newline="")
            writer = csv.writer(index)
            writer.writerow(INDEX_COLUMNS)
            for row in rows.iterator(chunk_size=200):
                if not (row["pdf"] and row["pdf_sha256"]):
                    issued = certificate_issue_pdf(certification_id=row["id"])
                    row |= {"pdf": issued.pdf.name, "pdf_sha256": issued.pdf_sha256}
                member = f"certificates/{row['certificate_number']}.pdf"
                with default_storage.open(row["pdf"], "rb") as source, zf.open(member, "w") as target:
                    shutil.copyfileobj(source, target, CHUNK)
                writer.writerow(_index_row(row, member))
                count += 1
                if count % progress_every == 0:
                    ExportJob.objects.filter(pk=job.pk).update(done=count)
            index.flush()
            index_file.seek(0)
            with zf.open("index.csv", "w") as target:
                shutil.copyfileobj(index_file, target, CHUNK)
            index.detach()
    finally:
        zf.filelist.close()
    archive.seek(0, io.SEEK_END)
    return count


def plain_cell(text: str) -> str:
    """Text typed by a person, as a spreadsheet shows it: never a formula (a cell
    that starts with =, +, -, @ or a control character is prefixed with ')."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _index_row(row: dict, member: str) -> list[str]:
    return [
        row["certificate_number"],
        row["obligation__person__employee_id"],
        row["person_name"],
        row["obligation__person__department"],
        row["person_title"],
        Kind(row["obligation__campaign__kind"]).label,
        str(row["code_version__number"]),
        row["code_sha256"],
        timezone.localtime(row["signed_at"]).isoformat(),
        "yes" if row["exception"].strip() else "no",
        plain_cell(row["exception"].strip()),
        member,
        row["pdf_sha256"],
        verify_url(row["certificate_number"]),
    ]


def exports_purge_expired(*, now=None) -> int:
    """Delete the files of expired exports (the job rows stay, as a record)."""
    now = now or timezone.now()
    purged = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).exclude(file=""):
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        purged += 1
    return purged
