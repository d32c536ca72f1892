"""Access rules for cases (see the package docstring)."""

ACTIONS: dict = {}
VISIBLE: dict = {}
