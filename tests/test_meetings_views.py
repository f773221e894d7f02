"""The meetings through the web: who sees what, series and meeting forms, agendas with htmx,
minutes with the lost-update guard, tasks, needs, search and ids out of range.

Data is built with ``kimweb.meetings.services``; every request goes through the test client.
The people of ``world`` read the pages in English, so that texts can be asserted on.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from babel.dates import format_date
from icalendar import Calendar

from kimweb.auth.models import User
from kimweb.consultations.holidays import nrw_holidays
from kimweb.directory import services as directory
from kimweb.directory.models import Contact
from kimweb.extensions import db
from kimweb.meetings import services
from kimweb.meetings.models import (
    BERLIN,
    AgendaItem,
    Attendance,
    Guest,
    Meeting,
    MinutesEvent,
    Need,
    Outcome,
)
from tests.conftest import csrf_token, login

GERMAN_DAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
HX = {"HX-Request": "true"}


# --- the world: bodies, people, a meeting of each body ---------------------------------


def local(days: int, hour: int, minute: int = 0) -> datetime:
    """``hour`` o'clock in Düren, ``days`` from today."""
    day = services.now_in_berlin().date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


@pytest.fixture
def world(app, make_user):
    """The Jour fixe (organiser Ottilie, members Mirjam and Malte) with a published meeting
    next week, 10:00-12:00 (minutes in draft); the Lenkungsgruppe (member Lennart) with a
    published meeting whose minutes are circulated; Olga is staff in no body, Adele admin."""
    roles = {"ottilie": "staff", "mirjam": "staff", "malte": "staff", "olga": "staff"}
    roles |= {"lennart": "staff", "adele": "admin"}
    people = {name: make_user(name, role=role, language="en") for name, role in roles.items()}
    with app.app_context():
        user = {name: db.session.get(User, person.id) for name, person in people.items()}
        jour_fixe, steering = services.ensure_bodies()[:2]
        services.set_membership(jour_fixe, user["ottilie"], "organiser")
        services.set_membership(jour_fixe, user["mirjam"], "member")
        services.set_membership(jour_fixe, user["malte"], "member")
        services.set_membership(steering, user["lennart"], "member")
        start = local(7, 10)
        meeting = services.create_meeting(jour_fixe, start, start + timedelta(hours=2), "Kreishaus")
        item = services.add_item(
            meeting, user["ottilie"], {"title": "Wohnraum in Jülich", "duration_min": 30}
        )
        services.publish(meeting)
        secret_meeting = services.create_meeting(
            steering, start, start + timedelta(hours=2), "Kreishaus"
        )
        secret = services.add_item(
            secret_meeting, user["lennart"], {"title": "Haushaltsplanung Steuerung"}
        )
        services.save_notes(secret, 0, "Vertraulicher Stand", user["lennart"])
        services.publish(secret_meeting)
        services.change_minutes_state(secret_meeting, "circulate", user["lennart"])
        return SimpleNamespace(
            people=people,
            jour_fixe=jour_fixe.id,
            steering=steering.id,
            meeting=meeting.id,
            item=item.id,
            secret_meeting=secret_meeting.id,
            secret=secret.id,
        )


def sign_in(client, world, name: str) -> str:
    """Sign ``client`` in as one of the world's people; return a CSRF token of the session."""
    response = login(client, world.people[name].username)
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf_token(client, "/accessibility")


def person(world, name: str) -> User:
    """The ORM user (inside an app context)."""
    return db.session.get(User, world.people[name].id)


