"""Settings for the Kvinnofridspriset platform.

Everything that differs between a laptop, CI and production comes from the environment
(see README.md, "Configuration"). With nothing set, the project runs embedded: SQLite, a
file-system Celery broker and a local SMTP sink, which is what `make run` uses.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from kvinnofrid.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)

# Production fails loudly without a real secret; only a debugging machine gets a default.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-local-development-only" if DEBUG else None)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", SITE_URL)

INSTALLED_APPS = [
    "accounts",
    "kvinnofrid",
    "nominations",
    "jury",
    "publication",
    "outbox",
    "subscriptions",
    "accounts.apps.SecondFactorAdminConfig",
    "audit",
    # Above the apps whose data it erases and extracts (privacy/README.md).
    "privacy",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.sessions.SessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kvinnofrid.middleware.RequestBodyLimitMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a lockout into the page below.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kvinnofrid.urls"
WSGI_APPLICATION = "kvinnofrid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "kvinnofrid.context_processors.language_links",
                "kvinnofrid.context_processors.site_url",
                "accounts.sessions.session_expiry",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        # Reusing connections roughly doubles throughput compared with one per request.
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "kvinnofrid.User"

REDIS_URL = env_str("REDIS_URL", "")


def _beside(url: str) -> str:
    """The same Redis server, another database: the cache never sits in the broker's."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{number + 1 if number < 15 else number - 1}"))


# The cache holds nothing that must survive (rate-limit counters); a cache that is down
# must not take the broker's queue with it when flushed, nor the other way round.
CACHE_URL = env_str("CACHE_URL", _beside(REDIS_URL) if REDIS_URL else "locmem://")

if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # An unreachable cache answers within a second, so that a request can go on
            # without it (see kvinnofrid/ratelimit.py) instead of hanging.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------------------

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
else:
    # The embedded broker: kombu's file-system transport, shared by the web process, the
    # worker and beat through a folder. Real delivery, no server to install.
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Broadcast state (pidbox, remote control) is runtime output too: without this
        # kombu writes it to ./control in the working directory.
        "control_folder": str(_broker_dir / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
# A request that queues a task waits at most a few seconds for a broker that is down; the
# outbox's sweep sends what could not be handed over (outbox.services.hand_to_worker).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Stockholm"
if REDIS_URL:
    # Beat keeps when each task last ran in Redis, beside the queue, so that its container
    # writes nothing to its own disk and a restart does not reset the clock (a daily task
    # restarted every few hours would otherwise never come due). Its lock lets one beat run.
    CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
else:
    CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "publish-due-announcements": {
        "task": "publication.publish_due_announcements",
        "schedule": 60.0,
    },
    "requeue-stuck-emails": {"task": "outbox.requeue_stuck", "schedule": 60.0},
    # Receipts and attachment checks whose task a broker outage lost (nominations.services).
    "catch-up-after-saves": {"task": "nominations.catch_up_after_saves", "schedule": 60.0},
    # Results workbooks whose task a broker outage or a lost worker lost (jury.services).
    "catch-up-results-exports": {"task": "jury.catch_up_results_exports", "schedule": 60.0},
    "send-jury-reminders": {"task": "jury.send_reminders", "schedule": 15 * 60.0},
    "send-ballot-reminders": {"task": "jury.send_ballot_reminders", "schedule": 15 * 60.0},
    "announce-calls": {"task": "subscriptions.announce_calls", "schedule": 10 * 60.0},
    # Every retention rule, the unconfirmed subscribers' among them (privacy/README.md).
    "gallring": {"task": "privacy.gallring", "schedule": 24 * 60 * 60.0},
}

# --- E-mail -------------------------------------------------------------------------------

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            # Without configuration, mail goes to the local sink that `make run` starts.
            "host": env_str("EMAIL_HOST", "127.0.0.1"),
            "port": env_int("EMAIL_PORT", 1025),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", default=False),
            "timeout": env_int("EMAIL_TIMEOUT", 20),
        },
    }
}
# The outbox retries a failed delivery after base, 2×base, 4×base … seconds, this many times.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 30)
# A message claimed longer ago than this, or queued and overdue by this much, is sent again.
OUTBOX_STUCK_AFTER_SECONDS = env_int("OUTBOX_STUCK_AFTER_SECONDS", 300)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Kvinnofridspriset <kvinnofridspriset@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Language and time --------------------------------------------------------------------

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kvinnofrid" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

# --- Static files -------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "kvinnofrid" / "static"]

# --- Files --------------------------------------------------------------------------------

