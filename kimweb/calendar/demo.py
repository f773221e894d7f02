"""Demo events: trainings, deadlines, partner events and a monthly exchange, some public."""

from __future__ import annotations

from datetime import date, time, timedelta

from kimweb.auth.models import User
from kimweb.calendar import recurrence, services
from kimweb.consultations import services as timetable

# title, category, public, days from today, start, end, days long, repetition, place
EVENTS = (
    (
        "Fortbildung: Aufenthaltsrecht kompakt",
        "training",
        False,
        9,
        time(9),
        time(15, 30),
        0,
        None,
        "Kreishaus Düren, Raum A 107",
    ),
    ("Infoabend Einbürgerung", "event", True, 16, time(18), time(19, 30), 0, None, None),
    ("Frist: Sachbericht KIM an das Land", "deadline", False, 24, None, None, 0, None, None),
    (
        "Interkulturelle Woche im Kreis Düren",
        "external",
        True,
        30,
        None,
        None,
        6,
        None,
        "Düren, Jülich und weitere Orte",
    ),
    (
        "Austausch Sprachmittlung",
        "event",
        False,
        3,
        time(14),
        time(15, 30),
        0,
        recurrence.Recurrence(frequency="monthly_nth", nth=1, nth_weekday=3),
        None,
    ),
    (
        "Offenes Netzwerktreffen Migrationsberatung",
        "external",
        True,
        12,
        time(10),
        time(12),
        0,
        recurrence.Recurrence(frequency="monthly_day", ends="count", count=6),
        None,
    ),
    (
        "Webinar: Anerkennung ausländischer Berufsabschlüsse",
        "training",
        True,
        -12,
        time(10),
        time(11, 30),
        0,
        None,
        "online",
    ),
)


def seed_calendar(user: User, today: date | None = None) -> None:
    today = today or services.now_in_berlin().date()
    places = timetable.locations()
    for number, row in enumerate(EVENTS):
        title, category, public, offset, start, end, days, rule, where = row
        first = today + timedelta(days=offset)
        if rule is not None and rule.frequency == "monthly_nth":
            first = _first_weekday(today, rule.nth_weekday)
        times = (first, start, first + timedelta(days=days), end)
        data = {
            "title": title,
            "category": category,
            "is_public": public,
            "organiser": "Kommunales Integrationszentrum Kreis Düren",
            "location": where,
            "location_id": places[0].id if places and number == 1 else None,
            "description": "Anmeldung über das Kommunale Integrationszentrum.",
        }
        rrule = recurrence.to_rrule(rule, first, timed=start is not None) if rule else None
        event = services.save_event(None, data, times, rrule, user)
        if rule is not None and rule.frequency == "monthly_nth":
            # the second date moves, the third is cancelled: both kinds of exception
            later = [o.original_date for o in _next(event, first, 3)]
            if len(later) == 3:
                moved = later[1] + timedelta(days=1)
                services.change_occurrence(event, later[1], (moved, start, moved, end))
                services.cancel_occurrence(event, later[2])


def _first_weekday(today: date, weekday: int) -> date:
    """The first ``weekday`` of next month."""
    first = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def _next(event, first: date, count: int) -> list:
    found = recurrence.occurrences(
        event.start_date,
        event.start_time,
        event.end_date,
        event.end_time,
        event.rrule,
        first,
        first + timedelta(days=130),
    )
    return found[:count]
