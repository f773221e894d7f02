"""The timetable's logic: occurrences of weekly slots, holidays, exceptions, "open now",
checks of staff input, and the version that invalidates cached pages. No Flask request."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic as time_monotonic
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import qrcode
import qrcode.image.svg
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kimweb.consultations.holidays import holiday_key, holidays_between
from kimweb.consultations.models import (
    CacheVersion,
    Location,
    Offer,
    OfferLanguage,
    Slot,
    SlotException,
    offer_topics,
)
from kimweb.directory.models import FocusArea
from kimweb.extensions import db
from kimweb.routing import as_id

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAY_NAMES = {
    0: _l("Monday"),
    1: _l("Tuesday"),
    2: _l("Wednesday"),
    3: _l("Thursday"),
    4: _l("Friday"),
    5: _l("Saturday"),
    6: _l("Sunday"),
}


class SlotLike(Protocol):
    id: int
    weekday: int
    start_time: time
    end_time: time
    valid_from: date | None
    valid_until: date | None
    weeks: list[int]
    exceptions: list[Any]


@dataclass(frozen=True)
class Occurrence:
    """One date of a slot, with its real times (Europe/Berlin) and what became of it."""

    day: date
    start: datetime
    end: datetime
    slot_id: int
    status: str  # "regular", "changed", "cancelled" or "holiday"
    reason: str | None = None  # the exception's reason, or the holiday's key

    @property
    def takes_place(self) -> bool:
        return self.status in {"regular", "changed"}

    def is_open(self, now: datetime) -> bool:
        return self.takes_place and self.start <= now < self.end


def week_of_month(day: date) -> int:
    """1 for days 1-7, 2 for 8-14, ... 5 for 29-31 ("the first Monday" is week 1)."""
    return (day.day - 1) // 7 + 1


def slot_dates(slot: SlotLike, start: date, end: date) -> Iterator[date]:
    """The dates from ``start`` to ``end`` (inclusive) on which ``slot`` is due."""
    first = max(start, slot.valid_from or start)
    last = min(end, slot.valid_until or end)
    offset = (slot.weekday - first.weekday()) % 7
    if first > last or (last - first).days < offset:
        return
    day = first + timedelta(days=offset)
    weeks = set(slot.weeks)
    while True:
        if not weeks or week_of_month(day) in weeks:
            yield day
        if (last - day).days < 7:
            return
        day += timedelta(days=7)


def at(day: date, moment: time) -> datetime:
    """A wall-clock time in Berlin on ``day`` (daylight saving handled by zoneinfo)."""
    return datetime.combine(day, moment, tzinfo=BERLIN)


def occurrences(slots: Iterable[SlotLike], start: date, end: date) -> list[Occurrence]:
    """Every occurrence of ``slots`` between ``start`` and ``end``, in time order.

    NRW public holidays close every slot; an exception cancels a date or moves its times.
    """
    found = []
    for slot in slots:
        exceptions = {exception.date: exception for exception in slot.exceptions}
        for day in slot_dates(slot, start, end):
            exception = exceptions.get(day)
            holiday = holiday_key(day)
            begin, finish = slot.start_time, slot.end_time
            if holiday:
                status, reason = "holiday", holiday
            elif exception is not None and exception.is_cancelled:
                status, reason = "cancelled", exception.reason
            elif exception is not None:
                status, reason = "changed", exception.reason
                begin = exception.start_time or begin
                finish = exception.end_time or finish
            else:
                status, reason = "regular", None
            found.append(Occurrence(day, at(day, begin), at(day, finish), slot.id, status, reason))
    return sorted(found, key=lambda o: (o.start, o.end, o.slot_id))


# --- loading with filters -----------------------------------------------------------


@dataclass
class TimetableFilter:
    municipality: str = ""
    topic: int | None = None
    language: str = ""
    kind: str = ""
    location: int | None = None

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> TimetableFilter:
        number = as_id

        return cls(
            municipality=data.get("municipality") or "",
            topic=number(data.get("topic")),
            language=data.get("language") or "",
            kind=data.get("kind") or "",
            location=number(data.get("location")),
        )


def slots_query(filters: TimetableFilter) -> sa.Select:
    query = (
        sa.select(Slot)
        .join(Slot.offer)
        .options(
            so.selectinload(Slot.exceptions),
            so.joinedload(Slot.location),
            so.joinedload(Slot.offer).joinedload(Offer.organisation),
            so.joinedload(Slot.offer).selectinload(Offer.topics),
            so.joinedload(Slot.offer).selectinload(Offer.language_rows),
        )
    )
    if filters.municipality:
        query = query.where(
            Slot.location_id.in_(
                sa.select(Location.id).where(Location.municipality == filters.municipality)
            )
        )
    if filters.location:
        query = query.where(Slot.location_id == filters.location)
    if filters.kind:
        query = query.where(Offer.kind == filters.kind)
    if filters.topic:
        query = query.where(
            Offer.id.in_(
                sa.select(offer_topics.c.offer_id).where(
                    offer_topics.c.focus_area_id == filters.topic
                )
            )
        )
    if filters.language:
        query = query.where(
            Offer.id.in_(
                sa.select(OfferLanguage.offer_id).where(OfferLanguage.language == filters.language)
            )
        )
    return query


def load_slots(filters: TimetableFilter) -> list[Slot]:
    return list(db.session.scalars(slots_query(filters)).unique())


@dataclass
class Entry:
    occurrence: Occurrence
    slot: Slot
    is_open: bool = False

    @property
    def offer(self) -> Offer:
        return self.slot.offer

    @property
    def location(self) -> Location | None:
        return self.slot.location


@dataclass
class Day:
    day: date
    is_today: bool
    holiday: str | None
    entries: list[Entry] = field(default_factory=list)


def timetable(slots: list[Slot], first: date, days: int, now: datetime) -> list[Day]:
    """``days`` days from ``first``, each with its occurrences and holiday."""
    last = first + timedelta(days=days - 1)
    by_id = {slot.id: slot for slot in slots}
    result = {
        first + timedelta(days=i): Day(
            first + timedelta(days=i),
            first + timedelta(days=i) == now.astimezone(BERLIN).date(),
            holiday_key(first + timedelta(days=i)),
        )
        for i in range(days)
    }
    for occurrence in occurrences(slots, first, last):
        if occurrence.status == "holiday":
            continue  # the day says it is a holiday; no entries
        result[occurrence.day].entries.append(
            Entry(occurrence, by_id[occurrence.slot_id], occurrence.is_open(now))
        )
    return list(result.values())


def now_in_berlin() -> datetime:
    return datetime.now(BERLIN)


# --- checks of staff input ----------------------------------------------------------


def _periods_overlap(a: SlotLike, b: SlotLike) -> bool:
    if a.weekday != b.weekday:
        return False
    if not (a.start_time < b.end_time and b.start_time < a.end_time):
        return False
    a_from, a_until = a.valid_from or date.min, a.valid_until or date.max
    b_from, b_until = b.valid_from or date.min, b.valid_until or date.max
    if a_until < b_from or b_until < a_from:
        return False
    weeks_a, weeks_b = set(a.weeks), set(b.weeks)
    return not weeks_a or not weeks_b or bool(weeks_a & weeks_b)


def slot_problems(slots: list[Any]) -> dict[int, str]:
    """Row index -> message for slots of one offer that are wrong or collide.

    Each item needs weekday, start_time, end_time, valid_from, valid_until, weeks and
    location_id. Overlapping means: same location, same weekday, times and dates meet.
    """
    problems: dict[int, str] = {}
    for i, slot in enumerate(slots):
        if slot.end_time <= slot.start_time:
            problems[i] = _("The end must be after the start.")
        elif slot.valid_from and slot.valid_until and slot.valid_until < slot.valid_from:
            problems[i] = _("The last day must not be before the first day.")
    for i, a in enumerate(slots):
        for j in range(i + 1, len(slots)):
            b = slots[j]
            if i in problems or j in problems or a.location_id != b.location_id:
                continue
            if _periods_overlap(a, b):
                problems[j] = _(
                    "This time overlaps with another time of this offer at the same place."
                )
    return problems


def exception_problem(slot: SlotLike, day: date) -> str | None:
    """Why an exception on ``day`` makes no sense for ``slot``, or None."""
    if not list(slot_dates(slot, day, day)):
        return _("The offer does not take place on this date; choose a date on which it is due.")
    return None


# --- saving and the cache version ---------------------------------------------------


# Each worker reads the version at most every VERSION_TTL seconds; a change made by this
# worker clears it at once, one made by another worker shows within VERSION_TTL.
VERSION_TTL = 0.5
_seen_version: dict[str, float] = {}


def current_version() -> int:
    now = time_monotonic()
    if "value" not in _seen_version or now - _seen_version["at"] > VERSION_TTL:
        version = db.session.scalar(sa.select(CacheVersion.version).where(CacheVersion.id == 1))
        _seen_version.update(value=version or 0, at=now)
    return int(_seen_version["value"])


def bump_version() -> None:
    """Every change to the timetable calls this, so cached pages are rebuilt at once."""
    updated = db.session.execute(
        sa.update(CacheVersion).where(CacheVersion.id == 1).values(version=CacheVersion.version + 1)
    )
    if not updated.rowcount:
        db.session.add(CacheVersion(id=1, version=2))
    _seen_version.clear()


def upcoming_holiday_closures(
    slots: list[Slot], today: date, days: int = 60
) -> list[tuple[date, str, list[Slot]]]:
    """For staff: (date, holiday key, slots that the holiday removes) in the next ``days``."""
    end = today + timedelta(days=days)
    by_id = {slot.id: slot for slot in slots}
    removed: dict[date, list[Slot]] = {}
    for occurrence in occurrences(slots, today, end):
        if occurrence.status == "holiday":
            removed.setdefault(occurrence.day, []).append(by_id[occurrence.slot_id])
    return [(day, key, removed.get(day, [])) for day, key in holidays_between(today, end).items()]


# --- saving (every change raises the cache version) ----------------------------------


LOCATION_FIELDS = (
    "name",
    "street",
    "postal_code",
    "town",
    "municipality",
    "room",
    "is_step_free",
    "accessibility_notes",
    "transit_hint",
)
OFFER_FIELDS = ("organisation_id", "title", "kind", "target_groups", "phone", "email", "notes")
SLOT_FIELDS = (
    "location_id",
    "weekday",
    "start_time",
    "end_time",
    "valid_from",
    "valid_until",
)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    return value


def save_location(location: Location | None, data: dict[str, Any]) -> Location:
    location = location or Location()
    for name in LOCATION_FIELDS:
        if name in data:
            setattr(location, name, _clean(data[name]))
    location.is_step_free = bool(location.is_step_free)
    db.session.add(location)
    bump_version()
    db.session.commit()
    return location


def weeks_text(weeks: Iterable[int | str] | None) -> str:
    """ "1,3" from [1, 3]; only weeks 1 to 5 are kept."""
    numbers = sorted({int(w) for w in weeks or [] if str(w) in {"1", "2", "3", "4", "5"}})
    return ",".join(str(n) for n in numbers)


def save_offer(offer: Offer | None, data: dict[str, Any], slots: list[dict[str, Any]]) -> Offer:
    """Create or update an offer with its weekly slots (the given list replaces the old one).

    Each slot dict has the SLOT_FIELDS, "weeks" (list of week numbers) and optionally "id"
    of an existing slot (kept with its exceptions). Check with ``slot_problems`` first.
    """
    offer = offer or Offer()
    for name in OFFER_FIELDS:
        if name in data:
            setattr(offer, name, _clean(data[name]))
    if "languages" in data:
        offer.languages = list(data["languages"] or [])
    if "topic_ids" in data:
        ids = [int(i) for i in data["topic_ids"] or []]
        offer.topics = (
            list(db.session.scalars(sa.select(FocusArea).where(FocusArea.id.in_(ids))))
            if ids
            else []
        )
    existing = {slot.id: slot for slot in offer.slots}
    kept = []
    for values in slots:
        slot = existing.get(values.get("id") or 0) or Slot()
        for name in SLOT_FIELDS:
            setattr(slot, name, values.get(name))
        slot.weeks_of_month = weeks_text(values.get("weeks"))
        kept.append(slot)
    offer.slots = kept
    db.session.add(offer)
    bump_version()
    db.session.commit()
    return offer


def delete_offer(offer: Offer) -> None:
    db.session.delete(offer)
    bump_version()
    db.session.commit()


def save_exception(
    slot: Slot,
    day: date,
    is_cancelled: bool,
    reason: str | None,
    start_time: time | None = None,
    end_time: time | None = None,
) -> SlotException:
    """Cancel one date of ``slot`` or move its times; one exception per slot and date."""
    exception = db.session.scalar(
        sa.select(SlotException).where(SlotException.slot_id == slot.id, SlotException.date == day)
    ) or SlotException(slot_id=slot.id, date=day)
    exception.is_cancelled = is_cancelled
    exception.reason = _clean(reason)
    exception.start_time = None if is_cancelled else start_time
    exception.end_time = None if is_cancelled else end_time
    db.session.add(exception)
    bump_version()
    db.session.commit()
    return exception


def delete_exception(exception: SlotException) -> None:
    db.session.delete(exception)
    bump_version()
    db.session.commit()


def all_slots() -> list[Slot]:
    return load_slots(TimetableFilter())


def locations() -> list[Location]:
    return list(
        db.session.scalars(sa.select(Location).order_by(Location.municipality, Location.name))
    )


def offers() -> list[Offer]:
    return list(
        db.session.scalars(
            sa.select(Offer)
            .options(
                so.selectinload(Offer.slots).selectinload(Slot.exceptions),
                so.joinedload(Offer.organisation),
            )
            .order_by(Offer.title)
        ).unique()
    )


# --- what the pages show ------------------------------------------------------------


def describe_slot(slot: Slot) -> str:
    """ "Monday 10:00–12:00, Rathaus Jülich" (weekday in the current language)."""
    place = f", {slot.location.name}" if slot.location else ""
    weeks = f" ({describe_weeks(slot)})" if slot.weeks else ""
    return (
        f"{WEEKDAY_NAMES[slot.weekday]}{weeks} {slot.start_time:%H:%M}–{slot.end_time:%H:%M}{place}"
    )


WEEK_NAMES = {1: _l("1st"), 2: _l("2nd"), 3: _l("3rd"), 4: _l("4th"), 5: _l("5th")}


def describe_weeks(slot: SlotLike) -> str:
    """ "1st and 3rd week of the month" in the current language ("" for every week)."""
    if not slot.weeks:
        return ""
    return _("%(weeks)s week of the month", weeks=", ".join(str(WEEK_NAMES[w]) for w in slot.weeks))


def weekly_overview(slots: list[Slot], today: date) -> list[tuple[int, list[Slot]]]:
    """(weekday, slots in time order) for the weekdays with slots that have not ended."""
    week: dict[int, list[Slot]] = {}
    current = [s for s in slots if s.valid_until is None or s.valid_until >= today]
    for slot in sorted(current, key=lambda s: (s.weekday, s.start_time, s.end_time, s.id)):
        week.setdefault(slot.weekday, []).append(slot)
    return sorted(week.items())


def exception_input_problem(
    slot: Slot, day: date, is_cancelled: bool, start: time | None, end: time | None
) -> tuple[str, str] | None:
    """(field, message) when an exception cannot be saved like this, or None."""
    if day < now_in_berlin().date():
        return "date", _("The date is in the past.")
    problem = exception_problem(slot, day)
    if problem:
        return "date", problem
    if not is_cancelled:
        if start is None or end is None:
            return "start_time", _("Please enter the other times.")
        if end <= start:
            return "end_time", _("The end must be after the start.")
    return None


def upcoming_exceptions(today: date) -> list[SlotException]:
    return list(
        db.session.scalars(
            sa.select(SlotException)
            .where(SlotException.date >= today)
            .options(so.joinedload(SlotException.slot).joinedload(Slot.offer))
            .order_by(SlotException.date)
        )
    )


SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def schema_org_places(slots: list[Slot], today: date | None = None) -> list[dict[str, Any]]:
    """schema.org Place objects with their opening hours, for JSON-LD in the pages."""
    today = today or now_in_berlin().date()
    by_place: dict[int, list[Slot]] = {}
    for slot in slots:
        if slot.location is not None:
            by_place.setdefault(slot.location.id, []).append(slot)
    places = []
    for place_slots in by_place.values():
        place = place_slots[0].location
        specials = [
            {
                "@type": "OpeningHoursSpecification",
                "validFrom": o.day.isoformat(),
                "validThrough": o.day.isoformat(),
                **(
                    {"opens": f"{o.start:%H:%M}", "closes": f"{o.end:%H:%M}"}
                    if o.takes_place
                    else {"opens": "00:00", "closes": "00:00"}
                ),
            }
            for o in occurrences(place_slots, today, today + timedelta(days=27))
            if o.status != "regular"
        ]
        places.append(
            {
                "@context": "https://schema.org",
                "@type": "Place",
                "name": place.name,
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": place.street,
                    "postalCode": place.postal_code,
                    "addressLocality": place.town or place.municipality,
                    "addressCountry": "DE",
                },
                "openingHoursSpecification": [
                    {
                        "@type": "OpeningHoursSpecification",
                        "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[s.weekday]}",
                        "opens": f"{s.start_time:%H:%M}",
                        "closes": f"{s.end_time:%H:%M}",
                        **({"validFrom": s.valid_from.isoformat()} if s.valid_from else {}),
                        **({"validThrough": s.valid_until.isoformat()} if s.valid_until else {}),
                    }
                    for s in place_slots
                ],
                "specialOpeningHoursSpecification": specials,
            }
        )
    return places


def qr_data_uri(url: str) -> str:
    """A QR code for ``url`` as an SVG data URI (allowed by the CSP's img-src data:)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()
