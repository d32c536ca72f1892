"""Receipt keys of anonymous reporters (REP-1).

A key is 5 groups of 5 characters from a 31-letter alphabet without look-alikes
(about 124 bits). The first 3 groups are the look-up id, stored in clear and unique
by a database constraint; the whole key is stored only as an argon2 hash, so the
stored data cannot be turned back into a key.

Why 15 characters of look-up: with the former 5 (28.6 million values) two keys
collided with 1.7% chance at 1,000 anonymous reports and 50% at about 6,300, and
the older reporter's key then stopped working. 31**15 is about 2**74: at a million
anonymous reports the chance of any collision is about 3 in 10**11, and the unique
constraint turns even that into a retry at creation, never into a shared look-up.
The 10 characters after it (about 50 bits) are checked only through argon2, per
look-up id, under an attempt limit (`innovo_compliance.abuse`).

Keys issued before the look-up grew (5 characters) are still accepted: migration
0003 stores their look-up as "ABCDE.<case id>", which keeps them unique, and a key
whose 15-character look-up matches nothing is tried against them.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from django.db import IntegrityError, transaction

from cases.models import Case

KEY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
KEY_GROUPS = 5
GROUP = 5
KEY_CHARS = KEY_GROUPS * GROUP
KEY_LENGTH = KEY_CHARS + KEY_GROUPS - 1  # with the dashes: ABCDE-FGHJK-MNPQR-STUVW-XYZ23
LOOKUP_CHARS = 15
LEGACY_LOOKUP_CHARS = 5
LEGACY_SEPARATOR = "."
# More legacy cases than this behind one 5-character prefix is not plausible (two
# collided with 50% chance at ~6,300 reports); the cap bounds the argon2 work.
LEGACY_CANDIDATES = 4
SAVE_ATTEMPTS = 5

hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY_HASH = hasher.hash("not-a-key")


def new_receipt_key() -> str:
    groups = ["".join(secrets.choice(KEY_ALPHABET) for _ in range(GROUP)) for _ in range(KEY_GROUPS)]
    return "-".join(groups)


def normalise_key(key: str) -> str:
    cleaned = "".join(ch for ch in key.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + GROUP] for i in range(0, len(cleaned), GROUP))


def lookup_of(key: str) -> str:
    """The look-up id of a key as typed (any case, spaces or dashes), or "" if it
    cannot be a key. Used as the name of the key's attempt counter too."""
    cleaned = normalise_key(key).replace("-", "")
    if len(cleaned) != KEY_CHARS or any(ch not in KEY_ALPHABET for ch in cleaned):
        return ""
    return cleaned[:LOOKUP_CHARS]


def hash_key(key: str) -> str:
    return hasher.hash(normalise_key(key))


def case_save_with_receipt(case: Case, key: str) -> str:
    """Save a new anonymous case with this key; if its look-up id is already taken
    (about 2**-74 per existing key), draw another key. Returns the key saved.

    Runs inside the caller's transaction: each try is a savepoint, so a clash
    rolls back only the insert."""
    for attempt in range(SAVE_ATTEMPTS):
        case.receipt_lookup = lookup_of(key)
        case.receipt_hash = hash_key(key)
        try:
            with transaction.atomic():
                case.save()
        except IntegrityError:
            clash = Case.objects.filter(receipt_lookup=case.receipt_lookup).exists()
            if not clash or attempt == SAVE_ATTEMPTS - 1:
                raise
            key = new_receipt_key()
        else:
            return key
    raise AssertionError("unreachable")  # pragma: no cover


def case_for_receipt_key(key: str) -> Case | None:
    """The anonymous case this key opens, or None.

    The same indexed queries and one argon2 verification whether the look-up id
    exists or not, so timing does not tell which keys exist. (More than one
    verification only for the rare 5-character legacy look-ups that collided.)"""
    lookup = lookup_of(key)
    candidates = []
    if lookup:
        exact = list(Case.objects.filter(anonymous=True, receipt_lookup=lookup)[:1])
        legacy_prefix = lookup[:LEGACY_LOOKUP_CHARS] + LEGACY_SEPARATOR
        legacy = list(
            Case.objects.filter(anonymous=True, receipt_lookup__startswith=legacy_prefix).order_by("pk")[
                :LEGACY_CANDIDATES
            ]
        )
        candidates = exact or legacy
    normalised = normalise_key(key)
    found = None
    for case in candidates or [None]:
        stored = case.receipt_hash if case is not None else _DUMMY_HASH
        try:
            ok = hasher.verify(stored, normalised)
        except (VerificationError, InvalidHashError):
            ok = False
        if ok and case is not None and found is None:
            found = case
    return found
