#!/usr/bin/env bash
# Start the app with a Celery worker and beat on the embedded defaults:
# SQLite and a filesystem broker under var/ (nothing to install), unless
# DATABASE_URL / REDIS_URL say otherwise. Ctrl-C stops all of it.
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DEBUG=${DEBUG:-true}
mkdir -p var/celery/queue var/celery/processed
$PY -m celery -A innovo_compliance worker --beat --loglevel INFO --concurrency 2 \
    --schedule var/celery/beat-schedule > var/celery/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
echo "Celery worker and beat started (log: var/celery/worker.log)."
echo "Open http://127.0.0.1:8000/ — demo logins are listed above."
$PY manage.py runserver 127.0.0.1:${PORT:-8000}
