"""Settings for Innovo Compliance, read only from environment variables.

Defaults are the safe production ones (DEBUG off, secure cookies, HSTS, a strict
Content-Security-Policy). `make run` and the test suite switch DEBUG on and
use embedded services (SQLite, a filesystem broker) when nothing is configured.
"""

from pathlib import Path
from urllib.parse import urlparse

from django.utils.csp import CSP

from innovo_compliance.env import (
    database_from_url,
    env_bool,
    env_choice,
    env_dates,
    env_int,
    env_list,
    env_secret,
    env_str,
    env_url,
    secret_key_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

# SECRET_KEY (or SECRET_KEY_FILE, a Docker secret) from the environment; otherwise a
# random key made once per installation and kept in VAR_DIR/secret_key (mode 0600), so
# a fresh install is never left with a known key and `manage.py` works without any
# configuration. Several machines must share one key: set it (docs/deploy.md).
SECRET_KEY = env_secret("SECRET_KEY") or secret_key_file(VAR_DIR / "secret_key")

# The port `make run` serves on (runserver); SITE_URL's default follows it, so the
# links in e-mails, certificate QR codes and exports point where the app answers.
PORT = env_int("PORT", 8000, minimum=1)
SITE_URL = env_url("SITE_URL", f"http://127.0.0.1:{PORT}", schemes=("http", "https")).rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", f"{urlparse(SITE_URL).hostname},127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "core",
    "people",
    "cases",
    "approvals",
    "certifications",
    "insiders",
    "governance",
    "innovo_compliance.apps.InnovoComplianceConfig",
]

MIDDLEWARE = [
    # First: /healthz/live and /healthz/ready answer before the host check and the
    # HTTPS redirect, so that container health checks work (innovo_compliance/health.py).
    "innovo_compliance.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "people.middleware.RosterMiddleware",
    # Its 400/413 pages get the shell and every header; before any body is read.
    "innovo_compliance.middleware.RequestLimitsMiddleware",
    # After the limits (it reads the form): a reload or a double click files once.
    "core.once.OnceMiddleware",
]

if env_bool("QUERY_COUNT_HEADER", False):  # benchmarks only (make bench)
    MIDDLEWARE.insert(1, "innovo_compliance.querycount.QueryCountMiddleware")

ROOT_URLCONF = "innovo_compliance.urls"
WSGI_APPLICATION = "innovo_compliance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "people.context_processors.roster",
                "governance.context_processors.banner",
            ],
        },
    },
]

# PostgreSQL through psycopg 3 with Django's connection pool (one pool per process;
# DATABASE_POOL=false falls back to persistent connections).
DATABASE_URL = env_url(
    "DATABASE_URL", "sqlite:///var/db.sqlite3", schemes=("sqlite", "postgres", "postgresql", "pgsql"), host=False
)
DATABASES = {
    "default": database_from_url(
        DATABASE_URL,
        base_dir=BASE_DIR,
        password=env_secret("DATABASE_PASSWORD"),
        pool={
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 1, minimum=0),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10, minimum=1),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1),
        }
        if env_bool("DATABASE_POOL", True)
        else None,
        connect_timeout=env_int("DATABASE_CONNECT_TIMEOUT", 5, minimum=1),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The queue's covering index (cases 0008) carries INCLUDE columns for PostgreSQL; SQLite,
# the demo's database, builds it without them, which is all the warning says.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["people.backends.RosterBackend"]
# Sessions are read from the cache (Redis in production) and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"  # the public speak-up page, with "Log in"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# The image collects static files at build time into STATIC_ROOT, outside VAR_DIR
# (a volume that would hide them).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
# Uploads, certificate PDFs and exports: on disk under VAR_DIR/private, or in an
# S3-compatible bucket when S3_BUCKET is set (several machines share it). Private
# either way: files are only ever served by views that check access first; no
# storage URL is handed out.
S3_BUCKET = env_str("S3_BUCKET", "")
if S3_BUCKET:
    _media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_url("S3_ENDPOINT_URL", "", schemes=("http", "https")) or None,
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_secret("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX", ""),
            "addressing_style": env_choice("S3_ADDRESSING_STYLE", "auto", ("auto", "path", "virtual")),
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own: private (docs/deploy.md)
            "querystring_auth": True,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "private, no-store"},
        },
    }
else:
    _media = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    }
