#!/usr/bin/env bash
# Start the app with a Celery worker and beat on the embedded defaults:
# SQLite and a filesystem broker under var/ (nothing to install), unless
# DATABASE_URL / REDIS_URL say otherwise. Ctrl-C stops all of it.
# PORT (default 8000) is where runserver listens; the web process and the worker
# both read it, so SITE_URL's default (links in e-mails, QR codes) matches.
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DEBUG=${DEBUG:-true}
export PORT=${PORT:-8000}
mkdir -p var/celery/queue var/celery/processed
$PY -m celery -A innovo_compliance worker --beat --loglevel INFO --concurrency 2 \
    --schedule var/celery/beat-schedule > var/celery/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true; wait $worker 2>/dev/null || true' EXIT INT TERM
echo "Celery worker and beat started (log: var/celery/worker.log)."
echo "Open http://127.0.0.1:$PORT/ — demo logins are listed above."
echo "E-mail from the app and the worker: http://127.0.0.1:$PORT/dev/mailbox/ (files in ${VAR_DIR:-var}/mail/)."
$PY manage.py runserver "127.0.0.1:$PORT"
