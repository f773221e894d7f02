"""Configuration read from ``KIMWEB_*`` environment variables."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("KIMWEB_INSTANCE_DIR", BASE_DIR / "instance"))


class ConfigError(RuntimeError):
    """Raised when the configuration cannot work; the message says how to fix it."""


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("KIMWEB_DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'kimweb.db'}"
    if url.startswith(("postgres://", "postgresql://")):
        # One driver everywhere: psycopg 3.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _secret_key(env: str) -> str:
    key = os.environ.get("KIMWEB_SECRET_KEY", "").strip()
    if key:
        return key
    if env == "production":
        raise ConfigError(
            "KIMWEB_SECRET_KEY is not set. In production kimweb needs a long random secret, "
            "e.g. KIMWEB_SECRET_KEY="
            "\"$(python3 -c 'import secrets; print(secrets.token_hex(32))')\"."
        )
    # Development: generate once and keep it, so sessions survive restarts.
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def engine_options(url: str) -> dict[str, object]:
    options: dict[str, object] = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        # Short web queries: JIT compilation costs more than it saves (seen in bench/).
        options["connect_args"] = {"options": "-c jit=off"}
    return options


class Config:
    """Settings of a running kimweb; every value can come from the environment."""

    def __init__(self) -> None:
        self.KIMWEB_ENV = os.environ.get("KIMWEB_ENV", "development").strip().lower()
        self.SECRET_KEY = _secret_key(self.KIMWEB_ENV)
        self.PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a hash method, not a password  # nosec B105
        self.SQLALCHEMY_DATABASE_URI = _database_url()
        self.KIMWEB_REDIS_URL = os.environ.get("KIMWEB_REDIS_URL", "").strip() or None
        self.KIMWEB_HTTPS = _flag("KIMWEB_HTTPS")
        self.KIMWEB_TRUSTED_PROXIES = int(os.environ.get("KIMWEB_TRUSTED_PROXIES", "0") or 0)
        self.KIMWEB_OFFICE_NAME = os.environ.get(
            "KIMWEB_OFFICE_NAME", "Kommunales Integrationsmanagement Kreis Düren"
        )
        self.KIMWEB_OFFICE_ADDRESS = os.environ.get(
            "KIMWEB_OFFICE_ADDRESS", "Bismarckstr. 16, 52351 Düren"
        )
        self.KIMWEB_OFFICE_EMAIL = os.environ.get("KIMWEB_OFFICE_EMAIL", "").strip() or None
        self.KIMWEB_OFFICE_PHONE = os.environ.get("KIMWEB_OFFICE_PHONE", "").strip() or None
        # Origins that may frame /consultations/embed, e.g. "https://www.kreis-dueren.de".
        self.KIMWEB_EMBED_ORIGINS = [
            origin.rstrip("/")
            for origin in os.environ.get("KIMWEB_EMBED_ORIGINS", "").replace(",", " ").split()
            if origin.startswith(("https://", "http://"))
            and "'" not in origin
            and ";" not in origin
        ]

        self.SESSION_COOKIE_NAME = "kimweb_session"
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self.KIMWEB_HTTPS
        self.PERMANENT_SESSION_LIFETIME = self.KIMWEB_SESSION_ABSOLUTE
        self.REMEMBER_COOKIE_SECURE = self.KIMWEB_HTTPS
        self.PREFERRED_URL_SCHEME = "https" if self.KIMWEB_HTTPS else "http"

        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)
        self.WTF_CSRF_TIME_LIMIT = None  # valid as long as the session
        self.WTF_CSRF_HEADERS = ["X-CSRFToken"]
        self.MAX_CONTENT_LENGTH = 10 * 1024 * 1024
        # Text answers are compressed (gzip); cached public pages are stored compressed.
        self.COMPRESS_ALGORITHM = ["gzip"]
        self.COMPRESS_ALGORITHM_STREAMING = ["gzip"]
        self.COMPRESS_LEVEL = 6
        self.COMPRESS_MIMETYPES = [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "text/calendar",
            "text/vcard",
            "text/csv",
            "image/svg+xml",
        ]
        self.SEND_FILE_MAX_AGE_DEFAULT = 3600
        self.BABEL_DEFAULT_LOCALE = "de"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
        self.BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    # Session limits (class attributes so tests can shorten them per app).
    KIMWEB_SESSION_IDLE = timedelta(minutes=30)
    KIMWEB_SESSION_ABSOLUTE = timedelta(hours=12)
    # Failed sign-ins allowed per account and per client address within the window.
    KIMWEB_LOGIN_MAX_FAILURES = 5
    KIMWEB_LOGIN_WINDOW = timedelta(minutes=15)
    TESTING = False

    def as_dict(self) -> dict[str, object]:
        names = {n for n in dir(type(self)) if n.isupper()} | set(vars(self))
        return {name: getattr(self, name) for name in names if name.isupper()}


class TestConfig(Config):
    """Config for the test suite: a throwaway database unless one is given."""

    __test__ = False  # not a pytest test class
    TESTING = True

    def __init__(self, database_url: str | None = None) -> None:
        super().__init__()
        self.SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only  # nosec B105
        # Thousands of test users: a fast hash (production keeps scrypt, see Config).
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - a hash method  # nosec B105
        if database_url:
            self.SQLALCHEMY_DATABASE_URI = database_url
            self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(database_url)
