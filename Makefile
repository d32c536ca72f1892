# The documented commands. `make run` and `make test` set everything up by themselves.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format check-migrations lock bench bench-quick bench-peer clean help

help:
	@echo "make run    - set up and start the app with demo data, a worker and beat (http://127.0.0.1:8000; PORT=8123 make run for another port)"
	@echo "make test   - run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make lint   - ruff and the migrations drift check"
	@echo "make lock   - regenerate requirements.lock / requirements-dev.lock (hashes) after editing requirements*.txt"

# The venv installs the hash-locked files; requirements*.txt are what we edit.
$(STAMP): requirements.txt requirements-dev.txt requirements.lock requirements-dev.lock
	@test -x $(PY) || "$$(bash scripts/find-python.sh)" -m venv $(VENV)
	@$(PY) scripts/check_lock.py
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG:-true} $(PY) manage.py make_signing_key
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --noinput
	@mkdir -p var/celery/queue var/celery/processed
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo
	bash scripts/run.sh

# Two processes on the two cores we plan for; tests that share the deployment stack stay
# together (xdist_group "stack"). PYTEST_ARGS= runs everything in one process.
PYTEST_ARGS ?= -n 2 --dist loadgroup
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP) check-migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Every transitive dependency pinned with its hashes, from the pins we edit. Needs only
# pip-tools (the version requirements-dev.txt pins) and the package index pip is set up
# to use; run it after changing requirements.txt or requirements-dev.txt.
PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host
lock:
	@test -x $(PY) || "$$(bash scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet "$$(grep -i '^pip-tools==' requirements-dev.txt)"
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --constraint requirements.lock --output-file requirements-dev.lock requirements-dev.txt
	$(PY) scripts/check_lock.py

check-migrations: $(STAMP)
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

bench-quick: $(STAMP)
	$(PY) -m bench --quick $(BENCH_ARGS)

# The peer of issue 12, django-helpdesk, in its own virtual environment (its own Django).
PEER_VENV := var/bench-peer/venv

$(PEER_VENV)/.installed: bench/peer/requirements.txt
	$(PY) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/pip install -q -r bench/peer/requirements.txt
	touch $@

bench-peer: $(STAMP) $(PEER_VENV)/.installed
	$(PY) -m bench.peer $(PEER_ARGS)

clean:
	rm -rf var/db.sqlite3 var/celery var/cache var/staticfiles
