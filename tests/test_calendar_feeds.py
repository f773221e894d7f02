"""The calendar's .ics feed (read back with icalendar and recurring-ical-events) and the
import of .ics files as Outlook, Google, Thunderbird and others write them."""

from __future__ import annotations

import random
import textwrap
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
import recurring_ical_events
import sqlalchemy as sa
from flask_babel import gettext

from kimweb.calendar import feeds, services
from kimweb.calendar.models import Event
from kimweb.consultations import services as timetable
from kimweb.extensions import db
from kimweb.meetings import services as meeting_services
from kimweb.meetings.models import BERLIN, Body

pytestmark = pytest.mark.usefixtures("app_ctx")

YEAR_2027 = (date(2027, 1, 1), date(2028, 1, 1))


# --- helpers ------------------------------------------------------------------------------


def save(user, title: str, times: tuple, rule: str | None = None, **data) -> Event:
    fields = {"title": title, "category": "event", "is_public": True, **data}
    return services.save_event(None, fields, times, rule, user)


def timed(day: date, start: int, end: int, minutes: int = 0) -> tuple:
    return day, time(start, minutes), day, time(end, minutes)


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def expand(body: bytes, start: date, end: date) -> list[icalendar.Event]:
    """The occurrences in [start, end) as a calendar program computes them."""
    found = recurring_ical_events.of(parse(body)).between(start, end)
    return sorted(found, key=lambda e: (str(e.start), str(e["UID"])))


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def ics(text: str, encoding: str = "utf-8") -> bytes:
    """A sample file with CRLF line ends, as the programs write them."""
    lines = textwrap.dedent(text).strip("\n").splitlines()
    return "\r\n".join(lines).encode(encoding) + b"\r\n"


def stored(uid: str) -> Event:
    db.session.expire_all()
    return db.session.scalar(sa.select(Event).where(Event.uid == uid))


