"""flask kim: create-user, seed-demo, backup and restore."""

from __future__ import annotations

import sqlite3
import threading

import pytest
import sqlalchemy as sa

from kimweb.auth.models import User
from kimweb.cli import kim
from kimweb.extensions import db


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(kim, list(args), input=input)


def test_create_user_asks_for_the_password(app):
    assert "--password" not in run(app, "create-user", "--help").output
    result = run(
        app,
        "create-user",
        "--username",
        "jana",
        "--email",
        "jana@example.org",
        "--display-name",
        "Jana J.",
        "--role",
        "admin",
        input="ein sicheres passwort\nein sicheres passwort\n",
    )
    assert result.exit_code == 0, result.output
    assert "ein sicheres passwort" not in result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "jana"))
        assert user.is_admin and user.check_password("ein sicheres passwort")


def test_create_user_refuses_a_weak_password(app):
    result = run(
        app,
        "create-user",
        "--username",
        "jana",
        "--email",
        "jana@example.org",
        "--display-name",
        "Jana",
        input="kurz\nkurz\n",
    )
    assert result.exit_code != 0 and "password" in result.output


def test_seed_demo_fills_empty_and_refuses_non_empty(app):
    result = run(app, "seed-demo")
    assert result.exit_code == 0, result.output
    with app.app_context():
        names = set(db.session.scalars(sa.select(User.username)))
        assert {"admin", "organiser", "staff"} <= names
        assert db.session.scalar(sa.select(User).where(User.username == "admin")).is_admin
    again = run(app, "seed-demo")
    assert again.exit_code != 0 and "not empty" in again.output
    assert run(app, "seed-demo", "--if-empty").exit_code == 0


def test_backup_on_postgres_explains_pg_dump(app, tmp_path):
    result = run(app, "backup", str(tmp_path / "x.db"))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0 and "pg_dump" in result.output
        assert not (tmp_path / "x.db").exists()


@pytest.mark.sqlite_only
def test_backup_and_restore_round_trip(app, make_user, tmp_path):
    make_user("vorher")
    target = tmp_path / "backups" / "kimweb.db"
    result = run(app, "backup", str(target))
    assert result.exit_code == 0, result.output
    assert "integrity check: ok" in result.output
    check = sqlite3.connect(target)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("select username from users").fetchall() == [("vorher",)]
    check.close()
    make_user("nachher")
    result = run(app, "restore", str(target), "--yes")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert list(db.session.scalars(sa.select(User.username))) == ["vorher"]


@pytest.mark.sqlite_only
def test_backup_during_writes_is_consistent(app, make_user, tmp_path):
    stop = threading.Event()

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < 200:
            make_user(f"w{n}")
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        result = run(app, "backup", str(tmp_path / "live.db"))
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    check = sqlite3.connect(tmp_path / "live.db")
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    saved = {name for (name,) in check.execute("select username from users")}
    check.close()
    # ... and it restores: the database holds exactly what the backup caught.
    result = run(app, "restore", str(tmp_path / "live.db"), "--yes")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert set(db.session.scalars(sa.select(User.username))) == saved


@pytest.mark.sqlite_only
def test_backup_refuses_to_overwrite_the_database(app):
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    result = run(app, "backup", database)
    assert result.exit_code != 0


@pytest.mark.sqlite_only
def test_restore_refuses_a_damaged_backup(app, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    result = run(app, "restore", str(broken), "--yes")
    assert result.exit_code != 0
