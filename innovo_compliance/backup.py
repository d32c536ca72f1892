"""Back up and restore an installation: the database and every stored file.

One archive (a tar file) holds:
- `manifest.json`: when, from which database engine, and every member with its
  size and SHA-256;
- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3`;
- `files/<name>`: every file of the default storage (uploads, certificate PDFs,
  exports), read through the storage API, so the same command covers a folder
  under VAR_DIR and an S3 bucket.

Not in it, on purpose: the signing key and the secret key (secrets, kept and
backed up apart: docs/deploy.md), caches, broker files and collected static
files (rebuilt).

Backup order: the database first, then the files. Stored files are never changed
once written, so a file added while the backup runs is merely extra; the database
never points at a file the archive lacks unless the file was deleted meanwhile
(the daily purge: run backups outside it).

Restore order: verify the archive (every SHA-256) before touching anything, load
the database into an empty database (pg_restore creates tables, loads the data,
then indexes, constraints and triggers), then put the files back under their
exact names, then check that every file the database refers to is there with
the SHA-256 it recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def _sha256_file(handle) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def storage_names(storage=None, path: str = "") -> list[str]:
    """Every file in the storage, recursively, sorted."""
    storage = storage or default_storage
    dirs, files = storage.listdir(path)
    names = [f"{path}/{name}" if path else name for name in files]
    for directory in dirs:
        names += storage_names(storage, f"{path}/{directory}" if path else directory)
    return sorted(names)


# --- Database ------------------------------------------------------------------------


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    options = db.get("OPTIONS", {})
    libpq = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "connect_timeout": "PGCONNECT_TIMEOUT"}
    for key, var in libpq.items():
        if options.get(key):
            env[var] = str(options[key])
    return env


def _run(argv: list[str], env: dict) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{argv[0]} failed: {result.stderr.strip()[-2000:]}")


def dump_database(target: Path) -> str:
    """Write the database to `target`; returns its member name."""
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], _pg_env(db))
        return "database.dump"
    if connection.vendor == "sqlite":
        source = sqlite3.connect(db["NAME"])
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)
        finally:
            source.close()
            destination.close()
        return "database.sqlite3"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def load_database(dump: Path, member: str) -> None:
    db = settings.DATABASES["default"]
    if not database_is_empty():
        raise BackupError(
            f"The database {db['NAME']} is not empty: restore into a new, empty database "
            "(createdb), then point DATABASE_URL at it."
        )
    connection.close()
    if member == "database.dump":
        if connection.vendor != "postgresql":
            raise BackupError("This backup is of a PostgreSQL database; DATABASE_URL names another engine.")
        argv = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        _run([*argv, f"--dbname={db['NAME']}", str(dump)], _pg_env(db))
    elif member == "database.sqlite3":
        if connection.vendor != "sqlite":
            raise BackupError("This backup is of a SQLite database; DATABASE_URL names another engine.")
        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dump, db["NAME"])
    else:
        raise BackupError(f"Unknown database member {member!r}.")
    connection.close()


# --- Archive -------------------------------------------------------------------------


@dataclass
class Summary:
    database: str = ""
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)


def backup(path: Path, *, log=print) -> Summary:
    """Write the archive to `path` (atomically: a temporary file renamed at the end)."""
    path = Path(path)
    summary = Summary()
    manifest: dict = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {},
        "files": [],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="innovo-backup-") as work:
        dump = Path(work) / "database"
        member = dump_database(dump)
        with open(dump, "rb") as handle:
            sha, size = _sha256_file(handle)
        manifest["database"] = {"engine": connection.vendor, "member": member, "sha256": sha, "size": size}
        summary.database = f"{connection.vendor}, {size} bytes"
        log(f"database: {member} ({size} bytes)")
        with tarfile.open(partial, "w") as archive:
            archive.add(dump, arcname=member)
            for name in storage_names():
                with default_storage.open(name, "rb") as source:
                    sha, size = _sha256_file(source)
                with default_storage.open(name, "rb") as source:
                    info = tarfile.TarInfo(f"files/{name}")
                    info.size, info.mode = size, 0o600
                    archive.addfile(info, source)
                manifest["files"].append({"name": name, "size": size, "sha256": sha})
                summary.files += 1
                summary.bytes += size
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode = len(data), 0o600
            archive.addfile(info, io.BytesIO(data))
    os.chmod(partial, 0o600)
    os.replace(partial, path)
    log(f"files: {summary.files} ({summary.bytes} bytes)")
    return summary


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except KeyError:
        raise BackupError("Not an Innovo Compliance backup: no manifest.json.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def verify_archive(path: Path) -> dict:
    """Check every member's SHA-256 against the manifest; returns the manifest."""
    with tarfile.open(path, "r") as archive:
        manifest = _read_manifest(archive)
        expected = {manifest["database"]["member"]: manifest["database"]["sha256"]}
        expected |= {f"files/{f['name']}": f["sha256"] for f in manifest["files"]}
        seen = set()
        for info in archive:
            if info.name == "manifest.json":
                continue
            if info.name not in expected or not info.isfile():
                raise BackupError(f"Unexpected member {info.name!r} in the archive.")
            sha, _ = _sha256_file(archive.extractfile(info))
            if sha != expected[info.name]:
                raise BackupError(f"{info.name} is damaged: its SHA-256 differs from the manifest.")
            seen.add(info.name)
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(f"The archive lacks {len(missing)} member(s), e.g. {missing[0]}.")
    return manifest


