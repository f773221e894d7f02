"""The directory's demo data: enough of everything to try each feature, nothing real."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from kimweb.directory import services
from kimweb.directory.demo import seed_directory
from kimweb.directory.models import Change, Contact, FocusArea, Organisation, SearchEntry
from kimweb.directory.vocabulary import MUNICIPALITIES, ORGANISATION_KINDS
from kimweb.extensions import db

EXAMPLE_EMAIL = re.compile(r"^[\w.+-]+@([\w-]+\.)*[\w-]+\.example$")


@pytest.fixture
def seeded(app_ctx, make_user) -> tuple[int, int]:
    return seed_directory(make_user("seeder"))


def all_of(model) -> list:
    return list(db.session.scalars(sa.select(model)))


def hits(query: services.DirectoryQuery) -> list[SearchEntry]:
    return list(db.session.scalars(services.search_query(query)))


def test_counts(seeded):
    organisations, contacts = seeded
    assert 25 <= organisations <= 40
    assert 50 <= contacts <= 80
    assert len(all_of(Organisation)) == organisations
    assert len(all_of(Contact)) == contacts
    created = db.session.scalar(
        sa.select(sa.func.count(Change.id)).where(Change.action == "created")
    )
    assert created == organisations + contacts


def test_every_kind_and_every_municipality(seeded):
    organisations = all_of(Organisation)
    assert {org.kind for org in organisations} == set(ORGANISATION_KINDS)
    served = {name for org in organisations if not org.is_archived for name in org.municipalities}
    assert served == set(MUNICIPALITIES)


def test_caritas_with_psychosocial_counselling_in_nideggen(seeded):
    psychosocial = db.session.scalar(sa.select(FocusArea.id).where(FocusArea.key == "psychosocial"))
    query = services.DirectoryQuery(q="cari", municipality="Nideggen", focus=psychosocial)
    found = services.load_hits(hits(query))
    assert any(hit.contact is None for hit in found)
    assert all("Caritas" in hit.organisation.name for hit in found)
    # Psychosocial counselling only serves Düren, Heimbach, Nideggen, Kreuzau,
    # Hürtgenwald and Vettweiß.
    assert not hits(services.DirectoryQuery(focus=psychosocial, municipality="Jülich"))


def test_some_entries_need_checking(seeded):
    stale = hits(services.DirectoryQuery(needs_check=True))
    assert any(entry.contact_id is None for entry in stale)
    assert any(entry.contact_id is not None for entry in stale)
    assert len(stale) < 15


def test_archived_organisation_and_person(seeded):
    archived = hits(services.DirectoryQuery(archived=True))
    organisations = [entry for entry in archived if entry.contact_id is None]
    assert len(organisations) == 1
    people = [entry for entry in archived if entry.contact_id is not None]
    assert any(entry.organisation_id != organisations[0].organisation_id for entry in people)
    assert any(entry.organisation_id == organisations[0].organisation_id for entry in people)


def test_about_a_third_may_be_published(seeded):
    contacts = all_of(Contact)
    published = sum(contact.is_publishable for contact in contacts)
    assert 0.2 <= published / len(contacts) <= 0.45


def test_no_real_addresses_or_numbers(seeded):
    entries = [*all_of(Organisation), *all_of(Contact)]
    emails = [entry.email for entry in entries if entry.email]
    assert emails
    assert [email for email in emails if not EXAMPLE_EMAIL.match(email)] == []
    phones = [entry.phone for entry in entries] + [c.mobile for c in all_of(Contact)]
    assert [phone for phone in phones if phone and "555" not in phone] == []
    websites = [org.website for org in all_of(Organisation) if org.website]
    assert all(re.match(r"^https://[\w.-]+\.example(/|$)", url) for url in websites)
