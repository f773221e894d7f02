"""The calendar for other programs: events and meetings as an iCalendar feed, and the import
of .ics files written by Outlook, Google, Thunderbird, Nextcloud and the like.

Plain functions, no Flask request. Events keep Europe/Berlin wall-clock times: the feed
writes them with TZID=Europe/Berlin and its VTIMEZONE, the import turns every time zone of
a file into Berlin local time (floating times are taken as Berlin time).
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlalchemy.orm as so
from dateutil.rrule import rrulestr
from flask_babel import gettext
from icalendar import Calendar, Component, vRecur
from icalendar import Event as VEvent

from kimweb.auth.models import User
from kimweb.calendar import recurrence, services
from kimweb.calendar.models import Event, EventException
from kimweb.extensions import db
from kimweb.i18n import N_
from kimweb.meetings.models import BERLIN, Meeting
from kimweb.requests import without_nul

PUBLIC_NAME = "Termine – Kommunales Integrationsmanagement Kreis Düren"
PRIVATE_NAME = "Meine Termine – kimweb"
PRODID = "-//kimweb//Kalender//DE"
CATEGORY_LABELS = {
    "event": "Veranstaltung",
    "training": "Fortbildung",
    "deadline": "Frist",
    "external": "Extern",
}
MEETING_LABEL = "Sitzung"
REGISTRATION = "Anmeldung: "  # the line the feed adds to a description; the import drops it
REFRESH = timedelta(hours=1)
OPEN_YEARS = 2  # a series without end: time zone rules this many years past today

MAX_EVENTS = 5_000
NO_TITLE = "(ohne Titel)"
IMPORTED_CATEGORY = "external"
RULE_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
TimeSpan = tuple[date, time | None, date, time | None]  # start date/time, end date/time
FOLD = re.compile(rb"\r?\n[ \t]")



NOT_CALENDAR = N_("This is not a calendar file (.ics).")
NO_EVENTS = N_("The file contains no events.")
TOO_MANY = N_("The file contains more than 5,000 events.")
UNREADABLE = N_("This event could not be read; it is not imported.")
TOO_LONG = N_("This event lasts longer than 92 days; it is not imported.")
BAD_RULE = N_("The repetition of this event is not supported; it is not imported.")
CANCELLED = N_("This event is cancelled in the file; it is not imported.")
TWICE = N_("This event appears twice in the file; only the first is imported.")
NOT_YOURS = N_("This event was entered by someone else; it is not changed.")
OUT_OF_YEARS = N_("This event lies outside the years 2000 to 2100; it is not imported.")
TOO_LONG_SERIES = N_("This event repeats for more than 20 years; it is not imported.")
OUR_MEETING = N_("This is a meeting from kimweb; it is in the calendar already.")
MOVED_TOO_FAR = N_(
    "A date of this event is moved by more than 92 days; the event is not imported."
)
OUR_MEETING_UID = re.compile(r"^meeting-\d+@kimweb$")
# What a repetition of an imported event may say (no times of day, week or year numbers).
RULE_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH",
              "BYSETPOS", "WKST"}
MONTH_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30,
              12: 31}


class ImportProblem(ValueError):
    """A file that cannot be imported at all; ``str()`` is the message in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)


# --- the feed -----------------------------------------------------------------------------


def events_ics(events: list[Event], meetings: list[Meeting], name: str | None = None) -> bytes:
    """An RFC 5545 calendar of ``events`` (series with RRULE, EXDATE and moved dates as
    RECURRENCE-ID) and ``meetings``, with TZID=Europe/Berlin and its VTIMEZONE."""
    calendar = Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        name=name,
        uid=uuid.uuid5(uuid.NAMESPACE_URL, f"kimweb:calendar:{name or ''}"),
        refresh_interval=REFRESH,
    )
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # required by RFC 7986
    calendar.add("x-published-ttl", "PT1H")  # the older name of REFRESH-INTERVAL
    stamp = datetime.now(UTC).replace(microsecond=0)
    years: set[int] = set()
    for event in events:
        for component in _event_components(event, stamp):
            calendar.add_component(component)
        years |= {event.start_date.year, _last_day(event).year}
    for meeting in meetings:
        calendar.add_component(_meeting_component(meeting, stamp))
        years |= {meeting.starts.year, meeting.ends.year}
    if years:  # the calendar's years (2000-2100) and a little around them
        first_year = min(max(min(years) - 1, services.FIRST_DAY.year - 1), 2100)
        last_year = max(min(max(years) + 2, services.LAST_DAY.year + 2), first_year + 1)
        calendar.add_missing_timezones(
            first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1)
        )
    return calendar.to_ical()


