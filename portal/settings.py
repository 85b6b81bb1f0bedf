"""Settings, read from environment variables with safe defaults.

With nothing set the portal runs on SQLite, local files under ``PORTAL_DATA_DIR`` and an in-process
(eager) Celery. ``DATABASE_URL``, ``REDIS_URL`` and ``S3_BUCKET`` switch on PostgreSQL, a Redis-backed
worker and S3 storage. README.md lists every variable.
"""

import os
import re
import tomllib
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# --- Core -----------------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (set DJANGO_DEBUG=true for local development)."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

DATA_DIR = Path(env_str("PORTAL_DATA_DIR", str(BASE_DIR / "var"))).resolve()

# Name of the firm shown on pages and in complaint bundles.
PORTAL_FIRM_NAME = env_str("PORTAL_FIRM_NAME", "Harcourt & Vale LLP")
# The letterhead notices to sellers are printed on (``portal.letterhead``): a notice is refused until the
# address, a telephone or e-mail and the regulator are set. With DJANGO_DEBUG on and none set, a letterhead
# marked as a demo stands in.
PORTAL_FIRM_ADDRESS = env_str("PORTAL_FIRM_ADDRESS", "")
PORTAL_FIRM_TELEPHONE = env_str("PORTAL_FIRM_TELEPHONE", "")
PORTAL_FIRM_EMAIL = env_str("PORTAL_FIRM_EMAIL", "")
PORTAL_FIRM_REGULATOR = env_str("PORTAL_FIRM_REGULATOR", "")  # "Authorised and regulated by the SRA"
PORTAL_FIRM_REGULATOR_NUMBER = env_str("PORTAL_FIRM_REGULATOR_NUMBER", "")  # "SRA number 123456"
# Public address of the portal, used in e-mails and on the bundle's verification line.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "storages",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "ownership",
    "evidence",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.upload_limits.UploadLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Outside the two-factor check, so a refused attempt is recorded too.
    "portal.audit.AuditMiddleware",
    "portal.staff_access.StaffTwoFactorMiddleware",
    "portal.web.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.web.context.firm",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            # Writers queue for the lock at BEGIN, so concurrent requests serialise instead of failing mid-way.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users ----------------------------------------------------------------------------------------

AUTH_USER_MODEL = "ownership.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in attempt of a locked-out user and address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation -------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("PORTAL_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"

# Evidence is never served from a public media URL: every download goes through a permission check.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = None

S3_BUCKET = env_str("S3_BUCKET")
PRESIGNED_URL_EXPIRY_SECONDS = min(env_int("S3_PRESIGNED_URL_EXPIRY", 300), 300)
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": PRESIGNED_URL_EXPIRY_SECONDS,
            "signature_version": "s3v4",
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Largest evidence or ownership file accepted, in bytes.
PORTAL_MAX_UPLOAD_BYTES = env_int("PORTAL_MAX_UPLOAD_BYTES", 500 * 1024 * 1024)
# Largest listing file (CSV or XLSX) accepted for a bulk import, in bytes.
PORTAL_MAX_IMPORT_BYTES = env_int("PORTAL_MAX_IMPORT_BYTES", 50 * 1024 * 1024)
# Uploads larger than this are streamed to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# More files than this in one request is refused with a clear 400 (portal.upload_limits).
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_TEMP_DIR = env_str("PORTAL_UPLOAD_TEMP_DIR") or None

# --- Complaint bundles ----------------------------------------------------------------------------

