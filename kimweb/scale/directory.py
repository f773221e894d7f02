"""Scale data of the directory: organisations of the Kreis Düren, each with contact persons,
their municipalities, focus areas and languages, and the search index rows.

Invented, varied German data (names of many origins, umlauts, ß, Turkish letters); the
index text is made by the app's own ``services.organisation_text`` and
``services.contact_text``, the rows as ``services._upsert`` writes them (the database's
FTS5 triggers or generated column do the rest). Invented people only.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from kimweb.directory import services
from kimweb.directory.models import (
    Contact,
    ContactLanguage,
    FocusArea,
    Organisation,
    OrganisationLanguage,
    OrganisationMunicipality,
    SearchEntry,
    organisation_focus,
)
from kimweb.directory.search import fold
from kimweb.directory.vocabulary import LANGUAGE_CODES, MUNICIPALITIES
from kimweb.extensions import db
from kimweb.scale import bulk

CONTACTS_PER_ORGANISATION = 5
ORGANISATIONS_PER_CHUNK = 1_000  # made and inserted at a time, so memory stays small

# The tables written, parents first.
TABLES = (
    Organisation.__table__,
    OrganisationMunicipality.__table__,
    organisation_focus,
    OrganisationLanguage.__table__,
    Contact.__table__,
    ContactLanguage.__table__,
    SearchEntry.__table__,
)

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


# --- invented entries -------------------------------------------------------------------


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def some_languages(rng: random.Random, most: int) -> list[str]:
    extra = rng.choices(OTHER_LANGUAGES, LANGUAGE_WEIGHTS, k=rng.randint(0, most))
    return list(dict.fromkeys(["de", *extra]))


def some_date(rng: random.Random, today: date) -> date:
    return today - timedelta(days=rng.randint(0, 700))


def invent_organisation(
    rng: random.Random, org_id: int, areas: list[FocusArea], today: date
) -> SimpleNamespace:
    """An organisation with what ``services.organisation_text`` reads of one."""
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
        verified_on=some_date(rng, today),
        is_archived=rng.random() < 0.02,
        domain=domain,
    )


def invent_contact(
    rng: random.Random, contact_id: int, org: SimpleNamespace, today: date
) -> SimpleNamespace:
    """A contact person with what ``services.contact_text`` reads of one."""
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
        verified_on=some_date(rng, today),
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


def search_row(org: SimpleNamespace, contact: SimpleNamespace | None, body: str) -> dict:
    """One ``directory_search`` row, as ``services._upsert`` writes it."""
    target = contact or org
    return {
        "organisation_id": org.id,
        "contact_id": contact.id if contact else None,
        "sort_key": fold(target.name)[:200],
        "body": body,
        "is_archived": org.is_archived or (contact is not None and contact.is_archived),
        "verified_on": target.verified_on,
    }


def add_organisation(
    rows: bulk.Rows,
    rng: random.Random,
    areas: list[FocusArea],
    contacts_per_org: int,
    now: datetime,
) -> None:
    """Queue an organisation with its contact persons and their search rows (the
    organisation's first, then its contacts', in that order)."""
    today = now.date()
    org = invent_organisation(rng, rows.new_id(Organisation.__table__), areas, today)
    org_text = services.organisation_text(org)
    rows.add(Organisation.__table__, organisation_row(org, now))
    served = OrganisationMunicipality.__table__
    for town in org.municipalities:
        rows.add(served, {"organisation_id": org.id, "municipality": town})
    for area in org.focus_areas:
        rows.add(organisation_focus, {"organisation_id": org.id, "focus_area_id": area.id})
    for code in org.languages:
        rows.add(OrganisationLanguage.__table__, {"organisation_id": org.id, "language": code})
    rows.add(SearchEntry.__table__, search_row(org, None, org_text))
    for _ in range(contacts_per_org):
        contact = invent_contact(rng, rows.new_id(Contact.__table__), org, today)
        rows.add(Contact.__table__, contact_row(contact, now))
        for code in contact.languages:
            rows.add(ContactLanguage.__table__, {"contact_id": contact.id, "language": code})
        body = services.contact_text(contact, org_text)
        rows.add(SearchEntry.__table__, search_row(org, contact, body))


def focus_areas_for_text() -> list[FocusArea]:
    """The focus areas as transient objects: ``label`` works, nothing joins the session."""
    rows = db.session.execute(
        sa.select(FocusArea.id, FocusArea.key, FocusArea.custom_label).order_by(FocusArea.id)
    )
    return [FocusArea(id=r.id, key=r.key, custom_label=r.custom_label) for r in rows]


def seed_directory(
    organisations: int,
    rng: random.Random,
    contacts_per_org: int = CONTACTS_PER_ORGANISATION,
) -> dict[str, int]:
    """``organisations`` organisations with ``contacts_per_org`` contact persons each, by
    bulk insert (commits; the focus areas must exist). Returns the rows written per table."""
    areas = focus_areas_for_text()
    if not areas:
        raise RuntimeError("No focus areas: run the migrations first.")
    rows = bulk.Rows(TABLES)
    now = datetime.now(UTC)
    for number in range(1, organisations + 1):
        add_organisation(rows, rng, areas, contacts_per_org, now)
        if number % ORGANISATIONS_PER_CHUNK == 0:
            rows.write()
    return rows.finish()
