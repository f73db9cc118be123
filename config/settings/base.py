"""Settings shared by every environment.

Everything that differs between machines is read from plain environment variables, with
defaults that are safe: DEBUG off, no hosts allowed, an embedded SQLite database.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_tables2",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks_db",
    "planning",
    "people",
    "objectives",
    "kpis",
    "budgets",
    "swot",
    "frameworks",
    "assurance",
    "delivery",
    "reporting",
    "workbook",
    "demo",
    "notices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages: an idle session is ended with a message for the sign-in page.
    "planning.middleware.IdleTimeoutMiddleware",
    # Signed-in pages and downloads are never kept in a shared PC's browser cache. Static
    # files never get here (whitenoise answers them above), so they stay cacheable.
    "planning.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it inspects the response of the login view.
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
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Form fields render in NHS.UK markup: the templates under templates/django/forms/ win over
# Django's own because the project directory is searched first.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SQLite by default so a newcomer needs nothing else; DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock at BEGIN, so a read-check-write transaction cannot interleave
    # with another (PostgreSQL gets the same from SELECT ... FOR UPDATE).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "planning.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2 first: Django's recommended hasher, memory-hard, and on these machines about half the
# CPU of PBKDF2 at Django 6's 1.5 million iterations (230 ms against 390-470 ms a sign-in,
# measured; sign-in is the dearest request a quarter-end morning makes). PBKDF2 stays listed so
# existing hashes still verify; each is re-hashed with Argon2 at its owner's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "planning:landing"  # by role: planning.landing
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins are rate-limited per address across every user name (one password sprayed
# over many names) and per user name across every address (one account attacked from many),
# each with its own limit (planning.throttling). Behind our reverse proxy the address comes
# from the header the proxy sets.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))  # per user name
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "20"))  # per address
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # this order: planning.throttling
AXES_HANDLER = "planning.throttling.ThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "planning.throttling.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files the app writes (rendered PDFs, uploads): under MEDIA_ROOT on this machine, or in an
# S3-compatible bucket when AWS_STORAGE_BUCKET_NAME is set, so that several web servers and
# workers share them (docs/decisions/shared-state.md).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    _S3_OPTIONS = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        # A MinIO, Garage or other S3-compatible server; empty for AWS itself.
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment (boto3).
        "default_acl": None,
        "file_overwrite": True,  # a rendered PDF is replaced under its fingerprint
        "querystring_auth": True,
    }
    _FILES = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _S3_OPTIONS}
    _EXPORTS = _FILES
else:
    _FILES = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _EXPORTS = {"BACKEND": "reporting.documents.storage.AtomicFileSystemStorage"}
STORAGES = {
    "default": _FILES,
    "exports": _EXPORTS,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The cache: Redis (or Valkey) when REDIS_URL is set, shared by every web server and worker;
# else this process's memory, which is enough for one process on one machine. While Redis
# cannot be reached the cache answers "not cached" and pages are worked out without it
# (config/cache.py); the timeouts bound what a Redis that hangs costs before that is noticed.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "waymark"),
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "2")),
            },
        }
    }
    # Pages kept under the content version (planning.page_cache): the same Redis, their own
    # prefix. Each change of content leaves the last copies unread until they time out, so a
    # Redis in front of this should evict least recently used keys (allkeys-lru).
    PAGES_PREFIX = f"{CACHES['default']['KEY_PREFIX']}-pages"
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": PAGES_PREFIX}
    # Sessions stay in the database (Django's default), not cached_db: while Redis is down the
    # cache drops writes and deletes (config.cache), so a session ended then (sign-out,
    # people.services.end_sessions) would come back from the cache once Redis answered again.
    # One query a page is the price (docs/decisions/shared-state.md).
else:
    # Room for every KPI reading of a few large plans (kpis.analysis: two per KPI shown): at
    # the default 300 entries one 200-KPI scorecard would evict its own readings.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        },
        # Pages kept under the content version (planning.page_cache), apart: a copy can be a
        # few hundred KB, and each change of content leaves the last ones unread, so few.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 256},
        },
    }

# Django 6.1's MAILERS replaces the EMAIL_* settings.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "waymark@localhost")
# Where people reach this site: links in e-mails (an invitation, a notice) are absolute, built
# from it, never from the request's Host header (which a client can set). No trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")

# Background tasks (long PDF exports) run in a database-backed worker: `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Notices (notices.delivery): a delivery the mail server refused is tried again after each of
# these delays (seconds); after the last, the next `send_notices` run queues it again.
NOTICE_RETRY_DELAYS = [
    int(s) for s in env_list("NOTICE_RETRY_DELAYS", "60,300,1800") if s.isdigit()
]

# PDF exports: documents with more objectives than this render in the background worker;
# each render runs in a child process with these limits.
PDF_BACKGROUND_THRESHOLD = int(os.environ.get("PDF_BACKGROUND_THRESHOLD", "300"))
PDF_RENDER_TIMEOUT = float(os.environ.get("PDF_RENDER_TIMEOUT", "120"))
PDF_RENDER_MEMORY_MB = int(os.environ.get("PDF_RENDER_MEMORY_MB", "2048"))
# The render process's CPU priority, lowered by this much (0-19): pages before PDFs. 19, the
# lowest: a render then takes the CPU the pages leave (docs/decisions/load-test.md, section 2).
PDF_RENDER_NICE = int(os.environ.get("PDF_RENDER_NICE", "19"))

# Everything is served from our own origin: NHS networks are closed, nothing loads from a CDN.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

SESSION_COOKIE_HTTPONLY = True
# Sessions end with the browser unless the person ticks "Keep me signed in"; either way they
# end after SESSION_IDLE_TIMEOUT seconds without a request (planning.middleware), with a
# warning SESSION_IDLE_WARNING seconds before. A kept session lasts at most
# SESSION_REMEMBER_AGE seconds from sign-in. See docs/decisions/sessions.md.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_IDLE_WARNING = int(os.environ.get("SESSION_IDLE_WARNING", str(2 * 60)))
SESSION_REMEMBER_AGE = int(os.environ.get("SESSION_REMEMBER_AGE", str(12 * 60 * 60)))
SESSION_COOKIE_AGE = SESSION_REMEMBER_AGE
# Trust X-Forwarded-Proto and X-Forwarded-For only behind our own proxy, which sets them
# (docker-compose pairs the two); otherwise any client could claim HTTPS or another address.
WAYMARK_BEHIND_PROXY = env_bool("WAYMARK_BEHIND_PROXY", False)
if WAYMARK_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

DJANGO_TABLES2_TEMPLATE = "components/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools are chatty at INFO.
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
