"""The shared calendar: events and their exceptions, the meetings of the bodies a user may
see, NRW public holidays; month, week and agenda views; private feed tokens.

Plain functions without the Flask request. Recurrence is expanded for the visible range
only (see ``recurrence.occurrences``), with a fixed number of queries per view.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from dateutil.rrule import rrulestr

from kimweb.auth.models import User
from kimweb.calendar import recurrence
from kimweb.calendar.models import CATEGORIES, Event, EventException, FeedToken, where_text
from kimweb.consultations.holidays import nrw_holidays
from kimweb.consultations.models import Location
from kimweb.extensions import db
from kimweb.meetings import services as meetings
from kimweb.meetings.models import BERLIN, Meeting

DAY_LIMIT = 4  # entries shown in a day of the month grid; the rest behind "n more"
MAX_SPAN_DAYS = 92  # a one-off event lasts at most a quarter (keeps range queries short)
MAX_MOVE_DAYS = 92  # a date of a series moves by at most a quarter (the same reason)
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)  # the calendar's years
AGENDA_DAYS = 42
MEETING = "meeting"
HOLIDAY = "holiday"
FILTERS = (*CATEGORIES, MEETING)
BODY_FILTER = re.compile(r"^body-(\d{1,9})$")  # "body-3": the meetings of one body


def now_in_berlin() -> datetime:
    return datetime.now(BERLIN)


# --- what is shown -----------------------------------------------------------------------


@dataclass(slots=True)
class Entry:
    """One thing on one or more days of the calendar."""

    kind: str  # "event", "meeting" or "holiday"
    category: str
    title: str
    start: datetime
    end: datetime
    all_day: bool = False
    event_id: int | None = None
    meeting_id: int | None = None
    original_date: date | None = None
    changed: bool = False
    cancelled: bool = False
    where: str = ""
    is_public: bool = False
    linked: bool = True  # False: a meeting whose draft agenda the user may not open

    @property
    def days(self) -> list[date]:
        """The dates this entry touches; an end at midnight (every all-day end, as DTEND in
        iCalendar) belongs to the day before."""
        first, last = self.start.date(), self.end.date()
        if last == first:  # most entries
            return [first]
        if self.end.time() == time(0):
            last -= timedelta(days=1)
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _in_range(
    start: date, end: date, categories: Iterable[str], public_only: bool
) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[bool]]:
    """The conditions of one-off events and of series with an occurrence that may touch
    [start, end]: each an index range scan."""
    single = sa.and_(
        Event.is_recurring.is_(False),
        Event.start_date >= start - timedelta(days=MAX_SPAN_DAYS),
        Event.start_date <= end,
        Event.end_date >= start,
    )
    series = sa.and_(
        Event.is_recurring.is_(True),
        sa.or_(Event.last_date.is_(None), Event.last_date >= start),
        Event.start_date <= end + timedelta(days=MAX_MOVE_DAYS),  # a first date moved earlier
    )
    wanted = [c for c in categories if c in CATEGORIES]
    if wanted:
        single, series = (sa.and_(c, Event.category.in_(wanted)) for c in (single, series))
    if public_only:
        single, series = (sa.and_(c, Event.is_public.is_(True)) for c in (single, series))
    return single, series


def load_events(
    start: date, end: date, categories: Iterable[str] = (), public_only: bool = False
) -> list[Event]:
    """The whole events (for the feeds) that may touch [start, end], with exceptions."""
    single, series = _in_range(start, end, categories, public_only)
    found = []
    for condition in (single, series):
        query = sa.select(Event).where(condition).options(
            so.selectinload(Event.exceptions), so.joinedload(Event.place)
        )
        found += db.session.scalars(query).unique().all()
    return found


@dataclass(slots=True)
class ShownEvent:
    """What a calendar view shows of an event: read as plain rows, not as ORM objects
    (a month can hold a thousand)."""

    id: int
    title: str
    category: str
    is_public: bool
    start_date: date
    start_time: time | None
    end_date: date
    end_time: time | None
    rrule: str | None
    where: str
    exceptions: list = field(default_factory=list)  # rows like EventException


def shown_events(
    start: date, end: date, categories: Iterable[str] = (), public_only: bool = False
) -> list[ShownEvent]:
    """The events that may touch [start, end] as the views show them: three queries, the
    last for the series' cancelled and moved dates (a one-off event has none)."""
    single, series = _in_range(start, end, categories, public_only)
    place = Location.__table__
    columns = (
        Event.id, Event.title, Event.category, Event.is_public, Event.start_date,
        Event.start_time, Event.end_date, Event.end_time, Event.rrule,
        place.c.name, place.c.street, place.c.town, Event.location,
    )  # fmt: skip
    query = sa.select(*columns).outerjoin(place, place.c.id == Event.location_id)
    found = [
        ShownEvent(*row[:9], where=where_text(*row[9:]))
        for condition in (single, series)
        for row in db.session.execute(query.where(condition))
    ]
    series_ids = [event.id for event in found if event.rrule]
    if series_ids:
        by_event = {event.id: event for event in found}
        rows = db.session.execute(
            sa.select(EventException).where(EventException.event_id.in_(series_ids))
        ).scalars()
        for row in rows:
            by_event[row.event_id].exceptions.append(row)
    return found


