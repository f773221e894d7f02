"""Meetings: who may see and organise what, series, agendas, minutes, tasks and needs.

Plain functions without the Flask request; views call them, tests call them directly.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so

from kimweb.auth.models import User, utcnow
from kimweb.directory.models import Contact
from kimweb.extensions import db
from kimweb.meetings import rules
from kimweb.meetings.models import (
    BERLIN,
    AgendaItem,
    Attendance,
    Body,
    Meeting,
    MeetingSearch,
    Membership,
    MinutesEvent,
    Need,
    NeedEvent,
    Outcome,
    Revision,
    Series,
)

GENERATE_DAYS = 370  # meetings of a series exist this far ahead
TOP_UP_DAYS = 300  # ... and are topped up when fewer days are left
MAX_NOTES = 50_000


def now_in_berlin() -> datetime:
    return datetime.now(BERLIN)


def utc(moment: datetime) -> datetime:
    """What is stored and compared: UTC (SQLite keeps no offset)."""
    return moment.astimezone(UTC)


def at(day: date, moment: time) -> datetime:
    """``moment`` o'clock in Düren on ``day``, in UTC."""
    return utc(datetime.combine(day, moment, tzinfo=BERLIN))


# --- who may do what -------------------------------------------------------------------


def role_in(body: Body, user: User) -> str | None:
    """``organiser``, ``member`` or None."""
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(Membership.role).where(
            Membership.body_id == body.id, Membership.user_id == user.id
        )
    )


def can_see(body: Body, user: User) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_admin or body.is_open_to_staff or role_in(body, user) is not None


def can_organise(body: Body, user: User) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_admin or role_in(body, user) == "organiser"


def can_see_agenda(meeting: Meeting, user: User) -> bool:
    if not can_see(meeting.body, user):
        return False
    return meeting.agenda_state == "published" or can_organise(meeting.body, user)


def can_see_minutes(meeting: Meeting, user: User) -> bool:
    if not can_see(meeting.body, user):
        return False
    return meeting.minutes_state != "draft" or can_organise(meeting.body, user)


def can_edit_minutes(meeting: Meeting, user: User) -> bool:
    return meeting.minutes_state != "locked" and can_organise(meeting.body, user)


def visible_body_ids(user: User) -> sa.Select:
    """A subquery of the ids of the bodies ``user`` may see."""
    query = sa.select(Body.id)
    if user.is_admin:
        return query
    mine = sa.select(Membership.body_id).where(Membership.user_id == user.id)
    return query.where(sa.or_(Body.is_open_to_staff.is_(True), Body.id.in_(mine)))


def organised_body_ids(user: User) -> sa.Select:
    if user.is_admin:
        return sa.select(Body.id)
    return sa.select(Membership.body_id).where(
        Membership.user_id == user.id, Membership.role == "organiser"
    )


def visible_bodies(user: User) -> list[Body]:
    return list(
        db.session.scalars(
            sa.select(Body).where(Body.id.in_(visible_body_ids(user))).order_by(Body.id)
        )
    )


def organised_bodies(user: User) -> list[Body]:
    return list(
        db.session.scalars(
            sa.select(Body).where(Body.id.in_(organised_body_ids(user))).order_by(Body.id)
        )
    )


def is_coordinator(user: User) -> bool:
    """Organisers of any body (the coordination at the KI) and admins move needs on."""
    if user.is_admin:
        return True
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Membership)
            .where(Membership.user_id == user.id, Membership.role == "organiser")
        )
        > 0
    )


def members(body: Body) -> list[Membership]:
    return list(
        db.session.scalars(
            sa.select(Membership)
            .join(User)
            .where(Membership.body_id == body.id)
            .options(so.contains_eager(Membership.user))
            .order_by(User.display_name)
        )
    )


def set_membership(body: Body, user: User, role: str | None) -> None:
    """Add, change or (role None) remove a membership."""
    row = db.session.get(Membership, (body.id, user.id))
    if role is None:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(Membership(body_id=body.id, user_id=user.id, role=role))
    else:
        row.role = role
    db.session.commit()


