"""Settings for the Kvinnofridspriset platform.

Everything that differs between a laptop, CI and production comes from the environment
(see README.md, "Configuration"). With nothing set, the project runs embedded: SQLite, a
file-system Celery broker and a local SMTP sink, which is what `make run` uses.
"""

from pathlib import Path

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
    "kvinnofrid",
    "nominations",
    "jury",
    "publication",
    "outbox",
    "subscriptions",
    "django.contrib.admin",
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kvinnofrid.sessions.SessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
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
                "kvinnofrid.sessions.session_expiry",
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

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
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
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Stockholm"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "publish-due-announcements": {
        "task": "publication.publish_due_announcements",
        "schedule": 60.0,
    },
    "requeue-stuck-emails": {"task": "outbox.requeue_stuck", "schedule": 60.0},
    "send-jury-reminders": {"task": "jury.send_reminders", "schedule": 15 * 60.0},
    "announce-calls": {"task": "subscriptions.announce_calls", "schedule": 10 * 60.0},
    "forget-unconfirmed-subscribers": {
        "task": "subscriptions.forget_unconfirmed",
        "schedule": 24 * 60 * 60.0,
    },
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

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
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=HTTPS)
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
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Sign-in --------------------------------------------------------------------------------

SIGN_IN_LINK_MAX_AGE = env_int("SIGN_IN_LINK_MAX_AGE", 30 * 60)
LOGIN_URL = "sign_in"
LOGIN_REDIRECT_URL = "nominations:mine"
# Sessions slide: each request extends one by SESSION_COOKIE_AGE, so an idle session ends and
# a busy one does not (WCAG 2.2.1). A session never outlives SESSION_ABSOLUTE_MAX_AGE from its
# sign-in (kvinnofrid.sessions.SessionLimitMiddleware); the page warns before either end.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 2 * 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
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