def event_entries(
    events: Iterable[Event | ShownEvent], start: date, end: date, with_cancelled: bool = True
) -> list[Entry]:
    """The events' occurrences in [start, end]; cancelled dates marked (or left out)."""
    entries = []
    low, high = local(start, None), local(end + timedelta(days=1), None)
    for event in events:
        where = event.where
        if not event.rrule:  # most events: one date, nothing to expand
            occurrence = recurrence.single(
                event.start_date, event.start_time, event.end_date, event.end_time
            )
            if occurrence.start < high and (occurrence.end > low or occurrence.start >= low):
                entries.append(_entry(event, where, occurrence))
            continue
        cancelled, changes = exception_maps(event)
        for occurrence in recurrence.occurrences(
            event.start_date,
            event.start_time,
            event.end_date,
            event.end_time,
            event.rrule,
            start,
            end,
            cancelled=frozenset() if with_cancelled else cancelled,
            changes=changes,
        ):
            is_cancelled = occurrence.original_date in cancelled and not occurrence.changed
            entries.append(_entry(event, where, occurrence, is_cancelled))
    return entries


def _entry(
    event: Event | ShownEvent,
    where: str,
    occurrence: recurrence.Occurrence,
    cancelled: bool = False,
) -> Entry:
    return Entry(
        kind="event",
        category=event.category,
        title=event.title,
        start=occurrence.start,
        end=occurrence.end,
        all_day=occurrence.all_day,
        event_id=event.id,
        original_date=occurrence.original_date,
        changed=occurrence.changed,
        cancelled=cancelled,
        where=where,
        is_public=event.is_public,
    )


def exception_maps(
    event: Event | ShownEvent,
) -> tuple[set[date], dict[date, tuple[datetime, datetime]]]:
    """The cancelled dates of a series, and its dates with other times."""
    cancelled, changes = set(), {}
    if not event.rrule:
        return cancelled, changes
    for row in event.exceptions:
        if row.is_cancelled:
            cancelled.add(row.original_date)
        elif row.start_date:
            start = local(row.start_date, row.start_time)
            end = local(row.end_date or row.start_date, row.end_time)
            if row.start_time is None:
                end = local((row.end_date or row.start_date) + timedelta(days=1), None)
            changes[row.original_date] = (start, end)
    return cancelled, changes


def local(day: date, moment: time | None) -> datetime:
    return datetime.combine(day, moment or time(0), tzinfo=BERLIN)


def meetings_between(
    user: User, start: date, end: date, body_ids: Iterable[int] = ()
) -> list[Meeting]:
    """Meetings of the bodies ``user`` may see (of ``body_ids`` only, if given), starting
    from ``start`` to ``end``."""
    first = local(start, None).astimezone(UTC)
    last = local(end + timedelta(days=1), None).astimezone(UTC)
    query = sa.select(Meeting).where(
        Meeting.body_id.in_(meetings.visible_body_ids(user)),
        Meeting.start_dt >= first,
        Meeting.start_dt < last,
    )
    if body_ids:
        query = query.where(Meeting.body_id.in_(list(body_ids)))
    return list(
        db.session.scalars(
            query.options(so.joinedload(Meeting.body)).order_by(Meeting.start_dt)
        )
    )


