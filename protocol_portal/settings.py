"""The one settings module, driven by environment variables (docs/settings.md).

With nothing set the portal runs embedded: SQLite and a file-system Celery
broker under ``var/``, so a newcomer needs no server. Production sets
``DATABASE_URL=postgres://…`` and ``CELERY_BROKER_URL=redis://…``.
"""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from protocol_portal.kit.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

# --- Core ---------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "") if not DEBUG else env_str("SECRET_KEY", "insecure-development-key")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (or set DEBUG=true for development).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "crispy_forms",
    "crispy_forms_gds",
    "csp",
    # The portal's apps, in their layers (DESIGN §8): each imports only those above it.
    "people",
    "escalation",
    "cases",
    "reporting",
    # The project: sign-in, two-factor pages and the middleware around every page.
    "protocol_portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "protocol_portal.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "protocol_portal.middleware.nul_free_query_string",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anything a signed-in person is shown may name a case: never kept by a browser or proxy.
    "protocol_portal.middleware.NoStoreWhenSignedInMiddleware",
    # request.user.is_verified(): whether this session gave a two-factor code.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out a session idle or old past its limits (docs/security.md).
    "protocol_portal.middleware.SessionTimeoutMiddleware",
    # Signs out a councillor or officer whose term or service ended before today.
    "protocol_portal.middleware.AccessEndedMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Then a code, or setting up two-factor sign-in where a role requires it.
    "protocol_portal.middleware.TwoFactorMiddleware",
    # Writes a refused case (403 or 404) to the audit log.
    "protocol_portal.middleware.CaseAccessAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a lockout into the sign-in page's message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "protocol_portal.urls"
WSGI_APPLICATION = "protocol_portal.wsgi.application"

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
                "protocol_portal.context_processors.council",
                "protocol_portal.context_processors.navigation",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------

DATABASES = {
    "default": env_database("DATABASE_URL", "sqlite:///var/portal.sqlite3", base_dir=BASE_DIR),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploads are private: no MEDIA_URL serves them, and the storage refuses to make one
# (protocol_portal.kit.storage); each is served by a view that checks who is asking.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# --- Authentication -----------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username or address before any password is checked. It
    # needs the request, so authenticate() without one raises while AXES_ENABLED is on.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Nobody uses the portal anonymously; guardian need not create an anonymous user.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Security (docs/security.md) ---------------------------------------------------

# Sign-in lockout (django-axes): this many failures for one username, or from one address,
# lock that username or address out for the cool-off; each try while locked out restarts it.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "protocol_portal.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "people.audit.client_ip"
# Sign-ins are in the portal's own audit log (people.AuditEvent); axes keeps only failures.
AXES_DISABLE_ACCESS_LOG = True
# Behind a TLS proxy every request comes from the proxy's address: take the client's from
# the X-Forwarded-For entry the proxy added, or one proxy would lock everyone out at once.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)

# Two-factor sign-in (django-otp, TOTP): false only for development and the test suite.
TWO_FACTOR_ENFORCED = env_bool("TWO_FACTOR_ENFORCED", True)
# Wrong codes wait 1, 2, 4, 8 … seconds before the next try.
OTP_TOTP_THROTTLE_FACTOR = 1
# Nobody, administrators included, may read back the secret of someone's app (its key or QR code).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# A session ends after this long without a request, and this long after signing in.
SESSION_INACTIVITY_TIMEOUT = timedelta(minutes=env_int("SESSION_INACTIVITY_MINUTES", 30, minimum=1))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())

# --- Security headers (docs/security.md) ---------------------------------------

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain http is answered with a redirect to https. Behind a proxy that ends TLS this needs
# BEHIND_TLS_PROXY, or every request looks like http and redirects for ever.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Sent on https responses only. A year, once the portal is known to work over https;
# preloading commits the whole domain to https in browsers' built-in lists, which is the
# council's decision to take for its domain, so it is off unless asked for.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the portal uses (protocol_portal.middleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# No inline script or style anywhere: every script and stylesheet is a file under static/,
# and the dashboard's charts use SVG presentation attributes (reporting.charts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: for small embedded icons; never another site's images
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# security.W021 asks for HSTS preloading, which is off on purpose (above) unless a council
# turns it on: `check --deploy --fail-level WARNING` must pass either way.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# models.W040: SQLite (the demo of bin/run) has no INCLUDE columns in an index; it builds My
# enquiries' index without them, which changes only its speed (PostgreSQL keeps them).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS.append("models.W040")

