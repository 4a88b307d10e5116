"""Newsroom settings: one module, driven by environment variables with safe laptop defaults."""

import importlib.util
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Return an environment flag given as 0/1 (also true/false, yes/no)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Return a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

# The fallback is deliberately recognisable so that `check --deploy` flags it.
INSECURE_DEV_SECRET = "django-insecure-newsroom-development-only-do-not-deploy"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", INSECURE_DEV_SECRET)
if PRODUCTION and SECRET_KEY == INSECURE_DEV_SECRET:
    raise ImproperlyConfigured("DJANGO_ENV=production requires DJANGO_SECRET_KEY.")

DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    # Apps from elsewhere under names an editor reads on the desk's index (newsroom/apps.py).
    "newsroom.apps.AccountsConfig",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "newsroom.apps.TagsConfig",
    "newsroom.apps.RevisionsConfig",
    "newsroom.apps.LoginProtectionConfig",
    "django_prose_editor",  # only for its static files: the Tiptap bundle that static/js/desk-editor.js imports
    # Background work (articles/platform/tasks.py): Django's Tasks API, its queue in the database (django-tasks-db).
    "newsroom.apps.BackgroundWorkConfig",
    "articles",
]
if importlib.util.find_spec("django.tasks") is None:  # the API's backport, before Django 6.0
    INSTALLED_APPS.insert(INSTALLED_APPS.index("newsroom.apps.BackgroundWorkConfig"), "django_tasks")
if not PRODUCTION:
    # The demo generator, the benchmark and the soak test: development commands a production site leaves out.
    INSTALLED_APPS.append("articles.devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "articles.platform.resilience.DatabaseUnavailableMiddleware",
    # Anonymous readers' pages come from here; everything inside it runs only on a miss.
    "articles.platform.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The desk in the editor's own time zone (readers' pages stay in TIME_ZONE).
    "articles.desk.timezone.DeskTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "articles.platform.security.PolicyHeadersMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a 429 page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "articles.reader.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("DJANGO_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing at once with "database is locked", and WAL lets
    # readers carry on while an import writes: what several gunicorn workers on one machine need.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis backend, degrading to "no cache" while Redis is unreachable.
            "BACKEND": "articles.platform.resilience.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "newsroom"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        # Each process's copy of entries keyed by the content version (articles/platform/cache.py,
        # VersionedCache): they never change under their key, so a copy is never stale.
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-local",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# One date and time format across the desk ("7 Dec 2026, 18:41"): newsroom/formats/en/formats.py.
FORMAT_MODULE_PATH = ["newsroom.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if env_bool("DJANGO_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The formats loaddata reads fixtures in: Django's own, checked while the project's loaddata runs
# (empty or non-UTF-8 files, references to rows that exist nowhere, over-long text, repeated rows).
SERIALIZATION_MODULES = {name: f"articles.interchange.fixture_formats.{name}" for name in ("json", "jsonl", "xml")}
if importlib.util.find_spec("yaml"):
    SERIALIZATION_MODULES["yaml"] = "articles.interchange.fixture_formats.yaml"

ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# Varnish servers in front (comma-separated http:// addresses), purged by surrogate key; none by default.
VARNISH_SERVERS = env_list("DJANGO_VARNISH_SERVERS")

NEWSROOM = {
    "SITE_NAME": os.environ.get("NEWSROOM_SITE_NAME", "Newsroom"),
    "SITE_LANGUAGE": "en",
    "PAGE_SIZE": 20,
    # The anonymous page cache: on unless DJANGO_PAGE_CACHE=0; entries live at most this long.
    "PAGE_CACHE": env_bool("DJANGO_PAGE_CACHE", True),
    "PAGE_CACHE_SECONDS": int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "600")),
    # A change purges the pages that show it ("targeted", articles/platform/invalidation.py), or every page
    # ("everything": the behaviour before targeted purges, kept for `make bench-day` to compare with).
    "PURGE": os.environ.get("NEWSROOM_PURGE", "targeted"),
    # Without a shared cache, worker processes learn of new content from this file's timestamp.
    "CONTENT_VERSION_FILE": os.environ.get("DJANGO_CONTENT_VERSION_FILE") or BASE_DIR / ".content-version",
    # Requests a minute from one client address to pages the cache cannot answer, per kind; 0 turns a limit off.
    "RATE_LIMITS": {
        "search": int(os.environ.get("DJANGO_SEARCH_RATE_LIMIT", "60")),
        "api": int(os.environ.get("DJANGO_API_RATE_LIMIT", "60")),
    },
    # The caches in front to purge when content changes (articles/platform/purge.py), each a BACKEND and its
    # OPTIONS. None: no cache in front, and pages tell no shared cache to keep them.
    "PURGE_ADAPTERS": [
        {"BACKEND": "articles.platform.purge.VarnishAdapter", "OPTIONS": {"servers": VARNISH_SERVERS}},
    ]
    if VARNISH_SERVERS
    else [],
    # The site's public address, for the links in what is sent out without a request to take it from
    # (the ninjs items of webhooks).
    "SITE_URL": os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000"),
    # Webhooks (articles/distribution/webhooks.py). Subscribers on private, loopback or link-local hosts
    # are refused unless allowed here: by name, address or network (e.g. "127.0.0.1,10.1.0.0/16"), or all.
    "WEBHOOK_ALLOWED_HOSTS": env_list("NEWSROOM_WEBHOOK_ALLOWED_HOSTS"),
    "WEBHOOK_ALLOW_PRIVATE": env_bool("NEWSROOM_WEBHOOK_ALLOW_PRIVATE", False),
    # Tries of one delivery before it gives up and marks the subscriber failing, and the waits between them.
    "WEBHOOK_ATTEMPTS": int(os.environ.get("NEWSROOM_WEBHOOK_ATTEMPTS", "6")),
    "WEBHOOK_BACKOFF_SECONDS": [10, 60, 300, 1800, 7200],
    "WEBHOOK_TIMEOUT_SECONDS": 5,
}

