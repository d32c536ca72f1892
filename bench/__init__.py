"""The benchmark harness of issues 6 and 12: `python -m bench [--quick]` (or `make bench`).

It builds a PostgreSQL database of a given size with `generate_scale_data`,
runs the app under gunicorn as in production, measures the pages with one
client, warm and on the first read after a write, grows a copy of the data
tenfold and measures again, with 32 concurrent clients too, then measures the
certificate PDFs, the bulk export and the reminder dispatch through the app's
own services. `python -m bench.peer` (`make bench-peer`) measures
django-helpdesk beside us at the same size and merges the ratios into the report.
It prints a table with PASS/FAIL for each budget and writes `docs/performance.json` and `docs/performance.md`.

The parent process never imports Django: everything that needs the app runs in
a subprocess (gunicorn, `manage.py`, `python -m bench.jobs`), with the
environment a production deployment would have.
"""
