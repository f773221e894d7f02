"""Recurrence of calendar events: the form a person fills in <-> iCalendar RRULE, in words,
and expanded for the visible range only.

Rules run on local wall-clock time (a weekly 10:00 stays at 10:00 across the change to
summer time); each occurrence is then placed in Europe/Berlin. As RFC 5545 counts it, the
event's own first date is always an occurrence, even when the rule would not give it.
Pure functions: no Flask request, no database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Set
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from math import gcd
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, get_day_names
from dateutil.rrule import rrule as Rule
from dateutil.rrule import rrulestr

from kimweb.i18n import N_

BERLIN = ZoneInfo("Europe/Berlin")
FREQUENCIES = ("none", "daily", "weekly", "monthly_day", "monthly_nth", "yearly")
NTHS = (1, 2, 3, 4, 5, -1)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
RULE_FREQS = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
STEPS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600, "DAILY": 86400, "WEEKLY": 604800}
MAX_YEARS = 20
_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")



BAD_INTERVAL = N_("Repeat every 1 to 99.")
BAD_COUNT = N_("Between 1 and 500 repetitions.")
NO_UNTIL = N_("Enter the last date of the repetition.")
UNTIL_BEFORE = N_("The end of the repetition must not be before the first date.")
TOO_FAR = N_("The repetition may run for at most 20 years.")
NO_DATE = N_("This repetition has no date.")


@dataclass
class Recurrence:
    """What the event form shows; ``to_rrule`` turns it into an RRULE."""

    frequency: str = "none"  # one of FREQUENCIES
    interval: int = 1  # every n days/weeks/months/years (1..99)
    weekdays: list[int] = field(default_factory=list)  # weekly: 0=Mon..6=Sun; [] = start's
    nth: int = 1  # monthly_nth: 1..5 or -1 (last)
    nth_weekday: int = 0  # monthly_nth: 0=Mon..6=Sun
    ends: str = "never"  # "never", "until" or "count"
    until: date | None = None  # inclusive
    count: int | None = None  # 1..500, the first date included


@dataclass(frozen=True, slots=True)
class Occurrence:
    start: datetime  # aware, Europe/Berlin (all day: midnight of the first day)
    end: datetime  # all day: midnight after the last day (exclusive, as DTEND in iCalendar)
    original_date: date  # the date the rule gave: the key of exceptions
    all_day: bool
    changed: bool = False


def to_rrule(rec: Recurrence, start: date, timed: bool = True) -> str | None:
    """The RRULE (no "RRULE:" prefix) of ``rec`` for a series beginning ``start``.

    UNTIL is a UTC date-time (the end of the Berlin day) for timed events, a DATE for
    all-day ones, as RFC 5545 wants it to match DTSTART.
    """
    if rec.frequency == "none":
        return None
    freq = {"daily": "DAILY", "weekly": "WEEKLY", "yearly": "YEARLY"}.get(rec.frequency)
    parts = [f"FREQ={freq or 'MONTHLY'}"]
    if rec.interval > 1:
        parts.append(f"INTERVAL={rec.interval}")
    if rec.frequency == "weekly":
        days = sorted(set(rec.weekdays)) or [start.weekday()]
        parts.append("BYDAY=" + ",".join(WEEKDAYS[day] for day in days))
    elif rec.frequency == "monthly_nth":
        parts.append(f"BYDAY={rec.nth}{WEEKDAYS[rec.nth_weekday]}")
    elif rec.frequency == "monthly_day":
        parts.append(f"BYMONTHDAY={start.day}")
    elif rec.frequency == "yearly":
        parts += [f"BYMONTH={start.month}", f"BYMONTHDAY={start.day}"]
    if rec.ends == "count" and rec.count:
        parts.append(f"COUNT={rec.count}")
    elif rec.ends == "until" and rec.until:
        if timed:
            last = datetime.combine(rec.until, time(23, 59, 59), tzinfo=BERLIN).astimezone(UTC)
            parts.append(f"UNTIL={last:%Y%m%dT%H%M%SZ}")
        else:
            parts.append(f"UNTIL={rec.until:%Y%m%d}")
    return ";".join(parts)


def from_rrule(rrule: str | None, start: date) -> Recurrence | None:
    """The form of ``rrule``; None if the form cannot show it (the UI shows it as text)."""
    if not rrule:
        return Recurrence()
    try:
        parts = _parse(rrule)
        wkst = parts.pop("WKST", "MO")
        matches = [_BYDAY.fullmatch(entry) for entry in parts.get("BYDAY", "").split(",") if entry]
        if not all(matches):
            return None
        days = [(int(m[1]) if m[1] else None, WEEKDAYS.index(m[2])) for m in matches if m]
        rec = Recurrence(interval=int(parts.get("INTERVAL", "1")))
        if "COUNT" in parts:
            rec.ends, rec.count = "count", int(parts["COUNT"])
        if "UNTIL" in parts:
            rec.ends, rec.until = "until", _until(parts["UNTIL"]).date()
        monthday = int(parts.get("BYMONTHDAY", start.day))
        month = int(parts.get("BYMONTH", start.month))
        setpos = int(parts.get("BYSETPOS", 0))
        same_day = (month, monthday) == (start.month, start.day)
    except ValueError:
        return None
    keys, freq = set(parts) - {"FREQ", "INTERVAL", "COUNT", "UNTIL"}, parts["FREQ"]
    if wkst not in WEEKDAYS or rec.interval > 99 or (rec.count or 1) > 500:
        return None
    if freq == "DAILY" and not keys:
        rec.frequency = "daily"
    elif freq == "WEEKLY" and keys <= {"BYDAY"} and all(n is None for n, _ in days):
        rec.frequency, rec.weekdays = "weekly", sorted({day for _, day in days})
        rec.weekdays = rec.weekdays or [start.weekday()]
        if wkst != "MO" and rec.interval > 1 and rec.weekdays != [start.weekday()]:
            return None  # another week start would group the days differently
    elif freq == "MONTHLY" and keys <= {"BYMONTHDAY"} and monthday == start.day:
        rec.frequency = "monthly_day"
    elif freq == "MONTHLY" and keys in ({"BYDAY"}, {"BYDAY", "BYSETPOS"}) and len(days) == 1:
        nth, rec.nth_weekday = days[0]
        if setpos and nth is None:  # Outlook: BYDAY=TH;BYSETPOS=1
            nth = setpos
        if nth not in NTHS or (setpos and nth != setpos):
            return None
        rec.frequency, rec.nth = "monthly_nth", nth
    elif freq == "YEARLY" and keys <= {"BYMONTH", "BYMONTHDAY"} and same_day:
        rec.frequency = "yearly"
    else:
        return None
    return rec


def problems(rec: Recurrence, start: date) -> dict[str, str]:
    """Field name -> English msgid for each bad input; empty if the form is fine."""
    found: dict[str, str] = {}
    if rec.frequency not in FREQUENCIES[1:]:
        return found
    if not 1 <= (rec.interval or 0) <= 99:
        found["interval"] = BAD_INTERVAL
    if rec.ends == "count" and not 1 <= (rec.count or 0) <= 500:
        found["count"] = BAD_COUNT
    elif rec.ends == "count" and not found:  # yearly, 500 times: far beyond 20 years
        first = datetime.combine(start, time())
        dates = list(_rule(_parse(to_rrule(rec, start, timed=False) or ""), first))
        if dates and dates[-1].date() > horizon(start):
            found["count"] = TOO_FAR
    elif rec.ends == "until":
        if rec.until is None:
            found["until"] = NO_UNTIL
        elif rec.until < start:
            found["until"] = UNTIL_BEFORE
        elif rec.until > horizon(start):
            found["until"] = TOO_FAR
        elif not found:  # e.g. 29 February until the next year: nothing after the first date
            first = datetime.combine(start, time())
            if _rule(_parse(to_rrule(rec, start, timed=False) or ""), first).after(first) is None:
                found["until"] = NO_DATE
    return found


def first_date(rrule: str | None, start: date) -> date:
    """The first date from ``start`` on that ``rrule`` itself gives, as a calendar program
    moves a series that starts on a date outside its pattern ("every last Friday" from a
    Thursday starts on the last Friday); ``start`` if it has none or no rule."""
    if not rrule:
        return start
    first = datetime.combine(start, time())
    moment = next(iter(_rule(_parse(rrule), first)), None)
    return moment.date() if moment is not None else start


def horizon(start: date) -> date:
    """The last day a repetition from ``start`` may reach: ``MAX_YEARS`` later."""
    return date(start.year + MAX_YEARS, start.month, 1) + timedelta(start.day - 1)


WORDS = {
    "de": {
        "daily": ("jeden Tag", "alle {n} Tage"),
        "weekly": ("jede Woche", "alle {n} Wochen"),
        "monthly": ("jeden Monat", "alle {n} Monate"),
        "yearly": ("jedes Jahr", "alle {n} Jahre"),
        "on": "am {}", "and": " und ", "until": "bis {}", "count": ("einmal", "{n}-mal"),
        "nth": {1: "ersten", 2: "zweiten", 3: "dritten", 4: "vierten", 5: "fünften", -1: "letzten"},
        "custom": "eigene Wiederholungsregel",
    },
    "en": {
        "daily": ("every day", "every {n} days"),
        "weekly": ("every week", "every {n} weeks"),
        "monthly": ("every month", "every {n} months"),
        "yearly": ("every year", "every {n} years"),
        "on": "on {}", "and": " and ", "until": "until {}", "count": ("once", "{n} times"),
        "nth": {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"},
        "custom": "custom repetition rule",
    },
}  # fmt: skip


def describe(rrule: str | None, start: date, locale: str = "de") -> str:
    """The rule in German or English words: "jeden Monat am ersten Donnerstag, 10-mal"."""
    locale = str(locale)  # also a babel Locale, as flask_babel.get_locale() gives it
    lang = "de" if locale.lower().startswith("de") else "en"
    words, loc = WORDS[lang], locale if locale.lower().startswith(lang) else lang
    rec = from_rrule(rrule, start)
    if not rrule or rec is None:
        return words["custom"] if rrule else ""
    names = get_day_names("wide", locale=loc)
    period = rec.frequency.split("_")[0]
    text = words[period][rec.interval > 1].format(n=rec.interval)
    if rec.frequency == "weekly":
        days = [names[day] for day in rec.weekdays]
        joined = words["and"].join([", ".join(days[:-1]), days[-1]] if len(days) > 1 else days)
        text += " " + words["on"].format(joined)
    elif rec.frequency == "monthly_nth":
        nth = f"{words['nth'][rec.nth]} {names[rec.nth_weekday]}"
        text += " " + words["on"].format(nth if lang == "de" else f"the {nth}")
    elif rec.frequency == "monthly_day":
        text += " " + words["on"].format(f"{start.day}." if lang == "de" else _ordinal(start.day))
    elif rec.frequency == "yearly":
        text += " " + words["on"].format(format_skeleton("MMMMd", start, locale=loc))
    if rec.until:
        text += ", " + words["until"].format(format_date(rec.until, "medium", locale=loc))
    elif rec.count:
        text += ", " + words["count"][rec.count > 1].format(n=rec.count)
    return text


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"the {n}{suffix}"


def occurrences(
    start_date: date,
    start_time: time | None,
    end_date: date,
    end_time: time | None,
    rrule: str | None,
    start: date,
    end: date,
    cancelled: Set[date] = frozenset(),
    changes: Mapping[date, tuple[datetime, datetime]] | None = None,
    limit: int = 1000,
) -> list[Occurrence]:
    """The event's occurrences touching the days ``start`` to ``end`` (Berlin), by start.

    ``start_time`` None is an all-day event (``end_date`` its last day). Only the visible
    range is expanded. ``cancelled`` dates are left out; ``changes`` give an original date
    new aware start and end (an all-day change: midnight to midnight). Raises ValueError
    for a rule that cannot be read.

    A pure function of its arguments, so each worker keeps the last results: the month
    everybody looks at is expanded once, and a changed event asks with other arguments.
    """
    return list(
        _occurrences(
            start_date, start_time, end_date, end_time, rrule, start, end,
            frozenset(cancelled), tuple(sorted((changes or {}).items())), limit,
        )
    )  # fmt: skip


@lru_cache(maxsize=20_000)
def _occurrences(
    start_date: date,
    start_time: time | None,
    end_date: date,
    end_time: time | None,
    rrule: str | None,
    start: date,
    end: date,
    cancelled: frozenset[date],
    changed: tuple[tuple[date, tuple[datetime, datetime]], ...],
    limit: int,
) -> tuple[Occurrence, ...]:
    all_day, changes = start_time is None, dict(changed)
    first = datetime.combine(start_date, start_time or time())
    if all_day:
        length = timedelta(days=max((end_date - start_date).days, 0) + 1)
    else:
        length = max(datetime.combine(end_date, end_time or time()) - first, timedelta())
    low, high = datetime.combine(start, time()), datetime.combine(end, time()) + timedelta(1)
    found, confirmed = [], set()
    for moment in _starts(rrule, first, low - length, high):
        day = moment.date()
        if day in changes:
            confirmed.add(day)
        elif day not in cancelled and (moment + length > low or moment >= low):
            found.append(_occurrence(moment, length, day, all_day))
            if len(found) >= limit:
                break
    low_at, high_at = _aware(low), _aware(high)
    for day, (new_start, new_end) in changes.items():
        new_start, new_end = _aware(new_start), _aware(new_end)
        if day in cancelled or new_start >= high_at or (new_end <= low_at and new_start < low_at):
            continue
        midnight = datetime.combine(day, time())
        if day in confirmed or any(_starts(rrule, first, midnight, midnight + timedelta(1))):
            midnights = new_start.time() == new_end.time() == time() and new_end > new_start
            found.append(Occurrence(new_start, new_end, day, midnights, changed=True))
    found.sort(key=lambda o: (o.start, o.original_date))
    return tuple(found[:limit])


def single(
    start_date: date, start_time: time | None, end_date: date, end_time: time | None
) -> Occurrence:
    """The one occurrence of an event without repetition (no expansion, no cache)."""
    first = datetime.combine(start_date, start_time or time())
    if start_time is None:
        length = timedelta(days=max((end_date - start_date).days, 0) + 1)
    else:
        length = max(datetime.combine(end_date, end_time or time()) - first, timedelta())
    return _occurrence(first, length, start_date, start_time is None)


def _occurrence(moment: datetime, length: timedelta, day: date, all_day: bool) -> Occurrence:
    start = _aware(moment)
    end = _aware(moment + length)
    if end <= start and length:  # 02:30-03:00 on the day summer time begins: 03:30-04:00
        end = start + length
    return Occurrence(start, end, day, all_day)


def _aware(moment: datetime) -> datetime:
    """Wall-clock ``moment`` in Berlin; a time skipped in spring moves on an hour (02:30 is
    03:30 CEST), in the repeated autumn hour the first (summer) one counts."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BERLIN)
    return moment.astimezone(UTC).astimezone(BERLIN)


