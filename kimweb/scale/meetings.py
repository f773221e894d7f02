"""Scale data of the meetings: years of Jour fixe, working groups and steering group, each
meeting with its agenda items, minutes, outcomes and search index rows.

Bulk inserts with ids given up front, so that no row is read back; the search index is
filled the way ``services.reindex_item`` fills it (the database's triggers or generated
column do the rest). Invented people only.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from kimweb.auth.models import User
from kimweb.extensions import db
from kimweb.meetings import services
from kimweb.meetings.models import (
    BERLIN,
    AgendaItem,
    Meeting,
    MeetingSearch,
    Membership,
    Outcome,
)

BATCH = 5_000
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


def _next_id(model: type[db.Model]) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def _insert(model: type[db.Model], rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(model), rows[start : start + BATCH])


def _dates(count: int, today: date) -> Iterator[date]:
    """``count`` meeting days, every other Wednesday, ending a year from ``today``."""
    first = today + timedelta(days=365) - timedelta(days=14 * count)
    first += timedelta(days=(2 - first.weekday()) % 7)
    for n in range(count):
        yield first + timedelta(days=14 * n)


def seed_meetings(
    meetings: int, items_per_meeting: int, users: list[User], rng: random.Random
) -> dict[str, int]:
    """``meetings`` meetings spread over the built-in bodies, most of them past with locked
    minutes, each with ``items_per_meeting`` agenda items (the two standing ones first)."""
    bodies = services.ensure_bodies()
    organiser, *members = users
    db.session.execute(sa.delete(Membership).where(Membership.user_id.in_([u.id for u in users])))
    _insert(
        Membership,
        [{"body_id": body.id, "user_id": organiser.id, "role": "organiser"} for body in bodies]
        + [
            {"body_id": body.id, "user_id": user.id, "role": "member"}
            for body in bodies[:3]
            for user in members
        ],
    )
    today = datetime.now(BERLIN).date()
    now = datetime.now(UTC)
    meeting_id, item_id, outcome_id = _next_id(Meeting), _next_id(AgendaItem), _next_id(Outcome)
    search_id = _next_id(MeetingSearch)
    meeting_rows, item_rows, outcome_rows, search_rows = [], [], [], []
    per_body = -(-meetings // len(bodies))
    for index, body in enumerate(bodies):
        for day in _dates(min(per_body, meetings - index * per_body), today):
            start = datetime.combine(day, time(10), tzinfo=BERLIN).astimezone(UTC)
            past = day < today
            cancelled = rng.random() < 0.02
            meeting_rows.append(
                {
                    "id": meeting_id,
                    "body_id": body.id,
                    "start_dt": start,
                    "end_dt": start + timedelta(hours=2),
                    "location": "Kreishaus Düren, Raum A 107",
                    "is_cancelled": cancelled,
                    "cancel_reason": "Krankheit" if cancelled else None,
                    "agenda_state": "published" if day < today + timedelta(days=30) else "draft",
                    "minutes_state": "locked" if past else "draft",
                    "published_at": start - timedelta(days=7),
                    "circulated_at": start + timedelta(days=3) if past else None,
                    "approved_at": start + timedelta(days=14) if past else None,
                    "created_at": now,
                }
            )
            for position in range(items_per_meeting):
                kind = ("approve_minutes", "open_tasks")[position] if position < 2 else "topic"
                town = rng.choice(TOWNS)
                title = services.STANDING_TITLES.get(kind) or rng.choice(TOPICS).format(town=town)
                notes = rng.choice(NOTES).format(town=town) if past else ""
                item_rows.append(
                    {
                        "id": item_id,
                        "body_id": body.id,
                        "meeting_id": meeting_id,
                        "position": position + 1,
                        "kind": kind,
                        "title": title,
                        "description": None,
                        "duration_min": 15,
                        "presenter": rng.choice(GUESTS) if rng.random() < 0.2 else None,
                        "proposed_by_id": organiser.id,
                        "created_at": now,
                        "notes": notes,
                        "version": 1 if notes else 0,
                    }
                )
                outcomes = []
                if past and kind == "topic" and rng.random() < 0.3:
                    is_task = rng.random() < 0.6
                    text = f"Rückmeldung an die Koordination zu {town}"
                    outcome_rows.append(
                        {
                            "id": outcome_id,
                            "item_id": item_id,
                            "kind": "task" if is_task else "decision",
                            "text": text,
                            "assignee_id": rng.choice(users).id if is_task else None,
                            "due_date": day + timedelta(days=28) if is_task else None,
                            "status": "done" if rng.random() < 0.9 else "open",
                            "created_at": now,
                        }
                    )
                    outcomes.append(text)
                    outcome_id += 1
                agenda = "" if kind != "topic" else title
                minutes = " ".join(filter(None, [notes, *outcomes]))
                for part, content in (("agenda", agenda), ("minutes", minutes)):
                    search_rows.append(
                        {"id": search_id, "item_id": item_id, "part": part, "content": content}
                    )
                    search_id += 1
                item_id += 1
            meeting_id += 1
    _insert(Meeting, meeting_rows)
    _insert(AgendaItem, item_rows)
    _insert(Outcome, outcome_rows)
    _insert(MeetingSearch, search_rows)
    _fix_sequences((Meeting, AgendaItem, Outcome, MeetingSearch))
    db.session.commit()
    return {
        "meetings": len(meeting_rows),
        "agenda items": len(item_rows),
        "outcomes": len(outcome_rows),
    }


def _fix_sequences(models: tuple[type[db.Model], ...]) -> None:
    """PostgreSQL: the id sequences continue after the ids given here."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        db.session.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"  # nosec B608 - table names of our models
            )
        )
