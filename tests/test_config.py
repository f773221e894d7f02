"""Configuration from the environment, and what it switches on."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from kimweb import config as config_module
from kimweb import create_app
from kimweb.config import Config, ConfigError, TestConfig
from kimweb.extensions import db


@pytest.fixture
def instance_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(config_module, "INSTANCE_DIR", tmp_path)
    for name in ("KIMWEB_SECRET_KEY", "KIMWEB_ENV", "KIMWEB_DATABASE_URL", "KIMWEB_HTTPS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_production_needs_a_secret_key(instance_dir, monkeypatch):
    monkeypatch.setenv("KIMWEB_ENV", "production")
    with pytest.raises(ConfigError, match="KIMWEB_SECRET_KEY"):
        Config()
    monkeypatch.setenv("KIMWEB_SECRET_KEY", "x" * 64)
    assert Config().SECRET_KEY == "x" * 64


def test_development_generates_the_key_once(instance_dir):
    first = Config().SECRET_KEY
    assert len(first) == 64 and (instance_dir / "secret_key").read_text() == first
    assert first == Config().SECRET_KEY
    assert oct((instance_dir / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_database_url(instance_dir, monkeypatch):
    assert f"sqlite:///{instance_dir / 'kimweb.db'}" == Config().SQLALCHEMY_DATABASE_URI
    monkeypatch.setenv("KIMWEB_DATABASE_URL", "postgres://u@db/kim")
    assert Config().SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@db/kim"


def test_https_sets_secure_cookies_and_hsts(instance_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("KIMWEB_HTTPS", "1")
    config = TestConfig(f"sqlite:///{tmp_path / 'h.db'}")
    assert config.SESSION_COOKIE_SECURE and config.SESSION_COOKIE_HTTPONLY
    assert config.SESSION_COOKIE_SAMESITE == "Lax"
    app = create_app(config)
    response = app.test_client().get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "HttpOnly" in response.headers["Set-Cookie"]


def test_session_cookie_flags_without_https(client):
    cookie = client.get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_request_size_is_limited(app, client):
    assert app.config["MAX_CONTENT_LENGTH"] <= 20 * 1024 * 1024
    response = client.post("/accessibility", data={"message": "x" * (11 * 1024 * 1024)})
    assert response.status_code == 413


@pytest.mark.sqlite_only
def test_sqlite_pragmas(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)


def test_foreign_keys_enforced(app):
    with app.app_context(), pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.text(
                "INSERT INTO sign_in_attempts (username, user_id, address, succeeded, created_at)"
                " VALUES ('x', 999999, 'a', false, CURRENT_TIMESTAMP)"
            )
        )
        db.session.commit()


def test_passwords_are_hashed_with_scrypt_outside_the_tests(instance_dir):
    """Production hashes with scrypt; only the test suite uses a fast hash."""
    from kimweb.auth.models import User

    app = create_app(Config())
    with app.app_context():
        user = User(username="x", email="x@example.org", display_name="X")
        user.set_password("ein langes Passwort")
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password("ein langes Passwort")
    assert TestConfig().PASSWORD_HASH_METHOD.startswith("pbkdf2:")
    outside = User(username="y", email="y@example.org", display_name="Y")
    outside.set_password("ein langes Passwort")
    assert outside.password_hash.startswith("scrypt:")
