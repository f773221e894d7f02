"""Fixtures: an app on a real database (SQLite and PostgreSQL), clients, factories.

Every test that asks for ``app`` runs once on SQLite and once on PostgreSQL. The schema
is built by the Alembic migrations, so the migrations are tested too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from kimweb import create_app
from kimweb.auth import services as auth
from kimweb.auth.models import User
from kimweb.config import TestConfig
from kimweb.consultations.cache import pages as page_cache
from kimweb.consultations.services import _seen_version as timetable_version
from kimweb.directory.services import ensure_builtin_focus_areas
from kimweb.extensions import db

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
POSTGRES_URL = os.environ.get(
    "KIMWEB_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PASSWORD = "correct horse battery"


def missing(reason: str) -> None:
    """A missing service: a failure in CI, a skip on a developer's machine."""
    if IN_CI:
        pytest.fail(f"{reason} (required under CI=true)", pytrace=False)
    pytest.skip(reason)


def postgres_available(url: str) -> str | None:
    try:
        engine = sa.create_engine(url)
        with engine.connect() as connection:
            connection.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as error:
        return f"PostgreSQL not reachable at {url}: {error.__class__.__name__}"
    return None


def reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def migrate_database(url: str) -> None:
    app = create_app(TestConfig(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory) -> str:
    """A migrated, empty database of each kind for the whole session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'kimweb-test.db'}"
    else:
        url = POSTGRES_URL
        problem = postgres_available(url)
        if problem:
            missing(problem)
        reset_postgres(url)
    migrate_database(url)
    return url


def empty_tables() -> None:
    """Delete every row (children first), keep the schema and the built-in vocabulary."""
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
    ensure_builtin_focus_areas()
    db.session.commit()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The app on an empty database. No app context stays pushed: each request of the
    test client gets its own, as in production (``g`` and ``current_user`` included)."""
    app = create_app(TestConfig(database_url))
    with app.app_context():
        empty_tables()
    page_cache.clear()  # rendered pages of an earlier test's data
    timetable_version.clear()
    yield app
    with app.app_context():
        db.session.remove()
        empty_tables()
        db.engine.dispose()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An app context for tests that call services directly, without the client."""
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def snapshot(row: db.Model) -> SimpleNamespace:
    """The column values of ``row``, usable after its session has gone."""
    return SimpleNamespace(**{c.key: getattr(row, c.key) for c in row.__table__.columns})


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create a user. Inside an app context: the ORM object; outside: a snapshot."""
    counter = iter(range(1, 10_000))

    def create(name: str, role: str, password: str, extra: dict) -> User:
        user = auth.create_user(name, f"{name}@example.org", name.title(), password, role=role)
        for key, value in extra.items():
            setattr(user, key, value)
        db.session.commit()
        return user

    def make(
        username: str | None = None, role: str = "staff", password: str = PASSWORD, **extra
    ) -> User:
        name = username or f"user{next(counter)}"
        if has_app_context():
            return create(name, role, password, extra)
        with app.app_context():
            return snapshot(create(name, role, password, extra))

    return make


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


def csrf_token(client: FlaskClient, url: str = "/login") -> str:
    """The CSRF token of ``client``'s session, read from a page as a browser would."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def login(client: FlaskClient, username: str, password: str = PASSWORD):
    if client.get("/login").status_code == 302:  # someone is signed in: sign out first
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    token = csrf_token(client)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


@pytest.fixture
def login_as(client: FlaskClient, make_user) -> Callable[[str], User]:
    """Sign ``client`` in as a new user of ``role``."""

    def sign_in(role: str = "staff") -> User:
        user = make_user(role=role)
        response = login(client, user.username)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``sqlite_only`` run only on the SQLite variant of the app."""
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if item.get_closest_marker("sqlite_only") and params.get("database_url") == "postgresql":
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI nothing may be skipped: a skip fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if IN_CI and reporter and reporter.stats.get("skipped"):
        reporter.write_line("CI=true: skipped tests are not allowed.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


ROOT = Path(__file__).resolve().parent.parent
