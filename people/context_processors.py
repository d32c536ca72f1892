from django.conf import settings
from django.utils.functional import SimpleLazyObject


def roster(request):
    """`me` (the user's Person or None), `my_roles`, the hotline, and `nav`: which
    menu entries this user may use, answered by the permissions module."""
    from innovo_compliance.permissions import can

    user = getattr(request, "user", None)
    return {
        "me": getattr(request, "person", None),
        "my_roles": getattr(request, "roles", None),
        "organisation": settings.INNOVO["ORGANISATION"],
        "hotline": settings.INNOVO["HOTLINE"],
        "perms_roster_import": SimpleLazyObject(lambda: can(user, "roster.import")),
        "perms_queue": SimpleLazyObject(lambda: can(user, "queue.view")),
        "perms_inbox": SimpleLazyObject(lambda: can(user, "approvals.inbox")),
        "perms_disclosures": SimpleLazyObject(lambda: can(user, "disclosure.list")),
        "perms_certifications": SimpleLazyObject(lambda: can(user, "certifications.manage")),
    }
