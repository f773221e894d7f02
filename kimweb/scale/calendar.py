"""Scale data of the calendar: one-off events over the years (timed and all-day, a few
lasting days or weeks) and recurring series (weekly on several weekdays, monthly on the nth
weekday, monthly on a day, yearly, every n days; ending after a COUNT, at an UNTIL date or
never; a third with cancelled and moved dates), in all four categories, some public.

The rules are made by the app's own ``recurrence.to_rrule`` from the event form's fields,
the times aligned by ``services.aligned``, ``is_recurring`` and ``last_date`` set by
``services.last_date``, as ``services.save_event`` stores them; the rows go in by bulk
insert. Invented events only.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from types import SimpleNamespace

from kimweb.calendar import recurrence, services
from kimweb.calendar.models import CATEGORIES, Event, EventException
from kimweb.scale import bulk

FIRST_DAY, LAST_DAY = date(2020, 1, 1), date(2030, 12, 31)  # the span of the data
TABLES = (Event.__table__, EventException.__table__)

# --- invented events ------------------------------------------------------------------

TITLES = {
    "event": (
        "Netzwerktreffen Integration {town}", "Infoabend Einbürgerung", "Elterncafé",
        "Interkulturelles Fest {town}", "Sprechstunde Ehrenamt", "Fachtag Migration",
        "Austauschtreffen Sprachmittlung", "Tag der offenen Tür KI", "Frauenfrühstück {town}",
        "Runder Tisch Wohnen", "Lesung und Gespräch", "Bürgerdialog {town}",
    ),
    "training": (
        "Schulung Aufenthaltsrecht", "Fortbildung traumasensible Beratung",
        "Workshop Datenschutz in der Beratung", "Inhouse-Schulung Case-Management",
        "Einführung Fallsoftware", "Fortbildung Asylbewerberleistungsgesetz",
        "Workshop Interkulturelle Kommunikation", "Erste-Hilfe-Kurs",
    ),
    "deadline": (
        "Frist Förderantrag KIM", "Abgabe Sachbericht", "Meldung Fallzahlen",
        "Verwendungsnachweis", "Frist Stellungnahme Kreistag", "Abgabe Quartalsstatistik",
    ),
    "external": (
        "Landesnetzwerk KIM NRW", "Dienstbesprechung Bezirksregierung Köln",
        "Fachkonferenz Integration MKJFGFI", "Jobcenter: Netzwerkfrühstück",
        "Kommunale Gesundheitskonferenz", "Arbeitskreis Asyl {town}",
    ),
}  # fmt: skip
CATEGORY_WEIGHTS = (40, 25, 15, 20)  # in the order of CATEGORIES
TOWNS = ("Düren", "Jülich", "Kreuzau", "Langerwehe", "Linnich", "Nideggen", "Heimbach", "Titz")
PLACES = (
    "Kreishaus Düren, Bismarckstraße 16", "Rathaus Jülich, Großer Sitzungssaal",
    "Haus der Stadt, Düren", "VHS Rur-Eifel, Raum 2.14", "online (Webex)", "KI, Raum 104",
    "Begegnungszentrum Kreuzau", "Jobcenter Düren, Raum E.12",
)  # fmt: skip
ORGANISERS = ("KI Kreis Düren", "Case-Management KIM", "Caritasverband", "Diakonie", "AWO")
# The series: frequencies cycled (weekly most often), the end cycled independently.
SERIES_FREQUENCIES = ("weekly", "monthly_nth", "weekly", "daily", "monthly_day", "yearly", "weekly")
SERIES_ENDS = ("count", "until", "never")


def invent_title(rng: random.Random, category: str) -> str:
    return rng.choice(TITLES[category]).format(town=rng.choice(TOWNS))


def some_times(
    rng: random.Random, day: date, all_day: bool, extra_days: int
) -> tuple[date, clock | None, date, clock | None]:
    """(start date, start time, end date, end time) as the event form gives them."""
    if all_day:
        return day, None, day + timedelta(days=extra_days), None
    start = datetime.combine(day, clock(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
    end = start + timedelta(days=extra_days, minutes=rng.choice((60, 90, 120, 180, 240)))
    return day, start.time(), end.date(), end.time()


def invent_event(rng: random.Random, event_id: int, first: date, last: date) -> SimpleNamespace:
    """A one-off event on a day between ``first`` and ``last``."""
    category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    all_day = category == "deadline" or rng.random() < 0.2
    roll = rng.random()  # most last hours; a few days (a conference), very few weeks
    extra_days = 0 if roll < 0.9 else rng.randint(1, 4) if roll < 0.995 else rng.randint(5, 60)
    return SimpleNamespace(
        id=event_id,
        category=category,
        title=invent_title(rng, category),
        times=some_times(rng, day, all_day, extra_days),
        rrule=None,
        exceptions=[],
        is_public=category != "deadline" and rng.random() < 0.25,
        location=rng.choice(PLACES) if rng.random() < 0.7 else None,
    )


def invent_rule(rng: random.Random, index: int, start: date, timed: bool) -> recurrence.Recurrence:
    """The event form's recurrence fields of series number ``index``."""
    frequency = SERIES_FREQUENCIES[index % len(SERIES_FREQUENCIES)]
    ends = SERIES_ENDS[index % len(SERIES_ENDS)]
    rec = recurrence.Recurrence(frequency=frequency, ends=ends)
    if frequency == "weekly":
        others = rng.sample(range(5), rng.choice((1, 2, 2, 3)))
        rec.weekdays = sorted({start.weekday(), *others})
        rec.interval = rng.choice((1, 1, 1, 2))
    elif frequency == "monthly_nth":
        nth = (start.day - 1) // 7 + 1
        rec.nth, rec.nth_weekday = (-1 if nth == 5 else nth), start.weekday()
        rec.interval = rng.choice((1, 1, 2, 3))
    elif frequency == "daily":
        rec.interval = rng.choice((2, 3, 4, 7))
    counts = {"weekly": (4, 60), "daily": (5, 120), "yearly": (2, 10)}.get(frequency, (3, 24))
    spans = {"weekly": (30, 730), "daily": (14, 365), "yearly": (800, 3650)}
    if ends == "count":
        rec.count = rng.randint(*counts)
    elif ends == "until":
        rec.until = start + timedelta(days=rng.randint(*spans.get(frequency, (180, 1800))))
    if recurrence.problems(rec, start):  # e.g. 29 February until before the next leap year
        rec.ends, rec.until, rec.count = "count", None, counts[0]
    return rec


