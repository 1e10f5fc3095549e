"""Settings for AI Little Theatre: every knob comes from the environment, with a default that runs
on one machine (SQLite file, local Redis, media on local disk)."""
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from theatre.config.env import env_bool, env_list

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("THEATRE_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "daphne",
    "django_rq",  # before the admin, so its "Django RQ" link shows on the admin index
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "axes",
    "csp",
    "ninja",  # the API's docs page (/api/docs) serves its Swagger UI from our static files, not a CDN
    "accounts",
    "theatre",
    "inference",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "theatre.config.csp.ContentSecurityPolicyMiddleware",
    # Last of the features, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Not a feature: keeps the whole chain above in one thread under ASGI (see its docstring).
    "theatre.config.middleware.SyncChain",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses log-ins while the username+address is locked out
    "accounts.backends.ProfileBackend",  # ModelBackend that brings the profile along
]
# Sessions are read on every logged-in request: from Redis, with the database behind it, so a
# Redis restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

ROOT_URLCONF = "theatre.config.urls"
ASGI_APPLICATION = "theatre.config.asgi.application"
WSGI_APPLICATION = "theatre.config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "theatre.web.context_processors.unread_notifications",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'theatre.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Workers and the web server write the same file: wait for the lock instead of failing at once.
    # WAL lets readers go on while one writes, and synchronous=NORMAL drops the fsync of every
    # commit (WAL stays consistent; at worst the last commits before a power cut are lost): the
    # watch page's view count and new session were two fsyncs, ~20 ms each, per anonymous visit.
    # IMMEDIATE takes the write lock when a transaction begins, so two writers queue on the
    # timeout instead of one failing with "database is locked" when it upgrades a read lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20, transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Under ASGI each request runs in a thread of its own, so a persistent connection is never
    # reused and every page would open a new Postgres connection. Django's pool (psycopg_pool),
    # which its docs advise for ASGI, keeps connections per process instead; CONN_MAX_AGE must be 0.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1, "max_size": int(os.environ.get("DATABASE_POOL_SIZE", 10)), "timeout": 10,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "theatre:home"
LOGOUT_REDIRECT_URL = "theatre:home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)

# Media is private: there is no MEDIA_URL route; files go out through views that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {
        # Writes each file under a temporary name and renames it when complete (theatre/config/storage.py).
        "BACKEND": "theatre.config.storage.AtomicFileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": "/nowhere/"},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible storage: django-storages signs short-lived URLs, so files stay private.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL"),
            # Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or an instance role).
            "region_name": os.environ.get("AWS_S3_REGION_NAME"),
            # Many S3-compatible servers (MinIO, s3rver) want path-style URLs: AWS_S3_ADDRESSING_STYLE=path.
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE"),
            "signature_version": os.environ.get("AWS_S3_SIGNATURE_VERSION"),
            "querystring_auth": True,
            "querystring_expire": 600,
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
# "x-accel-redirect" behind nginx, "x-sendfile" behind Apache; empty: Django streams the file.
MEDIA_SENDFILE = os.environ.get("MEDIA_SENDFILE", "")
MEDIA_SENDFILE_PREFIX = os.environ.get("MEDIA_SENDFILE_PREFIX", "/protected-media/")

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Bounds on what one request may make a web process read (files aside: the upload handlers cap
# those). The largest page form, a 6-shot storyboard, sends about 45 fields and a few KB; the
# admin's change lists stay well under 300 fields; an API body is a few KB of JSON.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("REQUEST_MAX_BYTES", 1024 * 1024))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 300
DATA_UPLOAD_MAX_NUMBER_FILES = 5
AVATAR_CLIP_MAX_BYTES = int(os.environ.get("AVATAR_CLIP_MAX_BYTES", 80 * 1024 * 1024))
FILE_UPLOAD_HANDLERS = [
    "theatre.config.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6390/0")
RQ_QUEUES = {
    name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": timeout}
    for name, timeout in {"gpu": 1800, "cpu": 600, "default": 300}.items()
}
RQ_SHOW_ADMIN_LINK = True
CHANNELS_SOCKET_TIMEOUT = 15
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            # Each Daphne process waits for its WebSocket messages in a blocking BZPOPMIN of
            # channels_redis's brpop_timeout (5 s). redis-py 8 made 5 s the default socket read
            # timeout too, so under load the read could give up just before Redis answered and
            # tear down a subscriber (django/channels_redis#422). The read must outlast the pop;
            # it stays bounded so a vanished Redis is still noticed.
            "hosts": [{"address": REDIS_URL, "socket_timeout": CHANNELS_SOCKET_TIMEOUT}],
            "prefix": os.environ.get("CHANNELS_PREFIX", "theatre"),
        },
    }
}
# How long logged-out visitors of a share link may see the same rendered page (theatre/web/page_cache.py).
SHARED_PAGE_SECONDS = int(os.environ.get("SHARED_PAGE_SECONDS", 30))
# How long those visits may take a link's "still works" from the cache instead of the database
# (theatre/services/sharing.py: changes made through Django forget it at once; 0 asks the database each time).
SHARED_LINK_CHECK_SECONDS = float(os.environ.get("SHARED_LINK_CHECK_SECONDS", 5))
CACHES = {
    "default": {
        # django-redis, not Django's RedisCache: under ASGI Django makes a new cache object for every
        # request, and RedisCache a new connection pool with it (a TCP connect and handshake per page);
        # django-redis keeps its pools per process.
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "theatre"),
    }
}