# Attachments and the winner's photo (kvinnofrid/storage.py). On one machine, a folder under
# var/; with STORAGE_BUCKET, S3-compatible object storage that every web replica and worker
# shares. Either way the files are private: no ACL, no public URL, no custom domain; the
# app's views stream them after their permission checks, and any URL the backend is ever
# asked for is signed and short-lived.
STORAGE_BUCKET = env_str("STORAGE_BUCKET", "")
# Unset: AWS itself; for MinIO and the like, e.g. http://minio:9000.
STORAGE_ENDPOINT_URL = env_str("STORAGE_ENDPOINT_URL", "")
if STORAGE_BUCKET:
    _file_storage: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_BUCKET,
            "endpoint_url": STORAGE_ENDPOINT_URL or None,
            "region_name": env_str("STORAGE_REGION", "us-east-1"),
            # A bucket without credentials is a misconfiguration: fail at start, not on
            # the first upload.
            "access_key": env_str("STORAGE_ACCESS_KEY_ID"),
            "secret_key": env_str("STORAGE_SECRET_ACCESS_KEY"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "custom_domain": None,
            "file_overwrite": False,
            "signature_version": "s3v4",
            # A host name like `minio` cannot carry the bucket as a subdomain.
            "addressing_style": "path" if STORAGE_ENDPOINT_URL else None,
        },
    }
else:
    # No location: it follows MEDIA_ROOT, so a test can move it.
    _file_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

