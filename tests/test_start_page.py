"""The staff start page: next meetings, open tasks, this week's events, shared minutes,
needs waiting for the coordination, each only with what the reader may see.

Data is built with the meetings' and the calendar's services. The people read the pages in
English, so that texts can be asserted on.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from kimweb.auth.models import User
from kimweb.calendar import services as calendar
from kimweb.extensions import db
from kimweb.meetings import services as meetings
from kimweb.meetings.models import BERLIN, Meeting
from kimweb.pages import services
from tests.conftest import login


def local(days: int, hour: int) -> datetime:
    """``hour`` o'clock in Düren, ``days`` from today."""
    day = meetings.now_in_berlin().date() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=BERLIN)


def meeting_with_item(body, when: datetime, user: User, title: str) -> tuple[Meeting, object]:
    meeting = meetings.create_meeting(body, when, when + timedelta(hours=2), "Kreishaus Düren")
    item = meetings.add_item(meeting, user, {"title": title})
    meetings.publish(meeting)
    return meeting, item


@pytest.fixture
def world(app, make_user):
    """Jour fixe (organiser Ottilie, member Mirjam) and Lenkungsgruppe (member Lennart),
    each with a meeting next week and a past one with circulated minutes; Mirjam has an
    overdue task; a need raised in the Jour fixe; a training today. Olga belongs to no
    body, Adele is an admin."""
    names = ("ottilie", "mirjam", "lennart", "olga")
    people = {name: make_user(name, language="en") for name in names}
    people["adele"] = make_user("adele", role="admin", language="en")
    with app.app_context():
        user = {name: db.session.get(User, person.id) for name, person in people.items()}
        jour_fixe, steering = meetings.ensure_bodies()[:2]
        meetings.set_membership(jour_fixe, user["ottilie"], "organiser")
        meetings.set_membership(jour_fixe, user["mirjam"], "member")
        meetings.set_membership(steering, user["lennart"], "member")

        meeting_with_item(jour_fixe, local(7, 10), user["ottilie"], "Wohnraum in Jülich")
        past, item = meeting_with_item(
            jour_fixe, local(-14, 10), user["ottilie"], "Sprachkurse im Nordkreis"
        )
        meetings.add_outcome(
            item,
            {
                "kind": "task",
                "text": "Liste der Sprachkurse verschicken",
                "assignee_id": user["mirjam"].id,
                "due_date": date.today() - timedelta(days=1),
            },
            user["ottilie"],
        )
        meetings.change_minutes_state(past, "circulate", user["ottilie"])

        meeting_with_item(steering, local(8, 14), user["lennart"], "Haushaltsplanung")
        secret, _item = meeting_with_item(
            steering, local(-10, 14), user["lennart"], "Vertrauliche Steuerung"
        )
        meetings.change_minutes_state(secret, "circulate", user["adele"])

        meetings.raise_need(
            {"title": "Kinderbetreuung während der Kurse", "description": "Fehlt im Nordkreis"},
            jour_fixe,
            user["mirjam"],
        )
        today = date.today()
        calendar.save_event(
            None,
            {"title": "Fortbildung Aufenthaltsrecht", "category": "training", "is_public": False},
            (today, time(10), today, time(11)),
            None,
            user["ottilie"],
        )
        return SimpleNamespace(people=people, past=past.id, secret=secret.id)


def start_page(client, world, name: str) -> str:
    assert login(client, world.people[name].username).status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(html: str, heading_id: str) -> str:
    """The HTML of the section labelled by the heading ``heading_id``."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', html, re.S
    )
    assert match, f"no section #{heading_id}"
    return match.group(1)


def test_every_section_for_a_member(client, world):
    html = start_page(client, world, "mirjam")

    meetings_part = section(html, "meetings-heading")
    assert "<h2" in meetings_part and "My next meetings" in meetings_part
    assert "Jour fixe Case-Management" in meetings_part
    assert "Kreishaus Düren" in meetings_part

    tasks = section(html, "tasks-heading")
    assert "Liste der Sprachkurse verschicken" in tasks
    assert "overdue" in tasks
    assert 'href="/meetings/tasks"' in tasks

    week = section(html, "week-heading")
    monday = date.today() - timedelta(days=date.today().weekday())
    year, number, _day = monday.isocalendar()
    assert "Fortbildung Aufenthaltsrecht" in week
    assert f'href="/calendar/?week={year}-W{number:02d}"' in week

    minutes = section(html, "minutes-heading")
    assert f'href="/meetings/{world.past}/minutes"' in minutes
    assert "circulated" in minutes

    # Existing parts stay; a member is no coordinator.
    assert 'id="check-heading"' in html and 'id="exceptions-heading"' in html
    assert 'id="needs-heading"' not in html


def test_steering_group_is_hidden_from_non_members(client, world):
    html = start_page(client, world, "olga")
    # Olga belongs to no body: the next meetings of every body she may see.
    assert "Jour fixe Case-Management" in section(html, "meetings-heading")
    assert "Lenkungsgruppe" not in html
    assert f"/meetings/{world.secret}/" not in html

    html = start_page(client, world, "lennart")
    mine = section(html, "meetings-heading")
    # Lennart's next meetings are those of his own body only.
    assert "Lenkungsgruppe" in mine and "Jour fixe" not in mine
    assert f'href="/meetings/{world.secret}/minutes"' in section(html, "minutes-heading")


def test_needs_only_for_coordinators(client, world):
    for name in ("ottilie", "adele"):
        needs = section(start_page(client, world, name), "needs-heading")
        assert "Kinderbetreuung während der Kurse" in needs
        assert 'href="/meetings/needs?status=raised"' in needs
    for name in ("mirjam", "olga"):
        assert "Kinderbetreuung" not in start_page(client, world, name)


def test_empty_states(client, make_user):
    user = make_user("neu", language="en")
    assert login(client, user.username).status_code == 302
    html = client.get("/").get_data(as_text=True)
    for text in (
        "No meetings planned.",
        "You have no open tasks.",
        "No events this week.",
        "No minutes shared yet.",
    ):
        assert text in html, text


def test_week_without_holidays_and_overdue_tasks(app_ctx, world):
    mirjam = db.session.get(User, world.people["mirjam"].id)
    christmas_week = datetime(2026, 12, 24, 9, tzinfo=BERLIN)
    page = services.start_page(mirjam, christmas_week)
    assert page.week_key == "2026-W52"
    assert all(entry.kind != calendar.HOLIDAY for entry in page.week_entries)

    page = services.start_page(mirjam, meetings.now_in_berlin())
    assert [task.text for task in page.tasks] == ["Liste der Sprachkurse verschicken"]
    assert page.is_overdue(page.tasks[0]) and page.task_count == 1
    assert page.needs is None


def test_recent_minutes_newest_first_without_drafts(app_ctx, world):
    ottilie = db.session.get(User, world.people["ottilie"].id)
    jour_fixe = meetings.ensure_bodies()[0]
    draft, _item = meeting_with_item(jour_fixe, local(-3, 10), ottilie, "Noch ein Entwurf")
    later, _item = meeting_with_item(jour_fixe, local(-30, 10), ottilie, "Spät verteilt")
    meetings.change_minutes_state(later, "circulate", ottilie)

    shown = services.recent_minutes(ottilie)
    assert [m.id for m in shown] == [later.id, world.past]  # no steering group, no draft
    assert draft.id not in {m.id for m in shown}

    adele = db.session.get(User, world.people["adele"].id)
    assert {m.id for m in services.recent_minutes(adele)} == {later.id, world.past, world.secret}