# --- Language and time --------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "protocol_portal.kit.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files in production (after collectstatic); plain files
        # straight from static/ in development and tests.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Files served at the site's root: /favicon.ico, which browsers ask for on every page (issue 15 C17).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# --- Forms --------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- E-mail -------------------------------------------------------------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "protocol-portal@localhost")
# The portal's address as people reach it, for links in e-mail.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- The council --------------------------------------------------------------

COUNCIL_NAME = env_str("COUNCIL_NAME", "Northbridge City Council")
# How authenticator apps name the portal's entry.
OTP_TOTP_ISSUER = f"{COUNCIL_NAME} Protocol Portal"
# Where people report an accessibility problem or ask for another format (the accessibility statement).
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "democratic.services@example.org")
# Whose bank holidays count as non-working days (DESIGN §3).
COUNCIL_NATION = env_choice(
    "COUNCIL_NATION",
    "england-and-wales",
    choices=["england-and-wales", "scotland", "northern-ireland"],
)

# --- Enquiries (001 §7.1) -----------------------------------------------------------

ENQUIRY_RESPONSE_WORKING_DAYS = env_int("ENQUIRY_RESPONSE_WORKING_DAYS", 5, minimum=1)
# How long after an answer the member may reopen it with a follow-up.
ENQUIRY_REOPEN_WORKING_DAYS = env_int("ENQUIRY_REOPEN_WORKING_DAYS", 5, minimum=1)
# 001 §7.1, §7.4 ("unreasonable delays"): how far past the deadline a holding reply may put the
# target on the owner's word alone; later, or a second holding reply, needs the councillor's
# agreement or the Head of Service's approval.
HOLDING_REPLY_MAX_WORKING_DAYS = env_int("HOLDING_REPLY_MAX_WORKING_DAYS", 10, minimum=1)
# The deadline engine (001 §7.1): a climb every five working days past the deadline;
# reminders and climbs happen at the start of a working day.
ESCALATION_INTERVAL_WORKING_DAYS = env_int("ESCALATION_INTERVAL_WORKING_DAYS", 5, minimum=1)
WORKING_DAY_STARTS_AT = time(env_int("WORKING_DAY_STARTS_AT_HOUR", 8, minimum=0), 0)
DEADLINE_SWEEP_SECONDS = env_int("DEADLINE_SWEEP_SECONDS", 300, minimum=10)
# Rows a sweep batch claims: about eleven statements a batch, so 25,000 keeps a sweep
# under one statement per thousand climbs (docs/performance.md).
DEADLINE_SWEEP_BATCH_SIZE = env_int("DEADLINE_SWEEP_BATCH_SIZE", 25_000, minimum=1)

# --- Concerns (DESIGN §4; 000 §VIII) ------------------------------------------------

# Each stage's target; missed, stages 1 and 2 climb to the next stage, and stages 3 and
# 4 show as overdue on the Monitoring Officer's triage queue.
CONCERN_STAGE_WORKING_DAYS = env_int("CONCERN_STAGE_WORKING_DAYS", 10, minimum=1)
# A pattern (000 §VIII): this many concerns ended in informal action within the window.
CONCERN_PATTERN_INFORMAL_ACTIONS = env_int("CONCERN_PATTERN_INFORMAL_ACTIONS", 3, minimum=2)
CONCERN_PATTERN_MONTHS = env_int("CONCERN_PATTERN_MONTHS", 12, minimum=1)

# The largest upload: an attachment, evidence or a member's photo (cases.shared.attachments,
# people.photos). Past it, an upload is counted but not kept (protocol_portal.kit.uploads).
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 10, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "protocol_portal.kit.uploads.CappedTemporaryFileUploadHandler",
]

# --- Retention (UK GDPR; docs/retention.md) -------------------------------------------


# Periods of the retention schedule (protocol_portal.retention.schedule) other than its defaults, in months:
# RETENTION_MONTHS=enquiries=84,audit_log=24. A kind the schedule lacks stops start-up
# (system check retention.E001).
def _retention_months(items: list[str]) -> dict[str, int]:
    months: dict[str, int] = {}
    for item in items:
        kind, _, value = item.partition("=")
        if not value.strip().isdigit() or int(value) < 1:
            raise ImproperlyConfigured(f"RETENTION_MONTHS: {item!r} is not kind=months with months 1 or more.")
        months[kind.strip()] = int(value)
    return months


