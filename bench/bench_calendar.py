"""Benchmark: server time of the calendar month view at 50,000 events and 500 series.

What it measures, per database (SQLite in a temp dir, then PostgreSQL
``kimweb_bench_calendar``):

1. The schema is built by the migrations and filled by bulk inserts with 50,000 calendar
   events from 2020 to 2030: 49,500 one-off events (timed and all-day, a few lasting days
   or weeks) and 500 recurring series (weekly on several weekdays, monthly on the nth
   weekday, monthly on a day, yearly, every n days; ending after a COUNT, at an UNTIL date
   or never; a third with cancelled and moved dates), in all four categories, some public.
   The rules are made by the app's own ``recurrence.to_rrule`` from the event form's
   fields, ``is_recurring`` and ``last_date`` by ``services.last_date``, as
   ``services.save_event`` stores them. Meetings of three bodies are added (the Jour fixe
   every other week, the steering group monthly, both visible to the signed-in staff
   user; a working group quarterly, which is not). The time the fill took is printed.
2. With the Flask test client in-process (no network: "server time"), a signed-in staff
   user requests the month view ``/calendar/?month=YYYY-MM`` of 24 months spread over the
   data, as the whole page and as the htmx fragment (``HX-Request: true``), and,
   alternating in the same loop, ``/health``. So noise hits all alike, and the ratio
   month view/health says how much the view costs over a trivial request of the same app.
3. The number of SQL statements of one month view is counted at 100 events (5 series) and
   at 50,000 events (500 series) for the same month, and at the full size for each of the
   24 months: equal numbers mean no query per event, series or exception (no N+1).
4. Without a database: how long ``recurrence.occurrences`` takes (fastest run) to expand
   never-ending series for one month shortly after their first date, ten years later and
   in 2099, beside plain dateutil expanding from the first date. Equal times in 2030 and
   2099 (under 2x; from the first date it would be about 8x) mean that only the visible
   range is expanded.

How to read it: p50/p95 are in milliseconds over all requests of one kind; the target is
a month view p95 under 50 ms. The machine is noisy, so compare ratios measured side by side
in one run rather than absolute numbers across runs. The per-month table shows what a
month costs: the entries drawn (an entry over several days is drawn on each day) and the
events loaded (one-off/series); the line below it fits the fastest request of each month
to the entries drawn, i.e. what one more entry on the screen costs. Exit status is 0 also
when a target is missed: the numbers are the result.

    cd /work/main && .venv/bin/python bench/bench_calendar.py [--quick]

``--quick`` uses 10x less data and fewer requests, for a fast check of the script itself.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from dateutil.rrule import rrulestr  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from kimweb import create_app  # noqa: E402
from kimweb.auth import services as auth  # noqa: E402
from kimweb.calendar import recurrence, services  # noqa: E402
from kimweb.calendar.models import CATEGORIES, Event, EventException  # noqa: E402
from kimweb.config import TestConfig  # noqa: E402
from kimweb.extensions import db  # noqa: E402
from kimweb.meetings import services as meetings  # noqa: E402
from kimweb.meetings.models import Meeting, Membership  # noqa: E402

POSTGRES_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
POSTGRES_DB = "kimweb_bench_calendar"
POSTGRES_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{POSTGRES_DB}"

TARGET_P95_MS = 50.0
TIME_LIMIT_S = 60.0  # for the timed requests of one database, whatever happens
BATCH = 5_000  # rows per INSERT executemany
FIRST_DAY, LAST_DAY = date(2020, 1, 1), date(2030, 12, 31)  # the span of the data
# The small state for the statement count: 95 one-off events and 5 series in the first
# half of 2025, so that the counted month shows both kinds (and a series exception).
SMALL_EVENTS, SMALL_SERIES = 100, 5
SMALL_FIRST, SMALL_LAST = date(2025, 1, 1), date(2025, 6, 30)
COUNT_MONTH = date(2025, 6, 1)  # the month whose statements are compared at both sizes
USERNAME, PASSWORD = "bench", "correct horse battery"
SEED = 20261121


@dataclass(frozen=True)
class Scale:
    events: int  # all events, the series included
    series: int
    requests: int  # rounds of: whole page, fragment, /health
    repeats: int  # of each expansion timed without the database


FULL = Scale(events=50_000, series=500, requests=120, repeats=300)
QUICK = Scale(events=5_000, series=50, requests=24, repeats=30)


def add_months(first: date, months: int) -> date:
    return services.add_months(first, months)


# 24 months from January 2020 to December 2030, about every 5.7 months.
MONTHS = tuple(add_months(FIRST_DAY, round(i * 131 / 23)) for i in range(24))

# --- invented data ------------------------------------------------------------------

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


def event_row(event: SimpleNamespace, user_id: int, now: datetime) -> dict:
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
        "uid": f"bench-{event.id}@kimweb",
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


def exception_row(row_id: int, event_id: int, row: SimpleNamespace) -> dict:
    start_date, start_time, end_date, end_time = row.times or (None, None, None, None)
    return {
        "id": row_id,
        "event_id": event_id,
        "original_date": row.original_date,
        "is_cancelled": row.is_cancelled,
        "start_date": start_date,
        "start_time": start_time,
        "end_date": end_date,
        "end_time": end_time,
    }


def event_rows(
    event_count: int, series_count: int, first: date, last: date, user_id: int
) -> dict[sa.Table, list[dict]]:
    """All rows of ``event_count`` events, the first ``series_count`` of them series."""
    rng = random.Random(SEED)  # noqa: S311 - invented data, the same in every run
    rows: dict[sa.Table, list[dict]] = defaultdict(list)
    now = datetime.now(UTC)
    for event_id in range(1, event_count + 1):
        if event_id <= series_count:
            event = invent_series(rng, event_id, event_id - 1, first, last)
        else:
            event = invent_event(rng, event_id, first, last)
        rows[Event.__table__].append(event_row(event, user_id, now))
        for row in event.exceptions:
            row_id = len(rows[EventException.__table__]) + 1
            rows[EventException.__table__].append(exception_row(row_id, event_id, row))
    return rows


# (body name, weekday, every n weeks or "monthly"/"quarterly", start, end, visible)
MEETING_PLAN = (
    ("Jour fixe Case-Management", 1, 2, clock(9, 30), clock(11), "Kreishaus, Raum 104"),
    ("Lenkungsgruppe", 3, "monthly", clock(14), clock(16), "Kreishaus, Sitzungssaal"),
    ("Arbeitskreis „Migration“", 2, "quarterly", clock(10), clock(12), "KI, Raum 104"),
)


def meeting_rows(bodies: dict[str, int]) -> list[dict]:
    """Meetings of three bodies from 2020 to 2030 (every 25th cancelled)."""
    rows, now = [], datetime.now(UTC)
    for name, weekday, every, begins, ends, place in MEETING_PLAN:
        days = []
        if isinstance(every, int):
            day = FIRST_DAY + timedelta(days=(weekday - FIRST_DAY.weekday()) % 7)
            days = [day + timedelta(weeks=every * n) for n in range(600)]
        else:
            step = 1 if every == "monthly" else 3
            for month in range(0, 132, step):  # the first such weekday of the month
                first = add_months(FIRST_DAY, month)
                days.append(first + timedelta(days=(weekday - first.weekday()) % 7))
        for day in (d for d in days if d <= LAST_DAY):
            rows.append(
                {
                    "id": len(rows) + 1,
                    "body_id": bodies[name],
                    "series_id": None,
                    "series_date": None,
                    "start_dt": meetings.at(day, begins),
                    "end_dt": meetings.at(day, ends),
                    "location": place,
                    "is_cancelled": len(rows) % 25 == 24,
                    "cancel_reason": None,
                    "agenda_state": "published" if day.year < 2027 else "draft",
                    "minutes_state": "approved" if day.year < 2026 else "draft",
                    "created_at": now,
                }
            )
    return rows


def insert_batches(connection: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start : start + BATCH])


def fill(event_count: int, series_count: int, first: date, last: date, user_id: int) -> int:
    """Fill the calendar; returns the rows written."""
    rows = event_rows(event_count, series_count, first, last, user_id)
    with db.engine.begin() as connection:
        for table in (Event.__table__, EventException.__table__):
            insert_batches(connection, table, rows[table])
    return sum(len(table_rows) for table_rows in rows.values())


def add_meetings(user_id: int) -> int:
    """The bodies (made by the migration), the user in the steering group, the meetings."""
    bodies = {body.name: body.id for body in meetings.ensure_bodies()}
    db.session.add(Membership(body_id=bodies["Lenkungsgruppe"], user_id=user_id))
    db.session.commit()
    rows = meeting_rows(bodies)
    with db.engine.begin() as connection:
        insert_batches(connection, Meeting.__table__, rows)
    return len(rows)


def after_fill() -> None:
    """Sequences past the explicit ids (PostgreSQL), then fresh planner statistics."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            for table in ("events", "event_exceptions", "meetings"):
                connection.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
                )
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))


