"""The global search: each feature's own search, a few hits of each, only what the user
may see. No Flask request in here.

The directory and the meetings have full-text indexes and are asked through their own
services. Events and consultation offers are few: every word must occur (case-insensitive)
in one of their text columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from kimweb.auth.models import User
from kimweb.calendar.models import Event
from kimweb.consultations.models import Offer
from kimweb.directory import services as directory
from kimweb.directory.models import Organisation
from kimweb.extensions import db
from kimweb.meetings import services as meetings

MAX_QUERY = 200  # characters of a query that are used
SHOWN = 10  # hits shown per group
COUNT_CAP = 100  # hits counted per group; more is shown as "more than 100"
WORD = re.compile(r"\w+")


def clean_query(text: str | None) -> str:
    """The query as it is used and shown: no control characters, spaces collapsed, at most
    ``MAX_QUERY`` characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in (text or "")[: MAX_QUERY * 2])
    return " ".join(text.split())[:MAX_QUERY]


def words(query: str) -> list[str]:
    """The lower-case words of a query from two letters on (at most 8, 40 characters each)."""
    return [w[:40] for w in WORD.findall(query.lower()) if len(w) >= 2][:8]


@dataclass
class Group:
    """The first hits of one kind of result and how many there are (up to a cap)."""

    hits: list[Any] = field(default_factory=list)
    count: int = 0

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def more(self) -> bool:
        return self.count > len(self.hits)


@dataclass
class Results:
    query: str
    too_short: bool = False
    directory: Group = field(default_factory=Group)
    meetings: Group = field(default_factory=Group)
    events: Group = field(default_factory=Group)
    offers: Group = field(default_factory=Group)

    cap: int = COUNT_CAP

    @property
    def total(self) -> int:
        return sum(min(g.count, COUNT_CAP) for g in self.groups)

    @property
    def capped(self) -> bool:
        return any(g.capped for g in self.groups)

    @property
    def groups(self) -> tuple[Group, ...]:
        return (self.directory, self.meetings, self.events, self.offers)


def search(user: User, query: str) -> Results:
    """Everything ``user`` may see that matches every word of ``query``.

    Without a word of two letters or more nothing is searched (``too_short``)."""
    query = clean_query(query)
    found = words(query)
    if not found:
        return Results(query, too_short=bool(query))
    return Results(
        query,
        directory=search_directory(query),
        meetings=search_meetings(user, query),
        events=search_events(found),
        offers=search_offers(found),
    )


def _count(stmt: sa.Select) -> int:
    """Rows of ``stmt``, counted up to one more than ``COUNT_CAP``."""
    limited = stmt.order_by(None).limit(COUNT_CAP + 1).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(limited)) or 0


def search_directory(query: str) -> Group:
    """Active organisations and contact persons (the directory's own index)."""
    if not directory.tokens(query):
        return Group()
    stmt = directory.search_query(directory.DirectoryQuery(q=query))
    entries = list(db.session.scalars(stmt.limit(SHOWN)))
    return Group(directory.load_hits(entries), _count(stmt))


def search_meetings(user: User, query: str) -> Group:
    """Agenda items and minutes ``user`` may read (the meetings' own index)."""
    hits = meetings.search(user, query, limit=COUNT_CAP + 1)
    return Group(hits[:SHOWN], len(hits))


def _every_word(found: list[str], columns: list[sa.ColumnElement]) -> sa.ColumnElement:
    """Each word occurs in one of ``columns``, case-insensitive; % and _ match themselves."""
    return sa.and_(
        *(
            sa.or_(*(sa.func.lower(column).contains(word, autoescape=True) for column in columns))
            for word in found
        )
    )


def search_events(found: list[str]) -> Group:
    """Events of the calendar (all are shown to staff), latest first."""
    stmt = sa.select(Event).where(
        _every_word(found, [Event.title, Event.description, Event.location])
    )
    hits = db.session.scalars(
        stmt.options(so.joinedload(Event.place))
        .order_by(Event.start_date.desc(), Event.id.desc())
        .limit(SHOWN)
    )
    return Group(list(hits), _count(stmt))


def search_offers(found: list[str]) -> Group:
    """Consultation offers by title, organisation or target groups."""
    stmt = (
        sa.select(Offer)
        .join(Organisation, Offer.organisation_id == Organisation.id)
        .where(_every_word(found, [Offer.title, Organisation.name, Offer.target_groups]))
    )
    hits = db.session.scalars(
        stmt.options(so.contains_eager(Offer.organisation))
        .order_by(Offer.title, Offer.id)
        .limit(SHOWN)
    )
    return Group(list(hits), _count(stmt))