def _last_day(event: Event) -> date:
    if event.last_date is not None:
        return event.last_date
    if event.rrule:  # without end: the years a client may look at
        return max(event.start_date, date.today()) + timedelta(days=365 * OPEN_YEARS)
    return event.end_date


def _event_components(event: Event, stamp: datetime) -> list[VEvent]:
    """The event, and for a series one more VEVENT per date with other times."""
    master = _vevent(
        event, stamp, (event.start_date, event.start_time, event.end_date, event.end_time)
    )
    if not event.rrule:
        return [master]
    master.add("rrule", _fit_until(vRecur.from_ical(event.rrule), event.all_day))
    cancelled = sorted(row.original_date for row in event.exceptions if row.is_cancelled)
    if cancelled:
        master.add("exdate", [_moment(day, event.start_time) for day in cancelled])
    components = [master]
    for row in event.exceptions:
        if row.is_cancelled or row.start_date is None:
            continue
        span = (row.start_date, row.start_time, row.end_date or row.start_date, row.end_time)
        moved = _vevent(event, stamp, span)
        moved.add("recurrence-id", _moment(row.original_date, event.start_time))
        components.append(moved)
    return components


def _vevent(event: Event, stamp: datetime, span: TimeSpan) -> VEvent:
    start, end = _start_end(*span)
    return VEvent.new(
        uid=event.uid,
        stamp=stamp,
        start=start,
        end=end,
        summary=event.title,
        description=_description(event) or None,
        location=event.where or None,
        categories=[CATEGORY_LABELS.get(event.category, event.category)],
        classification="PUBLIC" if event.is_public else "PRIVATE",
        sequence=event.sequence or 0,
        url=event.registration_url or None,
        last_modified=_utc(event.updated_at),
    )


def _start_end(
    start_date: date, start_time: time | None, end_date: date, end_time: time | None
) -> tuple[date | datetime, date | datetime]:
    """DTSTART and DTEND: Berlin times, or DATEs with the day after the last as the end."""
    if start_time is None:
        return start_date, max(end_date, start_date) + timedelta(days=1)
    start = datetime.combine(start_date, start_time, tzinfo=BERLIN)
    end = datetime.combine(end_date, end_time or start_time, tzinfo=BERLIN)
    return start, max(start, end)


def _moment(day: date, moment: time | None) -> date | datetime:
    """An occurrence's date as EXDATE or RECURRENCE-ID: the same type as DTSTART."""
    return day if moment is None else datetime.combine(day, moment, tzinfo=BERLIN)


def _description(event: Event) -> str:
    parts = [event.description or ""]
    if event.registration_url:
        parts.append(REGISTRATION + event.registration_url)
    return "\n\n".join(part for part in parts if part)