# The firm's signing certificate and key (PKCS#12) and its passphrase.
PORTAL_SIGNING_P12 = Path(env_str("PORTAL_SIGNING_P12", str(DATA_DIR / "signing" / "portal-signing.p12")))
PORTAL_SIGNING_PASSPHRASE = env_str("PORTAL_SIGNING_PASSPHRASE")
# An RFC 3161 timestamp authority; when set, signatures carry a trusted timestamp (PAdES B-T).
PORTAL_TSA_URL = env_str("PORTAL_TSA_URL")
# The CA certificate (PEM) the signing certificate chains to; create_signing_certificate writes the dev CA there.
PORTAL_SIGNING_TRUST_ROOT = Path(
    env_str("PORTAL_SIGNING_TRUST_ROOT", str(PORTAL_SIGNING_P12.with_name(PORTAL_SIGNING_P12.stem + "-ca.pem")))
)
# The firm's P-256 key and certificate for signing web archives (WACZ); empty: beside PORTAL_SIGNING_P12.
PORTAL_ARCHIVE_SIGNING_P12 = env_str("PORTAL_ARCHIVE_SIGNING_P12")
PORTAL_TSA_TRUST_ROOT = env_str("PORTAL_TSA_TRUST_ROOT")
# An issued document gets a new archive timestamp when its last timestamp's certificate expires within this many
# days (beat checks daily).
PORTAL_ARCHIVE_TIMESTAMP_RENEW_DAYS = env_int(
    "PORTAL_ARCHIVE_TIMESTAMP_RENEW_DAYS", 365
)  # the timestamp authority's root certificate (PEM)
# A key in an HSM instead of the PKCS#12 file: all of module, token, PIN and labels set switch it on.
PORTAL_SIGNING_PKCS11_MODULE = env_str("PORTAL_SIGNING_PKCS11_MODULE")
PORTAL_SIGNING_PKCS11_TOKEN = env_str("PORTAL_SIGNING_PKCS11_TOKEN")
PORTAL_SIGNING_PKCS11_PIN = env_str("PORTAL_SIGNING_PKCS11_PIN")
PORTAL_SIGNING_PKCS11_KEY_LABEL = env_str("PORTAL_SIGNING_PKCS11_KEY_LABEL", "portal-signing")
PORTAL_SIGNING_PKCS11_CERT_LABEL = env_str("PORTAL_SIGNING_PKCS11_CERT_LABEL", "portal-signing")
# A TrueType font with Chinese glyphs, embedded wherever CJK text is drawn.
PORTAL_CJK_FONT = env_str("PORTAL_CJK_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# TrueType fonts embedded for Latin text (Debian fonts-dejavu-core).
PORTAL_LATIN_FONT = env_str("PORTAL_LATIN_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PORTAL_LATIN_BOLD_FONT = env_str("PORTAL_LATIN_BOLD_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# --- Celery ---------------------------------------------------------------------------------------

# OCR of scans (ownership documents and exhibits without a text layer), by a worker on the "ocr" queue.
PORTAL_OCR = env_bool("PORTAL_OCR", True)
PORTAL_OCR_LANGUAGES = env_str("PORTAL_OCR_LANGUAGES", "eng+chi_sim")
# Address space one OCR child process (OCRmyPDF with its Tesseract and Ghostscript) may use, in MiB.
PORTAL_OCR_MEMORY_MB = env_int("PORTAL_OCR_MEMORY_MB", 2048)
REDIS_URL = env_str("REDIS_URL")
# Soft and hard time limits of the longest task (a bundle compile), in seconds.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 1500)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 1800)
if REDIS_URL:
    # Shared by the web processes and the workers: a worker's progress (a listing import's) reaches the page.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Progress figures only: a Redis that is down costs a page a second at most, never the work.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    # No broker configured: tasks run in-process, right after the transaction that queued them.
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message unacknowledged for this long is handed to another worker: keep it above the hard time limit.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT * 2,
    "socket_connect_timeout": 1,
    "max_retries": 0,
}
CELERY_RESULT_EXPIRES = 24 * 3600
# Captures drive a browser: they have their own queue and workers (celery -A portal worker -Q capture), so a
# long run of captures never starves bundle compiles, and compiles never hold up a capture.
CELERY_TASK_ROUTES = {
    "evidence.tasks.capture_task": {"queue": "capture"},
    "evidence.tasks.ocr_exhibit_task": {"queue": "ocr"},
    "ownership.tasks.ocr_document_task": {"queue": "ocr"},
}
CELERY_BEAT_SCHEDULE = {
    "jobs-sweep": {"task": "portal.tasks.jobs_sweep_task", "schedule": 60.0},
    "takedown-checks": {"task": "evidence.tasks.takedown_checks_task", "schedule": 600.0},
    "archive-timestamps": {"task": "portal.tasks.archive_timestamps_task", "schedule": 86400.0},
    # Last month's report for every client, on the first of each month at 06:00 (PORTAL_TIME_ZONE).
    "client-reports": {
        "task": "portal.tasks.client_reports_monthly_task",
        "schedule": crontab(minute=0, hour=6, day_of_month=1),
    },
}
# A request never waits on a broker that is down: one connection attempt of at most a second, no publish
# retries (the job row stays queued and the sweep sends it again), and no result store to subscribe to (the
# job rows are the results).
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_IGNORE_RESULT = True

# A job (compile, capture, import, OCR…) whose worker has not reported for this long is taken over.
PORTAL_JOB_STALL_SECONDS = env_int("PORTAL_JOB_STALL_SECONDS", 180)
# A queued job the broker has not delivered for this long is sent again (above the visibility timeout).
PORTAL_JOB_REQUEUE_SECONDS = env_int("PORTAL_JOB_REQUEUE_SECONDS", CELERY_TASK_TIME_LIMIT * 2 + 600)

# --- Forensic capture and takedown checks ------------------------------------------------------------

# The portal's version, recorded in every capture record.
PORTAL_VERSION = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]["version"]
PORTAL_CHROMIUM_PATH = env_str("PORTAL_CHROMIUM_PATH", "/usr/bin/chromium")
# Host:port pairs the capture browser may reach although they resolve to private or loopback addresses. Empty
# (the default) refuses them all; only the tests and the demo marketplace on loopback set it.
PORTAL_CAPTURE_ALLOWED_HOSTS = env_list("PORTAL_CAPTURE_ALLOWED_HOSTS")
for _entry in PORTAL_CAPTURE_ALLOWED_HOSTS:
    if not re.fullmatch(r"(\[[0-9a-fA-F:.]+\]|[^:\[\]\s]+):\d{1,5}", _entry):
        raise ImproperlyConfigured(
            f"PORTAL_CAPTURE_ALLOWED_HOSTS names each host with its port (127.0.0.1:8765), and {_entry!r} has none: "
            "a bare host would let captures reach every port of it, the portal's own included."
        )
