"""Settings for the probation platform, read from environment variables.

Defaults are safe for production (DEBUG off, secure cookies, HSTS); the
development command sets ``DEBUG=true`` and a local ``SECRET_KEY`` explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.limits import REQUEST_BODY_MAX_BYTES

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-true-0123456789"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "core",
    "audit",
    "organisation",
    "accounts",
    "people",
    "sentences",
    "risk",
    "supervision",
    "unpaid_work",
    "commissioning",
    "programmes",
    "referrals",
    "portal",
    "demo",
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "core.middleware.RequestLimitsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.DefaultDenyMiddleware",
    # Last: refuses writes in read-only mode after access is decided, and is the first
    # to see a view's database failure (ADR 22).
    # Idempotency-Key on API POSTs (ADR 22): wraps the operation and its stored answer in
    # one transaction; steps aside in read-only mode.
    "core.idempotency.IdempotencyMiddleware",
    "core.outages.ReadOnlyMiddleware",
]

# Input limits (ADR 0015): bodies without files up to 1 MB; uploads spill to disk past
# 2.5 MB; any request beyond core.limits.REQUEST_MAX_BYTES is refused unread.
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

ROOT_URLCONF = "probation.urls"
WSGI_APPLICATION = "probation.wsgi.application"

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
                "portal.context_processors.platform",
            ],
        },
    },
]

# Database: SQLite is the embedded default; PostgreSQL in production via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers up front, which keeps the audit
    # hash chain linear without "database is locked" surprises mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Reports and dashboards read from a replica when one is configured (ADR 22,
# core/replicas.py: views marked @reads_from_replica); everything else, and every
# write, uses the primary. Tests mirror the primary: no second server is needed.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"

# Sign-in throttling limits and delays are effective-dated policy values
# (core/policy.py, "sign_in_*"); the counters live in accounts.SignInThrottle (ADR 12).

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Sessions: short idle timeout, renewed on activity, never readable by scripts.
# The database store, except that in read-only mode a session the database refuses to
# update is left as it was rather than failing the request (core/sessions.py, ADR 22).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append to X-Forwarded-For. The client address
# is the rightmost entry a trusted proxy added (core.middleware.client_address); 0
# means REMOTE_ADDR. Behind the TLS proxy the default is that one proxy.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if BEHIND_TLS_PROXY else "0"))
X_FRAME_OPTIONS = "DENY"

SERVICE_NAME = "Probation Service platform"

# Outages and read-only mode (ADR 22, core/outages.py). When the database is unavailable
# every request answers 503 with Retry-After: SERVICE_UNAVAILABLE_RETRY_AFTER seconds.
# Read-only mode: READ_ONLY=true (read at start), or the flag file READ_ONLY_FLAG_FILE
# existing (checked on every request: `manage.py read_only on|off`, no restart needed).
# A database that refuses writes switches this process to read-only for
# READ_ONLY_REMEMBER_SECONDS. Refused writes answer 503 with Retry-After: READ_ONLY_RETRY_AFTER.
SERVICE_UNAVAILABLE_RETRY_AFTER = int(os.environ.get("SERVICE_UNAVAILABLE_RETRY_AFTER", "30"))
READ_ONLY = env_bool("READ_ONLY", False)
READ_ONLY_FLAG_FILE = Path(os.environ.get("READ_ONLY_FLAG_FILE", str(BASE_DIR / "var" / "read-only")))
READ_ONLY_RETRY_AFTER = int(os.environ.get("READ_ONLY_RETRY_AFTER", "300"))
READ_ONLY_REMEMBER_SECONDS = int(os.environ.get("READ_ONLY_REMEMBER_SECONDS", "30"))
# How long an API client's Idempotency-Key is remembered (core/idempotency.py); the
# scheduled `purge_idempotency_keys` deletes older ones.
IDEMPOTENCY_KEY_HOURS = 24

# Audit checkpoints (ADR 13): `checkpoint_audit` signs the chain's head with this key
# (HMAC-SHA256; kept apart from SECRET_KEY) and writes it to the log and this directory.
AUDIT_CHECKPOINT_KEY = os.environ.get("AUDIT_CHECKPOINT_KEY", "")
AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("AUDIT_CHECKPOINT_DIR", str(BASE_DIR / "var" / "audit-checkpoints"))
)

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Each audit checkpoint is also a log line, kept whatever LOG_LEVEL says (ADR 13).
        "audit.checkpoint": {"level": "INFO"},
    },
}

# The Unpaid Work planner answers within this many seconds (it stops early at a 1% gap).
UPW_PLANNER_SECONDS = float(os.environ.get("UPW_PLANNER_SECONDS", "20"))
UPW_PLANNER_MAX_DAYS = 28  # the longest horizon the planner takes at once

# Email (the Selection Questionnaire result). Printed to the console unless a real
# backend is configured, e.g. EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend
# with EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and EMAIL_USE_TLS.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "false").lower() == "true"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "probation-platform@localhost")

# Background jobs (ADR 21): Django's tasks API (the django-tasks backport until Django
# 6.0) on its database backend, so SQLite stays the embedded default and on PostgreSQL
# many workers share the queue (`manage.py db_worker`, with `manage.py run_scheduler`
# beside it). Another backend (RQ, Celery...) is a change here, not in task code.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend"),
    }
}
# A running job's worker writes a heartbeat this often; a job whose heartbeat is older
# than JOBS_STALE_SECONDS is taken to have lost its worker and is queued again.
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "30"))
JOBS_STALE_SECONDS = int(os.environ.get("JOBS_STALE_SECONDS", "300"))
JOBS_RETRY_DELAY_SECONDS = int(os.environ.get("JOBS_RETRY_DELAY_SECONDS", "30"))
# How often the scheduler wakes to reap stale jobs and start periodic ones.
JOBS_SCHEDULER_SECONDS = float(os.environ.get("JOBS_SCHEDULER_SECONDS", "30"))
# Tiers are recalculated in batches of this many people, one audit row per batch.
TIER_BATCH_SIZE = int(os.environ.get("TIER_BATCH_SIZE", "500"))
