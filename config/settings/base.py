"""Settings shared by every environment, configured from the environment.

Everything is defined here; local/production/test only switch what differs.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- The organisations behind the coordination regulation --------------------
# Names change with administrative reforms, so they are configuration, not code.
PROVINCE_NAME = env("PROVINCE_NAME", default="Nam Định")
PARTY_COMMITTEE_NAME = env("PARTY_COMMITTEE_NAME", default="Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh")
PARTY_COMMITTEE_ABBR = env("PARTY_COMMITTEE_ABBR", default="ĐUK")
PARTY_COMMITTEE_SUPERIOR = env("PARTY_COMMITTEE_SUPERIOR", default="ĐẢNG BỘ TỈNH")
IZ_BOARD_NAME = env("IZ_BOARD_NAME", default="Ban Quản lý các khu công nghiệp tỉnh")
IZ_BOARD_ABBR = env("IZ_BOARD_ABBR", default="BQL")

# --- Applications -------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "django_filters",
    "simple_history",
    "django_celery_beat",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
LOCAL_APPS = [
    "core",
    "accounts",
    "enterprises",
    "coordination",
    "surveys",
    "reports",
    "api",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.TwoStepMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.NoStoreMiddleware",
    # django-axes must come last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

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
                "core.context_processors.shell",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
elif not env.bool("POSTGRES_JIT", default=False):
    # PostgreSQL compiles a query with JIT when its estimated cost is high, as
    # the dashboard's grouped counts are (one column per indicator and
    # period): on the large demo data the compilation took 120 ms of a 280 ms
    # query that runs in 160 ms without it. JIT pays off for long analytical
    # queries, not for a page's; POSTGRES_JIT=True turns it back on.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Threads beside a request's own that may ask its independent read queries
# (a dashboard computed afresh) at the same time, each with a connection of
# its own (core.parallel; PostgreSQL only). Count them in the connections:
# (1 + this) x gunicorn workers, plus the Celery workers, below the server's
# max_connections. 0 runs every query in the request's thread.
PARALLEL_QUERY_THREADS = env.int("PARALLEL_QUERY_THREADS", default=2)

# --- Authentication ---------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two-step sign-in (accounts.mfa): required for accounts that see personal data,
# enter or change data, or administer, when MFA_REQUIRED (production's default);
# optional for everyone.
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="KCN Phối hợp xây dựng Đảng")
# Wrong codes: each failure doubles the wait (1, 2, 4, ... seconds) per device.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# django-axes locks sign-in for 15 minutes after this many failures within 15
# minutes, in three tiers (accounts.lockout): a username from one address (one
# person mistyping), a username from any address (guessing one account's
# password from many machines), an address for any username (one password tried
# on many accounts; higher, because a whole office shares one address).
LOCKOUT_TIER_LIMITS = {
    ("username", "ip_address"): env.int("AXES_FAILURE_LIMIT", default=5),
    ("username",): env.int("AXES_USERNAME_FAILURE_LIMIT", default=10),
    ("ip_address",): env.int("AXES_IP_FAILURE_LIMIT", default=20),
}
AXES_LOCKOUT_PARAMETERS = [list(parameters) for parameters in LOCKOUT_TIER_LIMITS]
AXES_FAILURE_LIMIT = LOCKOUT_TIER_LIMITS[("username", "ip_address")]
AXES_HANDLER = "accounts.lockout.TieredLockoutHandler"
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Reverse proxies in front of the application, each appending the address it
# received the request from to X-Forwarded-For: 0 = none (the header is
# ignored); production's default is 1, the bundled nginx or a proxy on the host.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_VERBOSE = False

# --- Sessions: 30 minutes of inactivity, and an absolute lifetime ------------------
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

# --- Security headers -------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws form controls with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
FORMAT_MODULE_PATH = ["config.formats"]
LANGUAGE_COOKIE_NAME = "lang"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads and generated reports live outside the web root and are served
# only through views that check access.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/files/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Forms -------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Celery ----------------------------------------------------------------------------------------
# Without a broker URL, Celery uses kombu's filesystem transport under var/,
# so the worker and beat run on a single machine without a Redis server.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="filesystem://"))

# The dashboard's computed figures are cached; shared between processes through Redis
# when there is one (database 1, apart from the broker's), per process otherwise.
CACHE_URL = env("CACHE_URL", default="")
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=300)
# A qualifying enterprise with no proposal to found a party organization after
# this many days is flagged (the founding board and the data review).
FOUNDING_PROPOSAL_DAYS = env.int("FOUNDING_PROPOSAL_DAYS", default=90)
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": CACHE_URL, "TIMEOUT": 300,
                          "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 5
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
if CELERY_BROKER_URL.startswith("filesystem"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "data_folder_processed": str(VAR_DIR / "celery" / "processed"),
        # The exchange tables; kombu's default is ./control in the working directory.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # Above the longest task (time limit), so an unacked task is not
    # redelivered while it still runs.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
DJANGO_CELERY_BEAT_TZ_AWARE = True

# --- Email -----------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@kcn.local")
# Absolute address of the site, for links in e-mails.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 20

# --- Import limits ----------------------------------------------------------------------------------
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
# Entries refused because a record outside the account's scope exists (a citizen ID, a
# tax code): after this many in an hour every such entry is refused (probing).
OUT_OF_SCOPE_REFUSALS_PER_HOUR = env.int("OUT_OF_SCOPE_REFUSALS_PER_HOUR", default=5)
# Retention (core.retention): uploaded import workbooks are deleted once applied, else after
# this many days; members who left and closed cases are pseudonymised this many years
# after (empty: kept).
IMPORT_UPLOAD_RETENTION_DAYS = env.int("IMPORT_UPLOAD_RETENTION_DAYS", default=30)
PSEUDONYMISE_AFTER_YEARS = env.int("PSEUDONYMISE_AFTER_YEARS", default=None)
# List exports (core.exports): a filtered list of at most this many rows is written inside
# the request (200 rows take about 150 ms); a longer one is built by the Celery worker and
# offered on "My exports", whose files are deleted after EXPORT_RETENTION_DAYS days.
EXPORT_INLINE_ROWS = env.int("EXPORT_INLINE_ROWS", default=200)
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_MAX_PER_OBJECT = env.int("ATTACHMENT_MAX_PER_OBJECT", default=20)
# Word documents (core.documents): a folder of the province's own copies of the
# templates, looked in first; the built-in ones are under templates/docx/.
DOCX_TEMPLATE_DIR = env("DOCX_TEMPLATE_DIR", default="")

# --- REST API (api/) ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: its "WWW-Authenticate: Bearer" makes a request without
        # credentials a 401.
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.PolicyPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per minute and token (or signed-in account, or address): reads, and
# the sync's writes. Counted in the default cache (see CACHE_URL).
API_PATH_PREFIX = "/api/"
API_PROBLEM_TYPE_BASE = "/api/v1/problems/"
API_THROTTLE_RATES = {
    "read": env("API_THROTTLE_READ", default="600/minute"),
    "write": env("API_THROTTLE_WRITE", default="60/minute"),
}
API_MAX_BODY_BYTES = env.int("API_MAX_BODY_BYTES", default=4 * 1024 * 1024)
API_MAX_ITEMS = env.int("API_MAX_ITEMS", default=1000)
API_IDEMPOTENCY_HOURS = 24
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=365)
SPECTACULAR_SETTINGS = {
    "TITLE": "KCN Phối hợp xây dựng Đảng API",
    "DESCRIPTION": (
        "The registry, party development, plans, indicators and reports, for the systems of "
        "the Party Committee and the IZ Board. Authenticate with `Authorization: Bearer "
        "<token>`; every call has the token's account's role and zones. Errors are RFC 9457 "
        "problem details. Messages are in Vietnamese unless `Accept-Language: en`."),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseStatusEnum": "enterprises.models.Enterprise.Status",
        "MemberStatusEnum": "coordination.models.PartyMember.Status",
        "PlanStatusEnum": "coordination.models.CoordinationPlan.Status",
        "ReportStatusEnum": "reports.models.Report.Status",
        "SyncStatusEnum": ["new", "updated", "unchanged", "error"],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_problem_responses",
        "api.schema.add_list_limits",
    ],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "DISABLE_ERRORS_AND_WARNINGS": False,
}

# Demo data (seed_demo) creates accounts with a known password: never in production.
DEMO_DATA_ALLOWED = env.bool("DEMO_DATA_ALLOWED", default=DEBUG)

# --- Logging: no personal data goes into logs --------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request logs carry URLs and query strings; keep them at WARNING.
        "django.request": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
