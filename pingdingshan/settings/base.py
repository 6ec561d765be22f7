"""Settings shared by every environment. Values come from the environment (django-environ).

Without DATABASE_URL the app runs on an embedded SQLite file and Celery tasks run in-process,
so the demo needs nothing but Python. With DATABASE_URL / REDIS_URL it uses PostgreSQL and a
real Celery worker on Redis.
"""
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "treebeard",
    "axes",
    "django_celery_beat",
    "pingdingshan.core",
    "cadres",
    "assessment",
    "promotion",
    "analysis",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pingdingshan.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pingdingshan.core.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Lock-out after repeated failed logins; must be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pingdingshan.urls"
WSGI_APPLICATION = "pingdingshan.wsgi.application"

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
                "pingdingshan.core.context_processors.user_scope",
            ],
        },
    },
]

DATABASES = {
    # An empty DATABASE_URL counts as unset.
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The embedded SQLite file is written by requests and by jobs at the same time (a period computed
# while someone browses): write-ahead logging lets readers go on while one connection writes, a
# busy timeout makes a second writer wait instead of failing with "database is locked", and
# IMMEDIATE transactions take the write lock when they begin, so a transaction that read first
# never has to upgrade its lock (an upgrade cannot wait: SQLite refuses it at once).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,  # seconds a writer waits for the lock
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Session timeout: 30 minutes of inactivity.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: lock an account+address out after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # filled by collectstatic in production; WhiteNoise expects it
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    # The 干部任免审批表 PDF's font (WeasyPrint reads these files; no system font is used)
    ("vendor/noto-serif-sc", NODE_MODULES / "@fontsource" / "noto-serif-sc" / "files"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Files served at the site root (the favicon.ico browsers ask for), by WhiteNoise in every mode.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
# Uploaded files (photos, evidence) live outside the static root and are served only through
# views that apply the permission gate; there is no MEDIA_URL route.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "pingdingshan.core.api.SessionAuthentication",  # DRF's, with the CSRF refusal in Chinese
    ],
    "DEFAULT_PERMISSION_CLASSES": ["pingdingshan.core.api.GatePermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "pingdingshan.core.filtersets.GatedFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "pingdingshan.core.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "pingdingshan.core.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "干部实绩管理系统 API",
    "DESCRIPTION": "平顶山市委组织部干部实绩管理系统 REST API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # No request may leave the intranet: Swagger UI's online validator badge is switched off.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Choice sets sharing a field name across components, named once each.
    "ENUM_NAME_OVERRIDES": {
        "RulingStatusEnum": "assessment.models.conduct.RulingStatus",
        "RiskFilingStatusEnum": "assessment.models.conduct.RiskFilingStatus",
        "ClarificationMethodEnum": "assessment.models.conduct.ClarificationMethod",
        "PoliticalStatusEnum": "cadres.models.roster.PoliticalStatus",
        "FamilyPoliticalStatusEnum": "cadres.models.roster.FamilyPoliticalStatus",
        "TalkKindEnum": "cadres.models.care.TalkKind",
        "PeriodKindEnum": "assessment.models.periods.PeriodKind",
        "JobStateEnum": "pingdingshan.core.models.JobState",
        "ReportStateEnum": "analysis.models.ReportState",
    },
}

REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_TIMEZONE = TIME_ZONE
# Periodic tasks, run by `celery -A pingdingshan beat` (times in CELERY_TIMEZONE).
CELERY_BEAT_SCHEDULE = {
    "cleanup-import-jobs": {  # import job folders older than IMPORT_JOB_RETENTION_DAYS
        "task": "cadres.cleanup_import_jobs",
        "schedule": crontab(hour=3, minute=20),
    },
    "cleanup-jobs": {  # background jobs (rows and folders) older than JOB_RETENTION_DAYS
        "task": "core.cleanup_jobs",
        "schedule": crontab(hour=3, minute=30),
    },
    "conduct-daily": {  # cards expire, overdue adjustments and follow-ups are reminded, triggers run
        "task": "assessment.conduct_daily",
        "schedule": crontab(hour=1, minute=10),
    },
    "selection-daily": {  # probations ending within SELECTION_PROBATION_REMIND_DAYS are reminded (选任纪实)
        "task": "promotion.selection_daily",
        "schedule": crontab(hour=1, minute=40),
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pingdingshan.core.middleware.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Rule settings (see ../shared/RULES.md): configurable with these defaults.
ROSTER_PAGE_SIZE = 50
# Days an Excel import's folder (upload, result, error report) is kept under MEDIA_ROOT/imports/.
IMPORT_JOB_RETENTION_DAYS = env.int("IMPORT_JOB_RETENTION_DAYS", default=7)
# An uploaded workbook is refused when its zip members add up to more than this once unzipped
# (checked before it is parsed: pingdingshan.core.uploads).
IMPORT_MAX_UNZIPPED_BYTES = env.int("IMPORT_MAX_UNZIPPED_BYTES", default=64 * 1024 * 1024)
# Days a background job (its row, its upload and result file) is kept (pingdingshan.core.jobs).
JOB_RETENTION_DAYS = env.int("JOB_RETENTION_DAYS", default=IMPORT_JOB_RETENTION_DAYS)
# An export of more rows than this runs as a background job with progress; smaller ones answer
# the file at once.
EXPORT_JOB_THRESHOLD = env.int("EXPORT_JOB_THRESHOLD", default=5000)
# Without REDIS_URL, run background jobs in a thread of the web process (the page shows their
# progress) instead of inside the request that starts them (the demo's settings switch it on).
JOBS_IN_THREAD = env.bool("JOBS_IN_THREAD", default=False)

# --------------------------------------------------------------------------- awards, cards, protection
# Local practice (../shared/RULES.md, "Warning cards and protection"): no national rule fixes card
# colours, terms or effects, so each is a setting here. Read only through
# ``assessment.services.conduct_rules`` (never restated elsewhere).
# Term of a new card reason per colour, in months (each reason may set its own: CardReason).
CARD_TERM_MONTHS = {"yellow": 6, "red": 12}
# What an active card blocks, per colour: "pool" (no reserve-pool entry), "promotion" (no
# promotion), "award" (no award or nomination), "excellent" (no 优秀 grade in a period it overlaps).
CARD_BLOCKS = {
    "yellow": ["pool", "award", "excellent"],
    "red": ["pool", "promotion", "award", "excellent"],
}
# Points an active card takes off the "红黄牌扣分" indicator (score = 100 − the deductions, at least 0).
CARD_DEDUCTION = {"yellow": "10", "red": "30"}
# Days after a red card's issue within which its organisational adjustment must be recorded.
ADJUSTMENT_DUE_DAYS = env.int("ADJUSTMENT_DUE_DAYS", default=30)
# The triggers that propose cards and reminders (the daily task runs them; org staff decide).
CARD_TRIGGERS = {
    # a published grade of 基本称职 proposes a yellow card
    "grade_basic": {"on": True},
    # a published grade of 不称职 proposes a red card
    "grade_incompetent": {"on": True},
    # a second yellow card issued within `months` of the first proposes a red card
    "second_yellow": {"on": True, "months": 12},
    # the bottom `percent` % by 实绩 points of a (tier, category) group in `periods` consecutive
    # published periods of the same kind proposes a yellow card
    "bottom_share": {"on": True, "percent": 5, "periods": 2},
    # `returned` or more records returned, or a returned record left `overdue_days` days without
    # resubmission, within the last `within_days` days, proposes a reminder (never a card)
    "records_lagging": {"on": True, "returned": 3, "overdue_days": 30, "within_days": 180},
}
# Years an award with "优先考虑" gives its cadre priority in promotion.
AWARD_PRIORITY_YEARS = env.int("AWARD_PRIORITY_YEARS", default=3)
# Term of a disciplinary sanction in months (公职人员政务处分法 art. 8; 党纪处分 by the party's rules).
SANCTION_TERM_MONTHS = {"warning": 6, "demerit": 12, "major_demerit": 18, "demotion": 24, "removal": 24,
                        "party_warning": 12, "party_serious": 18, "party_removal": 24}
# What a sanction in force blocks ("excellent" covers the whole calendar year it was given in).
SANCTION_BLOCKS = ["pool", "promotion", "award", "excellent"]
# Days before a reminder's follow-up date it shows as due on the work desk.
REMINDER_DUE_SOON_DAYS = env.int("REMINDER_DUE_SOON_DAYS", default=7)
# The signs that suggest a reminder (担当提醒) before any card: a composite that fell by at least
# `composite_drop` points from one published period of a kind to the next.
REMINDER_SIGNS = {"composite_drop": 5}

# --------------------------------------------------------------------------- reserve pool (储备库)
# Beat reads its schedule from the database (django-celery-beat), so org staff can change the time of
# the nightly ranking on the settings page; the entries of CELERY_BEAT_SCHEDULE are synced into it.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Default time of the nightly ranking run (the migration creates its schedule; the page edits it).
RANKING_DEFAULT_HOUR = 2
RANKING_DEFAULT_MINUTE = 0
# Time limits of one ranking run (task ``promotion.rank_pools``): the soft limit ends it cleanly (its
# transaction rolls back, the previous ranking stays current), the hard one kills a stuck worker.
RANKING_SOFT_LIMIT = env.int("RANKING_SOFT_LIMIT", default=30 * 60)
RANKING_HARD_LIMIT = RANKING_SOFT_LIMIT + 120
# Redis redelivers an unacknowledged task after the visibility timeout: it must be longer than the
# longest hard limit (the hour of CELERY_TASK_TIME_LIMIT), or a long run would be started twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
# Ranking points of an award by level (the "表彰" component, at most 100), over POOL_AWARD_YEARS.
POOL_AWARD_POINTS = {"national": 40, "provincial": 30, "city": 20, "county": 10}
POOL_AWARD_YEARS = env.int("POOL_AWARD_YEARS", default=3)
# Ranking points of a frontline posting's evaluation (the "一线历练" component: the best one).
POOL_FRONTLINE_POINTS = {"excellent": 100, "good": 80, "fair": 60, "poor": 0}

# 选任纪实: days before a probation (试用期) ends that the work desk shows it and its reminder is sent.
SELECTION_PROBATION_REMIND_DAYS = env.int("SELECTION_PROBATION_REMIND_DAYS", default=30)
