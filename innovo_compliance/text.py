"""Small helpers for the sentences the app writes around names and typed text."""

from __future__ import annotations

TERMINAL = ".!?…"
CLOSING = "”’\"')]"


def sentence(text: str) -> str:
    """`text` ending in exactly one full stop: "Samuel J. Furrow, Jr." stays as it is
    (never "Jr.."), and “He said so.” is not followed by another one."""
    text = text.rstrip()
    core = text.rstrip(CLOSING)
    if not text or (core and core[-1] in TERMINAL):
        return text
    return text + "."