# The generator (inference/backends/__init__.py's registry): "auto" picks h3 when its licence is
# accepted and CUDA and its weights are present, else wan when CUDA and its weights are, else preview.
THEATRE_BACKEND = os.environ.get("THEATRE_BACKEND", "auto")
WAN_MODEL = os.environ.get("WAN_MODEL", "Wan-AI/Wan2.1-VACE-1.3B-diffusers")
WAN_WEIGHTS_DIR = Path(os.environ.get("WAN_WEIGHTS_DIR", VAR_DIR / "weights" / "wan2.1-vace-1.3b"))
WAN_LORA = os.environ.get("WAN_LORA", "")
# Voices: "espeak" runs anywhere; "clone" uses CosyVoice 2 from VOICE_CLONE_WEIGHTS_DIR on a GPU
# worker and falls back to espeak when the package or the weights are missing.
VOICE_BACKEND = os.environ.get("VOICE_BACKEND", "espeak")
VOICE_CLONE_WEIGHTS_DIR = Path(os.environ.get("VOICE_CLONE_WEIGHTS_DIR", VAR_DIR / "weights" / "cosyvoice2-0.5b"))
WAN_CPU_OFFLOAD = env_bool("WAN_CPU_OFFLOAD", False)
WAN_VAE_TILING = env_bool("WAN_VAE_TILING", False)
# MiniMax-H3 (the h3 backend: picture and sound together). Its weights' licence is not Apache-2.0
# and excludes some territories: the site never uses h3 until the operator sets this.
H3_LICENCE_ACCEPTED = env_bool("H3_LICENCE_ACCEPTED", False)
H3_MODEL = os.environ.get("H3_MODEL", "MiniMaxAI/MiniMax-H3")
H3_WEIGHTS_DIR = Path(os.environ.get("H3_WEIGHTS_DIR", VAR_DIR / "weights" / "minimax-h3"))
H3_CPU_OFFLOAD = env_bool("H3_CPU_OFFLOAD", False)  # diffusers' auto CPU offload, for 80 GB cards
H3_STEPS = int(os.environ.get("H3_STEPS", "30"))
FILM_MAX_SECONDS = 15.0
FILM_MAX_SHOTS = 6

