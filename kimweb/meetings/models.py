"""Bodies and their members, meeting series, meetings, agenda items with minutes,
outcomes (information, decisions, tasks), attendance, revisions and the needs register."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so

from kimweb.auth.models import User, utcnow
from kimweb.extensions import db

BODY_KINDS = ("jour_fixe", "steering_group", "working_group", "conference")
MEMBER_ROLES = ("member", "organiser")
AGENDA_STATES = ("draft", "published")
MINUTES_STATES = ("draft", "circulated", "approved", "locked")
ITEM_KINDS = ("topic", "approve_minutes", "open_tasks")
OUTCOME_KINDS = ("information", "decision", "task")
TASK_STATES = ("open", "done")
ATTENDANCE = ("present", "excused", "absent")
NEED_STATES = ("raised", "in_coordination", "submitted", "decided", "closed")


BERLIN = ZoneInfo("Europe/Berlin")


def in_berlin(moment: datetime) -> datetime:
    """A stored time (UTC; naive from SQLite) in Europe/Berlin."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BERLIN)


def _check(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=column)


class Body(db.Model):
    """A Gremium: the Jour fixe, the Lenkungsgruppe, a working group, a conference."""

    __tablename__ = "bodies"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    # True: every staff member may read it (the Jour fixe); else members only.
    is_open_to_staff: so.Mapped[bool] = so.mapped_column(default=False)
    default_location: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    description: so.Mapped[str | None] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)

    memberships: so.Mapped[list[Membership]] = so.relationship(
        back_populates="body", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (_check("kind", BODY_KINDS),)


class Membership(db.Model):
    __tablename__ = "body_memberships"

    body_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: so.Mapped[str] = so.mapped_column(sa.String(20), default="member")

    body: so.Mapped[Body] = so.relationship(back_populates="memberships")
    user: so.Mapped[User] = so.relationship()

    __table_args__ = (_check("role", MEMBER_ROLES),)


class Series(db.Model):
    """Meetings of a body from one rule: the words typed and the RRULE made of them."""

    __tablename__ = "meeting_series"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    body_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE"), index=True
    )
    rule_text: so.Mapped[str] = so.mapped_column(sa.String(200))
    rrule: so.Mapped[str] = so.mapped_column(sa.String(200))
    start_time: so.Mapped[time] = so.mapped_column(sa.Time)
    end_time: so.Mapped[time] = so.mapped_column(sa.Time)
    first_date: so.Mapped[date] = so.mapped_column(sa.Date)
    last_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    location: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    is_active: so.Mapped[bool] = so.mapped_column(default=True)
    # Meetings exist up to this date; later ones are made as time goes on.
    generated_until: so.Mapped[date | None] = so.mapped_column(sa.Date)
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)

    body: so.Mapped[Body] = so.relationship()


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    body_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE"), index=True
    )
    series_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True
    )
    # The date the series gave this meeting; kept when it is moved, so it is not made again.
    series_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    start_dt: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), index=True)
    end_dt: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True))
    location: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    is_cancelled: so.Mapped[bool] = so.mapped_column(default=False)
    cancel_reason: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    agenda_state: so.Mapped[str] = so.mapped_column(sa.String(20), default="draft")
    minutes_state: so.Mapped[str] = so.mapped_column(sa.String(20), default="draft")
    published_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    circulated_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    approved_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)

    body: so.Mapped[Body] = so.relationship()
    series: so.Mapped[Series | None] = so.relationship()
    items: so.Mapped[list[AgendaItem]] = so.relationship(
        back_populates="meeting",
        order_by="(AgendaItem.position, AgendaItem.id)",
        passive_deletes=True,
    )
    guests: so.Mapped[list[Guest]] = so.relationship(
        back_populates="meeting",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Guest.id",
    )

    @property
    def starts(self) -> datetime:
        return in_berlin(self.start_dt)

    @property
    def ends(self) -> datetime:
        return in_berlin(self.end_dt)

    __table_args__ = (
        _check("agenda_state", AGENDA_STATES),
        _check("minutes_state", MINUTES_STATES),
        sa.UniqueConstraint("series_id", "series_date", name="uq_meetings_series_date"),
    )


class AgendaItem(db.Model):
    """A TOP of a meeting, or a proposed topic in its body's backlog (no meeting yet)."""

    __tablename__ = "agenda_items"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    body_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE"), index=True
    )
    meeting_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: so.Mapped[int] = so.mapped_column(default=0)
    kind: so.Mapped[str] = so.mapped_column(sa.String(20), default="topic")
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    description: so.Mapped[str | None] = so.mapped_column(sa.Text)
    duration_min: so.Mapped[int | None] = so.mapped_column()
    presenter: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    proposed_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # The minutes of this item; ``version`` guards against lost updates.
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    version: so.Mapped[int] = so.mapped_column(default=0)
    notes_updated_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    notes_updated_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    meeting: so.Mapped[Meeting | None] = so.relationship(back_populates="items")
    body: so.Mapped[Body] = so.relationship()
    proposed_by: so.Mapped[User | None] = so.relationship(foreign_keys=[proposed_by_id])
    notes_updated_by: so.Mapped[User | None] = so.relationship(foreign_keys=[notes_updated_by_id])
    # Loaded for all items of a meeting at once (one query each, not one per item).
    outcomes: so.Mapped[list[Outcome]] = so.relationship(
        back_populates="item",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Outcome.id",
        lazy="selectin",
    )
    guests: so.Mapped[list[Guest]] = so.relationship(
        back_populates="item", passive_deletes=True, order_by="Guest.id", lazy="selectin"
    )

    __table_args__ = (_check("kind", ITEM_KINDS),)

    @property
    def is_standing(self) -> bool:
        return self.kind != "topic"


