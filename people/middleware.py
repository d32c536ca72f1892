"""Attach the signed-in user's roster entry and today's roles to the request.

The roster entry comes with the user (people.backends loads them in one query);
the roles are computed lazily and at most once per request, so a page that asks
"is this user the compliance officer?" ten times costs the queries once.
"""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from people.selectors import cached_roles_on, person_for_user
from policy.roles import Roles


def _roles(request):
    person = request.person
    if not person:
        return Roles(is_employee=False, rank=None)
    return cached_roles_on(person, timezone.localdate())


class RosterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Not lazy: a login without a roster entry (the administrator) must read as
        # None, and a lazy wrapper around None is not None (finding 15).
        request.person = person_for_user(request.user)
        request.roles = SimpleLazyObject(lambda: _roles(request))
        return self.get_response(request)
