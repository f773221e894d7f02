"""The timetable for other programs: an iCalendar feed, the JSON document of the public API
and the API's OpenAPI description. Plain functions, no Flask request."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event

from kimweb.consultations.holidays import holiday_name
from kimweb.consultations.models import OFFER_KINDS, Location, Offer, Slot, SlotException
from kimweb.consultations.services import Occurrence, occurrences
from kimweb.directory.vocabulary import LANGUAGE_CODES, MUNICIPALITIES, language_name
from kimweb.i18n import LANGUAGES
from kimweb.routing import MAX_ID

CALENDAR_NAME = "Offene Sprechstunden – Kreis Düren"
PRODID = "-//kimweb//Sprechstunden//DE"
CALENDAR_UID = "sprechstunden@kimweb"
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
KIND_LABELS = {
    "walk_in": _l("Open consultation hours (no appointment needed)"),
    "phone": _l("Phone consultation hours"),
    "appointment": _l("Consultation by appointment"),
}
MAX_DAYS = 56
DEFAULT_DAYS = 28


def _hhmm(moment: time | None) -> str | None:
    return moment.strftime("%H:%M") if moment else None


# --- iCalendar ----------------------------------------------------------------------


def ics_feed(slots: list[Slot], start: date, end: date, now: datetime) -> bytes:
    """An RFC 5545 calendar: one event per date that takes place from ``start`` to ``end``.

    Holidays and cancelled dates are left out; times carry TZID=Europe/Berlin and the
    calendar has the matching VTIMEZONE, so clients keep 10:00 as 10:00 across DST changes.
    """
    calendar = Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        name=CALENDAR_NAME,
        uid=CALENDAR_UID,
        refresh_interval=timedelta(hours=6),
    )
    calendar.add("x-published-ttl", "PT6H")  # the older name of REFRESH-INTERVAL
    by_id = {slot.id: slot for slot in slots}
    stamp = now.astimezone(UTC)
    for occurrence in occurrences(slots, start, end):
        if occurrence.takes_place:
            calendar.add_component(_event(by_id[occurrence.slot_id], occurrence, stamp))
    # Whole years around the range: a VTIMEZONE with both CET and CEST for every client.
    calendar.add_missing_timezones(
        first_date=date(start.year - 1, 1, 1), last_date=date(end.year + 2, 1, 1)
    )
    return calendar.to_ical()


def _event(slot: Slot, occurrence: Occurrence, stamp: datetime) -> Event:
    offer = slot.offer
    event = Event.new(
        uid=f"slot-{slot.id}-{occurrence.day:%Y%m%d}@kimweb",
        stamp=stamp,
        start=occurrence.start,
        end=occurrence.end,
        summary=f"{offer.title} – {offer.organisation.name}",
        description=_description(offer, occurrence),
        status="CONFIRMED",
        sequence=1 if occurrence.status == "changed" else 0,
    )
    where = _place(slot.location) if slot.location else offer.phone
    if where:
        event.add("location", where)
    return event


def _place(location: Location) -> str:
    town = " ".join(part for part in (location.postal_code, location.town) if part)
    parts = (location.name, location.room, location.street, town)
    return ", ".join(part for part in parts if part)


def _description(offer: Offer, occurrence: Occurrence) -> str:
    lines = [str(KIND_LABELS.get(offer.kind, offer.kind))]
    if occurrence.status == "changed":
        lines.append(_("Changed times on this date."))
        if occurrence.reason:
            lines.append(_("Reason: %(reason)s", reason=occurrence.reason))
    if offer.languages:
        names = ", ".join(language_name(code) for code in offer.languages)
        lines.append(_("Languages: %(names)s", names=names))
    if offer.topics:
        labels = ", ".join(topic.label for topic in offer.topics)
        lines.append(_("Topics: %(labels)s", labels=labels))
    if offer.target_groups:
        lines.append(_("For: %(groups)s", groups=offer.target_groups))
    if offer.phone:
        lines.append(_("Phone: %(phone)s", phone=offer.phone))
    if offer.email:
        lines.append(_("Email: %(email)s", email=offer.email))
    return "\n".join(lines)


# --- the JSON document of the API ---------------------------------------------------


def api_document(slots: list[Slot], start: date, end: date, now: datetime) -> dict[str, Any]:
    """The offers with their slots and every occurrence from ``start`` to ``end``.

    Labels (topics, holidays) are in the current locale; codes and times are not.
    """
    shown = [slot for slot in slots if _valid_within(slot, start, end)]
    offers: dict[int, list[Slot]] = {}
    for slot in sorted(shown, key=lambda s: (s.weekday, s.start_time, s.id)):
        offers.setdefault(slot.offer_id, []).append(slot)
    ordered = sorted(offers.values(), key=lambda group: (group[0].offer.title, group[0].offer_id))
    by_id = {slot.id: slot for slot in shown}
    return {
        "generated_at": now.astimezone(UTC).isoformat(timespec="seconds"),
        "from": start.isoformat(),
        "until": end.isoformat(),
        "offers": [_offer(group[0].offer, group, start, end) for group in ordered],
        "occurrences": [
            _occurrence(by_id[occurrence.slot_id], occurrence)
            for occurrence in occurrences(shown, start, end)
        ],
    }


def _valid_within(slot: Slot, start: date, end: date) -> bool:
    return (slot.valid_until is None or slot.valid_until >= start) and (
        slot.valid_from is None or slot.valid_from <= end
    )


def _offer(offer: Offer, slots: list[Slot], start: date, end: date) -> dict[str, Any]:
    organisation = offer.organisation
    return {
        "id": offer.id,
        "title": offer.title,
        "kind": offer.kind,
        "organisation": {
            "id": organisation.id,
            "name": organisation.name,
            "website": organisation.website,
        },
        "topics": [
            {"id": topic.id, "key": topic.key, "label": topic.label} for topic in offer.topics
        ],
        "languages": offer.languages,
        "target_groups": offer.target_groups,
        "phone": offer.phone,
        "email": offer.email,
        "notes": offer.notes,
        "slots": [_slot(slot, start, end) for slot in slots],
    }


def _slot(slot: Slot, start: date, end: date) -> dict[str, Any]:
    return {
        "id": slot.id,
        "weekday": slot.weekday,
        "weekday_name": WEEKDAY_NAMES[slot.weekday],
        "start": _hhmm(slot.start_time),
        "end": _hhmm(slot.end_time),
        "valid_from": slot.valid_from.isoformat() if slot.valid_from else None,
        "valid_until": slot.valid_until.isoformat() if slot.valid_until else None,
        "weeks_of_month": slot.weeks,
        "location": _location(slot.location) if slot.location else None,
        "exceptions": [
            _exception(exception) for exception in slot.exceptions if start <= exception.date <= end
        ],
    }


def _location(location: Location) -> dict[str, Any]:
    return {
        "id": location.id,
        "name": location.name,
        "street": location.street,
        "postal_code": location.postal_code,
        "town": location.town,
        "municipality": location.municipality,
        "room": location.room,
        "is_step_free": bool(location.is_step_free),
        "accessibility_notes": location.accessibility_notes,
        "transit_hint": location.transit_hint,
    }


def _exception(exception: SlotException) -> dict[str, Any]:
    return {
        "date": exception.date.isoformat(),
        "cancelled": bool(exception.is_cancelled),
        "start": None if exception.is_cancelled else _hhmm(exception.start_time),
        "end": None if exception.is_cancelled else _hhmm(exception.end_time),
        "reason": exception.reason,
    }


def _occurrence(slot: Slot, occurrence: Occurrence) -> dict[str, Any]:
    return {
        "offer_id": slot.offer_id,
        "slot_id": slot.id,
        "date": occurrence.day.isoformat(),
        "start": occurrence.start.isoformat(timespec="seconds"),
        "end": occurrence.end.isoformat(timespec="seconds"),
        "status": occurrence.status,
        "reason": None if occurrence.status == "holiday" else occurrence.reason,
        "holiday": holiday_name(occurrence.day),
    }


# --- OpenAPI ------------------------------------------------------------------------

NULLABLE_STRING = {"type": ["string", "null"]}
HHMM = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "examples": ["10:00"]}
NULLABLE_HHMM = {**HHMM, "type": ["string", "null"]}
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
ID = {"type": "integer", "minimum": 1}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    """A closed object schema: every property required, no others allowed."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    return {"description": description, **schema} if description else schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _schemas() -> dict[str, Any]:
    return {
        "Timetable": _object(
            {
                "generated_at": {"type": "string", "format": "date-time"},
                "from": DATE,
                "until": DATE,
                "offers": {"type": "array", "items": _ref("Offer")},
                "occurrences": {"type": "array", "items": _ref("Occurrence")},
            },
            "Offers with their weekly times and every date from `from` to `until`.",
        ),
        "Offer": _object(
            {
                "id": ID,
                "title": {"type": "string"},
                "kind": {"type": "string", "enum": list(OFFER_KINDS)},
                "organisation": _ref("Organisation"),
                "topics": {"type": "array", "items": _ref("Topic")},
                "languages": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "ISO 639 codes of the languages spoken.",
                },
                "target_groups": NULLABLE_STRING,
                "phone": NULLABLE_STRING,
                "email": NULLABLE_STRING,
                "notes": NULLABLE_STRING,
                "slots": {"type": "array", "items": _ref("Slot")},
            }
        ),
        "Organisation": _object({"id": ID, "name": {"type": "string"}, "website": NULLABLE_STRING}),
        "Topic": _object(
            {
                "id": {**ID, "description": "Use as the `topic` parameter."},
                "key": {"type": "string"},
                "label": {"type": "string", "description": "In the language asked for."},
            }
        ),
        "Slot": _object(
            {
                "id": ID,
                "weekday": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 6,
                    "description": "0 = Monday",
                },
                "weekday_name": {"type": "string", "enum": list(WEEKDAY_NAMES)},
                "start": HHMM,
                "end": HHMM,
                "valid_from": NULLABLE_DATE,
                "valid_until": NULLABLE_DATE,
                "weeks_of_month": {
                    "type": "array",
                    "items": {"type": "integer", "minimum": 1, "maximum": 5},
                    "description": "Only these weeks of the month (1: days 1-7); empty: all.",
                },
                "location": {"oneOf": [_ref("Location"), {"type": "null"}]},
                "exceptions": {"type": "array", "items": _ref("SlotException")},
            },
            "A weekly time (Europe/Berlin wall-clock times).",
        ),
        "Location": _object(
            {
                "id": ID,
                "name": {"type": "string"},
                "street": NULLABLE_STRING,
                "postal_code": NULLABLE_STRING,
                "town": NULLABLE_STRING,
                "municipality": {"type": "string"},
                "room": NULLABLE_STRING,
                "is_step_free": {"type": "boolean"},
                "accessibility_notes": NULLABLE_STRING,
                "transit_hint": NULLABLE_STRING,
            }
        ),
        "SlotException": _object(
            {
                "date": DATE,
                "cancelled": {"type": "boolean"},
                "start": NULLABLE_HHMM,
                "end": NULLABLE_HHMM,
                "reason": NULLABLE_STRING,
            },
            "A date of the slot that is cancelled or held at other times.",
        ),
        "Occurrence": _object(
            {
                "offer_id": ID,
                "slot_id": ID,
                "date": DATE,
                "start": {"type": "string", "format": "date-time"},
                "end": {"type": "string", "format": "date-time"},
                "status": {
                    "type": "string",
                    "enum": ["regular", "changed", "cancelled", "holiday"],
                },
                "reason": NULLABLE_STRING,
                "holiday": {
                    "type": ["string", "null"],
                    "description": "Name of the public holiday (NRW) that closes this date.",
                },
            },
            "One date of a slot; only `regular` and `changed` take place.",
        ),
        "Errors": _object(
            {
                "errors": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                }
            },
            "Invalid query parameters: parameter name -> messages.",
        ),
    }


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


