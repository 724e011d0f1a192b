"""The portal's only settings module: every value comes from the environment.

DEBUG is off unless the environment turns it on: `make run`, `make test` and the test settings
(tests/settings.py) do so themselves, so development still needs nothing set (SQLite under
var/, a throwaway key). Production sets at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL;
.env.example lists every variable.
"""

import os
from pathlib import Path

# openpyxl switches to lxml whenever it is installed (python-docx, for the Word documents,
# brings it); the spreadsheet engine's checks are written for the standard library's parser
# guarded by defusedxml, so keep openpyxl on that one. Read when openpyxl is first imported.
os.environ.setdefault("OPENPYXL_LXML", "False")

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG: bool = env.bool("DEBUG", default=False)

# A development key is generated per checkout so that no key ever lives in the repository.
if DEBUG:
    _dev_key_file = BASE_DIR / "var" / "dev-secret-key"
    if not _dev_key_file.exists():
        import secrets

        # URL-safe characters only: django-environ reads a leading "$" as a variable reference.
        _dev_key_file.parent.mkdir(parents=True, exist_ok=True)
        _dev_key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY: str = env.str("SECRET_KEY", default="") or _dev_key_file.read_text().strip()
else:
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SITE_NAME: str = env.str("SITE_NAME", default="Hội Khuyến học thị xã Nghĩa Lộ")
SITE_URL: str = env.str("SITE_URL", default="http://127.0.0.1:8000")
# The unit the public site belongs to (admin code, tree path or exact name): its figures and
# its sub-units are shown. When nothing matches, the root of the tree.
SITE_UNIT: str = env.str("SITE_UNIT", default="Hội Khuyến học thị xã Nghĩa Lộ")

INSTALLED_APPS = [
    "khuyenhoc.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "treebeard",
    "khuyenhoc.apps.AxesConfig",
    "khuyenhoc.apps.TasksDatabaseConfig",
    "django_prose_editor",
    "sorl.thumbnail",
    "associations",
    "learning",
    "reports",
    "dashboards",
    "awards",
    "news",
    # Last: only for its management commands (backup_site, restore_site).
    "khuyenhoc",
]

