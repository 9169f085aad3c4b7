"""Settings, read from the environment (12-factor, django-environ).

Zero-setup default: SQLite and Celery tasks run in-process (eager). Production: set
DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis), SECRET_KEY, DEBUG=0, ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # No insecure production default: a deployment must set its own key.
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The product's apps come first: where a package's catalogue translates the same English words
# (Filter, History, active …), the project's Chinese is the one shown (tests/test_i18n.py checks
# every project msgid). agencies is the tenancy root; reporting and imports are shared services.
INSTALLED_APPS = [
    "agencies",
    "reporting",
    "imports",
    "ledger",
    "vehicles",
    "waste",
    "campaigns",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # /healthz answers before anything that reads the database (linyi_ecoagency/health.py).
    "linyi_ecoagency.health.HealthMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Tells the user when the broker was down and their background work waits (reporting/jobs.py).
    "reporting.jobs.DelayedWorkMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "linyi_ecoagency.urls"
WSGI_APPLICATION = "linyi_ecoagency.wsgi.application"

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
                "agencies.context_processors.scope",
            ],
        },
    },
]

if "DATABASE_URL" in os.environ and not os.environ["DATABASE_URL"].strip():
    # Set but empty (a blank line in a unit file or .env): django-environ would fail with a bare
    # KeyError; say what is wrong instead of starting on some other database.
    raise ImproperlyConfigured(
        "DATABASE_URL is set but empty: give a database URL (postgres://…) or unset it for the "
        "local SQLite default."
    )
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database that does not answer fails the request within seconds (a 503 page), not minutes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): lock an account+address pair after repeated failures, never an
# account alone, so that failures from one address cannot lock a leader out at another.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address, as django-axes documents for reverse proxies (django-ipware). Behind
# TRUSTED_PROXIES proxies that each append the address they were connected from to
# X-Forwarded-For (nginx: $proxy_add_x_forwarded_for), the client is the entry the first proxy
# wrote: the last one, skipping the TRUSTED_PROXIES - 1 that the later proxies wrote. Entries a
# client sent itself stand before it and are ignored (not strict: they do not void the header).
# Without a proxy only REMOTE_ADDR counts, as X-Forwarded-For would then be the client's own word.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
if TRUSTED_PROXIES > 0:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXIES - 1
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The list filters' "any" choice reads 全部, not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
# Uploaded vouchers live outside the static tree; they are served through views that check scope.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
IMPORT_STORAGE_DIR = Path(env.str("IMPORT_STORAGE_DIR", default=str(BASE_DIR / "var" / "imports")))
# Files above either threshold are imported by a Celery worker while the page shows progress.
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_BYTES", default=1024 * 1024)
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2000)
# Zip-bomb limits, checked on every .xlsx before a parser sees it.
IMPORT_MAX_ZIP_MEMBERS = env.int("IMPORT_MAX_ZIP_MEMBERS", default=1000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=300 * 1024 * 1024)
IMPORT_MAX_MEMBER_RATIO = env.int("IMPORT_MAX_MEMBER_RATIO", default=200)
IMPORT_MAX_TOTAL_RATIO = env.int("IMPORT_MAX_TOTAL_RATIO", default=100)
# Rows × columns of a sheet (and of all sheets of a file), measured before any grid is built;
# with the upload limit it keeps an import's peak memory within the budget in docs/imports.md.
IMPORT_MAX_CELLS = env.int("IMPORT_MAX_CELLS", default=2_000_000)
VOUCHER_MAX_UPLOAD_BYTES = env.int("VOUCHER_MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)

# When the working day ends: spot checks flag air conditioning running in its last half hour.
OFFICE_DAY_ENDS = env.str("OFFICE_DAY_ENDS", default="17:30")

# The TrueType face of each GB/T 9704 role in the PDFs (reporting/fonts.py, docs/reporting.md): free
# GB 2312 faces from Debian by default (scripts/setup.sh installs them); an office points a role at
# its own licensed file (simfang.ttf for the body, simhei.ttf, simkai.ttf, a 小标宋 .ttf for the
# title; a .ttc with its face index after "#", e.g. simsun.ttc#0).
NOTICE_FONTS = {
    "title": env.str("NOTICE_FONT_TITLE", default="/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
    "body": env.str("NOTICE_FONT_BODY", default="/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"),
    "heading1": env.str("NOTICE_FONT_HEADING1", default="/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0"),
    "heading2": env.str(
        "NOTICE_FONT_HEADING2", default="/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf"
    ),
    "fallback": env.str("NOTICE_FONT_FALLBACK", default="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
}

# Celery: without a broker, tasks run in-process (eager) so a local run needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Named queues: a long import never holds up the figures and disclosures (README, "Production").
CELERY_TASK_DEFAULT_QUEUE = "reporting"
CELERY_TASK_ROUTES = {"imports.tasks.*": {"queue": "imports"}}
# Every task has a hard limit (the worker kills it) and a soft one (it may clean up); tasks that
# need longer (imports) say so on their decorator.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
# A message taken by a worker that died without acknowledging it is delivered again after this
# long (Redis); it must exceed the longest task's time limit, or a slow task runs twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 3,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE: dict = {
    # Stale figures whose refresh was never sent (broker down) or was lost, every five minutes.
    "refresh-figures-backlog": {
        "task": "reporting.tasks.refresh_figures_backlog",
        "schedule": crontab(minute="*/5"),
    },
    # Background jobs that waited for the broker are sent once it answers, every minute.
    "send-waiting-jobs": {
        "task": "reporting.tasks.send_waiting_jobs",
        "schedule": crontab(),
    },
    # Monthly figures still marked stale (a refresh lost or failed) are brought up to date (01:30).
    "reconcile-figures": {
        "task": "reporting.tasks.reconcile_figures",
        "schedule": crontab(minute=30, hour=1),
    },
    # Drafts of every agency's quarterly disclosure, five days after each quarter ends (02:30).
    "compute-last-quarter-disclosures": {
        "task": "reporting.tasks.compute_last_quarter_disclosures",
        "schedule": crontab(minute=30, hour=2, day_of_month=5, month_of_year="1,4,7,10"),
    },
    # Uploaded ledgers whose preview nobody confirmed: delete the stored files every night.
    "expire-unconfirmed-imports": {
        "task": "imports.tasks.import_jobs_expire_task",
        "schedule": crontab(minute=15, hour=3),
    },
}
# The baseline year of disclosures for indicators without a target (the seed: 2019 year-end).
REPORTING_BASELINE_YEAR = env.int("REPORTING_BASELINE_YEAR", default=2019)

# Content-Security-Policy: no inline script or style anywhere; every asset is served from here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Security headers; the secure-cookie and HTTPS settings follow DEBUG so that
# `manage.py check --deploy` is clean in production and a local run works over HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The demo command prints passwords; it refuses to run unless this is on or DEBUG is.
DEMO_ALLOWED = env.bool("DEMO_ALLOWED", default=DEBUG)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
