"""Turn the Code's plain text (as filed, with page breaks) into readable sections.

The table of contents at the top of the 2003 Code names every heading; the body
repeats each heading alone on a line. We use the table as the list of headings,
so the parser needs no guessing about which short lines are titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.text import slugify

_TOC_LINE = re.compile(r"^(?P<indent>\s*)(?P<title>[A-Z][^.]*?)\.{3,}\s*(?P<page>[0-9ivx]+)\s*$")
_PAGE_NUMBER = re.compile(r"^\s*([0-9]+|[ivx]+)\s*$")
_COLUMNS = re.compile(r"\S\s{6,}\S")
_BULLET = re.compile(r"^\s*o\s{2,}(?P<text>.*)$")


@dataclass
class Block:
    kind: str  # "p", "ul" or "pre" (a line laid out in columns, like the phone list)
    text: str = ""
    items: list[str] = field(default_factory=list)


@dataclass
class Section:
    title: str
    anchor: str
    level: int
    blocks: list[Block] = field(default_factory=list)


def table_of_contents(text: str) -> list[tuple[str, int]]:
    """(title, level) for each entry in the Code's own table of contents."""
    entries = []
    for line in text.splitlines():
        match = _TOC_LINE.match(line)
        if match:
            level = 2 if len(match.group("indent")) >= 4 else 1
            entries.append((match.group("title").strip(), level))
    return entries


def _clean_lines(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        stripped = line.strip()
        if stripped == "<PAGE>" or set(stripped) == {"-"} or _PAGE_NUMBER.match(line):
            continue
        out.append(line.rstrip())
    return out


def _blocks(lines: list[str]) -> list[Block]:
    """Paragraphs are separated by blank lines; lines starting with "o" are bullets."""
    blocks: list[Block] = []
    para: list[str] = []
    bullet: list[str] | None = None

    def flush():
        nonlocal para, bullet
        if bullet is not None:
            item = " ".join(bullet).strip()
            if blocks and blocks[-1].kind == "ul":
                blocks[-1].items.append(item)
            else:
                blocks.append(Block(kind="ul", items=[item]))
            bullet = None
        if para:
            blocks.append(Block(kind="p", text=" ".join(para)))
            para = []

    for line in lines:
        if not line.strip():
            flush()
            continue
        if not _BULLET.match(line) and bullet is None and _COLUMNS.search(line.strip()):
            flush()
            blocks.append(Block(kind="pre", text=line.strip()))
            continue
        match = _BULLET.match(line)
        if match:
            flush()
            bullet = [match.group("text").strip()]
        elif bullet is not None:
            bullet.append(line.strip())
        else:
            para.append(line.strip())
    flush()
    return [b for b in blocks if b.text or b.items]


def sections(text: str) -> list[Section]:
    """The Code split into sections with anchors, in reading order.

    Body headings are found in order of the table of contents; the text before
    the first heading (title page, note) becomes a "Preface" section.
    """
    lines = text.splitlines()
    toc = table_of_contents(text)
    # The body starts after the last table-of-contents line.
    last_toc = max((i for i, line in enumerate(lines) if _TOC_LINE.match(line)), default=-1)
    body = lines[last_toc + 1 :]
    stripped = [line.strip() for line in body]
    positions: list[tuple[int, str, int]] = []
    cursor = 0
    for title, level in toc:
        index = next(
            (
                i
                for i in range(cursor, len(stripped))
                if stripped[i] == title or (stripped[i].startswith(title) and len(stripped[i]) - len(title) <= 2)
            ),
            None,
        )
        if index is None:
            continue
        positions.append((index, title, level))
        cursor = index + 1
    extra = ("Helpful Phone Numbers", "Confirmation Certificate")
    for title in extra:
        for i in range(cursor, len(stripped)):
            if stripped[i].lstrip("o ").strip() == title:
                positions.append((i, title, 1))
                cursor = i + 1
                break

    result: list[Section] = []
    seen: set[str] = set()
    start_body = positions[0][0] if positions else len(body)
    preface = _blocks(_clean_lines(body[:start_body]))
    if preface:
        result.append(Section(title="Note", anchor="note", level=1, blocks=preface))
    for n, (index, title, level) in enumerate(positions):
        end = positions[n + 1][0] if n + 1 < len(positions) else len(body)
        anchor = slugify(title)
        while anchor in seen:
            anchor += "-2"
        seen.add(anchor)
        result.append(
            Section(title=title, anchor=anchor, level=level, blocks=_blocks(_clean_lines(body[index + 1 : end])))
        )
    return result
