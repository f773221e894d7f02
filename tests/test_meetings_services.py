"""Meeting logic without a browser: access, series and holidays, agendas, carried-over tasks,
the minutes' states, the lost-update guard (also under a real race), needs and search.

Every test runs on SQLite and on PostgreSQL (the ``database_url`` fixture).
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from kimweb.auth.models import User, utcnow
from kimweb.directory import services as directory
from kimweb.extensions import db
from kimweb.meetings import rules, services
from kimweb.meetings.models import (
    BERLIN,
    MINUTES_STATES,
    NEED_STATES,
    AgendaItem,
    Meeting,
    Outcome,
    Revision,
)
from kimweb.meetings.rules import Occurrence
from kimweb.meetings.services import DiffRow, NeedFilter, StateError

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=BERLIN)
HORIZON = TODAY + timedelta(days=services.GENERATE_DAYS)
TUESDAYS = "jeden 2. und 4. Dienstag, 10:00-12:00"


# --- helpers ---------------------------------------------------------------------------


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC datetime (SQLite gives it back naive, in UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def meeting_on(body, day: date, start: time = time(10), end: time = time(12)) -> Meeting:
    """A single meeting of ``body`` on ``day``, times in Düren."""
    return services.create_meeting(
        body,
        datetime.combine(day, start, tzinfo=BERLIN),
        datetime.combine(day, end, tzinfo=BERLIN),
        None,
    )


def meeting_at(body, moment: datetime) -> Meeting:
    return services.create_meeting(body, moment, moment + timedelta(hours=2), None)


def topic(meeting: Meeting, user: User, title: str, **data) -> AgendaItem:
    return services.add_item(meeting, user, {"title": title, **data})


def task(item: AgendaItem, user: User, text: str, **data) -> Outcome:
    return services.add_outcome(item, {"kind": "task", "text": text, **data}, user)


def layout(meeting: Meeting) -> list[tuple[int, str]]:
    """The agenda as (position, title), read fresh from the database."""
    db.session.expire_all()
    return [(item.position, item.title) for item in meeting.items]


def series_meetings(series) -> list[Meeting]:
    return list(
        db.session.scalars(
            sa.select(Meeting).where(Meeting.series_id == series.id).order_by(Meeting.start_dt)
        )
    )


def nth_weekdays(weekday: int, nths: set[int], start: date, end: date) -> list[date]:
    """Every ``nths``-th ``weekday`` of the month from ``start`` to ``end``, counted by hand."""
    days, day = [], start
    while day <= end:
        if day.weekday() == weekday and (day.day - 1) // 7 + 1 in nths:
            days.append(day)
        day += timedelta(days=1)
    return days


def revision_count(item_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Revision).where(Revision.item_id == item_id)
    )


@pytest.fixture
def kim(app_ctx, make_user) -> SimpleNamespace:
    """The built-in bodies and four people: an admin, an organiser and a member of both the
    Jour fixe and the Lenkungsgruppe, and a staff member in neither."""
    jour_fixe, steering, migration, *_ = services.ensure_bodies()
    admin = make_user("admin", role="admin")
    organiser = make_user("orga")
    member = make_user("mitglied")
    outsider = make_user("aussen")
    for body in (jour_fixe, steering):
        services.set_membership(body, organiser, "organiser")
        services.set_membership(body, member, "member")
    return SimpleNamespace(
        jour_fixe=jour_fixe,
        steering=steering,
        migration=migration,
        admin=admin,
        organiser=organiser,
        member=member,
        outsider=outsider,
    )


# --- 1. access --------------------------------------------------------------------------


ACCESS = [
    # body, person, sees, organises
    ("jour_fixe", "admin", True, True),
    ("jour_fixe", "organiser", True, True),
    ("jour_fixe", "member", True, False),
    ("jour_fixe", "outsider", True, False),  # open to all staff
    ("steering", "admin", True, True),
    ("steering", "organiser", True, True),
    ("steering", "member", True, False),
    ("steering", "outsider", False, False),  # members only
]


@pytest.mark.parametrize(("body_key", "person", "sees", "organises"), ACCESS)
def test_who_sees_and_organises_a_body(kim, body_key, person, sees, organises):
    body, user = getattr(kim, body_key), getattr(kim, person)

    assert services.can_see(body, user) is sees
    assert services.can_organise(body, user) is organises


@pytest.mark.parametrize(("body_key", "person", "sees", "organises"), ACCESS)
def test_draft_agenda_and_minutes_only_for_organisers(kim, body_key, person, sees, organises):
    meeting = meeting_on(getattr(kim, body_key), date(2026, 12, 1))
    user = getattr(kim, person)

    assert meeting.agenda_state == "draft" and meeting.minutes_state == "draft"
    assert services.can_see_agenda(meeting, user) is organises
    assert services.can_see_minutes(meeting, user) is organises
    assert services.can_edit_minutes(meeting, user) is organises


@pytest.mark.parametrize(("body_key", "person", "sees", "organises"), ACCESS)
def test_published_agenda_and_circulated_minutes_for_all_who_see(
    kim, body_key, person, sees, organises
):
    meeting = meeting_on(getattr(kim, body_key), date(2026, 12, 1))
    services.publish(meeting)
    services.change_minutes_state(meeting, "circulate", kim.organiser)
    user = getattr(kim, person)

    assert services.can_see_agenda(meeting, user) is sees
    assert services.can_see_minutes(meeting, user) is sees
    assert services.can_edit_minutes(meeting, user) is organises


@pytest.mark.parametrize("person", ["admin", "organiser", "member", "outsider"])
def test_locked_minutes_can_be_edited_by_nobody(kim, person):
    meeting = meeting_on(kim.jour_fixe, date(2026, 12, 1))
    services.change_minutes_state(meeting, "approve", kim.organiser)
    services.change_minutes_state(meeting, "lock", kim.organiser)
    user = getattr(kim, person)

    assert services.can_edit_minutes(meeting, user) is False
    assert services.can_see_minutes(meeting, user) is True


def test_visible_bodies(kim):
    def names(user: User) -> list[str]:
        return [body.name for body in services.visible_bodies(user)]

    everything = [name for name, _kind, _open in services.BUILTIN_BODIES]
    assert names(kim.admin) == everything
    assert names(kim.organiser) == [kim.jour_fixe.name, kim.steering.name]
    assert names(kim.member) == [kim.jour_fixe.name, kim.steering.name]
    assert names(kim.outsider) == [kim.jour_fixe.name]


# --- 2. series --------------------------------------------------------------------------


def tuesday_series(kim, last_date: date | None = None):
    rule = rules.parse_rule(TUESDAYS, today=TODAY)
    return services.save_series(kim.jour_fixe, rule, TUESDAYS, TODAY, last_date, None, TODAY)


def test_series_meets_on_the_second_and_fourth_tuesday_for_a_year(kim):
    series, made = tuesday_series(kim)

    expected = nth_weekdays(1, {2, 4}, TODAY, HORIZON)
    assert expected[0] == date(2026, 11, 24) and expected[-1] == date(2027, 11, 23)
    assert [meeting.series_date for meeting in made] == expected
    assert [meeting.starts.date() for meeting in series_meetings(series)] == expected
    assert series.generated_until == HORIZON
    assert series.rrule == "FREQ=MONTHLY;BYDAY=2TU,4TU"


def test_series_skips_nrw_holidays(kim):
    text = "jeden 4. Donnerstag, 10-12"
    rule = rules.parse_rule(text, today=TODAY)
    series, made = services.save_series(kim.jour_fixe, rule, text, TODAY, None, None, TODAY)

    corpus_christi = date(2027, 5, 27)  # the 4th Thursday of May 2027
    made_days = [meeting.series_date for meeting in made]
    assert corpus_christi not in made_days
    assert date(2027, 4, 22) in made_days and date(2027, 6, 24) in made_days
    assert made_days == [d for d in nth_weekdays(3, {4}, TODAY, HORIZON) if d != corpus_christi]
    assert services.series_dates(series, date(2027, 5, 1), date(2027, 5, 31)) == [
        Occurrence(corpus_christi, "corpus_christi")
    ]


def test_series_times_are_utc_and_ten_oclock_in_berlin_winter_and_summer(kim):
    series, _made = tuesday_series(kim)
    by_day = {meeting.series_date: meeting for meeting in series_meetings(series)}

    winter, summer = by_day[date(2026, 12, 8)], by_day[date(2027, 6, 8)]
    assert as_utc(winter.start_dt) == datetime(2026, 12, 8, 9, 0, tzinfo=UTC)  # CET
    assert as_utc(summer.start_dt) == datetime(2027, 6, 8, 8, 0, tzinfo=UTC)  # CEST
    for meeting in (winter, summer):
        assert (meeting.starts.hour, meeting.starts.minute) == (10, 0)
        assert (meeting.ends.hour, meeting.ends.minute) == (12, 0)
        assert meeting.starts.tzinfo == BERLIN


def test_generating_again_makes_no_duplicates(kim):
    series, made = tuesday_series(kim)

    assert services.generate_meetings(series, TODAY) == []
    assert services.top_up_series(TODAY) == 0  # a year is still ahead
    assert len(series_meetings(series)) == len(made)


def test_top_up_adds_only_the_later_meetings(kim):
    series, made = tuesday_series(kim)
    later = date(2027, 3, 1)

    added = services.top_up_series(later)

    new_days = nth_weekdays(1, {2, 4}, HORIZON + timedelta(days=1), later + timedelta(days=370))
    assert added == len(new_days) > 0
    days = [meeting.series_date for meeting in series_meetings(series)]
    assert days == [meeting.series_date for meeting in made] + new_days
    assert len(days) == len(set(days))


def test_moved_or_cancelled_meetings_are_not_made_again(kim):
    series, made = tuesday_series(kim)
    moved, cancelled = made[0], made[1]
    assert (moved.series_date, cancelled.series_date) == (date(2026, 11, 24), date(2026, 12, 8))
    services.move_meeting(
        moved,
        datetime(2026, 11, 26, 14, 0, tzinfo=BERLIN),
        datetime(2026, 11, 26, 16, 0, tzinfo=BERLIN),
        "Kreishaus",
    )
    services.cancel_meeting(cancelled, "Krankheit")
    series.generated_until = None  # as if never made: every date is looked at again
    db.session.commit()

    assert services.top_up_series(TODAY) == 0
    assert services.generate_meetings(series, TODAY) == []
    meetings = series_meetings(series)
    assert len(meetings) == len(made)
    starts = [meeting.starts.date() for meeting in meetings]
    assert date(2026, 11, 24) not in starts and starts[0] == date(2026, 11, 26)
    assert [m.is_cancelled for m in meetings if m.series_date == date(2026, 12, 8)] == [True]


def test_series_ends_on_its_last_date(kim):
    series, made = tuesday_series(kim, last_date=date(2027, 2, 23))

    assert [meeting.series_date for meeting in made] == [
        date(2026, 11, 24),
        date(2026, 12, 8),
        date(2026, 12, 22),
        date(2027, 1, 12),
        date(2027, 1, 26),
        date(2027, 2, 9),
        date(2027, 2, 23),
    ]
    assert services.top_up_series(date(2027, 2, 1)) == 0
    assert len(series_meetings(series)) == 7


def test_every_meeting_starts_with_the_two_standing_items(kim):
    _series, made = tuesday_series(kim)
    single = meeting_on(kim.steering, date(2026, 12, 3))

    for meeting in [*made[:3], single]:
        db.session.refresh(meeting)
        assert [(item.position, item.kind) for item in meeting.items] == [
            (1, "approve_minutes"),
            (2, "open_tasks"),
        ]
        assert all(item.is_standing for item in meeting.items)


# --- 3. agenda --------------------------------------------------------------------------


@pytest.fixture
def agenda(kim) -> SimpleNamespace:
    """A Jour fixe with the standing items and two topics: A (30 min) and B (45 min)."""
    meeting = meeting_on(kim.jour_fixe, date(2026, 12, 1))
    a = topic(meeting, kim.organiser, "A", duration_min=30)
    b = topic(meeting, kim.organiser, "B", duration_min=45)
    return SimpleNamespace(meeting=meeting, a=a, b=b)


STANDING = [services.STANDING_TITLES["approve_minutes"], services.STANDING_TITLES["open_tasks"]]


def titles(meeting: Meeting) -> list[str]:
    return [title for _position, title in layout(meeting)]


def test_proposed_topic_waits_in_the_backlog(kim, agenda):
    item = services.propose_topic(kim.jour_fixe, kim.member, {"title": "  Wohnraum  "})

    assert item.meeting_id is None
    assert item.title == "Wohnraum"
    assert item.proposed_by_id == kim.member.id
    assert services.backlog(kim.jour_fixe) == [item]
    assert services.backlog(kim.steering) == []
    assert "Wohnraum" not in titles(agenda.meeting)


def test_take_into_meeting_appends_at_the_end(kim, agenda):
    first = services.propose_topic(kim.jour_fixe, kim.member, {"title": "C"})
    second = services.propose_topic(kim.jour_fixe, kim.member, {"title": "D"})

    services.take_into_meeting(second, agenda.meeting)
    services.take_into_meeting(first, agenda.meeting)

    assert layout(agenda.meeting) == list(enumerate([*STANDING, "A", "B", "D", "C"], start=1))
    assert services.backlog(kim.jour_fixe) == []


def test_move_item_up_and_down_renumbers(kim, agenda):
    items = list(agenda.meeting.items)

    assert services.move_item(agenda.b, -1) is True
    assert layout(agenda.meeting) == list(enumerate([*STANDING, "B", "A"], start=1))
    assert services.move_item(agenda.b, +1) is True
    assert layout(agenda.meeting) == list(enumerate([*STANDING, "A", "B"], start=1))
    assert services.move_item(items[0], -1) is False  # already first
    assert services.move_item(agenda.b, +1) is False  # already last
    assert layout(agenda.meeting) == list(enumerate([*STANDING, "A", "B"], start=1))


def test_move_item_in_the_backlog_is_refused(kim):
    item = services.propose_topic(kim.jour_fixe, kim.member, {"title": "C"})

    assert services.move_item(item, -1) is False


def test_return_to_backlog_renumbers(kim, agenda):
    services.return_to_backlog(agenda.a)

    assert layout(agenda.meeting) == list(enumerate([*STANDING, "B"], start=1))
    assert services.backlog(kim.jour_fixe) == [agenda.a]
    assert (agenda.a.meeting_id, agenda.a.position) == (None, 0)


def test_delete_item_renumbers(kim, agenda):
    item_id = agenda.a.id
    services.delete_item(agenda.a)

    assert db.session.get(AgendaItem, item_id) is None
    assert layout(agenda.meeting) == list(enumerate([*STANDING, "B"], start=1))


def test_planned_minutes_and_meeting_minutes(kim, agenda):
    topic(agenda.meeting, kim.organiser, "Ohne Dauer")

    assert services.planned_minutes(agenda.meeting) == 75
    assert services.meeting_minutes(agenda.meeting) == 120


def test_invite_contact_copies_the_name_once(kim, agenda):
    caritas = directory.save_organisation(
        None, {"name": "Caritasverband Düren-Jülich", "kind": "provider"}, kim.organiser
    )
    person = directory.save_contact(
        None, {"organisation_id": caritas.id, "name": "Leyla Demir"}, kim.organiser
    )

    assert services.invite_contact(agenda.meeting, person, None) is True
    assert services.invite_contact(agenda.meeting, person, None) is False
    assert services.invite_contact(agenda.meeting, person, agenda.a) is True  # for item A
    assert services.invite_contact(agenda.meeting, person, agenda.a) is False
    directory.save_contact(person, {"name": "Leyla Demir-Yılmaz"}, kim.organiser)

    db.session.expire_all()
    guests = [(g.name, g.organisation, g.contact_id, g.item_id) for g in agenda.meeting.guests]
    assert guests == [
        ("Leyla Demir", "Caritasverband Düren-Jülich", person.id, None),
        ("Leyla Demir", "Caritasverband Düren-Jülich", person.id, agenda.a.id),
    ]


# --- 4. carried-over tasks --------------------------------------------------------------


@pytest.fixture
def three_meetings(kim) -> SimpleNamespace:
    """Three Jour fixe meetings; the first gives a task."""
    first = meeting_on(kim.jour_fixe, date(2026, 12, 1))
    second = meeting_on(kim.jour_fixe, date(2026, 12, 15))
    third = meeting_on(kim.jour_fixe, date(2027, 1, 12))
    item = topic(first, kim.organiser, "Flyer")
    todo = task(item, kim.organiser, "Flyer drucken", assignee_id=kim.member.id)
    return SimpleNamespace(first=first, second=second, third=third, task=todo)


def test_open_task_is_carried_to_every_later_meeting(three_meetings):
    m = three_meetings

    assert services.carried_tasks(m.first) == []
    assert services.carried_tasks(m.second) == [m.task]
    assert services.carried_tasks(m.third) == [m.task]


def test_task_done_between_meetings_is_carried_only_to_the_earlier(three_meetings):
    m = three_meetings
    m.task.status = "done"
    m.task.done_at = datetime(2026, 12, 20, 8, 0, tzinfo=UTC)  # after the second began
    db.session.commit()

    assert services.carried_tasks(m.second) == [m.task]
    assert services.carried_tasks(m.third) == []


def test_task_done_before_a_meeting_is_not_carried_to_it(three_meetings):
    m = three_meetings
    m.task.status = "done"
    m.task.done_at = datetime(2026, 12, 10, 8, 0, tzinfo=UTC)
    db.session.commit()

    assert services.carried_tasks(m.second) == []
    assert services.carried_tasks(m.third) == []


def test_set_task_status_done_stops_the_carry_over(kim):
    now = utcnow()
    before = meeting_at(kim.jour_fixe, now - timedelta(days=14))
    ongoing = meeting_at(kim.jour_fixe, now - timedelta(hours=1))
    coming = meeting_at(kim.jour_fixe, now + timedelta(days=7))
    todo = task(topic(before, kim.organiser, "Flyer"), kim.organiser, "Flyer drucken")
    assert services.carried_tasks(coming) == [todo]

    services.set_task_status(todo, True)

    assert todo.status == "done"
    assert now <= as_utc(todo.done_at) <= utcnow()
    assert services.carried_tasks(ongoing) == [todo]  # it was still open when that began
    assert services.carried_tasks(coming) == []
    services.set_task_status(todo, False)
    assert (todo.status, todo.done_at) == ("open", None)
    assert services.carried_tasks(coming) == [todo]


def test_tasks_of_another_body_are_never_carried(kim, three_meetings):
    earlier = meeting_on(kim.steering, date(2026, 11, 24))
    steering_task = task(topic(earlier, kim.organiser, "Haushalt"), kim.organiser, "Antrag")
    later = meeting_on(kim.steering, date(2026, 12, 17))

    assert services.carried_tasks(three_meetings.second) == [three_meetings.task]
    assert services.carried_tasks(three_meetings.third) == [three_meetings.task]
    assert services.carried_tasks(later) == [steering_task]


def test_carried_tasks_soonest_due_first(kim):
    first = meeting_on(kim.jour_fixe, date(2026, 12, 1))
    item = topic(first, kim.organiser, "Aufgaben")
    later = task(item, kim.organiser, "später", due_date=date(2027, 2, 1))
    undated = task(item, kim.organiser, "irgendwann")
    sooner = task(item, kim.organiser, "bald", due_date=date(2026, 12, 10))

    second = meeting_on(kim.jour_fixe, date(2026, 12, 15))
    assert services.carried_tasks(second) == [sooner, later, undated]


# --- 5. minutes states ------------------------------------------------------------------


MINUTES_ALLOWED = {
    ("draft", "circulate"): "circulated",
    ("draft", "approve"): "approved",
    ("circulated", "approve"): "approved",
    ("approved", "lock"): "locked",
    ("approved", "reopen"): "draft",
    ("locked", "reopen"): "draft",
}
MINUTES_ACTIONS = ("circulate", "approve", "lock", "reopen")
MINUTES_REFUSED = [
    (state, action)
    for state in MINUTES_STATES
    for action in MINUTES_ACTIONS
    if (state, action) not in MINUTES_ALLOWED
]


def minutes_in(kim, state: str) -> Meeting:
    meeting = meeting_on(kim.jour_fixe, date(2026, 12, 1))
    meeting.minutes_state = state
    db.session.commit()
    return meeting


@pytest.mark.parametrize(
    ("state", "action", "target"), [(*k, v) for k, v in MINUTES_ALLOWED.items()]
)
def test_minutes_transition_allowed(kim, state, action, target):
    meeting = minutes_in(kim, state)

    services.change_minutes_state(meeting, action, kim.organiser, reason="Tippfehler")

    assert meeting.minutes_state == target
    assert [(e.action, e.user_id) for e in services.minutes_log(meeting)] == [
        (action, kim.organiser.id)
    ]


@pytest.mark.parametrize(("state", "action"), MINUTES_REFUSED)
def test_minutes_transition_refused(kim, state, action):
    meeting = minutes_in(kim, state)

    with pytest.raises(StateError):
        services.change_minutes_state(meeting, action, kim.organiser, reason="Tippfehler")

    db.session.expire_all()
    assert meeting.minutes_state == state
    assert services.minutes_log(meeting) == []


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_reopen_needs_a_reason(kim, reason):
    meeting = minutes_in(kim, "locked")

    with pytest.raises(StateError):
        services.change_minutes_state(meeting, "reopen", kim.admin, reason=reason)

    db.session.expire_all()
    assert meeting.minutes_state == "locked"
    assert services.minutes_log(meeting) == []


def test_minutes_log_keeps_every_step_with_reason_and_user(kim):
    meeting = minutes_in(kim, "draft")

    services.change_minutes_state(meeting, "circulate", kim.organiser)
    services.change_minutes_state(meeting, "approve", kim.organiser)
    services.change_minutes_state(meeting, "lock", kim.organiser)
    services.change_minutes_state(meeting, "reopen", kim.admin, reason="Name falsch geschrieben")

    log = [(e.action, e.reason, e.user.username) for e in services.minutes_log(meeting)]
    assert log == [
        ("circulate", None, "orga"),
        ("approve", None, "orga"),
        ("lock", None, "orga"),
        ("reopen", "Name falsch geschrieben", "admin"),
    ]
    assert meeting.minutes_state == "draft"
    assert meeting.circulated_at is not None and meeting.approved_at is not None


# --- 6. lost-update guard ---------------------------------------------------------------


@pytest.fixture
def notes_item(kim) -> AgendaItem:
    meeting = meeting_on(kim.jour_fixe, date(2026, 12, 1))
    return topic(meeting, kim.organiser, "Protokollpunkt")


def test_save_notes_with_the_current_version(kim, notes_item):
    result = services.save_notes(notes_item, 0, "Zeile 1\r\nZeile 2", kim.organiser)

    assert (result.saved, result.version) == (True, 1)
    db.session.expire_all()
    assert (notes_item.notes, notes_item.version) == ("Zeile 1\nZeile 2", 1)
    assert notes_item.notes_updated_by_id == kim.organiser.id
    assert [(r.version, r.notes, r.author_id) for r in services.revisions(notes_item)] == [
        (1, "Zeile 1\nZeile 2", kim.organiser.id)
    ]

    assert services.save_notes(notes_item, 1, "Zeile 1", kim.member).saved is True
    assert [r.version for r in services.revisions(notes_item)] == [2, 1]


def test_save_notes_with_a_stale_version_changes_nothing(kim, notes_item):
    services.save_notes(notes_item, 0, "Fassung der Organisatorin", kim.organiser)

    result = services.save_notes(notes_item, 0, "Fassung des Mitglieds", kim.member)

    assert result.saved is False
    assert result.version == 1
    assert result.theirs == "Fassung der Organisatorin"
    assert result.their_author == kim.organiser.display_name
    db.session.expire_all()
    assert (notes_item.notes, notes_item.version) == ("Fassung der Organisatorin", 1)
    assert notes_item.notes_updated_by_id == kim.organiser.id
    assert revision_count(notes_item.id) == 1


WRITERS = 8


def race(app, item_id: int, writer_ids: list[int], expected: int) -> tuple[list, list]:
    """``WRITERS`` threads, each with its own app context and session, save the notes of
    one item on the same version at the same moment."""
    barrier = threading.Barrier(len(writer_ids))
    results: list = [None] * len(writer_ids)
    errors: list[BaseException] = []

    def save(n: int) -> None:
        try:
            with app.app_context():
                try:
                    item = db.session.get(AgendaItem, item_id)
                    user = db.session.get(User, writer_ids[n])
                    barrier.wait(timeout=30)
                    results[n] = services.save_notes(item, expected, f"Fassung {n}", user)
                finally:
                    db.session.remove()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=save, args=(n,)) for n in range(len(writer_ids))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hangs"
    return results, errors


def test_concurrent_saves_exactly_one_wins(app, make_user):
    with app.app_context():
        jour_fixe = services.ensure_bodies()[0]
        writers = [make_user(f"schreiber{n}") for n in range(WRITERS)]
        meeting = meeting_on(jour_fixe, date(2026, 12, 1))
        item_id = topic(meeting, writers[0], "Gleichzeitig").id
        writer_ids = [writer.id for writer in writers]
        names = {writer.id: writer.display_name for writer in writers}
        db.session.remove()

    for round_ in range(3):
        results, errors = race(app, item_id, writer_ids, expected=round_)

        assert errors == [], f"round {round_}: {errors!r}"
        winners = [n for n, result in enumerate(results) if result.saved]
        assert len(winners) == 1, f"round {round_}: {results!r}"
        winner = winners[0]
        for n, result in enumerate(results):
            assert result.version == round_ + 1
            if n != winner:
                assert result.theirs == f"Fassung {winner}"
                assert result.their_author == names[writer_ids[winner]]
        with app.app_context():
            item = db.session.get(AgendaItem, item_id)
            assert (item.version, item.notes) == (round_ + 1, f"Fassung {winner}")
            assert item.notes_updated_by_id == writer_ids[winner]
            assert revision_count(item_id) == round_ + 1
            newest = services.revisions(item)[0]
            assert (newest.version, newest.author_id) == (round_ + 1, writer_ids[winner])
            db.session.remove()


# --- 7. diff ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "rows"),
    [
        ("a\nb", "a\nb", [DiffRow("equal", ["a", "b"], ["a", "b"])]),
        ("a", "a\nb", [DiffRow("equal", ["a"], ["a"]), DiffRow("insert", [], ["b"])]),
        ("a\nb", "b", [DiffRow("delete", ["a"], []), DiffRow("equal", ["b"], ["b"])]),
        (
            "a\nb\nc",
            "a\nB\nc",
            [
                DiffRow("equal", ["a"], ["a"]),
                DiffRow("replace", ["b"], ["B"]),
                DiffRow("equal", ["c"], ["c"]),
            ],
        ),
        ("", "neu", [DiffRow("insert", [], ["neu"])]),
    ],
)
def test_diff_rows(old, new, rows):
    assert services.diff(old, new) == rows


# --- 8. needs ---------------------------------------------------------------------------


def raise_need(kim, body=None, title="Sprachkurs mit Kinderbetreuung", places=("Düren",)):
    data = {
        "title": f"  {title} ",
        "description": "Es fehlen Plätze.",
        "municipalities": list(places),
    }
    return services.raise_need(data, body or kim.jour_fixe, kim.member)


def submit(need, kim, now: datetime = NOW) -> None:
    services.change_need(need, "in_coordination", None, kim.organiser, now)
    services.change_need(need, "submitted", "Für die Lenkungsgruppe", kim.organiser, now)


def test_raise_need(kim):
    need = raise_need(kim, places=("Düren", "Jülich", "Düren"))

    assert need.title == "Sprachkurs mit Kinderbetreuung"
    assert need.status == "raised"
    assert need.municipalities == ["Düren", "Jülich"]
    assert [(e.from_status, e.to_status, e.user_id) for e in need.events] == [
        (None, "raised", kim.member.id)
    ]


def test_change_need_follows_the_transitions(kim):
    meeting_on(kim.steering, date(2026, 12, 3))
    for source in NEED_STATES:
        for target in NEED_STATES:
            need = raise_need(kim, title=f"{source} -> {target}")
            need.status = source
            db.session.commit()
            if target in services.NEED_TRANSITIONS[source]:
                services.change_need(need, target, None, kim.organiser, NOW)
                assert need.status == target, (source, target)
                assert need.events[-1].from_status == source
            else:
                with pytest.raises(StateError):
                    services.change_need(need, target, None, kim.organiser, NOW)
                db.session.expire_all()
                assert need.status == source, (source, target)
                assert len(need.events) == 1, (source, target)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("raised", "submitted"),
        ("raised", "decided"),
        ("in_coordination", "decided"),
        ("decided", "raised"),
        ("closed", "decided"),
        ("raised", "raised"),
    ],
)
def test_change_need_refuses_skipping_steps(kim, source, target):
    need = raise_need(kim)
    need.status = source
    db.session.commit()

    with pytest.raises(StateError):
        services.change_need(need, target, None, kim.organiser, NOW)


def test_submitted_need_goes_on_the_next_steering_meeting(kim):
    meeting_on(kim.steering, date(2026, 11, 19))  # already past
    cancelled = meeting_on(kim.steering, date(2026, 11, 26))
    services.cancel_meeting(cancelled, None)
    upcoming = meeting_on(kim.steering, date(2026, 12, 3))
    meeting_on(kim.steering, date(2027, 1, 14))
    need = raise_need(kim)

    submit(need, kim)

    item = need.steering_item
    assert need.status == "submitted"
    assert (item.meeting_id, item.body_id) == (upcoming.id, kim.steering.id)
    assert item.title == "Bedarf: Sprachkurs mit Kinderbetreuung"
    assert item.position == 3  # after the two standing items
    assert services.backlog(kim.steering) == []


def test_submitted_need_without_a_steering_meeting_goes_to_its_backlog(kim):
    meeting_on(kim.steering, date(2026, 11, 19))  # already past
    need = raise_need(kim)

    submit(need, kim)

    assert need.steering_item.meeting_id is None
    assert services.backlog(kim.steering) == [need.steering_item]


def test_decision_on_the_steering_item_decides_the_need(kim):
    meeting_on(kim.steering, date(2026, 12, 3))
    need = raise_need(kim)
    other = raise_need(kim, title="Anderer Bedarf")
    submit(need, kim)

    services.add_outcome(
        need.steering_item, {"kind": "decision", "text": " Mittel werden bewilligt. "}, kim.admin
    )

    db.session.expire_all()
    assert need.status == "decided"
    assert need.decision == "Mittel werden bewilligt."
    assert (need.events[-1].to_status, need.events[-1].note) == (
        "decided",
        "Mittel werden bewilligt.",
    )
    assert (other.status, other.decision) == ("raised", None)


def test_information_on_the_steering_item_does_not_decide(kim):
    meeting_on(kim.steering, date(2026, 12, 3))
    need = raise_need(kim)
    submit(need, kim)

    services.add_outcome(need.steering_item, {"kind": "information", "text": "Vertagt"}, kim.admin)

    db.session.expire_all()
    assert (need.status, need.decision) == ("submitted", None)


def test_needs_filters_and_visibility(kim):
    duren = raise_need(kim, title="Düren", places=("Düren",))
    julich = raise_need(kim, title="Jülich", places=("Jülich",))
    services.change_need(julich, "in_coordination", None, kim.organiser, NOW)
    steering = raise_need(kim, body=kim.steering, title="Lenkung", places=("Düren",))

    def found(user: User, **filters) -> list[int]:
        return sorted(need.id for need in services.needs(NeedFilter(**filters), user))

    assert found(kim.member) == sorted([duren.id, julich.id, steering.id])
    assert found(kim.outsider) == sorted([duren.id, julich.id])
    assert found(kim.member, status="raised") == sorted([duren.id, steering.id])
    assert found(kim.member, status="in_coordination") == [julich.id]
    assert found(kim.member, body_id=kim.steering.id) == [steering.id]
    assert found(kim.outsider, body_id=kim.steering.id) == []
    assert found(kim.member, municipality="Düren") == sorted([duren.id, steering.id])
    assert found(kim.outsider, municipality="Düren") == [duren.id]
    assert found(kim.member, municipality="Nideggen") == []
    assert services.can_see_need(steering, kim.outsider) is False


def test_need_history_in_order(kim):
    meeting_on(kim.steering, date(2026, 12, 3))
    need = raise_need(kim)
    services.change_need(need, "in_coordination", "Prüfen", kim.organiser, NOW)
    services.change_need(need, "submitted", None, kim.organiser, NOW)
    services.add_outcome(need.steering_item, {"kind": "decision", "text": "Ja"}, kim.admin)
    services.change_need(need, "closed", "Umgesetzt", kim.organiser, NOW)

    db.session.expire_all()
    history = [(e.from_status, e.to_status, e.note, e.user_id) for e in need.events]
    assert history == [
        (None, "raised", None, kim.member.id),
        ("raised", "in_coordination", "Prüfen", kim.organiser.id),
        ("in_coordination", "submitted", None, kim.organiser.id),
        ("submitted", "decided", "Ja", kim.admin.id),
        ("decided", "closed", "Umgesetzt", kim.organiser.id),
    ]


# --- 9. search --------------------------------------------------------------------------


@pytest.fixture
def searchable(kim) -> SimpleNamespace:
    """Open: agenda published, minutes circulated. Half: agenda published, minutes draft.
    Hidden: both draft. Steering: published and circulated, Lenkungsgruppe only."""
    open_ = topic(meeting_on(kim.jour_fixe, date(2026, 11, 3)), kim.organiser, "Wohnraum")
    services.save_notes(open_, 0, "Das Protokoll wurde verlesen.", kim.organiser)
    half = topic(meeting_on(kim.jour_fixe, date(2026, 11, 10)), kim.organiser, "Sprachkurse")
    services.save_notes(half, 0, "Kinderbetreuung fehlt.", kim.organiser)
    hidden = topic(meeting_on(kim.jour_fixe, date(2026, 11, 17)), kim.organiser, "Geheimplan")
    services.save_notes(hidden, 0, "Entwurfsnotiz", kim.organiser)
    steering = topic(meeting_on(kim.steering, date(2026, 11, 5)), kim.organiser, "Haushaltsmittel")
    services.save_notes(steering, 0, "Finanzierung geklärt.", kim.organiser)
    for item in (open_, half, steering):
        services.publish(item.meeting)
    for item in (open_, steering):
        services.change_minutes_state(item.meeting, "circulate", kim.organiser)
    return SimpleNamespace(open=open_, half=half, hidden=hidden, steering=steering)


def hits(user: User, query: str) -> list[tuple[int, str]]:
    """(item id, part) of the topics found; the standing items ("Genehmigung des
    Protokolls ...") are left out."""
    found = services.search(user, query)
    return sorted((hit.item.id, hit.part) for hit in found if not hit.item.is_standing)


def test_search_finds_titles_and_notes(kim, searchable):
    s = searchable

    assert hits(kim.member, "wohnraum") == [(s.open.id, "agenda")]
    assert hits(kim.member, "Protokoll") == [(s.open.id, "minutes")]
    assert hits(kim.member, "Protokoll verlesen") == [(s.open.id, "minutes")]
    assert hits(kim.member, "Protokoll Wohnraum") == []  # every word, in one part
    assert hits(kim.member, "Unbekannt") == []
    assert hits(kim.member, "") == []


def test_search_by_prefix(kim, searchable):
    assert hits(kim.member, "Wohn") == [(searchable.open.id, "agenda")]
    assert hits(kim.member, "Haushalt") == [(searchable.steering.id, "agenda")]


def test_search_stems_german_words_on_postgresql(kim, searchable):
    found = hits(kim.member, "Protokolle")  # the notes say "Protokoll"

    if db.engine.dialect.name == "postgresql":
        assert found == [(searchable.open.id, "minutes")]
    else:  # FTS5 without a German stemmer: prefixes only
        assert found == []
        assert hits(kim.member, "Protokol") == [(searchable.open.id, "minutes")]


def test_search_hides_drafts_from_members_not_from_organisers(kim, searchable):
    s = searchable

    assert hits(kim.member, "Sprachkurse") == [(s.half.id, "agenda")]
    assert hits(kim.member, "Kinderbetreuung") == []  # minutes still draft
    assert hits(kim.member, "Geheimplan") == []  # agenda still draft
    assert hits(kim.member, "Entwurfsnotiz") == []
    assert hits(kim.outsider, "Kinderbetreuung") == []
    assert hits(kim.organiser, "Kinderbetreuung") == [(s.half.id, "minutes")]
    assert hits(kim.organiser, "Geheimplan") == [(s.hidden.id, "agenda")]
    assert hits(kim.organiser, "Entwurfsnotiz") == [(s.hidden.id, "minutes")]
    assert hits(kim.admin, "Entwurfsnotiz") == [(s.hidden.id, "minutes")]


def test_search_shows_nothing_of_the_steering_group_to_non_members(kim, searchable):
    s = searchable

    assert hits(kim.outsider, "Haushaltsmittel") == []
    assert hits(kim.outsider, "Finanzierung") == []
    assert hits(kim.outsider, "Wohnraum") == [(s.open.id, "agenda")]  # the open Jour fixe
    assert hits(kim.member, "Haushaltsmittel") == [(s.steering.id, "agenda")]
    assert hits(kim.member, "Finanzierung") == [(s.steering.id, "minutes")]


def test_standing_items_are_indexed_whether_or_not_the_minutes_moved_on(kim):
    """Two published agendas with the same standing items: search treats them alike.
    (Today the standing items are indexed only when the minutes change state.)"""
    circulated = meeting_on(kim.jour_fixe, date(2026, 11, 3))
    draft = meeting_on(kim.jour_fixe, date(2026, 11, 10))
    for meeting in (circulated, draft):
        services.publish(meeting)
    services.change_minutes_state(circulated, "circulate", kim.organiser)

    found = {hit.item.meeting_id for hit in services.search(kim.organiser, "Genehmigung")}

    assert found in (set(), {circulated.id, draft.id})


def test_search_ignores_backlog_topics(kim):
    services.propose_topic(kim.jour_fixe, kim.member, {"title": "Wohnraum"})

    assert hits(kim.organiser, "Wohnraum") == []


# --- 10. my open tasks ------------------------------------------------------------------


def test_open_tasks_for_a_user(kim):
    item = topic(meeting_on(kim.jour_fixe, date(2026, 12, 1)), kim.organiser, "Aufgaben")
    mine = {"assignee_id": kim.outsider.id}
    later = task(item, kim.organiser, "später", due_date=date(2027, 1, 10), **mine)
    undated = task(item, kim.organiser, "ohne Termin", **mine)
    sooner = task(item, kim.organiser, "bald", due_date=date(2026, 12, 5), **mine)
    done = task(item, kim.organiser, "erledigt", due_date=date(2026, 12, 1), **mine)
    services.set_task_status(done, True)
    task(item, kim.organiser, "jemand anderes", assignee_id=kim.member.id)
    services.add_outcome(item, {"kind": "information", "text": "Info", **mine}, kim.organiser)
    hidden = topic(meeting_on(kim.steering, date(2026, 12, 3)), kim.organiser, "Lenkung")
    task(hidden, kim.organiser, "nicht sichtbar", due_date=date(2026, 12, 2), **mine)

    assert services.open_tasks_for(kim.outsider) == [sooner, later, undated]
    assert [t.text for t in services.open_tasks_for(kim.member)] == ["jemand anderes"]
