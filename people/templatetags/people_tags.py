"""`{{ user|full_name }}`: the roster name of a login (never its username when a
name is known), the same name the rest of the app shows."""

from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()


@register.filter
def full_name(user) -> str:
    if user is None:
        return "System"
    try:
        return user.person.name
    except (ObjectDoesNotExist, AttributeError):
        return user.get_full_name() or user.get_username()
