"""Settings, all read from the environment (see README) with safe defaults."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import ConfigError, env_bool, env_int, env_list, env_str, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError(
            "DJANGO_SECRET_KEY가 비어 있습니다. DEBUG=off에서는 반드시 설정해야 합니다."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ConfigError("DJANGO_SECRET_KEY는 50자 이상의 임의 문자열이어야 합니다.")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ConfigError(
        "DJANGO_ALLOWED_HOSTS가 비어 있습니다. "
        "DEBUG=off에서는 서비스할 호스트 이름을 쉼표로 적어 주세요."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "gwangyang_plan",
    "strategies",
    "projects",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gwangyang_plan.middleware.SessionIdleMiddleware",
    "gwangyang_plan.middleware.ChosenLanguageMiddleware",
    # Before anything reads the body (the CSRF check, a form): see the middleware.
    "gwangyang_plan.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gwangyang_plan.middleware.PrivateNoStoreMiddleware",
    "gwangyang_plan.middleware.MethodNotAllowedPageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "gwangyang_plan.audit.RefusedAccessLogMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' own rule).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gwangyang_plan.urls"
WSGI_APPLICATION = "gwangyang_plan.wsgi.application"

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
                "gwangyang_plan.context_processors.site",
                "projects.context_processors.navigation",
            ],
        },
    },
]

# Form widgets render through the templates above, so templates/django/forms/ may replace one
# of Django's (the select, there: see why).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", "sqlite:///db.sqlite3"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "projects.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "projects.backends.RolesBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 9},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every django-tables2 table: labelled cells (card rows on a phone) and the KRDS pager.
DJANGO_TABLES2_TEMPLATE = "projects/_tables2.html"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:landing"  # staff land on 내 업무, others on the dashboard
LOGOUT_REDIRECT_URL = "login"

# Idle timeout: a session ends after SESSION_IDLE_MINUTES without a request.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=5, maximum=24 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Its expiry moves on with use: gwangyang_plan.middleware.SessionIdleMiddleware (not
# SESSION_SAVE_EVERY_REQUEST, which writes to the database on every request).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in lockout: AXES_FAILURE_LIMIT failures lock that user name from that address for a while.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# The client's address, for the lockout and the audit log. Behind TRUSTED_PROXY_COUNT reverse
# proxies that each append to X-Forwarded-For it is the one the outermost proxy appended; with 0
# the header is ignored, else any client could pick its address and dodge the lockout.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=10)
AXES_CLIENT_IP_CALLABLE = "gwangyang_plan.audit.forwarded_client_ip"

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "build" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Evidence files: at most ATTACHMENT_MAX_MB each; requests a little more than that are refused.
ATTACHMENT_MAX_MB = env_int("ATTACHMENT_MAX_MB", 20, minimum=1, maximum=500)
# Excel uploads (/import/): at most IMPORT_MAX_MB.
IMPORT_MAX_MB = env_int("IMPORT_MAX_MB", 5, minimum=1, maximum=100)
# Submission checks: an indicator further than this many % off its target is a warning.
CHECK_INDICATOR_MARGIN = env_int("CHECK_INDICATOR_MARGIN", 30, minimum=1, maximum=1000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Page bodies every reader sees alike (projects.views.version_cached) and the public page, kept
# on local disk so that all workers of a server share them: a change is computed once, not once
# per worker. Keys name the data version, so servers behind a load balancer may each keep their
# own directory without ever serving a stale page.
CACHE_DIR = Path(env_str("CACHE_DIR", str(BASE_DIR / "build" / "cache")))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": CACHE_DIR,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "광양시 4차산업혁명 추진관리 <noreply@localhost>"
)

# send_reminders mails departments every this many days while their report is overdue.
REMINDER_OVERDUE_EVERY_DAYS = env_int("REMINDER_OVERDUE_EVERY_DAYS", 7, minimum=1, maximum=90)

# The citizens' page at /public/ exists only when PUBLIC_PAGE=on.
PUBLIC_PAGE = env_bool("PUBLIC_PAGE", False)

# Content-Security-Policy: everything from this site only; no inline script anywhere.
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
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# The language switch posts a form; no script reads the choice.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only for a plain-HTTP test on loopback (make load); never in production.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env_bool(
        "SECURE_COOKIES", True
    )
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ConfigError(
        f"LOG_LEVEL={LOG_LEVEL!r}: DEBUG, INFO, WARNING, ERROR, CRITICAL 중 하나여야 합니다."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # django-axes reports every sign-in at INFO; keep its warnings (lockouts) only.
    "loggers": {
        "axes": {"level": "WARNING"},
        "gwangyang_plan.audit": {"level": "INFO"},
    },
}
