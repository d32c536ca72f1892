"""The benchmark harness of issue 6: `python -m bench [--quick]` (or `make bench`).

It builds a PostgreSQL database of a given size with `generate_scale_data`,
runs the app under gunicorn as in production, measures the pages with one
client and with 8, grows the data tenfold and measures again, then measures the
certificate PDFs, the bulk export and the reminder dispatch through the app's
own services. It prints a table with PASS/FAIL for each budget of the issue and
writes `docs/performance.json` and `docs/performance.md`.

The parent process never imports Django: everything that needs the app runs in
a subprocess (gunicorn, `manage.py`, `python -m bench.jobs`), with the
environment a production deployment would have.
"""