# --- Provenance (README: "Provenance in every film") --------------------------------------------
# Who makes the films: the C2PA manifest and the self-made certificate name the site, and GB 45438's
# implicit label (the AIGC field) names its producer: the site's name, or the code a registry gave it.
SITE_NAME = os.environ.get("SITE_NAME", "AI Little Theatre")
AIGC_PRODUCER = os.environ.get("AIGC_PRODUCER", "") or SITE_NAME
# The certificate chain (PEM, signing certificate first) and key that sign every film's C2PA
# manifest. Unset: the site makes a local CA and certificate once in SIGNING_DIR (self-signed).
SIGNING_CERT = os.environ.get("SIGNING_CERT", "")
SIGNING_KEY = os.environ.get("SIGNING_KEY", "")
SIGNING_KEY_PASSWORD = os.environ.get("SIGNING_KEY_PASSWORD", "")
SIGNING_DIR = VAR_DIR / "signing"
# Extra CA certificates (PEM) whose signed files /verify/ calls trusted, e.g. the C2PA trust list.
C2PA_TRUST_ANCHORS = os.environ.get("C2PA_TRUST_ANCHORS", "")
# /verify/ reads a whole file into memory to check it: uploads larger than this are refused.
VERIFY_MAX_BYTES = int(os.environ.get("VERIFY_MAX_BYTES", 100 * 1024 * 1024))

# --- Limits and safety (README: "Limits and safety") ---------------------------------------------
# Rate limits: "COUNT/SECONDS" per client address and, where someone is logged in, per user, kept
# as counters in the cache (Redis). RATE_LIMITS=off turns them all off (the load test does).
RATE_LIMITS_ENABLED = os.environ.get("RATE_LIMITS", "on").strip().lower() not in {"off", "0", "false", "no"}


def env_rate(name, default):
    count, seconds = os.environ.get(name, default).split("/")
    return int(count), int(seconds)


RATE_LIMITS = {
    "signup": env_rate("RATE_LIMIT_SIGNUP", "5/3600"),  # new accounts per address per hour
    "login": env_rate("RATE_LIMIT_LOGIN", "20/300"),  # log-in attempts per address per 5 minutes
    "upload": env_rate("RATE_LIMIT_UPLOAD", "20/3600"),  # avatar clips per user and per address per hour
    "render": env_rate("RATE_LIMIT_RENDER", "20/600"),  # render requests per user and per address per 10 minutes
    "verify": env_rate("RATE_LIMIT_VERIFY", "30/600"),  # files checked on /verify/ per user and per address per 10 minutes
}
RENDERS_AT_ONCE = int(os.environ.get("RENDERS_AT_ONCE", 2))  # a user's films queued or rendering at once
RENDERS_PER_DAY = int(os.environ.get("RENDERS_PER_DAY", 30))  # render requests per user per 24 hours
# Completion webhooks of the API (theatre/services/webhooks.py): by default never to loopback or
# private addresses (a webhook URL must not reach into the operator's own network); set
# WEBHOOK_ALLOW_PRIVATE=true for a receiver on the same machine or intranet. A failed delivery
# is retried after each of WEBHOOK_RETRY_DELAYS seconds (by the RQ scheduler of the `default` worker).
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)
WEBHOOK_RETRY_DELAYS = [int(s) for s in env_list("WEBHOOK_RETRY_DELAYS", "10,60,300,1800,7200")]
WEBHOOK_TIMEOUT = float(os.environ.get("WEBHOOK_TIMEOUT", 10))
# Repeated failed log-ins lock that username from that address (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_HOURS", 0.25))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"  # the page, with Retry-After
# The pause counts from the last failure before it, so Retry-After tells the truth: trying again
# while paused (the right password too) does not start the pause over.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The reconciler (run every RECONCILE_EVERY seconds by `./run site`): a rendering film whose
# heartbeat has been silent this long is lost even when its worker's liveness cannot be checked.
RENDER_STALE_AFTER = float(os.environ.get("RENDER_STALE_AFTER", 90))
# Content-Security-Policy (django-csp): only our own scripts, styles and media; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"] + env_list("CSP_MEDIA_ORIGINS"),
        "media-src": ["'self'", "blob:"] + env_list("CSP_MEDIA_ORIGINS"),  # S3 signed URLs live elsewhere
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every log-in at INFO; lockouts (what an operator needs) are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
