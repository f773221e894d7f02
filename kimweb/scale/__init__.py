"""Scale data: a database as full as years of use would make it, for benchmarks and for
trying the pages at scale (``flask kim seed-scale``, into a separate database).

At factor 1: 100,000 contact persons in 20,000 organisations, 5,000 meetings with 10
agenda items each (the held ones with minutes), 50,000 calendar events of which 500 are
recurring series, and 300 weekly consultation times at 50 places. Each feature's module
makes its own rows (``seed_directory``, ``seed_consultations``, ``seed_meetings``,
``seed_calendar``); the benchmarks in ``bench/`` call the same functions at their own sizes.
"""

from __future__ import annotations

import random
from datetime import date, datetime

import sqlalchemy as sa

from kimweb import demo
from kimweb.auth import services as auth
from kimweb.auth.models import User
from kimweb.calendar.models import Event
from kimweb.consultations.models import Location
from kimweb.directory.models import Organisation
from kimweb.directory.services import ensure_builtin_focus_areas
from kimweb.extensions import db
from kimweb.meetings.models import BERLIN, Meeting
from kimweb.scale import bulk
from kimweb.scale.calendar import seed_calendar
from kimweb.scale.consultations import seed_consultations
from kimweb.scale.directory import seed_directory
from kimweb.scale.meetings import seed_meetings

SEED = 20261121
FULL = {
    "organisations": 20_000,  # 5 contact persons each
    "meetings": 5_000,
    "events": 50_000,
    "series": 500,  # of the events
    "places": 50,
    "slots": 300,
}
ITEMS_PER_MEETING = 10
# At the smallest factors still enough of each kind for every table to get rows: from the
# second series on, some have exceptions.
LEAST = {"series": 2}


def sizes(factor: float) -> dict[str, int]:
    """How many of each kind ``seed_scale(factor)`` makes."""
    return {kind: max(LEAST.get(kind, 1), round(n * factor)) for kind, n in FULL.items()}


def database_is_empty() -> bool:
    """No users and nothing in any feature (the built-in focus areas and bodies aside)."""
    tables = (User, Organisation, Location, Meeting, Event)
    return not any(db.session.scalar(sa.select(sa.exists().select_from(t))) for t in tables)


def seed_scale(factor: float = 1.0, seed: int = SEED) -> dict[str, int]:
    """Fill an empty, migrated database with scale data at ``factor`` times the full size,
    and the demo logins (admin, organiser, staff with ``demo.DEMO_PASSWORD``). Returns the
    rows written per table. Raises if the database is not empty."""
    if not database_is_empty():
        raise RuntimeError("The database is not empty; scale data is only added to an empty one.")
    size = sizes(factor)
    users = [
        auth.create_user(
            username, f"{username}@kimweb.example", display_name, demo.DEMO_PASSWORD, role=role
        )
        for username, display_name, role in demo.DEMO_USERS
    ]
    admin, organiser, staff = users
    ensure_builtin_focus_areas()
    today = datetime.now(BERLIN).date()
    counts = {"users": len(users)}
    # Each feature its own random numbers: the size of one does not change the others.
    counts |= seed_directory(size["organisations"], _rng(seed))
    counts |= seed_consultations(size["places"], size["slots"], _rng(seed), today)
    counts |= seed_meetings(
        size["meetings"], ITEMS_PER_MEETING, [organiser, admin, staff], _rng(seed)
    )
    first, last = date(today.year - 6, 1, 1), date(today.year + 4, 12, 31)  # 2020-2030 in 2026
    counts |= seed_calendar(size["events"], size["series"], admin.id, _rng(seed), first, last)
    bulk.analyze()
    return counts


def _rng(seed: int) -> random.Random:
    return random.Random(seed)  # noqa: S311 - invented data, the same every run  # nosec B311
