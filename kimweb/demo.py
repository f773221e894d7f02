"""Demo data for a first look: invented people, real structures."""

from __future__ import annotations

import sqlalchemy as sa

from kimweb.auth import services as auth
from kimweb.auth.models import User
from kimweb.calendar.demo import seed_calendar
from kimweb.consultations.demo import seed_consultations
from kimweb.directory.demo import seed_directory
from kimweb.extensions import db
from kimweb.meetings.demo import seed_meetings

DEMO_PASSWORD = "kimweb-demo"  # noqa: S105 - documented demo login  # nosec B105
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
    users = [
        auth.create_user(
            username, f"{username}@kimweb.example", display_name, DEMO_PASSWORD, role=role
        )
        for username, display_name, role in DEMO_USERS
    ]
    seed_directory(users[0])
    seed_consultations()
    seed_meetings(users)
    seed_calendar(users[0])
    return [user.username for user in users]
