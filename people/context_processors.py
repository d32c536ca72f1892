from django.conf import settings
from django.utils.functional import SimpleLazyObject

from innovo_compliance.navigation import menu


def roster(request):
    """`me` (the user's Person or None), `my_roles`, the hotline, and `nav`: the
    menu, each entry offered only when the permissions module says the user may
    use it (innovo_compliance/navigation.py)."""
    return {
        "me": getattr(request, "person", None),
        "my_roles": getattr(request, "roles", None),
        "organisation": settings.INNOVO["ORGANISATION"],
        "hotline": settings.INNOVO["HOTLINE"],
        "nav": SimpleLazyObject(lambda: menu(request)),
    }
