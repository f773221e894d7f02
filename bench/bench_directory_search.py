"""Benchmark: server time of the directory search at 100,000 contact persons.

What it measures, per database (SQLite in a temp dir, then PostgreSQL ``kimweb_bench``):

1. The schema is built by the migrations and filled with 20,000 organisations and
   100,000 contact persons (invented, varied German data) by bulk inserts
   (``kimweb.scale.directory.seed_directory``); the search index rows are computed by the
   app's own ``services.organisation_text`` and ``services.contact_text``. The time the
   fill took is printed.
2. With the Flask test client in-process (no network: "server time"), a signed-in user
   requests the results fragment (``HX-Request: true``) of ~20 realistic searches, and,
   alternating in the same loop, ``/health``. So noise hits both alike, and the ratio
   search/health says how much the search costs over a trivial request of the same app.
3. The number of SQL statements of one search request is counted at 100 contacts and at
   100,000 contacts: equal numbers mean no query per result row (no N+1).

How to read it: p50/p95 are in milliseconds over all requests of one kind; the target is
a search p95 under 30 ms. The machine is noisy, so compare ratios measured side by side
in one run rather than absolute numbers across runs. The per-query table shows which
search is slowest. Exit status is 0 also when a target is missed: the numbers are the
result.

    cd /work/main && .venv/bin/python bench/bench_directory_search.py [--quick]

``--quick`` uses 10x less data and 60 requests, for a fast check of the script itself.
"""

from __future__ import annotations

import argparse
import platform
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from kimweb import create_app  # noqa: E402
from kimweb.auth import services as auth  # noqa: E402
from kimweb.config import TestConfig  # noqa: E402
from kimweb.directory.models import FocusArea  # noqa: E402
from kimweb.extensions import db  # noqa: E402
from kimweb.scale import bulk  # noqa: E402
from kimweb.scale.directory import CONTACTS_PER_ORGANISATION as CONTACTS_PER_ORG  # noqa: E402
from kimweb.scale.directory import TABLES as DIRECTORY_TABLES  # noqa: E402
from kimweb.scale.directory import seed_directory  # noqa: E402

POSTGRES_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
POSTGRES_DB = "kimweb_bench"
POSTGRES_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{POSTGRES_DB}"

TARGET_P95_MS = 30.0
TIME_LIMIT_S = 60.0  # for the timed requests of one database, whatever happens
SMALL_ORGS = 20  # the small state: 20 organisations, 100 contact persons
USERNAME, PASSWORD = "bench", "correct horse battery"
SEED = 20261121


@dataclass(frozen=True)
class Scale:
    orgs: int
    requests: int  # of each kind: search fragment and /health


FULL = Scale(orgs=20_000, requests=600)
QUICK = Scale(orgs=2_000, requests=60)

# The searches, as typed by staff. Focus filters name a key; its id is looked up.
COUNT_QUERY = "beratung"  # the query whose statement count is compared at both sizes
QUERIES: tuple[tuple[str, dict[str, str]], ...] = (
    ("cari", {"q": "cari"}),
    ("dueren", {"q": "dueren"}),
    ("psycho", {"q": "psycho"}),
    ("beratung jül", {"q": "beratung jül"}),
    ("müller", {"q": "müller"}),
    ("anna schmi", {"q": "anna schmi"}),
    ("öztürk", {"q": "öztürk"}),
    ("m (first keystroke)", {"q": "m"}),
    ("52428", {"q": "52428"}),
    ("integrationsagentur", {"q": "integrationsagentur"}),
    ("beratung", {"q": COUNT_QUERY}),
    ("beratung, page 40", {"q": "beratung", "page": "40"}),
    ("xyzzy (no hit)", {"q": "xyzzy"}),
    ("(no query, no filter)", {}),
    ("municipality=Jülich", {"municipality": "Jülich"}),
    ("beratung + Heimbach", {"q": "beratung", "municipality": "Heimbach"}),
    ("focus=psychosocial", {"focus": "psychosocial"}),
    ("migration + focus=labour", {"q": "migration", "focus": "labour"}),
    ("language=ar", {"language": "ar"}),
    ("diakonie, organisations", {"q": "diakonie", "show": "organisations"}),
    ("needs check + Düren", {"needs_check": "y", "municipality": "Düren"}),
)

# --- data: kimweb.scale.directory makes it ----------------------------------------------


def fill(org_count: int) -> int:
    """Fill the directory with ``org_count`` organisations (5 contacts each); rows written."""
    rng = random.Random(SEED)  # noqa: S311 - invented data, the same in every run
    return sum(seed_directory(org_count, rng).values())


