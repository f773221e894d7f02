"""Benchmark: server time of the directory search at 100,000 contact persons.

What it measures, per database (SQLite in a temp dir, then PostgreSQL ``kimweb_bench``):

1. The schema is built by the migrations and filled with 20,000 organisations and
   100,000 contact persons (invented, varied German data) by bulk inserts; the search
   index rows are computed by the app's own ``services.organisation_text`` and
   ``services.contact_text``. The time the fill took is printed.
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

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
from kimweb.directory import services  # noqa: E402
from kimweb.directory.models import (  # noqa: E402
    Contact,
    ContactLanguage,
    FocusArea,
    Organisation,
    OrganisationLanguage,
    OrganisationMunicipality,
    SearchEntry,
    organisation_focus,
)
from kimweb.directory.search import fold  # noqa: E402
from kimweb.directory.vocabulary import LANGUAGE_CODES, MUNICIPALITIES  # noqa: E402
from kimweb.extensions import db  # noqa: E402

POSTGRES_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
POSTGRES_DB = "kimweb_bench"
POSTGRES_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{POSTGRES_DB}"

TARGET_P95_MS = 30.0
TIME_LIMIT_S = 60.0  # for the timed requests of one database, whatever happens
BATCH = 5_000  # rows per INSERT executemany
ORGS_PER_CHUNK = 1_000  # organisations generated (and inserted) at a time
CONTACTS_PER_ORG = 5
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

# --- invented data ------------------------------------------------------------------

FIRST_NAMES = (
    "Anna", "Andreas", "Ahmad", "Aylin", "Birgit", "Bernd", "Claudia", "Christian", "Daniela",
    "Dirk", "Elena", "Emre", "Fatma", "Frank", "Gabriele", "Hans", "Hatice", "Ines", "Jan",
    "Jörg", "Julia", "Karin", "Klaus", "Lena", "Lukas", "Maria", "Markus", "Mehmet", "Monika",
    "Nadia", "Natalia", "Olga", "Oksana", "Peter", "Petra", "Rania", "Sabine", "Stefan",
    "Şükrü", "Tanja", "Thomas", "Ursula", "Uwe", "Vesna", "Walter", "Yasemin", "Yusuf",
    "Zeynep", "Jürgen", "Björn", "Sören", "Dragan", "Mariam", "Omar", "Halyna", "Ioana",
)  # fmt: skip
LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
    "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
    "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange", "Schmitz", "Krause",
    "Lehmann", "Köhler", "König", "Fuchs", "Peters", "Möller", "Weiß", "Jansen", "Esser",
    "Dahmen", "Lennartz", "Kreutzer", "Offermann", "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik",
    "Öztürk", "Haddad", "Nasser", "Kovalenko", "Shevchenko", "Popescu", "Nowak", "Kowalski",
    "Ivanova", "Petrović", "Hosseini", "Rahimi",
)  # fmt: skip
CARRIERS = (
    ("Caritasverband", "provider"), ("Diakonie", "provider"), ("AWO", "provider"),
    ("DRK-Kreisverband", "provider"), ("Der Paritätische", "provider"),
    ("Sozialdienst katholischer Frauen", "provider"), ("Stadtverwaltung", "municipality"),
    ("Gemeindeverwaltung", "municipality"), ("Jobcenter", "office"),
    ("Ausländerbehörde", "office"), ("Volkshochschule", "office"),
    ("Familienzentrum", "counselling"), ("Verbraucherzentrale", "counselling"),
    ("Frauenberatungsstelle", "counselling"),
    ("Deutsch-Türkischer Kulturverein", "migrant_organisation"),
    ("Ukrainischer Verein", "migrant_organisation"),
    ("Arabischer Elternverein", "migrant_organisation"),
    ("Flüchtlingshilfe", "other"), ("Bürgerstiftung", "other"), ("Sportverein", "other"),
)  # fmt: skip
SERVICES = (
    ("Migrationsberatung für Erwachsene", "MBE"), ("Jugendmigrationsdienst", "JMD"),
    ("Beratung für Geflüchtete", None), ("Integrationsagentur", "IA"),
    ("Psychosoziales Zentrum", "PSZ"), ("Sprachcafé", None),
    ("Servicestelle Antidiskriminierung", "SSA"), ("Schuldnerberatung", None),
    ("Beratungsstelle für Migrantinnen", None), ("Sozialberatung", None),
    ("Integrationskurse", None), ("Anerkennungsberatung", None), ("Ehrenamtskoordination", None),
    ("Familienbildung", None), ("Rückkehrberatung", None), ("Wohnraumvermittlung", None),
)  # fmt: skip
DISTRICTS = (
    "Birkesdorf", "Gürzenich", "Mariaweiler", "Rölsdorf", "Koslar", "Barmen", "Welldorf",
    "Lendersdorf", "Obermaubach", "Gey", "Vossenack", "Schmidt", "Hambach", "Kirchberg",
)  # fmt: skip
POSTAL_CODES = {
    "Aldenhoven": "52457", "Düren": "52351", "Heimbach": "52396", "Hürtgenwald": "52393",
    "Inden": "52459", "Jülich": "52428", "Kreuzau": "52372", "Langerwehe": "52379",
    "Linnich": "52441", "Merzenich": "52399", "Niederzier": "52382", "Nideggen": "52385",
    "Nörvenich": "52388", "Titz": "52445", "Vettweiß": "52391",
}  # fmt: skip
AREA_CODES = {
    "Aldenhoven": "02464", "Düren": "02421", "Heimbach": "02446", "Hürtgenwald": "02429",
    "Inden": "02465", "Jülich": "02461", "Kreuzau": "02422", "Langerwehe": "02423",
    "Linnich": "02462", "Merzenich": "02421", "Niederzier": "02428", "Nideggen": "02427",
    "Nörvenich": "02426", "Titz": "02463", "Vettweiß": "02424",
}  # fmt: skip
# Düren is the county town: most partners sit there.
TOWN_WEIGHTS = [6 if town == "Düren" else 2 if town == "Jülich" else 1 for town in MUNICIPALITIES]
STREETS = (
    "Bismarckstraße", "Kölner Landstraße", "Schenkelstraße", "Hauptstraße", "Kirchstraße",
    "Marktplatz", "Bahnhofstraße", "Römerstraße", "Am Ellernbusch", "Große Rurstraße",
    "Zehnthofstraße", "Josef-Schregel-Straße",
)  # fmt: skip
FUNCTIONS = (
    "Beraterin Migrationsberatung", "Berater für Geflüchtete", "Sozialarbeiterin",
    "Sozialpädagoge", "Leitung", "Stellvertretende Leitung", "Verwaltung", "Sekretariat",
    "Case-Management KIM", "Sprachmittlerin", "Psychotherapeutin", "Kursleitung Deutsch",
    "Ehrenamtskoordination", "Sachbearbeitung Aufenthalt", "Arbeitsvermittlung",
    "Beratung und Begleitung", "Teamassistenz",
)  # fmt: skip
OFFICE_HOURS = ("Mo–Do 8–16 Uhr, Fr 8–13 Uhr", "Di 9–12 Uhr", "nach Vereinbarung", "Mi 14–17 Uhr")
OTHER_LANGUAGES = LANGUAGE_CODES[1:]
LANGUAGE_WEIGHTS = [12 if i < 8 else 2 for i in range(len(OTHER_LANGUAGES))]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def some_languages(rng: random.Random, most: int) -> list[str]:
    extra = rng.choices(OTHER_LANGUAGES, LANGUAGE_WEIGHTS, k=rng.randint(0, most))
    return list(dict.fromkeys(["de", *extra]))


def some_date(rng: random.Random, today: date) -> date:
    return today - timedelta(days=rng.randint(0, 700))


def invent_organisation(rng: random.Random, org_id: int, areas: list[FocusArea]) -> SimpleNamespace:
    carrier, kind = rng.choice(CARRIERS)
    service, short = rng.choice(SERVICES)
    town = rng.choices(MUNICIPALITIES, TOWN_WEIGHTS)[0]
    place = rng.choice(DISTRICTS) if rng.random() < 0.2 else town
    served = [town, *rng.sample(MUNICIPALITIES, rng.choice((0, 0, 1, 2, 3)))]
    if rng.random() < 0.05:
        served = list(MUNICIPALITIES)
    domain = f"{slug(carrier)}-{slug(town)}.example"
    return SimpleNamespace(
        id=org_id,
        name=f"{carrier} {place} – {service}",
        short_name=short if short and rng.random() < 0.5 else None,
        kind=kind,
        street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        postal_code=POSTAL_CODES[town],
        town=town,
        phone=f"{AREA_CODES[town]} 555-{rng.randint(100, 9999)}",
        email=f"info@{domain}",
        website=f"https://www.{domain}",
        notes="Termine bitte telefonisch vereinbaren." if rng.random() < 0.3 else None,
        municipalities=list(dict.fromkeys(served)),
        focus_areas=sorted(rng.sample(areas, rng.randint(1, 3)), key=lambda a: a.id),
        languages=some_languages(rng, 3),
        verified_on=some_date(rng, date.today()),
        is_archived=rng.random() < 0.02,
        domain=domain,
    )


def invent_contact(rng: random.Random, contact_id: int, org: SimpleNamespace) -> SimpleNamespace:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    return SimpleNamespace(
        id=contact_id,
        organisation_id=org.id,
        name=f"{first} {last}",
        function=rng.choice(FUNCTIONS),
        room=f"Raum {rng.randint(1, 320)}" if rng.random() < 0.5 else None,
        phone=f"{org.phone[:-4]}{rng.randint(1000, 9999)}",
        mobile=f"0151 555-{rng.randint(1000, 9999)}" if rng.random() < 0.2 else None,
        email=f"{slug(first)}.{slug(last)}@{org.domain}",
        office_hours=rng.choice(OFFICE_HOURS) if rng.random() < 0.4 else None,
        is_publishable=rng.random() < 0.5,
        languages=some_languages(rng, 2),
        verified_on=some_date(rng, date.today()),
        is_archived=rng.random() < 0.03,
    )


# --- rows for the bulk inserts --------------------------------------------------------


def organisation_row(org: SimpleNamespace, now: datetime) -> dict:
    columns = ("id", "name", "short_name", "kind", "street", "postal_code", "town", "phone")
    return {
        **{name: getattr(org, name) for name in columns},
        **{"email": org.email, "website": org.website, "notes": org.notes},
        "verified_on": org.verified_on,
        "archived_at": now if org.is_archived else None,
        "created_at": now,
        "updated_at": now,
    }


def contact_row(contact: SimpleNamespace, now: datetime) -> dict:
    columns = ("id", "organisation_id", "name", "function", "room", "phone", "mobile")
    return {
        **{name: getattr(contact, name) for name in columns},
        "email": contact.email,
        "office_hours": contact.office_hours,
        "is_publishable": contact.is_publishable,
        "verified_on": contact.verified_on,
        "archived_at": now if contact.is_archived else None,
        "created_at": now,
        "updated_at": now,
    }


def search_row(row_id: int, org: SimpleNamespace, contact, body: str) -> dict:
    """One ``directory_search`` row, as ``services._upsert`` writes it."""
    target = contact or org
    return {
        "id": row_id,
        "organisation_id": org.id,
        "contact_id": contact.id if contact else None,
        "sort_key": fold(target.name)[:200],
        "body": body,
        "is_archived": org.is_archived or (contact is not None and contact.is_archived),
        "verified_on": target.verified_on,
    }


def chunk_rows(
    rng: random.Random, first_org: int, count: int, areas: list[FocusArea]
) -> dict[sa.Table, list[dict]]:
    """All rows of ``count`` organisations (ids from ``first_org``) and their contacts."""
    rows: dict[sa.Table, list[dict]] = defaultdict(list)
    now = datetime.now(UTC)
    for org_id in range(first_org, first_org + count):
        org = invent_organisation(rng, org_id, areas)
        org_text = services.organisation_text(org)
        rows[Organisation.__table__].append(organisation_row(org, now))
        for name in org.municipalities:
            rows[OrganisationMunicipality.__table__].append(
                {"organisation_id": org_id, "municipality": name}
            )
        for area in org.focus_areas:
            rows[organisation_focus].append({"organisation_id": org_id, "focus_area_id": area.id})
        for code in org.languages:
            rows[OrganisationLanguage.__table__].append(
                {"organisation_id": org_id, "language": code}
            )
        # Search row ids: organisation i gets 6i-5, its contacts the five after it.
        search_id = (org_id - 1) * (CONTACTS_PER_ORG + 1) + 1
        rows[SearchEntry.__table__].append(search_row(search_id, org, None, org_text))
        for n in range(CONTACTS_PER_ORG):
            contact = invent_contact(rng, (org_id - 1) * CONTACTS_PER_ORG + n + 1, org)
            rows[Contact.__table__].append(contact_row(contact, now))
            for code in contact.languages:
                rows[ContactLanguage.__table__].append({"contact_id": contact.id, "language": code})
            body = services.contact_text(contact, org_text)
            rows[SearchEntry.__table__].append(search_row(search_id + n + 1, org, contact, body))
    return rows


INSERT_ORDER = (
    Organisation.__table__,
    OrganisationMunicipality.__table__,
    organisation_focus,
    OrganisationLanguage.__table__,
    Contact.__table__,
    ContactLanguage.__table__,
    SearchEntry.__table__,
)


def insert_batches(connection: sa.Connection, table: sa.Table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        connection.execute(table.insert(), rows[start : start + BATCH])


def focus_areas_for_text() -> list[FocusArea]:
    """The focus areas as transient objects: ``label`` works, nothing joins the session."""
    rows = db.session.execute(sa.select(FocusArea.id, FocusArea.key, FocusArea.custom_label))
    areas = [FocusArea(id=r.id, key=r.key, custom_label=r.custom_label) for r in rows]
    db.session.rollback()
    return areas


def fill(org_count: int) -> int:
    """Fill the directory with ``org_count`` organisations (5 contacts each); rows written."""
    rng = random.Random(SEED)  # noqa: S311 - invented data, the same in every run
    areas = focus_areas_for_text()
    written = 0
    with db.engine.begin() as connection:
        for first in range(1, org_count + 1, ORGS_PER_CHUNK):
            rows = chunk_rows(rng, first, min(ORGS_PER_CHUNK, org_count - first + 1), areas)
            for table in INSERT_ORDER:
                insert_batches(connection, table, rows[table])
                written += len(rows[table])
    return written


def after_fill() -> None:
    """Sequences past the explicit ids (PostgreSQL), then fresh planner statistics."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            for table in ("organisations", "contacts", "directory_search"):
                connection.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        # VACUUM also merges the GIN pending list, as autovacuum would by now in production.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
    else:
        with db.engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))


def empty_directory() -> None:
    with db.engine.begin() as connection:
        for table in reversed(INSERT_ORDER):
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
