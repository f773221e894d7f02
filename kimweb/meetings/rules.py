"""Meeting rhythms in words: parse to an iCalendar RRULE, describe back, expand with holidays.

Pure functions, no Flask request and no database. German and English input are accepted.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import gcd

from dateutil.rrule import rrulestr

from kimweb.consultations.holidays import nrw_holidays
from kimweb.i18n import N_

MAX_OCCURRENCES = 500
MAX_LENGTH = 200
HORIZON = timedelta(days=731)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")



EMPTY = N_("Describe the rhythm, for example: every 2nd and 4th Tuesday, 10:00-12:00")
TOO_LONG = N_("Please use at most %(max)s characters.")
NO_DAY = N_("Name a weekday, for example: every 2nd and 4th Tuesday, 10:00-12:00")
NO_MONTH = N_(
    "Name the months, for example: every first Wednesday of March and September, 14:00-16:00"
)
NO_TIME = N_("Add the time, for example 10:00-12:00.")
NO_END = N_("Add the end time, for example 10:00-12:00.")
ONE_TIME = N_("Give one time for all meetings, for example 10:00-12:00.")
BAD_TIME = N_("%(time)s is not a valid time.")
END_BEFORE = N_("The end time must be after the start time.")
BAD_NTH = N_("Use 1st to 5th or last for a weekday of the month, for example every 2nd Tuesday.")
BAD_MONTHDAY = N_("A month has no day %(day)s.")
BAD_INTERVAL = N_(
    "Repeat every 1 to 99 weeks, months or years, for example every 2 weeks on Thursday."
)
MIXED = N_(
    "Name either weekdays or days of the month, for example: monthly on the 15th, 10:00-11:00"
)
WEEK_OR_MONTH = N_("Choose weeks or a weekday of the month, for example: every 2 weeks on Thursday")
NO_DATE = N_("This rule has no date in the next two years.")
UNREADABLE = N_("This rule cannot be read.")


@dataclass(frozen=True)
class Rule:
    rrule: str  # e.g. "FREQ=MONTHLY;BYDAY=2TU,4TU", no "RRULE:" prefix, no DTSTART
    start_time: time
    end_time: time


@dataclass(frozen=True)
class Occurrence:
    day: date
    holiday: str | None  # NRW holiday key: the meeting is skipped that day


class RuleError(ValueError):
    """``message`` is an English msgid for the UI, ``params`` a dict for %(name)s placeholders."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


DAY_WORDS = (  # German, English, abbreviations; "-s" forms are added (montags, Mondays)
    "montag monday mo mon", "dienstag tuesday di tu tue tues", "mittwoch wednesday mi wed weds",
    "donnerstag thursday do th thu thur thurs", "freitag friday fr fri",
    "samstag saturday sa sat sonnabend sonnabends", "sonntag sunday so su sun",
)  # fmt: skip
MONTH_WORDS = (  # German, English, abbreviations
    "januar january jan jänner", "februar february feb", "märz march mar marz",
    "april april apr", "mai may", "juni june jun", "juli july jul", "august august aug",
    "september september sep sept", "oktober october okt oct", "november november nov",
    "dezember december dez dec",
)  # fmt: skip
COUNTS = {  # intervals 2 to 6 in words
    "de": ("zwei", "drei", "vier", "fünf", "sechs"), "en": ("two", "three", "four", "five", "six"),
}  # fmt: skip
ORDINALS = {1: "erst first", 2: "zweit second", 3: "dritt third", 4: "viert fourth"}
ORDINALS |= {5: "fünft fifth", 6: "sechst sixth", 7: "siebt seventh", -1: "letzt last"}
DAY_CONTEXT = {"am", "on", "the", "den", "dem", "zum", "und", "and", "or", "oder"}  # "am 15"


def _ascii(text: str) -> str:
    for umlaut, ascii_ in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, ascii_)
    return text


