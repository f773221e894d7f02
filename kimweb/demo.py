"""Demo data for a first look: invented people, real structures."""

from __future__ import annotations

import sqlalchemy as sa

from kimweb.auth import services as auth
from kimweb.auth.models import User
from kimweb.extensions import db

DEMO_PASSWORD = "kimweb-demo"  # noqa: S105 - documented demo login
DEMO_USERS = (
    # username, display name, role
    ("admin", "Andrea Admin", "admin"),
    ("organiser", "Olaf Organisator", "staff"),
    ("staff", "Sevgi Sachbearbeitung", "staff"),
)


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def seed_demo() -> list[str]:
    """Fill an empty database; returns the demo logins. Raises if it is not empty."""
    if not database_is_empty():
        raise RuntimeError("The database is not empty; demo data is only added to an empty one.")
    for username, display_name, role in DEMO_USERS:
        auth.create_user(
            username, f"{username}@kimweb.example", display_name, DEMO_PASSWORD, role=role
        )
    return [username for username, _name, _role in DEMO_USERS]