BUILTIN_BODIES = (
    ("Jour fixe Case-Management", "jour_fixe", True),
    ("Lenkungsgruppe", "steering_group", False),
    ("Arbeitskreis „Migration“", "working_group", False),
    ("Arbeitskreis „Beratung für Frauen mit Zuwanderungsgeschichte“", "working_group", False),
    (
        "Arbeitskreis „hauptamtliche Sozialarbeiter*innen in der Flüchtlingsarbeit“",
        "working_group",
        False,
    ),
    ("Integrationskurskonferenz", "conference", False),
)


def ensure_bodies() -> list[Body]:
    """The bodies of the KIM Kreis Düren (made by the migration; again after a wipe)."""
    existing = {body.name: body for body in db.session.scalars(sa.select(Body))}
    for name, kind, is_open in BUILTIN_BODIES:
        if name not in existing:
            existing[name] = Body(name=name, kind=kind, is_open_to_staff=is_open)
            db.session.add(existing[name])
    db.session.commit()
    return [existing[name] for name, _kind, _open in BUILTIN_BODIES]


def steering_group() -> Body | None:
    return db.session.scalar(
        sa.select(Body).where(Body.kind == "steering_group").order_by(Body.id).limit(1)
    )


# --- series and meetings ---------------------------------------------------------------


def save_series(
    body: Body,
    rule: rules.Rule,
    rule_text: str,
    first_date: date,
    last_date: date | None,
    location: str | None,
    today: date,
) -> tuple[Series, list[Meeting]]:
    """A new series of ``body``; its meetings of the coming year are made at once."""
    series = Series(
        body=body,
        rule_text=rule_text.strip(),
        rrule=rule.rrule,
        start_time=rule.start_time,
        end_time=rule.end_time,
        first_date=first_date,
        last_date=last_date,
        location=location or body.default_location,
    )
    db.session.add(series)
    db.session.flush()
    made = generate_meetings(series, today)
    db.session.commit()
    return series, made


def series_rule(series: Series) -> rules.Rule:
    return rules.Rule(series.rrule, series.start_time, series.end_time)


def series_dates(series: Series, start: date, end: date) -> list[rules.Occurrence]:
    """The dates of ``series`` between ``start`` and ``end``, holidays marked."""
    start = max(start, series.first_date)
    if series.last_date:
        end = min(end, series.last_date)
    if end < start:
        return []
    return rules.expand(series_rule(series), series.first_date, start, end)


def generate_meetings(series: Series, today: date) -> list[Meeting]:
    """Make the meetings of ``series`` up to a year ahead; dates on holidays are skipped,
    dates made before (also if moved or cancelled since) are not made again."""
    start = max(series.first_date, today, (series.generated_until or date.min) + timedelta(1))
    end = today + timedelta(days=GENERATE_DAYS)
    existing = set(
        db.session.scalars(sa.select(Meeting.series_date).where(Meeting.series_id == series.id))
    )
    made = []
    for occurrence in series_dates(series, start, end):
        if occurrence.holiday or occurrence.day in existing:
            continue
        meeting = Meeting(
            body_id=series.body_id,
            series_id=series.id,
            series_date=occurrence.day,
            start_dt=at(occurrence.day, series.start_time),
            end_dt=at(occurrence.day, series.end_time),
            location=series.location,
        )
        db.session.add(meeting)
        db.session.flush()
        add_standing_items(meeting)
        made.append(meeting)
    series.generated_until = end
    return made


def top_up_series(today: date) -> int:
    """Make later meetings of series whose made meetings run out within ``TOP_UP_DAYS``."""
    due = db.session.scalars(
        sa.select(Series).where(
            Series.is_active.is_(True),
            sa.or_(
                Series.generated_until.is_(None),
                Series.generated_until < today + timedelta(days=TOP_UP_DAYS),
            ),
        )
    ).all()
    if not due:
        return 0
    try:
        count = sum(len(generate_meetings(series, today)) for series in due)
        db.session.commit()
    except sa.exc.IntegrityError:  # another worker made the same meetings just now
        db.session.rollback()
        return 0
    return count


def create_meeting(
    body: Body, start_dt: datetime, end_dt: datetime, location: str | None
) -> Meeting:
    meeting = Meeting(
        body=body,
        start_dt=utc(start_dt),
        end_dt=utc(end_dt),
        location=location or body.default_location,
    )
    db.session.add(meeting)
    db.session.flush()
    add_standing_items(meeting)
    db.session.commit()
    return meeting