def _vocabulary() -> dict[str, tuple[str, object]]:
    """Each known word (lower case, umlauts as ae/oe/ue) -> (kind, value)."""
    words: dict[str, tuple[str, object]] = {}

    def add(kind: str, value: object, forms: str) -> None:
        words.update(dict.fromkeys(_ascii(forms).split(), (kind, value)))

    for day, forms in enumerate(DAY_WORDS):
        german, english = forms.split()[:2]
        add("wd", (day,), f"{forms} {german}s {english}s")
    for month, forms in enumerate(MONTH_WORDS, start=1):
        add("month", month, forms)
    for n, forms in ORDINALS.items():
        stem, english = forms.split()
        add("ord", n, " ".join([english] + [stem + end for end in ("e", "en", "er", "es")]))
    for n, forms in enumerate(zip(COUNTS["de"], COUNTS["en"], strict=True), start=2):
        add("num", n, " ".join(forms))
    add("other", 2, "other")
    add("wd", (0, 1, 2, 3, 4), "werktags wochentags weekday weekdays")
    add("unit", "WEEKLY", "woche wochen week weeks")
    add("unit", "MONTHLY", "monat monate monaten monats month months")
    add("unit", "YEARLY", "jahr jahre jahren jahres year years")
    add("unit", "DAILY", "tag tage tagen day days tägig tägige tägigen tägiger täglich")
    add("freq", ("WEEKLY", 1), "wöchentlich weekly")
    add("freq", ("WEEKLY", 2), "vierzehntägig zweiwöchentlich biweekly fortnightly")
    add("freq", ("MONTHLY", 1), "monatlich monthly")
    add("freq", ("YEARLY", 1), "jährlich yearly annually")
    return words


WORDS = _vocabulary()
_MERIDIEM = r"p\.?\s?m\b\.?|a\.m\.|am(?!\s*\d)(?!\s+(?!(?:to|till|until|bis)\b)[a-z])"


def _clock(n: int) -> str:
    minute = rf"(?:[:.]|\s*uhr\s+(?=\d\d(?![\d.])))(?P<m{n}>\d{{2}})"  # 10:30, 10.30, 10 Uhr 30
    return rf"(?P<h{n}>\d{{1,2}})(?:{minute})?\s*(?P<ap{n}>{_MERIDIEM})?"


_TO = r"(?:-|–|—|\bbis\b|\bto\b|\buntil\b|\btill\b)"
_RANGE = re.compile(rf"(?<![\d.:]){_clock(1)}\s*(?:uhr\s*)?{_TO}\s*{_clock(2)}(?!\d)")
_LONE_TIME = re.compile(  # "10:00", "10 Uhr", "10 am", "um 10": a start without an end
    rf"(?<![\d.:])\d{{1,2}}(?:[:.]\d{{2}}(?!\d)|\s*(?:uhr\b|{_MERIDIEM}))"
    r"|\b(?:um|at|ab|from|von)\s+\d{1,2}\b(?![.:])"
)
_TOKEN = re.compile(r"(\d+)(?:(\.)|(?:st|nd|rd|th)(?![a-z]))?|[a-z]+")


def _to_time(hour: int, minute: int, meridiem: str | None) -> time:
    if meridiem:
        if not 1 <= hour <= 12:
            raise RuleError(BAD_TIME, time=f"{hour}{meridiem}")
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise RuleError(BAD_TIME, time=f"{hour}:{minute:02d}")
    return time(hour, minute)


def _times(text: str) -> tuple[str, tuple[time, time] | RuleError]:
    """Remove the time range from ``text``; return the rest and the times (or the error)."""
    found = list(_RANGE.finditer(text))
    rest = _LONE_TIME.sub(" ", _RANGE.sub(" ", text))
    if len(found) != 1:
        lone = _LONE_TIME.search(_RANGE.sub(" ", text))
        return rest, RuleError(ONE_TIME if found else NO_END if lone else NO_TIME)
    match = found[0]
    try:
        start = _to_time(int(match["h1"]), int(match["m1"] or 0), match["ap1"])
        end = _to_time(int(match["h2"]), int(match["m2"] or 0), match["ap2"])
        if match["ap2"] and not match["ap1"] and 1 <= int(match["h1"]) <= 12:
            afternoon = _to_time(int(match["h1"]), int(match["m1"] or 0), match["ap2"])
            start = afternoon if afternoon < end else start
    except RuleError as error:
        return rest, error
    return rest, (start, end) if start < end else RuleError(END_BEFORE)