def tag(html: str, element_id: str) -> str:
    """The opening tag of the form control with ``element_id``."""
    match = re.search(rf'<(?:input|textarea|select)\b[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, f"no control #{element_id}"
    return match.group(0)


def textarea(html: str, element_id: str) -> str:
    """The text inside the textarea with ``element_id`` (HTML-escaped as sent)."""
    match = re.search(rf'<textarea\b[^>]*\bid="{element_id}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea #{element_id}"
    return match.group(1)


def fragment(response) -> str:
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert "HX-Request" in response.headers.get("Vary", "")
    return body.lstrip()


def add_contact(app, world) -> int:
    """A contact person of "job-com Kreis Düren" in the directory."""
    with app.app_context():
        owner = person(world, "adele")
        org = directory.save_organisation(
            None, {"name": "job-com Kreis Düren", "kind": "office"}, owner
        )
        contact = directory.save_contact(
            None, {"organisation_id": org.id, "name": "Petra Jansen"}, owner
        )
        return contact.id


# --- 1. permissions ---------------------------------------------------------------------


def test_staff_outside_the_steering_group_gets_404_everywhere(app, client, world):
    sign_in(client, world, "olga")
    meeting, item = world.secret_meeting, world.secret
    for url in (
        f"/meetings/{meeting}",
        f"/meetings/{meeting}/minutes",
        f"/meetings/{meeting}/minutes/print",
        f"/meetings/{meeting}/print",
        f"/meetings/{meeting}.ics",
        f"/meetings/items/{item}/history",
        f"/meetings/bodies/{world.steering}",
    ):
        assert client.get(url).status_code == 404, url
    index = client.get("/meetings/").get_data(as_text=True)
    assert f"/meetings/{meeting}" not in index and "Lenkungsgruppe" not in index
    assert f"/meetings/{world.meeting}" in index  # the open Jour fixe is listed
    hits = client.get("/meetings/search?q=Haushaltsplanung").get_data(as_text=True)
    assert "Haushaltsplanung" in hits  # the query stands in the field ...
    assert f"#item-{item}" not in hits  # ... but there is no hit
    hits = client.get("/meetings/search?q=Vertraulicher").get_data(as_text=True)
    assert f"#item-{item}" not in hits


def test_a_steering_group_member_sees_its_meeting(app, client, world):
    sign_in(client, world, "lennart")
    meeting, item = world.secret_meeting, world.secret
    for url in (
        f"/meetings/{meeting}",
        f"/meetings/{meeting}/minutes",
        f"/meetings/{meeting}/minutes/print",
        f"/meetings/{meeting}.ics",
        f"/meetings/items/{item}/history",
    ):
        assert client.get(url).status_code == 200, url
    assert f"/meetings/{meeting}" in client.get("/meetings/").get_data(as_text=True)
    hits = client.get("/meetings/search?q=Haushaltsplanung").get_data(as_text=True)
    assert f"#item-{item}" in hits


def test_member_reads_published_agenda_but_not_a_draft(app, client, world):
    with app.app_context():
        jour_fixe = db.session.get(Meeting, world.meeting).body
        start = local(21, 10)
        draft = services.create_meeting(jour_fixe, start, start + timedelta(hours=1), None).id
    sign_in(client, world, "mirjam")
    assert client.get(f"/meetings/{world.meeting}").status_code == 200
    assert client.get(f"/meetings/{draft}").status_code == 403
    assert client.get(f"/meetings/{draft}.ics").status_code == 403
    assert client.get(f"/meetings/{draft}/print").status_code == 403


def test_minutes_draft_forbidden_circulated_readable_without_edit_form(app, client, world):
    sign_in(client, world, "mirjam")
    assert client.get(f"/meetings/{world.meeting}/minutes").status_code == 403
    assert client.get(f"/meetings/{world.meeting}/minutes/print").status_code == 403
    with app.app_context():
        services.save_notes(
            db.session.get(AgendaItem, world.item),
            0,
            "Es fehlt Wohnraum.",
            person(world, "ottilie"),
        )
        meeting = db.session.get(Meeting, world.meeting)
        services.change_minutes_state(meeting, "circulate", person(world, "ottilie"))
    response = client.get(f"/meetings/{world.meeting}/minutes")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Es fehlt Wohnraum." in html
    assert 'name="notes"' not in html
    assert f"/meetings/{world.meeting}/attendance" not in html
    assert f"/meetings/{world.meeting}/minutes/approve" not in html


def test_organiser_sees_the_edit_form(app, client, world):
    sign_in(client, world, "ottilie")
    html = client.get(f"/meetings/{world.meeting}/minutes").get_data(as_text=True)
    assert f'id="notes-{world.item}" name="notes"' in html
    assert f'action="/meetings/items/{world.item}/notes"' in html


def test_locked_minutes_have_no_edit_form_and_refuse_notes(app, client, world):
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        services.change_minutes_state(meeting, "approve", person(world, "ottilie"))
        services.change_minutes_state(meeting, "lock", person(world, "ottilie"))
    for name in ("ottilie", "adele"):
        token = sign_in(client, world, name)
        html = client.get(f"/meetings/{world.meeting}/minutes").get_data(as_text=True)
        assert 'name="notes"' not in html, name
        response = client.post(
            f"/meetings/items/{world.item}/notes",
            data={"csrf_token": token, "version": "0", "notes": "Nachträglich"},
        )
        assert response.status_code == 409, name
        data = {"csrf_token": token, "kind": "decision", "text": "Nachträglich"}
        response = client.post(f"/meetings/items/{world.item}/outcomes", data=data)
        assert response.status_code == 409, name
        data = {"csrf_token": token, f"member-{world.people['mirjam'].id}": "present"}
        response = client.post(f"/meetings/{world.meeting}/attendance", data=data)
        assert response.status_code == 409, name
    with app.app_context():
        assert db.session.get(AgendaItem, world.item).notes == ""
        assert db.session.scalars(sa.select(Outcome)).all() == []
        assert db.session.scalars(sa.select(Attendance)).all() == []


# --- 2. series ----------------------------------------------------------------------------


def next_holiday(after: date) -> tuple[date, str]:
    for year in (after.year, after.year + 1):
        for day, key in sorted(nrw_holidays(year).items()):
            if day > after:
                return day, key
    raise AssertionError("no holiday")


def test_series_preview_marks_holidays_and_creates_nothing_until_confirmed(app, client, world):
    today = services.now_in_berlin().date()
    holiday, _key = next_holiday(today + timedelta(days=14))
    data = {
        "rule_text": f"jeden {GERMAN_DAYS[holiday.weekday()]}, 10:00-12:00",
        "first_date": (holiday - timedelta(days=14)).isoformat(),
        "last_date": (holiday + timedelta(days=14)).isoformat(),
        "location": "Kreishaus, Raum 3",
    }
    token = sign_in(client, world, "ottilie")
    url = f"/meetings/bodies/{world.jour_fixe}/series/new"
    assert client.get(url).status_code == 200
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(Meeting))

    preview = client.post(url, data={**data, "csrf_token": token})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    for offset in (-14, -7, 0, 7, 14):
        day = holiday + timedelta(days=offset)
        shown = format_date(day, "full", locale="en")
        if day in nrw_holidays(day.year):
            assert f"<del>{shown}</del>" in html
        else:
            assert f"<li>{shown}</li>" in html
    assert "skipped:" in html
    assert 'name="confirm" value="1"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == before
        assert db.session.scalar(sa.select(sa.func.count()).select_from(services.Series)) == 0

    saved = client.post(url, data={**data, "confirm": "1", "csrf_token": token})
    assert saved.status_code == 302
    assert saved.location == f"/meetings/bodies/{world.jour_fixe}"
    with app.app_context():
        days = set(
            db.session.scalars(sa.select(Meeting.series_date).where(Meeting.series_id.is_not(None)))
        )
        expected = {
            holiday + timedelta(days=offset)
            for offset in (-14, -7, 7, 14)
            if holiday + timedelta(days=offset)
            not in nrw_holidays((holiday + timedelta(days=offset)).year)
        }
        assert days == expected
        assert holiday not in days


@pytest.mark.parametrize("rule_text", ["", "irgendwann", "jeden Dienstag", "jeden Dienstag 12-10"])
def test_series_bad_rule_is_422_with_message_next_to_the_field(app, client, world, rule_text):
    token = sign_in(client, world, "ottilie")
    url = f"/meetings/bodies/{world.jour_fixe}/series/new"
    data = {"csrf_token": token, "rule_text": rule_text, "first_date": date.today().isoformat()}
    response = client.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    control = tag(html, "rule_text")
    assert 'aria-invalid="true"' in control
    assert 'aria-describedby="rule_text-hint rule_text-error"' in control
    assert 'id="rule_text-error"' in html
    if rule_text:
        assert f'value="{rule_text}"' in control
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(services.Series)) == 0


def test_series_first_date_far_in_the_future_is_422(app, client, world):
    token = sign_in(client, world, "ottilie")
    url = f"/meetings/bodies/{world.jour_fixe}/series/new"
    data = {"csrf_token": token, "rule_text": "jeden Dienstag, 10-12", "first_date": "3000-01-01"}
    for extra in ({}, {"confirm": "1"}):
        response = client.post(url, data={**data, **extra})
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert 'aria-invalid="true"' in tag(html, "first_date")
        assert 'value="jeden Dienstag, 10-12"' in tag(html, "rule_text")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(services.Series)) == 0


def test_series_last_date_before_the_first_is_422(app, client, world):
    token = sign_in(client, world, "ottilie")
    url = f"/meetings/bodies/{world.jour_fixe}/series/new"
    data = {"csrf_token": token, "rule_text": "jeden Dienstag, 10-12"}
    data |= {"first_date": "2030-06-01", "last_date": "2030-05-01"}
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in tag(response.get_data(as_text=True), "last_date")


def test_series_form_is_for_organisers_only(app, client, world):
    token = sign_in(client, world, "mirjam")
    url = f"/meetings/bodies/{world.jour_fixe}/series/new"
    assert client.get(url).status_code == 403
    data = {"csrf_token": token, "rule_text": "jeden Dienstag, 10-12", "confirm": "1"}
    assert client.post(url, data={**data, "first_date": "2030-01-01"}).status_code == 403


# --- 3. single meetings -------------------------------------------------------------------


