"""Access rules for certifications (see the package docstring)."""

ACTIONS: dict = {}
VISIBLE: dict = {}