RETENTION_MONTHS = _retention_months(env_list("RETENTION_MONTHS"))
# Count what is due each night and record it, changing nothing (for a first deployment).
RETENTION_DRY_RUN = env_bool("RETENTION_DRY_RUN", False)
# The hour (Europe/London) of the nightly run, and the rows disposed of per transaction.
RETENTION_HOUR = env_int("RETENTION_HOUR", 2, minimum=0)
if RETENTION_HOUR > 23:
    raise ImproperlyConfigured(f"RETENTION_HOUR={RETENTION_HOUR} must be an hour from 0 to 23.")
RETENTION_BATCH_SIZE = env_int("RETENTION_BATCH_SIZE", 500, minimum=1)

# --- Celery -------------------------------------------------------------------

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker: messages are files under var/, so no server is needed.
    _queue_dir = VAR_DIR / "celery" / "queue"
    _control_dir = VAR_DIR / "celery" / "control"
    for _folder in (_queue_dir, _control_dir):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(_control_dir),
        "store_processed": False,
    }
else:
    # A task not acknowledged within this time is redelivered; longer than any task runs.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 60 * 60, minimum=60),
    }
# Acknowledge after the task has run, and give the task back if the worker dies
# mid-task, so a crash never loses work. Tasks must therefore be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# One queue name per portal, so several portals (or test runs) can share a Redis.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "protocol-portal")
SCHEDULER_HEARTBEAT_SECONDS = env_int("SCHEDULER_HEARTBEAT_SECONDS", 60, minimum=1)
# How often the dashboards' figures catch up with the cases (DESIGN §7).
REPORTING_REFRESH_SECONDS = env_int("REPORTING_REFRESH_SECONDS", 300, minimum=10)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Works from the data, not from ticks: a missed tick is made good by the next one.
    "deadline-sweep": {
        "task": "cases.tasks.deadline_sweep",
        "schedule": DEADLINE_SWEEP_SECONDS,
        "options": {"expires": DEADLINE_SWEEP_SECONDS},
    },
    "escalations-outbox": {
        "task": "cases.tasks.escalations_notify",
        "schedule": 300,
        "options": {"expires": 300},
    },
    "notifications-outbox": {
        "task": "cases.tasks.notifications_send_pending",
        "schedule": 300,
        "options": {"expires": 300},
    },
    # The dashboards' summary tables (reporting.summaries): recounts the days that changed.
    "reporting-refresh": {
        "task": "reporting.tasks.summaries_refresh",
        "schedule": REPORTING_REFRESH_SECONDS,
        "options": {"expires": REPORTING_REFRESH_SECONDS},
    },
    # Works from the data too: everything past its period, so a missed night is made good by the next.
    "retention-nightly": {
        "task": "protocol_portal.tasks.retention_nightly",
        "schedule": crontab(minute=30, hour=RETENTION_HOUR),
        "options": {"expires": 12 * 60 * 60},
    },
    "scheduler-heartbeat": {
        "task": "escalation.tasks.scheduler_heartbeat",
        "schedule": SCHEDULER_HEARTBEAT_SECONDS,
        # A heartbeat that waited longer than an interval proves nothing: drop it.
        "options": {"expires": SCHEDULER_HEARTBEAT_SECONDS},
    },
}


def reporting_digest_beat(enabled: bool) -> dict[str, dict]:
    """The monthly digest's beat entry (DESIGN §7): last month's figures to the Standards
    Committee at 07:00 on the 1st, only when REPORTING_DIGEST_ENABLED."""
    if not enabled:
        return {}
    return {
        "reporting-monthly-digest": {
            "task": "reporting.tasks.monthly_digest",
            "schedule": crontab(minute=0, hour=7, day_of_month=1),
            # Still "last month" for a week; sent once however often it runs (reporting.dashboards.digest).
            "options": {"expires": 7 * 24 * 60 * 60},
        }
    }


# Off by default, so the embedded run (and a new install) sends the committee no e-mail.
REPORTING_DIGEST_ENABLED = env_bool("REPORTING_DIGEST_ENABLED", False)
CELERY_BEAT_SCHEDULE.update(reporting_digest_beat(REPORTING_DIGEST_ENABLED))

# --- Logging ------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every stylesheet and font it reads at INFO.
    # django-axes announces itself at INFO on every start, and warns of each failed sign-in.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- Demo ---------------------------------------------------------------------

# The password of every account seed_demo creates (README: "Demo accounts").
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "protocol-demo-2026")
# The demo accounts whose roles need two-factor sign-in get authenticator keys derived from
# this secret; `manage.py demo_totp <username>` prints their current code.
DEMO_TOTP_SECRET = env_str("DEMO_TOTP_SECRET", "protocol-demo-totp-2026")
