"""A meeting as an iCalendar file, for members' calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar, Event

from kimweb.meetings.models import Meeting

PRODID = "-//kimweb//Sitzungen//DE"


def meeting_ics(meeting: Meeting, url: str, now: datetime) -> bytes:
    """One VEVENT with TZID=Europe/Berlin and its VTIMEZONE; the agenda in the description.

    A cancelled meeting is sent with STATUS:CANCELLED so calendars remove it."""
    calendar = Calendar.new(prodid=PRODID, method="PUBLISH")
    lines = [
        f"TOP {number}: {item.title}" + (f" ({item.duration_min} min)" if item.duration_min else "")
        for number, item in enumerate(meeting.items, start=1)
    ]
    event = Event.new(
        uid=f"meeting-{meeting.id}@kimweb",
        stamp=now.astimezone(UTC),
        start=meeting.starts,
        end=meeting.ends,
        summary=meeting.body.name,
        description="\n".join([*lines, "", url]).strip(),
        status="CANCELLED" if meeting.is_cancelled else "CONFIRMED",
        url=url,
    )
    if meeting.location:
        event.add("location", meeting.location)
    calendar.add_component(event)
    year = meeting.starts.year
    calendar.add_missing_timezones(
        first_date=date(year - 1, 1, 1), last_date=date(year + 1, 12, 31)
    )
    return calendar.to_ical()
