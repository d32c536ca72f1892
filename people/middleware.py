"""Attach the signed-in user's roster entry and today's roles to the request.

Both are computed lazily and at most once per request, so a page that asks
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
        request.person = SimpleLazyObject(lambda: person_for_user(request.user))
        request.roles = SimpleLazyObject(lambda: _roles(request))
        return self.get_response(request)
