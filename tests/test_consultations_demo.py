"""The timetable's demo data: real kinds of places and offers, invented details."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from kimweb.consultations import services
from kimweb.consultations.demo import seed_consultations
from kimweb.consultations.models import OFFER_KINDS, Location, Offer, Slot, SlotException
from kimweb.directory.demo import seed_directory
from kimweb.directory.models import FocusArea, Organisation
from kimweb.directory.vocabulary import LANGUAGE_CODES, MUNICIPALITIES
from kimweb.extensions import db

TODAY = date(2026, 11, 23)
EXAMPLE_EMAIL = re.compile(r"^[\w.+-]+@([\w-]+\.)*[\w-]+\.example$")


@pytest.fixture
def seeded(app_ctx) -> tuple[int, int, int]:
    seed_directory(None)
    return seed_consultations(today=TODAY)


def all_of(model) -> list:
    return list(db.session.scalars(sa.select(model)))


def test_counts(seeded):
    locations, offers, slots = seeded
    assert 12 <= locations <= 16
    assert 25 <= offers <= 35
    assert 60 <= slots <= 100
    assert (len(all_of(Location)), len(all_of(Offer)), len(all_of(Slot))) == seeded


def test_every_kind_of_offer_and_valid_vocabulary(seeded):
    offers = all_of(Offer)
    assert {offer.kind for offer in offers} == set(OFFER_KINDS)
    assert all(offer.topics and offer.languages for offer in offers)
    assert {code for offer in offers for code in offer.languages} <= set(LANGUAGE_CODES)
    assert {location.municipality for location in all_of(Location)} <= set(MUNICIPALITIES)
    slots = all_of(Slot)
    assert any(slot.weeks for slot in slots)
    assert any(slot.valid_from for slot in slots)
    assert any(slot.valid_until for slot in slots)
    assert all((slot.location_id is None) == (slot.offer.kind == "phone") for slot in slots)


def test_ki_office_hours(seeded):
    ki = db.session.scalars(
        sa.select(Offer)
        .join(Offer.organisation)
        .where(Organisation.name == "Kommunales Integrationszentrum Kreis Düren")
    ).all()
    assert {offer.kind for offer in ki} >= {"walk_in", "phone"}
    offer = next(offer for offer in ki if offer.kind == "walk_in")
    hours = {(slot.weekday, slot.start_time, slot.end_time) for slot in offer.slots}
    assert (4, time(8), time(13)) in hours
    assert {(day, time(8), time(16)) for day in range(4)} <= hours
    assert {slot.location.street for slot in offer.slots} == {"Bismarckstr. 16"}
    assert {slot.location.postal_code for slot in offer.slots} == {"52351"}


def test_walk_in_hours_for_residence_in_juelich(seeded):
    residence = db.session.scalar(sa.select(FocusArea.id).where(FocusArea.key == "residence"))
    filters = services.TimetableFilter(municipality="Jülich", topic=residence, kind="walk_in")
    slots = services.load_slots(filters)
    assert slots
    assert 0 in {slot.weekday for slot in slots}  # one on a Monday


def test_cancellation_next_week_and_statuses(seeded):
    cancelled = db.session.scalars(
        sa.select(SlotException).where(
            SlotException.is_cancelled,
            SlotException.date.between(TODAY + timedelta(days=7), TODAY + timedelta(days=13)),
        )
    ).all()
    assert cancelled
    assert all(exception.reason for exception in all_of(SlotException))
    slots = services.load_slots(services.TimetableFilter())
    found = services.occurrences(slots, TODAY, TODAY + timedelta(days=13))
    assert {"cancelled", "changed", "regular"} <= {o.status for o in found}


def test_only_fictional_contact_data(seeded):
    for offer in all_of(Offer):
        assert "555" in offer.phone, offer.title
        assert EXAMPLE_EMAIL.match(offer.email), offer.email