def after_fill() -> None:
    """Fresh planner statistics (the fill has set the sequences past its ids)."""
    bulk.analyze()


def empty_directory() -> None:
    with db.engine.begin() as connection:
        for table in reversed(DIRECTORY_TABLES):
            connection.execute(table.delete())


# --- requests -------------------------------------------------------------------------

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
COUNT_RE = re.compile(r'id="result-count">\D*?(\d[\d.,]*)')
HTMX = {"HX-Request": "true"}


def sign_in(client: FlaskClient) -> None:
    html = client.get("/login").get_data(as_text=True)
    token = CSRF_RE.search(html).group(1)
    data = {"username": USERNAME, "password": PASSWORD, "csrf_token": token}
    response = client.post("/login", data=data)
    if response.status_code != 302:
        raise RuntimeError(f"sign-in failed with status {response.status_code}")


def resolve(params: dict[str, str], focus_ids: dict[str, int]) -> dict[str, str]:
    if "focus" in params:
        return {**params, "focus": str(focus_ids[params["focus"]])}
    return params


def search(client: FlaskClient, params: dict[str, str]) -> int:
    """One fragment request; returns the number of entries found."""
    response = client.get("/directory/", query_string=params, headers=HTMX)
    html = response.get_data(as_text=True)
    if response.status_code != 200 or 'id="results"' not in html:
        raise RuntimeError(f"search {params} answered {response.status_code}")
    return int(re.sub(r"\D", "", COUNT_RE.search(html).group(1)))


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
class QueryStats:
    """Per query: entries found and SQL statements by data size ("small", "big"), times."""

    hits: dict[str, int] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)


def count_statements(
    client: FlaskClient, counter: StatementCounter, queries, stats, size: str
) -> None:
    """Run every query once (also the warm-up), keep hits and statement counts."""
    for label, params in queries:
        found: list[int] = []
        statements = counter.of(lambda p=params, f=found: f.append(search(client, p)))
        stats[label].hits[size] = found[0]
        stats[label].statements[size] = statements


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def measure(client: FlaskClient, queries, requests: int, stats) -> tuple[list, list, bool]:
    """Alternate search and /health (which goes first alternates too); times in ms."""
    searches, healths = [], []
    deadline = time.perf_counter() + TIME_LIMIT_S
    for i in range(requests):
        if time.perf_counter() > deadline:
            return searches, healths, True
        label, params = queries[i % len(queries)]
        steps = [("search", lambda p=params: search(client, p)), ("health", lambda: health(client))]
        for kind, action in steps if i % 2 == 0 else reversed(steps):
            ms = timed(action)
            if kind == "search":
                searches.append(ms)
                stats[label].times.append(ms)
            else:
                healths.append(ms)
    return searches, healths, False


# --- one database ---------------------------------------------------------------------


@dataclass
class Result:
    database: str
    orgs: int = 0
    contacts: int = 0
    fill_s: float = 0.0
    rows: int = 0
    search_ms: list[float] = field(default_factory=list)
    health_ms: list[float] = field(default_factory=list)
    stopped_early: bool = False
    stats: dict[str, QueryStats] = field(default_factory=lambda: defaultdict(QueryStats))


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def prepare(url: str) -> Flask:
    app = create_app(TestConfig(url))
    with app.app_context():
        upgrade()
        auth.create_user(USERNAME, f"{USERNAME}@example.org", "Bench", PASSWORD)
    return app


def run_database(name: str, url: str, scale: Scale) -> Result:
    result = Result(name, orgs=scale.orgs, contacts=scale.orgs * CONTACTS_PER_ORG)
    print(f"\n=== {name}: {url}")
    app = prepare(url)
    client = app.test_client()
    sign_in(client)
    with app.app_context():
        focus_ids = {a.key: a.id for a in db.session.scalars(sa.select(FocusArea))}
        queries = [(label, resolve(params, focus_ids)) for label, params in QUERIES]
        counter = StatementCounter(db.engine)
        fill(SMALL_ORGS)
        after_fill()
    count_statements(client, counter, queries, result.stats, "small")
    with app.app_context():
        empty_directory()
        start = time.perf_counter()
        result.rows = fill(scale.orgs)
        after_fill()
        result.fill_s = time.perf_counter() - start
    print(
        f"filled {scale.orgs:,} organisations, {result.contacts:,} contacts "
        f"({result.rows:,} rows) in {result.fill_s:.1f} s, incl. ANALYZE"
    )
    count_statements(client, counter, queries, result.stats, "big")
    result.search_ms, result.health_ms, result.stopped_early = measure(
        client, queries, scale.requests, result.stats
    )
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
    return "met" if percentile(result.search_ms, 95) < TARGET_P95_MS else "MISSED"