def move_meeting(
    meeting: Meeting, start_dt: datetime, end_dt: datetime, location: str | None
) -> None:
    meeting.start_dt, meeting.end_dt = utc(start_dt), utc(end_dt)
    meeting.location = location or None
    db.session.commit()


def cancel_meeting(meeting: Meeting, reason: str | None) -> None:
    meeting.is_cancelled = True
    meeting.cancel_reason = reason or None
    db.session.commit()


def restore_meeting(meeting: Meeting) -> None:
    meeting.is_cancelled = False
    meeting.cancel_reason = None
    db.session.commit()


def meetings_of(
    user: User, upcoming: bool, now: datetime, body_id: int | None = None, limit: int = 100
) -> list[Meeting]:
    """Meetings ``user`` may see: upcoming (soonest first) or past (latest first).

    Draft agendas count for organisers only; others see the date with no agenda link."""
    query = (
        sa.select(Meeting)
        .where(Meeting.body_id.in_(visible_body_ids(user)))
        .options(so.joinedload(Meeting.body))
        .limit(limit)
    )
    if body_id:
        query = query.where(Meeting.body_id == body_id)
    if upcoming:
        query = query.where(Meeting.end_dt >= utc(now)).order_by(Meeting.start_dt)
    else:
        query = query.where(Meeting.end_dt < utc(now)).order_by(Meeting.start_dt.desc())
    return list(db.session.scalars(query))


def next_meeting(body: Body, after: datetime) -> Meeting | None:
    return db.session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.body_id == body.id,
            Meeting.is_cancelled.is_(False),
            Meeting.start_dt > utc(after),
        )
        .order_by(Meeting.start_dt)
        .limit(1)
    )


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last meeting of the same body before ``meeting`` that took place."""
    return db.session.scalar(
        sa.select(Meeting)
        .where(
            Meeting.body_id == meeting.body_id,
            Meeting.is_cancelled.is_(False),
            Meeting.start_dt < meeting.start_dt,
        )
        .order_by(Meeting.start_dt.desc())
        .limit(1)
    )


# --- agenda -----------------------------------------------------------------------------


STANDING_TITLES = {
    "approve_minutes": "Genehmigung des Protokolls der letzten Sitzung",
    "open_tasks": "Offene Aufgaben aus früheren Sitzungen",
}


def add_standing_items(meeting: Meeting) -> None:
    """TOP 1 approves the previous minutes, TOP 2 lists the open tasks carried over."""
    for position, kind in enumerate(("approve_minutes", "open_tasks"), start=1):
        db.session.add(
            AgendaItem(
                body_id=meeting.body_id,
                meeting_id=meeting.id,
                position=position,
                kind=kind,
                title=STANDING_TITLES[kind],
            )
        )
    db.session.flush()


def carried_tasks(meeting: Meeting) -> list[Outcome]:
    """Tasks from earlier meetings of the body still open when ``meeting`` began
    (for a coming meeting: open now). Carried over until done."""
    query = (
        sa.select(Outcome)
        .join(AgendaItem, Outcome.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(
            Outcome.kind == "task",
            Meeting.body_id == meeting.body_id,
            Meeting.start_dt < meeting.start_dt,
            sa.or_(Outcome.status == "open", Outcome.done_at >= meeting.start_dt),
        )
        .options(
            so.contains_eager(Outcome.item).contains_eager(AgendaItem.meeting),
            so.joinedload(Outcome.assignee),
        )
        .order_by(Outcome.due_date.is_(None), Outcome.due_date, Outcome.id)
    )
    return list(db.session.scalars(query))


def backlog(body: Body) -> list[AgendaItem]:
    return list(
        db.session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.body_id == body.id, AgendaItem.meeting_id.is_(None))
            .options(so.joinedload(AgendaItem.proposed_by))
            .order_by(AgendaItem.created_at, AgendaItem.id)
        )
    )


ITEM_FIELDS = ("title", "description", "duration_min", "presenter")


def propose_topic(body: Body, user: User, data: dict) -> AgendaItem:
    item = AgendaItem(body_id=body.id, proposed_by_id=user.id, kind="topic")
    _fill_item(item, data)
    db.session.add(item)
    db.session.flush()
    reindex_item(item)
    db.session.commit()
    return item


def add_item(meeting: Meeting, user: User, data: dict) -> AgendaItem:
    item = AgendaItem(
        body_id=meeting.body_id,
        meeting_id=meeting.id,
        proposed_by_id=user.id,
        kind="topic",
        position=_next_position(meeting),
    )
    _fill_item(item, data)
    db.session.add(item)
    db.session.flush()
    reindex_item(item)
    db.session.commit()
    return item


def update_item(item: AgendaItem, data: dict) -> None:
    _fill_item(item, data)
    reindex_item(item)
    db.session.commit()


def _fill_item(item: AgendaItem, data: dict) -> None:
    for name in ITEM_FIELDS:
        if name in data:
            value = data[name]
            setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.description = item.description or None
    item.presenter = item.presenter or None


def _next_position(meeting: Meeting) -> int:
    highest = db.session.scalar(
        sa.select(sa.func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
    )
    return (highest or 0) + 1


def take_into_meeting(item: AgendaItem, meeting: Meeting) -> None:
    """Put a backlog topic on ``meeting``'s agenda, at the end."""
    item.meeting_id = meeting.id
    item.position = _next_position(meeting)
    db.session.commit()