def meeting_entries(
    user: User, start: date, end: date, body_ids: Iterable[int] = ()
) -> list[Entry]:
    """Meetings of the bodies ``user`` may see: no double entry in the calendar. A draft
    agenda is linked for the body's organisers only."""
    rows = meetings_between(user, start, end, body_ids)
    organised = set(db.session.scalars(meetings.organised_body_ids(user))) if rows else set()
    return [
        Entry(
            kind=MEETING,
            category=MEETING,
            title=meeting.body.name,
            start=meeting.starts,
            end=meeting.ends,
            meeting_id=meeting.id,
            cancelled=meeting.is_cancelled,
            where=meeting.location or "",
            linked=meeting.agenda_state == "published" or meeting.body_id in organised,
        )
        for meeting in rows
    ]


def holiday_entries(start: date, end: date) -> list[Entry]:
    entries = []
    for year in range(start.year, end.year + 1):
        for day, key in nrw_holidays(year).items():
            if start <= day <= end:
                entries.append(
                    Entry(
                        kind=HOLIDAY,
                        category=HOLIDAY,
                        title=key,
                        start=local(day, None),
                        end=local(day + timedelta(days=1), None),
                        all_day=True,
                    )
                )
    return entries


def valid_filters(values: Iterable[str]) -> list[str]:
    """The filter values that mean something: event categories, "meeting" (every body)
    and "body-<id>" (one body); each once, in the given order."""
    return list(dict.fromkeys(v for v in values if v in FILTERS or BODY_FILTER.match(v)))


def entries_for(
    user: User, start: date, end: date, categories: Iterable[str] = ()
) -> list[Entry]:
    """Everything ``user`` sees in [start, end], sorted: holidays, events, meetings.

    ``categories`` narrows it to event categories, "meeting" (all meetings) and
    "body-<id>" (the meetings of one body); none: everything."""
    wanted = set(valid_filters(categories))
    bodies = {int(m[1]) for m in map(BODY_FILTER.match, wanted) if m}
    entries = holiday_entries(start, end)
    if not wanted or wanted & set(CATEGORIES):
        events = shown_events(start, end, wanted & set(CATEGORIES))
        entries += event_entries(events, start, end)
    if not wanted or MEETING in wanted:
        entries += meeting_entries(user, start, end)
    elif bodies:
        entries += meeting_entries(user, start, end, bodies)
    return sorted(entries, key=_order)


def _order(entry: Entry) -> tuple:
    return (entry.start.date(), entry.kind != HOLIDAY, not entry.all_day, entry.start, entry.title)


# --- month, week and agenda -------------------------------------------------------------


@dataclass(slots=True)
class Day:
    day: date
    in_range: bool
    is_today: bool
    entries: list[Entry] = field(default_factory=list)

    @property
    def holiday(self) -> str | None:
        return next((e.title for e in self.entries if e.kind == HOLIDAY), None)

    @property
    def week_key(self) -> str:
        """The ISO week of the day, as the week view's address has it: "2026-W49"."""
        year, week, _weekday = self.day.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(slots=True)
class Week:
    number: int  # ISO calendar week (KW)
    days: list[Day]


