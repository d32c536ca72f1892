"""Settings for Innovo Compliance, read only from environment variables.

Defaults are the safe production ones (DEBUG off, secure cookies, HSTS, a strict
Content-Security-Policy). `make run` and the test suite switch DEBUG on and
use embedded services (SQLite, a filesystem broker) when nothing is configured.
"""

from pathlib import Path

from django.utils.csp import CSP

from innovo_compliance.env import (
    database_from_url,
    env_bool,
    env_dates,
    env_int,
    env_list,
    env_str,
    secret_key_file,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

# SECRET_KEY from the environment; otherwise a random key made once per installation
# and kept in VAR_DIR/secret_key (mode 0600), so a fresh install is never left with a
# known key and `manage.py` works without any configuration.
SECRET_KEY = env_str("SECRET_KEY", "") or secret_key_file(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

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
]

MIDDLEWARE = [
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
    MIDDLEWARE.insert(0, "innovo_compliance.querycount.QueryCountMiddleware")

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
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", "sqlite:///var/db.sqlite3"), base_dir=BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
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
# Django 6.1's MAILERS: SMTP in production; with DEBUG on, mail is printed to the console.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
_mail_options = {}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
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
REDIS_URL = env_str("REDIS_URL", "")
CELERY_FS_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
else:
    CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_FS_DIR / "queue"),
        "data_folder_out": str(CELERY_FS_DIR / "queue"),
        "processed_folder": str(CELERY_FS_DIR / "processed"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(CELERY_FS_DIR / "beat-schedule")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL", REDIS_URL),
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
    "HOTLINE": env_str("AUDIT_COMMITTEE_HOTLINE", "(866) 803-1540"),
    # Abuse controls that track nobody (innovo_compliance/abuse.py, people/throttle.py).
    "PROOF_OF_WORK_MAX": env_int("PROOF_OF_WORK_MAX", 2_000_000),
    "NO_JS_ANONYMOUS_PER_MINUTE": env_int("NO_JS_ANONYMOUS_PER_MINUTE", 10),
    "LOGIN_FAILURES_BEFORE_LOCK": env_int("LOGIN_FAILURES_BEFORE_LOCK", 10),
    "LOGIN_LOCK_MINUTES": env_int("LOGIN_LOCK_MINUTES", 15),
    "SIGNING_KEY": Path(env_str("SIGNING_KEY_PATH", str(VAR_DIR / "signing" / "key.pem"))),
    "SIGNING_CERT": Path(env_str("SIGNING_CERT_PATH", str(VAR_DIR / "signing" / "cert.pem"))),
}

# --- Logging ----------------------------------------------------------------
# Access logs are the web server's; the app logs no client address or user
# agent anywhere (anonymous reporting depends on it).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