def _tokens(text: str) -> list[tuple[str, object]]:
    tokens: list[tuple[str, object]] = []
    for match in _TOKEN.finditer(text):
        if match[1]:
            is_ordinal = match[0] != match[1]
            tokens.append(("ord" if is_ordinal else "dig", int(match[1])))
        else:  # unknown words are kept as gaps: "15. des Monats" is no interval
            tokens.append(WORDS.get(match[0], ("word", match[0])))
    return tokens


@dataclass
class _Scan:
    """What the words of a rhythm name; ``nth`` None in ``byday`` means every such weekday."""

    byday: list[tuple[int | None, int]] = field(default_factory=list)
    monthdays: list[int] = field(default_factory=list)
    months: list[int] = field(default_factory=list)
    hints: set[object] = field(default_factory=set)  # WEEKLY etc. from "Woche", "monthly"
    interval: int = 1
    unit: str | None = None  # what ``interval`` counts, None for "every other"


def _scan(tokens: list[tuple[str, object]]) -> _Scan:
    found, pending, last = _Scan(), [], [None]
    tokens = [*tokens, ("", None)]
    i = 0
    while i < len(tokens) - 1:
        (kind, value), after = tokens[i], tokens[i + 1]
        if kind in ("dig", "num", "ord", "other") and after[0] == "unit":
            if kind == "ord" and after[1] == "DAILY":  # "letzten Tag", "15th day"
                found.monthdays += [*pending, value]
                pending = []
            else:  # "alle 2 Wochen", "jede zweite Woche", "every other month"
                found.interval, found.unit = value, after[1]
            i += 1
        elif kind == "ord" or (kind == "dig" and tokens[i - 1][1] in DAY_CONTEXT):
            pending.append(value)  # "2.", "2nd", "zweiten"; "am 15", "the 15" (not "Raum 204")
        elif kind == "other":
            found.interval = 2
        elif kind == "wd":  # "2. und 4. Dienstag"; "ersten Montag und Mittwoch" shares the 1st
            last, pending = pending or last, []
            found.byday += [(n, day) for day in value for n in last]
        elif kind == "unit" and pending:  # "am 15. des Monats"
            found.monthdays += pending
            pending = []
        elif kind in ("unit", "freq"):
            found.hints.add(value if kind == "unit" else value[0])
            if kind == "freq" and value[1] > 1:
                found.interval, found.unit = value[1], value[0]
        elif kind == "month":
            found.months.append(value)
        i += 1
    found.monthdays += pending
    if found.unit == "DAILY":  # "14-tägig"
        if found.interval % 7:
            raise RuleError(BAD_INTERVAL)
        found.interval, found.unit = found.interval // 7, "WEEKLY"
    found.hints.add(found.unit)
    return found


