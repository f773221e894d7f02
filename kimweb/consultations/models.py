"""Locations, consultation offers, their weekly slots and exceptions on single dates."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
import sqlalchemy.orm as so

from kimweb.auth.models import utcnow
from kimweb.directory.models import FocusArea, Organisation
from kimweb.extensions import db

offer_topics = sa.Table(
    "consultation_offer_topics",
    db.metadata,
    sa.Column(
        "offer_id", sa.ForeignKey("consultation_offers.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "focus_area_id",
        sa.ForeignKey("focus_areas.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

OFFER_KINDS = ("walk_in", "phone", "appointment")


class Location(db.Model):
    __tablename__ = "consultation_locations"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    street: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    postal_code: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    town: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    municipality: so.Mapped[str] = so.mapped_column(sa.String(40), index=True)
    room: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    is_step_free: so.Mapped[bool] = so.mapped_column(default=False)
    accessibility_notes: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    transit_hint: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class OfferLanguage(db.Model):
    __tablename__ = "consultation_offer_languages"

    offer_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("consultation_offers.id", ondelete="CASCADE"), primary_key=True
    )
    language: so.Mapped[str] = so.mapped_column(sa.String(12), primary_key=True, index=True)


class Offer(db.Model):
    __tablename__ = "consultation_offers"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    organisation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    kind: so.Mapped[str] = so.mapped_column(sa.String(20), default="walk_in")
    target_groups: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    notes: so.Mapped[str | None] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    organisation: so.Mapped[Organisation] = so.relationship()
    topics: so.Mapped[list[FocusArea]] = so.relationship(
        secondary=offer_topics, order_by=FocusArea.id
    )
    language_rows: so.Mapped[list[OfferLanguage]] = so.relationship(
        cascade="all, delete-orphan", order_by=OfferLanguage.language
    )
    slots: so.Mapped[list[Slot]] = so.relationship(
        back_populates="offer",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(Slot.weekday, Slot.start_time)",
    )

    __table_args__ = (
        sa.CheckConstraint("kind IN ('walk_in', 'phone', 'appointment')", name="kind"),
    )

    @property
    def languages(self) -> list[str]:
        return [row.language for row in self.language_rows]

    @languages.setter
    def languages(self, codes: list[str]) -> None:
        self.language_rows = [OfferLanguage(language=c) for c in dict.fromkeys(codes)]


class Slot(db.Model):
    """A weekly time: weekday (0 = Monday), times, validity, optionally certain weeks only."""

    __tablename__ = "consultation_slots"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    offer_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("consultation_offers.id", ondelete="CASCADE"), index=True
    )
    location_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("consultation_locations.id", ondelete="SET NULL"), index=True
    )
    weekday: so.Mapped[int] = so.mapped_column()
    start_time: so.Mapped[time] = so.mapped_column(sa.Time)
    end_time: so.Mapped[time] = so.mapped_column(sa.Time)
    valid_from: so.Mapped[date | None] = so.mapped_column(sa.Date)
    valid_until: so.Mapped[date | None] = so.mapped_column(sa.Date)
    # Weeks of the month, e.g. "1,3" for the first and third; empty for every week.
    weeks_of_month: so.Mapped[str] = so.mapped_column(sa.String(20), default="")

    offer: so.Mapped[Offer] = so.relationship(back_populates="slots")
    location: so.Mapped[Location | None] = so.relationship()
    exceptions: so.Mapped[list[SlotException]] = so.relationship(
        back_populates="slot",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SlotException.date",
    )

    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        sa.CheckConstraint("end_time > start_time", name="times"),
    )

    @property
    def weeks(self) -> list[int]:
        return [
            int(w) for w in self.weeks_of_month.split(",") if w.strip() in {"1", "2", "3", "4", "5"}
        ]


class SlotException(db.Model):
    """One date of a slot: cancelled, or held at other times; the reason is public."""

    __tablename__ = "consultation_exceptions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    slot_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("consultation_slots.id", ondelete="CASCADE"), index=True
    )
    date: so.Mapped[date] = so.mapped_column(sa.Date, index=True)
    is_cancelled: so.Mapped[bool] = so.mapped_column(default=True)
    start_time: so.Mapped[time | None] = so.mapped_column(sa.Time)
    end_time: so.Mapped[time | None] = so.mapped_column(sa.Time)
    reason: so.Mapped[str | None] = so.mapped_column(sa.String(300))

    slot: so.Mapped[Slot] = so.relationship(back_populates="exceptions")

    __table_args__ = (
        sa.UniqueConstraint("slot_id", "date", name="uq_consultation_exceptions_slot_date"),
    )


class CacheVersion(db.Model):
    """A counter raised by every change to the timetable: cached pages use it in their key."""

    __tablename__ = "consultation_cache_version"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version: so.Mapped[int] = so.mapped_column(default=1)
