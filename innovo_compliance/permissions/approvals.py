"""Access rules for filings and decisions (see the package docstring)."""

ACTIONS: dict = {}
VISIBLE: dict = {}