def _utc(moment: datetime | None) -> datetime | None:
    """A stored time (UTC; naive from SQLite) as aware UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def _fit_until(rule: vRecur, all_day: bool) -> vRecur:
    """UNTIL of the type RFC 5545 wants next to DTSTART: a DATE for all-day events, else
    UTC (a date counts to the end of that Berlin day, a floating time as Berlin time)."""
    if not rule.get("UNTIL"):
        return rule
    until = rule["UNTIL"][0]
    if all_day:
        if isinstance(until, datetime):
            until = until.astimezone(BERLIN) if until.tzinfo else until
            until = until.date()
    else:
        if not isinstance(until, datetime):
            until = datetime.combine(until, time(23, 59, 59))
        if until.tzinfo is None:
            until = until.replace(tzinfo=BERLIN)
        until = until.astimezone(UTC)
    rule["UNTIL"] = [until]
    return rule


def _meeting_component(meeting: Meeting, stamp: datetime) -> VEvent:
    return VEvent.new(
        uid=f"meeting-{meeting.id}@kimweb",  # as in the meeting's own .ics
        stamp=stamp,
        start=meeting.starts,
        end=meeting.ends,
        summary=meeting.body.name,
        location=meeting.location or None,
        categories=[MEETING_LABEL],
        classification="PRIVATE",
        status="CANCELLED" if meeting.is_cancelled else "CONFIRMED",
    )


# --- the import ---------------------------------------------------------------------------


@dataclass
class PlannedEvent:
    """One event of an uploaded file and what importing it would do."""

    action: str  # "new", "update" or "unchanged"
    uid: str
    title: str
    start: date | None  # None only for an event without a readable start (see problem)
    all_day: bool
    rrule: str | None
    problem: str | None = None  # translated; the event is not imported


@dataclass
class _Incoming:
    """A master VEVENT of a file, read into what an Event holds."""

    uid: str
    title: str = NO_TITLE
    description: str | None = None
    location: str | None = None
    organiser: str | None = None
    registration_url: str | None = None
    times: TimeSpan | None = None
    rule: str | None = None
    # original date -> None (cancelled) or its other times
    exceptions: dict[date, TimeSpan | None] = field(default_factory=dict)
    problem: str | None = None  # msgid


class _Skip(Exception):
    """The reason one event of a file is not imported."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def plan_import(content: bytes, user: User | None = None) -> list[PlannedEvent]:
    """What importing ``content`` would do, event by event; ImportProblem for a file that
    cannot be imported at all. With ``user``, changes to events they may not edit are
    shown as problems (``run_import`` skips them either way)."""
    items = _read(content)
    existing = _existing(items)
    plan = []
    for item in items:
        event = existing.get(item.uid)
        if event is None:
            action = "new"
        elif item.problem == CANCELLED:
            action, item.problem = "remove", None
        else:
            action = "unchanged" if _unchanged(event, item, _data(item, event)) else "update"
        if action in ("update", "remove") and user is not None and not _may_change(user, event):
            item.problem = item.problem or NOT_YOURS
        times = item.times
        plan.append(
            PlannedEvent(
                action=action,
                uid=item.uid,
                title=item.title,
                start=times[0] if times else None,
                all_day=times is not None and times[1] is None,
                rrule=item.rule,
                problem=gettext(item.problem) if item.problem else None,
            )
        )
    return plan


class Imported(NamedTuple):
    created: int
    updated: int
    removed: int


def run_import(content: bytes, user: User) -> Imported:
    """Add the file's new events, update the changed ones (matched by UID) that ``user``
    may edit, each with its cancelled and moved dates, and remove those the file now says
    are cancelled. One transaction."""
    items = _read(content)
    existing = _existing(items)
    created = updated = removed = 0
    for item in items:
        event = existing.get(item.uid)
        if item.problem == CANCELLED and event is not None and _may_change(user, event):
            db.session.delete(event)
            removed += 1
            continue
        data = _data(item, event)
        if item.problem or (
            event is not None and (_unchanged(event, item, data) or not _may_change(user, event))
        ):
            continue
        if event is None:
            # save_event counts every save as a change; a new event starts at SEQUENCE 0
            event = Event(uid=item.uid, created_by_id=user.id, sequence=-1)
            db.session.add(event)
            created += 1
        else:
            updated += 1
        rule = event.rrule if _same_rule(event.rrule, item.rule) else item.rule
        # Before saving: save_event works out the last date with the moved dates.
        _set_exceptions(event, item.exceptions)
        services.save_event(event, data, item.times, rule, user, commit=False)
    db.session.commit()
    return Imported(created, updated, removed)


def _may_change(user: User, event: Event) -> bool:
    """As in the calendar's views: admins, and whoever entered the event."""
    return user.is_admin or event.created_by_id == user.id


def _existing(items: list[_Incoming]) -> dict[str, Event]:
    """The stored events with the UIDs of ``items``: one query (and one for exceptions)."""
    uids = [item.uid for item in items if item.problem in (None, CANCELLED)]
    if not uids:
        return {}
    query = (
        sa.select(Event)
        .where(Event.uid.in_(uids))
        .options(so.selectinload(Event.exceptions), so.joinedload(Event.place))
    )
    return {event.uid: event for event in db.session.scalars(query)}


