"""Settings for the Incheon Tech Week delegation site.

One file, driven by environment variables (see docs/configuration.md).
Safe local defaults; production must set DJANGO_SECRET_KEY.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-local-development-key-only-used-when-DJANGO_DEBUG-is-on"

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in {"http", "https"} or not _site.hostname:
    raise ImproperlyConfigured(f"SITE_URL must be an absolute http(s) URL, got {SITE_URL!r}")
SITE_IS_HTTPS = _site.scheme == "https"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", f"{_site.hostname},127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = [f"{_site.scheme}://{_site.netloc}"]

INSTALLED_APPS = [
    "incheon_delegation.apps.DelegationAdminConfig",  # django.contrib.admin with our AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "registrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Anonymous GETs of the two public pages, from this process's memory when unchanged (registrations/views/page_memo.py).
    "registrations.views.page_memo.PublicPageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "registrations.core.middleware.RejectNulBytesMiddleware",
    "registrations.core.middleware.AdminFieldLimitMiddleware",
    "registrations.core.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "registrations.core.middleware.RateLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "registrations.core.middleware.CSPMiddleware",  # django-csp's, its headers built once
    "registrations.core.middleware.PrivacyHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "incheon_delegation.urls"
WSGI_APPLICATION = "incheon_delegation.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# DATABASE_URL: postgres://user@host:port/name (psycopg 3) or sqlite:///path.
# Default: an SQLite file in the project.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time. BEGIN IMMEDIATE takes the write lock at the
    # start of every transaction (so the seat count and the insert cannot interleave),
    # and the busy timeout makes a burst queue up instead of failing "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
    }
    # Tests use a real file so that several threads/processes share one database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a lighter connection health check (same round trip, less CPU): registrations/core/postgresql.
    DATABASES["default"]["ENGINE"] = "registrations.core.postgresql"
    # Server-side binding: each statement goes with its parameters apart (extended protocol), and psycopg
    # prepares it once this connection has run it DATABASE_PREPARE_THRESHOLD times: PostgreSQL then skips
    # parsing it again and, when its generic plan is as cheap, planning it. It pays only on connections that
    # are kept (DATABASE_CONN_MAX_AGE > 0, as `make serve` and docs/deploying.md set it), so it is on by default
    # only then; with a new connection per request nothing is ever prepared. Off (0) behind a pooler in
    # transaction mode that does not keep prepared statements. CI runs the PostgreSQL suite with it forced on.
    if env_bool("DATABASE_SERVER_SIDE_BINDING", DATABASES["default"]["CONN_MAX_AGE"] != 0):
        _threshold = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5").strip()
        DATABASES["default"]["OPTIONS"] = {
            **DATABASES["default"].get("OPTIONS", {}),
            "server_side_binding": True,
            "prepare_threshold": int(_threshold) if _threshold else None,
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time ---------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("ko", _("Korean")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Language: the visitor's choice (switcher, kept in this cookie), else Accept-Language, else English.
# No language prefix in URLs: the addresses printed in QR codes work in every language.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
# Natural day and time per language ("4月13日 09:30", "4월 13일 오후 11:59"): incheon_delegation/formats/<lang>/.
FORMAT_MODULE_PATH = ["incheon_delegation.formats"]
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Production (DEBUG off): collectstatic writes hashed, compressed copies that WhiteNoise serves
# with far-future cache headers. DEBUG on (`make run`): plain names, served from static/.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- HTTPS follows SITE_URL's scheme -------------------------------------
SESSION_COOKIE_SECURE = SITE_IS_HTTPS
CSRF_COOKIE_SECURE = SITE_IS_HTTPS
LANGUAGE_COOKIE_SECURE = SITE_IS_HTTPS
SECURE_SSL_REDIRECT = SITE_IS_HTTPS and env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if SITE_IS_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SITE_IS_HTTPS and env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = SITE_IS_HTTPS and env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- E-mail -----------------------------------------------------------------
# With EMAIL_HOST set, mail goes out through that SMTP server; without it, to the console, which
# prints every message (private links, personal details) in the server log: with DEBUG off the
# deploy check refuses that unless EMAIL_BACKEND=console says it is meant (local `make serve`).
# Messages are recorded in the outbox first and sent after commit (see docs/deploying.md "Sending e-mail").
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_CONSOLE_CHOSEN = os.environ.get("EMAIL_BACKEND", "").strip().lower() == "console"
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST and not EMAIL_CONSOLE_CHOSEN else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS, usually port 587) or EMAIL_USE_SSL (port 465), not both.")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "delegation@localhost")
# Replies to registrants' e-mails reach the organizers (Reply-To); empty: no Reply-To header.
ORGANIZER_EMAIL = os.environ.get("ORGANIZER_EMAIL", "").strip()
EMAIL_OUTBOX_MAX_ATTEMPTS = int(os.environ.get("EMAIL_OUTBOX_MAX_ATTEMPTS", "8"))
# On: each message is sent in the request right after its transaction commits. Off: the request only
# records it and `send_pending_emails` (cron, every minute) sends it; lighter under a burst.
EMAIL_SEND_AFTER_COMMIT = env_bool("EMAIL_SEND_AFTER_COMMIT", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No personal data in logs: private tokens and e-mail addresses are masked in every record.
    "filters": {"redact": {"()": "registrations.core.log_filters.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # fontTools reports every font subset of a PDF at INFO: only its warnings.
    "loggers": {"fontTools": {"level": "WARNING"}},
}

# --- Behind a reverse proxy ---------------------------------------------------
# "HTTP_X_FORWARDED_PROTO" when the proxy (nginx) terminates TLS and sets X-Forwarded-Proto.
_proxy_ssl_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None
# Addresses or networks of the proxies whose X-Forwarded-For is believed (empty: none).
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Request size -----------------------------------------------------------------
# No file uploads; a registration is a few kilobytes. On the public site, bigger bodies answer 400
# before they are read, and a file part in a form answers 400 (registrations.core.middleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DJANGO_MAX_BODY_BYTES", str(512 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200  # public forms send about 15
# Admin forms only (AdminFieldLimitMiddleware): a delegation page with 8 sectors and 15 visits sends ~200.
ADMIN_URL_PREFIX = "/admin/"
ADMIN_DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# --- Shared cache (rate limits, cached page parts) --------------------------------
# Redis when REDIS_URL is set; the database otherwise. Never one process's memory.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHE_TABLE = "django_cache"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "registrations.core.shared_cache.RedisCache",  # Django's, reusing its redis client
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "delegation"),
        }
    }
    # If Redis cannot be reached, rate limits and cached page parts fail open (logged); pages still work.
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# With Redis: public pages learn of seat-state changes from Redis's change notices (client-side caching,
# registrations/core/shared_cache.KeyWatch) instead of a Redis GET per page; off (0): a GET per page.
SEAT_STATE_WATCH = env_bool("SEAT_STATE_WATCH", True)

# --- Rate limits on public POSTs ("count/seconds") -----------------------------------
# Per client address: generous, so that a hall of 100 people behind one address can all
# register (and correct a mistake or two) within five minutes. Per e-mail: strict.
RATELIMIT_PER_ADDRESS = os.environ.get("RATELIMIT_PER_ADDRESS", "600/600")
RATELIMIT_PER_EMAIL = os.environ.get("RATELIMIT_PER_EMAIL", "10/3600")
# QR images and printed short links (/q/) per client address (GETs; a QR image costs up to ~20 ms).
# "Lost your link?" and the registration form's duplicate answer: private-link e-mails per address, and asks per client.
RATELIMIT_LINK_PER_EMAIL = os.environ.get("RATELIMIT_LINK_PER_EMAIL", "3/3600")
RATELIMIT_LINK_PER_ADDRESS = os.environ.get("RATELIMIT_LINK_PER_ADDRESS", "20/3600")
RATELIMIT_QR_PER_ADDRESS = os.environ.get("RATELIMIT_QR_PER_ADDRESS", "300/600")
# Host lists (/h/<token>/: the page and its downloads) per client address (GETs; a host's office opens it a few times).
RATELIMIT_HOST_LIST_PER_ADDRESS = os.environ.get("RATELIMIT_HOST_LIST_PER_ADDRESS", "60/600")
# A delegate's own invitation letter (a PDF made on request, seconds of CPU) per client address.
RATELIMIT_DOCUMENT_PER_ADDRESS = os.environ.get("RATELIMIT_DOCUMENT_PER_ADDRESS", "20/600")

# --- Content Security Policy (django-csp 4): no inline script, no third-party host ---
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Admin login: brute-force protection (django-axes, stored in the database) ------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "registrations.core.client_address.client_address"
AXES_LOCKOUT_TEMPLATE = "429_login.html"
AXES_VERBOSE = False

# --- Privacy ------------------------------------------------------------------------
# Days after a delegation ends before purge_personal_data anonymises its registrations.
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "180"))
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", str(BASE_DIR / "backups")))

# Travel documents (passport details): encrypted at rest with these Fernet keys, comma-separated.
# The first encrypts; all decrypt (rotation: put the new key first, run rotate_travel_document_keys,
# then drop the old one). Production refuses to start without one (check registrations.E010).
TRAVEL_DOCUMENT_KEYS = env_list("TRAVEL_DOCUMENT_KEYS", "")
TRAVEL_DOCUMENT_RETENTION_DAYS = int(os.environ.get("TRAVEL_DOCUMENT_RETENTION_DAYS", "7"))

# PDF documents (letters, badges, lists) embed subsets of one font covering Latin, Chinese and Korean:
# Noto Sans CJK from Debian's fonts-noto-cjk (make run / make test install it). A .ttc, .otf or .ttf path.
PDF_FONT_FILE = os.environ.get("PDF_FONT_FILE", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
PDF_FONT_BOLD_FILE = os.environ.get("PDF_FONT_BOLD_FILE", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