def _parse(rrule: str) -> dict[str, str]:
    """RRULE text -> {"FREQ": "WEEKLY", ...}; ValueError if it is no single readable rule."""
    text = rrule.strip().upper().removeprefix("RRULE:")
    parts: dict[str, str] = {}
    for part in filter(None, text.split(";")):
        key, sep, value = part.partition("=")
        if not sep or not value or key in parts or not key.isalpha():
            raise ValueError(f"unreadable recurrence rule: {rrule!r}")
        parts[key] = value
    if parts.get("FREQ") not in RULE_FREQS or ("COUNT" in parts and "UNTIL" in parts):
        raise ValueError(f"unreadable recurrence rule: {rrule!r}")
    if int(parts.get("INTERVAL", "1")) < 1 or int(parts.get("COUNT", "1")) < 1:
        raise ValueError(f"INTERVAL and COUNT must be positive: {rrule!r}")
    return parts


def _until(value: str) -> datetime:
    """UNTIL as a naive Berlin wall-clock time: a DATE is its whole day, UTC is converted."""
    if len(value) == 8:
        return datetime.combine(datetime.strptime(value, "%Y%m%d"), time(23, 59, 59))
    moment = datetime.strptime(value.removesuffix("Z"), "%Y%m%dT%H%M%S")
    if value.endswith("Z"):
        return moment.replace(tzinfo=UTC).astimezone(BERLIN).replace(tzinfo=None)
    return moment


