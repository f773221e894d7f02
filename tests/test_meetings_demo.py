"""The meetings' demo data: bodies with members, meetings past and coming, tasks, needs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from kimweb import demo
from kimweb.auth import services as auth
from kimweb.auth.models import User
from kimweb.consultations.holidays import nrw_holidays
from kimweb.directory.demo import seed_directory
from kimweb.directory.vocabulary import MUNICIPALITIES
from kimweb.extensions import db
from kimweb.meetings import services
from kimweb.meetings.demo import CASE_MANAGERS, seed_meetings
from kimweb.meetings.markup import client_data_warnings
from kimweb.meetings.models import (
    BERLIN,
    NEED_STATES,
    AgendaItem,
    Body,
    Meeting,
    Need,
    Outcome,
)


def user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def bodies() -> SimpleNamespace:
    by_kind = {}
    for body in db.session.scalars(sa.select(Body).order_by(Body.id)):
        by_kind.setdefault(body.kind, body)
    migration = db.session.scalar(sa.select(Body).where(Body.name.contains("Migration")))
    return SimpleNamespace(
        jour_fixe=by_kind["jour_fixe"], steering=by_kind["steering_group"], migration=migration
    )


def meetings_of(body: Body) -> list[Meeting]:
    return list(
        db.session.scalars(
            sa.select(Meeting).where(Meeting.body_id == body.id).order_by(Meeting.start_dt)
        )
    )


def topics(meeting: Meeting) -> list[AgendaItem]:
    return [item for item in meeting.items if not item.is_standing]


@pytest.fixture
def seeded(app_ctx) -> datetime:
    """The whole demo, as ``flask kim seed-demo`` makes it; returns the time after."""
    demo.seed_demo()
    return services.now_in_berlin()


def test_organiser_staff_and_case_managers(seeded):
    organiser, staff, admin = user("organiser"), user("staff"), user("admin")
    body = bodies()
    organised = services.organised_bodies(organiser)
    assert [b.kind for b in organised] == ["jour_fixe", "working_group"]
    assert body.migration in organised
    assert services.role_in(body.steering, admin) == "organiser"
    assert services.role_in(body.jour_fixe, staff) == "member"
    assert services.role_in(body.migration, staff) == "member"

    # A member of other bodies who is not in the steering group cannot open its minutes.
    assert services.role_in(body.steering, staff) is None
    assert not services.can_see(body.steering, staff)
    past = [m for m in meetings_of(body.steering) if m.starts < seeded]
    assert past and past[0].minutes_state == "approved"
    assert not services.can_see_minutes(past[0], staff)
    assert services.can_see_minutes(past[0], organiser)

    jour_fixe_members = {row.user.username for row in services.members(body.jour_fixe)}
    for username, _name in CASE_MANAGERS:
        assert username in jour_fixe_members
    case_manager = user(CASE_MANAGERS[0][0])
    assert case_manager.role == "staff" and case_manager.check_password(demo.DEMO_PASSWORD)
    assert len(services.members(body.steering)) < len(services.members(body.migration))


def test_past_minutes_coming_agendas_and_tasks(seeded):
    organiser, staff = user("organiser"), user("staff")
    jour_fixe = bodies().jour_fixe
    past = [m for m in meetings_of(jour_fixe) if m.starts < seeded]
    assert len(past) >= 5
    assert {m.minutes_state for m in past[:-1]} == {"approved", "locked"}
    assert past[-1].minutes_state == "circulated"
    assert all(m.agenda_state == "published" for m in past)
    assert all(topics(m) and all(item.notes for item in topics(m)) for m in past)
    assert any(m.guests for m in past)
    assert any(g.organisation and "job-com" in g.organisation for m in past for g in m.guests)
    assert {o.kind for m in past for item in m.items for o in item.outcomes} == {
        "information",
        "decision",
        "task",
    }
    assert all(services.attendance(m)[0][1] for m in past)
    assert services.minutes_log(past[0])[-1].action == "lock"

    first = services.next_meeting(jour_fixe, seeded)
    second = services.next_meeting(jour_fixe, first.starts)
    third = services.next_meeting(jour_fixe, second.starts)
    for meeting in (first, second):
        assert meeting.agenda_state == "published"
        assert 2 <= len(topics(meeting)) <= 4
        assert meeting.guests
        assert services.can_see_agenda(meeting, staff)
    assert third.agenda_state == "draft" and not services.can_see_agenda(third, staff)
    proposers = {item.proposed_by.username for item in topics(first) + topics(second)}
    assert proposers - {"organiser"}, "some topics come from the backlog"

    backlog = services.backlog(jour_fixe)
    assert 2 <= len(backlog) <= 3
    assert all(item.proposed_by not in (None, organiser) for item in backlog)
    assert services.next_meeting(bodies().migration, seeded).series_id is not None

    # Tasks: done ones and open ones, carried over to the next meeting.
    tasks = list(db.session.scalars(sa.select(Outcome).where(Outcome.kind == "task")))
    assert {task.status for task in tasks} == {"open", "done"}
    assert all(task.due_date for task in tasks)
    assert any(task.assignee_name and not task.assignee_id for task in tasks)
    for task in tasks:
        if task.status == "done":
            assert task.item.meeting.start_dt < task.done_at

    open_for_staff = services.open_tasks_for(user("staff"))
    assert open_for_staff and all(t.status == "open" for t in open_for_staff)
    assert services.open_tasks_for(user("organiser"))

    carried = services.carried_tasks(first)
    assert carried and all(task.status == "open" for task in carried)
    assert any(task in carried for task in open_for_staff)


def test_needs_in_every_state_reach_the_steering_group(seeded):
    needs = list(db.session.scalars(sa.select(Need).order_by(Need.id)))
    assert {need.status for need in needs} == set(NEED_STATES)
    for need in needs:
        assert need.item is not None and need.item.meeting is not None
        assert need.body.kind in ("jour_fixe", "working_group")
        assert need.target_groups and need.municipalities
        assert set(need.municipalities) <= set(MUNICIPALITIES)
        assert need.events[0].to_status == "raised"
        assert need.events[-1].to_status == need.status
    assert any(need.body.kind == "working_group" for need in needs)

    decided = [need for need in needs if need.status == "decided"]
    assert decided and all(need.decision for need in decided)
    steering = bodies().steering
    for need in decided:
        assert need.steering_item.meeting.starts < seeded
        assert any(o.kind == "decision" for o in need.steering_item.outcomes)

    submitted = next(need for need in needs if need.status == "submitted")
    coming = services.next_meeting(steering, seeded)
    assert submitted.steering_item in coming.items
    assert coming.agenda_state == "published"
    assert timedelta(weeks=3) <= coming.starts - seeded <= timedelta(weeks=6)


def test_texts_are_searchable_and_free_of_client_data(seeded):
    organiser, staff = user("organiser"), user("staff")
    hits = services.search(organiser, "Wohnraumsituation")
    assert any(hit.item.title == "Wohnraumsituation in Jülich" for hit in hits)
    assert services.search(staff, "Wohnraumsituation")
    # Only on the steering group's agenda: hidden from a non-member.
    assert services.search(organiser, "Finanzierungskonzept")
    assert not services.search(staff, "Finanzierungskonzept")

    today = seeded.date()
    for item in db.session.scalars(sa.select(AgendaItem)):
        assert client_data_warnings(item.notes, today=today) == [], item.title
        for outcome in item.outcomes:
            assert client_data_warnings(outcome.text, today=today) == [], outcome.text


# Around Christmas and New Year, on a Jour fixe day, on Ascension Day (a Thursday).
# Date arithmetic only: SQLite is enough.
@pytest.mark.sqlite_only
@pytest.mark.parametrize("today", [date(2026, 12, 22), date(2027, 1, 12), date(2027, 5, 6)])
def test_any_day_gives_a_complete_demo(app_ctx, today):
    users = [
        auth.create_user(name, f"{name}@kimweb.example", label, demo.DEMO_PASSWORD, role=role)
        for name, label, role in demo.DEMO_USERS
    ]
    seed_directory(users[0])
    seed_meetings(users, today=today)
    now = datetime.combine(today, time(0), tzinfo=BERLIN)

    for meeting in db.session.scalars(sa.select(Meeting)):
        assert meeting.starts.date() not in nrw_holidays(meeting.starts.year)
        is_past = meeting.starts < now
        assert is_past == (meeting.minutes_state != "draft")
    jour_fixe, steering = bodies().jour_fixe, bodies().steering
    assert services.next_meeting(jour_fixe, now).agenda_state == "published"
    assert services.carried_tasks(services.next_meeting(jour_fixe, now))
    coming = services.next_meeting(steering, now)
    assert timedelta(weeks=3) <= coming.starts - now <= timedelta(weeks=6)
    assert {need.status for need in db.session.scalars(sa.select(Need))} == set(NEED_STATES)
    submitted = db.session.scalar(sa.select(Need).where(Need.status == "submitted"))
    assert submitted.steering_item.meeting_id == coming.id