STORAGES = {
    # Nothing public is uploaded: whatever uses the default storage gets the private one.
    "default": _file_storage,
    "private": _file_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -----------------------------------------------------------------------------

# HTTPS is on unless explicitly turned off (a laptop, or a compose stack tried out over
# plain HTTP). Behind a TLS-terminating proxy, the proxy must set X-Forwarded-Proto.
HTTPS = env_bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading is hard to undo (browsers ship the list for months): a deliberate choice, off
# until the site's operator turns it on.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# check --deploy warns when preload is off (security.W021); off is the choice made above.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Everything is served from this origin: no CDN, no inline script or style.
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

AUTHENTICATION_BACKENDS = [
    # First: it refuses a locked-out account before a password is even checked.
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    # No e-mail address reaches a log line, whoever logs it (privacy/logfilter.py).
    "filters": {"mask_personal_data": {"()": "privacy.logfilter.MaskPersonalData"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # axes logs every sign-in at INFO; failures and lockouts come at WARNING.
        "axes": {"level": "WARNING"},
    },
}

# --- Sign-in --------------------------------------------------------------------------------

SIGN_IN_LINK_MAX_AGE = env_int("SIGN_IN_LINK_MAX_AGE", 30 * 60)
# With the cache down, rate limits count per process this long, then refuse (ratelimit.py).
RATELIMIT_FAIL_OPEN_SECONDS = env_int("RATELIMIT_FAIL_OPEN_SECONDS", 5 * 60)
# The longest a public page is served from the cache; a change of data retires it at once
# (nominations/page_cache.py).
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 10 * 60)
LOGIN_URL = "accounts:sign_in"
# Where signing in ends: the project's landing view sends each role to its work.
LOGIN_REDIRECT_URL = "landing"
# Sessions slide: each request extends one by SESSION_COOKIE_AGE, so an idle session ends and
# a busy one does not (WCAG 2.2.1). The new expiry is written once a step, not on every request
# (accounts.sessions). A session never outlives SESSION_ABSOLUTE_MAX_AGE from its
# sign-in (accounts.sessions.SessionLimitMiddleware); the page warns before either end.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 2 * 60) * 60
SESSION_EXTEND_STEP_SECONDS = 60
SESSION_ABSOLUTE_MAX_AGE = env_int("SESSION_MAX_HOURS", 12) * 60 * 60
# Minutes before the end that the page offers to stay signed in.
SESSION_WARNING_MINUTES = env_int("SESSION_WARNING_MINUTES", 5)

# --- Accessibility statement (tillgänglighetsredogörelse) ---------------------------------

# Who answers reports of accessibility problems, as the statement prints it (DIGG's model).
ACCESSIBILITY_CONTACT_EMAIL = env_str(
    "ACCESSIBILITY_CONTACT_EMAIL", "kvinnofridspriset@example.org"
)
ACCESSIBILITY_CONTACT_PHONE = env_str("ACCESSIBILITY_CONTACT_PHONE", "")
# Working days within which a report is answered.
ACCESSIBILITY_RESPONSE_DAYS = env_int("ACCESSIBILITY_RESPONSE_DAYS", 5)
# The date of the last assessment of the site, ISO 8601; the statement says how fresh it is.
ACCESSIBILITY_ASSESSED_ON = env_str("ACCESSIBILITY_ASSESSED_ON", "2026-12-01")

# --- Subscribers ------------------------------------------------------------------------------

# Days a confirmation link works; an address left unconfirmed that long is deleted.
SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS = env_int("SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS", 7)
# News goes out in tasks of this many subscribers each.
SUBSCRIPTIONS_BATCH_SIZE = env_int("SUBSCRIPTIONS_BATCH_SIZE", 200)
# Days before the call's deadline when subscribers are reminded of it.
SUBSCRIPTIONS_DEADLINE_NEWS_DAYS = [
    int(days) for days in env_list("SUBSCRIPTIONS_DEADLINE_NEWS_DAYS", "7,1")
]
# A call that opened longer ago than this gets no opening news (a fresh install stays quiet).
SUBSCRIPTIONS_CALL_NEWS_WITHIN_DAYS = env_int("SUBSCRIPTIONS_CALL_NEWS_WITHIN_DAYS", 3)
# The client's address: REMOTE_ADDR, unless a proxy we run sets this header (e.g.
# HTTP_X_FORWARDED_FOR); then the NUM_PROXIES-th entry from the right (accounts/clientip.py).
TRUSTED_PROXY_HEADER = env_str("TRUSTED_PROXY_HEADER", "").strip().upper().replace("-", "_")
if TRUSTED_PROXY_HEADER and not TRUSTED_PROXY_HEADER.startswith("HTTP_"):
    TRUSTED_PROXY_HEADER = f"HTTP_{TRUSTED_PROXY_HEADER}"
NUM_PROXIES = max(env_int("NUM_PROXIES", 1), 1)

# Two factors (accounts/two_factor.py): staff and jury chairs must, everyone may.
OTP_TOTP_ISSUER = "Kvinnofridspriset"
TWO_FACTOR_PENDING_SECONDS = env_int("TWO_FACTOR_PENDING_SECONDS", 5 * 60)
TWO_FACTOR_MAX_ATTEMPTS = 5

# Password sign-in (the admin's): locked per account and address together, so that one
# authority's shared address does not lock out all its staff, nor one address all accounts.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"

# --- Personal data: the controller, and how long each category is kept -----------------------

# Named in the privacy notice (templates/privacy.html).
PRIVACY_CONTROLLER = env_str(
    "PRIVACY_CONTROLLER", "Länsstyrelsen i Stockholms län, för Operation Kvinnofrid"
)
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "kvinnofridspriset@example.org")
PRIVACY_DPO_EMAIL = env_str("PRIVACY_DPO_EMAIL", "dataskyddsombud@example.org")
# Days, each counted from the moment named (privacy/retention.py); gallring (the daily beat
# task) and the privacy notice both read these, so the notice says what the code does.
# A draft never sent: after the call for nominations closes.
RETENTION_DRAFT_DAYS = env_int("RETENTION_DRAFT_DAYS", 90)
# A nomination that did not win, its contact person, free texts and attachments: after the
# edition's announcement. What the archive needs stays.
RETENTION_NOMINATION_DAYS = env_int("RETENTION_NOMINATION_DAYS", 2 * 365)
# A withdrawn nomination's personal data: after it was withdrawn.
RETENTION_WITHDRAWN_DAYS = env_int("RETENTION_WITHDRAWN_DAYS", 90)
# A sent (or failed) e-mail's recipient, subject and context: after it was created.
RETENTION_OUTBOX_DAYS = env_int("RETENTION_OUTBOX_DAYS", 90)
# A used or expired sign-in link: after it expired.
RETENTION_SIGN_IN_LINK_DAYS = env_int("RETENTION_SIGN_IN_LINK_DAYS", 7)
# An expired session: after it expired.
RETENTION_SESSION_DAYS = env_int("RETENTION_SESSION_DAYS", 0)
# django-axes' records of password sign-ins (address, browser, account): after the attempt.
RETENTION_ACCESS_LOG_DAYS = env_int("RETENTION_ACCESS_LOG_DAYS", 90)
# A juror's private notes: after the jury's decision.
RETENTION_JUROR_NOTES_DAYS = env_int("RETENTION_JUROR_NOTES_DAYS", 0)
# A results workbook (every score and comment) and who asked for it: after it was asked for.
RETENTION_RESULTS_EXPORT_DAYS = env_int("RETENTION_RESULTS_EXPORT_DAYS", 7)
# Unconfirmed subscribers: SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS, above.

# --- Request size ----------------------------------------------------------------------------

# Files over this go to a temporary file rather than memory; a form without files is small.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# The largest body worth reading: a nomination with every attachment at its largest, plus
# room for the form's text. Bigger ones get a 413 before anything reads them.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 5 * 10 * 1024 * 1024 + 2 * 1024 * 1024)
