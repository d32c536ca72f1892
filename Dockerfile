# The app's image, for docker-compose.yml (web, worker, beat and the one-shot migrate).
# Built from the hash-locked requirements.lock; static files are collected here, at
# build time, not at every start. Runs as a fixed non-root uid (10001) and needs no
# write access outside VAR_DIR and /tmp, so compose can mount the root read-only.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango/HarfBuzz for WeasyPrint; Noto fonts (CJK included) so that certificates print
# Chinese, Japanese and Korean names, not empty boxes; the PostgreSQL 15 client
# (same major version as the db service) for `manage.py backup` / `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
       fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
       postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid 10001 innovo \
    && useradd --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin innovo

WORKDIR /app
COPY requirements.lock .
RUN pip install --require-hashes --no-deps -r requirements.lock

COPY . .
ENV STATIC_ROOT=/app/staticfiles \
    VAR_DIR=/srv/innovo/var
# A throwaway key and VAR_DIR for collectstatic only: nothing secret stays in the image.
RUN SECRET_KEY=build-time-only-collectstatic-0123456789-abcdefghijklmnopqrstuvwxyz \
    VAR_DIR=/tmp/build-var python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var \
    && mkdir -p /srv/innovo/var && chown 10001:10001 /srv/innovo/var

USER 10001:10001
EXPOSE 8000
# gunicorn is PID 1 (exec form, no shell): `docker stop` sends it SIGTERM and it lets
# the requests in flight finish (graceful_timeout in gunicorn.conf.py).
STOPSIGNAL SIGTERM
CMD ["gunicorn", "--config", "gunicorn.conf.py", "innovo_compliance.wsgi"]