PARAMETERS: list[dict[str, Any]] = [
    _query("municipality", {"type": "string", "enum": list(MUNICIPALITIES)}, "Only places here."),
    _query("topic", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "Focus area id."),
    _query("language", {"type": "string", "enum": list(LANGUAGE_CODES)}, "Spoken language."),
    _query("kind", {"type": "string", "enum": list(OFFER_KINDS)}, "Kind of offer."),
    _query("location", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "Location id."),
    _query(
        "days",
        {"type": "integer", "minimum": 1, "maximum": MAX_DAYS, "default": DEFAULT_DAYS},
        "Number of days from today (Europe/Berlin).",
    ),
    _query("lang", {"type": "string", "enum": list(LANGUAGES)}, "Language of the labels."),
]

HEADERS = {
    "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}, "required": True},
    "Cache-Control": {"schema": {"type": "string"}, "required": True},
}


def _response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "headers": HEADERS,
        "content": {"application/json": {"schema": schema}},
    }


def openapi_document(server_url: str = "/") -> dict[str, Any]:
    """The OpenAPI 3.1 description of the public timetable API, served at ``server_url``."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Open consultation hours – Kreis Düren",
            "version": "1.0.0",
            "description": (
                "Open consultation hours and phone hours of the counselling services in "
                "Kreis Düren. Times are Europe/Berlin; NRW public holidays close every offer. "
                "Free to read, no key needed."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/v1/consultations": {
                "get": {
                    "operationId": "listConsultations",
                    "summary": "Offers and their dates for the next days",
                    "parameters": PARAMETERS,
                    "responses": {
                        "200": _response("The timetable.", _ref("Timetable")),
                        "422": _response("Invalid parameters.", _ref("Errors")),
                    },
                }
            },
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This description",
                    "responses": {"200": _response("OpenAPI 3.1 document.", {"type": "object"})},
                }
            },
        },
        "components": {"schemas": _schemas()},
    }