STORAGES = {
    "default": _media,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not env_bool("STATIC_MANIFEST", not DEBUG)
# Uploaded files live outside the web root and are served only by views that
# check access first (never by a static URL).
PRIVATE_STORAGE_DIR = VAR_DIR / "private"
MEDIA_ROOT = PRIVATE_STORAGE_DIR

# Uploads: a body over MAX_REQUEST_BYTES is refused before it is read, and no file
# keeps more than 10 MB while it streams in (innovo_compliance/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "innovo_compliance.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)

# Only the app's own origin: no CDN, no inline script. Bootstrap's CSS uses
# data: URIs for icons, which name no host.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- E-mail ---------------------------------------------------------------
# Django 6.1's MAILERS: SMTP in production. With DEBUG on, every e-mail, from the web
# process and from the worker, is written to one folder, VAR_DIR/mail/, and listed at
# /dev/mailbox/ (innovo_compliance/devmail.py).
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "innovo_compliance.devmail.MailboxBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
_mail_options = {}
if EMAIL_BACKEND_PATH == "innovo_compliance.devmail.MailboxBackend":
    _mail_options = {"directory": str(VAR_DIR / "mail")}
elif EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    _mail_options = {"file_path": str(VAR_DIR / "mail")}
elif EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "compliance@innovo.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------
# With REDIS_URL set, Celery uses Redis. Without it, a filesystem broker under
# var/ needs no server, so `make run` really runs a worker and beat.
_REDIS = ("redis", "rediss")
REDIS_URL = env_url("REDIS_URL", "", schemes=_REDIS)
CELERY_FS_DIR = VAR_DIR / "celery"
_BROKERS = (*_REDIS, "amqp", "amqps", "filesystem", "memory")
if REDIS_URL:
    CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", REDIS_URL, schemes=_BROKERS, host=False)
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", "filesystem://", schemes=_BROKERS, host=False)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_DIR / "queue"),
        "data_folder_out": str(CELERY_FS_DIR / "queue"),
        "processed_folder": str(CELERY_FS_DIR / "processed"),
        "store_processed": False,
        # kombu's default is ./control (the working directory): keep it under var/ too.
        "control_folder": str(CELERY_FS_DIR / "control"),
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 2, minimum=1)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_FS_DIR / "beat-schedule")
# Logs go through LOGGING below (plain or JSON), in the worker too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
if REDIS_URL:
    # One beat for a whole fleet: celery-redbeat keeps the schedule in Redis and a
    # lock, so a second beat (another machine, a restarted container) waits and
    # takes over only when the first stops. Without Redis (`make run`) the worker
    # embeds the one beat.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
    CELERY_REDBEAT_KEY_PREFIX = "innovo:redbeat:"
    CELERY_BEAT_MAX_LOOP_INTERVAL = 30
    CELERY_REDBEAT_LOCK_TIMEOUT = 150  # a beat that died without releasing the lock is replaced after this
# Beat sends a heartbeat task this often; /healthz/ready fails when a worker has not
# run one for HEALTH_BEAT_MAX_AGE seconds (beat or every worker down).
HEALTH_BEAT_MAX_AGE = env_int("HEALTH_BEAT_MAX_AGE", 300, minimum=1)

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_url("CACHE_URL", REDIS_URL, schemes=_REDIS),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- The Code's configurable numbers ------------------------------------------
INNOVO = {
    "ORGANISATION": env_str("ORGANISATION_NAME", "Innovo Group Inc."),
    "NEW_HIRE_CERTIFICATION_DAYS": env_int("NEW_HIRE_CERTIFICATION_DAYS", 30),
    "GIFT_OCCASIONAL_LIMIT": env_int("GIFT_OCCASIONAL_LIMIT", 2),
    "WAIVER_DISCLOSURE_BUSINESS_DAYS": env_int("WAIVER_DISCLOSURE_BUSINESS_DAYS", 4),
    "HOLIDAYS": env_dates("HOLIDAYS"),
    # Insider trading (insiders/, policy/insiders.py): INS-4.
    "BLACKOUT_DAYS_BEFORE_QUARTER_END": env_int("BLACKOUT_DAYS_BEFORE_QUARTER_END", 15, minimum=0),
    "BLACKOUT_TRADING_DAYS_AFTER_RELEASE": env_int("BLACKOUT_TRADING_DAYS_AFTER_RELEASE", 2, minimum=0),
    "PRECLEARANCE_VALID_TRADING_DAYS": env_int("PRECLEARANCE_VALID_TRADING_DAYS", 3, minimum=1),
    "HOTLINE": env_str("AUDIT_COMMITTEE_HOTLINE", "(866) 803-1540"),
    # Abuse controls that track nobody (innovo_compliance/abuse.py, people/throttle.py).
    "PROOF_OF_WORK_MAX": env_int("PROOF_OF_WORK_MAX", 2_000_000),
    "NO_JS_ANONYMOUS_PER_MINUTE": env_int("NO_JS_ANONYMOUS_PER_MINUTE", 10),
    "LOGIN_FAILURES_BEFORE_LOCK": env_int("LOGIN_FAILURES_BEFORE_LOCK", 10),
    "LOGIN_LOCK_MINUTES": env_int("LOGIN_LOCK_MINUTES", 15),
    "SIGNING_KEY": Path(env_str("SIGNING_KEY_PATH", str(VAR_DIR / "signing" / "key.pem"))),
    "SIGNING_CERT": Path(env_str("SIGNING_CERT_PATH", str(VAR_DIR / "signing" / "cert.pem"))),
    # After a key rotation: the earlier signing certificates (PEM files, several per
    # file allowed), so that certificates signed before it still verify.
    "SIGNING_PREVIOUS_CERTS": tuple(Path(p) for p in env_list("SIGNING_PREVIOUS_CERTS_PATHS")),
}


# --- Logging and errors -------------------------------------------------------
# Access logs are gunicorn's (gunicorn.conf.py: path without query string, no client
# address); the app logs no client address or user agent anywhere (anonymous
# reporting depends on it). LOG_FORMAT=json gives one JSON object per line.
LOG_FORMAT = env_choice("LOG_FORMAT", "plain", ("plain", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "innovo_compliance.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# Server errors: mailed to ADMINS (Django's mail_admins) and/or sent to Sentry (or
# GlitchTip, which speaks its protocol) when SENTRY_DSN is set. Either way without
# personal data: no request body, query string, cookies, headers, client address or
# local variables (innovo_compliance/errors.py).
ADMINS = env_list("ADMINS")
DEFAULT_EXCEPTION_REPORTER = "innovo_compliance.errors.ScrubbingExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "innovo_compliance.errors.ScrubbingExceptionReporterFilter"
SENTRY_DSN = env_url("SENTRY_DSN", "", schemes=("http", "https"))
if SENTRY_DSN:
    from innovo_compliance.errors import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))
