"""Test settings: the production settings module, with test defaults for the
environment variables it reads. Anything set in the environment (DATABASE_URL,
REDIS_URL in CI) wins over these defaults."""

import os
import tempfile
from urllib.parse import urlparse, urlunparse

os.environ.setdefault("SECRET_KEY", "test-secret-key-for-the-suite-only-" + "k" * 32)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="innovo-test-"))
os.environ.setdefault("TIME_ZONE", "America/Los_Angeles")
os.environ.setdefault("PROOF_OF_WORK_MAX", "1000")  # tests solve it in Python (tests/pow.py)
# In-process tests use plain connections; the connection pool (the production
# default) is exercised by the tests that start gunicorn (tests/deploy/).
os.environ.setdefault("DATABASE_POOL", "false")

# Tests get their own Redis database number, apart from a running app's.
_redis = os.environ.get("REDIS_URL", "")
if _redis:
    _parsed = urlparse(_redis)
    # Under pytest-xdist each worker (gw0, gw1...) takes the next number down, so one
    # worker's Celery worker never runs another's tasks against the wrong database.
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    _db = int(os.environ.get("TEST_REDIS_DB", "13")) - (int(_worker) if _worker.isdigit() else 0)
    os.environ["REDIS_URL"] = urlunparse(_parsed._replace(path=f"/{_db}"))

from innovo_compliance.settings import *  # noqa: E402,F403
from innovo_compliance.settings import REDIS_URL  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks run inline unless a test starts a real worker (tests/conftest.py: celery_worker).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 (whitenoise warns when it is missing)
