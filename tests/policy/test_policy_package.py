"""The policy package stays pure Python (STYLE.md) and re-exports its API."""

import ast
import inspect
import pathlib
import re

import policy

POLICY_DIR = pathlib.Path(policy.__file__).parent
STDLIB_ALLOWED = {"dataclasses", "enum", "decimal", "datetime", "calendar", "typing", "collections", "policy"}


def test_policy_imports_only_the_stdlib_app1():
    """APP-1 (and STYLE.md): no Django, nothing outside a small stdlib set."""
    for path in POLICY_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in STDLIB_ALLOWED, f"{path.name} imports {name}"


RULE_ID = re.compile(r"\b[A-Z]{2,5}-\d+\b")


def test_every_public_function_docstring_names_a_rule_id_app1():
    """APP-1: every public function and property in the package cites a rule id."""
    missing = []
    for path in sorted(POLICY_DIR.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                if node.name == "label":
                    continue  # display text, no rule behind it
                doc = ast.get_docstring(node) or ""
                if not RULE_ID.search(doc):
                    missing.append(f"{path.name}:{node.name}")
    assert missing == []


def test_every_exported_name_exists():
    """APP-1: the package re-exports what other code imports."""
    for name in policy.__all__:
        assert getattr(policy, name) is not None
        obj = getattr(policy, name)
        if inspect.isfunction(obj):
            assert obj.__doc__


def test_modules_stay_small():
    """STYLE.md: modules stay under about 400 lines."""
    for path in POLICY_DIR.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 400, path.name