MONTH = re.compile(r"^(\d{4})-(\d{2})$")
ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_month(text: str | None) -> date | None:
    """The first day of "2026-12", or None for anything else (years 2000-2100)."""
    match = MONTH.match((text or "").strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_day(text: str | None) -> date | None:
    """The date of "2026-12-24" in the calendar's years, or None for anything else."""
    match = DAY.match(text or "")
    if not match:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def parse_week(text: str | None) -> date | None:
    """The Monday of ISO week "2026-W49", or None."""
    match = ISO_WEEK.match((text or "").strip())
    if not match:
        return None
    year, week = int(match[1]), int(match[2])
    if not 2000 <= year <= 2100:
        return None
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        return None


def month_range(first: date) -> tuple[date, date]:
    """The Monday before the 1st to the Sunday after the last day: whole weeks."""
    start = first - timedelta(days=first.weekday())
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = following - timedelta(days=1)
    return start, last + timedelta(days=6 - last.weekday())


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def days_between(
    start: date, end: date, entries: list[Entry], today: date, month: int | None = None
) -> list[Day]:
    by_day: dict[date, list[Entry]] = {}
    for entry in entries:
        for day in entry.days:
            by_day.setdefault(day, []).append(entry)
    count = (end - start).days + 1
    return [
        Day(
            day=day,
            in_range=month is None or day.month == month,
            is_today=day == today,
            entries=by_day.get(day, []),
        )
        for day in (start + timedelta(days=n) for n in range(count))
    ]


def month_grid(first: date, entries: list[Entry], today: date) -> list[Week]:
    start, end = month_range(first)
    days = days_between(start, end, entries, today, first.month)
    return [
        Week(number=days[i].day.isocalendar().week, days=days[i : i + 7])
        for i in range(0, len(days), 7)
    ]


# --- saving -------------------------------------------------------------------------------


EVENT_FIELDS = (
    "title",
    "description",
    "location",
    "category",
    "is_public",
    "organiser",
    "registration_url",
)


def save_event(
    event: Event | None,
    data: dict,
    times: tuple[date, time | None, date, time | None],
    rule: str | None,
    user: User,
    commit: bool = True,
) -> Event:
    """Create or change an event; the series' last day is worked out for range queries.
    Cancelled or moved dates the changed rule no longer gives are dropped."""
    if event is None:
        event = Event(uid=f"{uuid.uuid4()}@kimweb", created_by_id=user.id)
        db.session.add(event)
    else:
        event.sequence = (event.sequence or 0) + 1
    for name in EVENT_FIELDS:
        if name in data:
            setattr(event, name, _clean(name, data[name]))
    event.title = event.title or ""
    event.location_id = data.get("location_id") or None
    event.start_date, event.start_time, event.end_date, event.end_time = times
    event.rrule = rule
    event.is_recurring = rule is not None
    for row in list(event.exceptions):
        if not rule or not is_occurrence(event, row.original_date):
            event.exceptions.remove(row)
    event.last_date = last_date(event)
    if commit:
        db.session.commit()
    return event


def _clean(name: str, value: object) -> object:
    """Text as it is kept: trimmed, None if empty; one-line fields with single spaces, and
    line ends as "\n" (browsers send "\r\n"), so a file exported and imported again is
    unchanged."""
    if not isinstance(value, str):
        return value
    if name == "description":
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    else:
        value = " ".join(value.split())
    return value.strip() or None


def last_date(event: Event) -> date | None:
    """The last day an occurrence touches; None for a series without end."""
    span = event.end_date - event.start_date
    moved = [row.end_date or row.start_date for row in event.exceptions if row.start_date]
    if not event.rrule:
        return max([event.end_date, *moved])
    last = last_occurrence(event.rrule, event.start_date, event.start_time)
    if last is None:
        return None
    return max([last + span, *moved])


def last_occurrence(rule: str, first: date, moment: time | None) -> date | None:
    """The date of the last occurrence of a rule with COUNT, or (not before ``first``) the
    UNTIL day, which bounds it; None without end."""
    if "COUNT=" not in rule.upper() and "UNTIL=" not in rule.upper():
        return None
    until = re.search(r"UNTIL=(\d{8})", _naive_until(rule), flags=re.IGNORECASE)
    if until:
        return max(first, datetime.strptime(until[1], "%Y%m%d").date())
    start = datetime.combine(first, moment or time(0))
    expanded = rrulestr(_naive_until(rule), dtstart=start)
    last = None
    for last in expanded.xafter(start - timedelta(seconds=1), count=10_000, inc=True):  # noqa: B007
        pass
    return last.date() if last else first


def _naive_until(rule: str) -> str:
    """UNTIL in UTC ('Z') against a floating DTSTART: use the Berlin date's end instead."""

    def repl(match: re.Match) -> str:
        value = match[1]
        if value.endswith("Z"):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            value = moment.astimezone(BERLIN).strftime("%Y%m%dT%H%M%S")
        elif len(value) == 8:
            value += "T235959"
        return f"UNTIL={value}"

    return re.sub(r"UNTIL=([0-9TZ]+)", repl, rule, flags=re.IGNORECASE)


def cancel_occurrence(event: Event, original: date) -> None:
    row = _exception(event, original)
    row.is_cancelled = True
    row.start_date = row.start_time = row.end_date = row.end_time = None
    event.sequence = (event.sequence or 0) + 1
    db.session.commit()


def change_occurrence(
    event: Event, original: date, times: tuple[date, time | None, date, time | None]
) -> None:
    row = _exception(event, original)
    row.is_cancelled = False
    row.start_date, row.start_time, row.end_date, row.end_time = times
    event.sequence = (event.sequence or 0) + 1
    db.session.flush()
    event.last_date = last_date(event)
    db.session.commit()


def restore_occurrence(event: Event, original: date) -> None:
    for row in list(event.exceptions):
        if row.original_date == original:
            event.exceptions.remove(row)
    event.sequence = (event.sequence or 0) + 1
    db.session.flush()
    event.last_date = last_date(event)
    db.session.commit()


def _exception(event: Event, original: date) -> EventException:
    for row in event.exceptions:
        if row.original_date == original:
            return row
    row = EventException(original_date=original)
    event.exceptions.append(row)
    return row


def is_occurrence(event: Event, original: date) -> bool:
    """True if the event's rule gives ``original`` (cancelled or not)."""
    found = recurrence.occurrences(
        event.start_date,
        event.start_time,
        event.end_date,
        event.end_time,
        event.rrule,
        original,
        original,
    )
    return any(o.original_date == original for o in found)


def aligned(
    times: tuple[date, time | None, date, time | None], rule: str | None
) -> tuple[date, time | None, date, time | None]:
    """``times`` moved to the first date ``rule`` gives (the length kept): a series typed
    into the form starts on a date of its own pattern."""
    start_date, start_time, end_date, end_time = times
    first = recurrence.first_date(rule, start_date)
    return first, start_time, first + (end_date - start_date), end_time


PREVIEW_DATES = 6


@dataclass(slots=True)
class Preview:
    """What a repetition typed into the form gives: its words and its first dates."""

    rule: str | None
    dates: list[recurrence.Occurrence]
    more: bool  # the repetition goes on after these dates


def preview(
    times: tuple[date, time | None, date, time | None], rule: str | None
) -> Preview:
    """The first ``PREVIEW_DATES`` dates of an event with ``times`` and ``rule``."""
    first = times[0]
    found = recurrence.occurrences(
        *times, rule, first, first + timedelta(days=366 * recurrence.MAX_YEARS),
        limit=PREVIEW_DATES + 1,
    )
    return Preview(rule, found[:PREVIEW_DATES], len(found) > PREVIEW_DATES)


def delete_event(event: Event) -> None:
    db.session.delete(event)
    db.session.commit()


# --- private feeds ------------------------------------------------------------------------


def feed_token(user: User, renew: bool = False) -> str:
    """The user's feed secret; ``renew`` replaces it, and the old URL stops working."""
    row = db.session.get(FeedToken, user.id)
    if row is None:
        row = FeedToken(user_id=user.id, token=secrets.token_urlsafe(32))
        db.session.add(row)
        try:
            db.session.commit()
        except sa.exc.IntegrityError:  # the same user's other request made one just now
            db.session.rollback()
            row = db.session.get(FeedToken, user.id)
            if row is None:
                raise
    elif renew:
        row.token = secrets.token_urlsafe(32)
        db.session.commit()
    return row.token


def user_for_token(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    row = db.session.scalar(sa.select(FeedToken).where(FeedToken.token == token))
    if row is None or not row.user.is_active:
        return None
    return row.user