# Extra certificate authorities the capture trusts for HTTPS origins (a PEM file), beside the system's.
PORTAL_CAPTURE_CA_FILE = env_str("PORTAL_CAPTURE_CA_FILE")
PORTAL_CAPTURE_TIMEOUT_SECONDS = env_int("PORTAL_CAPTURE_TIMEOUT_SECONDS", 45)
PORTAL_CAPTURE_MAX_BYTES = env_int("PORTAL_CAPTURE_MAX_BYTES", 50 * 1024 * 1024)
PORTAL_CAPTURE_MAX_REQUESTS = env_int("PORTAL_CAPTURE_MAX_REQUESTS", 300)
# A capture worker restarts its browser after this many captures, or sooner when the browser's processes
# together use more than PORTAL_CAPTURE_BROWSER_MAX_RSS_MB.
PORTAL_CAPTURE_BROWSER_RESTART_EVERY = env_int("PORTAL_CAPTURE_BROWSER_RESTART_EVERY", 25)
PORTAL_CAPTURE_BROWSER_MAX_RSS_MB = env_int("PORTAL_CAPTURE_BROWSER_MAX_RSS_MB", 1024)
# After a complaint is filed its listings are re-captured daily for PORTAL_TAKEDOWN_DAILY_DAYS, then weekly
# until PORTAL_TAKEDOWN_UNTIL_DAYS; a listing still online PORTAL_TAKEDOWN_FLAG_AFTER_DAYS after filing is
# flagged. These are the firm's choices, not platform rules.
PORTAL_TAKEDOWN_DAILY_DAYS = env_int("PORTAL_TAKEDOWN_DAILY_DAYS", 14)
PORTAL_TAKEDOWN_UNTIL_DAYS = env_int("PORTAL_TAKEDOWN_UNTIL_DAYS", 91)
PORTAL_TAKEDOWN_FLAG_AFTER_DAYS = env_int("PORTAL_TAKEDOWN_FLAG_AFTER_DAYS", 7)

