"""Online backup and restore of the SQLite database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

PG_DUMP_HELP = (
    "kimweb runs on PostgreSQL here. Back it up with PostgreSQL's own tools, while the app runs:\n"
    '  pg_dump --format=custom --file=kimweb-$(date +%F).dump "$DATABASE"\n'
    "and restore into an empty database with:\n"
    '  pg_restore --clean --if-exists --no-owner --dbname="$DATABASE" kimweb-YYYY-MM-DD.dump\n'
    "($DATABASE is KIMWEB_DATABASE_URL without '+psycopg'.)"
)


class BackupError(RuntimeError):
    pass


def sqlite_path(database_url: str) -> Path | None:
    """The file behind a SQLite URL, or None for any other database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory database cannot be backed up.")
    return Path(url.database)


def integrity_check(path: Path) -> str:
    """``PRAGMA integrity_check`` of the file at ``path``: 'ok' when it is sound."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()
    return "; ".join(str(row[0]) for row in rows)


def _copy(source: Path, target: Path) -> None:
    """Copy with SQLite's online backup API: consistent while others write."""
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.execute("PRAGMA busy_timeout = 30000")
        with dst:
            src.backup(dst, pages=1024)
    finally:
        dst.close()
        src.close()


def backup_sqlite(database: Path, target: Path) -> str:
    """Write a consistent copy of ``database`` to ``target``; returns the integrity result."""
    if not database.exists():
        raise BackupError(f"There is no database at {database}.")
    target = target.resolve()
    if target == database.resolve():
        raise BackupError("The backup must not overwrite the database itself.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    _copy(database, partial)
    result = integrity_check(partial)
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy failed the integrity check: {result}")
    partial.replace(target)
    return result


def restore_sqlite(backup: Path, database: Path) -> None:
    """Replace the contents of ``database`` with ``backup`` after checking the backup."""
    if not backup.exists():
        raise BackupError(f"There is no backup at {backup}.")
    result = integrity_check(backup)
    if result != "ok":
        raise BackupError(f"The backup failed the integrity check: {result}")
    database.parent.mkdir(parents=True, exist_ok=True)
    _copy(backup, database)