def _rule(parts: dict[str, str], first: datetime) -> Rule:
    """The dateutil rule from ``first`` on, UNTIL as Berlin wall-clock time like DTSTART."""
    parts = dict(parts)
    if "UNTIL" in parts:
        parts["UNTIL"] = f"{_until(parts['UNTIL']):%Y%m%dT%H%M%S}"
    try:
        return rrulestr(";".join(f"{k}={v}" for k, v in parts.items()), dtstart=first)
    except (KeyError, TypeError, IndexError) as exc:
        raise ValueError(f"unreadable recurrence rule: {parts}") from exc


@dataclass(frozen=True, slots=True)
class _Series:
    """A rule read once for its first start: what ``_starts`` needs on every view."""

    parts: Mapping[str, str]
    rule: Rule | None  # None: DTSTART is the only date (COUNT=1 off the pattern)
    first_off_rule: bool  # DTSTART is not a date of the rule, but counts (RFC 5545)


@lru_cache(maxsize=4096)
def _series(rrule: str, first: datetime) -> _Series:
    """The dateutil rule of ``rrule`` from ``first``; cached per worker, as reading it and
    checking its first date cost more than expanding a month of it."""
    parts = _parse(rrule)
    rule = _rule(parts, first)
    off = next(iter(rule), None) != first
    if off and "COUNT" in parts:
        count = int(parts["COUNT"])
        rule = None if count == 1 else rule.replace(count=count - 1)
    return _Series(parts, rule, off)


