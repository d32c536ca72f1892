"""Solving the anonymous forms' proof of work in tests, as the browser does
(static/js/pow.js); tests/settings.py makes it cheap (PROOF_OF_WORK_MAX)."""

import re

from innovo_compliance import abuse


def pow_ok(purpose: str = abuse.REPORT) -> dict:
    """The two fields a browser with JavaScript sends: a fresh challenge and its solution."""
    challenge = abuse.pow_challenge(purpose)
    return {"pow_challenge": challenge.token, "pow_solution": str(abuse.pow_solve(challenge))}


def no_js(purpose: str = abuse.REPORT) -> dict:
    """What a browser without JavaScript sends: the challenge, unsolved."""
    return {"pow_challenge": abuse.pow_challenge(purpose).token, "pow_solution": ""}


def hidden(response, name: str) -> str:
    """The value of a hidden field on a page."""
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', response.content.decode())
    assert found, f"no hidden field {name} on the page"
    return found.group(1)
