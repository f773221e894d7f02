"""Benchmark: server time of the calendar month view at 50,000 events and 500 series.

What it measures, per database (SQLite in a temp dir, then PostgreSQL
``kimweb_bench_calendar``):

1. The schema is built by the migrations and filled by bulk inserts
   (``kimweb.scale.calendar.seed_calendar``) with 50,000 calendar
   events from 2020 to 2030: 49,500 one-off events (timed and all-day, a few lasting days
   or weeks) and 500 recurring series (weekly on several weekdays, monthly on the nth
   weekday, monthly on a day, yearly, every n days; ending after a COUNT, at an UNTIL date
   or never; a third with cancelled and moved dates), in all four categories, some public.
   The rules are made by the app's own ``recurrence.to_rrule`` from the event form's
   fields, ``is_recurring`` and ``last_date`` by ``services.last_date``, as
   ``services.save_event`` stores them. Meetings of the six bodies are added every four
   weeks (``kimweb.scale.meetings.seed_meetings``): the signed-in staff user is a member
   of three of them (the Jour fixe, the steering group, a working group), the other three
   are hidden from the user. The time the fill took is printed.
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
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path

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
from kimweb.auth.models import User  # noqa: E402
from kimweb.calendar import recurrence, services  # noqa: E402
from kimweb.calendar.models import Event, EventException  # noqa: E402
from kimweb.config import TestConfig  # noqa: E402
from kimweb.extensions import db  # noqa: E402
from kimweb.meetings import services as meetings  # noqa: E402
from kimweb.scale import bulk  # noqa: E402
from kimweb.scale.calendar import seed_calendar  # noqa: E402
from kimweb.scale.meetings import seed_meetings  # noqa: E402

POSTGRES_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
POSTGRES_DB = "kimweb_bench_calendar"
POSTGRES_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{POSTGRES_DB}"

TARGET_P95_MS = 50.0
TIME_LIMIT_S = 60.0  # for the timed requests of one database, whatever happens
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

# --- data: kimweb.scale.calendar and kimweb.scale.meetings make it ---------------------


def fill(event_count: int, series_count: int, first: date, last: date, user_id: int) -> int:
    """Fill the calendar; returns the rows written."""
    rng = random.Random(SEED)  # noqa: S311 - invented data, the same in every run
    return sum(seed_calendar(event_count, series_count, user_id, rng, first, last).values())


def add_meetings(user_id: int) -> int:
    """Meetings of the six built-in bodies every four weeks from 2020 to 2030 (no agenda
    items), organised by someone else: the user is a member of three bodies (the Jour fixe
    among them, open to all staff anyway), the other three stay hidden from the user."""
    organiser = auth.create_user("organiser", "organiser@example.org", "Organiser", PASSWORD)
    users = [organiser, db.session.get(User, user_id)]
    per_body = (LAST_DAY - FIRST_DAY).days // 28 + 1
    rng = random.Random(SEED)  # noqa: S311 - invented data, the same in every run
    bodies = len(meetings.BUILTIN_BODIES)
    written = seed_meetings(bodies * per_body, 0, users, rng, last_day=LAST_DAY, weeks_apart=4)
    return written["meetings"]


def after_fill() -> None:
    """Fresh planner statistics (the fill has set the sequences past its ids)."""
    bulk.analyze()


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