# Seconds the results page keeps its figures between writes (a filing or an answer refreshes them at once).
PORTAL_RESULTS_CACHE_SECONDS = env_int("PORTAL_RESULTS_CACHE_SECONDS", 60)

# --- API ------------------------------------------------------------------------------------------

# Calls a personal API token may make (DRF's rate syntax: a number per second, minute, hour or day).
PORTAL_API_RATE = env_str("PORTAL_API_RATE", "600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["portal.api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": PORTAL_API_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "IP Enforcement Evidence Portal API",
    "DESCRIPTION": "What a user sees in the portal's pages, for their own systems. Authenticate with a personal "
    "token (made on the account's API tokens page): `Authorization: Bearer <token>`.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "APPEND_COMPONENTS": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A personal API token."}}
    },
    "SECURITY": [{"bearer": []}],
    "AUTHENTICATION_WHITELIST": [],
    "ENUM_NAME_OVERRIDES": {
        "MatterStatus": "evidence.models.Matter.Status",
        "ListingStatus": "evidence.models.Listing.Status",
        "BundleStatus": "portal.models.Bundle.Status",
    },
}

# Webhook endpoints must be https://, except on these hosts (development and tests: a receiver on loopback).
PORTAL_WEBHOOK_HTTP_HOSTS = env_list("PORTAL_WEBHOOK_HTTP_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
# Seconds a webhook endpoint has to answer one attempt.
PORTAL_WEBHOOK_TIMEOUT_SECONDS = env_int("PORTAL_WEBHOOK_TIMEOUT_SECONDS", 10)

# --- E-mail ---------------------------------------------------------------------------------------

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "portal@localhost")

# --- Security -------------------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    # The reverse proxy terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Sign-in lockout (django-axes): this many failures of one e-mail address from one client address lock
# that pair out for PORTAL_LOCKOUT_HOURS. Behind a proxy the client address comes from X-Forwarded-For.
AXES_FAILURE_LIMIT = env_int("PORTAL_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(hours=env_int("PORTAL_LOCKOUT_HOURS", 1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "portal.security.client_address"
AXES_USERNAME_CALLABLE = "portal.security.sign_in_name"
AXES_VERBOSE = False

# Two-factor authentication (django-otp, TOTP): the issuer shown in the staff member's authenticator app.
OTP_TOTP_ISSUER = PORTAL_FIRM_NAME

PORTAL_LOG_LEVEL = env_str("PORTAL_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": PORTAL_LOG_LEVEL},
    # Routine chatter stays below INFO: a task's "received" and "succeeded" lines, pikepdf's and axes' notes,
    # pyHanko's "fetching OCSP" and "requesting CRL" lines at every signature.
    # Failures still log (a failed task at ERROR); PORTAL_LOG_LEVEL=DEBUG shows everything.
    "loggers": {
        name: {"level": "DEBUG" if PORTAL_LOG_LEVEL == "DEBUG" else "WARNING"}
        for name in (
            "pikepdf",
            "axes",
            "celery.app.trace",
            "celery.worker.strategy",
            "pyhanko",
            "pyhanko_certvalidator",
        )
    },
}