def restore(path: Path, *, log=print) -> Summary:
    path = Path(path)
    manifest = verify_archive(path)
    log(f"archive verified: database and {len(manifest['files'])} files")
    summary = Summary(database=manifest["database"]["engine"])
    clashes = [f["name"] for f in manifest["files"] if default_storage.exists(f["name"])]
    with tarfile.open(path, "r") as archive, tempfile.TemporaryDirectory(prefix="innovo-restore-") as work:
        member = manifest["database"]["member"]
        dump = Path(work) / member
        with archive.extractfile(member) as source, open(dump, "wb") as target:
            shutil.copyfileobj(source, target, CHUNK)
        if clashes:
            raise BackupError(
                f"The storage already holds {len(clashes)} of the files (e.g. {clashes[0]}): "
                "restore into empty storage."
            )
        load_database(dump, member)
        log("database loaded")
        for entry in manifest["files"]:
            with archive.extractfile(f"files/{entry['name']}") as source:
                saved = default_storage.save(entry["name"], File(source, name=entry["name"]))
            if saved != entry["name"]:
                raise BackupError(f"The storage saved {entry['name']} as {saved}.")
            summary.files += 1
            summary.bytes += entry["size"]
    log(f"files restored: {summary.files} ({summary.bytes} bytes)")
    summary.problems = check_files_against_database()
    return summary


def check_files_against_database() -> list[str]:
    """Every file the database refers to exists; certificate PDFs have the SHA-256
    recorded when they were signed."""
    from cases.models import Attachment
    from certifications.models import Certification, ExportJob

    problems = []
    for name in Attachment.objects.exclude(file="").values_list("file", flat=True):
        if not default_storage.exists(name):
            problems.append(f"attachment {name} is missing")
    for name in ExportJob.objects.exclude(file="").values_list("file", flat=True):
        if not default_storage.exists(name):
            problems.append(f"export {name} is missing")
    for number, name, recorded in Certification.objects.exclude(pdf="").values_list(
        "certificate_number", "pdf", "pdf_sha256"
    ):
        if not default_storage.exists(name):
            problems.append(f"certificate {number}: {name} is missing")
            continue
        with default_storage.open(name, "rb") as handle:
            sha, _ = _sha256_file(handle)
        if sha != recorded:
            problems.append(f"certificate {number}: {name} differs from the SHA-256 recorded at signing")
    return problems