def empty_calendar() -> None:
    with db.engine.begin() as connection:
        connection.execute(EventException.__table__.delete())
        connection.execute(Event.__table__.delete())


def events_loaded(first: date) -> tuple[int, int]:
    """(one-off events, series) the month view of ``first`` loads."""
    found = services.load_events(*services.month_range(first))
    series = sum(1 for event in found if event.is_recurring)
    db.session.rollback()
    return len(found) - series, series


# --- requests -------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
HTMX = {"HX-Request": "true"}
PAGE, FRAGMENT, HEALTH = "page", "fragment", "health"


def sign_in(client: FlaskClient) -> None:
    html = client.get("/login").get_data(as_text=True)
    token = CSRF_RE.search(html).group(1)
    data = {"username": USERNAME, "password": PASSWORD, "csrf_token": token}
    response = client.post("/login", data=data)
    if response.status_code != 302:
        raise RuntimeError(f"sign-in failed with status {response.status_code}")


def month_view(client: FlaskClient, month: date, kind: str) -> int:
    """One month view (whole page or htmx fragment); returns the entries drawn."""
    headers = HTMX if kind == FRAGMENT else {}
    response = client.get("/calendar/", query_string={"month": f"{month:%Y-%m}"}, headers=headers)
    html = response.get_data(as_text=True)
    whole = "<html" in html
    if response.status_code != 200 or 'id="calendar"' not in html or whole != (kind == PAGE):
        raise RuntimeError(f"{kind} of {month:%Y-%m} answered {response.status_code}")
    return html.count('<li class="calendar-entry')


