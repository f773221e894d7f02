"""Scale data of the consultations: places across the Kreis Düren with offers of the
directory's organisations, their weekly times (some only in certain weeks or for a while)
and a few cancelled or changed dates in the coming week.

Few rows, so they go through the app's own ``services.save_location``, ``save_offer`` and
``save_exception``, as a person using the app would make them: the times are checked by
``services.slot_problems`` and the timetable's cache version is raised.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from datetime import time as clock
from types import SimpleNamespace

import sqlalchemy as sa

from kimweb.consultations import services
from kimweb.consultations.holidays import holiday_key
from kimweb.consultations.models import Offer
from kimweb.directory.models import FocusArea, Organisation
from kimweb.directory.vocabulary import LANGUAGE_CODES, MUNICIPALITIES
from kimweb.extensions import db

SLOTS_PER_OFFER = 3  # on different weekdays
EXCEPTIONS_PER_SLOT = 1 / 20  # dates in the coming week cancelled or changed

MUNICIPALITY_WEIGHTS = {"Düren": 10, "Jülich": 5}  # the others 1 each
STREETS = (
    "Bismarckstraße", "Kölnstraße", "Schenkelstraße", "Hauptstraße", "Kirchstraße",
    "Marktplatz", "Bahnhofstraße", "Römerstraße", "Rathausstraße", "Große Rurstraße",
)  # fmt: skip
KINDS_OF_PLACE = (
    "Rathaus", "Bürgerbüro", "Beratungszentrum", "Familienzentrum", "Gemeindehaus",
    "Begegnungsstätte", "Stadtteilbüro", "Integrationspunkt",
)  # fmt: skip
OFFER_TITLES = (
    "Offene Sprechstunde Migrationsberatung", "Willkommensberatung", "Sprechstunde Beruf",
    "Beratung Aufenthaltsrecht", "Telefonsprechstunde", "Frauencafé mit Beratung",
    "Sprechstunde Anerkennung", "Jugendmigrationsdienst", "Sozialberatung",
    "Beratung für Geflüchtete", "Sprechstunde Wohnen", "Elternberatung",
)  # fmt: skip
REASONS = ("Urlaub", "Fortbildung des Teams", "Krankheit", "Teamsitzung", "Betriebsausflug")


def invent_place(rng: random.Random, number: int, weights: list[int]) -> dict:
    town = rng.choices(MUNICIPALITIES, weights)[0]
    return {
        "name": f"{rng.choice(KINDS_OF_PLACE)} {town} {number}",
        "street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        "postal_code": "52351",
        "town": town,
        "municipality": town,
        "room": f"Erdgeschoss, Raum {rng.randint(1, 40)}",
        "is_step_free": rng.random() < 0.7,
        "accessibility_notes": "Klingel am Eingang" if rng.random() < 0.3 else None,
        "transit_hint": f"Bus {rng.randint(200, 299)}, Haltestelle {town} Mitte",
    }


def invent_offer(
    rng: random.Random, number: int, place_name: str, organisations: list[int], topics: list[int]
) -> dict:
    kind = rng.choices(("walk_in", "appointment", "phone"), (6, 3, 1))[0]
    return {
        "organisation_id": rng.choice(organisations),
        "title": f"{rng.choice(OFFER_TITLES)} {place_name}",
        "kind": kind,
        "topic_ids": rng.sample(topics, rng.randint(1, 3)),
        "languages": ["de", *rng.sample(LANGUAGE_CODES[1:12], rng.randint(1, 4))],
        "target_groups": "Zugewanderte im Kreis Düren",
        "phone": f"02421 555-{rng.randint(100, 999)}",
        "email": f"beratung{number}@example.org",
        "notes": "Bitte bringen Sie Ihre Unterlagen mit." if rng.random() < 0.5 else None,
    }


def invent_times(rng: random.Random, location_id: int, count: int, today: date) -> list[dict]:
    """``count`` weekly times on different weekdays, so that they never overlap."""
    times = []
    for weekday in sorted(rng.sample(range(6), count)):
        start = rng.choice((8, 9, 9, 10, 13, 14, 15))
        length = rng.choice((1, 2, 2, 3, 4))
        weeks = rng.choice(((), (), (), (), (), (1, 3), (2, 4)))
        times.append(
            {
                "location_id": location_id,
                "weekday": weekday,
                "start_time": clock(start, rng.choice((0, 30))),
                "end_time": clock(min(start + length, 18), 0),
                "valid_from": today - timedelta(days=14) if rng.random() < 0.1 else None,
                "valid_until": today + timedelta(days=60) if rng.random() < 0.1 else None,
                "weeks": list(weeks),
            }
        )
    return times


def seed_consultations(places: int, slots: int, rng: random.Random, today: date) -> dict[str, int]:
    """``places`` places and offers with ``slots`` weekly times in all (three an offer,
    the offers going round the places), about one time in twenty with an exception soon
    after ``today``. Needs organisations and focus areas. Returns the rows per table."""
    organisations = list(db.session.scalars(sa.select(Organisation.id).order_by(Organisation.id)))
    topics = list(db.session.scalars(sa.select(FocusArea.id).order_by(FocusArea.id)))
    if not organisations or not topics:
        raise RuntimeError("Consultation offers need organisations and focus areas first.")
    weights = [MUNICIPALITY_WEIGHTS.get(town, 1) for town in MUNICIPALITIES]
    made = [services.save_location(None, invent_place(rng, n + 1, weights)) for n in range(places)]
    offers: list[Offer] = []
    written = {"consultation_offer_topics": 0, "consultation_offer_languages": 0}
    slot_count = 0
    while slot_count < slots:
        place = made[len(offers) % places]
        data = invent_offer(rng, len(offers), place.name, organisations, topics)
        times = invent_times(rng, place.id, min(SLOTS_PER_OFFER, slots - slot_count), today)
        problems = services.slot_problems([SimpleNamespace(**t) for t in times])
        if problems:
            raise RuntimeError(f"invented times do not pass the app's checks: {problems}")
        offers.append(services.save_offer(None, data, times))
        written["consultation_offer_topics"] += len(set(data["topic_ids"]))
        written["consultation_offer_languages"] += len(set(data["languages"]))
        slot_count += len(times)
    exceptions = add_exceptions(rng, offers, max(1, round(slots * EXCEPTIONS_PER_SLOT)), today)
    return {
        "consultation_locations": places,
        "consultation_offers": len(offers),
        "consultation_slots": slot_count,
        "consultation_exceptions": exceptions,
        **written,
    }


def add_exceptions(rng: random.Random, offers: list[Offer], wanted: int, today: date) -> int:
    """Cancel or change the first date of an offer in the two weeks after ``today`` (not
    a holiday), offer after offer in random order, until ``wanted`` are made; how many."""
    made, first, last = 0, today + timedelta(days=1), today + timedelta(days=13)
    for offer in rng.sample(offers, len(offers)):
        if made == wanted:
            break
        due = [
            (day, slot)
            for slot in offer.slots
            for day in services.slot_dates(slot, first, last)
            if not holiday_key(day)
        ]
        if due:
            day, slot = min(due, key=lambda pair: (pair[0], pair[1].start_time))
            cancelled = rng.random() < 0.7
            start, end = (None, None) if cancelled else (slot.start_time, clock(18, 0))
            services.save_exception(slot, day, cancelled, rng.choice(REASONS), start, end)
            made += 1
    return made
