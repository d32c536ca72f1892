"""Template tags for the anonymous forms' abuse controls (innovo_compliance/abuse.py)."""

from django import template

from cases.services.receipts import lookup_of
from innovo_compliance import abuse

register = template.Library()


@register.inclusion_tag("abuse/_pow.html")
def pow_fields(purpose: str = abuse.REPORT):
    """A fresh signed challenge, the field the browser fills, and what happens
    without JavaScript."""
    return {"challenge": abuse.pow_challenge(purpose), "no_js_per_minute": abuse.no_js_per_minute()}


@register.simple_tag
def follow_up_pass(key: str) -> str:
    """Lets the page a key opened send an answer without a second proof of work."""
    return abuse.follow_up_pass(lookup_of(key))