def health(client: FlaskClient) -> None:
    if client.get("/health").status_code != 200:
        raise RuntimeError("/health did not answer 200")


class StatementCounter:
    """Counts the SQL statements sent through an engine; ``of(action)``: those of one action."""

    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args) -> None:
        self.count += 1

    def of(self, action) -> int:
        before = self.count
        action()
        return self.count - before


@dataclass
class MonthStats:
    """Per month: entries drawn, events loaded, statements by kind, times by kind."""

    entries: int = 0
    loaded: tuple[int, int] = (0, 0)
    statements: dict[str, int] = field(default_factory=dict)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


def count_statements(
    client: FlaskClient, counter: StatementCounter, months, stats: dict[date, MonthStats]
) -> None:
    """Each month once as page and fragment (also the warm-up): entries and statements."""
    for month in months:
        for kind in (PAGE, FRAGMENT):
            drawn: list[int] = []
            statements = counter.of(
                lambda m=month, k=kind, d=drawn: d.append(month_view(client, m, k))
            )
            stats[month].entries = drawn[0]
            stats[month].statements[kind] = statements


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def measure(client: FlaskClient, requests: int, stats) -> tuple[dict[str, list[float]], bool]:
    """Rounds of page, fragment and /health (which goes first rotates); times in ms."""
    times: dict[str, list[float]] = {PAGE: [], FRAGMENT: [], HEALTH: []}
    deadline = time.perf_counter() + TIME_LIMIT_S
    for i in range(requests):
        if time.perf_counter() > deadline:
            return times, True
        month = MONTHS[i % len(MONTHS)]
        steps = [
            (PAGE, lambda m=month: month_view(client, m, PAGE)),
            (FRAGMENT, lambda m=month: month_view(client, m, FRAGMENT)),
            (HEALTH, lambda: health(client)),
        ]
        shift = i % 3
        for kind, action in steps[shift:] + steps[:shift]:
            ms = timed(action)
            times[kind].append(ms)
            if kind != HEALTH:
                stats[month].times[kind].append(ms)
    return times, False


# --- recurrence without the database ----------------------------------------------------

SERIES_START = date(2020, 1, 6)  # a Monday
EXPANSION_RULES = (
    ("daily", "FREQ=DAILY", clock(8)),
    ("every 3rd day, all day", "FREQ=DAILY;INTERVAL=3", None),
    ("weekly Mo, We, Fr", "FREQ=WEEKLY;BYDAY=MO,WE,FR", clock(10)),
    ("monthly, 1st Monday", "FREQ=MONTHLY;BYDAY=1MO", clock(14)),
    ("monthly on the 6th", "FREQ=MONTHLY;BYMONTHDAY=6", clock(9)),
    ("yearly on 6 January", "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=6", None),
)
EXPANSION_MONTHS = (date(2020, 2, 1), date(2030, 2, 1), date(2099, 2, 1))