def _rrule(found: _Scan) -> str:
    """The RRULE (without times) of what was found, or RuleError."""
    byday, monthdays, months, unit = found.byday, found.monthdays, found.months, found.unit
    if not 1 <= found.interval <= 99:
        raise RuleError(BAD_INTERVAL)
    if not byday and not monthdays:
        raise RuleError(NO_DAY)
    if byday and monthdays:
        raise RuleError(MIXED)
    if any(n is not None and not (1 <= n <= 5 or n == -1) for n, _ in byday):
        raise RuleError(BAD_NTH)
    for day in monthdays:
        if not (1 <= day <= 31 or day == -1):
            raise RuleError(BAD_MONTHDAY, day=day)
    if months:
        freq = "YEARLY"
        if unit not in (None, "YEARLY"):
            raise RuleError(WEEK_OR_MONTH)
        if monthdays and all(
            d > calendar.monthrange(2024, m)[1] for m in months for d in monthdays
        ):
            raise RuleError(NO_DATE)  # 30 February
    elif "YEARLY" in found.hints:
        raise RuleError(NO_MONTH)
    elif monthdays or any(n is not None for n, _ in byday):
        freq = "MONTHLY"
        if "WEEKLY" in found.hints:
            raise RuleError(WEEK_OR_MONTH)
    elif unit == "MONTHLY" and found.interval > 1:  # "every other month on Mondays"
        raise RuleError(WEEK_OR_MONTH)
    else:
        freq = "WEEKLY"
    parts = [f"FREQ={freq}"] + ([f"INTERVAL={found.interval}"] if found.interval > 1 else [])
    if months:
        parts.append("BYMONTH=" + ",".join(map(str, sorted(set(months)))))
    if monthdays:
        days = sorted(set(monthdays), key=lambda d: (d < 0, d))
        parts.append("BYMONTHDAY=" + ",".join(map(str, days)))
    if byday:
        byday = sorted(set(byday), key=lambda e: (e[1], e[0] is not None, (e[0] or 0) < 0, e[0]))
        parts.append("BYDAY=" + ",".join(f"{n or ''}{WEEKDAYS[d]}" for n, d in byday))
    return ";".join(parts)


def parse_rule(text: str, *, today: date | None = None) -> Rule:
    """Read a rhythm such as "jeden 2. und 4. Dienstag, 10:00-12:00"; raise RuleError."""
    text = text.strip()
    if not text:
        raise RuleError(EMPTY)
    if len(text) > MAX_LENGTH:
        raise RuleError(TOO_LONG, max=MAX_LENGTH)
    rest, times = _times(_ascii(text.lower()))
    rrule = _rrule(_scan(_tokens(rest)))
    if isinstance(times, RuleError):
        raise times
    rule = Rule(rrule, *times)
    today = today or date.today()
    try:
        horizon = today + HORIZON
    except OverflowError:
        horizon = date.max
    if not expand(rule, today, today, horizon):
        raise RuleError(NO_DATE)
    return rule


def _parts(rrule: str) -> dict[str, str]:
    text = rrule.strip().upper().removeprefix("RRULE:")
    try:
        parts = dict(part.split("=", 1) for part in text.split(";") if part)
    except ValueError as exc:
        raise RuleError(UNREADABLE) from exc
    if parts.get("FREQ") not in FREQS:
        raise RuleError(UNREADABLE)
    return parts