def _starts(
    rrule: str | None, first: datetime, after: datetime, before: datetime
) -> Iterator[datetime]:
    """Wall-clock starts of the series in [after, before); ``first`` always one of them."""
    series = _series(rrule, first) if rrule else None
    off_rule = series is None or series.first_off_rule
    if off_rule and after <= first < before:  # RFC 5545: DTSTART is the first occurrence
        yield first
    if series is None or series.rule is None:
        return
    rule = series.rule
    if "COUNT" not in series.parts and after > first:  # skip whole periods: cost is the window's
        rule = rule.replace(dtstart=_skip(series.parts, first, after))
    for moment in rule.xafter(after, inc=True):
        if moment >= before:
            return
        yield moment


def _skip(parts: Mapping[str, str], first: datetime, after: datetime) -> datetime:
    """A later start of the same series, by whole periods, not after ``after``."""
    interval = int(parts.get("INTERVAL", "1"))
    if interval > 99:  # not from the form or an import: whole periods would overflow
        return first
    if parts["FREQ"] in STEPS:
        step = timedelta(seconds=STEPS[parts["FREQ"]] * interval)
        return first + (after - first) // step * step
    if first.day > 28:  # whole years would not keep the 29th to 31st
        return first
    years = interval if parts["FREQ"] == "YEARLY" else interval // gcd(interval, 12)
    return first.replace(year=first.year + max(0, after.year - first.year - 1) // years * years)
