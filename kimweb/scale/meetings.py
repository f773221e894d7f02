"""Scale data of the meetings: years of Jour fixe, working groups and steering group, each
meeting with its agenda items, and the held ones with minutes (notes with their first
revision, outcomes, the log of circulating, approving and locking) and search index rows.

Bulk inserts with ids given up front, so that no row is read back; the search index is
filled the way ``services.reindex_item`` fills it (the database's triggers or generated
column do the rest). Topics are about structures, never about clients; invented people only.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from kimweb.auth.models import User
from kimweb.extensions import db
from kimweb.meetings import services
from kimweb.meetings.models import (
    BERLIN,
    AgendaItem,
    Body,
    Meeting,
    MeetingSearch,
    Membership,
    MinutesEvent,
    Outcome,
    Revision,
)
from kimweb.scale import bulk

# The tables written, parents first (the memberships are written before, on their own).
TABLES = (
    Meeting.__table__,
    MinutesEvent.__table__,
    AgendaItem.__table__,
    Revision.__table__,
    Outcome.__table__,
    MeetingSearch.__table__,
)
AHEAD = 0.1  # the share of each body's meetings still to come (at most a year of them)

TOPICS = (
    "Wohnraum für Geflüchtete in {town}", "Wartezeiten bei der Ausländerbehörde",
    "Integrationskurse: freie Plätze in {town}", "Anerkennung ausländischer Abschlüsse",
    "Sprachmittlung im Gesundheitswesen", "Kita-Plätze für neu zugewanderte Familien",
    "Beratung für Frauen mit Zuwanderungsgeschichte", "Psychosoziale Versorgung in {town}",
    "Übergang Schule – Beruf", "Zusammenarbeit mit dem job-com", "Einbürgerung: neue Regeln",
    "Ehrenamtliche Begleitung in {town}", "Schulanmeldung von Seiteneinsteigern",
    "Arbeitsmarktzugang mit Duldung", "Fallübergreifende Themen aus dem Case-Management",
)  # fmt: skip
GUESTS = (
    "Ausländerbehörde Kreis Düren", "job-com", "Agentur für Arbeit Düren", "Jugendamt",
    "Schulamt", "Dürener Integrationszentrum", "Migrationsberatung der Caritas",
)  # fmt: skip
NOTES = (
    "Der Gast berichtet über den aktuellen Stand. Offene Fragen werden gesammelt und an die "
    "Koordination weitergegeben.",
    "Die Case-Manager*innen schildern wiederkehrende Schwierigkeiten. Es fehlt an "
    "Ansprechpersonen in {town}; ein Bedarf wird an die Lenkungsgruppe gemeldet.",
    "Kurzer Austausch, keine Änderungen seit der letzten Sitzung.",
    "Vereinbart wird ein gemeinsamer Termin mit dem Träger; Unterlagen folgen per Mail.",
)
TOWNS = ("Düren", "Jülich", "Kreuzau", "Linnich", "Nideggen", "Langerwehe", "Titz", "Inden")
ROOMS = ("Kreishaus Düren, Raum A 107", "Kreishaus Düren, Sitzungssaal", "KI, Raum 104")


def _dates(count: int, last: date, weeks_apart: int) -> list[date]:
    """``count`` days ``weeks_apart`` weeks apart, the last on ``last``."""
    return [last - timedelta(weeks=weeks_apart * n) for n in range(count - 1, -1, -1)]


def _last_day(count: int, today: date, weekday: int, weeks_apart: int) -> date:
    """The last of ``count`` meetings on ``weekday`` when a tenth of them are still to
    come (at least one, at most a year of them)."""
    ahead = max(1, min(round(52 / weeks_apart), round(count * AHEAD)))
    next_day = today + timedelta(days=(weekday - today.weekday()) % 7)
    return next_day + timedelta(weeks=weeks_apart * (ahead - 1))


def _memberships(users: list[User], bodies: list[Body]) -> list[dict]:
    """The first user organises every body; the others are members of the first three
    (the Jour fixe, the steering group, a working group), so some bodies stay closed to them."""
    organiser, *members = users
    organising = [{"body_id": b.id, "user_id": organiser.id, "role": "organiser"} for b in bodies]
    return organising + [
        {"body_id": body.id, "user_id": user.id, "role": "member"}
        for body in bodies[:3]
        for user in members
    ]


def seed_meetings(
    meetings: int,
    items_per_meeting: int,
    users: list[User],
    rng: random.Random,
    last_day: date | None = None,
    weeks_apart: int = 2,
) -> dict[str, int]:
    """``meetings`` meetings spread evenly over the built-in bodies, each body on its own
    weekday every ``weeks_apart`` weeks up to ``last_day`` (default: a tenth of them still
    to come, at most a year ahead), each with ``items_per_meeting`` agenda items (the two
    standing ones first). Past meetings that were held have locked minutes. ``users``: the
    organiser first, then members. Commits; returns the rows written per table."""
    bodies = services.ensure_bodies()
    db.session.execute(sa.delete(Membership).where(Membership.user_id.in_([u.id for u in users])))
    memberships = bulk.insert(Membership.__table__, _memberships(users, bodies))
    today = datetime.now(BERLIN).date()
    rows = bulk.Rows(TABLES)
    per_body = -(-meetings // len(bodies))
    for index, body in enumerate(bodies):
        count = max(0, min(per_body, meetings - index * per_body))
        weekday = (1 + index) % 5  # Tuesday, Wednesday, ...
        if last_day is None:
            last = _last_day(count, today, weekday, weeks_apart)
        else:
            last = last_day - timedelta(days=(last_day.weekday() - weekday) % 7)
        begins = time(9 + 2 * (index % 3))
        for day in _dates(count, last, weeks_apart):
            start = datetime.combine(day, begins, tzinfo=BERLIN).astimezone(UTC)
            _add_meeting(rows, rng, body, index, start, today, items_per_meeting, users)
    return {"body_memberships": memberships, **rows.finish()}


def _add_meeting(
    rows: bulk.Rows,
    rng: random.Random,
    body: Body,
    index: int,
    start: datetime,
    today: date,
    items: int,
    users: list[User],
) -> None:
    """A meeting of ``body`` (the ``index``-th built-in one) with ``items`` agenda items;
    held if before ``today`` and not cancelled, then with locked minutes and their log."""
    organiser = users[0]
    day = start.astimezone(BERLIN).date()
    cancelled = rng.random() < 0.02
    held = day < today and not cancelled
    published = day < today + timedelta(days=30)
    meeting_id = rows.add(
        Meeting.__table__,
        {
            "body_id": body.id,
            "start_dt": start,
            "end_dt": start + timedelta(hours=2),
            "location": ROOMS[index % len(ROOMS)],
            "is_cancelled": cancelled,
            "cancel_reason": "Krankheit" if cancelled else None,
            "agenda_state": "published" if published else "draft",
            "minutes_state": "locked" if held else "draft",
            "published_at": start - timedelta(days=7) if published else None,
            "circulated_at": start + timedelta(days=3) if held else None,
            "approved_at": start + timedelta(days=14) if held else None,
            "created_at": start - timedelta(days=28),
        },
    )
    if held:
        for action, days in (("circulate", 3), ("approve", 14), ("lock", 15)):
            rows.add(
                MinutesEvent.__table__,
                {
                    "meeting_id": meeting_id,
                    "action": action,
                    "reason": None,
                    "user_id": organiser.id,
                    "created_at": start + timedelta(days=days),
                },
            )
    for position in range(items):
        _add_item(rows, rng, body.id, meeting_id, position, start, held, users)


def _add_item(
    rows: bulk.Rows,
    rng: random.Random,
    body_id: int,
    meeting_id: int,
    position: int,
    start: datetime,
    held: bool,
    users: list[User],
) -> None:
    """Agenda item number ``position`` (0-based) with, if the meeting was ``held``, its
    notes, their first revision, maybe an outcome, and its two search rows."""
    organiser = users[0]
    kind = ("approve_minutes", "open_tasks")[position] if position < 2 else "topic"
    town = rng.choice(TOWNS)
    title = services.STANDING_TITLES.get(kind) or rng.choice(TOPICS).format(town=town)
    presenter = rng.choice(GUESTS) if kind == "topic" and rng.random() < 0.2 else None
    notes = rng.choice(NOTES).format(town=town) if held else ""
    written_at = start + timedelta(hours=2)
    item_id = rows.add(
        AgendaItem.__table__,
        {
            "body_id": body_id,
            "meeting_id": meeting_id,
            "position": position + 1,
            "kind": kind,
            "title": title,
            "description": None,
            "duration_min": 15,
            "presenter": presenter,
            "proposed_by_id": organiser.id,
            "created_at": start - timedelta(days=14),
            "notes": notes,
            "version": 1 if notes else 0,
            "notes_updated_at": written_at if notes else None,
            "notes_updated_by_id": organiser.id if notes else None,
        },
    )
    if notes:
        rows.add(
            Revision.__table__,
            {
                "item_id": item_id,
                "version": 1,
                "notes": notes,
                "author_id": organiser.id,
                "created_at": written_at,
            },
        )
    outcomes = []
    if held and kind == "topic" and rng.random() < 0.3:
        is_task = rng.random() < 0.6
        done = is_task and rng.random() < 0.9
        text = f"Rückmeldung an die Koordination zu {town}"
        rows.add(
            Outcome.__table__,
            {
                "item_id": item_id,
                "kind": "task" if is_task else "decision",
                "text": text,
                "assignee_id": rng.choice(users).id if is_task else None,
                "assignee_name": None,
                "due_date": start.date() + timedelta(days=28) if is_task else None,
                "status": "done" if done else "open",
                "done_at": start + timedelta(days=21) if done else None,
                "created_at": written_at,
            },
        )
        outcomes.append(text)
    # As services.item_texts: a standing item's boilerplate title is not worth finding.
    agenda = " ".join(filter(None, (title, presenter))) if kind == "topic" else ""
    minutes = " ".join(filter(None, [notes, *outcomes]))
    for part, content in (("agenda", agenda), ("minutes", minutes)):
        rows.add(MeetingSearch.__table__, {"item_id": item_id, "part": part, "content": content})