def _data(item: _Incoming, event: Event | None) -> dict:
    """The fields ``save_event`` gets. An event already here keeps its category, its
    visibility, its linked place (if the file shows the same place), and its organiser
    and registration link where the file has none."""
    data = {
        "title": item.title,
        "description": item.description,
        "location": item.location,
        "location_id": None,
        "organiser": item.organiser,
        "registration_url": item.registration_url,
    }
    if event is None:
        return data | {"category": IMPORTED_CATEGORY, "is_public": False}
    if item.location == (event.where or None):
        data["location"], data["location_id"] = event.location, event.location_id
    for name in ("organiser", "registration_url"):
        if data[name] is None:
            data[name] = getattr(event, name)
    return data


def _unchanged(event: Event, item: _Incoming, data: dict) -> bool:
    return (
        all(getattr(event, name) == value for name, value in data.items())
        and (event.start_date, event.start_time, event.end_date, event.end_time) == item.times
        and _same_rule(event.rrule, item.rule)
        and _stored_exceptions(event) == item.exceptions
    )


def _same_rule(stored: str | None, incoming: str | None) -> bool:
    return _normal_rule(stored) == _normal_rule(incoming)


def _normal_rule(rule: str | None) -> str | None:
    """The rule in the order icalendar writes it: FREQ=WEEKLY;BYDAY=MO;COUNT=5 and
    FREQ=WEEKLY;COUNT=5;BYDAY=MO are the same."""
    if not rule:
        return None
    try:
        return vRecur.from_ical(rule).to_ical().decode()
    except ValueError:
        return rule


def _stored_exceptions(event: Event) -> dict[date, TimeSpan | None]:
    found: dict[date, TimeSpan | None] = {}
    for row in event.exceptions:
        if row.is_cancelled:
            found[row.original_date] = None
        elif row.start_date is not None:
            end_date = row.end_date or row.start_date
            found[row.original_date] = (row.start_date, row.start_time, end_date, row.end_time)
    return found


def _set_exceptions(event: Event, wanted: dict[date, TimeSpan | None]) -> None:
    """Make the event's exceptions those of the file; rows of the same date are reused."""
    rows = {row.original_date: row for row in event.exceptions}
    for day, row in rows.items():
        if day not in wanted:
            event.exceptions.remove(row)
    for day, times in wanted.items():
        row = rows.get(day)
        if row is None:
            row = EventException(original_date=day)
            event.exceptions.append(row)
        row.is_cancelled = times is None
        row.start_date, row.start_time, row.end_date, row.end_time = times or (None,) * 4


# --- reading a file -----------------------------------------------------------------------


def _read(content: bytes) -> list[_Incoming]:
    """The master events of the file, each read or with the problem that stops it."""
    components, zone = _components(content)
    masters: list[tuple[str, Component]] = []
    overrides: dict[str, list[Component]] = {}
    for component in components:
        uid = _uid(component)
        if "RECURRENCE-ID" in component:
            overrides.setdefault(uid, []).append(component)
        else:
            masters.append((uid, component))
    items, seen = [], set()
    for uid, component in masters:
        item = _Incoming(uid=uid)
        try:
            item.title = _line(component, "SUMMARY", 200) or NO_TITLE
            if uid in seen:
                raise _Skip(TWICE)
            if OUR_MEETING_UID.match(uid):  # our own feed: meetings stay with their body
                raise _Skip(OUR_MEETING)
            seen.add(uid)
            _fill(item, component, overrides.get(uid, []), zone)
        except _Skip as skip:
            item.problem = skip.message
        except Exception:  # whatever a broken event does to the parser: skip the event
            item.problem = UNREADABLE
        items.append(item)
    return items


