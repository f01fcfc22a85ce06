"""Plenary settings.

Every setting that varies between machines is read from the environment here and nowhere else.
With nothing set, Plenary runs on a SQLite file, a Celery broker kept in a project-local folder
(so a real worker and beat run without a Redis server) and email written to a local outbox folder.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)
# The default key is only fit for a laptop; `manage.py check --deploy` flags it.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-plenary-development-only")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# The port `make demo` serves on (scripts/dev.py); links in emails follow it unless SITE_URL is set.
PLENARY_PORT = env.int("PLENARY_PORT", default=8000)
SITE_URL = env("SITE_URL", default=f"http://127.0.0.1:{PLENARY_PORT}").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "anymail",
    "axes",
    "csp",
    "events",
    "notifications",
    "registration",
    "invitations",
    "teams",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a locked-out sign-in into the lockout answer (AXES_LOCKOUT_CALLABLE).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# The embedded defaults (SQLite, the folder broker, the email outbox) keep their files in var/.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'plenary.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses any password while the username and address are locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workspace:event_list"
LOGOUT_REDIRECT_URL = "events:upcoming"

# English first; the UN's six official languages are the target.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the source folders so `runserver` needs no collectstatic.
WHITENOISE_USE_FINDERS = True

# Bodies larger than this answer 400 instead of being read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)

SESSION_COOKIE_HTTPONLY = True

# --- Email -------------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Plenary <events@plenary.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "outbox"))
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Every ANYMAIL_* variable configures the ESP, e.g. ANYMAIL_POSTMARK_SERVER_TOKEN.
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in os.environ.items()
    if key.startswith("ANYMAIL_")
}

# --- Celery ------------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_FOLDER = VAR_DIR / "celery"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # kombu's filesystem transport: a queue in a local folder that a separate worker and beat
    # process share, so the embedded default needs no server.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    # Longer than the longest retry delay, so Redis never re-delivers a task still waiting
    # for its countdown (which would run it twice).
    # A short connect timeout: with Redis down, a request that queues email answers at once
    # and its rows wait for the sweep.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 4 * 60 * 60,
        "socket_connect_timeout": 3,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# Every task is safe to run twice, so a task is acknowledged only after it ran.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {}
CELERY_TIMEZONE = "UTC"
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")

# --- API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Plenary API",
    "DESCRIPTION": "Invitations and registration for policy events.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc from our own static files (drf-spectacular-sidecar), pinned by the
    # lock file, instead of an unpinned CDN running scripts on our origin.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "RegistrationStatusEnum": "registration.models.Registration.Status",
        "InvitationStatusEnum": "invitations.models.Invitation.State",
        "EventStatusEnum": "events.models.Event.Status",
        "TeamRoleEnum": "events.models.Membership.Role",
        "ContactImportStatusEnum": "invitations.models.ContactImport.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# --- Outbox ------------------------------------------------------------------------------------
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=100)  # message ids per Celery task
# Ids committed within this many seconds in one web process go to Celery in one task
# (notifications/waking.py); 0 hands each transaction's messages over at once.
OUTBOX_WAKE_SECONDS = env.float("OUTBOX_WAKE_SECONDS", default=0.05)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=30)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=3600)
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
OUTBOX_REQUEUE_AFTER_SECONDS = env.int("OUTBOX_REQUEUE_AFTER_SECONDS", default=60)
OUTBOX_SWEEP_LIMIT = env.int("OUTBOX_SWEEP_LIMIT", default=5000)
# ESP batch sends with merge data: by default known for Mailgun and SendGrid (notifications/
# batching.py); these two set it for another ESP, and a size below 2 turns it off.
OUTBOX_ESP_BATCH_SIZE = env.int("OUTBOX_ESP_BATCH_SIZE", default=None)
OUTBOX_MERGE_FIELD_FORMAT = env("OUTBOX_MERGE_FIELD_FORMAT", default="")
CELERY_BEAT_SCHEDULE["sweep-outbox"] = {
    "task": "notifications.tasks.sweep_outbox",
    "schedule": 60.0,
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- Hardening: input, throttling, sign-in lockout, headers ---------------------------------------
# The API refuses JSON nested deeper than this (400) instead of recursing into it.
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=20)
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "api.parsers.JSONParser",
    "rest_framework.parsers.FormParser",
    "rest_framework.parsers.MultiPartParser",
]
# Only this ESP's delivery webhook (/anymail/<esp>/tracking/) is routed; by default the ESP of
# an anymail EMAIL_BACKEND, none otherwise.
EMAIL_TRACKING_ESP = env("EMAIL_TRACKING_ESP", default="")

# Shared counts for the throttles: Redis when REDIS_URL is set (every web process sees the same
# counts), else this process's memory. CACHE_URL overrides both.
CACHE_URL = env("CACHE_URL", default=REDIS_URL)
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "plenary",
            "TIMEOUT": 300,
        }
        if CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# How many reverse proxies in front of Plenary add X-Forwarded-For (0: trust REMOTE_ADDR).
NUM_PROXIES = env.int("NUM_PROXIES", default=0)
REST_FRAMEWORK["NUM_PROXIES"] = NUM_PROXIES


def _rate(name, default):
    """A throttle rate such as "20/minute" from THROTTLE_<NAME>; "off" or empty lifts it."""
    value = env(f"THROTTLE_{name.upper()}", default=default).strip()
    return None if value.lower() in ("", "off", "none") else value


# Per client IP, except register_address (per email address typed, whatever the IP).
THROTTLE_RATES = {
    "register": _rate("register", "20/minute"),
    "register_address": _rate("register_address", "5/hour"),
    "token": _rate("token", "10/minute"),
    "invitation": _rate("invitation", "30/minute"),
    "attendee": _rate("attendee", "30/minute"),
    "unsubscribe": _rate("unsubscribe", "30/minute"),
}

# Password guessing (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, sign-in (/accounts/login/, /admin/login/, /api/v1/auth/token/) is locked
# for AXES_COOLOFF_MINUTES and answers 429 with Retry-After.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "events.throttling.client_ip"
AXES_LOCKOUT_CALLABLE = "events.throttling.lockout_response"

# HTTPS and cookies. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER to the header
# and value it sets, e.g. HTTP_X_FORWARDED_PROTO,https (only if the proxy always sets it).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = tuple(env.list("SECURE_PROXY_SSL_HEADER", default=[])) or None
SECURE_REDIRECT_EXEMPT = env.list("SECURE_REDIRECT_EXEMPT", default=[])
SECURE_REFERRER_POLICY = env("SECURE_REFERRER_POLICY", default="same-origin")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=SITE_URL.startswith("https://"))
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=SESSION_COOKIE_SECURE)
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp rather than a middleware of our own: it is maintained,
# lets one view relax its page with a decorator, and has report-only mode and nonces should we
# need them): scripts and styles only from our own static files, no inline code (the ReDoc
# page alone may add its own <style> elements, see api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
if env("CSP_REPORT_URI", default=""):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [env("CSP_REPORT_URI")]
# --- Registration ------------------------------------------------------------------------------
# How long a registration waits for a seat counter (or a registration or invitation row) another
# transaction holds, before it answers 503 "busy, try again" having written nothing.
REGISTRATION_LOCK_TIMEOUT_MS = env.int("REGISTRATION_LOCK_TIMEOUT_MS", default=2000)

# --- Directory and teams -----------------------------------------------------------------------
# Teams are created by platform staff (is_staff); with this on, any signed-in account may create
# its own team (it never joins another team without an owner's invitation).
PLENARY_OPEN_TEAM_SIGNUP = env.bool("PLENARY_OPEN_TEAM_SIGNUP", default=False)
# How long a link inviting a colleague to a team works (it works once).
PLENARY_TEAM_INVITATION_DAYS = env.int("PLENARY_TEAM_INVITATION_DAYS", default=7)
# --- Contacts and imports ----------------------------------------------------------------------
# Uploaded import files are kept in Django's default storage until the import ends, so a worker
# on another host can read them: point MEDIA_ROOT at a shared volume, or set a remote storage.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(VAR_DIR / "media"))
CONTACT_IMPORT_MAX_BYTES = env.int("CONTACT_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
CONTACT_IMPORT_CHUNK_ROWS = env.int("CONTACT_IMPORT_CHUNK_ROWS", default=1000)
# A running import whose progress has not moved for this long is taken as crashed: the sweep
# queues it again, and after CONTACT_IMPORT_MAX_ATTEMPTS runs marks it failed.
CONTACT_IMPORT_STALE_SECONDS = env.int("CONTACT_IMPORT_STALE_SECONDS", default=300)
CONTACT_IMPORT_MAX_ATTEMPTS = env.int("CONTACT_IMPORT_MAX_ATTEMPTS", default=3)
CELERY_BEAT_SCHEDULE["sweep-contact-imports"] = {
    "task": "invitations.tasks.sweep_contact_imports",
    "schedule": 60.0,
}
# --- Exports and badges ------------------------------------------------------------------------
# The badge PDF's fonts: a regular and a bold face for Latin, Cyrillic, Greek and Arabic, and
# fallbacks for the scripts they lack (Chinese, Japanese, Korean). Debian: fonts-dejavu-core and
# fonts-droid-fallback.
BADGE_FONT = env("BADGE_FONT", default="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
BADGE_FONT_BOLD = env(
    "BADGE_FONT_BOLD", default="/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
)
BADGE_FALLBACK_FONTS = env.list(
    "BADGE_FALLBACK_FONTS",
    default=["/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"],
)
# fontTools narrates each font subset of the badge PDF at INFO.
LOGGING.setdefault("loggers", {})["fontTools"] = {"level": "WARNING"}
# --- Invitations -------------------------------------------------------------------------------
# Reminders an organizer scheduled for an event go out once their date has come; the task
# checks this often (seconds).
INVITATION_REMINDER_CHECK_SECONDS = env.int("INVITATION_REMINDER_CHECK_SECONDS", default=300)
CELERY_BEAT_SCHEDULE["send-scheduled-invitation-reminders"] = {
    "task": "invitations.tasks.send_scheduled_reminders",
    "schedule": float(INVITATION_REMINDER_CHECK_SECONDS),
}
# --- Reminders, follow-ups and fan-out jobs ----------------------------------------------------
# Messages to many people (a change, a cancellation, reminders, follow-ups) are written to the
# outbox by a worker, this many to a transaction; a job whose worker died is taken over after
# its lease, and given up after so many attempts.
FANOUT_CHUNK_SIZE = env.int("FANOUT_CHUNK_SIZE", default=1000)
FANOUT_LEASE_SECONDS = env.int("FANOUT_LEASE_SECONDS", default=300)
FANOUT_MAX_ATTEMPTS = env.int("FANOUT_MAX_ATTEMPTS", default=5)
# A reminder may go out late (beat was down, the event moved closer) by at most a quarter of
# its offset, within these bounds, and never once the event has started.
REMINDER_GRACE_MIN_MINUTES = env.int("REMINDER_GRACE_MIN_MINUTES", default=5)
REMINDER_GRACE_MAX_HOURS = env.int("REMINDER_GRACE_MAX_HOURS", default=12)
# An automatic follow-up N hours after the end goes out at most this late; the one sent when
# a recording is added, only this many days after the end.
FOLLOWUP_GRACE_HOURS = env.int("FOLLOWUP_GRACE_HOURS", default=24)
FOLLOWUP_AUTO_MAX_DAYS = env.int("FOLLOWUP_AUTO_MAX_DAYS", default=30)
# How often beat looks for due reminders and follow-ups (tests and benchmarks shorten it).
SCHEDULE_BEAT_SECONDS = env.float("SCHEDULE_BEAT_SECONDS", default=60.0)
CELERY_BEAT_SCHEDULE |= {
    "send-due-reminders": {
        "task": "registration.tasks.send_due_reminders",
        "schedule": SCHEDULE_BEAT_SECONDS,
        # A run still waiting when the next is due is dropped: the next one does its work.
        "options": {"expires": SCHEDULE_BEAT_SECONDS * 0.9},
    },
    "start-due-followups": {
        "task": "registration.tasks.start_due_followups",
        "schedule": SCHEDULE_BEAT_SECONDS,
        "options": {"expires": SCHEDULE_BEAT_SECONDS * 0.9},
    },
    "sweep-fanout-jobs": {
        "task": "notifications.tasks.sweep_fanout_jobs",
        "schedule": 60.0,
    },
}