def _skip_ahead(parts: dict[str, str], first: date, start: date) -> date:
    """A later first date of the same series, not after ``start``: saves iterating centuries."""
    if "COUNT" in parts or start <= first:
        return first
    interval = int(parts.get("INTERVAL", "1") or 1)
    if parts["FREQ"] in ("DAILY", "WEEKLY"):
        step = interval * (7 if parts["FREQ"] == "WEEKLY" else 1)
        return first + timedelta(days=(start - first).days // step * step)
    if first.day > 28:  # whole years would move the 29th to 31st
        return first
    step = interval if parts["FREQ"] == "YEARLY" else interval // gcd(interval, 12)
    return first.replace(year=first.year + max(0, start.year - first.year - 1) // step * step)


def expand(rule: Rule | str, first: date, start: date, end: date) -> list[Occurrence]:
    """Occurrences of the series beginning ``first`` from ``start`` to ``end`` inclusive."""
    text, at = (rule.rrule, rule.start_time) if isinstance(rule, Rule) else (rule, time())
    parts = _parts(text)
    found: list[Occurrence] = []
    if end < start or end < first:
        return found
    begin = _skip_ahead(parts, first, start)
    try:
        series = rrulestr(
            ";".join(f"{k}={v}" for k, v in parts.items()), dtstart=datetime.combine(begin, at)
        )
        for moment in series:
            day = moment.date()
            if day > end:
                break
            if day >= start:
                found.append(Occurrence(day, nrw_holidays(day.year).get(day)))
                if len(found) >= MAX_OCCURRENCES:
                    break
    except (ValueError, TypeError, OverflowError) as exc:
        raise RuleError(UNREADABLE) from exc
    return found


def _nth(n: int, lang: str) -> str:
    if lang == "de":
        return "letzten" if n == -1 else f"{n}."
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return "last" if n == -1 else f"{n}{suffix}"


def _join(items: list[str], lang: str) -> str:
    glue = " und " if lang == "de" else " and "
    return glue.join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


TEMPLATES = {  # (every period, every n periods)
    "de": {
        "WEEKLY": ("jeden {w}", "alle {n} Wochen am {w}"),
        "MONTHLY": ("jeden {w}{of_month}", "alle {n} Monate am {w}"),
        "MONTHLY_DAY": ("monatlich am {d}", "alle {n} Monate am {d}"),
        "YEARLY": ("jeden {w} im {m}", "alle {n} Jahre am {w} im {m}"),
        "YEARLY_DAY": ("jährlich am {d} {m}", "alle {n} Jahre am {d} {m}"),
    },
    "en": {
        "WEEKLY": ("every {w}", "every {n} weeks on {w}"),
        "MONTHLY": ("every {w}{of_month}", "every {n} months on the {w}"),
        "MONTHLY_DAY": ("monthly on the {d}", "every {n} months on the {d}"),
        "YEARLY": ("every {w} in {m}", "every {n} years on the {w} in {m}"),
        "YEARLY_DAY": ("yearly on the {d} of {m}", "every {n} years on the {d} of {m}"),
    },
}
_BYDAY = re.compile(r"([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)")


def _phrase(parts: dict[str, str], lang: str) -> str | None:
    """The words of an RRULE this module writes, or None for any other rule."""
    freq, by_day = parts["FREQ"], "BYMONTHDAY" in parts
    if (
        set(parts) - {"FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY"}
        or by_day == ("BYDAY" in parts)
        or ("BYMONTH" in parts) != (freq == "YEARLY")
    ):
        return None
    entries = [_BYDAY.fullmatch(e) for e in parts.get("BYDAY", "").split(",") if e]
    if not all(entries):
        return None
    groups: list[tuple[int, list[int]]] = []  # weekday, its ordinals ([] for every)
    for entry in entries:
        nth, day = [int(entry[1])] if entry[1] else [], WEEKDAYS.index(entry[2])
        if groups and groups[-1][0] == day and bool(groups[-1][1]) == bool(nth):
            groups[-1][1].extend(nth)
        else:
            groups.append((day, nth))
    column = 0 if lang == "de" else 1
    weekdays = [
        f"{_join([_nth(n, lang) for n in nths], lang)} {DAY_WORDS[day].split()[column].title()}"
        for day, nths in groups
    ]
    months = [
        MONTH_WORDS[int(m) - 1].split()[column].title()
        for m in parts.get("BYMONTH", "").split(",")
        if m
    ]
    days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d]
    interval = int(parts.get("INTERVAL") or 1)
    template = TEMPLATES[lang][freq + ("_DAY" if by_day else "")][interval > 1]
    return template.format(
        w=_join([w.strip() for w in weekdays], lang),
        d=_join([_nth(d, lang) for d in days], lang)
        + (" Tag" if lang == "de" else " day") * (-1 in days),
        m=_join(months, lang),
        n=COUNTS[lang][interval - 2] if interval <= 6 else interval,
        of_month=(" im Monat" if lang == "de" else " of the month") * (len(entries) == 1),
    )


def describe(rule: Rule, locale: str = "de") -> str:
    """The rule in words: "jeden 2. und 4. Dienstag, 10:00–12:00" (de; en for "en*")."""
    lang = "en" if locale.lower().startswith("en") else "de"
    try:
        words = _phrase(_parts(rule.rrule), lang)
    except (RuleError, LookupError, ValueError):  # not a rule this module writes
        words = None
    return f"{words or rule.rrule}, {rule.start_time:%H:%M}–{rule.end_time:%H:%M}"
