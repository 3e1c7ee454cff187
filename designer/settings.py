"""Settings for Process Designer, driven by environment variables.

The defaults are the embedded development setup: SQLite, the immediate task backend and the
built-in sandbox API. Production differs only through the environment (see docs/deploy.md).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from processes_api import schema as workiva_schema
from processes_api.sandbox.directory import ORGANIZATION_ID as SANDBOX_ORGANIZATION_ID

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG=0) needs a long random SECRET_KEY in the environment; "
            "generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS. Production defaults are strict; each can be relaxed through the environment (docs/deploy.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Opt-in: only behind a proxy that sets X-Forwarded-Proto itself and strips it from clients.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (Django's built-in support). No inline script or style: scripts and
# styles come from our own static files; a script that must be inline carries the per-request
# nonce ({{ csp_nonce }}). CSP_REPORT_ONLY=1 only reports violations instead of blocking them.
_CSP_POLICY = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if env_bool("CSP_REPORT_ONLY", False):
    SECURE_CSP_REPORT_ONLY = _CSP_POLICY
else:
    SECURE_CSP = _CSP_POLICY

INSTALLED_APPS = [
    # Daphne first: its runserver serves the ASGI application (pages and the live websocket).
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "channels",
    "designer",
    "directory",
    "processes_api",
    "processes_api.sandbox",
    "publishing",
    "gallery",
    "checklists",
    "live",
    "api",
]

MIDDLEWARE = [
    # Server-Timing: the application's own time on every answer (designer/timing.py).
    "designer.timing.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise serves the collected static files in production; runserver serves them in DEBUG.
    *([] if DEBUG else ["whitenoise.middleware.WhiteNoiseMiddleware"]),
    # gzip for HTML, JSON, CSS, JS and SVG answers, with Django's BREACH padding (designer/compression.py).
    "designer.compression.CompressionMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Bad input answered with a message, not a 500 (designer/middleware.py).
    "designer.middleware.RefuseNulMiddleware",
]

ROOT_URLCONF = "designer.urls"
WSGI_APPLICATION = "designer.wsgi.application"
ASGI_APPLICATION = "designer.asgi.application"

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
                "django.template.context_processors.csp",
                "designer.context_processors.review_inbox",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must answer simultaneous writes with conflicts (409), not "database is
    # locked": WAL lets readers run beside the writer, IMMEDIATE takes the write lock when a
    # transaction begins (a deferred one that later writes fails at once instead of waiting), and
    # the timeout is how many seconds a writer waits for the lock.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 20),
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Tests on SQLite use a file as well, not Django's shared in-memory database: its table locks
    # fail at once ("database table is locked") where a file waits for the busy timeout, so the
    # live server's simultaneous requests in the browser tests would fail as no user's ever do.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SQLITE_TEST_NAME")
        or str(Path(tempfile.gettempdir()) / f"process-designer-test-{os.getpid()}.sqlite3"),
        **DATABASES["default"].get("TEST", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Live co-editing (live/): the channel layer carries "draft changed" and presence messages between
# the web processes. With REDIS_URL (production, several processes or machines) it is Redis; without
# it, an in-process layer, enough for the single process of the embedded default (docs/deploy.md).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": os.environ.get("LIVE_CHANNEL_PREFIX", "designer-live"),
                "capacity": env_int("LIVE_CHANNEL_CAPACITY", 500),
                "expiry": 30,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# An editor that is behind by changes to more nodes than this gets the whole workspace, not a patch.
LIVE_MAX_PATCH_NODES = env_int("LIVE_MAX_PATCH_NODES", 200)

# Server-Timing: app;dur=… on every answer (designer/timing.py): a duration only, for the browsers'
# developer tools and bench/browser.py.
SERVER_TIMING = env_bool("SERVER_TIMING", True)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "draft-list"
LOGOUT_REDIRECT_URL = "login"

# Failed-login throttling (designer/throttle.py), counted in database rows so that every web
# process sees the same counts: after LOGIN_FAILURE_LIMIT failures for one username from one
# address (or LOGIN_IP_FAILURE_LIMIT from one address for any usernames) within
# LOGIN_LOCKOUT_SECONDS, further attempts are refused until the window has passed.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 50)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)
# The request header holding the client address when a trusted proxy sets it, e.g.
# X-Forwarded-For (its last entry is used: the address the proxy saw). Empty: REMOTE_ADDR.
LOGIN_CLIENT_IP_HEADER = os.environ.get("LOGIN_CLIENT_IP_HEADER", "")

# Sessions expire: after SESSION_COOKIE_AGE seconds (default a working day) in any case, and in
# production also when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", not DEBUG)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# WhiteNoise serves static files from every web process; in production they are hashed and
# compressed by collectstatic (the release step), so browsers may cache them for good.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache"
        if os.environ.get("CACHE_BACKEND", "db") == "db"
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "designer_cache",
    }
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's templates use inline styles that the CSP above forbids.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The REST API's budget per personal access token (per user for a session): api/auth.py.
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("API_THROTTLE_RATE", "600/min")},
}

# Personal access tokens (django-rest-knox, model api.ApiToken): stored as SHA-512 digests, sent as
# "Authorization: Bearer pd_…"; no expiry unless the user sets one.
KNOX_TOKEN_MODEL = "api.ApiToken"
# knox's own migrations create its default token table even when the model is swapped (as here): an
# unused table whose foreign key to auth_user stops PostgreSQL from truncating users between tests.
# Without them nothing of knox's is created; api.ApiToken has its own migrations.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {"AUTH_HEADER_PREFIX": "Bearer", "TOKEN_TTL": None, "TOKEN_PREFIX": "pd_"}

# The OpenAPI document of /api/v1/ (drf-spectacular); checked in as docs/openapi.yaml.
SPECTACULAR_SETTINGS = {
    "TITLE": "Process Designer API",
    "DESCRIPTION": "Drafts, their tree, sharing, review, revisions and publishing to Workiva: the same "
    "services and role rules as the pages. Errors are RFC 9457 problem details. See docs/api.md.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "MemberRoleEnum": "designer.models.Membership.Role",
        "InviteRoleEnum": ["editor", "reviewer", "viewer"],
        "ReviewRequestStatusEnum": "designer.models.ReviewRequest.Status",
        "SubmissionStatusEnum": "publishing.models.Submission.Status",
    },
}

# Email: printed to the console in development, sent over SMTP in production (EMAIL_* variables).
_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS: dict[str, dict[str, object]] = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "process-designer@localhost")

# The Workiva Processes API. Defaults publish to the built-in sandbox of this server.
WORKIVA_SANDBOX = env_bool("WORKIVA_SANDBOX", DEBUG)
# With the sandbox on, the defaults publish to it on this server; otherwise they are Workiva's own
# hosts and an empty grant that the operator must set (docs/deploy.md).
# The sandbox is served by this very server, so its address is the one the server listens on:
# `make run` passes HOST and PORT (SERVER_URL overrides both, e.g. behind a proxy).
SERVER_URL = os.environ.get("SERVER_URL") or (
    f"http://{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
)
WORKIVA_API_URL = os.environ.get(
    "WORKIVA_API_URL", f"{SERVER_URL}/sandbox" if WORKIVA_SANDBOX else workiva_schema.DEFAULT_API_URL
)
WORKIVA_TOKEN_URL = os.environ.get(
    "WORKIVA_TOKEN_URL",
    f"{SERVER_URL}/sandbox/iam/v1/oauth2/token" if WORKIVA_SANDBOX else workiva_schema.DEFAULT_TOKEN_URL,
)
WORKIVA_CLIENT_ID = os.environ.get("WORKIVA_CLIENT_ID", "sandbox-client" if WORKIVA_SANDBOX else "")
WORKIVA_CLIENT_SECRET = os.environ.get("WORKIVA_CLIENT_SECRET", "sandbox-secret" if WORKIVA_SANDBOX else "")
WORKIVA_API_VERSION = os.environ.get("WORKIVA_API_VERSION", "2026-04-01.processes.preview")
# The platform API the directory reads (users, files, sections: general release, docs/deploy.md),
# and the organization whose users it lists (a UUID; the sandbox's seeded one by default).
WORKIVA_PLATFORM_VERSION = os.environ.get("WORKIVA_PLATFORM_VERSION", "2026-01-01")
WORKIVA_ORGANIZATION_ID = os.environ.get("WORKIVA_ORGANIZATION_ID", SANDBOX_ORGANIZATION_ID if WORKIVA_SANDBOX else "")
WORKIVA_CONNECT_TIMEOUT = float(os.environ.get("WORKIVA_CONNECT_TIMEOUT", "5"))
WORKIVA_READ_TIMEOUT = float(os.environ.get("WORKIVA_READ_TIMEOUT", "30"))

# Logs go to stdout: JSON lines in production (LOG_FORMAT=json), plain text in development.
# Every handler passes through the redaction filter, so tokens, secrets and Authorization
# headers never reach the log (designer/logsafe.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"plain", "json"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f'LOG_FORMAT must be "json" or "plain", not {LOG_FORMAT!r}.')
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "designer.logsafe.RedactSecretsFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's default handlers for these (console in DEBUG only, mail to admins, runserver's
        # own) are replaced, so that every line goes through the redacting handler.
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
# Seconds the client may spend waiting between retries of one request (429/502/503/504).
WORKIVA_RETRY_BUDGET = float(os.environ.get("WORKIVA_RETRY_BUDGET", "30"))
# After a create, ask Workiva to validate the new process and record its errors by server id.
WORKIVA_VALIDATE_AFTER_CREATE = env_bool("WORKIVA_VALIDATE_AFTER_CREATE", True)
# A create whose answer was lost is looked for (never sent again) for this long, the first pause
# between looks doubling up to a minute; then a person decides (docs/publishing.md).
WORKIVA_RECONCILE_WINDOW_SECONDS = float(os.environ.get("WORKIVA_RECONCILE_WINDOW_SECONDS", "600"))
WORKIVA_RECONCILE_BACKOFF_SECONDS = float(os.environ.get("WORKIVA_RECONCILE_BACKOFF_SECONDS", "5"))
# The user id in created.user.id of processes the API grant creates, if known; otherwise it is
# learned from this installation's own 201 answers.
WORKIVA_API_USER_ID = os.environ.get("WORKIVA_API_USER_ID", "")
# Web link to a created process, "{id}" replaced; Workiva's URL pattern is not published. Empty: no link
# (the sandbox links to its own page).
WORKIVA_PROCESS_LINK = os.environ.get("WORKIVA_PROCESS_LINK", "")
