"""Unit tests of the sign-in logic: password policy, session limits, failure counters."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis

from kimweb.auth import services
from kimweb.auth.models import SignInAttempt
from kimweb.extensions import db
from tests.conftest import PASSWORD, missing

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)


@pytest.mark.parametrize(
    ("password", "username", "ok"),
    [
        ("123456789", None, False),  # 9 characters
        ("1234567890", None, True),  # 10 characters, no composition rules
        ("a" * 128, None, True),
        ("a" * 129, None, False),
        ("mustermann", "mustermann", False),
        ("MusterMann", "mustermann", False),
        ("mustermann1", "mustermann", True),
        ("leerzeichen sind erlaubt", None, True),
    ],
)
def test_password_policy(app_ctx, password, username, ok):
    assert (services.password_problem(password, username) is None) is ok


@pytest.mark.parametrize(
    ("started", "seen", "now", "expired"),
    [
        (0, 0, 60, False),
        (0, 0, 30 * 60, False),
        (0, 0, 30 * 60 + 1, True),  # idle longer than 30 minutes
        (0, 12 * 3600 - 60, 12 * 3600, False),  # exactly 12 hours, active a minute ago
        (0, 12 * 3600 - 5, 12 * 3600 + 1, True),  # older than 12 hours, though active
        (None, 0, 1, True),
        (0, None, 1, True),
    ],
)
def test_session_expiry(started, seen, now, expired):
    assert services.session_expired(started, seen, now, IDLE, ABSOLUTE) is expired


@pytest.fixture(params=["database", "redis"])
def counter(request, app_ctx):
    window = app_ctx.config["KIMWEB_LOGIN_WINDOW"]
    if request.param == "database":
        return services.DatabaseCounter(window)
    counter = services.RedisCounter("redis://127.0.0.1:6379/15", window)
    try:
        counter.client.flushdb()
    except redis.exceptions.ConnectionError:
        missing("Redis not reachable at 127.0.0.1:6379")
    return counter


def test_sixth_attempt_is_throttled_per_account(app_ctx, make_user, counter):
    user = make_user("petra")
    for i in range(5):
        result = services.sign_in("petra", "wrong password", f"10.0.0.{i}", counter, 5)
        assert result.user is None and not result.throttled
    # Even the right password is refused now: the account is protected.
    result = services.sign_in("Petra", PASSWORD, "10.0.0.99", counter, 5)
    assert result.throttled and result.user is None
    assert user.last_login_at is None


def test_sixth_attempt_is_throttled_per_address(app_ctx, make_user, counter):
    make_user("otto")
    for i in range(5):
        assert not services.sign_in(f"nobody{i}", "x" * 12, "192.0.2.7", counter, 5).throttled
    assert services.sign_in("otto", PASSWORD, "192.0.2.7", counter, 5).throttled
    # Another address may still sign in to the same account.
    assert services.sign_in("otto", PASSWORD, "192.0.2.8", counter, 5).user is not None


def test_success_resets_the_account_count(app_ctx, make_user, counter):
    make_user("ines")
    for i in range(4):
        services.sign_in("ines", "wrong password", f"198.51.100.{i}", counter, 5)
    assert services.sign_in("ines", PASSWORD, "198.51.100.9", counter, 5).user
    for i in range(4):
        services.sign_in("ines", "wrong password", f"198.51.100.{10 + i}", counter, 5)
    assert services.sign_in("ines", PASSWORD, "198.51.100.20", counter, 5).user


def test_success_does_not_reset_the_address_count(app_ctx, make_user, counter):
    """Signing in to one's own account must not allow more guesses at other accounts."""
    make_user("mallory")
    for i in range(3):
        services.sign_in(f"victim{i}", "guess guess", "203.0.113.66", counter, 5)
    assert services.sign_in("mallory", PASSWORD, "203.0.113.66", counter, 5).user
    for i in range(2):
        assert not services.sign_in(f"victim{i}", "guess", "203.0.113.66", counter, 5).throttled
    assert services.sign_in("victim9", "guess", "203.0.113.66", counter, 5).throttled


def test_every_attempt_is_logged_without_password(app_ctx, make_user):
    make_user("karl")
    counter = services.DatabaseCounter(app_ctx.config["KIMWEB_LOGIN_WINDOW"])
    services.sign_in("karl", "secret-wrong-1", "203.0.113.5", counter, 5)
    services.sign_in("karl", PASSWORD, "203.0.113.5", counter, 5)
    services.sign_in("ghost", "secret-wrong-2", "203.0.113.6", counter, 5)
    attempts = db.session.scalars(db.select(SignInAttempt).order_by(SignInAttempt.id)).all()
    assert [(a.username, a.address, a.succeeded) for a in attempts] == [
        ("karl", "203.0.113.5", False),
        ("karl", "203.0.113.5", True),
        ("ghost", "203.0.113.6", False),
    ]
    assert attempts[0].user_id is not None and attempts[2].user_id is None
    assert all(a.created_at is not None for a in attempts)
    stored = " ".join(str(vars(a)) for a in attempts)
    assert "secret-wrong" not in stored and PASSWORD not in stored


def test_inactive_user_cannot_sign_in(app_ctx, make_user):
    make_user("anna", is_active=False)
    counter = services.DatabaseCounter(app_ctx.config["KIMWEB_LOGIN_WINDOW"])
    assert services.sign_in("anna", PASSWORD, "127.0.0.1", counter, 5).user is None


def test_load_user_checks_session_version(app_ctx, make_user):
    user = make_user()
    assert services.load_user(user.get_id()) == user
    old_id = user.get_id()
    user.end_sessions()
    db.session.commit()
    assert services.load_user(old_id) is None
    assert services.load_user(user.get_id()) == user
    assert services.load_user("garbage") is None
    assert services.load_user(f"{user.id}") is None


def test_create_user_rejects_duplicates_and_weak_passwords(app_ctx, make_user):
    make_user("maria")
    with pytest.raises(services.UserError) as error:
        services.create_user("MARIA", "other@example.org", "Maria", PASSWORD)
    assert error.value.field == "username"
    with pytest.raises(services.UserError) as error:
        services.create_user("maria2", "Maria@Example.org", "Maria", PASSWORD)
    assert error.value.field == "email"
    with pytest.raises(services.UserError) as error:
        services.create_user("maria3", "m3@example.org", "Maria", "short")
    assert error.value.field == "password"


def test_last_admin_cannot_be_removed(app_ctx, make_user):
    admin = make_user("chefin", role="admin")
    other = make_user("kollege", role="admin")
    services.update_user(
        other,
        admin,
        email=other.email,
        display_name="K",
        role="staff",
        language="de",
        is_active=True,
    )
    with pytest.raises(services.UserError):
        services.update_user(
            admin,
            admin,
            email=admin.email,
            display_name="C",
            role="staff",
            language="de",
            is_active=True,
        )
    with pytest.raises(services.UserError):
        services.update_user(
            admin,
            admin,
            email=admin.email,
            display_name="C",
            role="admin",
            language="de",
            is_active=False,
        )