def test_single_meeting_end_before_start_is_422_and_keeps_the_entry(app, client, world):
    token = sign_in(client, world, "ottilie")
    day = (services.now_in_berlin().date() + timedelta(days=30)).isoformat()
    data = {"day": day, "start_time": "12:00", "end_time": "10:00", "location": "Raum 7"}
    response = client.post(
        f"/meetings/bodies/{world.jour_fixe}/meetings/new", data={**data, "csrf_token": token}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in tag(html, "end_time")
    assert f'value="{day}"' in tag(html, "day")
    assert 'value="12:00"' in tag(html, "start_time")
    assert 'value="Raum 7"' in tag(html, "location")
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 2

    data["end_time"] = "13:30"
    created = client.post(
        f"/meetings/bodies/{world.jour_fixe}/meetings/new", data={**data, "csrf_token": token}
    )
    assert created.status_code == 302
    with app.app_context():
        meeting = db.session.scalar(sa.select(Meeting).where(Meeting.location == "Raum 7"))
        assert created.location == f"/meetings/{meeting.id}"
        assert (meeting.starts.hour, meeting.ends.hour, meeting.ends.minute) == (12, 13, 30)


def test_moving_a_meeting_changes_its_date(app, client, world):
    token = sign_in(client, world, "ottilie")
    new_day = services.now_in_berlin().date() + timedelta(days=10)
    data = {
        "csrf_token": token,
        "day": new_day.isoformat(),
        "start_time": "14:00",
        "end_time": "15:30",
        "location": "Rathaus Düren",
    }
    response = client.post(f"/meetings/{world.meeting}/edit", data=data)
    assert response.status_code == 302
    assert response.location == f"/meetings/{world.meeting}"
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        assert meeting.starts == datetime.combine(new_day, time(14), tzinfo=BERLIN)
        assert meeting.ends == datetime.combine(new_day, time(15, 30), tzinfo=BERLIN)
        assert meeting.location == "Rathaus Düren"


def test_cancel_with_reason_and_restore(app, client, world):
    token = sign_in(client, world, "ottilie")
    response = client.post(
        f"/meetings/{world.meeting}/cancel", data={"csrf_token": token, "reason": "Krankheit"}
    )
    assert response.status_code == 302
    html = client.get(f"/meetings/{world.meeting}").get_data(as_text=True)
    assert "kern-badge--danger" in html and "cancelled" in html and "Krankheit" in html
    listed = client.get("/meetings/").get_data(as_text=True)
    assert "kern-badge--danger" in listed

    response = client.post(f"/meetings/{world.meeting}/restore", data={"csrf_token": token})
    assert response.status_code == 302
    html = client.get(f"/meetings/{world.meeting}").get_data(as_text=True)
    assert "kern-badge--danger" not in html and "Krankheit" not in html
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        assert not meeting.is_cancelled and meeting.cancel_reason is None


# --- 4. agenda ----------------------------------------------------------------------------


def test_member_proposes_a_topic_and_the_organiser_takes_it_in(app, client, world):
    token = sign_in(client, world, "mirjam")
    response = client.post(
        f"/meetings/bodies/{world.jour_fixe}/propose",
        data={"csrf_token": token, "title": "Dolmetscherpool", "duration_min": "20"},
    )
    assert response.status_code == 302
    assert response.location == f"/meetings/bodies/{world.jour_fixe}#backlog"
    body_page = client.get(f"/meetings/bodies/{world.jour_fixe}").get_data(as_text=True)
    backlog = body_page.split('id="backlog"', 1)[1]
    assert "Dolmetscherpool" in backlog and "Mirjam" in backlog
    with app.app_context():
        topic = db.session.scalar(
            sa.select(AgendaItem).where(AgendaItem.title == "Dolmetscherpool")
        )
        assert topic.meeting_id is None
        topic_id = topic.id
    # a member cannot take it into a meeting
    data = {"csrf_token": token, "meeting": world.meeting}
    assert client.post(f"/meetings/items/{topic_id}/take", data=data).status_code == 403

    token = sign_in(client, world, "ottilie")
    agenda = client.get(f"/meetings/{world.meeting}").get_data(as_text=True)
    assert f'action="/meetings/items/{topic_id}/take"' in agenda
    data = {"csrf_token": token, "meeting": world.meeting}
    response = client.post(f"/meetings/items/{topic_id}/take", data=data)
    assert response.status_code == 302
    assert response.location == f"/meetings/{world.meeting}#agenda"
    with app.app_context():
        topic = db.session.get(AgendaItem, topic_id)
        assert topic.meeting_id == world.meeting and topic.position == 4
    agenda = client.get(f"/meetings/{world.meeting}").get_data(as_text=True)
    assert f'id="item-{topic_id}"' in agenda
    # taking it twice is a conflict
    data = {"csrf_token": token, "meeting": world.meeting}
    assert client.post(f"/meetings/items/{topic_id}/take", data=data).status_code == 409


def item_order(app, meeting_id: int) -> list[int]:
    with app.app_context():
        return [item.id for item in db.session.get(Meeting, meeting_id).items]


def test_moving_items_without_and_with_htmx(app, client, world):
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        second = services.add_item(meeting, person(world, "ottilie"), {"title": "Sprachkurse"}).id
    standing = item_order(app, world.meeting)[:2]
    token = sign_in(client, world, "ottilie")
    url = f"/meetings/items/{second}/move"

    response = client.post(url, data={"csrf_token": token, "direction": "up"})
    assert response.status_code == 302
    assert response.location == f"/meetings/{world.meeting}#item-{second}"
    assert item_order(app, world.meeting) == [*standing, second, world.item]

    response = client.post(url, data={"csrf_token": token, "direction": "down"}, headers=HX)
    body = fragment(response)
    assert response.status_code == 200
    assert body.startswith('<section class="section" id="agenda"')
    assert 'hx-swap-oob="true"' in body
    assert "“Sprachkurse” is now item 4." in body
    assert body.index(f'id="item-{world.item}"') < body.index(f'id="item-{second}"')
    assert "kern-alert" not in body  # no flash messages in the fragment
    assert item_order(app, world.meeting) == [*standing, world.item, second]

    # the last item cannot go further down; the order stays
    assert client.post(url, data={"csrf_token": token, "direction": "down"}).status_code == 302
    assert item_order(app, world.meeting) == [*standing, world.item, second]
    bad = client.post(url, data={"csrf_token": token, "direction": "sideways"})
    assert bad.status_code == 400
    # members may not move items
    token = sign_in(client, world, "mirjam")
    assert client.post(url, data={"csrf_token": token, "direction": "up"}).status_code == 403


def test_planned_minutes_against_the_meeting_length(app, client, world):
    sign_in(client, world, "ottilie")
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        services.add_item(meeting, person(world, "ottilie"), {"title": "B", "duration_min": 45})
    html = client.get(f"/meetings/{world.meeting}").get_data(as_text=True)
    assert "Planned: 75 of 120 minutes." in html
    assert "more than the meeting has" not in html and "over-time" not in html
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        services.add_item(meeting, person(world, "ottilie"), {"title": "C", "duration_min": 60})
    html = client.get(f"/meetings/{world.meeting}").get_data(as_text=True)
    assert "Planned: 135 of 120 minutes." in html
    assert "15 minutes more than the meeting has." in html and "over-time" in html


@pytest.mark.parametrize(
    ("data", "bad_field"),
    [
        ({"title": "", "description": "Bleibt stehen", "duration_min": "15"}, "title"),
        ({"title": "Bleibt stehen", "duration_min": "0"}, "duration_min"),
        ({"title": "Bleibt stehen", "duration_min": "1000"}, "duration_min"),
    ],
)
def test_item_form_errors_are_422_and_keep_the_entry(app, client, world, data, bad_field):
    token = sign_in(client, world, "ottilie")
    response = client.post(f"/meetings/{world.meeting}/items", data={**data, "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in tag(html, bad_field)
    assert "Bleibt stehen" in html
    assert f'value="{data["duration_min"]}"' in tag(html, "duration_min")
    assert len(item_order(app, world.meeting)) == 3


def test_guest_search_and_invitation(app, client, world):
    contact = add_contact(app, world)
    token = sign_in(client, world, "ottilie")
    html = client.get(f"/meetings/{world.meeting}/guests?q=Jansen").get_data(as_text=True)
    assert "Petra Jansen" in html and "job-com Kreis Düren" in html
    assert f'name="contact" value="{contact}"' in html
    html = client.get(f"/meetings/{world.meeting}/guests?q=job-com").get_data(as_text=True)
    assert "Petra Jansen" in html
    html = client.get(f"/meetings/{world.meeting}/guests?q=Niemandda").get_data(as_text=True)
    assert f'name="contact" value="{contact}"' not in html

    data = {"csrf_token": token, "contact": contact, "item": world.item}
    for _ in range(2):
        response = client.post(f"/meetings/{world.meeting}/guests", data=data)
        assert response.status_code == 302
        assert response.location == f"/meetings/{world.meeting}#guests"
    with app.app_context():
        guests = db.session.scalars(sa.select(Guest)).all()
        assert [(g.name, g.organisation, g.item_id) for g in guests] == [
            ("Petra Jansen", "job-com Kreis Düren", world.item)
        ]
    agenda = client.get(f"/meetings/{world.meeting}").get_data(as_text=True)
    item_html = agenda.split(f'id="item-{world.item}"', 1)[1].split("</li>", 1)[0]
    assert "Petra Jansen (job-com Kreis Düren)" in item_html
    # an item of another meeting is refused
    other = dict(data, item=world.secret)
    assert client.post(f"/meetings/{world.meeting}/guests", data=other).status_code == 400
    # members may not search or invite
    token = sign_in(client, world, "mirjam")
    assert client.get(f"/meetings/{world.meeting}/guests?q=Jansen").status_code == 403
    data["csrf_token"] = token
    assert client.post(f"/meetings/{world.meeting}/guests", data=data).status_code == 403


def test_publishing_lets_members_read_the_agenda(app, client, world):
    with app.app_context():
        services.unpublish(db.session.get(Meeting, world.meeting))
    sign_in(client, world, "mirjam")
    assert client.get(f"/meetings/{world.meeting}").status_code == 403
    index = client.get("/meetings/").get_data(as_text=True)
    assert f'href="/meetings/{world.meeting}"' not in index  # listed without a link

    token = sign_in(client, world, "ottilie")
    response = client.post(f"/meetings/{world.meeting}/publish", data={"csrf_token": token})
    assert response.status_code == 302

    sign_in(client, world, "mirjam")
    response = client.get(f"/meetings/{world.meeting}")
    assert response.status_code == 200
    assert "Wohnraum in Jülich" in response.get_data(as_text=True)
    assert f'href="/meetings/{world.meeting}"' in client.get("/meetings/").get_data(as_text=True)


def test_ics_download(app, client, world):
    sign_in(client, world, "mirjam")
    response = client.get(f"/meetings/{world.meeting}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Jour fixe Case-Management"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    start = event.decoded("DTSTART")
    expected = local(7, 10)
    assert (start.date(), start.hour, start.minute) == (expected.date(), 10, 0)
    assert f"DTSTART;TZID=Europe/Berlin:{expected:%Y%m%dT100000}" in text.replace("\r\n ", "")
    assert calendar.walk("VTIMEZONE")
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Wohnraum in Jülich" in str(event["DESCRIPTION"])


def test_ics_of_a_cancelled_meeting(app, client, world):
    with app.app_context():
        services.cancel_meeting(db.session.get(Meeting, world.meeting), "Krankheit")
    sign_in(client, world, "mirjam")
    response = client.get(f"/meetings/{world.meeting}.ics")
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert "STATUS:CANCELLED" in response.get_data(as_text=True)


# --- 5. minutes ---------------------------------------------------------------------------


def notes_url(world) -> str:
    return f"/meetings/items/{world.item}/notes"


def stored_notes(app, item_id: int) -> tuple[str, int]:
    with app.app_context():
        item = db.session.get(AgendaItem, item_id)
        return item.notes, item.version


def test_notes_saved_without_js_and_with_htmx(app, client, world):
    token = sign_in(client, world, "ottilie")
    data = {"csrf_token": token, "version": "0", "notes": "Erste Fassung"}
    response = client.post(notes_url(world), data=data)
    assert response.status_code == 302
    assert response.location == f"/meetings/{world.meeting}/minutes#item-{world.item}"
    assert stored_notes(app, world.item) == ("Erste Fassung", 1)

    data = {"csrf_token": token, "version": "1", "notes": "Zweite Fassung"}
    response = client.post(notes_url(world), data=data, headers=HX)
    body = fragment(response)
    assert response.status_code == 200
    assert body.startswith(f'<section class="minutes-item" id="item-{world.item}"')
    assert re.search(r'role="status">Saved at \d\d:\d\d\.</p>', body)
    assert '<input type="hidden" name="version" value="2">' in body
    assert textarea(body, f"notes-{world.item}") == "Zweite Fassung"
    assert stored_notes(app, world.item) == ("Zweite Fassung", 2)


def test_a_stale_version_is_refused_and_nothing_is_lost(app, client, world):
    with app.app_context():
        item = db.session.get(AgendaItem, world.item)
        services.save_notes(item, 0, "Text von Malte", person(world, "adele"))
    token = sign_in(client, world, "ottilie")
    data = {"csrf_token": token, "version": "0", "notes": "Mein eigener Text"}
    response = client.post(notes_url(world), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f'id="item-{world.item}-conflict"' in html
    assert "Adele saved these notes in the meantime" in html
    assert "Text von Malte" in html
    assert textarea(html, f"notes-{world.item}") == "Mein eigener Text"
    assert '<input type="hidden" name="version" value="1">' in html
    assert stored_notes(app, world.item) == ("Text von Malte", 1)

    response = client.post(notes_url(world), data=data, headers=HX)
    body = fragment(response)
    assert response.status_code == 409
    assert body.startswith(f'<section class="minutes-item" id="item-{world.item}"')
    assert "Text von Malte" in body
    assert textarea(body, f"notes-{world.item}") == "Mein eigener Text"
    assert stored_notes(app, world.item) == ("Text von Malte", 1)

    # saved again on the version the conflict offered: accepted
    data["version"] = "1"
    assert client.post(notes_url(world), data=data).status_code == 302
    assert stored_notes(app, world.item) == ("Mein eigener Text", 2)


@pytest.mark.parametrize("version", ["", "abc", "-1", "99999999999"])
def test_a_broken_version_is_422_and_keeps_the_text(app, client, world, version):
    token = sign_in(client, world, "ottilie")
    data = {"csrf_token": token, "version": version, "notes": "Bleibt erhalten"}
    response = client.post(notes_url(world), data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert textarea(html, f"notes-{world.item}") == "Bleibt erhalten"
    assert stored_notes(app, world.item) == ("", 0)


@pytest.mark.parametrize(
    "notes", ["Frau K., geb. 12.03.1985, sucht Wohnung", "Rückfragen an k.meier@example.org"]
)
def test_client_data_warns_but_does_not_block(app, client, world, notes):
    token = sign_in(client, world, "ottilie")
    response = client.post(
        notes_url(world), data={"csrf_token": token, "version": "0", "notes": notes}
    )
    assert response.status_code == 302
    assert stored_notes(app, world.item) == (notes, 1)
    html = client.get(f"/meetings/{world.meeting}/minutes").get_data(as_text=True)
    assert f'class="kern-body notes-warning" id="notes-{world.item}-warning"' in html
    assert f"notes-{world.item}-warning" in tag(html, f"notes-{world.item}")
    data = {"csrf_token": token, "version": "1", "notes": notes + "."}
    body = fragment(client.post(notes_url(world), data=data, headers=HX))
    assert "notes-warning" in body
    assert stored_notes(app, world.item) == (notes + ".", 2)


def test_clean_notes_have_no_warning(app, client, world):
    token = sign_in(client, world, "ottilie")
    data = {"csrf_token": token, "version": "0", "notes": "Die Wartezeit beträgt 3 Monate."}
    body = fragment(client.post(notes_url(world), data=data, headers=HX))
    assert "notes-warning" not in body


def test_markdown_in_circulated_minutes_is_sanitised(app, client, world):
    notes = (
        "**Wichtig**\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n"
        '<img src=x onerror="alert(1)">\n\n[Info](https://example.org/)'
    )
    with app.app_context():
        item = db.session.get(AgendaItem, world.item)
        services.save_notes(item, 0, notes, person(world, "ottilie"))
        services.change_minutes_state(item.meeting, "circulate", person(world, "ottilie"))
    sign_in(client, world, "mirjam")
    for url in (f"/meetings/{world.meeting}/minutes", f"/meetings/{world.meeting}/minutes/print"):
        html = client.get(url).get_data(as_text=True)
        prose = re.findall(r'<div class="prose">(.*?)</div>', html, re.S)
        assert prose, url
        text = "".join(prose)
        assert "<strong>Wichtig</strong>" in text
        assert "<script" not in text and "<img" not in text
        assert not re.search(r"<[a-z][^>]*\bon[a-z]+=", text)  # no event handler attribute
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # shown as text
        assert 'href="javascript' not in text.lower()
        assert 'href="https://example.org/"' in text
        assert "<script>alert" not in html and 'href="javascript' not in html.lower()


def outcome_url(world) -> str:
    return f"/meetings/items/{world.item}/outcomes"


def outcomes(app) -> list[tuple[str, str, int | None, str | None]]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Outcome).order_by(Outcome.id))
        return [(o.kind, o.text, o.assignee_id, o.assignee_name) for o in rows]


def test_a_task_without_assignee_is_refused(app, client, world):
    token = sign_in(client, world, "ottilie")
    data = {"csrf_token": token, "kind": "task", "text": "Protokoll verschicken"}
    data |= {"assignee_id": "", "assignee_name": ""}
    response = client.post(outcome_url(world), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "A task needs someone to do it" in html
    assert 'value="Protokoll verschicken"' in tag(html, f"text-{world.item}")
    assert 'aria-invalid="true"' in tag(html, f"assignee-name-{world.item}")
    assert outcomes(app) == []


def test_a_task_for_a_non_member_is_refused(app, client, world):
    token = sign_in(client, world, "ottilie")
    data = {"csrf_token": token, "kind": "task", "text": "Protokoll verschicken"}
    data["assignee_id"] = str(world.people["olga"].id)
    response = client.post(outcome_url(world), data=data)
    assert response.status_code == 422
    assert 'value="Protokoll verschicken"' in tag(
        response.get_data(as_text=True), "text-" + str(world.item)
    )
    assert outcomes(app) == []


def test_a_task_due_in_the_year_3000_is_refused(app, client, world):
    token = sign_in(client, world, "ottilie")
    data = {"csrf_token": token, "kind": "task", "text": "Protokoll verschicken"}
    data |= {"assignee_name": "Frau Gast", "due_date": "3000-01-01"}
    response = client.post(outcome_url(world), data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in tag(html, f"due-{world.item}")
    assert 'value="3000-01-01"' in tag(html, f"due-{world.item}")
    assert outcomes(app) == []


def test_decision_and_task_are_recorded(app, client, world):
    token = sign_in(client, world, "ottilie")
    data = {"csrf_token": token, "kind": "decision", "text": "Wir schreiben die Stadt an."}
    response = client.post(outcome_url(world), data=data)
    assert response.status_code == 302
    assert response.location == f"/meetings/{world.meeting}/minutes#item-{world.item}"
    mirjam = world.people["mirjam"].id
    data = {"csrf_token": token, "kind": "task", "text": "Brief entwerfen"}
    data |= {"assignee_id": str(mirjam), "due_date": "2030-01-31"}
    body = fragment(client.post(outcome_url(world), data=data, headers=HX))
    assert body.startswith(f'<section class="minutes-item" id="item-{world.item}"')
    assert "Brief entwerfen" in body and "Mirjam" in body
    assert outcomes(app) == [
        ("decision", "Wir schreiben die Stadt an.", None, None),
        ("task", "Brief entwerfen", mirjam, None),
    ]
    html = client.get(f"/meetings/{world.meeting}/minutes").get_data(as_text=True)
    assert 'class="outcome outcome--decision"' in html
    assert "Wir schreiben die Stadt an." in html


def test_attendance_is_saved(app, client, world):
    contact = add_contact(app, world)
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        services.invite_contact(meeting, db.session.get(Contact, contact), None)
        guest = meeting.guests[0].id
    token = sign_in(client, world, "ottilie")
    ids = {name: world.people[name].id for name in ("ottilie", "mirjam", "malte")}
    data = {
        "csrf_token": token,
        f"member-{ids['ottilie']}": "present",
        f"member-{ids['mirjam']}": "excused",
        f"member-{ids['malte']}": "absent",
        "guest": str(guest),
    }
    response = client.post(f"/meetings/{world.meeting}/attendance", data=data)
    assert response.status_code == 302
    assert response.location == f"/meetings/{world.meeting}/minutes#attendance"
    with app.app_context():
        rows = db.session.scalars(sa.select(Attendance)).all()
        assert {row.user_id: row.status for row in rows} == {
            ids["ottilie"]: "present",
            ids["mirjam"]: "excused",
            ids["malte"]: "absent",
        }
        assert db.session.get(Guest, guest).is_present
    html = client.get(f"/meetings/{world.meeting}/minutes").get_data(as_text=True)
    assert f'id="member-{ids["mirjam"]}-excused" checked' in html
    assert f'id="guest-{guest}" checked' in html

    # unticking the guest and clearing a member
    data = {"csrf_token": token, f"member-{ids['ottilie']}": "present"}
    assert client.post(f"/meetings/{world.meeting}/attendance", data=data).status_code == 302
    with app.app_context():
        rows = db.session.scalars(sa.select(Attendance)).all()
        assert {row.user_id: row.status for row in rows} == {ids["ottilie"]: "present"}
        assert not db.session.get(Guest, guest).is_present


@pytest.mark.parametrize(
    "field",
    [("member-{id}", "maybe"), ("member-abc", "present"), ("member-99999999999", "present")],
)
def test_bad_attendance_is_400(app, client, world, field):
    token = sign_in(client, world, "ottilie")
    key = field[0].format(id=world.people["mirjam"].id)
    response = client.post(
        f"/meetings/{world.meeting}/attendance", data={"csrf_token": token, key: field[1]}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(sa.select(Attendance)).all() == []


def minutes_state(app, meeting_id: int) -> str:
    with app.app_context():
        return db.session.get(Meeting, meeting_id).minutes_state


def test_minutes_state_buttons(app, client, world):
    token = sign_in(client, world, "ottilie")
    base = f"/meetings/{world.meeting}/minutes"
    for action, state in (("circulate", "circulated"), ("approve", "approved"), ("lock", "locked")):
        html = client.get(base).get_data(as_text=True)
        assert f'action="{base}/{action}"' in html, action
        response = client.post(f"{base}/{action}", data={"csrf_token": token})
        assert response.status_code == 302, action
        assert response.location == base
        assert minutes_state(app, world.meeting) == state
    for action in ("circulate", "approve", "lock"):
        assert client.post(f"{base}/{action}", data={"csrf_token": token}).status_code == 409
    assert minutes_state(app, world.meeting) == "locked"
    assert client.post(f"{base}/publish", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        actions = db.session.scalars(
            sa.select(MinutesEvent.action)
            .where(MinutesEvent.meeting_id == world.meeting)
            .order_by(MinutesEvent.id)
        )
        assert list(actions) == ["circulate", "approve", "lock"]


def test_lock_straight_from_draft_is_a_conflict(app, client, world):
    token = sign_in(client, world, "ottilie")
    response = client.post(f"/meetings/{world.meeting}/minutes/lock", data={"csrf_token": token})
    assert response.status_code == 409
    assert minutes_state(app, world.meeting) == "draft"


def test_members_cannot_change_the_minutes_state(app, client, world):
    token = sign_in(client, world, "mirjam")
    url = f"/meetings/{world.meeting}/minutes/circulate"
    assert client.post(url, data={"csrf_token": token}).status_code == 403
    assert minutes_state(app, world.meeting) == "draft"


def test_reopen_needs_an_admin_and_a_reason(app, client, world):
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        services.change_minutes_state(meeting, "approve", person(world, "ottilie"))
        services.change_minutes_state(meeting, "lock", person(world, "ottilie"))
    url = f"/meetings/{world.meeting}/minutes/reopen"
    token = sign_in(client, world, "ottilie")
    response = client.post(url, data={"csrf_token": token, "reason": "Tippfehler"})
    assert response.status_code == 403
    assert minutes_state(app, world.meeting) == "locked"

    token = sign_in(client, world, "adele")
    response = client.post(url, data={"csrf_token": token, "reason": "  "})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in tag(html, "reason")
    assert minutes_state(app, world.meeting) == "locked"

    response = client.post(url, data={"csrf_token": token, "reason": "Falscher Beschluss notiert"})
    assert response.status_code == 302
    assert minutes_state(app, world.meeting) == "draft"
    html = client.get(f"/meetings/{world.meeting}/minutes").get_data(as_text=True)
    assert "reopened (Adele): Falscher Beschluss notiert" in html
    # draft minutes cannot be reopened
    response = client.post(url, data={"csrf_token": token, "reason": "Noch einmal"})
    assert response.status_code == 409


def test_history_shows_versions_and_a_diff(app, client, world):
    with app.app_context():
        item = db.session.get(AgendaItem, world.item)
        author = person(world, "ottilie")
        services.save_notes(item, 0, "Zeile eins\nZeile zwei", author)
        services.save_notes(item, 1, "Zeile eins\nZeile drei", author)
    sign_in(client, world, "ottilie")
    html = client.get(f"/meetings/items/{world.item}/history").get_data(as_text=True)
    assert "Version 1" in html and "Version 2" in html
    assert "<del>Zeile zwei</del>" in html and "<ins>Zeile drei</ins>" in html
    html = client.get(f"/meetings/items/{world.item}/history?a=2&b=1").get_data(as_text=True)
    assert "<del>Zeile drei</del>" in html and "<ins>Zeile zwei</ins>" in html
    # nonsense versions fall back to the latest, never a 500
    response = client.get(f"/meetings/items/{world.item}/history?a=x&b=99999999999")
    assert response.status_code == 200
    # a member cannot read the history of draft minutes
    sign_in(client, world, "mirjam")
    assert client.get(f"/meetings/items/{world.item}/history").status_code == 404


def test_printable_minutes(app, client, world):
    contact = add_contact(app, world)
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        item = db.session.get(AgendaItem, world.item)
        organiser = person(world, "ottilie")
        services.invite_contact(meeting, db.session.get(Contact, contact), None)
        ids = {name: world.people[name].id for name in ("ottilie", "mirjam", "malte")}
        services.record_attendance(
            meeting,
            {ids["ottilie"]: "present", ids["mirjam"]: "excused", ids["malte"]: "absent"},
            [meeting.guests[0].id],
        )
        services.save_notes(item, 0, "Die Lage ist **angespannt**.", organiser)
        services.add_outcome(item, {"kind": "decision", "text": "Brief an die Stadt"}, organiser)
        services.add_outcome(
            item,
            {"kind": "task", "text": "Entwurf schreiben", "assignee_id": ids["mirjam"]},
            organiser,
        )
        services.change_minutes_state(meeting, "circulate", organiser)
    sign_in(client, world, "malte")
    response = client.get(f"/meetings/{world.meeting}/minutes/print")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>present:</strong> Ottilie" in html
    assert "<strong>excused:</strong> Mirjam" in html
    assert "<strong>absent:</strong> Malte" in html
    assert "Petra Jansen (job-com Kreis Düren)" in html
    assert "<strong>angespannt</strong>" in html
    assert "<strong>Decision:</strong>" in html and "Brief an die Stadt" in html
    assert "<strong>Task:</strong>" in html and "Entwurf schreiben – Mirjam" in html


# --- 6. tasks -----------------------------------------------------------------------------


@pytest.fixture
def tasks(app, world):
    """Mirjam's tasks: one overdue, one due later, one done; Malte has one of his own."""
    with app.app_context():
        item = db.session.get(AgendaItem, world.item)
        organiser = person(world, "ottilie")
        today = services.now_in_berlin().date()

        def task(text: str, name: str, due: date | None) -> Outcome:
            data = {"kind": "task", "text": text, "assignee_id": world.people[name].id}
            return services.add_outcome(item, data | {"due_date": due}, organiser)

        overdue = task("Überfällige Aufgabe", "mirjam", today - timedelta(days=3))
        later = task("Spätere Aufgabe", "mirjam", today + timedelta(days=30))
        done = task("Erledigte Aufgabe", "mirjam", None)
        services.set_task_status(done, True)
        other = task("Maltes Aufgabe", "malte", None)
        return SimpleNamespace(overdue=overdue.id, later=later.id, done=done.id, other=other.id)


def test_tasks_page_shows_my_open_tasks(app, client, world, tasks):
    sign_in(client, world, "mirjam")
    html = client.get("/meetings/tasks").get_data(as_text=True)
    assert "Überfällige Aufgabe" in html and "Spätere Aufgabe" in html
    assert "Erledigte Aufgabe" not in html and "Maltes Aufgabe" not in html
    assert html.index("Überfällige Aufgabe") < html.index("Spätere Aufgabe")  # earliest due first
    rows = re.findall(r'<li class="hit">(.*?)</li>', html, re.S)
    overdue = next(row for row in rows if "Überfällige Aufgabe" in row)
    later = next(row for row in rows if "Spätere Aufgabe" in row)
    assert "kern-badge--danger" in overdue and "overdue" in overdue
    assert "kern-badge--danger" not in later


def test_closing_a_task_from_the_tasks_page(app, client, world, tasks):
    token = sign_in(client, world, "mirjam")
    data = {"csrf_token": token, "done": "1", "next": "/meetings/tasks"}
    response = client.post(f"/meetings/outcomes/{tasks.overdue}/status", data=data)
    assert response.status_code == 302
    assert response.location == "/meetings/tasks"
    html = client.get("/meetings/tasks").get_data(as_text=True)
    rows = "".join(re.findall(r'<li class="hit">(.*?)</li>', html, re.S))
    assert "Überfällige Aufgabe" not in rows and "Spätere Aufgabe" in rows
    with app.app_context():
        assert db.session.get(Outcome, tasks.overdue).status == "done"


def test_neither_assignee_nor_organiser_cannot_close_a_task(app, client, world, tasks):
    token = sign_in(client, world, "malte")
    data = {"csrf_token": token, "done": "1", "next": "/meetings/tasks"}
    assert client.post(f"/meetings/outcomes/{tasks.later}/status", data=data).status_code == 403
    with app.app_context():
        assert db.session.get(Outcome, tasks.later).status == "open"
    # the organiser may
    token = sign_in(client, world, "ottilie")
    data["csrf_token"] = token
    assert client.post(f"/meetings/outcomes/{tasks.later}/status", data=data).status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/meetings/",
        "/meetings//evil.example",
        "/meetings/\\evil.example",
        "https://evil.example/meetings/tasks",
        "javascript:alert(1)",
    ],
)
def test_next_to_elsewhere_is_ignored(app, client, world, tasks, target):
    token = sign_in(client, world, "mirjam")
    data = {"csrf_token": token, "done": "1", "next": target}
    response = client.post(f"/meetings/outcomes/{tasks.later}/status", data=data)
    assert response.status_code == 302
    assert response.location == "/meetings/tasks"


def test_only_tasks_have_a_status(app, client, world):
    with app.app_context():
        item = db.session.get(AgendaItem, world.item)
        decision = services.add_outcome(
            item, {"kind": "decision", "text": "Beschluss"}, person(world, "ottilie")
        ).id
    token = sign_in(client, world, "ottilie")
    data = {"csrf_token": token, "done": "1"}
    assert client.post(f"/meetings/outcomes/{decision}/status", data=data).status_code == 404


# --- 7. needs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "bad_field", "kept"),
    [
        ({"title": "", "description": "Es fehlen Kitaplätze"}, "title", "Es fehlen Kitaplätze"),
        ({"title": "Kitaplätze", "description": ""}, "description", 'value="Kitaplätze"'),
    ],
)
def test_need_form_errors_keep_the_entry(app, client, world, data, bad_field, kept):
    token = sign_in(client, world, "mirjam")
    data = {**data, "csrf_token": token, "body_id": str(world.jour_fixe)}
    response = client.post("/meetings/needs/new", data={**data, "municipalities": ["Jülich"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in tag(html, bad_field)
    assert kept in html
    assert re.search(
        r'<input[^>]*checked[^>]*value="Jülich"|<input[^>]*value="Jülich"[^>]*checked', html
    )
    with app.app_context():
        assert db.session.scalars(sa.select(Need)).all() == []


def test_need_is_recorded_from_an_item(app, client, world):
    token = sign_in(client, world, "mirjam")
    assert client.get(f"/meetings/needs/new?item={world.item}").status_code == 200
    data = {
        "csrf_token": token,
        "item": str(world.item),
        "title": "Kitaplätze",
        "description": "Es fehlen Kitaplätze für Kinder in Integrationskursen.",
        "body_id": str(world.jour_fixe),
        "municipalities": ["Jülich", "Titz"],
        "target_groups": "Eltern",
    }
    response = client.post("/meetings/needs/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        need = db.session.scalar(sa.select(Need))
        assert response.location == f"/meetings/needs/{need.id}"
        assert (need.item_id, need.body_id, need.status) == (world.item, world.jour_fixe, "raised")
        assert need.municipalities == ["Jülich", "Titz"]
    # a body the person cannot see is not a choice
    data["body_id"] = str(world.steering)
    data["item"] = ""
    assert client.post("/meetings/needs/new", data=data).status_code == 422


@pytest.fixture
def needs(app, world):
    """Three needs: Jour fixe (Jülich, raised), Jour fixe (Düren, in coordination) and one
    of the Lenkungsgruppe."""
    with app.app_context():
        jour_fixe, steering = services.ensure_bodies()[:2]
        author = person(world, "lennart")
        first = services.raise_need(
            {"title": "Sprachkurse Jülich", "description": "x", "municipalities": ["Jülich"]},
            jour_fixe,
            author,
        )
        second = services.raise_need(
            {"title": "Beratung Düren", "description": "x", "municipalities": ["Düren"]},
            jour_fixe,
            author,
        )
        services.change_need(
            second, "in_coordination", None, person(world, "adele"), services.now_in_berlin()
        )
        third = services.raise_need(
            {"title": "Steuerungsthema", "description": "x"}, steering, author
        )
        return SimpleNamespace(first=first.id, second=second.id, third=third.id)


def listed(html: str) -> set[str]:
    return set(re.findall(r'href="/meetings/needs/(\d+)"', html)) - {"new"}


def test_needs_list_filters(app, client, world, needs):
    sign_in(client, world, "lennart")
    ids = {str(needs.first), str(needs.second), str(needs.third)}
    assert listed(client.get("/meetings/needs").get_data(as_text=True)) == ids
    cases = {
        "status=in_coordination": {str(needs.second)},
        "status=raised": {str(needs.first), str(needs.third)},
        f"body={world.steering}": {str(needs.third)},
        f"body={world.jour_fixe}": {str(needs.first), str(needs.second)},
        "municipality=J%C3%BClich": {str(needs.first)},
        f"status=raised&body={world.jour_fixe}": {str(needs.first)},
        "status=nonsense&body=abc&municipality=Paris": ids,
    }
    for query, expected in cases.items():
        response = client.get(f"/meetings/needs?{query}")
        assert response.status_code == 200, query
        assert listed(response.get_data(as_text=True)) == expected, query
    response = client.get("/meetings/needs?status=in_coordination", headers=HX)
    body = fragment(response)
    assert body.startswith('<div id="results">')
    assert listed(body) == {str(needs.second)}


def test_needs_of_closed_bodies_are_hidden(app, client, world, needs):
    sign_in(client, world, "olga")
    assert listed(client.get("/meetings/needs").get_data(as_text=True)) == {
        str(needs.first),
        str(needs.second),
    }
    assert client.get(f"/meetings/needs/{needs.third}").status_code == 404


@pytest.fixture
def steering_meeting(app, world) -> int:
    """The world's Lenkungsgruppe meeting next week (published) is the next one."""
    return world.secret_meeting


def test_coordinator_submits_a_need_to_the_steering_group(
    app, client, world, needs, steering_meeting
):
    """Ottilie organises the Jour fixe (the coordination) and sits in the Lenkungsgruppe."""
    with app.app_context():
        steering = db.session.get(Meeting, steering_meeting).body
        services.set_membership(steering, person(world, "ottilie"), "member")
    token = sign_in(client, world, "ottilie")
    url = f"/meetings/needs/{needs.second}"
    html = client.get(url).get_data(as_text=True)
    assert '<option value="submitted">' in html
    response = client.post(url, data={"csrf_token": token, "status": "submitted", "note": ""})
    assert response.status_code == 302
    assert response.location == url
    with app.app_context():
        need = db.session.get(Need, needs.second)
        assert need.status == "submitted"
        steering_item = need.steering_item
        assert steering_item.meeting_id == steering_meeting
        assert steering_item.title == "Bedarf: Beratung Düren"
        item_id = steering_item.id
    html = client.get(url).get_data(as_text=True)
    assert f'href="/meetings/{steering_meeting}#item-{item_id}"' in html
    agenda = client.get(f"/meetings/{steering_meeting}").get_data(as_text=True)
    assert f'id="item-{item_id}"' in agenda and "Bedarf: Beratung Düren" in agenda


def test_need_page_links_only_to_agendas_the_reader_can_open(
    app, client, world, needs, steering_meeting
):
    with app.app_context():
        need = db.session.get(Need, needs.second)
        services.change_need(
            need, "submitted", None, person(world, "adele"), services.now_in_berlin()
        )
    for name in ("ottilie", "olga", "lennart"):  # only Lennart is in the Lenkungsgruppe
        sign_in(client, world, name)
        html = client.get(f"/meetings/needs/{needs.second}").get_data(as_text=True)
        links = re.findall(rf'href="(/meetings/{steering_meeting}[^"]*)"', html)
        assert bool(links) == (name == "lennart"), name
        for link in links:
            assert client.get(link.split("#")[0]).status_code == 200, (name, link)


def test_plain_staff_cannot_change_a_need(app, client, world, needs):
    token = sign_in(client, world, "mirjam")
    url = f"/meetings/needs/{needs.first}"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"csrf_token": token, "status": "in_coordination"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Need, needs.first).status == "raised"


def test_deciding_a_need_needs_a_note(app, client, world, needs, steering_meeting):
    with app.app_context():
        need = db.session.get(Need, needs.second)
        services.change_need(
            need, "submitted", None, person(world, "adele"), services.now_in_berlin()
        )
    token = sign_in(client, world, "ottilie")
    url = f"/meetings/needs/{needs.second}"
    response = client.post(url, data={"csrf_token": token, "status": "decided", "note": ""})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in tag(response.get_data(as_text=True), "note")
    with app.app_context():
        assert db.session.get(Need, needs.second).status == "submitted"
    response = client.post(
        url, data={"csrf_token": token, "status": "decided", "note": "Wird gefördert."}
    )
    assert response.status_code == 302
    with app.app_context():
        need = db.session.get(Need, needs.second)
        assert (need.status, need.decision) == ("decided", "Wird gefördert.")


def test_a_transition_not_offered_is_422(app, client, world, needs):
    token = sign_in(client, world, "ottilie")
    url = f"/meetings/needs/{needs.first}"
    response = client.post(url, data={"csrf_token": token, "status": "decided", "note": "x"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Need, needs.first).status == "raised"


# --- 8. search --------------------------------------------------------------------------


def test_search_finds_an_agenda_item_for_a_member(app, client, world):
    sign_in(client, world, "mirjam")
    response = client.get("/meetings/search?q=Wohnraum")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'href="/meetings/{world.meeting}#item-{world.item}"' in html
    response = client.get("/meetings/search?q=wohnr", headers=HX)
    body = fragment(response)
    assert body.startswith('<div id="results">')
    assert f'href="/meetings/{world.meeting}#item-{world.item}"' in body
    assert "Wohnraum in Jülich" in body


def test_search_hides_draft_minutes_from_members(app, client, world):
    with app.app_context():
        item = db.session.get(AgendaItem, world.item)
        services.save_notes(item, 0, "Obdachlosigkeit nimmt zu", person(world, "ottilie"))
    sign_in(client, world, "mirjam")
    html = client.get("/meetings/search?q=Obdachlosigkeit").get_data(as_text=True)
    assert f"#item-{world.item}" not in html
    sign_in(client, world, "ottilie")
    html = client.get("/meetings/search?q=Obdachlosigkeit").get_data(as_text=True)
    assert f'href="/meetings/{world.meeting}/minutes#item-{world.item}"' in html


def test_search_hides_draft_agendas_from_members(app, client, world):
    with app.app_context():
        services.unpublish(db.session.get(Meeting, world.meeting))
    sign_in(client, world, "mirjam")
    html = client.get("/meetings/search?q=Wohnraum").get_data(as_text=True)
    assert f"#item-{world.item}" not in html
    sign_in(client, world, "ottilie")
    html = client.get("/meetings/search?q=Wohnraum").get_data(as_text=True)
    assert f'href="/meetings/{world.meeting}#item-{world.item}"' in html


def test_search_cuts_long_queries(app, client, world):
    sign_in(client, world, "mirjam")
    response = client.get("/meetings/search?q=" + "wohnraum " * 40)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    value = re.search(r'id="meeting-q" name="q" type="search" value="([^"]*)"', html).group(1)
    assert len(value) == 200
    response = client.get("/meetings/search?q=" + "a" * 5000)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"Wohnraum',
        "*",
        "Wohn*",
        "AND",
        "Wohnraum AND",
        "NEAR(",
        "NEAR(Wohnraum Jülich, 2)",
        "-",
        "-Wohnraum",
        ":",
        "title:Wohnraum",
        "Wohnraum OR NOT",
        "^Wohnraum",
        "(Wohnraum",
        "Wohnraum & | ! <->",
        "'",
        "\\",
        "x" * 45,
        "__ _a a_",
        "ä ö ü ß",
        "١٢٣ ٤٥",
        "\x00",
        "%",
        "und oder der",
    ],
)
def test_search_never_fails_on_special_characters(app, client, world, query):
    sign_in(client, world, "mirjam")
    response = client.get("/meetings/search", query_string={"q": query})
    assert response.status_code == 200, query
    response = client.get("/meetings/search", query_string={"q": query}, headers=HX)
    assert response.status_code == 200, query


# --- 9. ids out of range ----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/meetings/99999999999",
        "/meetings/2147483648",
        "/meetings/0",
        "/meetings/99999999999/minutes",
        "/meetings/99999999999/minutes/print",
        "/meetings/99999999999/print",
        "/meetings/99999999999.ics",
        "/meetings/99999999999/edit",
        "/meetings/99999999999/guests",
        "/meetings/items/99999999999/history",
        "/meetings/items/99999999999/edit",
        "/meetings/bodies/99999999999",
        "/meetings/bodies/99999999999/series/new",
        "/meetings/needs/99999999999",
        "/meetings/2147483647",
        "/meetings/items/2147483647/history",
    ],
)
def test_ids_out_of_range_are_404(app, client, world, url):
    sign_in(client, world, "adele")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/meetings/items/{item}/take", {"meeting": "99999999999"}),
        ("/meetings/{meeting}/guests", {"contact": "99999999999"}),
        ("/meetings/99999999999/publish", {}),
        ("/meetings/items/99999999999/notes", {"version": "0", "notes": "x"}),
        ("/meetings/outcomes/99999999999/status", {"done": "1"}),
    ],
)
def test_ids_out_of_range_in_forms_are_404(app, client, world, url, data):
    with app.app_context():
        topic = services.propose_topic(
            db.session.get(Meeting, world.meeting).body, person(world, "mirjam"), {"title": "T"}
        ).id
    token = sign_in(client, world, "adele")
    url = url.format(item=topic, meeting=world.meeting)
    assert client.post(url, data={**data, "csrf_token": token}).status_code == 404


def test_query_ids_out_of_range_are_ignored(app, client, world):
    sign_in(client, world, "adele")
    assert client.get("/meetings/?body=99999999999").status_code == 200
    assert client.get("/meetings/needs/new?item=99999999999").status_code == 200
    assert client.get("/meetings/needs?body=99999999999").status_code == 200


def _statements(client, app, url: str) -> int:
    """SQL statements of one GET of ``url``."""
    found: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(*args) -> None:
        found.append(args[2])

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(found)


def test_agenda_and_minutes_read_no_row_per_item(app, client, world):
    """As many statements for a meeting of ten items with guests, outcomes and needs as for
    one of two items: nothing is read item by item."""
    sign_in(client, world, "ottilie")
    urls = (f"/meetings/{world.meeting}", f"/meetings/{world.meeting}/minutes")
    before = [_statements(client, app, url) for url in urls]
    with app.app_context():
        meeting = db.session.get(Meeting, world.meeting)
        ottilie = person(world, "ottilie")
        contact = db.session.get(Contact, add_contact(app, world))
        for n in range(8):
            item = services.add_item(meeting, ottilie, {"title": f"Thema {n}"})
            services.invite_contact(meeting, contact, item)
            services.add_outcome(item, {"kind": "information", "text": f"Stand {n}"}, ottilie)
            need = {"title": f"Lücke {n}", "description": "Beratung fehlt"}
            services.raise_need(need, meeting.body, ottilie, item)
    after = [_statements(client, app, url) for url in urls]
    assert after == before
