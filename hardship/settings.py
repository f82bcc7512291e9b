"""Settings for the union hardship-assistance system.

Everything that differs between a laptop and production comes from environment variables
with working defaults; a value that cannot be parsed stops the process with a clear error.
"""

import json
import os
import secrets
import sys
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Off unless asked for: a server started with nothing configured behaves as production.
# `make demo` and the test suite (tests/settings.py) turn it on. The commands that only
# write source files (migrations, the catalogue) serve nothing and sign nothing: they run
# with the development settings when DEBUG is not set, so a bare checkout can check them.
SOURCE_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}
DEBUG = envbool("DEBUG", len(sys.argv) > 1 and sys.argv[1] in SOURCE_COMMANDS)
SECRET_KEY_MIN_LENGTH = 50  # what Django's deployment check asks for


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if not DEBUG and not key:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not DEBUG and len(key) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} characters long when DEBUG "
            f"is off (it has {len(key)}); make one with: python3 -c "
            "'import secrets; print(secrets.token_urlsafe(50))'"
        )
    if key:
        return key
    # Development only: a random key kept under var/ so sessions survive restarts.
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "hardship",
    "households",
    "cases",
    "funds",
    "casework",
    "intake",
    "bank",
    "loans",
    "employment",
    "crosscheck",
    "reports",
    "audit",
    "evaluation",
    "django_tasks",
    "django_tasks_db",
]
# The benchmark commands (generate_bench_data, run_bench) exist only where benchmarks run:
# `make bench` sets BENCH=1, production never does.
if envbool("BENCH", False):
    INSTALLED_APPS.append("bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages (static files are precompressed by whitenoise); see docs/deployment.md
    # on BREACH: Django pads each compressed body to a random length and masks CSRF tokens.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hardship.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hardship.sessions.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hardship.twofactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Only with DEBUG on: the project's own 404 page instead of Django's technical one.
    "hardship.middleware.NotFoundPageMiddleware",
    # Axes must come last so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hardship.urls"
WSGI_APPLICATION = "hardship.wsgi.application"

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
                "hardship.context_processors.navigation",
                "casework.context_processors.inbox",
                "bank.context_processors.cards_to_fix",
            ],
        },
    },
]

# Database: SQLite under var/ by default, PostgreSQL (or anything dj-database-url knows)
# from DATABASE_URL.
_default_db = f"sqlite:///{VAR_DIR / 'hardship.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or _default_db
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except Exception as exc:  # dj-database-url raises several kinds for a malformed URL
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE transactions take the write lock up front, so concurrent writers queue
    # instead of failing with "database is locked" (see TECH-NOTES).
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0