# Background work (articles/platform/tasks.py): purges, renditions, webhooks. The queue is a table in the
# site's database, worked by `make worker` (manage.py worker); a task waits there while no worker runs.
# Retries and crash recovery read NEWSROOM["TASK_ATTEMPTS"], ["TASK_RETRY_SECONDS"], ["TASK_RETRY_MAX_SECONDS"]
# and ["TASK_RUNNING_TIMEOUT_SECONDS"] when set; the defaults are in articles/platform/tasks.py.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("NEWSROOM_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Security headers on every response. No inline script and no 'unsafe-inline' anywhere: the site's
# and the admin's JavaScript and CSS come from files; JSON-LD data blocks are not executed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in "accelerometer camera geolocation gyroscope magnetometer microphone payment usb".split()
)

# The proxies in front of the app (load balancer, Varnish, CDN) whose X-Forwarded-For and X-Forwarded-Proto
# are believed. With none, the default, the socket's address is the client's and those headers, which
# anyone can send, are ignored: a forged one must not choose a page's scheme or a login's address.
TRUSTED_PROXY_HOPS = int(os.environ.get("DJANGO_TRUSTED_PROXY_HOPS", "0"))
if TRUSTED_PROXY_HOPS > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Desk logins (django-axes) are paused for a while after repeated failures, counted two ways: for one
# username from one address, and for one address across all usernames (password spraying). The address
# is the real client's (articles.platform.security.client_address), never one a proxy shares with everyone.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_LIMIT_PER_ADDRESS = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT_PER_ADDRESS", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "articles.platform.security.LoginLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "articles.platform.security.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# The desk's messages ("The story was published") ride in the editor's session. The default storage
# tries a signed cookie first and built a cookie signer on every request, readers' included (10 µs).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if PRODUCTION:
    DEBUG = False
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