MIDDLEWARE = [
    # First: before anything reads the query string (khuyenhoc/query_cleaning.py).
    "khuyenhoc.query_cleaning.DropNulFromQueryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "khuyenhoc.urls"
WSGI_APPLICATION = "khuyenhoc.wsgi.application"
ASGI_APPLICATION = "khuyenhoc.asgi.application"

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
                "khuyenhoc.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
# Each gunicorn thread keeps its connection for a minute: opening one per request (a new
# PostgreSQL backend process each time) halved the throughput of every page that reads the
# database. The health check replaces a connection the server closed meanwhile.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a background worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

# An optional read replica: the public pages and the dashboards read from it, everything else
# (writes, transactions, the admin, a browser that has just written) from the primary. See
# khuyenhoc/db_router.py. Django never migrates it; it follows the primary by replication.
DATABASE_REPLICA_URL: str = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["khuyenhoc.db_router.ReplicaRouter"]
    # Inside django-axes, which stays last; it marks which requests may read the replica.
    MIDDLEWARE.insert(len(MIDDLEWARE) - 1, "khuyenhoc.db_router.ReplicaMiddleware")
# Seconds after a form is sent during which that browser reads only from the primary, so that
# staff who have just saved see their change even if the replica is a little behind.
REPLICA_PIN_SECONDS: int = env.int("REPLICA_PIN_SECONDS", default=30)
# The views that may read from the replica: by URL namespace, and by name for the few outside one.
REPLICA_URL_NAMESPACES = ["news", "dashboards", "awards"]
REPLICA_URL_NAMES = ["public_figures", "public_figures_chart"]

# Thumbnails are looked up once per process (khuyenhoc/thumbnails.py).
THUMBNAIL_BACKEND = "khuyenhoc.thumbnails.MemoisedThumbnailBackend"
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://khuyenhoc")}
if CACHES["default"]["BACKEND"].startswith("django_redis."):
    # Older django-environ releases map redis:// to the django-redis package; the portal uses
    # Django's own Redis backend, which needs only the redis client library.
    CACHES["default"]["BACKEND"] = "django.core.cache.backends.redis.RedisCache"
    CACHES["default"].pop("OPTIONS", None)
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same backend, reusing its client object (khuyenhoc/redis_cache.py).
    CACHES["default"]["BACKEND"] = "khuyenhoc.redis_cache.SharedClientRedisCache"
# With more than one process (gunicorn workers, several servers) a cache local to a process
# would keep showing a page that another process has already replaced: the page cache is
# emptied by a generation number stored in the cache itself (news/cache.py). Production
# therefore needs a shared cache, unless the install runs one single process and says so.
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)
SINGLE_PROCESS: bool = env.bool("SINGLE_PROCESS", default=False)
if not DEBUG and not SINGLE_PROCESS and CACHES["default"]["BACKEND"] in PROCESS_LOCAL_CACHES:
    # Settings load before translations: the operator's message is written in Vietnamese here.
    raise ImproperlyConfigured(
        "Bộ nhớ đệm (CACHE_URL) đang nằm riêng trong từng tiến trình: khi chạy nhiều tiến "
        "trình gunicorn hoặc nhiều máy chủ, tin vừa đăng sẽ không hiện ở các tiến trình khác. "
        "Hãy đặt CACHE_URL=redis://127.0.0.1:6379/1 (Redis dùng chung), hoặc đặt "
        "SINGLE_PROCESS=true nếu chỉ chạy đúng một tiến trình (GUNICORN_WORKERS=1)."
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "associations.backends.RolePermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "admin:login"
# Staff log in to work in the admin; an unsafe or missing `next` lands there too.
LOGIN_REDIRECT_URL = "admin:index"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Every view under these URL namespaces is a staff page: the system check associations.E003
# fails unless it goes through associations/staff_views.py (login, permission, scope).
STAFF_URL_NAMESPACES = ["dashboards", "awards_staff", "reports"]

LANGUAGE_CODE = "vi"
# Vietnamese for everyone, whatever the browser asks; strings are wrapped in gettext so that
# an English translation can be added later.
LANGUAGES = [("vi", _("Tiếng Việt"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["khuyenhoc.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Uploaded media on this server's disk (MEDIA_STORAGE=local) or in an S3-compatible bucket
# (MEDIA_STORAGE=s3, needs the "s3" extra: pip install ".[s3]"), which several app servers
# share. Private files (uploaded Excel lists, khuyenhoc/storage.py) follow the same choice:
# a folder outside MEDIA_ROOT, or a private prefix of the bucket; they never get a URL.
MEDIA_STORAGE: str = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    _s3_options = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
        # Empty: boto3 finds the keys itself (instance role, ~/.aws/credentials).
        "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
        "file_overwrite": False,
    }
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_options,
            "location": env.str("AWS_MEDIA_LOCATION", default="media"),
            "custom_domain": env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None,
            # Public pages are cached: a signed address would expire inside a cached page.
            "querystring_auth": False,
            "default_acl": env.str("AWS_DEFAULT_ACL", default="") or None,
        },
    }
    _private_storage = {
        "BACKEND": "khuyenhoc.storage.PrivateS3Storage",
        "OPTIONS": {
            **_s3_options,
            "bucket_name": env.str("AWS_PRIVATE_BUCKET_NAME", default="")
            or _s3_options["bucket_name"],
            "location": env.str("AWS_PRIVATE_LOCATION", default="private"),
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
elif MEDIA_STORAGE == "local":
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _private_storage = {"BACKEND": "khuyenhoc.storage.PrivateFileSystemStorage"}
else:
    raise ImproperlyConfigured("MEDIA_STORAGE phải là “local” hoặc “s3”.")
STORAGES = {
    "default": _media_storage,
    "private": _private_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded Excel files list people; they are kept outside MEDIA_ROOT and never served.
# Empty: a "private" folder beside MEDIA_ROOT.
PRIVATE_MEDIA_ROOT: str | None = env.str("PRIVATE_MEDIA_ROOT", default="") or None
# `manage.py backup_site` (make backup) writes one dated folder per backup under this one.
BACKUP_DIR = env.path("BACKUP_DIR", default=BASE_DIR / "var" / "backups")
# Excel imports with more rows than this are checked and written by the background worker.
IMPORT_BACKGROUND_ROWS: int = env.int("IMPORT_BACKGROUND_ROWS", default=2000)
# Limits of an uploaded Excel file: anything over them is refused with a message.
IMPORT_MAX_UPLOAD_BYTES: int = env.int("IMPORT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES: int = env.int(
    "IMPORT_MAX_UNCOMPRESSED_BYTES", default=100 * 1024 * 1024
)
IMPORT_MAX_ROWS: int = env.int("IMPORT_MAX_ROWS", default=50_000)
IMPORT_MAX_CELL_CHARS: int = env.int("IMPORT_MAX_CELL_CHARS", default=2000)
# A running import with no progress for this long is shown as stopped, to retry or discard.
IMPORT_STALE_MINUTES: int = env.int("IMPORT_STALE_MINUTES", default=15)
IMPORT_BATCH_SIZE: int = env.int("IMPORT_BATCH_SIZE", default=2000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

_email = env.email("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp_options = {
    "host": _email.get("EMAIL_HOST", "localhost"),
    "port": _email.get("EMAIL_PORT") or 25,
    "username": _email.get("EMAIL_HOST_USER", ""),
    "password": _email.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": bool(_email.get("EMAIL_USE_TLS", False)),
    "use_ssl": bool(_email.get("EMAIL_USE_SSL", False)),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL: str = env.str("DEFAULT_FROM_EMAIL", default="khuyenhoc@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Quản trị", a) for a in env.list("ADMIN_EMAILS", default=[])]

# Login throttling: lock a username from one address after repeated failures.
AXES_FAILURE_LIMIT: int = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME: float = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_ENABLED: bool = env.bool("AXES_ENABLED", default=True)

# Security headers. The CSP allows only the site's own scripts and styles: no inline code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_HTTPS_PROXY", default=False) else None
)
SECURE_SSL_REDIRECT: bool = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer probes the app server over plain HTTP: /healthz answers it, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS: int = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS: bool = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD: bool = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE: bool = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE: bool = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# Forms carry the token in a hidden field and no script reads the cookie, so scripts get none.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
# Sessions are written to the database and read from the shared cache (Redis in production):
# a staff page served from the cache then reads no session row. The database stays the
# record, so a cache flush or a Redis restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "client_errors_without_traceback": {
            "()": "khuyenhoc.log_filters.ClientErrorsWithoutTraceback"
        },
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors_without_traceback"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own default sends "django" to a second console handler as well, which
        # printed every refused request twice; here it only reaches the root handler once.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