def invent_exceptions(rng: random.Random, event: SimpleNamespace) -> list[SimpleNamespace]:
    """Up to three dates of the series' first year cancelled or moved (a day, or 2 hours)."""
    start_date, start_time, end_date, end_time = event.times
    dates = recurrence.occurrences(
        start_date, start_time, end_date, end_time, event.rrule,
        start_date, start_date + timedelta(days=365), limit=40,
    )  # fmt: skip
    originals = sorted(rng.sample([o.original_date for o in dates[1:]], min(3, len(dates) - 1)))
    rows = []
    for original in originals:
        if rng.random() < 0.5:
            rows.append(SimpleNamespace(original_date=original, is_cancelled=True, times=None))
            continue
        span = end_date - start_date
        if start_time is None or rng.random() < 0.5:  # to the next day
            day = original + timedelta(days=1)
            moved = (day, start_time, day + span, end_time)
        else:  # two hours later on the same day (or the next, late at night)
            begin = datetime.combine(original, start_time) + timedelta(hours=2)
            finish = datetime.combine(original + span, end_time) + timedelta(hours=2)
            moved = (begin.date(), begin.time(), finish.date(), finish.time())
        rows.append(SimpleNamespace(original_date=original, is_cancelled=False, times=moved))
    return rows


def invent_series(
    rng: random.Random, event_id: int, index: int, first: date, last: date
) -> SimpleNamespace:
    """Series number ``index``, starting between ``first`` and ``last``."""
    event = invent_event(rng, event_id, first, last)
    start_date, start_time, end_date, _end_time = event.times
    if end_date - start_date > timedelta(days=2):  # a series of week-long events is rare
        event.times = some_times(rng, start_date, start_time is None, 0)
    rec = invent_rule(rng, index, start_date, timed=start_time is not None)
    event.rrule = recurrence.to_rrule(rec, start_date, timed=start_time is not None)
    event.times = services.aligned(event.times, event.rrule)  # as the event form saves it
    if index % 9 in (1, 3, 8):  # a third of the series, of each end, has exceptions
        event.exceptions = invent_exceptions(rng, event)
    return event


# --- rows for the bulk inserts --------------------------------------------------------


def event_row(event: SimpleNamespace, user_id: int | None, now: datetime) -> dict:
    """One ``events`` row with ``is_recurring`` and ``last_date`` as ``save_event`` sets them."""
    start_date, start_time, end_date, end_time = event.times
    stored = SimpleNamespace(  # what services.last_date reads of an Event
        start_date=start_date,
        start_time=start_time,
        end_date=end_date,
        end_time=end_time,
        rrule=event.rrule,
        exceptions=[
            SimpleNamespace(
                start_date=row.times[0] if row.times else None,
                end_date=row.times[2] if row.times else None,
            )
            for row in event.exceptions
        ],
    )
    return {
        "id": event.id,
        "uid": f"scale-{event.id}@kimweb",
        "title": event.title,
        "description": None,
        "start_date": start_date,
        "start_time": start_time,
        "end_date": end_date,
        "end_time": end_time,
        "rrule": event.rrule,
        "is_recurring": event.rrule is not None,
        "last_date": services.last_date(stored),
        "location": event.location,
        "location_id": None,
        "category": event.category,
        "is_public": event.is_public,
        "organiser": ORGANISERS[event.id % len(ORGANISERS)],
        "registration_url": None,
        "sequence": len(event.exceptions),
        "created_by_id": user_id,
        "created_at": now,
        "updated_at": now,
    }


def exception_row(event_id: int, row: SimpleNamespace) -> dict:
    start_date, start_time, end_date, end_time = row.times or (None, None, None, None)
    return {
        "event_id": event_id,
        "original_date": row.original_date,
        "is_cancelled": row.is_cancelled,
        "start_date": start_date,
        "start_time": start_time,
        "end_date": end_date,
        "end_time": end_time,
    }


def seed_calendar(
    events: int,
    series: int,
    user_id: int | None,
    rng: random.Random,
    first: date = FIRST_DAY,
    last: date = LAST_DAY,
) -> dict[str, int]:
    """``events`` events between ``first`` and ``last``, the first ``series`` of them
    recurring, created by ``user_id``, by bulk insert (commits). Returns the rows written
    per table."""
    rows = bulk.Rows(TABLES)
    now = datetime.now(UTC)
    for index in range(events):
        event_id = rows.new_id(Event.__table__)
        if index < series:
            event = invent_series(rng, event_id, index, first, last)
        else:
            event = invent_event(rng, event_id, first, last)
        rows.add(Event.__table__, event_row(event, user_id, now))
        for row in event.exceptions:
            rows.add(EventException.__table__, exception_row(event_id, row))
    return rows.finish()