def _components(content: bytes) -> tuple[list[Component], ZoneInfo | None]:
    """The file's VEVENTs and the calendar's X-WR-TIMEZONE (for floating times)."""
    # Unfold before decoding: some programs fold in the middle of a UTF-8 character.
    content = FOLD.sub(b"", content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:  # older Windows programs
        text = content.decode("cp1252", errors="replace")
    text = without_nul(text)  # a database refuses NUL characters
    try:
        calendars = Calendar.from_ical(text, multiple=True)
        if not calendars or any(calendar.name != "VCALENDAR" for calendar in calendars):
            raise ImportProblem(NOT_CALENDAR)
        components = [
            component
            for calendar in calendars
            for component in calendar.subcomponents
            if component.name == "VEVENT"
        ]
        zone = _zone(calendars[0].get("X-WR-TIMEZONE"))
    except ImportProblem:
        raise
    except Exception as error:  # the parser's many ways of saying "not iCalendar"
        raise ImportProblem(NOT_CALENDAR) from error
    if not components:
        raise ImportProblem(NO_EVENTS)
    if len(components) > MAX_EVENTS:
        raise ImportProblem(TOO_MANY)
    return components, zone


def _zone(name: object) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(str(name).strip())
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return None


def _uid(component: Component) -> str:
    """The UID; a made-up stable one if it is missing or too long for the column."""
    uid = str(component.get("UID") or "").strip()
    if uid and len(uid) <= 255:
        return uid
    if not uid:  # the same made-up UID when the same file comes again
        start = component.get("DTSTART")
        try:
            when = start.to_ical().decode() if start is not None else ""
        except Exception:
            when = str(start)
        uid = f"{_text(component.get('SUMMARY'))}|{when}"
    return f"{hashlib.sha256(uid.encode()).hexdigest()[:40]}@import.kimweb"


def _fill(
    item: _Incoming, component: Component, overrides: list[Component], zone: ZoneInfo | None
) -> None:
    """Read ``component`` into ``item``; _Skip with the reason the event is not imported."""
    if str(component.get("STATUS", "")).upper() == "CANCELLED":
        raise _Skip(CANCELLED)
    item.times = _times(component, zone)
    start_date, start_time, end_date, _end_time = item.times
    if not services.FIRST_DAY <= start_date <= end_date <= services.LAST_DAY:
        raise _Skip(OUT_OF_YEARS)
    if end_date - start_date > timedelta(days=services.MAX_SPAN_DAYS):
        raise _Skip(TOO_LONG)
    url = _line(component, "URL", 500)
    if url and url.lower().startswith(("https://", "http://")):
        item.registration_url = url
    item.description = _description_in(component, item.registration_url)
    item.location = _line(component, "LOCATION", 300)
    item.organiser = _organiser(component)
    rules = component.get("RRULE")
    if not rules:
        return
    item.rule = _rule(rules[0] if isinstance(rules, list) else rules, item.times)
    for moment in component.exdates:
        item.exceptions[_local_date(moment, zone)] = None
    span = end_date - start_date
    for override in overrides:
        original = _local_date(override["RECURRENCE-ID"].dt, zone)
        if original in item.exceptions and item.exceptions[original] is None:
            continue  # cancelled by EXDATE too
        if str(override.get("STATUS", "")).upper() == "CANCELLED":
            item.exceptions[original] = None
            continue
        times = _times(override, zone)
        moved = abs((times[0] - original).days) > services.MAX_MOVE_DAYS
        if moved or not services.FIRST_DAY <= times[0] <= times[2] <= services.LAST_DAY:
            raise _Skip(MOVED_TOO_FAR)
        if times != (original, start_time, original + span, item.times[3]):
            item.exceptions[original] = times
        else:  # same times as the rule gives (Google writes these for other changes)
            item.exceptions.pop(original, None)


def _times(component: Component, zone: ZoneInfo | None) -> TimeSpan:
    """Start and end as Berlin wall-clock times; DATEs give an all-day event whose end is
    its last day (DTEND is the day after). DURATION stands in for DTEND."""
    start = component.start
    if "DTEND" in component:
        end = component["DTEND"].dt
    elif "DURATION" in component:
        end = start + component["DURATION"].dt
    else:
        end = None
    if not isinstance(start, datetime):
        last = start
        if end is not None:
            following = _local(end, zone).date() if isinstance(end, datetime) else end
            last = max(start, following - timedelta(days=1))
        return start, None, last, None
    first = _local(start, zone)
    if end is None:
        until = first
    elif isinstance(end, datetime):
        until = max(first, _local(end, zone))
    else:
        until = max(first, datetime.combine(end, time()))
    return first.date(), first.time(), until.date(), until.time()


def _local(moment: datetime, zone: ZoneInfo | None) -> datetime:
    """Naive Berlin wall-clock time; a floating time is the calendar's zone's, or Berlin's."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        if zone is None:
            return moment.replace(tzinfo=None, microsecond=0)
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(BERLIN).replace(tzinfo=None, microsecond=0)


def _local_date(moment: date | datetime, zone: ZoneInfo | None) -> date:
    return _local(moment, zone).date() if isinstance(moment, datetime) else moment


def _rule(rule: object, times: TimeSpan) -> str:
    """The RRULE as iCal text, UNTIL fitted to the start; _Skip if it cannot be shown."""
    if not isinstance(rule, vRecur):  # icalendar keeps an unreadable rule as vBroken
        raise _Skip(BAD_RULE)
    start_date, start_time = times[0], times[1]
    freq, count, interval = rule.get("FREQ"), rule.get("COUNT"), rule.get("INTERVAL")
    if (
        not freq
        or str(freq[0]).upper() not in RULE_FREQS
        or set(map(str.upper, rule)) - RULE_PARTS
        or (count and rule.get("UNTIL"))
        or (count and not 1 <= int(count[0]) <= 500)
        or (interval and not 1 <= int(interval[0]) <= 99)
        or not _possible(rule)
    ):
        raise _Skip(BAD_RULE)
    text = _fit_until(rule, start_time is None).to_ical().decode()
    if len(text) > 500:
        raise _Skip(BAD_RULE)
    # Read by dateutil, as the calendar views and save_event will (UNTIL is UTC next to a
    # Berlin start, a DATE next to an all-day one).
    first = datetime.combine(start_date, start_time or time(), BERLIN if start_time else None)
    try:
        next(iter(rrulestr(text, dtstart=first)), None)
        last = services.last_occurrence(text, start_date, start_time)
    except Exception as error:  # dateutil's ValueError, KeyError, TypeError, ...
        raise _Skip(BAD_RULE) from error
    if last is not None and last > min(recurrence.horizon(start_date), services.LAST_DAY):
        raise _Skip(TOO_LONG_SERIES)
    return text


def _possible(rule: vRecur) -> bool:
    """False for a rule that gives no date at all (30 February, the 6th Monday of a month),
    which a calendar library would search for up to the year 9999."""
    months = [int(m) for m in rule.get("BYMONTH", [])] or list(MONTH_DAYS)
    days = [int(d) for d in rule.get("BYMONTHDAY", [])]
    if any(not 1 <= m <= 12 for m in months) or any(d == 0 or abs(d) > 31 for d in days):
        return False
    if days and not any(abs(d) <= MONTH_DAYS[m] for m in months for d in days):
        return False
    weekdays = rule.get("BYDAY", [])
    positions = [int(p) for p in rule.get("BYSETPOS", [])]
    if positions:
        per_period = {"WEEKLY": 7, "MONTHLY": 31}.get(str(rule["FREQ"][0]).upper(), 366)
        most = min(per_period, 5 * len(weekdays) if weekdays else per_period)
        if any(p == 0 or abs(p) > most for p in positions):
            return False
    return all(_nth(day) is None or 1 <= abs(_nth(day)) <= 53 for day in weekdays)


def _nth(weekday: object) -> int | None:
    """The number before a BYDAY weekday ("-1" of "-1FR"), None if there is none."""
    text = str(weekday).upper().rstrip("MOTUWEHFRSA")
    return int(text) if text not in ("", "+", "-") else None


def _line(component: Component, name: str, limit: int) -> str | None:
    """A text property on one line, cut to ``limit``; None if empty."""
    text = " ".join(_text(component.get(name)).split())
    return text[:limit] or None


def _text(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "")


def _description_in(component: Component, url: str | None) -> str | None:
    text = _text(component.get("DESCRIPTION")).replace("\r\n", "\n").strip()
    if url and text.endswith(REGISTRATION + url):  # the line our own feed adds
        text = text.removesuffix(REGISTRATION + url).rstrip()
    return text or None


def _organiser(component: Component) -> str | None:
    value = component.get("ORGANIZER")
    if isinstance(value, list):
        value = value[0] if value else None
    params = getattr(value, "params", None) or {}
    name = " ".join(str(params.get("CN", "")).strip('"').split())
    return name[:200] or None
