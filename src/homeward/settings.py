"""Django settings for Homeward. Everything configurable comes from ``homeward.config``."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from homeward import config

BASE_DIR = Path(__file__).resolve().parent
HOME = config.home()

SECRET_KEY = config.secret_key()
DEBUG = config.flag("HOMEWARD_DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("HOMEWARD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")]
if config.flag("HOMEWARD_TESTING"):
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "homeward.accounts",
    "homeward.registry",
    "homeward.names",
    "homeward.linkage",
    "homeward.ledger",
    "homeward.exchange",
    "homeward.returns",
    "homeward.figures",
    "homeward.jobs",
    "homeward.notifications",
]

MIDDLEWARE = [
    "homeward.middleware.RequestLogMiddleware",
    "homeward.uploads.UploadLimitMiddleware",  # before anything reads a body
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "homeward.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "homeward.middleware.BearerApiMiddleware",  # an API request with a bearer token is the token's alone
    "homeward.accounts.twofactor.OTPMiddleware",  # django-otp's, its device read by one prepared statement
    "homeward.accounts.twofactor.TwoFactorMiddleware",
    "homeward.ui.timezones.TimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "homeward.middleware.NotFoundMiddleware",
]

# Uploads: refused by declared size before they are read, and stopped while streaming (homeward.uploads).
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "homeward.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

ROOT_URLCONF = "homeward.urls"
WSGI_APPLICATION = "homeward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "homeward.context_processors.homeward",
                "homeward.notifications.context_processors.bell",
            ],
            "builtins": ["homeward.ui.tags"],
        },
    },
]

_db_url = os.environ.get("HOMEWARD_DATABASE_URL")
if _db_url:
    # Persistent connections: each server thread keeps its own for up to a minute instead of opening one per
    # request (the pool is bounded by the server's threads: waitress's, or each gunicorn process's), and checks
    # a reused one before a request uses it, so a restarted PostgreSQL costs no failed request.
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(HOME / "homeward.sqlite3"),
            # A 64 MB page cache per connection (SQLite's default is 2 MB, smaller than the name index at any
            # size): list imports write their search keys ~0.6 s faster per 10,000 rows (docs/benchmarks.md).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
            },
        }
    }

AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend; a session's user is loaded with their party (one query fewer per page).
AUTHENTICATION_BACKENDS = ["homeward.accounts.backends.ModelBackend"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
if config.flag("HOMEWARD_TESTING"):
    # Argon2 is deliberately slow; tests use a fast hasher. Production never sets this flag.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Failed-login throttling (accounts.throttle): this many failures per username or address per window.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60

# API tokens (accounts.tokens): lifetime in days (the most a token request may ask for) and how many
# active tokens one user may hold.
API_TOKEN_DAYS = int(os.environ.get("HOMEWARD_API_TOKEN_DAYS", "30"))
API_TOKEN_MAX_ACTIVE = 20

# Two-factor sign-in (accounts.twofactor, django-otp): the roles that must use it (anyone may enrol).
TWO_FACTOR_ROLES = frozenset({"mediator_admin", "mediator_caseworker", "party_officer"})
OTP_TOTP_ISSUER = os.environ.get("HOMEWARD_OTP_ISSUER", "Homeward")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("uk", "Українська"), ("ru", "Русский"), ("ar", "العربية")]
LANGUAGES_BIDI = ["ar"]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise serves from the app directories (finders) and warns if this is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": HOME / "files"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"  # widgets may use the project's templates
CSRF_FAILURE_VIEW = "homeward.ui.errors.csrf_failure"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Security defaults: cookies are HttpOnly and SameSite; Secure when served over HTTPS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
_https = config.flag("HOMEWARD_HTTPS")
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = _https
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
# The interactive API docs page (Swagger UI) sets inline styles; it gets a policy of its own.
CONTENT_SECURITY_POLICY_API_DOCS = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

# Logs: one key=value line per event with its request id or job, never personal data (homeward.logs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "homeward.logs.ContextFilter"}},
    "formatters": {"kv": {"()": "homeward.logs.KeyValueFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv", "filters": ["context"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"homeward": {"level": os.environ.get("HOMEWARD_LOG_LEVEL", "INFO").upper()},
                "waitress": {"level": "INFO"}},
}

# The ledger: the checkpoint origin line (name the log after its operator) and the signing interval.
LEDGER_ORIGIN = os.environ.get("HOMEWARD_LEDGER_ORIGIN", "homeward.local/ledger")
LEDGER_CHECKPOINT_INTERVAL = int(os.environ.get("HOMEWARD_CHECKPOINT_INTERVAL", "300"))
# Checkpoints round the log up to a multiple of this many entries with sealed padding, and parties see the log
# only up to the latest checkpoint, so growth shows in steps of LEDGER_PAD (docs/ledger.md). 0 or 1: off.
LEDGER_PAD = int(os.environ.get("HOMEWARD_LEDGER_PAD", "0" if config.flag("HOMEWARD_TESTING") else "64"))

# Background work goes through the task queue (homeward.jobs; django-tasks on the database backend), run by
# `homeward worker` (and the worker that `homeward serve` starts beside the server). Off: jobs run inline.
BACKGROUND_JOBS = True
# Continuous matching: every saved child or tracing request is matched in the background against the other
# side's records (homeward.registry.continuous); likely pairs enter the mediator's review queue.
CONTINUOUS_MATCHING = True
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "matching"]}}

# E-mail (notifications): Django's mail backend, the console in the demo. HOMEWARD_EMAIL_BACKEND=smtp sends
# through HOMEWARD_EMAIL_HOST/PORT/USER/PASSWORD (TLS with HOMEWARD_EMAIL_TLS=1); links use HOMEWARD_BASE_URL.
_email_backends = {"console": "django.core.mail.backends.console.EmailBackend",
                   "smtp": "django.core.mail.backends.smtp.EmailBackend"}
_email_backend = os.environ.get("HOMEWARD_EMAIL_BACKEND", "console")
EMAIL_BACKEND = _email_backends.get(_email_backend, _email_backend)
EMAIL_HOST = os.environ.get("HOMEWARD_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("HOMEWARD_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HOMEWARD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HOMEWARD_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = config.flag("HOMEWARD_EMAIL_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("HOMEWARD_EMAIL_FROM", "homeward@localhost")
HOMEWARD_BASE_URL = os.environ.get("HOMEWARD_BASE_URL", "http://127.0.0.1:8000")
