"""The staff start page's overview, and storing and listing accessibility feedback."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from kimweb.auth.models import User
from kimweb.calendar import services as calendar
from kimweb.extensions import db
from kimweb.meetings import services as meetings
from kimweb.meetings.models import Meeting, Membership, Need, Outcome
from kimweb.pages.models import AccessibilityFeedback

START_LIMIT = 5  # rows per section of the start page
START_WEEK_LIMIT = 12  # this week's dates listed; the rest in the calendar's week view
SHARED_MINUTES = ("circulated", "approved", "locked")


# --- the start page ------------------------------------------------------------------


@dataclass
class StartPage:
    """What the start page shows one user; ``needs`` is None for non-coordinators."""

    today: date
    week_key: str  # "2026-W48": the calendar's week view of this week
    next_meetings: list[Meeting] = field(default_factory=list)
    organised_body_ids: set[int] = field(default_factory=set)
    tasks: list[Outcome] = field(default_factory=list)
    task_count: int = 0
    week_entries: list[calendar.Entry] = field(default_factory=list)
    recent_minutes: list[Meeting] = field(default_factory=list)
    needs: list[Need] | None = None
    need_count: int = 0

    def is_overdue(self, task: Outcome) -> bool:
        return task.due_date is not None and task.due_date < self.today

    def shows_agenda(self, meeting: Meeting) -> bool:
        """A draft agenda is for the body's organisers only."""
        return meeting.agenda_state == "published" or meeting.body_id in self.organised_body_ids


def start_page(user: User, now: datetime) -> StartPage:
    """The overview of ``user`` at ``now`` (Berlin time): a handful of short queries."""
    today = now.date()
    monday = today - timedelta(days=today.weekday())
    year, week, _day = monday.isocalendar()
    tasks = meetings.open_tasks_for(user)
    page = StartPage(
        today=today,
        week_key=f"{year}-W{week:02d}",
        next_meetings=my_next_meetings(user, now),
        organised_body_ids=set(db.session.scalars(meetings.organised_body_ids(user))),
        tasks=tasks[:START_LIMIT],
        task_count=len(tasks),
        week_entries=[
            entry
            for entry in calendar.entries_for(user, monday, monday + timedelta(days=6))
            if entry.kind != calendar.HOLIDAY
        ],
        recent_minutes=recent_minutes(user),
    )
    if meetings.is_coordinator(user):
        waiting = meetings.needs(meetings.NeedFilter(status="raised"), user)
        page.needs, page.need_count = waiting[:START_LIMIT], len(waiting)
    return page


def my_next_meetings(user: User, now: datetime, limit: int = START_LIMIT) -> list[Meeting]:
    """The coming meetings of the bodies ``user`` belongs to or organises; of every body
    they may see if they belong to none."""
    mine = sa.select(Membership.body_id).where(Membership.user_id == user.id)
    if not db.session.scalar(sa.select(sa.func.count()).select_from(mine.subquery())):
        return meetings.meetings_of(user, upcoming=True, now=now, limit=limit)
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.body_id.in_(meetings.visible_body_ids(user)),
                Meeting.body_id.in_(mine),
                Meeting.end_dt >= meetings.utc(now),
            )
            .options(so.joinedload(Meeting.body))
            .order_by(Meeting.start_dt)
            .limit(limit)
        )
    )


def recent_minutes(user: User, limit: int = START_LIMIT) -> list[Meeting]:
    """Minutes shared lately (circulated, approved or locked) of bodies ``user`` may see."""
    shared_at = sa.func.coalesce(Meeting.circulated_at, Meeting.approved_at, Meeting.start_dt)
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.body_id.in_(meetings.visible_body_ids(user)),
                Meeting.minutes_state.in_(SHARED_MINUTES),
            )
            .options(so.joinedload(Meeting.body))
            .order_by(shared_at.desc(), Meeting.id.desc())
            .limit(limit)
        )
    )


# --- accessibility feedback ----------------------------------------------------------


def save_feedback(
    message: str, page_url: str | None, name: str | None, email: str | None, language: str
) -> AccessibilityFeedback:
    feedback = AccessibilityFeedback(
        message=message.strip(),
        page_url=(page_url or "").strip() or None,
        name=(name or "").strip() or None,
        email=(email or "").strip() or None,
        language=language,
    )
    db.session.add(feedback)
    db.session.commit()
    return feedback


def feedback_query() -> sa.Select:
    return sa.select(AccessibilityFeedback).order_by(AccessibilityFeedback.created_at.desc())
