"""Wrong passwords and reset requests are counted per account, not per client
(issue 9, finding 11: before, 50 wrong passwords and then the right one logged in).

- **Login**: after LOGIN_FAILURES_BEFORE_LOCK wrong passwords for one username
  within LOGIN_LOCK_MINUTES, that username is locked for LOGIN_LOCK_MINUTES: no
  password is checked, and the form says so and until when. Other accounts are
  not affected. The count is per username typed, whether or not it exists, so
  the answer never tells which usernames exist. A successful login or a
  password reset clears it.
- **Password reset**: at most RESETS_PER_HOUR requests per e-mail address typed
  (whether or not it belongs to anyone), so nobody can flood a mailbox.
- **Signing with a password** (certifications) counts like a login attempt.

Why our own module and not django-axes: axes keeps the client's address and
user agent in its tables and logs by default, has no per-address throttle for
password reset, and we need about sixty lines. Nothing here stores an address, a
user agent or a session: the cache holds counters named by a keyed hash of the
username or e-mail address (docs/decisions/0004-abuse-controls-without-tracking.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import salted_hmac

RESETS_PER_HOUR = 3


def _name(kind: str, value: str) -> str:
    digest = salted_hmac(f"innovo.throttle.{kind}", value.strip().lower(), algorithm="sha256").hexdigest()
    return f"throttle:{kind}:{digest[:32]}"


def _limits() -> tuple[int, int]:
    return settings.INNOVO["LOGIN_FAILURES_BEFORE_LOCK"], settings.INNOVO["LOGIN_LOCK_MINUTES"] * 60


def locked_until(username: str) -> datetime | None:
    """When this username's lock ends, or None if it is not locked."""
    until = cache.get(_name("login-lock", username))
    if until is None:
        return None
    until = datetime.fromtimestamp(until, tz=timezone.get_current_timezone())
    return until if until > timezone.now() else None


def login_failed(username: str) -> datetime | None:
    """Count a wrong password; returns when the lock ends if this one locked it."""
    limit, seconds = _limits()
    key = _name("login-failures", username)
    if cache.add(key, 1, seconds):
        count = 1
    else:
        try:
            count = cache.incr(key)
            cache.touch(key, seconds)  # the file cache's incr resets the timeout
        except ValueError:
            cache.set(key, 1, seconds)
            count = 1
    if count < limit:
        return None
    until = timezone.now() + timedelta(seconds=seconds)
    cache.set(_name("login-lock", username), until.timestamp(), seconds)
    cache.delete(key)
    return until


def login_succeeded(username: str) -> None:
    cache.delete_many([_name("login-failures", username), _name("login-lock", username)])


def lock_message(until: datetime) -> str:
    local = timezone.localtime(until)
    return (
        f"Too many wrong passwords were entered for this account, so it is locked until "
        f"{local:%H:%M} ({settings.TIME_ZONE} time). Try again then, or reset your password "
        "with “Forgot your password?”."
    )


class AccountLocked(ValidationError):
    """A form error: this account is locked (the message says until when)."""


def check_password(user, password: str) -> bool:
    """`user.check_password`, counted like a login (signing a certificate asks for
    the password too). Raises AccountLocked while the account is locked."""
    username = user.get_username()
    until = locked_until(username)
    if until is None and user.check_password(password):
        login_succeeded(username)
        return True
    until = until or login_failed(username)
    if until:
        raise AccountLocked(lock_message(until), code="locked")
    return False


def reset_requested(email: str) -> bool:
    """Count a reset request for this address; False when over the hourly limit."""
    bucket = int(timezone.now().timestamp() // 3600)
    key = f"{_name('password-reset', email)}:{bucket}"
    if cache.add(key, 1, 7200):
        return True
    try:
        return cache.incr(key) <= RESETS_PER_HOUR
    except ValueError:
        cache.set(key, 1, 7200)
        return True


RESET_MESSAGE = (
    "Several reset links were already sent to this address in the last hour. Check your inbox and "
    "spam folder, or try again in an hour."
)