GROWTH_LIMIT = 2.0  # expanded from the first date, 2099 would cost about 8x 2030


def fastest_us(actions: list, repeats: int) -> list[float]:
    """The fastest run of each action in µs, the actions taking turns (noise hits all)."""
    best = [float("inf")] * len(actions)
    for _ in range(repeats):
        for i, action in enumerate(actions):
            start = time.perf_counter()
            action()
            best[i] = min(best[i], (time.perf_counter() - start) * 1e6)
    return best


@dataclass
class Expansion:
    label: str
    found: list[int]  # occurrences in each of EXPANSION_MONTHS
    app_us: list[float]  # recurrence.occurrences, per month (fastest run)
    naive_us: float  # dateutil from the first date, for the last month


def expansions(repeats: int) -> list[Expansion]:
    """Never-ending series from SERIES_START, expanded for months near and far."""
    results = []
    for label, rule, moment in EXPANSION_RULES:
        expanders = []
        for month in EXPANSION_MONTHS:
            start, end = services.month_range(month)

            def expand(rule=rule, moment=moment, start=start, end=end):
                return recurrence.occurrences(
                    SERIES_START, moment, SERIES_START, moment and clock(moment.hour + 1),
                    rule, start, end,
                )  # fmt: skip

            expanders.append(expand)
        found = [len(expand()) for expand in expanders]
        app_us = fastest_us(expanders, repeats)
        first = datetime.combine(SERIES_START, moment or clock())
        start, end = services.month_range(EXPANSION_MONTHS[-1])
        low, high = datetime.combine(start, clock()), datetime.combine(end, clock(23, 59))

        def naive(rule=rule, first=first, low=low, high=high):
            return rrulestr(rule, dtstart=first).between(low, high, inc=True)

        if len(naive()) != found[-1]:
            raise RuntimeError(f"{label}: dateutil finds {len(naive())}, the app {found[-1]}")
        naive_us = fastest_us([naive], max(3, repeats // 10))[0]
        results.append(Expansion(label, found, app_us, naive_us))
    return results


def report_expansions(results: list[Expansion]) -> None:
    months = "".join(f" {m:%Y-%m}: n {'µs':>5}" for m in EXPANSION_MONTHS)
    print(
        f"\n=== Recurrence expanded for one month view, never-ending series from "
        f"{SERIES_START} (fastest µs of recurrence.occurrences)"
    )
    far, mid = (f"{m:%Y}" for m in EXPANSION_MONTHS[:0:-1])
    print(f"{'series':<24}{months} {f'{far}/{mid}':>9} {'dateutil from start':>19}")
    for r in results:
        cells = "".join(f" {n:>10} {us:>5.0f}" for n, us in zip(r.found, r.app_us, strict=True))
        print(f"{r.label:<24}{cells} {growth(r):>8.1f}x {r.naive_us:>16.0f} µs")
    worst = max(growth(r) for r in results)
    print(
        f"(n: occurrences in the month's weeks; {far}/{mid}: time 70 years further on over "
        f"the time at 10 years, at most {worst:.1f}x: "
        + (
            "only the visible range is expanded;"
            if worst < GROWTH_LIMIT
            else "GROWS with the distance;"
        )
        + " dateutil from start: the last month by dateutil's between() from the first date)"
    )


def growth(expansion: Expansion) -> float:
    """Time of the farthest month over the time of the middle one."""
    return expansion.app_us[-1] / expansion.app_us[-2]


# --- one database ---------------------------------------------------------------------


@dataclass
class Result:
    database: str
    events: int = 0
    series: int = 0
    rows: int = 0
    meetings: int = 0
    fill_s: float = 0.0
    times: dict[str, list[float]] = field(default_factory=dict)
    stopped_early: bool = False
    small: MonthStats = field(default_factory=MonthStats)
    stats: dict[date, MonthStats] = field(default_factory=lambda: defaultdict(MonthStats))


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def prepare(url: str) -> tuple[Flask, int]:
    app = create_app(TestConfig(url))
    with app.app_context():
        upgrade()
        user = auth.create_user(USERNAME, f"{USERNAME}@example.org", "Bench", PASSWORD)
        return app, user.id


def run_database(name: str, url: str, scale: Scale) -> Result:
    result = Result(name, events=scale.events, series=scale.series)
    print(f"\n=== {name}: {url}")
    app, user_id = prepare(url)
    client = app.test_client()
    sign_in(client)
    with app.app_context():
        counter = StatementCounter(db.engine)
        result.meetings = add_meetings(user_id)
        fill(SMALL_EVENTS, SMALL_SERIES, SMALL_FIRST, SMALL_LAST, user_id)
        after_fill()
        result.small.loaded = events_loaded(COUNT_MONTH)
    month_view(client, COUNT_MONTH, PAGE)  # warm-up: templates, first connection
    small = {COUNT_MONTH: result.small}
    count_statements(client, counter, [COUNT_MONTH], small)
    with app.app_context():
        empty_calendar()
        start = time.perf_counter()
        result.rows = fill(scale.events, scale.series, FIRST_DAY, LAST_DAY, user_id)
        after_fill()
        result.fill_s = time.perf_counter() - start
        for month in (*MONTHS, COUNT_MONTH):
            result.stats[month].loaded = events_loaded(month)
    print(
        f"filled {scale.events:,} events ({scale.series} series; {result.rows:,} rows with "
        f"the exceptions) in {result.fill_s:.1f} s, incl. ANALYZE; {result.meetings} meetings"
    )
    count_statements(client, counter, [*MONTHS, COUNT_MONTH], result.stats)
    result.times, result.stopped_early = measure(client, scale.requests, result.stats)
    with app.app_context():
        db.engine.dispose()
    report_database(result)
    return result


def reset_postgres() -> str | None:
    """Drop and create the benchmark database; returns a problem or None."""
    try:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DB} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {POSTGRES_DB}")
    except psycopg.OperationalError as error:
        return f"PostgreSQL not reachable ({error.__class__.__name__}: {str(error).strip()})"
    return None


# --- output ---------------------------------------------------------------------------


def verdict(result: Result) -> str:
    worst = max(percentile(result.times[PAGE], 95), percentile(result.times[FRAGMENT], 95))
    return "met" if worst < TARGET_P95_MS else "MISSED"


def statements(result: Result) -> tuple[str, str, bool]:
    """("small page/fragment", "full page/fragment", same) for COUNT_MONTH, and all months."""
    small = result.small.statements
    full = result.stats[COUNT_MONTH].statements
    kinds = (PAGE, FRAGMENT)
    every = {(k, m.statements[k]) for m in result.stats.values() for k in kinds}
    same = all(small[k] == full[k] for k in kinds) and len(every) == len(kinds)
    return f"{small[PAGE]}/{small[FRAGMENT]}", f"{full[PAGE]}/{full[FRAGMENT]}", same


def report_database(result: Result) -> None:
    print(
        f"\n{'month':<8} {'entries':>7} {'loaded single/series':>20} {'stmts':>5}"
        f" {'page p50':>8} {'max':>6} {'fragment p50':>12} {'max':>6}"
    )
    for month in MONTHS:
        stats = result.stats[month]
        page, fragment = stats.times[PAGE], stats.times[FRAGMENT]
        print(
            f"{month:%Y-%m}  {stats.entries:>7} {stats.loaded[0]:>14}/{stats.loaded[1]:<5} "
            f"{stats.statements[PAGE]:>2}/{stats.statements[FRAGMENT]:<2} "
            f"{percentile(page, 50):>8.1f} {max(page, default=0):>6.1f} "
            f"{percentile(fragment, 50):>12.1f} {max(fragment, default=0):>6.1f}"
        )
    print(
        "(entries: drawn in the grid, an entry over several days on each day, holidays and "
        "meetings included; loaded: events the two range queries return; stmts: SQL "
        "statements of one request, page/fragment)"
    )
    fixed, per_entry = cost_per_entry(result)
    print(
        f"fastest fragment of a month ≈ {fixed:.1f} ms + {per_entry * 1000:.0f} µs per entry "
        f"drawn (least squares over the months); {TARGET_P95_MS:.0f} ms fit about "
        f"{max(0, (TARGET_P95_MS - fixed) / per_entry):.0f} entries"
    )
    times = result.times
    count = len(times[PAGE]) + len(times[FRAGMENT])
    print(
        f"\n{count} month views + {len(times[HEALTH])} health requests"
        + (f" (stopped at the {TIME_LIMIT_S:.0f} s limit)" if result.stopped_early else "")
    )
    h50, h95 = percentile(times[HEALTH], 50), percentile(times[HEALTH], 95)
    for kind, label in ((PAGE, "month view page"), (FRAGMENT, "month view fragment")):
        p50, p95 = percentile(times[kind], 50), percentile(times[kind], 95)
        print(f"{label:<20} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   "
              f"ratio to /health p50 {p50 / h50:5.1f}x   p95 {p95 / h95:5.1f}x")  # fmt: skip
    print(f"{'/health':<20} p50 {h50:7.1f} ms   p95 {h95:7.1f} ms")
    print(f"target: month view p95 under {TARGET_P95_MS:.0f} ms (page and fragment): "
          f"{verdict(result)}")  # fmt: skip
    small, full, same = statements(result)
    counts = sorted({s for m in result.stats.values() for s in m.statements.values()})
    small_loaded, full_loaded = result.small.loaded, result.stats[COUNT_MONTH].loaded
    print(
        f"SQL statements per month view {COUNT_MONTH:%Y-%m} (page/fragment): {small} at "
        f"{SMALL_EVENTS} events ({small_loaded[0]}+{small_loaded[1]} loaded), {full} at "
        f"{result.events:,} events ({full_loaded[0]}+{full_loaded[1]} loaded); over all "
        f"{len(MONTHS)} months {counts[0]}..{counts[-1]}: " + ("same" if same else "DIFFERENT")
    )


def cost_per_entry(result: Result) -> tuple[float, float]:
    """(ms, ms per entry drawn) of the fastest fragment of each month (the one least
    disturbed by the noise of the machine), by least squares over the months."""
    months = [m for m in MONTHS if result.stats[m].times[FRAGMENT]]
    entries = [result.stats[m].entries for m in months]
    fastest = [min(result.stats[m].times[FRAGMENT]) for m in months]
    if len(set(entries)) < 2:
        return 0.0, 0.0
    slope, intercept = statistics.linear_regression(entries, fastest)
    return intercept, slope


def summary(
    results: list[Result], skipped: list[str], expanded: list[Expansion], total_s: float
) -> None:
    print(f"\n=== Summary, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {platform.platform()}")
    header = (
        f"{'database':<11} {'events':>6} {'fill s':>6} {'page p50':>8} {'p95':>6} "
        f"{'fragm p50':>9} {'p95':>6} {'health p50':>10} {'p95':>5} {'ratio fr p50':>12} "
        f"{'p95':>6} {'p95<50ms':>8} {'stmts small/full':>21}"
    )
    print(header)
    for r in results:
        t = r.times
        f50, f95 = percentile(t[FRAGMENT], 50), percentile(t[FRAGMENT], 95)
        h50, h95 = percentile(t[HEALTH], 50), percentile(t[HEALTH], 95)
        small, full, same = statements(r)
        print(
            f"{r.database:<11} {r.events:>6,} {r.fill_s:>6.1f} {percentile(t[PAGE], 50):>8.1f} "
            f"{percentile(t[PAGE], 95):>6.1f} {f50:>9.1f} {f95:>6.1f} {h50:>10.2f} {h95:>5.2f} "
            f"{f50 / h50:>11.1f}x {f95 / h95:>5.1f}x {verdict(r):>8} "
            f"{f'{small} {full} ' + ('same' if same else 'DIFF'):>21}"
        )
    for line in skipped:
        print(line)
    worst = max(growth(e) for e in expanded)
    print(
        f"recurrence: a month in {EXPANSION_MONTHS[-1].year} costs at most {worst:.1f}x a month "
        f"in {EXPANSION_MONTHS[-2].year} ({len(expanded)} never-ending rules from "
        f"{SERIES_START.year})"
    )
    print(f"times in ms, in-process (Flask test client); whole run {total_s:.0f} s")


def databases(tmp: str) -> Iterator[tuple[str, str | None, str]]:
    """(name, url or None, problem) of each database to measure."""
    yield "sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", ""
    problem = reset_postgres()
    yield "postgresql", None if problem else POSTGRES_URL, problem or ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x less data, fewer requests")
    scale = QUICK if parser.parse_args().quick else FULL
    started = time.perf_counter()
    expanded = expansions(scale.repeats)
    report_expansions(expanded)
    results, skipped = [], []
    with tempfile.TemporaryDirectory(prefix="kimweb-bench-") as tmp:
        for name, url, problem in databases(tmp):
            if url is None:
                print(f"\n=== {name}: skipped: {problem}")
                skipped.append(f"{name:<11} skipped: {problem}")
                continue
            results.append(run_database(name, url, scale))
    summary(results, skipped, expanded, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
