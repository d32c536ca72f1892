from django.utils.functional import SimpleLazyObject


def _open_deficiencies(request):
    from governance.selectors import open_cases_for_banner
    from innovo_compliance.permissions import can

    user = getattr(request, "user", None)
    if user is None or not can(user, "governance.banner"):
        return []
    return open_cases_for_banner()


def banner(request):
    """`governance_open`: the open board deficiencies (BOARD-1, BOARD-2) for the
    compliance officer and the board liaison, on every page until cured. One
    cached query at most, forgotten on every write (governance.services)."""
    return {"governance_open": SimpleLazyObject(lambda: _open_deficiencies(request))}
