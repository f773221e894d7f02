"""Events of the shared calendar, their exceptions on single dates, and private feed tokens.

Times are wall-clock times in Europe/Berlin (a 10:00 training stays at 10:00 across the
change to summer time); recurrence is an iCalendar RRULE over those local times.
"""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
import sqlalchemy.orm as so

from kimweb.auth.models import User, utcnow
from kimweb.consultations.models import Location
from kimweb.extensions import db

CATEGORIES = ("event", "training", "deadline", "external")


class Event(db.Model):
    __tablename__ = "events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    uid: so.Mapped[str] = so.mapped_column(sa.String(255), unique=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    description: so.Mapped[str | None] = so.mapped_column(sa.Text)
    start_date: so.Mapped[date] = so.mapped_column(sa.Date)
    start_time: so.Mapped[time | None] = so.mapped_column(sa.Time)  # None: all day
    end_date: so.Mapped[date] = so.mapped_column(sa.Date)
    end_time: so.Mapped[time | None] = so.mapped_column(sa.Time)
    rrule: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    is_recurring: so.Mapped[bool] = so.mapped_column(default=False)
    # The last day any occurrence touches; None: the series never ends.
    last_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    location: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    location_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("consultation_locations.id", ondelete="SET NULL")
    )
    category: so.Mapped[str] = so.mapped_column(sa.String(20), default="event")
    is_public: so.Mapped[bool] = so.mapped_column(default=False)
    organiser: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    registration_url: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    sequence: so.Mapped[int] = so.mapped_column(default=0)
    created_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    place: so.Mapped[Location | None] = so.relationship()
    created_by: so.Mapped[User | None] = so.relationship()
    exceptions: so.Mapped[list[EventException]] = so.relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="EventException.original_date",
    )

    __table_args__ = (
        sa.CheckConstraint(
            "category IN ('event', 'training', 'deadline', 'external')", name="category"
        ),
        # One-off events by start (with end_date, so the index alone answers the range);
        # the few series by their span.
        sa.Index("ix_events_single", "is_recurring", "start_date", "end_date"),
        sa.Index("ix_events_series", "is_recurring", "last_date"),
    )

    @property
    def all_day(self) -> bool:
        return self.start_time is None

    @property
    def where(self) -> str:
        place = self.place
        if place is None:
            return where_text(None, None, None, self.location)
        return where_text(place.name, place.street, place.town, self.location)


def where_text(name: str | None, street: str | None, town: str | None, other: str | None) -> str:
    """Where an event is: the timetable's place (name, street, town), else the free text."""
    if name:
        return ", ".join(part for part in (name, street, town) if part)
    return other or ""


class EventException(db.Model):
    """One date of a series cancelled, or moved to other times."""

    __tablename__ = "event_exceptions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    event_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    original_date: so.Mapped[date] = so.mapped_column(sa.Date)
    is_cancelled: so.Mapped[bool] = so.mapped_column(default=True)
    start_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    start_time: so.Mapped[time | None] = so.mapped_column(sa.Time)
    end_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    end_time: so.Mapped[time | None] = so.mapped_column(sa.Time)

    event: so.Mapped[Event] = so.relationship(back_populates="exceptions")

    __table_args__ = (
        sa.UniqueConstraint("event_id", "original_date", name="uq_event_exception_date"),
    )


class FeedToken(db.Model):
    """The secret in a user's private feed URL; a new one ends the old URL."""

    __tablename__ = "calendar_feed_tokens"

    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)

    user: so.Mapped[User] = so.relationship()
