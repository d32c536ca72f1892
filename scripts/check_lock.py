"""Exit 1 when requirements.txt / requirements-dev.txt pin something that the lock
files do not (a package added or upgraded without `make lock`). Standard library only."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*==\s*([^\s;\\]+)", line)
        if match:
            found[normalise(match.group(1))] = match.group(3)
    return found


def problems() -> list[str]:
    out = []
    for source, lock in PAIRS:
        if not (ROOT / lock).exists():
            out.append(f"{lock} is missing")
            continue
        locked = pins(ROOT / lock)
        wanted = pins(ROOT / source)
        if source == "requirements-dev.txt":
            wanted |= pins(ROOT / "requirements.txt")
        for name, version in sorted(wanted.items()):
            if locked.get(name) != version:
                out.append(f"{source} pins {name}=={version}, {lock} has {locked.get(name, 'nothing')}")
    return out


if __name__ == "__main__":
    found = problems()
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print("The lock files are out of date: run `make lock`.", file=sys.stderr)
    sys.exit(1 if found else 0)
