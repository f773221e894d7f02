"""Scale data (``kimweb.scale``, ``flask kim seed-scale``) at a tiny factor: every table
filled, the counts true, the ids continuing after it, and the main pages working on it."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from markupsafe import escape

from kimweb import demo
from kimweb.calendar.models import Event
from kimweb.cli import kim
from kimweb.consultations.models import Location
from kimweb.directory.models import Contact, Organisation
from kimweb.extensions import db
from kimweb.meetings.models import AgendaItem, Body, Meeting
from kimweb.scale import FULL, seed_scale, sizes
from tests.conftest import login

TINY = 0.002
STAFF_NAME = next(name for user, name, _role in demo.DEMO_USERS if user == "staff")
# Every table the scale data is about: each must get rows even at the tiny factor.
TABLES = {
    "users", "organisations", "organisation_municipalities", "organisation_focus_areas",
    "organisation_languages", "contacts", "contact_languages", "directory_search",
    "consultation_locations", "consultation_offers", "consultation_offer_topics",
    "consultation_offer_languages", "consultation_slots", "consultation_exceptions",
    "body_memberships", "meetings", "minutes_events", "agenda_items",
    "agenda_item_revisions", "meeting_outcomes", "meeting_search", "events",
    "event_exceptions",
}  # fmt: skip


def rows_in(table: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(sa.table(table)))


def test_sizes_scale_with_the_factor():
    assert sizes(1.0) == FULL
    assert sizes(0.1)["organisations"] == 2_000
    tiny = sizes(TINY)
    assert all(n >= 1 for n in tiny.values()) and tiny["series"] >= 2


def test_seed_scale_fills_every_table_and_the_pages_work(app, client):
    with app.app_context():
        counts = seed_scale(factor=TINY)
        assert set(counts) == TABLES
        assert {table: rows_in(table) for table in TABLES} == counts
        assert all(counts[table] > 0 for table in TABLES), counts
        size = sizes(TINY)
        assert counts["organisations"] == size["organisations"]
        assert counts["contacts"] == 5 * size["organisations"]
        assert counts["directory_search"] == counts["organisations"] + counts["contacts"]
        assert counts["meetings"] == size["meetings"]
        assert counts["agenda_items"] == 10 * size["meetings"]
        assert counts["meeting_search"] == 2 * counts["agenda_items"]
        assert counts["events"] == size["events"]
        assert counts["consultation_slots"] == size["slots"]
        series = db.session.scalar(sa.select(sa.func.count()).where(Event.is_recurring))
        assert series == size["series"]
        pages = page_urls()
        # The ids of new rows continue after the scale data (PostgreSQL: the sequences).
        organisation = Organisation(name="Neu nach den Skalendaten")
        db.session.add(organisation)
        db.session.flush()
        assert organisation.id == counts["organisations"] + 1
        db.session.rollback()
    assert login(client, "staff", demo.DEMO_PASSWORD).status_code == 302
    for url, expected in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert escape(expected) in response.get_data(as_text=True), (url, expected)


def page_urls() -> list[tuple[str, str]]:
    """The main pages on the scale data, each with a text it must show (if any)."""
    contact = db.session.scalar(
        sa.select(Contact).where(Contact.archived_at.is_(None)).order_by(Contact.id).limit(1)
    )
    last_name = contact.name.split()[-1]
    held = db.session.scalar(  # a past meeting of the Jour fixe, which all staff may read
        sa.select(Meeting)
        .join(Body)
        .where(Body.is_open_to_staff, Meeting.minutes_state == "locked")
        .order_by(Meeting.start_dt.desc())
        .limit(1)
    )
    topic = db.session.scalar(
        sa.select(AgendaItem.title).where(
            AgendaItem.meeting_id == held.id, AgendaItem.kind == "topic"
        )
    )
    place = db.session.scalar(sa.select(Location).order_by(Location.id).limit(1))
    series = db.session.scalar(sa.select(Event).where(Event.is_recurring).order_by(Event.id))
    month = date(series.start_date.year, series.start_date.month, 1)
    return [
        (f"/directory/?q={last_name}", contact.name),
        (f"/directory/contacts/{contact.id}", contact.name),
        ("/consultations/", ""),
        (f"/consultations/locations/{place.id}", place.name),
        (f"/meetings/{held.id}", topic),
        (f"/meetings/{held.id}/minutes", topic),
        (f"/calendar/?month={month:%Y-%m}", series.title),
        ("/", STAFF_NAME),
        ("/search?q=beratung", "eratung"),
    ]


def test_seed_scale_refuses_a_database_with_data(app_ctx, make_user):
    make_user("schon-da")
    with pytest.raises(RuntimeError, match="not empty"):
        seed_scale(factor=TINY)
    assert rows_in("organisations") == 0


def test_cli_fills_an_empty_database_and_refuses_a_second_time(app):
    runner = app.test_cli_runner()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    result = runner.invoke(kim, ["seed-scale", "--factor", str(TINY), "--yes"])
    assert result.exit_code == 0, result.output
    shown = url.split("@")[-1]  # the URL is printed, a password hidden
    assert shown in result.output and "contacts" in result.output
    with app.app_context():
        assert rows_in("contacts") == 5 * sizes(TINY)["organisations"]
    again = runner.invoke(kim, ["seed-scale", "--factor", str(TINY), "--yes"])
    assert again.exit_code != 0 and "not empty" in again.output
    assert shown in again.output
    with app.app_context():
        assert rows_in("contacts") == 5 * sizes(TINY)["organisations"]


def test_cli_asks_before_filling(app):
    result = app.test_cli_runner().invoke(kim, ["seed-scale", "--factor", str(TINY)], input="n\n")
    assert result.exit_code != 0 and "Fill this database?" in result.output
    with app.app_context():
        assert rows_in("users") == 0