def count(uid: str | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(Event)
    if uid is not None:
        query = query.where(Event.uid == uid)
    return db.session.scalar(query)


def exceptions(event: Event) -> dict:
    return {
        row.original_date: None
        if row.is_cancelled
        else (row.start_date, row.start_time, row.end_date, row.end_time)
        for row in event.exceptions
    }


def vevents(body: bytes) -> list[icalendar.Event]:
    return list(parse(body).walk("VEVENT"))


# --- the feed -----------------------------------------------------------------------------


def test_weekly_series_stays_at_ten_across_both_dst_changes(make_user):
    user = make_user()
    event = save(user, "Jour fixe Integration", timed(date(2027, 1, 4), 10, 11), "FREQ=WEEKLY")
    body = feeds.events_ics([event], [], name=feeds.PUBLIC_NAME)

    found = expand(body, *YEAR_2027)
    assert len(found) == 52  # every Monday of 2027
    assert {e.start.astimezone(BERLIN).time() for e in found} == {time(10)}
    by_day = {e.start.date(): e.start.astimezone(UTC).hour for e in found}
    # 28 March and 31 October 2027 are the changes to and from summer time
    assert by_day[date(2027, 3, 22)] == 9
    assert by_day[date(2027, 3, 29)] == 8
    assert by_day[date(2027, 10, 25)] == 8
    assert by_day[date(2027, 11, 1)] == 9
    assert all(e.end - e.start == timedelta(hours=1) for e in found)

    calendar = parse(body)
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/Berlin"]
    master = calendar.events[0]
    assert master["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert master["DTSTART"].to_ical() == b"20270104T100000"
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY"


def test_feed_fields_of_an_event(make_user):
    user = make_user()
    event = save(
        user,
        "Fortbildung Aufenthaltsrecht",
        timed(date(2027, 2, 3), 9, 16),
        category="training",
        description="Grundlagen für Beratende.",
        location="Kreishaus Düren, Raum 213",
        registration_url="https://example.org/anmeldung",
    )
    private = save(user, "Teamtag", timed(date(2027, 2, 4), 9, 12), is_public=False)
    retitled = {"title": "Fortbildung Aufenthaltsrecht II"}
    event = services.save_event(event, retitled, timed(date(2027, 2, 3), 9, 16), None, user)

    calendar = parse(feeds.events_ics([event, private], [], name=feeds.PUBLIC_NAME))
    assert str(calendar["PRODID"]) == feeds.PRODID
    assert str(calendar["X-WR-CALNAME"]) == str(calendar["NAME"]) == feeds.PUBLIC_NAME
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    first, second = calendar.events
    assert str(first["UID"]) == event.uid
    assert first["SEQUENCE"] == 1  # saved twice
    assert str(first["SUMMARY"]) == "Fortbildung Aufenthaltsrecht II"
    assert str(first["DESCRIPTION"]) == (
        "Grundlagen für Beratende.\n\nAnmeldung: https://example.org/anmeldung"
    )
    assert str(first["LOCATION"]) == "Kreishaus Düren, Raum 213"
    assert str(first["URL"]) == "https://example.org/anmeldung"
    assert first.categories == ["Fortbildung"]
    assert str(first["CLASS"]) == "PUBLIC"
    assert first["DTSTAMP"].dt.tzinfo is not None
    assert str(second["CLASS"]) == "PRIVATE"
    assert second.categories == ["Veranstaltung"]
    assert "URL" not in second and "DESCRIPTION" not in second
    assert second.start == berlin(2027, 2, 4, 9)


def test_cancelled_date_missing_and_changed_date_moved(make_user):
    user = make_user()
    event = save(user, "Sprachcafé", timed(date(2027, 3, 1), 15, 17), "FREQ=WEEKLY;COUNT=6")
    services.cancel_occurrence(event, date(2027, 3, 15))
    services.change_occurrence(event, date(2027, 3, 22), timed(date(2027, 3, 24), 14, 16))
    body = feeds.events_ics([event], [])

    starts = [e.start for e in expand(body, date(2027, 2, 1), date(2027, 5, 1))]
    assert starts == [
        berlin(2027, 3, 1, 15),
        berlin(2027, 3, 8, 15),
        berlin(2027, 3, 24, 14),
        berlin(2027, 3, 29, 15),  # summer time from 28 March: still 15:00
        berlin(2027, 4, 5, 15),
    ]
    master, moved = vevents(body)
    assert master["EXDATE"].to_ical() == b"20270315T150000"
    assert master["EXDATE"].params["TZID"] == "Europe/Berlin"
    assert str(moved["UID"]) == event.uid
    assert moved["RECURRENCE-ID"].dt == berlin(2027, 3, 22, 15)
    assert moved.end == berlin(2027, 3, 24, 16)


def test_all_day_event_over_several_days(make_user):
    user = make_user()
    event = save(user, "Interkulturelle Woche", (date(2027, 9, 24), None, date(2027, 9, 26), None))
    body = feeds.events_ics([event], [])

    (found,) = expand(body, date(2027, 9, 1), date(2027, 10, 1))
    assert found.start == date(2027, 9, 24)
    assert found.end == date(2027, 9, 27)  # DTEND is the day after the last
    assert vevents(body)[0]["DTSTART"].params.get("VALUE") == "DATE"
    assert [e.start for e in expand(body, date(2027, 9, 26), date(2027, 9, 27))] == [
        date(2027, 9, 24)
    ]


def test_all_day_series_with_exdate_and_until(make_user):
    user = make_user()
    rule = "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=3;UNTIL=20300503"
    event = save(user, "Tag der Vielfalt", (date(2027, 5, 3), None, date(2027, 5, 3), None), rule)
    services.cancel_occurrence(event, date(2028, 5, 3))
    body = feeds.events_ics([event], [])

    assert [e.start for e in expand(body, date(2027, 1, 1), date(2035, 1, 1))] == [
        date(2027, 5, 3),
        date(2029, 5, 3),
        date(2030, 5, 3),
    ]
    assert vevents(body)[0]["EXDATE"].to_ical() == b"20280503"


def test_monthly_first_thursday_with_count(make_user):
    user = make_user()
    event = save(
        user, "Netzwerktreffen", timed(date(2027, 1, 7), 18, 20), "FREQ=MONTHLY;BYDAY=1TH;COUNT=5"
    )
    body = feeds.events_ics([event], [])

    assert [e.start for e in expand(body, *YEAR_2027)] == [
        berlin(2027, 1, 7, 18),
        berlin(2027, 2, 4, 18),
        berlin(2027, 3, 4, 18),
        berlin(2027, 4, 1, 18),
        berlin(2027, 5, 6, 18),
    ]


def test_meetings_in_the_private_feed(make_user):
    user = make_user()
    body_ = Body(name="Lenkungsgruppe KIM", kind="steering_group", is_open_to_staff=True)
    db.session.add(body_)
    held = meeting_services.create_meeting(
        body_, berlin(2027, 6, 9, 14), berlin(2027, 6, 9, 16), "Kreishaus, Raum 1"
    )
    dropped = meeting_services.create_meeting(
        body_, berlin(2027, 12, 8, 14), berlin(2027, 12, 8, 16), None
    )
    meeting_services.cancel_meeting(dropped, "Krankheit")
    event = save(user, "Teamtag", timed(date(2027, 6, 10), 9, 12), is_public=False)
    meetings = services.meetings_between(user, date(2027, 1, 1), date(2027, 12, 31))
    body = feeds.events_ics([event], meetings, name=feeds.PRIVATE_NAME)

    calendar = parse(body)
    assert str(calendar["X-WR-CALNAME"]) == feeds.PRIVATE_NAME
    by_uid = {str(e["UID"]): e for e in calendar.events}
    assert set(by_uid) == {event.uid, f"meeting-{held.id}@kimweb", f"meeting-{dropped.id}@kimweb"}
    first = by_uid[f"meeting-{held.id}@kimweb"]
    assert str(first["SUMMARY"]) == "Lenkungsgruppe KIM"
    assert first.start == berlin(2027, 6, 9, 14)
    assert first["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(first["LOCATION"]) == "Kreishaus, Raum 1"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(by_uid[f"meeting-{dropped.id}@kimweb"]["STATUS"]) == "CANCELLED"
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    summer = [
        e.start.astimezone(UTC).hour for e in expand(body, date(2027, 6, 9), date(2027, 6, 10))
    ]
    assert summer == [12]


def test_empty_feed_is_a_calendar():
    calendar = parse(feeds.events_ics([], []))
    assert calendar.events == []
    assert "NAME" not in calendar
    assert str(calendar["VERSION"]) == "2.0"


# --- import: files of other programs --------------------------------------------------------


OUTLOOK = ics("""
    BEGIN:VCALENDAR
    PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
    VERSION:2.0
    METHOD:PUBLISH
    X-MS-OLK-FORCEINSPECTOROPEN:TRUE
    BEGIN:VTIMEZONE
    TZID:W. Europe Standard Time
    BEGIN:STANDARD
    DTSTART:16011028T030000
    RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
    TZOFFSETFROM:+0200
    TZOFFSETTO:+0100
    END:STANDARD
    BEGIN:DAYLIGHT
    DTSTART:16010325T020000
    RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
    TZOFFSETFROM:+0100
    TZOFFSETTO:+0200
    END:DAYLIGHT
    END:VTIMEZONE
    BEGIN:VEVENT
    CLASS:PUBLIC
    CREATED:20261102T081500Z
    DESCRIPTION:Monatliches Treffen der Integrationslotsinnen und -lotsen.\\n\\nBi
     tte Laptop mitbringen.
    DTEND;TZID=W. Europe Standard Time:20270107T113000
    DTSTAMP:20261102T081500Z
    DTSTART;TZID=W. Europe Standard Time:20270107T093000
    EXDATE;TZID=W. Europe Standard Time:20270805T093000
    LAST-MODIFIED:20261102T081500Z
    LOCATION:Kreishaus Düren\\, Raum 213
    ORGANIZER;CN=Petra Meyer:mailto:p.meyer@kreis-dueren.example
    PRIORITY:5
    RRULE:FREQ=MONTHLY;COUNT=12;BYDAY=TH;BYSETPOS=1
    SEQUENCE:0
    SUMMARY;LANGUAGE=de:Lotsentreffen
    TRANSP:OPAQUE
    UID:040000008200E00074C5B7101A82E00800000000D0A5F0A5C0F3DA0100000000000000001000000
     0B5D1B0C9F5E4A54D8A5E0E1B2C3D4E5F
    X-MICROSOFT-CDO-BUSYSTATUS:BUSY
    X-MICROSOFT-CDO-IMPORTANCE:1
    X-MICROSOFT-DISALLOW-COUNTER:FALSE
    END:VEVENT
    BEGIN:VEVENT
    CLASS:PUBLIC
    DTEND;TZID=W. Europe Standard Time:20270617T153000
    DTSTAMP:20261102T081500Z
    DTSTART;TZID=W. Europe Standard Time:20270617T140000
    SUMMARY;LANGUAGE=de:Fachtag Ehrenamt
    UID:040000008200E00074C5B7101A82E0080000000010D7A3B0C0F3DA01000000000000000010000000A
    END:VEVENT
    END:VCALENDAR
""")
OUTLOOK_SERIES = (
    "040000008200E00074C5B7101A82E00800000000D0A5F0A5C0F3DA0100000000000000001000000"
    "0B5D1B0C9F5E4A54D8A5E0E1B2C3D4E5F"
)


def test_outlook_export_with_windows_time_zone(make_user):
    user = make_user()
    assert feeds.run_import(OUTLOOK, user) == (2, 0, 0)

    series = stored(OUTLOOK_SERIES)
    assert series.title == "Lotsentreffen"
    assert series.description == (
        "Monatliches Treffen der Integrationslotsinnen und -lotsen.\n\nBitte Laptop mitbringen."
    )
    assert series.location == "Kreishaus Düren, Raum 213"
    assert series.organiser == "Petra Meyer"
    assert (series.start_date, series.start_time, series.end_time) == (
        date(2027, 1, 7),
        time(9, 30),
        time(11, 30),
    )
    assert series.rrule == "FREQ=MONTHLY;COUNT=12;BYDAY=TH;BYSETPOS=1"
    assert exceptions(series) == {date(2027, 8, 5): None}
    assert (series.category, series.is_public, series.created_by_id) == ("external", False, user.id)
    assert series.last_date == date(2027, 12, 2)
    summer = stored(
        "040000008200E00074C5B7101A82E0080000000010D7A3B0C0F3DA01000000000000000010000000A"
    )
    assert (summer.start_date, summer.start_time, summer.end_time) == (
        date(2027, 6, 17),
        time(14),
        time(15, 30),
    )

    # and out again: the first Thursday at 09:30 Berlin time, summer and winter
    body = feeds.events_ics([series], [])
    starts = [e.start for e in expand(body, *YEAR_2027)]
    assert len(starts) == 11  # 12 minus the cancelled August
    assert berlin(2027, 8, 5, 9, 30) not in starts
    assert {s.astimezone(BERLIN).time() for s in starts} == {time(9, 30)}
    assert starts[5] == berlin(2027, 6, 3, 9, 30)


def test_outlook_export_from_london(make_user):
    """A Windows zone that is not Berlin's: the times are converted."""
    body = ics("""
        BEGIN:VCALENDAR
        PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
        VERSION:2.0
        BEGIN:VTIMEZONE
        TZID:GMT Standard Time
        BEGIN:STANDARD
        DTSTART:16011028T020000
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
        TZOFFSETFROM:+0100
        TZOFFSETTO:-0000
        END:STANDARD
        BEGIN:DAYLIGHT
        DTSTART:16010325T010000
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
        TZOFFSETFROM:-0000
        TZOFFSETTO:+0100
        END:DAYLIGHT
        END:VTIMEZONE
        BEGIN:VEVENT
        DTSTART;TZID=GMT Standard Time:20270617T100000
        DTEND;TZID=GMT Standard Time:20270617T113000
        DTSTAMP:20261102T081500Z
        SUMMARY:Call with the London office
        UID:london-1@example.org
        END:VEVENT
        BEGIN:VEVENT
        DTSTART;TZID=Romance Standard Time:20270118T090000
        DTEND;TZID=Romance Standard Time:20270118T100000
        DTSTAMP:20261102T081500Z
        SUMMARY:Paris, without its VTIMEZONE
        UID:paris-1@example.org
        END:VEVENT
        END:VCALENDAR
    """)
    assert feeds.run_import(body, make_user()) == (2, 0, 0)
    london = stored("london-1@example.org")
    assert (london.start_date, london.start_time, london.end_time) == (
        date(2027, 6, 17),
        time(11),
        time(12, 30),
    )
    assert stored("paris-1@example.org").start_time == time(9)


GOOGLE_SERIES = "5k2v8q1r3s4t5u6v7w8x9y0z1a@google.com"
GOOGLE = ics(f"""
    BEGIN:VCALENDAR
    PRODID:-//Google Inc//Google Calendar 70.9054//EN
    VERSION:2.0
    CALSCALE:GREGORIAN
    METHOD:PUBLISH
    X-WR-CALNAME:Partner Düren
    X-WR-TIMEZONE:Europe/Berlin
    BEGIN:VEVENT
    DTSTART:20270201T090000Z
    DTEND:20270201T103000Z
    RRULE:FREQ=WEEKLY;WKST=MO;UNTIL=20270301T090000Z;BYDAY=MO
    EXDATE:20270208T090000Z
    DTSTAMP:20261120T101010Z
    UID:{GOOGLE_SERIES}
    CREATED:20261101T090000Z
    DESCRIPTION:Offene Beratung für Geflüchtete
    LAST-MODIFIED:20261101T090000Z
    LOCATION:Caritas\\, Kölnstraße 12\\, 52351 Düren
    SEQUENCE:0
    STATUS:CONFIRMED
    SUMMARY:Offene Beratung
    TRANSP:OPAQUE
    END:VEVENT
    BEGIN:VEVENT
    DTSTART:20270216T130000Z
    DTEND:20270216T143000Z
    DTSTAMP:20261120T101010Z
    UID:{GOOGLE_SERIES}
    RECURRENCE-ID:20270215T090000Z
    CREATED:20261101T090000Z
    LAST-MODIFIED:20261110T090000Z
    SEQUENCE:1
    STATUS:CONFIRMED
    SUMMARY:Offene Beratung (verschoben)
    TRANSP:OPAQUE
    END:VEVENT
    BEGIN:VEVENT
    DTSTART:20270222T090000Z
    DTEND:20270222T103000Z
    DTSTAMP:20261120T101010Z
    UID:{GOOGLE_SERIES}
    RECURRENCE-ID:20270222T090000Z
    SEQUENCE:1
    STATUS:CONFIRMED
    SUMMARY:Offene Beratung (neue Beschreibung)
    END:VEVENT
    BEGIN:VEVENT
    DTSTART:20270615T130000Z
    DTEND:20270615T150000Z
    DTSTAMP:20261120T101010Z
    UID:0a1b2c3d4e5f6g7h8i9j@google.com
    SUMMARY:Sommerfest
    END:VEVENT
    END:VCALENDAR
""")


def test_google_export_with_utc_times(make_user):
    assert feeds.run_import(GOOGLE, make_user()) == (2, 0, 0)

    series = stored(GOOGLE_SERIES)
    assert (series.start_date, series.start_time, series.end_time) == (
        date(2027, 2, 1),
        time(10),
        time(11, 30),
    )
    assert series.location == "Caritas, Kölnstraße 12, 52351 Düren"
    assert series.rrule == "FREQ=WEEKLY;UNTIL=20270301T090000Z;BYDAY=MO;WKST=MO"
    # the override with the rule's own times is no exception
    assert exceptions(series) == {
        date(2027, 2, 8): None,
        date(2027, 2, 15): (date(2027, 2, 16), time(14), date(2027, 2, 16), time(15, 30)),
    }
    assert series.last_date == date(2027, 3, 1)
    summer = stored("0a1b2c3d4e5f6g7h8i9j@google.com")
    assert (summer.start_time, summer.end_time) == (time(15), time(17))  # UTC+2 in June

    body = feeds.events_ics([series], [])
    assert [e.start for e in expand(body, date(2027, 1, 1), date(2027, 4, 1))] == [
        berlin(2027, 2, 1, 10),
        berlin(2027, 2, 16, 14),
        berlin(2027, 2, 22, 10),
        berlin(2027, 3, 1, 10),
    ]


THUNDERBIRD = ics("""
    BEGIN:VCALENDAR
    PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN
    VERSION:2.0
    BEGIN:VTIMEZONE
    TZID:Europe/Berlin
    X-LIC-LOCATION:Europe/Berlin
    BEGIN:DAYLIGHT
    TZOFFSETFROM:+0100
    TZOFFSETTO:+0200
    TZNAME:CEST
    DTSTART:19700329T020000
    RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
    END:DAYLIGHT
    BEGIN:STANDARD
    TZOFFSETFROM:+0200
    TZOFFSETTO:+0100
    TZNAME:CET
    DTSTART:19701025T030000
    RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
    END:STANDARD
    END:VTIMEZONE
    BEGIN:VEVENT
    CREATED:20261115T120000Z
    LAST-MODIFIED:20261115T120000Z
    DTSTAMP:20261115T120000Z
    UID:7b0a4c1e-2f3d-4e5a-9b8c-1d2e3f4a5b6c
    SUMMARY:Interkulturelle Woche – Planungstreffen
    ORGANIZER;CN="Anna Schmitz":mailto:a.schmitz@example.org
    DTSTART;TZID=Europe/Berlin:20271102T090000
    DTEND;TZID=Europe/Berlin:20271102T103000
    CATEGORIES:Arbeit
    X-MOZ-GENERATION:1
    END:VEVENT
    BEGIN:VEVENT
    CREATED:20261115T120000Z
    DTSTAMP:20261115T120000Z
    UID:0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b
    SUMMARY:Weihnachtspause der Beratungsstellen
    DTSTART;VALUE=DATE:20271224
    DTEND;VALUE=DATE:20271227
    TRANSP:TRANSPARENT
    END:VEVENT
    BEGIN:VEVENT
    DTSTAMP:20261115T120000Z
    UID:nextcloud-3f2e1d@cloud.example.org
    SUMMARY:Tag der offenen Tür
    DTSTART;VALUE=DATE:20270918
    END:VEVENT
    END:VCALENDAR
""")


def test_thunderbird_export_with_berlin_zone_and_all_day_events(make_user):
    assert feeds.run_import(THUNDERBIRD, make_user()) == (3, 0, 0)

    meeting = stored("7b0a4c1e-2f3d-4e5a-9b8c-1d2e3f4a5b6c")
    assert meeting.title == "Interkulturelle Woche – Planungstreffen"
    assert meeting.organiser == "Anna Schmitz"
    assert (meeting.start_date, meeting.start_time, meeting.end_date, meeting.end_time) == (
        date(2027, 11, 2),
        time(9),
        date(2027, 11, 2),
        time(10, 30),
    )
    holidays = stored("0e9d8c7b-6a5f-4e3d-2c1b-0a9f8e7d6c5b")
    assert holidays.all_day
    assert (holidays.start_date, holidays.end_date) == (date(2027, 12, 24), date(2027, 12, 26))
    day = stored("nextcloud-3f2e1d@cloud.example.org")
    assert (day.start_date, day.start_time, day.end_date) == (
        date(2027, 9, 18),
        None,
        date(2027, 9, 18),
    )

    body = feeds.events_ics([holidays], [])
    (found,) = expand(body, date(2027, 12, 1), date(2028, 1, 1))
    assert (found.start, found.end) == (date(2027, 12, 24), date(2027, 12, 27))


def test_floating_times_and_duration(make_user):
    body = ics("""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Familienzentrum Nord//Veranstaltungen//DE
        BEGIN:VEVENT
        UID:floating-1@familienzentrum.example
        DTSTAMP:20261120T100000Z
        DTSTART:20270710T143000
        DTEND:20270710T160000
        SUMMARY:Elterncafé
        END:VEVENT
        BEGIN:VEVENT
        UID:duration-1@familienzentrum.example
        DTSTAMP:20261120T100000Z
        DTSTART;TZID=Europe/Berlin:20270311T090000
        DURATION:PT1H30M
        SUMMARY:Sprechstunde
        END:VEVENT
        BEGIN:VEVENT
        UID:duration-2@familienzentrum.example
        DTSTAMP:20261120T100000Z
        DTSTART:20270312T200000Z
        DURATION:P1DT2H
        SUMMARY:Nachtwanderung und Frühstück
        END:VEVENT
        BEGIN:VEVENT
        UID:duration-3@familienzentrum.example
        DTSTAMP:20261120T100000Z
        DTSTART;VALUE=DATE:20270320
        DURATION:P2D
        SUMMARY:Wochenendseminar
        END:VEVENT
        END:VCALENDAR
    """)
    assert feeds.run_import(body, make_user()) == (4, 0, 0)

    def times(uid: str) -> tuple:
        event = stored(uid)
        return event.start_date, event.start_time, event.end_date, event.end_time

    # floating: Berlin wall-clock time, also in summer
    assert times("floating-1@familienzentrum.example") == (
        date(2027, 7, 10),
        time(14, 30),
        date(2027, 7, 10),
        time(16),
    )
    assert times("duration-1@familienzentrum.example") == (
        date(2027, 3, 11),
        time(9),
        date(2027, 3, 11),
        time(10, 30),
    )
    assert times("duration-2@familienzentrum.example") == (
        date(2027, 3, 12),
        time(21),
        date(2027, 3, 13),
        time(23),
    )
    assert times("duration-3@familienzentrum.example") == (
        date(2027, 3, 20),
        None,
        date(2027, 3, 21),
        None,
    )


def test_windows_1252_file_with_folded_lines(make_user):
    text = (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//Stadt Düren//Terminliste 2.1//DE\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:termin-4711@stadt-dueren.example\r\n"
        "DTSTAMP:20261120T100000Z\r\n"
        "DTSTART;TZID=Europe/Berlin:20270414T170000\r\n"
        "DTEND;TZID=Europe/Berlin:20270414T190000\r\n"
        "SUMMARY:Sprachcafé für Mütter und Väter – Begegnung im Haus der Stadt\r\n"
        "DESCRIPTION:Gemeinsam Deutsch üben bei Kaffee und Gebäck. Für Kinderbetreu\r\n"
        " ung ist gesorgt. Größere Gruppen bitte vorher anmelden.\r\n"
        "LOCATION:Haus der Stadt\\, Straße des 17. Juni 5\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    body = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")

    (planned,) = feeds.plan_import(body)
    assert planned.title == "Sprachcafé für Mütter und Väter – Begegnung im Haus der Stadt"
    assert feeds.run_import(body, make_user()) == (1, 0, 0)
    event = stored("termin-4711@stadt-dueren.example")
    assert event.title == planned.title
    assert event.description == (
        "Gemeinsam Deutsch üben bei Kaffee und Gebäck. Für Kinderbetreuung ist gesorgt. "
        "Größere Gruppen bitte vorher anmelden."
    )
    assert event.location == "Haus der Stadt, Straße des 17. Juni 5"
    assert event.start_time == time(17)


def test_utf8_folded_inside_a_character_and_floating_times_of_another_zone(make_user):
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Naiver Export//DE",
        "X-WR-TIMEZONE:Europe/London",
        "BEGIN:VEVENT",
        "UID:fold-1@example.org",
        "DTSTART:20270617T100000",
        "DTEND:20270617T110000",
        "SUMMARY:Begegnungsfest der Kulturen in Düren und Umgebung – für alle Gene",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    body = "\r\n".join([*lines, ""]).encode()
    body = body.replace("Düren".encode(), b"D\xc3\r\n \xbcren")  # folded between 0xC3 and 0xBC

    assert feeds.run_import(body, make_user()) == (1, 0, 0)
    event = stored("fold-1@example.org")
    assert event.title == "Begegnungsfest der Kulturen in Düren und Umgebung – für alle Gene"
    # floating 10:00 in the calendar's zone (London, summer time) is 11:00 in Berlin
    assert (event.start_time, event.end_time) == (time(11), time(12))


# --- import: plan, update, problems --------------------------------------------------------


def test_plan_new_then_unchanged_then_update(make_user):
    user = make_user()
    plan = feeds.plan_import(GOOGLE)
    assert [(p.action, p.uid, p.title, p.start, p.all_day, p.problem) for p in plan] == [
        ("new", GOOGLE_SERIES, "Offene Beratung", date(2027, 2, 1), False, None),
        ("new", "0a1b2c3d4e5f6g7h8i9j@google.com", "Sommerfest", date(2027, 6, 15), False, None),
    ]
    assert plan[0].rrule == "FREQ=WEEKLY;UNTIL=20270301T090000Z;BYDAY=MO;WKST=MO"
    assert plan[1].rrule is None
    assert count() == 0  # a plan saves nothing

    assert feeds.run_import(GOOGLE, user) == (2, 0, 0)
    assert [p.action for p in feeds.plan_import(GOOGLE)] == ["unchanged", "unchanged"]
    assert feeds.run_import(GOOGLE, user) == (0, 0, 0)
    assert stored(GOOGLE_SERIES).sequence == 0

    # the series gets another EXDATE, the moved date goes back to its place
    changed = GOOGLE.replace(
        b"EXDATE:20270208T090000Z", b"EXDATE:20270208T090000Z,20270301T090000Z"
    )
    changed = changed.replace(b"DTSTART:20270216T130000Z", b"DTSTART:20270215T090000Z")
    changed = changed.replace(b"DTEND:20270216T143000Z", b"DTEND:20270215T103000Z")
    assert [p.action for p in feeds.plan_import(changed)] == ["update", "unchanged"]
    assert feeds.run_import(changed, user) == (0, 1, 0)
    series = stored(GOOGLE_SERIES)
    assert exceptions(series) == {date(2027, 2, 8): None, date(2027, 3, 1): None}
    assert series.sequence == 1
    assert series.last_date == date(2027, 3, 1)

    retitled = GOOGLE.replace(b"SUMMARY:Sommerfest", b"SUMMARY:Sommerfest im Park")
    assert [p.action for p in feeds.plan_import(retitled)] == ["update", "update"]
    assert feeds.run_import(retitled, user) == (0, 2, 0)
    assert stored("0a1b2c3d4e5f6g7h8i9j@google.com").title == "Sommerfest im Park"
    assert count(GOOGLE_SERIES) == count("0a1b2c3d4e5f6g7h8i9j@google.com") == 1
    assert count() == 2


def test_reimport_does_not_duplicate(make_user):
    user = make_user()
    for body in (OUTLOOK, THUNDERBIRD, OUTLOOK, THUNDERBIRD, GOOGLE, GOOGLE):
        feeds.run_import(body, user)
    assert count() == 7
    assert count(OUTLOOK_SERIES) == 1
    assert count("7b0a4c1e-2f3d-4e5a-9b8c-1d2e3f4a5b6c") == 1


def test_event_without_uid_gets_the_same_made_up_uid_each_time(make_user):
    body = ics("""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Handgemacht//DE
        BEGIN:VEVENT
        DTSTART;VALUE=DATE:20270501
        SUMMARY:Maifest
        END:VEVENT
        END:VCALENDAR
    """)
    user = make_user()
    assert feeds.run_import(body, user) == (1, 0, 0)
    assert feeds.run_import(body, user) == (0, 0, 0)
    assert count() == 1
    assert feeds.plan_import(body)[0].action == "unchanged"


def test_own_feed_imported_again_is_unchanged_and_keeps_our_fields(make_user):
    user = make_user()
    agency = {"name": "Integrationsagentur", "street": "Bismarckstr. 16", "town": "Düren"}
    place = timetable.save_location(None, {**agency, "municipality": "Düren"})
    training = save(
        user,
        "Fortbildung Asylrecht",
        timed(date(2027, 4, 6), 9, 13),
        "FREQ=WEEKLY;BYDAY=TU;COUNT=4",
        category="training",
        location_id=place.id,
        organiser="KI Kreis Düren",
        description="Modul 1 bis 4.",
        registration_url="https://example.org/asyl",
    )
    services.cancel_occurrence(training, date(2027, 4, 13))
    body = feeds.events_ics([training], [])

    assert [p.action for p in feeds.plan_import(body)] == ["unchanged"]
    assert feeds.run_import(body, user) == (0, 0, 0)

    renamed = body.replace(b"SUMMARY:Fortbildung Asylrecht", b"SUMMARY:Fortbildung Asylrecht (neu)")
    assert feeds.run_import(renamed, user) == (0, 1, 0)
    event = stored(training.uid)
    assert event.title == "Fortbildung Asylrecht (neu)"
    assert (event.category, event.is_public, event.location_id) == ("training", True, place.id)
    assert (event.organiser, event.registration_url) == (
        "KI Kreis Düren",
        "https://example.org/asyl",
    )
    assert event.description == "Modul 1 bis 4."
    assert exceptions(event) == {date(2027, 4, 13): None}


def test_events_of_others_are_not_changed(make_user):
    owner, other, admin = make_user(), make_user(), make_user(role="admin")
    assert feeds.run_import(GOOGLE, owner) == (2, 0, 0)
    retitled = GOOGLE.replace(b"SUMMARY:Sommerfest", b"SUMMARY:Sommerfest im Park")

    plan = feeds.plan_import(retitled, other)
    assert [(p.action, p.problem) for p in plan] == [
        ("unchanged", None),
        ("update", gettext(feeds.NOT_YOURS)),
    ]
    assert feeds.run_import(retitled, other) == (0, 0, 0)
    assert stored("0a1b2c3d4e5f6g7h8i9j@google.com").title == "Sommerfest"

    assert [p.problem for p in feeds.plan_import(retitled, admin)] == [None, None]
    assert feeds.run_import(retitled, admin) == (0, 1, 0)
    summer = stored("0a1b2c3d4e5f6g7h8i9j@google.com")
    assert (summer.title, summer.created_by_id) == ("Sommerfest im Park", owner.id)


def test_events_that_cannot_be_imported_are_listed_with_the_reason(make_user):
    body = ics("""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Test//DE
        BEGIN:VEVENT
        UID:good@example.org
        DTSTART;TZID=Europe/Berlin:20270505T100000
        DTEND;TZID=Europe/Berlin:20270505T110000
        SUMMARY:Gut
        END:VEVENT
        BEGIN:VEVENT
        UID:long@example.org
        DTSTART;VALUE=DATE:20270101
        DTEND;VALUE=DATE:20270501
        SUMMARY:Ausstellung
        END:VEVENT
        BEGIN:VEVENT
        UID:hourly@example.org
        DTSTART:20270505T100000
        RRULE:FREQ=HOURLY;COUNT=5
        SUMMARY:Stündlich
        END:VEVENT
        BEGIN:VEVENT
        UID:strange-rule@example.org
        DTSTART:20270505T100000
        RRULE:FREQ=WEEKLY;X-NAME=1
        SUMMARY:Eigene Regel
        END:VEVENT
        BEGIN:VEVENT
        UID:both@example.org
        DTSTART:20270505T100000
        RRULE:FREQ=DAILY;COUNT=3;UNTIL=20270601T000000Z
        SUMMARY:Count und Until
        END:VEVENT
        BEGIN:VEVENT
        UID:broken@example.org
        DTSTART:morgen früh
        SUMMARY:Kaputt
        END:VEVENT
        BEGIN:VEVENT
        UID:nostart@example.org
        SUMMARY:Ohne Beginn
        END:VEVENT
        BEGIN:VEVENT
        UID:cancelled@example.org
        DTSTART:20270505T100000
        STATUS:CANCELLED
        SUMMARY:Abgesagt
        END:VEVENT
        BEGIN:VEVENT
        UID:good@example.org
        DTSTART:20270506T100000
        SUMMARY:Gut, noch einmal
        END:VEVENT
        END:VCALENDAR
    """)
    plan = feeds.plan_import(body)
    assert [(p.uid, p.problem) for p in plan] == [
        ("good@example.org", None),
        ("long@example.org", gettext(feeds.TOO_LONG)),
        ("hourly@example.org", gettext(feeds.BAD_RULE)),
        ("strange-rule@example.org", gettext(feeds.BAD_RULE)),
        ("both@example.org", gettext(feeds.BAD_RULE)),
        ("broken@example.org", gettext(feeds.UNREADABLE)),
        ("nostart@example.org", gettext(feeds.UNREADABLE)),
        ("cancelled@example.org", gettext(feeds.CANCELLED)),
        ("good@example.org", gettext(feeds.TWICE)),
    ]
    assert plan[1].start == date(2027, 1, 1)
    assert plan[6].start is None
    assert plan[6].title == "Ohne Beginn"

    assert feeds.run_import(body, make_user()) == (1, 0, 0)
    assert db.session.scalars(sa.select(Event.uid)).all() == ["good@example.org"]
    assert stored("good@example.org").title == "Gut"


def _many(events: int) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Massenexport//DE"]
    for n in range(events):
        day = date(2027, 1, 1) + timedelta(days=n % 365)
        lines += [
            "BEGIN:VEVENT",
            f"UID:bulk-{n}@example.org",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"SUMMARY:Termin {n}",
            "END:VEVENT",
        ]
    return "\r\n".join([*lines, "END:VCALENDAR", ""]).encode()


BAD_FILES = {
    "empty": (b"", feeds.NOT_CALENDAR),
    "blank": (b"\r\n  \r\n", feeds.NOT_CALENDAR),
    "random bytes": (random.Random(5545).randbytes(4000), feeds.NOT_CALENDAR),  # noqa: S311
    "html": (
        b"<!DOCTYPE html><html><head><title>Termine</title></head>"
        b"<body><h1>Termine 2027</h1></body></html>",
        feeds.NOT_CALENDAR,
    ),
    "vcard": (
        ics("""
            BEGIN:VCARD
            VERSION:3.0
            FN:Petra Meyer
            EMAIL:p.meyer@example.org
            END:VCARD
        """),
        feeds.NOT_CALENDAR,
    ),
    "truncated": (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\n",
        feeds.NOT_CALENDAR,
    ),
    "no events": (
        ics("""
            BEGIN:VCALENDAR
            VERSION:2.0
            PRODID:-//Aufgaben//DE
            BEGIN:VTODO
            UID:todo-1@example.org
            SUMMARY:Bericht schreiben
            END:VTODO
            END:VCALENDAR
        """),
        feeds.NO_EVENTS,
    ),
    "too many": (_many(feeds.MAX_EVENTS + 1), feeds.TOO_MANY),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_are_an_import_problem(name, make_user):
    content, message = BAD_FILES[name]
    with pytest.raises(feeds.ImportProblem) as problem:
        feeds.plan_import(content)
    assert problem.value.message == message
    assert str(problem.value) == gettext(message)
    with pytest.raises(feeds.ImportProblem):
        feeds.run_import(content, make_user())
    assert count() == 0


def test_five_thousand_events_are_allowed(make_user):
    plan = feeds.plan_import(_many(feeds.MAX_EVENTS))
    assert len(plan) == feeds.MAX_EVENTS
    assert {p.action for p in plan} == {"new"}


# --- round trip ---------------------------------------------------------------------------


def _summary(body: bytes) -> dict:
    """What must survive a round trip, by UID and RECURRENCE-ID."""
    found = {}
    for component in vevents(body):
        recurrence_id = component.get("RECURRENCE-ID")
        key = (str(component["UID"]), recurrence_id.to_ical() if recurrence_id else None)
        found[key] = (
            str(component["SUMMARY"]),
            component["DTSTART"].to_ical(),
            component["DTSTART"].params.get("TZID"),
            component["DTEND"].to_ical(),
            component["RRULE"].to_ical() if "RRULE" in component else None,
            component["EXDATE"].to_ical() if "EXDATE" in component else None,
            str(component.get("DESCRIPTION", "")),
            str(component.get("LOCATION", "")),
        )
    return found


def test_round_trip_keeps_titles_times_rules_and_exdates(make_user):
    user = make_user()
    weekly = save(
        user,
        "Jour fixe",
        timed(date(2027, 1, 4), 10, 11, 30),
        "FREQ=WEEKLY;BYDAY=MO;UNTIL=20271231T225959Z",
        description="Zeile 1\nZeile 2",
        location="Raum 1",
        registration_url="https://example.org/jf",
    )
    services.cancel_occurrence(weekly, date(2027, 4, 5))
    services.change_occurrence(weekly, date(2027, 5, 17), timed(date(2027, 5, 18), 14, 15))
    monthly = save(
        user, "Netzwerk", timed(date(2027, 1, 7), 18, 20), "FREQ=MONTHLY;BYDAY=1TH;COUNT=10"
    )
    seminar = save(user, "Seminar", (date(2027, 9, 24), None, date(2027, 9, 26), None))
    yearly = save(
        user,
        "Tag der Vielfalt",
        (date(2027, 5, 3), None, date(2027, 5, 3), None),
        "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=3",
    )
    services.cancel_occurrence(yearly, date(2028, 5, 3))
    night = save(user, "Nachtcafé", (date(2027, 3, 27), time(22), date(2027, 3, 28), time(4)))
    events = [weekly, monthly, seminar, yearly, night]
    first = feeds.events_ics(events, [])

    for event in events:
        db.session.delete(event)
    db.session.commit()
    assert count() == 0
    assert feeds.run_import(first, user) == (5, 0, 0)
    again = feeds.events_ics(db.session.scalars(sa.select(Event).order_by(Event.id)).all(), [])

    assert _summary(again) == _summary(first)
    window = (date(2027, 1, 1), date(2030, 1, 1))
    assert [(e.start, e.end, str(e["UID"])) for e in expand(again, *window)] == [
        (e.start, e.end, str(e["UID"])) for e in expand(first, *window)
    ]
    moved = stored(weekly.uid)
    assert exceptions(moved) == {
        date(2027, 4, 5): None,
        date(2027, 5, 17): (date(2027, 5, 18), time(14), date(2027, 5, 18), time(15)),
    }
    assert moved.registration_url == "https://example.org/jf"
    assert moved.description == "Zeile 1\nZeile 2"
    assert moved.last_date == date(2027, 12, 31)  # UNTIL bounds the last date
    assert stored(yearly.uid).last_date is None


# --- what an import refuses, and why (each would have broken pages for everyone) ----------


def one_event(lines: str, uid: str = "partner-1@example.org") -> bytes:
    body = "\n".join(f"        {line}" for line in lines.strip().splitlines())
    return ics(f"""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Partner//DE
        BEGIN:VEVENT
        UID:{uid}
        DTSTAMP:20261201T090000Z
        SUMMARY:Beratung
{body}
        END:VEVENT
        END:VCALENDAR
    """)


TIMED = "DTSTART;TZID=Europe/Berlin:20270104T100000\nDTEND;TZID=Europe/Berlin:20270104T110000"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (TIMED + "\nRRULE:FREQ=WEEKLY;INTERVAL=999999999", feeds.BAD_RULE),
        (TIMED + "\nRRULE:FREQ=DAILY;INTERVAL=100", feeds.BAD_RULE),
        (TIMED + "\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", feeds.BAD_RULE),
        (TIMED + "\nRRULE:FREQ=MONTHLY;BYMONTH=2,4;BYMONTHDAY=31", feeds.BAD_RULE),
        (TIMED + "\nRRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6", feeds.BAD_RULE),
        (TIMED + "\nRRULE:FREQ=MONTHLY;BYMONTHDAY=0", feeds.BAD_RULE),
        (TIMED + "\nRRULE:FREQ=DAILY;BYHOUR=9,10,11", feeds.BAD_RULE),
        (TIMED + "\nRRULE:FREQ=WEEKLY;COUNT=501", feeds.BAD_RULE),
        (TIMED + "\nRRULE:FREQ=YEARLY;COUNT=30", feeds.TOO_LONG_SERIES),
        (TIMED + "\nRRULE:FREQ=MONTHLY;UNTIL=20990101T000000Z", feeds.TOO_LONG_SERIES),
        ("DTSTART;VALUE=DATE:00010101\nRRULE:FREQ=YEARLY", feeds.OUT_OF_YEARS),
        ("DTSTART;VALUE=DATE:99991231", feeds.OUT_OF_YEARS),
        ("DTSTART:19991231T220000Z", feeds.OUT_OF_YEARS),  # 23:00 in Düren
    ],
)
def test_events_that_would_break_the_calendar_are_not_imported(lines, message, make_user):
    content = one_event(lines)
    (planned,) = feeds.plan_import(content)
    assert planned.problem == gettext(message)
    assert feeds.run_import(content, make_user()) == (0, 0, 0)
    assert count() == 0


def test_possible_rules_of_other_programs_are_kept(make_user):
    for n, rule in enumerate(
        [
            "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=1",
            "FREQ=MONTHLY;BYDAY=-1FR",
            "FREQ=MONTHLY;BYMONTHDAY=-1",
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;WKST=SU;COUNT=500",
        ]
    ):
        content = one_event(TIMED + f"\nRRULE:{rule}", uid=f"ok-{n}@example.org")
        (planned,) = feeds.plan_import(content)
        assert planned.problem is None, rule
        assert feeds.run_import(content, make_user()) == (1, 0, 0)


def test_a_moved_date_far_away_is_not_imported(make_user):
    content = ics("""
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Partner//DE
        BEGIN:VEVENT
        UID:weit@example.org
        DTSTART;TZID=Europe/Berlin:20270104T100000
        DTEND;TZID=Europe/Berlin:20270104T110000
        RRULE:FREQ=WEEKLY;COUNT=10
        SUMMARY:Sprachcafé
        END:VEVENT
        BEGIN:VEVENT
        UID:weit@example.org
        RECURRENCE-ID;TZID=Europe/Berlin:20270111T100000
        DTSTART;TZID=Europe/Berlin:20280111T100000
        DTEND;TZID=Europe/Berlin:20280111T110000
        SUMMARY:Sprachcafé
        END:VEVENT
        END:VCALENDAR
    """)
    (planned,) = feeds.plan_import(content)
    assert planned.problem == gettext(feeds.MOVED_TOO_FAR)


def test_our_own_meetings_are_not_imported_as_events(make_user):
    """A member imports their private feed: the Lenkungsgruppe must not become an event
    that every staff member sees."""
    user = make_user()
    steering = meeting_services.ensure_bodies()[1]
    meeting = meeting_services.create_meeting(
        steering, berlin(2027, 6, 9, 14), berlin(2027, 6, 9, 16), "Kreishaus"
    )
    event = save(user, "Teamtag", timed(date(2027, 6, 10), 9, 12))
    body = feeds.events_ics([event], [meeting], name=feeds.PRIVATE_NAME)
    plan = {p.uid: p for p in feeds.plan_import(body, user)}
    assert plan[f"meeting-{meeting.id}@kimweb"].problem == gettext(feeds.OUR_MEETING)
    assert plan[event.uid].action == "unchanged"
    assert feeds.run_import(body, user) == (0, 0, 0)
    assert count() == 1


def test_an_event_cancelled_in_the_file_is_removed_on_reimport(make_user):
    user, other = make_user(), make_user()
    content = one_event(TIMED)
    assert feeds.run_import(content, user) == (1, 0, 0)
    cancelled = content.replace(b"SUMMARY:Beratung", b"SUMMARY:Beratung\r\nSTATUS:CANCELLED")
    assert [p.problem for p in feeds.plan_import(cancelled, other)] == [gettext(feeds.NOT_YOURS)]
    assert feeds.run_import(cancelled, other) == (0, 0, 0)
    assert count() == 1
    assert [p.action for p in feeds.plan_import(cancelled, user)] == ["remove"]
    assert feeds.run_import(cancelled, user) == (0, 0, 1)
    assert count() == 0


def test_text_from_a_browser_comes_back_unchanged(make_user):
    """Browsers send line ends as CRLF and people type double spaces: kept as the feed
    writes them, so importing our own export changes nothing."""
    user = make_user()
    event = save(
        user, "Infoabend  Einbürgerung ", timed(date(2027, 3, 3), 18, 19),
        description="Zeile 1\r\nZeile 2\r\n",
    )
    assert (event.title, event.description) == ("Infoabend Einbürgerung", "Zeile 1\nZeile 2")
    body = feeds.events_ics([event], [])
    assert [p.action for p in feeds.plan_import(body, user)] == ["unchanged"]


def test_a_changed_rule_drops_the_dates_it_no_longer_gives(make_user):
    user = make_user()
    event = save(user, "Sprechstunde", timed(date(2027, 1, 4), 10, 11), "FREQ=WEEKLY;BYDAY=MO")
    services.cancel_occurrence(event, date(2027, 1, 11))
    services.change_occurrence(event, date(2027, 1, 18), timed(date(2027, 1, 19), 10, 11))
    services.save_event(
        event, {}, timed(date(2027, 1, 4), 10, 11), "FREQ=WEEKLY;BYDAY=MO;INTERVAL=2", user
    )
    assert exceptions(stored(event.uid)) == {date(2027, 1, 18): timed(date(2027, 1, 19), 10, 11)}
    services.save_event(event, {}, timed(date(2027, 1, 5), 10, 11), "FREQ=WEEKLY;BYDAY=TU", user)
    assert exceptions(stored(event.uid)) == {}


def test_a_first_date_moved_earlier_is_shown(make_user):
    user = make_user()
    event = save(user, "Sprechstunde", timed(date(2027, 1, 4), 10, 11), "FREQ=WEEKLY;COUNT=3")
    services.change_occurrence(event, date(2027, 1, 4), timed(date(2026, 12, 28), 10, 11))
    december = services.event_entries(
        services.load_events(date(2026, 12, 1), date(2026, 12, 31)),
        date(2026, 12, 1), date(2026, 12, 31),
    )
    assert [(e.start, e.original_date) for e in december] == [
        (berlin(2026, 12, 28, 10), date(2027, 1, 4))
    ]


def test_feeds_of_far_years_stay_small_and_whole(make_user):
    user = make_user()
    save(user, "Jahresbericht", (date(2027, 3, 1), None, date(2027, 3, 1), None),
         "FREQ=YEARLY;UNTIL=21001231")
    save(user, "Ende", (date(2100, 12, 31), None, date(2100, 12, 31), None))
    events = services.load_events(date(2027, 1, 1), date(2100, 12, 31))
    body = feeds.events_ics(events, [])
    assert len(parse(body).events) == 2
    assert len(body) < 60_000