def statements_same(stats: QueryStats) -> str:
    return "same" if stats.statements["small"] == stats.statements["big"] else "DIFFERENT"


def report_database(result: Result) -> None:
    s50, s95 = percentile(result.search_ms, 50), percentile(result.search_ms, 95)
    h50, h95 = percentile(result.health_ms, 50), percentile(result.health_ms, 95)
    print(
        f"\n{'query (slowest first)':<26} {'hits':>7} {'p50 ms':>8} {'max ms':>8}"
        f" {'hits/stmts small':>16} {'stmts':>5}"
    )
    for label, stats in sorted(
        result.stats.items(), key=lambda item: -percentile(item[1].times, 50)
    ):
        print(
            f"{label:<26} {stats.hits['big']:>7} {percentile(stats.times, 50):>8.1f} "
            f"{max(stats.times, default=0):>8.1f} "
            f"{stats.hits['small']:>10}/{stats.statements['small']:<5} "
            f"{stats.statements['big']:>5}"
        )
    print(
        "(stmts: SQL statements of one request; with no hit on the small state fewer rows "
        "are loaded, and a page past the end is asked for twice)"
    )
    print(
        f"\n{len(result.search_ms)} search + {len(result.health_ms)} health requests"
        + (f" (stopped at the {TIME_LIMIT_S:.0f} s limit)" if result.stopped_early else "")
    )
    print(f"search fragment  p50 {s50:7.1f} ms   p95 {s95:7.1f} ms")
    print(f"/health          p50 {h50:7.1f} ms   p95 {h95:7.1f} ms")
    print(f"ratio search/health  p50 {s50 / h50:5.1f}x   p95 {s95 / h95:5.1f}x")
    print(f"target: search p95 under {TARGET_P95_MS:.0f} ms: {verdict(result)}")
    count = result.stats[COUNT_QUERY]
    print(
        f"SQL statements per search '{COUNT_QUERY}': {count.statements['small']} at "
        f"{SMALL_ORGS * CONTACTS_PER_ORG} contacts, {count.statements['big']} at "
        f"{result.contacts:,} contacts: {statements_same(count)}"
    )


def summary(results: list[Result], skipped: list[str], total_s: float) -> None:
    print(f"\n=== Summary, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {platform.platform()}")
    header = (
        f"{'database':<11} {'contacts':>8} {'fill s':>7} {'search p50':>10} {'p95':>6} "
        f"{'health p50':>10} {'p95':>5} {'ratio p50':>9} {'p95':>6} {'p95<30ms':>8} "
        f"{'stmts 100/100k':>15}"
    )
    print(header)
    for r in results:
        s50, s95 = percentile(r.search_ms, 50), percentile(r.search_ms, 95)
        h50, h95 = percentile(r.health_ms, 50), percentile(r.health_ms, 95)
        count = r.stats[COUNT_QUERY]
        small, big = count.statements["small"], count.statements["big"]
        statements = f"{small}/{big} {statements_same(count)}"
        print(
            f"{r.database:<11} {r.contacts:>8,} {r.fill_s:>7.1f} {s50:>10.1f} {s95:>6.1f} "
            f"{h50:>10.2f} {h95:>5.2f} {s50 / h50:>8.1f}x {s95 / h95:>5.1f}x "
            f"{verdict(r):>8} {statements:>15}"
        )
    for line in skipped:
        print(line)
    print(f"times in ms, in-process (Flask test client); whole run {total_s:.0f} s")


def databases(tmp: str) -> Iterator[tuple[str, str | None, str]]:
    """(name, url or None, problem) of each database to measure."""
    yield "sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", ""
    problem = reset_postgres()
    yield "postgresql", None if problem else POSTGRES_URL, problem or ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x less data, 60 requests")
    scale = QUICK if parser.parse_args().quick else FULL
    started = time.perf_counter()
    results, skipped = [], []
    with tempfile.TemporaryDirectory(prefix="kimweb-bench-") as tmp:
        for name, url, problem in databases(tmp):
            if url is None:
                print(f"\n=== {name}: skipped: {problem}")
                skipped.append(f"{name:<11} skipped: {problem}")
                continue
            results.append(run_database(name, url, scale))
    summary(results, skipped, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
