"""The peer of issue 12: django-helpdesk 2.3.3, measured beside the app (`make bench-peer`).

Only configuration lives here, no code of the peer: a minimal Django project that
serves helpdesk (`settings`, `urls`, `wsgi`; they run in the peer's own virtual
environment, `var/bench-peer/venv`, with the Django version it requires), the
generator that fills its database to the size of ours with the project's own
distributions (`generate`, run in the app's environment), and the interleaved
measurement (`run`, `python -m bench.peer`).

Nothing in this package imports the app or Django at import time: the peer's
settings module is imported by the peer's Django.
"""
