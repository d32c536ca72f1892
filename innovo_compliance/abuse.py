"""Abuse controls for anonymous speak-up that track nobody (issue 9, finding 11).

What they replace: per-minute limits for the whole site, so one client sending
300 wrong receipt keys shut every anonymous reporter out. No budget that a
reporter with JavaScript depends on is shared with other clients, and nothing
here holds an address, a user agent, a session or a cookie. See
docs/decisions/0004-abuse-controls-without-tracking.md.

- **Proof of work** on anonymous reports and questions and on opening a report
  with a receipt key. The page carries a challenge signed with the secret key:
  a random salt and SHA-256(salt + n) for a secret n in [0, max]. The browser
  (static/js/pow.js) finds n; the server checks one hash, the signature, the age
  (CHALLENGE_SECONDS) and that the challenge was not used before (a marker in
  the cache until it expires). It costs the client CPU, the server one hash.
- **Without JavaScript** nothing is solved: such a request still needs a signed,
  unused challenge (one page load per request) and goes through a lane of its own,
  limited to `NO_JS_ANONYMOUS_PER_MINUTE` requests per minute for the whole site.
  When it is full, the form is shown again with what was typed and a message
  with the hotline: nothing fails silently. Only requests without the proof of
  work count there, so filling it never slows a reporter with JavaScript.
- **Per key**: wrong keys are counted per look-up id (the key's first 15
  characters), RECEIPT_KEY_FAILURES an hour; past that, that look-up id is closed
  for the rest of the hour, right key or not. Random wrong keys hit random look-up
  ids (2**74 of them), so only someone who already knows a key's first 15
  characters can close it.
- **After the key opened the report**, the page carries a signed pass for that
  look-up id (PASS_SECONDS), so answering needs no second proof of work.

Counter and marker names in the cache are keyed HMACs of what they count, so
the cache does not list the look-up ids that were tried.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

CHALLENGE_SALT = "innovo.abuse.pow"
PASS_SALT = "innovo.abuse.follow-up-pass"  # noqa: S105 (a signing namespace, not a password)
CHALLENGE_SECONDS = 4 * 3600  # a report may take a while to write
PASS_SECONDS = 2 * 3600
RECEIPT_KEY_FAILURES = 10
RECEIPT_KEY_WINDOW = 3600

REPORT = "report"
FOLLOW_UP = "follow-up"

MSG_EXPIRED = (
    "The anti-abuse check of this form expired or was already used. Nothing was sent: please press the button again."
)
MSG_WRONG = "The anti-abuse check of this form did not match. Nothing was sent: please press the button again."
MSG_NO_JS_FULL = (
    "Too many requests came without JavaScript in the last minute, so this one was not sent yet; "
    "what you typed is still here (attachments must be chosen again). Turn on JavaScript and send it now, "
    "try again in a minute, or call the audit committee's hotline, {hotline}."
)
MSG_KEY_LOCKED = (
    "Too many wrong keys were tried for this report in the last hour, so it cannot be opened right now. "
    "Try again in an hour, or call the audit committee's hotline, {hotline}."
)


@dataclass(frozen=True)
class Challenge:
    token: str
    salt: str
    target: str
    max_number: int


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str


def no_js_per_minute() -> int:
    return settings.INNOVO["NO_JS_ANONYMOUS_PER_MINUTE"]


def _max_number() -> int:
    return max(1, settings.INNOVO["PROOF_OF_WORK_MAX"])


def _hotline() -> str:
    return settings.INNOVO["HOTLINE"]


def _name(kind: str, value: str) -> str:
    """A cache key for `value` that does not show it."""
    digest = salted_hmac(f"innovo.abuse.{kind}", value, algorithm="sha256").hexdigest()
    return f"abuse:{kind}:{digest[:32]}"


def _digest(salt: str, number: int) -> str:
    return hashlib.sha256(f"{salt}{number}".encode()).hexdigest()


# --- Proof of work ---------------------------------------------------------------


def pow_challenge(purpose: str) -> Challenge:
    max_number = _max_number()
    salt = secrets.token_hex(12)
    target = _digest(salt, secrets.randbelow(max_number + 1))
    token = signing.dumps({"p": purpose, "s": salt, "t": target, "m": max_number}, salt=CHALLENGE_SALT)
    return Challenge(token=token, salt=salt, target=target, max_number=max_number)


def pow_solve(challenge: Challenge) -> int:
    """What the browser does (for tests and scripts)."""
    for number in range(challenge.max_number + 1):
        if _digest(challenge.salt, number) == challenge.target:
            return number
    raise ValueError("no solution")


def _challenge_data(token: str, purpose: str) -> dict | None:
    try:
        data = signing.loads(token, salt=CHALLENGE_SALT, max_age=CHALLENGE_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("p") != purpose:
        return None
    return data


def _use_once(token: str) -> bool:
    """True the first time a challenge is presented, False after."""
    return cache.add(_name("pow-used", token), 1, CHALLENGE_SECONDS + 60)


def pow_check(token: str, solution: str, *, purpose: str) -> Refusal | None:
    """None when the challenge is ours, fresh, unused and solved."""
    data = _challenge_data(token, purpose)
    if data is None:
        return Refusal(400, MSG_EXPIRED)
    if not (solution.isascii() and solution.isdigit() and len(solution) <= 12):
        return Refusal(400, MSG_WRONG)
    if not constant_time_compare(_digest(data["s"], int(solution)), data["t"]):
        return Refusal(400, MSG_WRONG)
    if not _use_once(token):
        return Refusal(400, MSG_EXPIRED)
    return None


# --- Counters ---------------------------------------------------------------------


def _bucket_key(kind: str, value: str, window: int) -> str:
    bucket = int(timezone.now().timestamp() // window)
    return f"{_name(kind, value)}:{bucket}"


def _count(kind: str, value: str, window: int, *, add: bool) -> int:
    """Events of `kind` for `value` in the current window (fixed windows: the key
    names the window, so any cache backend expires it correctly)."""
    key = _bucket_key(kind, value, window)
    if not add:
        return cache.get(key, 0)
    if cache.add(key, 1, window * 2):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window * 2)
        return 1
    cache.touch(key, window * 2)  # the file cache's incr resets the timeout
    return count


def _no_js_lane(purpose: str) -> Refusal | None:
    if _count("no-js", purpose, 60, add=True) > no_js_per_minute():
        return Refusal(429, MSG_NO_JS_FULL.format(hotline=_hotline()))
    return None


def anonymous_gate(request, *, purpose: str) -> Refusal | None:
    """The proof of work of an anonymous POST, or its place in the no-JavaScript lane.
    None lets the request through."""
    token = request.POST.get("pow_challenge", "")
    solution = request.POST.get("pow_solution", "")
    if solution:
        return pow_check(token, solution, purpose=purpose)
    if _challenge_data(token, purpose) is None or not _use_once(token):
        return Refusal(400, MSG_EXPIRED)
    return _no_js_lane(purpose)


# --- Receipt keys -------------------------------------------------------------------


def receipt_key_locked(lookup: str) -> Refusal | None:
    """A refusal while this look-up id is closed. ("" is what no key can have:
    a malformed key is simply wrong, and shares no counter with the others.)"""
    if lookup and _count("key-failures", lookup, RECEIPT_KEY_WINDOW, add=False) >= RECEIPT_KEY_FAILURES:
        return Refusal(429, MSG_KEY_LOCKED.format(hotline=_hotline()))
    return None


def receipt_key_failed(lookup: str) -> None:
    if lookup:
        _count("key-failures", lookup, RECEIPT_KEY_WINDOW, add=True)


def follow_up_pass(lookup: str) -> str:
    return signing.dumps(lookup, salt=PASS_SALT)


def follow_up_pass_valid(token: str, lookup: str) -> bool:
    try:
        return bool(lookup) and signing.loads(token, salt=PASS_SALT, max_age=PASS_SECONDS) == lookup
    except (signing.BadSignature, ValueError, TypeError):
        return False


def follow_up_gate(request, *, lookup: str) -> Refusal | None:
    """Before a receipt key is checked: a pass from the page the key opened, or the
    proof of work (or the no-JavaScript lane); then the key's own attempt limit."""
    if not follow_up_pass_valid(request.POST.get("follow_up_pass", ""), lookup):
        refusal = anonymous_gate(request, purpose=FOLLOW_UP)
        if refusal:
            return refusal
    return receipt_key_locked(lookup)