def _without_jit(database: dict) -> None:
    """PostgreSQL's JIT compiles a query when its estimated cost is high, which at a million
    files every grouped count is: half a second of compiling for a 0.2 s query
    (docs/benchmarks.md). Added to the URL's own server options (?options=…), if any."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()


_without_jit(DATABASES["default"])
# A PostgreSQL streaming replica (hot standby) for the report pages and exports
# (hardship/replica.py, docs/deployment.md "More than one machine"). Unset: one database.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    except Exception as exc:
        raise ImproperlyConfigured(
            f"DATABASE_REPLICA_URL is not a valid database URL: {exc}"
        ) from exc
    # A standby that is down must not hold a report page for long (hardship/replica.py
    # then reads the primary).
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    _without_jit(DATABASES["replica"])
    # Tests never build a second database: the replica alias is the test database itself.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["hardship.replica.PrimaryReplicaRouter"]
    # Pins a session that just wrote to the primary (needs the user: after authentication).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "hardship.replica.RecentWriteMiddleware",
    )
# A session that wrote reads the primary for this long (read-your-writes on report pages);
# a background export waits at most this long for the replica to catch up with its request;
# a replica further behind than this is not used at all.
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", 10)
REPLICA_WAIT_SECONDS = envint("REPLICA_WAIT_SECONDS", 5)
REPLICA_MAX_LAG_SECONDS = envint("REPLICA_MAX_LAG_SECONDS", 30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "hardship.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Finance officers, committee members and administrators must use a second factor (TOTP).
# On by default in production; the demo leaves it off so its accounts work at once.
REQUIRE_2FA = envbool("REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "工会困难职工帮扶管理系统"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after repeated failed logins, only for a while: a user name at an address after
# AXES_FAILURE_LIMIT failures (so one person behind an office NAT cannot lock out everyone),
# and a whole address after AXES_ADDRESS_FAILURE_LIMIT failures over all user names (so
# trying many accounts from one address is slowed down too). hardship.security.LockoutHandler
# applies the two limits; the order of AXES_LOCKOUT_PARAMETERS matters to it.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = envint("AXES_ADDRESS_FAILURE_LIMIT", 30)
if AXES_ADDRESS_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured("AXES_ADDRESS_FAILURE_LIMIT must not be below AXES_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "hardship.security.LockoutHandler"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind N trusted reverse proxies set TRUSTED_PROXY_COUNT=N so the lock-out sees the real
# client address (hardship.security.client_ip), not the proxy's.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "hardship.security.client_ip"

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {list(dict(LANGUAGES))}")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE is not a known time zone: {TIME_ZONE!r}") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))


def envstorage(prefix: str, backend: str) -> dict:
    """A STORAGES entry: the backend named in <prefix>_STORAGE_BACKEND (a dotted path, e.g.
    django-storages' "storages.backends.s3.S3Storage") with <prefix>_STORAGE_OPTIONS, a JSON
    object of its options; the local default otherwise."""
    entry = {"BACKEND": os.environ.get(f"{prefix}_STORAGE_BACKEND", "").strip() or backend}
    raw = os.environ.get(f"{prefix}_STORAGE_OPTIONS", "").strip()
    if raw:
        try:
            entry["OPTIONS"] = json.loads(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{prefix}_STORAGE_OPTIONS is not JSON: {exc}") from None
        if not isinstance(entry["OPTIONS"], dict):
            raise ImproperlyConfigured(f"{prefix}_STORAGE_OPTIONS must be a JSON object")
    return entry


# Every file goes through Django's storage API, so several app servers and workers can
# share them (docs/deployment.md): "default" holds uploads (evidence, letters, vouchers,
# certificates), "exports" the export files and roster imports waiting to be committed.
STORAGES = {
    "default": envstorage("MEDIA", "django.core.files.storage.FileSystemStorage"),
    # On disk under EXPORT_DIR, owner-only (reports/storage.py).
    "exports": envstorage("EXPORT", "reports.storage.ExportStorage"),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Evidence uploads live outside static/ and are only ever served through a view that
# checks the user's scope; MEDIA_URL is deliberately not routed.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
EVIDENCE_MAX_BYTES = envint("EVIDENCE_MAX_MB", 10) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# No maxlength on inputs (a browser would cut long text silently); the server says the limit.
FORM_RENDERER = "hardship.formtools.ProjectFormRenderer"

# Sessions: gone after 30 idle minutes, after a working day in any case, and when the
# browser closes (hardship.sessions).
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 8 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie: pages carry the token (forms, and <body hx-headers> for htmx).
CSRF_COOKIE_HTTPONLY = True

# Security headers. django-csp 4: no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    if envbool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Background work (long exports and imports): a database-backed queue, worked by
# `python manage.py db_worker`. Tests run tasks at once with TASKS_BACKEND=immediate.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("TASKS_BACKEND") == "immediate"
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# Exports and imports larger than this many rows go to the background queue.
BACKGROUND_THRESHOLD_ROWS = envint("BACKGROUND_THRESHOLD_ROWS", 3000)
# The integrity checks of a scope with more files in file than this are counted in the
# background and kept (audit.kept); a smaller scope's are counted as the page is asked for.
INTEGRITY_CHECKS_LIVE_FILES = envint("INTEGRITY_CHECKS_LIVE_FILES", 20000)
REPORT_FONT_DIR = BASE_DIR / "static" / "fonts"
EXPORT_DIR = Path(os.environ.get("EXPORT_DIR", "") or VAR_DIR / "exports")

# Tamper evidence anchored outside the database (audit.checkpoint): the HMAC key signs the
# daily checkpoints of every hash chain's head. It must not live in the database (someone
# who can rewrite the chains there must not be able to re-sign them): give it in
# INTEGRITY_HMAC_KEY or in a file named by INTEGRITY_KEY_FILE. Required in production; the
# demo and the tests use a fixed development key.
DEV_INTEGRITY_HMAC_KEY = "development-only integrity key: never use in production"


def _integrity_key() -> str:
    key = os.environ.get("INTEGRITY_HMAC_KEY", "").strip()
    key_file = os.environ.get("INTEGRITY_KEY_FILE", "").strip()
    if not key and key_file:
        try:
            key = Path(key_file).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"INTEGRITY_KEY_FILE cannot be read: {exc}") from None
    if key:
        if not DEBUG and key == DEV_INTEGRITY_HMAC_KEY:
            raise ImproperlyConfigured(
                "The development integrity key cannot be used in production."
            )
        if len(key) < 32:
            raise ImproperlyConfigured("The integrity HMAC key must be at least 32 characters.")
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "INTEGRITY_HMAC_KEY or INTEGRITY_KEY_FILE must be set when DEBUG is off."
        )
    return DEV_INTEGRITY_HMAC_KEY


INTEGRITY_HMAC_KEY = _integrity_key()
# One new file per checkpoint, written owner-only and never rewritten: copy it off-site.
INTEGRITY_CHECKPOINT_DIR = Path(
    os.environ.get("INTEGRITY_CHECKPOINT_DIR", "") or VAR_DIR / "checkpoints"
)

# E-mail: the daily task digest (casework send_task_digest). Without EMAIL_BACKEND the
# messages are written to standard output (the console backend); production sets the SMTP
# backend and its server (docs/deployment.md).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
# The site's address as users reach it, for links in e-mails (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
