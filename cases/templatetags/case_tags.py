"""`{{ text|refs_unbroken }}`: case references inside a sentence never break at their
hyphens (each is wrapped in `<span class="ref">`, which does not wrap)."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

REFERENCE = re.compile(r"\b([A-Z]{1,3}-\d{4}-\d{6})\b")


@register.filter(needs_autoescape=True)
def refs_unbroken(text, autoescape=True) -> str:
    escaped = conditional_escape(text) if autoescape else str(text)
    return mark_safe(REFERENCE.sub(r'<span class="ref">\1</span>', str(escaped)))  # noqa: S308 (escaped above)