class Guest(db.Model):
    """A guest of a meeting (optionally for one item), taken from the directory or named."""

    __tablename__ = "meeting_guests"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    item_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    contact_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    # Copied when invited: the minutes keep the name if the directory entry goes.
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    organisation: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    is_present: so.Mapped[bool] = so.mapped_column(default=False)

    meeting: so.Mapped[Meeting] = so.relationship(back_populates="guests")
    item: so.Mapped[AgendaItem | None] = so.relationship(back_populates="guests")


class Outcome(db.Model):
    """What an item produced: an information, a decision or a task."""

    __tablename__ = "meeting_outcomes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    item_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    assignee_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    assignee_name: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    due_date: so.Mapped[date | None] = so.mapped_column(sa.Date)
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="open")
    done_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)

    item: so.Mapped[AgendaItem] = so.relationship(back_populates="outcomes")
    assignee: so.Mapped[User | None] = so.relationship()

    __table_args__ = (_check("kind", OUTCOME_KINDS), _check("status", TASK_STATES))

    @property
    def assignee_label(self) -> str:
        if self.assignee is not None:
            return self.assignee.display_name
        return self.assignee_name or ""


class Attendance(db.Model):
    __tablename__ = "meeting_attendance"

    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    status: so.Mapped[str] = so.mapped_column(sa.String(20))

    user: so.Mapped[User] = so.relationship()

    __table_args__ = (_check("status", ATTENDANCE),)


class Revision(db.Model):
    """Every saved version of an item's notes."""

    __tablename__ = "agenda_item_revisions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    item_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    version: so.Mapped[int] = so.mapped_column()
    notes: so.Mapped[str] = so.mapped_column(sa.Text)
    author_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)

    author: so.Mapped[User | None] = so.relationship()

    __table_args__ = (sa.UniqueConstraint("item_id", "version", name="uq_revision_version"),)


class MinutesEvent(db.Model):
    """The log of the minutes' states: circulated, approved, locked, reopened (with reason)."""

    __tablename__ = "minutes_events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    meeting_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    action: so.Mapped[str] = so.mapped_column(sa.String(20))
    reason: so.Mapped[str | None] = so.mapped_column(sa.String(500))
    user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)

    user: so.Mapped[User | None] = so.relationship()


class NeedMunicipality(db.Model):
    __tablename__ = "need_municipalities"

    need_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    municipality: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True, index=True)


class Need(db.Model):
    """A need or gap in the counselling landscape, on its way to the steering group."""

    __tablename__ = "needs"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    title: so.Mapped[str] = so.mapped_column(sa.String(200))
    description: so.Mapped[str] = so.mapped_column(sa.Text)
    target_groups: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    body_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("bodies.id", ondelete="CASCADE"), index=True
    )
    item_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    # The item on the steering group's agenda it was submitted to.
    steering_item_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default="raised", index=True)
    decision: so.Mapped[str | None] = so.mapped_column(sa.Text)
    created_by_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    body: so.Mapped[Body] = so.relationship()
    item: so.Mapped[AgendaItem | None] = so.relationship(foreign_keys=[item_id])
    steering_item: so.Mapped[AgendaItem | None] = so.relationship(foreign_keys=[steering_item_id])
    municipality_rows: so.Mapped[list[NeedMunicipality]] = so.relationship(
        cascade="all, delete-orphan", order_by=NeedMunicipality.municipality
    )
    events: so.Mapped[list[NeedEvent]] = so.relationship(
        back_populates="need",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="NeedEvent.id",
    )

    __table_args__ = (_check("status", NEED_STATES),)

    @property
    def municipalities(self) -> list[str]:
        return [row.municipality for row in self.municipality_rows]

    @municipalities.setter
    def municipalities(self, names: list[str]) -> None:
        self.municipality_rows = [NeedMunicipality(municipality=n) for n in dict.fromkeys(names)]


class NeedEvent(db.Model):
    """The history of a need: every change of state, with a note."""

    __tablename__ = "need_events"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    need_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("needs.id", ondelete="CASCADE"), index=True
    )
    from_status: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    to_status: so.Mapped[str] = so.mapped_column(sa.String(20))
    note: so.Mapped[str | None] = so.mapped_column(sa.Text)
    user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)

    need: so.Mapped[Need] = so.relationship(back_populates="events")
    user: so.Mapped[User | None] = so.relationship()


class MeetingSearch(db.Model):
    """The searchable text of an item, in two parts: ``agenda`` (title, description,
    presenter) and ``minutes`` (notes and outcomes), as each part is visible to other people.

    SQLite: FTS5 table ``meeting_fts``; PostgreSQL: ``content_tsv`` (German stemming).
    """

    __tablename__ = "meeting_search"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    item_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    part: so.Mapped[str] = so.mapped_column(sa.String(10))
    content: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    __table_args__ = (sa.UniqueConstraint("item_id", "part", name="uq_meeting_search_part"),)
