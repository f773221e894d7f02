"""Sign-in logic: password policy, throttling of failures, session limits.

Plain functions without a Flask request, so they can be unit tested directly.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import sqlalchemy as sa
from flask_babel import gettext as _

from kimweb.auth.models import SignInAttempt, User, utcnow
from kimweb.extensions import db

log = logging.getLogger("kimweb.auth")

PASSWORD_MIN = 10
PASSWORD_MAX = 128


def password_problem(password: str, username: str | None = None) -> str | None:
    """Why ``password`` is not acceptable, or None. Length only, no composition rules."""
    if len(password) < PASSWORD_MIN:
        return _("The password must have at least %(n)d characters.", n=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        return _("The password may have at most %(n)d characters.", n=PASSWORD_MAX)
    if username and password.strip().lower() == username.strip().lower():
        return _("The password must not be the same as the user name.")
    return None


def normalize_username(username: str) -> str:
    return username.strip().lower()


def find_user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == normalize_username(username)))


# --- throttling failed sign-ins ------------------------------------------------------


class FailureCounter(Protocol):
    """Counts recent failed sign-ins per key; shared by every worker process."""

    def count(self, key: str) -> int: ...
    def add_failure(self, key: str) -> str: ...
    def forget(self, key: str, mark: str) -> None: ...
    def reset(self, key: str) -> None: ...


class DatabaseCounter:
    """Counts failures from the sign-in log.

    For an account, failures after its last successful sign-in; for an address, every
    failure in the window (a success of one's own account does not reset it).
    """

    def __init__(self, window: timedelta) -> None:
        self.window = window

    def count(self, key: str) -> int:
        kind, _sep, value = key.partition(":")
        column = SignInAttempt.username if kind == "user" else SignInAttempt.address
        query = sa.select(sa.func.count(SignInAttempt.id)).where(
            column == value,
            SignInAttempt.succeeded.is_(False),
            SignInAttempt.created_at > utcnow() - self.window,
        )
        if kind == "user":
            last_success = (
                sa.select(sa.func.max(SignInAttempt.created_at))
                .where(column == value, SignInAttempt.succeeded.is_(True))
                .scalar_subquery()
            )
            query = query.where(
                sa.or_(last_success.is_(None), SignInAttempt.created_at > last_success)
            )
        return db.session.scalar(query) or 0

    def add_failure(self, key: str) -> str:
        """Nothing to do: the sign-in log is the record."""
        return ""

    def forget(self, key: str, mark: str) -> None:
        """Nothing to do: the log entry is marked as a success."""

    def reset(self, key: str) -> None:
        """Nothing to do: a logged success starts the account's count anew."""


class RedisCounter:
    """Sliding-window counts in Redis sorted sets, for several servers or workers."""

    def __init__(self, url: str, window: timedelta) -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.window = window

    def _key(self, key: str) -> str:
        return f"kimweb:signin-failures:{key}"

    def count(self, key: str) -> int:
        name = self._key(key)
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(name, 0, time.time() - self.window.total_seconds())
        pipe.zcard(name)
        return int(pipe.execute()[1])

    def add_failure(self, key: str) -> str:
        now = time.time()
        name, mark = self._key(key), f"{now:.6f}-{secrets.token_hex(4)}"
        pipe = self.client.pipeline()
        pipe.zadd(name, {mark: now})
        pipe.expire(name, int(self.window.total_seconds()) + 1)
        pipe.execute()
        return mark

    def forget(self, key: str, mark: str) -> None:
        self.client.zrem(self._key(key), mark)

    def reset(self, key: str) -> None:
        self.client.delete(self._key(key))


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    throttled: bool = False


def throttle_keys(username: str, address: str) -> tuple[str, str]:
    return f"user:{normalize_username(username)}", f"addr:{address}"


def sign_in(
    username: str,
    password: str,
    address: str,
    counter: FailureCounter,
    max_failures: int,
) -> SignInResult:
    """Check a sign-in attempt, log it, and count it against account and address.

    The attempt is logged as failed before the counts are read, so parallel attempts see
    each other; a correct password turns it into a success afterwards.
    """
    account_key, address_key = throttle_keys(username, address)
    name = normalize_username(username)[:128]
    user = find_user(username)
    attempt = SignInAttempt(
        username=name, user_id=user.id if user else None, address=address[:64], succeeded=False
    )
    db.session.add(attempt)
    db.session.commit()
    marks = {key: counter.add_failure(key) for key in (account_key, address_key)}
    if any(counter.count(key) > max_failures for key in (account_key, address_key)):
        log.warning("sign-in throttled user=%s address=%s", name, address)
        return SignInResult(user=None, throttled=True)
    if user is None or not user.is_active or not user.check_password(password):
        log.info("sign-in failed user=%s address=%s", name, address)
        return SignInResult(user=None)
    attempt.succeeded = True
    user.last_login_at = utcnow()
    db.session.commit()
    counter.reset(account_key)
    counter.forget(address_key, marks[address_key])
    log.info("sign-in ok user=%s address=%s", name, address)
    return SignInResult(user=user)


# --- session limits ---------------------------------------------------------------


def session_expired(
    started: float | None, seen: float | None, now: float, idle: timedelta, absolute: timedelta
) -> bool:
    """True when a session is older than ``absolute`` or unused for longer than ``idle``."""
    if started is None or seen is None:
        return True
    return now - started > absolute.total_seconds() or now - seen > idle.total_seconds()


def load_user(user_id: str) -> User | None:
    """The user behind a session's id ``"<id>:<session_version>"``, if still valid."""
    ident, _sep, version = user_id.partition(":")
    if not (ident.isascii() and ident.isdigit() and version.isascii() and version.isdigit()):
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def now_ts() -> float:
    return time.time()


# --- managing users ---------------------------------------------------------------


class UserError(ValueError):
    """A change to a user that is not allowed; ``field`` names the form field concerned."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def create_user(
    username: str,
    email: str,
    display_name: str,
    password: str,
    role: str = "staff",
    language: str = "de",
    is_active: bool = True,
) -> User:
    """Add a user after checking name, email and password; raises ``UserError``."""
    name = normalize_username(username)
    email = email.strip().lower()
    if not name:
        raise UserError("username", _("Please enter a user name."))
    if find_user(name) is not None:
        raise UserError("username", _("This user name is already taken."))
    if db.session.scalar(sa.select(User.id).where(sa.func.lower(User.email) == email)):
        raise UserError("email", _("Another user already has this email address."))
    problem = password_problem(password, name)
    if problem:
        raise UserError("password", problem)
    user = User(
        username=name,
        email=email,
        display_name=display_name.strip() or name,
        role=role,
        language=language,
        is_active=is_active,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def active_admin_count() -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.role == "admin", User.is_active.is_(True))
        )
        or 0
    )


def update_user(
    user: User,
    acting: User,
    *,
    email: str,
    display_name: str,
    role: str,
    language: str,
    is_active: bool,
) -> User:
    """Change a user as an admin; an admin cannot lock out themselves or the last admin."""
    email = email.strip().lower()
    clash = db.session.scalar(
        sa.select(User.id).where(sa.func.lower(User.email) == email, User.id != user.id)
    )
    if clash:
        raise UserError("email", _("Another user already has this email address."))
    if user.id == acting.id and not is_active:
        raise UserError("is_active", _("You cannot deactivate your own account."))
    if user.id == acting.id and role != "admin":
        raise UserError("role", _("You cannot take away your own admin role."))
    loses_admin = user.is_admin and user.is_active and (role != "admin" or not is_active)
    if loses_admin and active_admin_count() <= 1:
        raise UserError("role", _("At least one active admin must remain."))
    if user.is_active and not is_active:
        user.end_sessions()
    user.email = email
    user.display_name = display_name.strip() or user.username
    user.role = role
    user.language = language
    user.is_active = is_active
    db.session.commit()
    return user


def reset_password(user: User, password: str) -> None:
    """Set a new password and end all of the user's sessions; raises ``UserError``."""
    problem = password_problem(password, user.username)
    if problem:
        raise UserError("password", problem)
    user.set_password(password)
    user.end_sessions()
    db.session.commit()
