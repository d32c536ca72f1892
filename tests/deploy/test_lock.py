"""Every dependency, transitive ones included, is pinned with hashes in the lock
files, and the lock files agree with requirements*.txt (the files we edit)."""

import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _entries(path):
    """name -> (version, number of hashes) for each requirement line of a pip-compile lock."""
    text = path.read_text()
    entries = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", block)
        if match:
            entries[match.group(1).lower()] = (match.group(2), block.count("--hash=sha256:"))
    return entries


def test_every_locked_package_is_pinned_with_a_hash():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        entries = _entries(ROOT / lock)
        assert len(entries) > 40
        assert [name for name, (_, hashes) in entries.items() if hashes == 0] == [], lock
        lines = [line for line in (ROOT / lock).read_text().splitlines() if line and not line.startswith((" ", "#"))]
        assert all("==" in line for line in lines), lock


def test_lock_files_agree_with_the_requirements_we_edit():
    result = subprocess.run(
        [sys.executable, "scripts/check_lock.py"], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


def test_dev_lock_installs_the_same_runtime_versions():
    runtime, dev = _entries(ROOT / "requirements.lock"), _entries(ROOT / "requirements-dev.lock")
    assert {name: version for name, (version, _) in runtime.items() if dev[name][0] != version} == {}


def test_the_image_installs_the_lock_with_hashes_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes --no-deps -r requirements.lock" in dockerfile
    assert "psycopg2" not in (ROOT / "requirements.lock").read_text()