def return_to_backlog(item: AgendaItem) -> None:
    meeting = item.meeting
    item.meeting_id = None
    item.position = 0
    db.session.flush()
    if meeting is not None:
        db.session.refresh(meeting)
        _renumber(meeting)
    db.session.commit()


def delete_item(item: AgendaItem) -> None:
    meeting = item.meeting
    db.session.delete(item)
    db.session.flush()
    if meeting is not None:
        db.session.refresh(meeting)
        _renumber(meeting)
    db.session.commit()


def move_item(item: AgendaItem, step: int) -> bool:
    """Move ``item`` one place up (-1) or down (+1); False at either end."""
    meeting = item.meeting
    if meeting is None:
        return False
    items = list(meeting.items)
    index = items.index(item)
    target = index + step
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, row in enumerate(items, start=1):
        row.position = position
    db.session.commit()
    return True


def _renumber(meeting: Meeting) -> None:
    for position, row in enumerate(meeting.items, start=1):
        row.position = position


def planned_minutes(meeting: Meeting) -> int:
    return sum(item.duration_min or 0 for item in meeting.items)


def meeting_minutes(meeting: Meeting) -> int:
    return int((meeting.end_dt - meeting.start_dt).total_seconds() // 60)


def invite_contact(meeting: Meeting, contact: Contact, item: AgendaItem | None) -> bool:
    """Invite a contact person from the directory; False if already invited for that."""
    for guest in meeting.guests:
        if guest.contact_id == contact.id and guest.item_id == (item.id if item else None):
            return False
    from kimweb.meetings.models import Guest

    meeting.guests.append(
        Guest(
            contact_id=contact.id,
            item_id=item.id if item else None,
            name=contact.name,
            organisation=contact.organisation.name if contact.organisation else None,
        )
    )
    db.session.commit()
    return True


def publish(meeting: Meeting) -> None:
    meeting.agenda_state = "published"
    meeting.published_at = utcnow()
    db.session.commit()


def unpublish(meeting: Meeting) -> None:
    meeting.agenda_state = "draft"
    db.session.commit()


# --- minutes ----------------------------------------------------------------------------


class StateError(ValueError):
    """A change of state that is not allowed from the current state."""


MINUTES_TRANSITIONS = {
    "circulate": ({"draft"}, "circulated"),
    "approve": ({"draft", "circulated"}, "approved"),
    "lock": ({"approved"}, "locked"),
    "reopen": ({"locked", "approved"}, "draft"),
}


def change_minutes_state(
    meeting: Meeting, action: str, user: User, reason: str | None = None
) -> None:
    """Circulate, approve, lock or (admins, with a reason) reopen the minutes; logged."""
    sources, target = MINUTES_TRANSITIONS[action]
    if meeting.minutes_state not in sources:
        raise StateError(action)
    reason = (reason or "").strip() or None
    if action == "reopen" and not reason:
        raise StateError("reason")
    meeting.minutes_state = target
    if action == "circulate":
        meeting.circulated_at = utcnow()
    elif action == "approve":
        meeting.approved_at = utcnow()
    db.session.add(
        MinutesEvent(meeting_id=meeting.id, action=action, reason=reason, user_id=user.id)
    )
    for item in meeting.items:
        reindex_item(item)
    db.session.commit()


def minutes_log(meeting: Meeting) -> list[MinutesEvent]:
    return list(
        db.session.scalars(
            sa.select(MinutesEvent)
            .where(MinutesEvent.meeting_id == meeting.id)
            .options(so.joinedload(MinutesEvent.user))
            .order_by(MinutesEvent.id)
        )
    )


@dataclass
class SaveResult:
    saved: bool
    version: int
    theirs: str = ""  # the text saved in between, for a refused save
    their_author: str = ""


def save_notes(item: AgendaItem, expected_version: int, text: str, user: User) -> SaveResult:
    """Save ``text`` as the notes of ``item`` if nobody saved since ``expected_version``.

    One conditional UPDATE decides: of many saves on the same version exactly one wins,
    the others get the text that won (nothing is overwritten unseen)."""
    text = text.replace("\r\n", "\n")[:MAX_NOTES]
    result = db.session.execute(
        sa.update(AgendaItem)
        .where(AgendaItem.id == item.id, AgendaItem.version == expected_version)
        .values(
            notes=text,
            version=AgendaItem.version + 1,
            notes_updated_at=utcnow(),
            notes_updated_by_id=user.id,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.rollback()
        db.session.refresh(item)
        author = item.notes_updated_by.display_name if item.notes_updated_by else ""
        return SaveResult(False, item.version, item.notes, author)
    version = expected_version + 1
    db.session.add(Revision(item_id=item.id, version=version, notes=text, author_id=user.id))
    db.session.flush()
    db.session.refresh(item)
    reindex_item(item)
    db.session.commit()
    return SaveResult(True, version)


def revisions(item: AgendaItem) -> list[Revision]:
    return list(
        db.session.scalars(
            sa.select(Revision)
            .where(Revision.item_id == item.id)
            .options(so.joinedload(Revision.author))
            .order_by(Revision.version.desc())
        )
    )


@dataclass
class DiffRow:
    tag: str  # equal, delete, insert, replace
    old: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)


def diff(old: str, new: str) -> list[DiffRow]:
    """Line differences between two texts, as rows of a side-by-side table."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [DiffRow(tag, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def add_outcome(item: AgendaItem, data: dict, user: User) -> Outcome:
    """Record an information, decision or task; a decision on an item a need was submitted
    to decides the need."""
    outcome = Outcome(
        item_id=item.id,
        kind=data["kind"],
        text=data["text"].strip(),
        assignee_id=data.get("assignee_id") if data["kind"] == "task" else None,
        assignee_name=(data.get("assignee_name") or None) if data["kind"] == "task" else None,
        due_date=data.get("due_date") if data["kind"] == "task" else None,
    )
    db.session.add(outcome)
    db.session.flush()
    if outcome.kind == "decision":
        for need in db.session.scalars(sa.select(Need).where(Need.steering_item_id == item.id)):
            if need.status == "submitted":
                _move_need(need, "decided", outcome.text, user)
                need.decision = outcome.text
    reindex_item(item)
    db.session.commit()
    return outcome


def delete_outcome(outcome: Outcome) -> None:
    item = outcome.item
    db.session.delete(outcome)
    db.session.flush()
    reindex_item(item)
    db.session.commit()


def set_task_status(outcome: Outcome, done: bool) -> None:
    outcome.status = "done" if done else "open"
    outcome.done_at = utcnow() if done else None
    db.session.commit()


def can_close_task(outcome: Outcome, user: User) -> bool:
    if outcome.assignee_id == user.id:
        return True
    return can_organise(outcome.item.body, user)


def attendance(meeting: Meeting) -> list[tuple[Membership, str | None]]:
    """Every member of the body with their recorded attendance (None: not recorded)."""
    recorded = {
        row.user_id: row.status
        for row in db.session.scalars(
            sa.select(Attendance).where(Attendance.meeting_id == meeting.id)
        )
    }
    return [(row, recorded.get(row.user_id)) for row in members(meeting.body)]


def record_attendance(
    meeting: Meeting, statuses: dict[int, str], guests_present: Iterable[int]
) -> None:
    db.session.execute(sa.delete(Attendance).where(Attendance.meeting_id == meeting.id))
    member_ids = {row.user_id for row in members(meeting.body)}
    for user_id, status in statuses.items():
        if user_id in member_ids and status:
            db.session.add(Attendance(meeting_id=meeting.id, user_id=user_id, status=status))
    present = set(guests_present)
    for guest in meeting.guests:
        guest.is_present = guest.id in present
    db.session.commit()


# --- tasks ------------------------------------------------------------------------------


def open_tasks_for(user: User) -> list[Outcome]:
    """Open tasks assigned to ``user`` in bodies they may see, earliest due first."""
    return list(
        db.session.scalars(
            sa.select(Outcome)
            .join(AgendaItem, Outcome.item_id == AgendaItem.id)
            .join(Meeting, AgendaItem.meeting_id == Meeting.id)
            .where(
                Outcome.kind == "task",
                Outcome.status == "open",
                Outcome.assignee_id == user.id,
                Meeting.body_id.in_(visible_body_ids(user)),
            )
            .options(
                so.contains_eager(Outcome.item)
                .contains_eager(AgendaItem.meeting)
                .joinedload(Meeting.body)
            )
            .order_by(Outcome.due_date.is_(None), Outcome.due_date, Outcome.id)
        )
    )


# --- needs and gaps ---------------------------------------------------------------------


NEED_TRANSITIONS = {
    "raised": {"in_coordination", "closed"},
    "in_coordination": {"submitted", "raised", "closed"},
    "submitted": {"decided", "in_coordination", "closed"},
    "decided": {"closed"},
    "closed": {"raised"},
}


def raise_need(data: dict, body: Body, user: User, item: AgendaItem | None = None) -> Need:
    need = Need(
        title=data["title"].strip(),
        description=data["description"].strip(),
        target_groups=(data.get("target_groups") or "").strip() or None,
        body_id=body.id,
        item_id=item.id if item else None,
        created_by_id=user.id,
    )
    need.municipalities = data.get("municipalities") or []
    need.events.append(NeedEvent(from_status=None, to_status="raised", user_id=user.id))
    db.session.add(need)
    db.session.commit()
    return need


def _move_need(need: Need, target: str, note: str | None, user: User) -> None:
    if target not in NEED_TRANSITIONS[need.status]:
        raise StateError(target)
    need.events.append(
        NeedEvent(from_status=need.status, to_status=target, note=note or None, user_id=user.id)
    )
    need.status = target


def change_need(need: Need, target: str, note: str | None, user: User, now: datetime) -> None:
    """Move a need on. Submitting puts it on the next steering group agenda (or its
    backlog if no meeting is planned); a decision is recorded with its text."""
    _move_need(need, target, note, user)
    if target == "submitted" and not _still_planned(need.steering_item, now):
        need.steering_item_id = _steering_item(need, user, now).id
    if target == "decided":
        need.decision = note or need.decision
    db.session.commit()


def _still_planned(item: AgendaItem | None, now: datetime) -> bool:
    """True if a need submitted before still waits on a coming steering agenda (or its
    backlog): submitting again does not put it there twice."""
    if item is None:
        return False
    meeting = item.meeting
    return meeting is None or (not meeting.is_cancelled and meeting.starts > now)


def _steering_item(need: Need, user: User, now: datetime) -> AgendaItem:
    steering = steering_group()
    if steering is None:
        raise StateError("no_steering_group")
    meeting = next_meeting(steering, now)
    item = AgendaItem(
        body_id=steering.id,
        meeting_id=meeting.id if meeting else None,
        position=_next_position(meeting) if meeting else 0,
        kind="topic",
        title=f"Bedarf: {need.title}"[:200],
        description=need.description,
        proposed_by_id=user.id,
    )
    db.session.add(item)
    db.session.flush()
    reindex_item(item)
    return item


@dataclass
class NeedFilter:
    status: str = ""
    body_id: int | None = None
    municipality: str = ""


def needs(filters: NeedFilter, user: User) -> list[Need]:
    """Needs of bodies ``user`` may see, newest change first."""
    query = (
        sa.select(Need)
        .where(Need.body_id.in_(visible_body_ids(user)))
        .options(so.joinedload(Need.body), so.selectinload(Need.municipality_rows))
        .order_by(Need.updated_at.desc(), Need.id.desc())
        .limit(500)
    )
    if filters.status:
        query = query.where(Need.status == filters.status)
    if filters.body_id:
        query = query.where(Need.body_id == filters.body_id)
    if filters.municipality:
        from kimweb.meetings.models import NeedMunicipality

        query = query.where(
            Need.id.in_(
                sa.select(NeedMunicipality.need_id).where(
                    NeedMunicipality.municipality == filters.municipality
                )
            )
        )
    return list(db.session.scalars(query))


def can_see_need(need: Need, user: User) -> bool:
    return can_see(need.body, user)


def needs_by_item(meeting: Meeting) -> dict[int, list[Need]]:
    """The needs raised from, or decided in, each item of ``meeting``: one query."""
    items = sa.select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id)
    found: dict[int, list[Need]] = {}
    rows = db.session.scalars(
        sa.select(Need)
        .where(sa.or_(Need.item_id.in_(items), Need.steering_item_id.in_(items)))
        .order_by(Need.id)
    )
    for need in rows:
        for item_id in {need.item_id, need.steering_item_id} - {None}:
            found.setdefault(item_id, []).append(need)
    return found


# --- full-text search -------------------------------------------------------------------


def item_texts(item: AgendaItem) -> dict[str, str]:
    """The agenda part (a standing item's boilerplate title is not worth finding) and the
    minutes part of ``item``."""
    fields = () if item.is_standing else (item.title, item.description, item.presenter)
    agenda = " ".join(filter(None, fields))
    minutes = " ".join(filter(None, [item.notes, *(o.text for o in item.outcomes)]))
    return {"agenda": agenda, "minutes": minutes}


def reindex_item(item: AgendaItem) -> None:
    """Refresh the two index rows of ``item`` (agenda part and minutes part)."""
    texts = item_texts(item)
    rows = {
        row.part: row
        for row in db.session.scalars(
            sa.select(MeetingSearch).where(MeetingSearch.item_id == item.id)
        )
    }
    for part, text in texts.items():
        row = rows.get(part)
        if row is None:
            db.session.add(MeetingSearch(item_id=item.id, part=part, content=text))
        elif row.content != text:
            row.content = text
    db.session.flush()


@dataclass
class Hit:
    item: AgendaItem
    part: str


def search(user: User, query: str, limit: int = 50) -> list[Hit]:
    """Agenda items and minutes matching every word of ``query`` that ``user`` may read."""
    words = search_words(query)
    if not words:
        return []
    dialect = db.engine.dialect.name
    organised = organised_body_ids(user)
    agenda_visible = sa.and_(
        MeetingSearch.part == "agenda",
        sa.or_(Meeting.agenda_state == "published", Meeting.body_id.in_(organised)),
    )
    minutes_visible = sa.and_(
        MeetingSearch.part == "minutes",
        sa.or_(Meeting.minutes_state != "draft", Meeting.body_id.in_(organised)),
    )
    rows = db.session.execute(
        sa.select(AgendaItem, MeetingSearch.part)
        .join(MeetingSearch, MeetingSearch.item_id == AgendaItem.id)
        .join(Meeting, AgendaItem.meeting_id == Meeting.id)
        .where(
            Meeting.body_id.in_(visible_body_ids(user)),
            sa.or_(agenda_visible, minutes_visible),
            _match(dialect, words),
        )
        .options(so.contains_eager(AgendaItem.meeting).joinedload(Meeting.body))
        .order_by(Meeting.start_dt.desc(), AgendaItem.position)
        .limit(limit)
    ).all()
    return [Hit(item, part) for item, part in rows]


def search_words(query: str) -> list[str]:
    import re

    return [w[:40] for w in re.findall(r"\w+", query.lower()) if len(w) >= 2][:8]


def _match(dialect: str, words: list[str]) -> sa.ColumnElement:
    if dialect == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        return sa.text(
            "meeting_search.content_tsv @@ to_tsquery('german', :meeting_query)"
        ).bindparams(meeting_query=query)
    query = " ".join('"{}"*'.format(word.replace('"', "")) for word in words)
    matching = sa.text("SELECT rowid FROM meeting_fts WHERE meeting_fts MATCH :meeting_query")
    return MeetingSearch.id.in_(
        matching.bindparams(meeting_query=query).columns(sa.column("rowid"))
    )
