"""Django settings, read from the environment; the defaults run on one machine with SQLite."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from ficarchive.env import (
    SettingError,
    allowed_hosts,
    data_dir,
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_str,
    parse_proxies,
    secret_key,
    site_url,
    trusted_origins,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("DEBUG")
# The archive's public address: links in emails and downloads are built from it, and by default
# only its host name (and this machine's own names) may appear in a request's Host header.
SITE_URL = site_url(env_int("PORT", 8000))
ALLOWED_HOSTS = allowed_hosts(SITE_URL)
# The reverse proxies whose X-Forwarded-For names the reader's address (proxies.py); gunicorn
# is given the same list (serve.py). Addresses, networks, or "*".
TRUSTED_PROXIES = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1")
parse_proxies(TRUSTED_PROXIES)  # a wrong entry stops the start, naming it
CSRF_TRUSTED_ORIGINS = trusted_origins(SITE_URL)
SITE_NAME = env_str("SITE_NAME", "ficarchive")
# Where readers get this site's source code (AGPL section 13: set it if you change the code).
SOURCE_URL = env_str("FICARCHIVE_SOURCE_URL", "")
# What link previews and search engines say of the site where a page has nothing of its own.
SITE_DESCRIPTION = env_str(
    "FICARCHIVE_SITE_DESCRIPTION",
    "A fan fiction archive: read stories in chapters or whole, find them by their tags, "
    "and post your own.",
)
# robots.txt refuses the crawlers that gather text to train AI models (web/crawlers.py), by name.
REFUSE_AI_CRAWLERS = env_bool("FICARCHIVE_REFUSE_AI_CRAWLERS", default=True)
# Addresses per page of sitemap.xml (search engines read at most 50,000).
SITEMAP_PAGE_SIZE = env_int("FICARCHIVE_SITEMAP_PAGE_SIZE", 50_000)
if not 1 <= SITEMAP_PAGE_SIZE <= 50_000:
    raise SettingError(
        f"FICARCHIVE_SITEMAP_PAGE_SIZE must be from 1 to 50000, not {SITEMAP_PAGE_SIZE}"
    )
# /healthz fails when the worker's last upkeep, or the oldest change this process's search
# index has not applied, is older than these seconds (0: not checked).
HEALTH_WORKER_SECONDS = env_int("FICARCHIVE_HEALTH_WORKER_SECONDS", 300)
HEALTH_INDEX_SECONDS = env_int("FICARCHIVE_HEALTH_INDEX_SECONDS", 60)
# The search index is built once per machine and written to SEARCH_SNAPSHOT_DIR, where every
# server and worker process maps it (search/snapshot.py); one process rebuilds it in the
# background when it is older than SEARCH_SNAPSHOT_MINUTES, and the others move to the new one.
SEARCH_SNAPSHOTS = env_bool("FICARCHIVE_SEARCH_SNAPSHOTS", default=True)
SEARCH_SNAPSHOT_DIR = Path(env_str("FICARCHIVE_SEARCH_SNAPSHOT_DIR") or DATA_DIR / "search-index")
SEARCH_SNAPSHOT_MINUTES = env_int("FICARCHIVE_SEARCH_SNAPSHOT_MINUTES", 20)
if not 1 <= SEARCH_SNAPSHOT_MINUTES <= 45:  # the change log keeps an hour: see search/snapshot.py
    raise SettingError(
        f"FICARCHIVE_SEARCH_SNAPSHOT_MINUTES must be from 1 to 45, not {SEARCH_SNAPSHOT_MINUTES}"
    )
# Remote images in user HTML (text/images.py): "click" shows a link to each, so nothing is
# fetched until the reader asks; "proxy" fetches them through the archive; "show" as written.
REMOTE_IMAGES = env_choice("FICARCHIVE_REMOTE_IMAGES", ("click", "proxy", "show"), "click")
REMOTE_IMAGE_MAX_BYTES = env_int("FICARCHIVE_REMOTE_IMAGE_MAX_BYTES", 5 * 1024 * 1024)
REMOTE_IMAGE_TIMEOUT = env_int("FICARCHIVE_REMOTE_IMAGE_TIMEOUT", 5)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ficarchive.accounts",
    "ficarchive.accounts.two_factor",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ficarchive.tags",
    "ficarchive.works",
    "ficarchive.demo",
    "ficarchive.exporting",
    "django_tasks",
    "django_tasks_db",
    "ficarchive.social",
    "ficarchive.search",
    "ficarchive.importing",
    "ninja",
    "ficarchive.api",
    "ficarchive.backups",
    "ficarchive.moderation",
    "ficarchive.collections",
    "django.contrib.sitemaps",
    "ficarchive.web",
]

# Django's backend, loading with the user whether they hold any permission (no permission
# query on an ordinary reader's pages).
AUTHENTICATION_BACKENDS = ["ficarchive.moderation.backends.RolesBackend"]

MIDDLEWARE = [
    "ficarchive.proxies.ForwardedForMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "ficarchive.uploads.RefuseOversizedUploads",
    "csp.middleware.CSPMiddleware",
    "ficarchive.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ficarchive.unavailable.DatabaseFaultMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "ficarchive.conditional.ConditionalPageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ficarchive.input_guard.RefuseUnusableInput",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ficarchive.accounts.middleware.UserTimezoneMiddleware",
    "ficarchive.accounts.two_factor.middleware.TwoFactorRequiredMiddleware",
    "ficarchive.accounts.middleware.UserLanguageMiddleware",
    "ficarchive.social.middleware.ReadingMiddleware",
]

ROOT_URLCONF = "ficarchive.urls"
WSGI_APPLICATION = "ficarchive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ficarchive.context_processors.site",
            ],
            "builtins": ["ficarchive.text.templatetags.user_html"],
        },
    }
]

# A server process keeps its PostgreSQL connections for a minute (checked before reuse) instead
# of opening one per request: under 50 writers that doubled the requests answered a second.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'ficarchive.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if env_str("DATABASE_URL") else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    # Tests use a file too, not one shared in-memory connection: the browser tests' live
    # server then gives each request thread its own connection, as in production. (Threads
    # sharing one connection can deadlock when SQLite calls back into Python: db.py's LOWER.)
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
# PostgreSQL: a web request's statement is cut after this many milliseconds (0: never), and the
# request answers 503 as for any busy database (see db.py and unavailable.py).
STATEMENT_TIMEOUT_MS = env_int("FICARCHIVE_STATEMENT_TIMEOUT_MS", 30_000)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface's languages. A signed-in reader's choice (preferences) wins, then the language
# a guest picked in the footer (a cookie), then the browser's Accept-Language, then this default.
# Downloads (EPUB, PDF, ...) are drawn in LANGUAGE_CODE for everyone: the same bytes per work.
LANGUAGE_CODE = env_str("FICARCHIVE_LANGUAGE") or "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ficarchive.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("FICARCHIVE_STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CACHE_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            # One SQLite file shared by every process of the machine (never per-process state).
            "BACKEND": "ficarchive.machine_cache.MachineCache",
            "LOCATION": str(DATA_DIR / "cache.sqlite3"),
            "OPTIONS": {
                "MAX_ENTRIES": 100_000,
                "MAX_BYTES": env_int("FICARCHIVE_CACHE_MB", 512) * 2**20,
            },
        }
    )
}

# Mail: printed to the console unless an SMTP host is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ficarchive <noreply@localhost>")

# Security: Django's protections stay on; cookies are secure behind HTTPS.
HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe /healthz on the machine itself, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Browsers that saw the archive over HTTPS never try plain HTTP again for a year.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Pages run only the archive's own script files (no inline script anywhere) and load only its
# own styles, images and fonts; user HTML keeps its few sanitized style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", *(["https:", "http:"] if REMOTE_IMAGES == "show" else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'none'"],
        "object-src": ["'none'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("FICARCHIVE_MAX_POST_BYTES", 10 * 1024 * 1024)
# The most the files of one upload (the importer's) may weigh together, and the most text one
# imported work may hold; a larger request gets 413 before its body is read, and files are
# counted as they stream in (ficarchive.uploads). One import takes under 100 MB at 8 MB.
MAX_UPLOAD_BYTES = env_int("FICARCHIVE_MAX_UPLOAD_BYTES", 8 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = [
    "ficarchive.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# A refused request (403, 400) logs one line with its reason, no traceback; the task worker one
# line per task (log_filters.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "refusals_in_one_line": {"()": "ficarchive.log_filters.RefusalsInOneLine"},
        "one_line_per_task": {"()": "ficarchive.log_filters.OneLinePerTask"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.request": {"filters": ["refusals_in_one_line"]},
        "django_tasks": {"filters": ["one_line_per_task"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

WORKS_PER_PAGE = env_int("FICARCHIVE_WORKS_PER_PAGE", 20)
# Shelves: how many a reader keeps, how many works one holds, and how many words of them one
# download may hold (a shelf past that is downloaded work by work, or split).
SHELVES_PER_READER = env_int("FICARCHIVE_SHELVES_PER_READER", 100)
WORKS_PER_SHELF = env_int("FICARCHIVE_WORKS_PER_SHELF", 500)
SHELF_DOWNLOAD_MAX_WORDS = env_int("FICARCHIVE_SHELF_DOWNLOAD_MAX_WORDS", 2_000_000)
AUDIT_ENTRIES_PER_PAGE = env_int("FICARCHIVE_AUDIT_ENTRIES_PER_PAGE", 50)
ROLE_MEMBERS_PER_PAGE = env_int("FICARCHIVE_ROLE_MEMBERS_PER_PAGE", 50)

# Background tasks (emails, subscription fan-out) queue in the database; `ficarchive serve`
# starts a worker beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Hits are counted in the cache and written to the database in batches.
HITS_FLUSH_AT = env_int("FICARCHIVE_HITS_FLUSH_AT", 50)
HITS_FLUSH_SECONDS = env_int("FICARCHIVE_HITS_FLUSH_SECONDS", 60)

# Failed log-ins allowed per account name and per address in a window (seconds).
LOGIN_FAILURE_LIMIT = env_int("FICARCHIVE_LOGIN_FAILURE_LIMIT", 10)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("FICARCHIVE_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 50)
LOGIN_FAILURE_WINDOW = env_int("FICARCHIVE_LOGIN_FAILURE_WINDOW", 900)
# Two-factor sign-in (accounts/two_factor): seconds between a right password and the second
# factor; wrong codes count against the log-in failure limits above, so django-otp's own
# per-device delays are off.
TWO_FACTOR_PENDING_SECONDS = env_int("FICARCHIVE_TWO_FACTOR_PENDING_SECONDS", 300)
OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# JSON API: requests per window (seconds) for each token or signed-in user, and for each
# guest address.
API_RATE_WINDOW = env_int("FICARCHIVE_API_RATE_WINDOW", 60)
API_RATE_LIMIT_USER = env_int("FICARCHIVE_API_RATE_LIMIT_USER", 300)
API_RATE_LIMIT_GUEST = env_int("FICARCHIVE_API_RATE_LIMIT_GUEST", 60)

# Reports (moderation): at most this many reports of one work or user, and of one chapter,
# comment, series, bookmark or pseud, from one reporter in REPORT_WINDOW_DAYS days; at most
# REPORTS_PER_DAY reports a day from one account, REPORTS_PER_ADDRESS from one guest address.
REPORTS_PER_WORK_OR_USER = env_int("FICARCHIVE_REPORTS_PER_WORK_OR_USER", 5)
REPORTS_PER_ITEM = env_int("FICARCHIVE_REPORTS_PER_ITEM", 3)
REPORT_WINDOW_DAYS = env_int("FICARCHIVE_REPORT_WINDOW_DAYS", 31)
REPORTS_PER_DAY = env_int("FICARCHIVE_REPORTS_PER_DAY", 5)
REPORTS_PER_ADDRESS = env_int("FICARCHIVE_REPORTS_PER_ADDRESS", 5)
REPORT_SNAPSHOT_MAX_CHARS = env_int("FICARCHIVE_REPORT_SNAPSHOT_MAX_CHARS", 200_000)
CASES_PER_PAGE = env_int("FICARCHIVE_CASES_PER_PAGE", 25)

# Invitations (moderation): while sign-ups are by invitation, the worker answers the
# INVITATIONS_PER_BATCH oldest requests every INVITATION_BATCH_HOURS hours (either 0: never).
INVITATIONS_PER_BATCH = env_int("FICARCHIVE_INVITATIONS_PER_BATCH", 10)
INVITATION_BATCH_HOURS = env_int("FICARCHIVE_INVITATION_BATCH_HOURS", 24)
INVITATIONS_SENT_AT_ONCE = env_int("FICARCHIVE_INVITATIONS_SENT_AT_ONCE", 500)
INVITATIONS_GIVEN_AT_ONCE = env_int("FICARCHIVE_INVITATIONS_GIVEN_AT_ONCE", 50)
# Invitation requests from one network address per window (seconds).
INVITATION_REQUESTS_PER_ADDRESS = env_int("FICARCHIVE_INVITATION_REQUESTS_PER_ADDRESS", 5)
INVITATION_REQUEST_WINDOW = env_int("FICARCHIVE_INVITATION_REQUEST_WINDOW", 3600)
INVITATION_QUEUE_PER_PAGE = env_int("FICARCHIVE_INVITATION_QUEUE_PER_PAGE", 50)
# Hours a link to confirm a new email address works.
EMAIL_CHANGE_LINK_HOURS = env_int("FICARCHIVE_EMAIL_CHANGE_LINK_HOURS", 48)

# Spam checks (moderation/spam): each rule's points add to a base score (log-odds, with the
# classifier's), and a text whose score reaches the threshold (0 to 1) is held for review.
SPAM_HOLD_THRESHOLD = env_float("FICARCHIVE_SPAM_HOLD_THRESHOLD", 0.6)
SPAM_BASE_POINTS = env_float("FICARCHIVE_SPAM_BASE_POINTS", -2.0)
SPAM_CLASSIFIER_WEIGHT = env_float("FICARCHIVE_SPAM_CLASSIFIER_WEIGHT", 1.0)
SPAM_CLASSIFIER_MIN_WORDS = env_int("FICARCHIVE_SPAM_CLASSIFIER_MIN_WORDS", 4)
SPAM_LINK_POINTS = env_float("FICARCHIVE_SPAM_LINK_POINTS", 1.0)
SPAM_LINKS_COUNTED = env_int("FICARCHIVE_SPAM_LINKS_COUNTED", 2)
SPAM_LINK_SHARE = env_float("FICARCHIVE_SPAM_LINK_SHARE", 0.3)
SPAM_LINK_SHARE_POINTS = env_float("FICARCHIVE_SPAM_LINK_SHARE_POINTS", 1.5)
SPAM_NEW_ACCOUNT_DAYS = env_int("FICARCHIVE_SPAM_NEW_ACCOUNT_DAYS", 7)
SPAM_NEW_ACCOUNT_POINTS = env_float("FICARCHIVE_SPAM_NEW_ACCOUNT_POINTS", 1.0)
SPAM_LOW_ACTIVITY_POSTS = env_int("FICARCHIVE_SPAM_LOW_ACTIVITY_POSTS", 3)
SPAM_LOW_ACTIVITY_POINTS = env_float("FICARCHIVE_SPAM_LOW_ACTIVITY_POINTS", 0.5)
SPAM_REPEAT_POSTS = env_int("FICARCHIVE_SPAM_REPEAT_POSTS", 3)
SPAM_REPEAT_HOURS = env_int("FICARCHIVE_SPAM_REPEAT_HOURS", 24)
SPAM_REPEAT_MIN_CHARS = env_int("FICARCHIVE_SPAM_REPEAT_MIN_CHARS", 40)
SPAM_REPEAT_POINTS = env_float("FICARCHIVE_SPAM_REPEAT_POINTS", 2.0)
SPAM_HONEYPOT_POINTS = env_float("FICARCHIVE_SPAM_HONEYPOT_POINTS", 10.0)
SPAM_BURST_POSTS = env_int("FICARCHIVE_SPAM_BURST_POSTS", 5)
SPAM_BURST_SECONDS = env_int("FICARCHIVE_SPAM_BURST_SECONDS", 60)
SPAM_BURST_POINTS = env_float("FICARCHIVE_SPAM_BURST_POINTS", 1.0)
SPAM_CHECKED_CHARS = env_int("FICARCHIVE_SPAM_CHECKED_CHARS", 5000)
SPAM_QUEUE_PER_PAGE = env_int("FICARCHIVE_SPAM_QUEUE_PER_PAGE", 25)
# The classifier (moderation/spam/classifier.py): learns from the shipped starting set (unless
# off) and the latest decided checks, each counting the weight; each process looks for new
# decisions at most once per the seconds.
SPAM_CLASSIFIER_STARTING_SET = env_bool("FICARCHIVE_SPAM_CLASSIFIER_STARTING_SET", True)
SPAM_CLASSIFIER_DECISIONS = env_int("FICARCHIVE_SPAM_CLASSIFIER_DECISIONS", 5000)
SPAM_CLASSIFIER_DECISION_WEIGHT = env_int("FICARCHIVE_SPAM_CLASSIFIER_DECISION_WEIGHT", 2)
SPAM_CLASSIFIER_REFRESH_SECONDS = env_float("FICARCHIVE_SPAM_CLASSIFIER_REFRESH_SECONDS", 5.0)
# Akismet, when a key is set (`pip install ficarchive[akismet]`): its "spam" adds these points.
AKISMET_API_KEY = env_str("AKISMET_API_KEY")
AKISMET_POINTS = env_float("FICARCHIVE_AKISMET_POINTS", 3.0)
# New accounts (younger than the days, or with fewer public comments) may post at most
# COMMENT_LIMIT comments per window (seconds): AO3's 3 per 15 minutes.
COMMENT_LIMIT_ACCOUNT_DAYS = env_int("FICARCHIVE_COMMENT_LIMIT_ACCOUNT_DAYS", 7)
COMMENT_LIMIT_COMMENTS = env_int("FICARCHIVE_COMMENT_LIMIT_COMMENTS", 10)
COMMENT_LIMIT = env_int("FICARCHIVE_COMMENT_LIMIT", 3)
COMMENT_LIMIT_WINDOW = env_int("FICARCHIVE_COMMENT_LIMIT_WINDOW", 900)
