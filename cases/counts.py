"""Per-viewer aggregates over cases (queue counts, home panels, inbox tabs), cached
until the next write.

Counting every case a viewer may see costs a scan; between writes the answer
cannot change, so it is kept in the cache under two version numbers: the cases
version, bumped by `record_event` (every change to a case writes an event)
immediately and again when its transaction commits, and the roles version,
bumped by every roster write. A reader never keeps a count older than the last
committed write (tests/cases/test_counts_read_after_write.py).
"""

from __future__ import annotations

from django.core.cache import cache

CASES_VERSION_KEY = "cases-version"
COUNTS_CACHE_SECONDS = 300


def cases_changed() -> None:
    """Any write to cases: cached counts are recomputed on the next read."""
    try:
        cache.incr(CASES_VERSION_KEY)
    except ValueError:
        cache.set(CASES_VERSION_KEY, 2, None)


def cached_for(user, name: str, compute):
    """A per-user aggregate over cases, kept until any case or roster write."""
    from people.selectors import _VERSION_KEY as ROLES_VERSION_KEY

    versions = cache.get_many([CASES_VERSION_KEY, ROLES_VERSION_KEY])
    key = f"agg:{versions.get(CASES_VERSION_KEY, 1)}:{versions.get(ROLES_VERSION_KEY, 1)}:{user.pk}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, COUNTS_CACHE_SECONDS)
    return value
