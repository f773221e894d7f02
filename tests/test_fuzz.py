"""Property-based tests (hypothesis): arbitrary input to every form and JSON endpoint.

Property 1: no answer is a server error (>= 500); in tests an exception in a view fails too.
Property 2: what a successful POST stored never breaks a later page: the redirect target, the
pages that show it, the calendar files (read with icalendar, no property in error) and the
vCard export (read with vobject) still work.

The fields of a form are read from the page that shows it, as a browser sends them (names,
options of selects and checkboxes, maxlength, min and max, hidden values), plus the names the
view reads itself (``values``). Each example keeps most fields plausible and breaks a few:
missing, arbitrary unicode (controls, RTL marks, emoji), text up to 5,000 characters, numbers
and dates in odd forms, several values for one field; extra fields come along; sometimes as
htmx. The CSRF token is valid, so the validation is what is tested. NUL goes into every
field once (``test_nul_bytes*``), so a failure names the field instead of hiding the rest.

The database is not reset between examples: an example that deletes or changes a row others
need gets its own (``fresh``), and the pages are checked with whatever accumulated; each
feature ends with a sweep over its pages. A POST route missing from FORMS or IMPORTS fails
``test_every_post_route_is_fuzzed``; every GET route of test_access.ACCESS gets its query
string fuzzed, and a query parameter a view reads but QUERIES does not know fails
``test_every_query_parameter_is_fuzzed``.

Reproducible (derandomized). ``KIMWEB_FUZZ_EXAMPLES=<n>`` runs n examples per form instead
of the few that keep CI fast.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from itertools import count, product
from typing import Any
from urllib.parse import quote, quote_from_bytes, urlencode, urlsplit

import icalendar
import pytest
import sqlalchemy as sa
import vobject
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, currently_in_test_context, given, note, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from kimweb.extensions import db
from tests.conftest import PASSWORD, ROOT, csrf_token, login
from tests.test_access import ACCESS, ids  # noqa: F401  (ids: the fixture, used by ``world``)

EXAMPLES = int(os.environ.get("KIMWEB_FUZZ_EXAMPLES", "4"))
TODAY = date.today()
NUMBERS = count(1)


def fuzz_settings(examples: int) -> settings:
    """Reproducible (derandomized, no example database), no deadline, few examples."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )


# --- values -------------------------------------------------------------------------------

# Every code point but surrogates (they cannot be sent): controls, RTL marks, emoji, and
# NUL, which the request drops (kimweb/requests.py); test_nul_bytes sends it everywhere.
CHARS = st.characters(codec="utf-8")
TEXT = st.text(CHARS, max_size=30)
# fmt: off
TRICKY = (
    "", " ", "\t\x0b\x0c", "\r\n", "\r", "\n\n\n", "\x1b[31m", "\x7f\x85\xa0",
    "\u202e\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\u200f\u05e9\u05dc\u05d5\u05dd\u200e",
    "\ufeff", "\u2028\u2029", "\ufffd", "\U0001f600\U0001f469\u200d\U0001f467",
    "e\u0301\u0301\u0301", "İıßẞ", "0", "-1", "1.5", "1e999", "NaN", "-inf", "99999999999999999999",
    "-99999999999999999999", str(2**31), str(2**63), "０１２", "١٢٣", "2024-02-30", "31.12.2024",
    "12/31/2024", "2024-13-01", "0000-00-00", "0001-01-01", "9999-12-31", "10000-01-01",
    "2024-W53", "2024-12", "2024-12-31T25:00", "24:00", "23:60", "7pm", "12.30",
    "<script>alert(1)</script>", '"><img src=x>', "{{7*7}}", "%(name)s %s %d", "' OR 1=1 --",
    "\\", "\\n\\,\\;", ";,:", "BEGIN:VEVENT\r\nEND:VEVENT", "END:VCARD\r\nBEGIN:VCARD",
    "=cmd|' /C calc'!A0", "../../../etc/passwd", "//evil.example/", "javascript:alert(1)",
    "https://", "*_[x](javascript:alert(1))_*", "# H\n\n- a\n- b\n\n```\ncode\n```",
)
# fmt: on


def repeated(limit: int) -> st.SearchStrategy[str]:
    """Text of up to ``limit`` characters (a short piece repeated)."""
    return st.builds(
        lambda piece, size: (piece * size)[:size],
        st.text(CHARS, min_size=1, max_size=4),
        st.integers(1, limit),
    )


def odd_date(day: date, style: str) -> str:
    return day.strftime(style)


ODD_DATES = st.one_of(
    st.dates().map(date.isoformat),
    st.datetimes().map(datetime.isoformat),
    st.builds(
        odd_date,
        st.dates(min_value=date(1000, 1, 1)),
        st.sampled_from(["%d.%m.%Y", "%m/%d/%Y", "%Y%m%d", "%d %B %Y", "%Y-%m", "%G-W%V"]),
    ),
)
ODD_TIMES = st.one_of(
    st.times().map(time.isoformat),
    st.sampled_from(["24:00", "23:60", "9", "9.30", "9:30 pm", "-1:00", "１０:００", "10:00:00Z"]),
)
JUNK = st.one_of(
    st.sampled_from(TRICKY),
    TEXT,
    st.integers().map(str),
    ODD_DATES,
    ODD_TIMES,
    repeated(5000),
)


class Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


def mostly(usual: st.SearchStrategy, odd: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly ``usual``, sometimes ``odd`` (one_of would weigh all their branches alike)."""
    return st.sampled_from((False, False, False, True)).flatmap(lambda n: odd if n else usual)


MISSING = Sentinel("MISSING")  # the field is not sent at all
AS_SHOWN = Sentinel("AS_SHOWN")  # the hidden field's value on the page (or of a fresh row)
ARBITRARY = st.one_of(JUNK, st.lists(JUNK, min_size=2, max_size=3))  # one value, or several
BROKEN = st.one_of(st.just(MISSING), ARBITRARY)
EXTRA_NAMES = st.one_of(
    TEXT.filter(lambda name: name not in {"", "csrf_token"}),
    st.builds(
        str.__add__,
        st.sampled_from(
            ["member-", "slots-0-", "slots-1-", "slots-40-", "slots--1-", "next", "item", "remove"]
        ),
        TEXT,
    ),
)
EXTRAS = st.dictionaries(EXTRA_NAMES, st.one_of(JUNK, st.lists(JUNK, max_size=3)), max_size=2)
EMAILS = (
    "name@example.org",
    "Ä.Ö+tag@bücher.example",
    "a@b.co",
    ("x" * 64) + "@" + ("d" * 60) + ".example",
    "",
)
EMAIL = st.one_of(
    st.sampled_from(EMAILS), st.from_regex(r"\A[a-z0-9.+]{1,20}@[a-zäöü]{1,20}\.example\Z")
)
PHONES = ("02421 22-0", "+49 (2421) 123456", "0176/123.456–78", "12345", "")
WEBSITES = ("www.example.org", "https://example.org/ä?x=1;y=2,3", "http://a.example", "x", "")
# fmt: off
RULE_WORDS = (
    "jeden", "every", "alle", "zwei", "2", "Wochen", "weeks", "other", "und", "and", "am", "im",
    "of", "the", "month", "Monat", "Monate", "1.", "2.", "5.", "letzten", "last", "first",
    "ersten", "fifth", "Montag", "Dienstag", "Tue", "Wed", "donnerstags", "Samstag", "März",
    "September", "Mar", "Feb", "10-12", "10:00-12:00", "9–10", "14–16 Uhr", "2-4 pm",
    "12 am - 1 am", "17 Uhr bis 18 Uhr 30", "7.30-8.30 p.m.", "24-25", "23:59-0:00", ",", "&",
    "(Raum 204)", "99.", "0.", "-1",
)
# fmt: on
RULE_TEXT = st.one_of(
    st.sampled_from(
        [
            "jeden 2. und 4. Dienstag, 10:00-12:00",
            "every first Wednesday of March and September, 2-4 pm",
            "alle zwei Wochen donnerstags 10-11",
            "every last Friday of the month 1-2pm",
            "jeden 5. Montag im Februar 10-11",
            "alle 2 Monate am 1. Montag 9-10",
        ]
    ),
    st.lists(st.sampled_from(RULE_WORDS), min_size=1, max_size=9).map(" ".join),
)
# Text inputs whose meaning the page does not tell: plausible values by name.
BY_NAME: dict[str, st.SearchStrategy] = {
    "postal_code": st.one_of(st.from_regex(r"\A[0-9]{5}\Z"), st.sampled_from(["5235", " 52349 "])),
    "website": st.sampled_from(WEBSITES),
    "registration_url": st.sampled_from(
        ["https://example.org/anmeldung?a=1;b=2,3", "http://ä.example/ü", "ftp://x", ""]
    ),
    "rule_text": RULE_TEXT,
    "username": st.from_regex(r"\A[a-z0-9._-]{1,30}\Z"),
    "current_password": st.just(PASSWORD),
}


# --- reading a form from its page ---------------------------------------------------------


@dataclass
class Field:
    """One control (or group of checkboxes, radios, buttons) of an HTML form."""

    name: str
    kind: str  # the input type, "select", "textarea", "button" or "given" (not on the page)
    options: list[str] = field(default_factory=list)
    value: list[str] = field(default_factory=list)
    maxlength: int | None = None
    low: int | None = None
    high: int | None = None
    required: bool = False
    multiple: bool = False
    prompts: set[str] = field(default_factory=set)  # options like "Please choose"

    @property
    def default(self) -> str:
        return self.value[0] if self.value else ""

    @property
    def choices(self) -> list[str]:
        """The options that choose something (a prompt only when there is nothing else)."""
        return [option for option in self.options if option not in self.prompts] or self.options


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.lstrip("-").isdigit() else None


class FormParser(HTMLParser):
    """The forms of a page with their controls, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(a.get("method", "get").lower(), a.get("action", ""))
            self.forms.append(self._form)
            return
        name = a.get("name")
        if self._form is None:
            return
        if tag == "option" and self._select is not None:
            self._option = a.get("value", "")
            self._select.options.append(self._option)
            if "selected" in a:
                self._select.value.append(a.get("value", ""))
            return
        if not name or tag not in {"input", "select", "textarea", "button"}:
            return
        kind = {"input": a.get("type", "text").lower()}.get(tag, tag)
        found = self._form.fields.setdefault(
            name,
            Field(
                name,
                kind,
                maxlength=_int(a.get("maxlength")),
                low=_int(a.get("min")),
                high=_int(a.get("max")),
                required="required" in a,
                multiple="multiple" in a,
            ),
        )
        if kind in {"checkbox", "radio", "button", "submit"}:
            found.options.append(a.get("value", "on"))
            if "checked" in a:
                found.value.append(a.get("value", "on"))
        elif tag == "select":
            self._select = found
        elif tag == "textarea":
            self._textarea = found
        else:
            found.value = [a.get("value", "")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._select is not None and self._option in {"", "0"} and PROMPT.search(data):
            self._select.prompts.add(self._option)
        if self._textarea is not None:  # a browser drops the first line break
            text = self._textarea.default + data
            if not self._textarea.value:
                text = text.removeprefix("\r").removeprefix("\n")
            self._textarea.value = [text]


PROMPT = re.compile(r"^\s*—|bitte|please", re.IGNORECASE)


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def fields_for(html: str, url: str, method: str = "post") -> dict[str, Field] | None:
    """The controls of the page's forms that send to ``url`` (None: there is no such form)."""
    path = urlsplit(url).path
    found = [
        form
        for form in forms_of(html)
        if form.method == method and urlsplit(form.action or path).path == path
    ]
    if not found:
        return None
    merged: dict[str, Field] = {}
    for form in found:
        for name, control in form.fields.items():
            if name in merged:
                known = merged[name].options
                known += [option for option in control.options if option not in known]
            else:
                merged[name] = control
    merged.pop("csrf_token", None)
    return merged


# --- plausible values: what a person could type or choose --------------------------------


def last_sunday(year: int, month: int) -> date:
    end = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return end - timedelta(days=(end.weekday() + 1) % 7)


# Days at the edges: clocks change in Berlin (02:30 is missing or twice), the allowed years end,
# an ISO year has 53 weeks, February 29th.
EDGE_DAYS = sorted(
    {
        *(last_sunday(TODAY.year + n, month).isoformat() for n in (0, 1) for month in (3, 10)),
        "2000-01-01", "2100-12-31", "2100-12-30", "2026-12-31", "2027-01-01", "2028-02-29",
    }
)  # fmt: skip


def plain_text(limit: int | None) -> st.SearchStrategy[str]:
    """Text as typed: short, or as long as allowed (at most 5,000), or a tricky one."""
    limit = min(limit or 300, 5000)
    return st.one_of(
        st.text(CHARS, min_size=1, max_size=min(limit, 40)),
        st.builds(lambda piece: (piece * limit)[:limit], st.text(CHARS, min_size=1, max_size=3)),
        st.sampled_from(TRICKY),
    )


def shown_or(control: Field, *strategies: st.SearchStrategy) -> st.SearchStrategy:
    """Another value, or the one on the page (if there is one)."""
    if control.default:
        return st.one_of(*strategies, st.just(control.default))
    return st.one_of(*strategies)


def plausible(control: Field) -> st.SearchStrategy:
    kind, options = control.kind, control.options
    if kind in {"hidden", "given"}:
        return st.just(AS_SHOWN)
    if kind == "checkbox":
        if len(options) == 1:
            return st.sampled_from([[], options])
        return st.lists(st.sampled_from(options), unique=True, max_size=4)
    if kind == "radio" or (kind == "select" and options and not control.multiple):
        return st.one_of(st.sampled_from(control.choices), st.sampled_from(options))
    if kind == "select":
        return st.lists(st.sampled_from(options or [""]), unique=True, max_size=3)
    if kind == "date":
        soon = st.dates(TODAY, TODAY + timedelta(days=30)).map(date.isoformat)
        later = st.dates(TODAY - timedelta(days=7), TODAY + timedelta(days=365)).map(str)
        anywhere = st.dates(date(2000, 1, 1), date(2100, 12, 31)).map(str)
        empty = () if control.required else (st.just(""),)
        return shown_or(control, soon, later, anywhere, st.sampled_from(EDGE_DAYS), *empty)
    if kind == "time":
        times = st.times().map(lambda moment: f"{moment:%H:%M}")
        return shown_or(control, times, st.sampled_from(["02:30", "00:00", "23:59", "12:00"]))
    if kind == "number":
        low = control.low if control.low is not None else -5
        high = control.high if control.high is not None else 1000
        return shown_or(control, st.integers(low, high).map(str))
    if kind == "email":
        return shown_or(control, EMAIL)
    if kind == "tel":
        return st.sampled_from(PHONES)
    if kind == "password":
        return st.one_of(st.just(PASSWORD), st.text(CHARS, min_size=10, max_size=40))
    return plain_text(control.maxlength)


@st.composite
def form_data(
    draw: st.DrawFn,
    fields: dict[str, Field],
    values: dict[str, st.SearchStrategy],
    links: dict[str, str],
) -> dict[str, Any]:
    """Plausible values for the fields, a few of them broken (missing, junk, repeated)."""
    names = sorted(n for n, control in fields.items() if control.kind not in {"button", "submit"})
    some = st.sets(st.sampled_from(names), min_size=1, max_size=3) if names else st.nothing()
    broken = draw(st.one_of(st.just(frozenset()), some))
    data = {}
    for name in names:
        if name in broken:
            data[name] = draw(BROKEN)
        else:
            data[name] = draw(values[name] if name in values else plausible(fields[name]))
    for name, source in links.items():  # "repeat the password" repeats it
        if name not in broken and source in data:
            data[name] = data[source]
    return data


# --- what is fuzzed -----------------------------------------------------------------------

Fresh = Callable[["World"], dict[str, Any]]
Values = Callable[["World"], dict[str, st.SearchStrategy]]


@dataclass(frozen=True)
class Post:
    """A form: where it sends to, which page shows it, who sends it, what shows the result.

    ``url``, ``page`` and ``shows`` have placeholders: the ids of test_access's ``ids``, of
    ``fresh`` (a new row per example) and of the example: ``q`` (stored text), ``month`` and
    ``week`` (of a date sent), ``new_org``, ``new_contact``, ``new_event``, ``new_meeting``
    and ``new_need`` (from the redirect)."""

    url: str
    feature: str
    page: str | None = ""  # "": the URL shows it (GET); None: no page (``values`` only)
    role: str = "admin"  # admin, staff, anonymous or fresh-staff (a new client each time)
    shows: tuple[str, ...] = ()
    fresh: Fresh | None = None
    values: Values | None = None
    links: tuple[tuple[str, str], ...] = ()
    path: tuple[tuple[str, tuple[str, ...]], ...] = ()
    always_shows: bool = False  # it stores something even when it refuses (sign-ins)
    weight: float = 1.0

    @property
    def name(self) -> str:
        return f"POST {self.url} as {self.role}"


def user_of(world: World, key: str = "user") -> Any:
    from kimweb.auth.models import User

    return db.session.get(User, world.ids[key])


def new_contact(world: World) -> dict[str, Any]:
    from kimweb.directory import services as directory

    person = directory.save_contact(
        None, {"organisation_id": world.ids["org"], "name": f"Kontakt {next(NUMBERS)}"}, None
    )
    return {"target": person.id}


def new_guest_contact(world: World) -> dict[str, Any]:
    """A contact person to invite, and the name that finds them on the guests page."""
    from kimweb.directory import services as directory

    name = f"Gastperson{next(NUMBERS)}"
    person = directory.save_contact(None, {"organisation_id": world.ids["org"], "name": name}, None)
    return {"contact": person.id, "contact_name": name}


def new_organisation(world: World) -> dict[str, Any]:
    from kimweb.directory import services as directory

    org = directory.save_organisation(
        None, {"name": f"Träger {next(NUMBERS)}", "kind": "provider"}, None
    )
    directory.save_contact(None, {"organisation_id": org.id, "name": "Mit Träger weg"}, None)
    return {"target": org.id}


def new_offer(world: World) -> dict[str, Any]:
    from kimweb.consultations import services as timetable

    slot = {
        "location_id": world.ids["location"],
        "weekday": 2,
        "start_time": time(9),
        "end_time": time(10),
        "valid_from": None,
        "valid_until": None,
        "weeks": [],
    }
    offer = timetable.save_offer(
        None, {"organisation_id": world.ids["org"], "title": f"Angebot {next(NUMBERS)}"}, [slot]
    )
    return {"target": offer.id}


def new_exception(world: World) -> dict[str, Any]:
    from kimweb.consultations import services as timetable
    from kimweb.consultations.models import Offer

    slot = db.session.get(Offer, world.ids["offer"]).slots[0]
    monday = TODAY + timedelta(days=7 - TODAY.weekday() + 7 * next(NUMBERS))
    return {"target": timetable.save_exception(slot, monday, True, "Urlaub").id}


def new_meeting(world: World, *actions: str, cancelled: bool = False) -> dict[str, Any]:
    from kimweb.meetings import services as meetings
    from kimweb.meetings.models import Body

    body = db.session.get(Body, world.ids["body"])
    start = meetings.now_in_berlin().replace(microsecond=0) + timedelta(days=30 + next(NUMBERS))
    meeting = meetings.create_meeting(body, start, start + timedelta(hours=1), None)
    meetings.add_item(meeting, user_of(world), {"title": "Punkt"})
    meetings.publish(meeting)
    for action in actions:
        meetings.change_minutes_state(meeting, action, user_of(world))
    if cancelled:
        meetings.cancel_meeting(meeting, "Krank")
    return {"target": meeting.id}


def meeting_in_some_state(world: World) -> dict[str, Any]:
    return new_meeting(world, *[(), ("circulate",), ("approve",)][next(NUMBERS) % 3])


def new_item(world: World) -> dict[str, Any]:
    from kimweb.meetings import services as meetings
    from kimweb.meetings.models import Meeting

    meeting = db.session.get(Meeting, world.ids["meeting"])
    return {"target": meetings.add_item(meeting, user_of(world), {"title": "Neu"}).id}


def new_backlog_item(world: World) -> dict[str, Any]:
    from kimweb.meetings import services as meetings
    from kimweb.meetings.models import Body

    body = db.session.get(Body, world.ids["body"])
    return {"target": meetings.propose_topic(body, user_of(world), {"title": "Später"}).id}


def new_guest(world: World) -> dict[str, Any]:
    from kimweb.directory.models import Contact
    from kimweb.meetings import services as meetings
    from kimweb.meetings.models import Guest, Meeting

    contact = db.session.get(Contact, new_contact(world)["target"])
    meeting = db.session.get(Meeting, world.ids["meeting"])
    meetings.invite_contact(meeting, contact, None)
    guest = db.session.scalar(
        sa.select(Guest).where(Guest.meeting_id == meeting.id, Guest.contact_id == contact.id)
    )
    return {"target": guest.id}


def new_task(world: World) -> dict[str, Any]:
    from kimweb.meetings import services as meetings
    from kimweb.meetings.models import AgendaItem

    item = db.session.get(AgendaItem, world.ids["item"])
    data = {"kind": "task", "text": "Erledigen", "assignee_id": world.ids["user"]}
    return {"target": meetings.add_outcome(item, data, user_of(world)).id}


def notes_version(world: World) -> dict[str, Any]:
    from kimweb.meetings.models import AgendaItem

    return {"version": db.session.get(AgendaItem, world.ids["item"]).version}


def new_need(world: World) -> dict[str, Any]:
    from kimweb.meetings import services as meetings
    from kimweb.meetings.models import Body

    body = db.session.get(Body, world.ids["body"])
    data = {"title": f"Bedarf {next(NUMBERS)}", "description": "Fehlt"}
    return {"target": meetings.raise_need(data, body, user_of(world)).id}


def new_event(world: World, rule: str | None = None) -> dict[str, Any]:
    from kimweb.calendar import services as calendar

    day = TODAY + timedelta(days=next(NUMBERS) % 300)
    data = {"title": "Termin", "category": "event", "is_public": True}
    times = (day, time(10), day, time(11)) if rule else (day, None, day, None)
    event = calendar.save_event(None, data, times, rule, user_of(world))
    return {"target": event.id, "target_date": day.isoformat()}


def new_series(world: World) -> dict[str, Any]:
    return new_event(world, "FREQ=DAILY;COUNT=3")


def monday_in(weeks: int) -> str:
    """The Monday ``weeks`` weeks after this week's (the weekday of the test offer)."""
    return (TODAY - timedelta(days=TODAY.weekday()) + timedelta(weeks=weeks)).isoformat()


def sign_in_values(world: World) -> dict[str, st.SearchStrategy]:
    names = [world.usernames["admin"], world.usernames["staff"], "zielperson", "ZIELPERSON "]
    return {
        "username": st.one_of(st.sampled_from(names), TEXT),
        "password": st.one_of(st.just(PASSWORD), TEXT),
    }


def next_choice(*targets: str) -> Callable[[World], st.SearchStrategy]:
    """``next``, where some views send you back to: their own pages, and others."""

    def make(world: World) -> st.SearchStrategy:
        own = [fill(target, world.ids) or "" for target in targets]
        others = ["", "//evil.example/", "https://evil.example/", "/\\evil.example", "/login"]
        return st.sampled_from(own + others)

    return make


def ids_of(*names: str) -> Callable[[World], st.SearchStrategy]:
    """An id field: the rows of ``names``, or none, or junk."""

    def make(world: World) -> st.SearchStrategy:
        known = [str(world.ids[name]) for name in names]
        return st.sampled_from([*known, "", "0", "999999", str(2**31)])

    return make


def values(**named: Callable[[World], st.SearchStrategy] | st.SearchStrategy) -> Values:
    def make(world: World) -> dict[str, st.SearchStrategy]:
        return {
            name: made if isinstance(made, st.SearchStrategy) else made(world)
            for name, made in named.items()
        }

    return make


# The pages that show what a form stored (besides the page its redirect leads to).
DIRECTORY = ("/directory/?q={q}", "/search?q={q}")
TIMETABLE = ("/consultations/", "/consultations.ics", "/api/v1/consultations", "/search?q={q}")
MINUTES = ("/meetings/{meeting}/minutes", "/meetings/{meeting}.ics", "/search?q={q}")
FEEDS = ("/calendar.ics", "/calendar/feed/{token}.ics", "/calendar/?month={month}")
CALENDAR = ("/calendar/events/{new_event}.ics", "/search?q={q}", *FEEDS)
SERIES = ("/calendar/events/{target}.ics", *FEEDS)

ACTION = 0.5  # buttons without text fields: fewer examples
# fmt: off
FORMS: tuple[Post, ...] = (
    # sign-in, account, users, feedback
    Post("/login", "accounts", role="anonymous", values=sign_in_values,
         shows=("/admin/sign-ins",), always_shows=True),
    Post("/logout", "accounts", "/account/", role="fresh-staff", weight=ACTION),
    Post("/account/password", "accounts", "/account/", role="fresh-staff",
         links=(("confirm", "new_password"),), shows=("/account/",)),
    Post("/account/language", "accounts", "/account/", shows=("/", "/calendar/")),
    Post("/accessibility", "accounts", role="anonymous"),
    Post("/accessibility", "accounts", role="staff", shows=("/admin/feedback",)),
    Post("/admin/users/new", "accounts", shows=("/admin/users/",)),
    Post("/admin/users/{user}", "accounts",
         shows=("/admin/users/", "/meetings/{meeting}/minutes", "/directory/organisations/{org}")),
    Post("/admin/users/{user}/password", "accounts", "/admin/users/{user}"),
    # directory
    Post("/directory/organisations/new", "directory", weight=2,
         shows=("/directory/export.vcf?organisation={new_org}", *DIRECTORY)),
    Post("/directory/organisations/{org}/edit", "directory", weight=2,
         shows=("/directory/export.vcf?organisation={org}", *DIRECTORY)),
    Post("/directory/contacts/new", "directory", role="staff", weight=2,
         shows=("/directory/export.vcf?contact={new_contact}", *DIRECTORY)),
    Post("/directory/contacts/{contact}/edit", "directory", weight=2,
         shows=("/directory/export.vcf?contact={contact}", *DIRECTORY)),
    Post("/directory/contacts/{contact}/verify", "directory", "/directory/contacts/{contact}",
         weight=ACTION,
         values=values(next=next_choice("/directory/?q=Test", "/directory/contacts/{contact}"))),
    Post("/directory/contacts/{contact}/archive", "directory", "/directory/contacts/{contact}",
         weight=ACTION, values=values(next=next_choice("/directory/?archived=y"))),
    Post("/directory/contacts/{contact}/restore", "directory", None, weight=ACTION,
         values=values(next=next_choice("/directory/?archived=y"))),
    Post("/directory/contacts/{target}/delete", "directory", fresh=new_contact, weight=ACTION),
    Post("/directory/organisations/{target}/delete", "directory", fresh=new_organisation,
         weight=ACTION),
    Post("/directory/focus-areas", "directory",
         shows=("/directory/organisations/new", "/consultations/")),
    # consultation timetable
    Post("/consultations/manage/locations/new", "consultations",
         shows=("/consultations/manage/", "/calendar/events/new")),
    Post("/consultations/manage/locations/{location}", "consultations",
         shows=("/consultations/locations/{location}", *TIMETABLE)),
    Post("/consultations/manage/offers/new", "consultations", role="staff", weight=2,
         shows=TIMETABLE),
    Post("/consultations/manage/offers/{offer}", "consultations", weight=2, shows=TIMETABLE),
    Post("/consultations/manage/offers/{target}/delete", "consultations", None, fresh=new_offer,
         weight=ACTION),
    Post("/consultations/manage/offers/{offer}/exceptions", "consultations",
         values=values(date=st.integers(0, 60).map(monday_in)), shows=("/", *TIMETABLE)),
    Post("/consultations/manage/exceptions/{target}/delete", "consultations",
         "/consultations/manage/", fresh=new_exception, weight=ACTION),
    # meetings
    Post("/meetings/bodies/{body}/propose", "meetings", "/meetings/bodies/{body}",
         role="staff", shows=("/meetings/search?q={q}", "/search?q={q}")),
    Post("/meetings/bodies/{body}/members", "meetings", "/meetings/bodies/{body}",
         values=values(remove=st.sampled_from(["", "1", "0"])),
         shows=("/meetings/{meeting}/minutes",)),
    Post("/meetings/bodies/{body}/series/new", "meetings", weight=2,
         values=values(confirm=st.sampled_from(["1", "", "0"])), shows=("/meetings/", *FEEDS)),
    Post("/meetings/bodies/{body}/meetings/new", "meetings",
         shows=("/meetings/{new_meeting}.ics", *FEEDS)),
    Post("/meetings/{target}/edit", "meetings", fresh=new_meeting,
         shows=("/meetings/{target}.ics", "/meetings/{target}/minutes", "/calendar/?week={week}")),
    Post("/meetings/{target}/cancel", "meetings", "/meetings/{target}/edit", fresh=new_meeting,
         shows=("/meetings/{target}.ics", "/meetings/")),
    Post("/meetings/{target}/restore", "meetings", "/meetings/{target}/edit", weight=ACTION,
         fresh=lambda world: new_meeting(world, cancelled=True)),
    Post("/meetings/{target}/publish", "meetings", "/meetings/{target}", fresh=new_meeting,
         weight=ACTION),
    Post("/meetings/{meeting}/items", "meetings", "/meetings/{meeting}",
         shows=("/meetings/{meeting}/print", *MINUTES)),
    Post("/meetings/items/{item}/edit", "meetings",
         shows=("/meetings/{meeting}/print", *MINUTES)),
    Post("/meetings/items/{item}/move", "meetings", "/meetings/{meeting}", weight=ACTION),
    Post("/meetings/items/{target}/take", "meetings", "/meetings/bodies/{body}",
         fresh=new_backlog_item, weight=ACTION),
    Post("/meetings/items/{target}/backlog", "meetings", "/meetings/{meeting}", fresh=new_item,
         weight=ACTION),
    Post("/meetings/items/{target}/delete", "meetings", "/meetings/bodies/{body}",
         fresh=new_backlog_item, weight=ACTION),
    Post("/meetings/{meeting}/guests", "meetings", "/meetings/{meeting}/guests?q={contact_name}",
         fresh=new_guest_contact, shows=MINUTES),
    Post("/meetings/guests/{target}/delete", "meetings", "/meetings/{meeting}", fresh=new_guest,
         weight=ACTION),
    Post("/meetings/items/{item}/notes", "meetings", "/meetings/{meeting}/minutes", weight=2,
         fresh=notes_version,
         shows=("/meetings/items/{item}/history", "/meetings/{meeting}/minutes/print")),
    Post("/meetings/items/{item}/outcomes", "meetings", "/meetings/{meeting}/minutes", weight=2,
         shows=("/meetings/tasks", "/meetings/{meeting}/minutes/print")),
    Post("/meetings/outcomes/{target}/status", "meetings", None, fresh=new_task, weight=ACTION,
         values=values(done=st.sampled_from(["1", "0", ""]),
                       next=next_choice("/meetings/tasks", "/meetings/{meeting}/minutes"))),
    Post("/meetings/outcomes/{target}/delete", "meetings", "/meetings/{meeting}/minutes",
         fresh=new_task, weight=ACTION),
    Post("/meetings/{meeting}/attendance", "meetings", "/meetings/{meeting}/minutes",
         weight=ACTION,
         values=values(**{"member-1": st.sampled_from(["present", "excused", "absent", "x"])})),
    Post("/meetings/{target}/minutes/{action}", "meetings", "/meetings/{target}/minutes",
         fresh=meeting_in_some_state, path=(("action", ("circulate", "approve", "lock")),),
         weight=ACTION, values=values(next=next_choice("/meetings/{meeting}/minutes"))),
    Post("/meetings/{target}/minutes/reopen", "meetings", "/meetings/{target}/minutes",
         fresh=lambda world: new_meeting(world, "approve", "lock")),
    Post("/meetings/needs/new", "meetings", values=values(item=ids_of("item", "backlog_item")),
         shows=("/meetings/needs", "/meetings/search?q={q}")),
    Post("/meetings/needs/{target}", "meetings", fresh=new_need, shows=("/meetings/needs",)),
    # calendar
    Post("/calendar/events/new", "calendar", weight=3, shows=CALENDAR),
    Post("/calendar/events/new", "calendar", role="staff", weight=2, shows=CALENDAR),
    Post("/calendar/events/{target}/edit", "calendar", fresh=new_series, weight=2,
         values=values(keep_rule=st.sampled_from(["1", ""])), shows=SERIES),
    Post("/calendar/events/{target}/dates/{target_date}", "calendar", fresh=new_series, weight=2,
         shows=SERIES),
    Post("/calendar/events/{target}/delete", "calendar", fresh=new_event, weight=ACTION),
    Post("/calendar/subscribe", "calendar", weight=ACTION),
)
# fmt: on
# The uploads: a file, a preview with a token, then the confirmation (test_*_import).
IMPORTS = {
    "directory": ("/directory/import", "/directory/import/confirm"),
    "calendar": ("/calendar/import", "/calendar/import/confirm"),
}
# Every page of a feature, visited once more at its end with all that was stored.
# fmt: off
SWEEP = {
    "accounts": ("/admin/users/", "/admin/users/{user}", "/admin/sign-ins", "/admin/feedback",
                 "/account/", "/", "/meetings/tasks"),
    "directory": ("/directory/", "/directory/?archived=y", "/directory/?show=contacts",
                  "/directory/export.vcf", "/directory/export.csv",
                  "/directory/export.vcf?archived=y", "/directory/organisations/{org}",
                  "/directory/contacts/{contact}", "/directory/focus-areas",
                  "/consultations/manage/offers/new", "/meetings/{meeting}/guests?q=a", "/",
                  "/search?q=a"),
    "consultations": ("/consultations/", "/consultations/embed", "/consultations/print",
                      "/consultations/locations/{location}", "/consultations.ics",
                      "/api/v1/consultations", "/api/v1/consultations?days=62",
                      "/consultations/manage/", "/consultations/manage/offers/{offer}",
                      "/consultations/manage/offers/{offer}/exceptions", "/calendar/events/new",
                      "/", "/search?q=a", "/consultations.ics?lang=uk",
                      "/api/v1/consultations?lang=fa", "/consultations/?lang=ar"),
    "meetings": ("/meetings/", "/meetings/bodies/{body}", "/meetings/{meeting}",
                 "/meetings/{meeting}/print", "/meetings/{meeting}/minutes",
                 "/meetings/{meeting}/minutes/print", "/meetings/{meeting}.ics",
                 "/meetings/{other_meeting}", "/meetings/items/{item}/history", "/meetings/tasks",
                 "/meetings/needs", "/meetings/needs/{need}", "/meetings/search?q=a",
                 "/calendar/", "/calendar/?view=agenda", "/calendar/feed/{token}.ics", "/",
                 "/search?q=a"),
    "calendar": ("/calendar/", "/calendar/?view=agenda", "/calendar/?week={this_week}",
                 "/calendar/events/{event}", "/calendar/events/{event}.ics", "/calendar.ics",
                 "/calendar/feed/{token}.ics", "/", "/search?q=a"),
}
# fmt: on


# --- the world the examples run in --------------------------------------------------------


@dataclass
class World:
    app: Flask
    ids: dict[str, Any]
    clients: dict[str, FlaskClient]
    usernames: dict[str, str]
    make_user: Callable[..., Any]
    tokens: dict[str, str] = field(default_factory=dict)

    def run(self, make: Fresh | None) -> dict[str, Any]:
        if make is None:
            return {}
        with self.app.app_context():
            return make(self)

    def acting(self, role: str) -> tuple[FlaskClient, str]:
        """The client of ``role`` and its CSRF token; a new client for some roles."""
        if role == "anonymous":  # from elsewhere: its failed sign-ins throttle only itself
            client = self.app.test_client()
            client.environ_base["REMOTE_ADDR"] = "192.0.2.1"
            return client, csrf_token(client, "/accessibility")
        if role == "fresh-staff":
            client = self.app.test_client()
            assert login(client, self.make_user(role="staff").username).status_code == 302
            return client, csrf_token(client, "/accessibility")
        if role not in self.tokens:
            self.tokens[role] = csrf_token(self.clients[role], "/accessibility")
        return self.clients[role], self.tokens[role]


@pytest.fixture
def world(app, client, make_user, login_as, request) -> World:
    """test_access's rows of every kind, an admin (``client``) and a staff member."""
    known = dict(request.getfixturevalue("ids"))
    monday = TODAY - timedelta(days=TODAY.weekday())
    known["this_week"] = "{}-W{:02d}".format(*monday.isocalendar()[:2])
    admin = login_as("admin")
    staff_client = app.test_client()
    staff = make_user(role="staff")
    assert login(staff_client, staff.username).status_code == 302
    return World(
        app,
        known,
        {"admin": client, "staff": staff_client},
        {"admin": admin.username, "staff": staff.username},
        make_user,
    )


# --- the properties -----------------------------------------------------------------------

PLACEHOLDER = re.compile(r"{(\w+)}")


def fill(template: str, known: dict[str, Any]) -> str | None:
    """``template`` with its placeholders filled (URL-quoted); None if one is unknown."""
    names = PLACEHOLDER.findall(template)
    if any(name not in known or known[name] in (None, "") for name in names):
        return None
    return PLACEHOLDER.sub(lambda m: quote(str(known[m.group(1)]), safe=""), template)


def check_file(response: TestResponse, url: str) -> None:
    """Calendar files, vCards and JSON must read back without an error."""
    body = response.get_data()
    if response.mimetype == "text/calendar":
        calendar = icalendar.Calendar.from_ical(body)
        problems = [(part.name, error) for part in calendar.walk() for error in part.errors]
        assert not problems, f"GET {url}: the calendar file has broken properties: {problems}"
    elif response.mimetype == "text/vcard":
        cards = list(vobject.readComponents(body.decode()))
        starts = body.split(b"\r\n").count(b"BEGIN:VCARD")
        assert len(cards) == starts, f"GET {url}: {starts} vCards written, {len(cards)} read"
        for card in cards:
            assert card.name == "VCARD" and card.contents.get("fn"), f"GET {url}: {card}"
    elif response.is_json:
        json.loads(body)


def check_page(client: FlaskClient, url: str) -> TestResponse:
    response = client.get(url)
    assert response.status_code < 500, f"GET {url} answered {response.status_code}"
    if response.status_code == 200:
        check_file(response, url)
    return response


def local(location: str) -> str:
    """A redirect target must stay on this site; its path and query."""
    parts = urlsplit(location)
    offsite = parts.scheme or parts.netloc or location.startswith(("//", "/\\"))
    assert not offsite, f"redirect off this site: {location!r}"
    return parts.path + (f"?{parts.query}" if parts.query else "")


REDIRECT_IDS = {
    "new_org": re.compile(r"^/directory/organisations/(\d+)"),
    "new_contact": re.compile(r"^/directory/contacts/(\d+)"),
    "new_event": re.compile(r"^/calendar/events/(\d+)"),
    "new_meeting": re.compile(r"^/meetings/(\d+)"),
    "new_need": re.compile(r"^/meetings/needs/(\d+)"),
}
DATE_FIELDS = ("start_date", "day", "date", "first_date")
TEXT_FIELDS = ("title", "name", "label", "display_name", "message", "text", "notes", "reason")


def derived(data: dict[str, Any], location: str | None) -> dict[str, Any]:
    """Placeholders from what was sent and where it led: q, month, week and new ids."""
    found: dict[str, Any] = {}
    texts = [data.get(name) for name in TEXT_FIELDS] + list(data.values())
    for value in texts:
        if isinstance(value, str) and len(value.strip()) >= 2:
            found["q"] = value.strip()[:50]
            break
    day = TODAY
    for name in DATE_FIELDS:
        try:
            day = date.fromisoformat(str(data.get(name)))
            break
        except ValueError:
            continue
    found["month"] = f"{day:%Y-%m}"
    found["week"] = "{}-W{:02d}".format(*day.isocalendar()[:2])
    for name, pattern in REDIRECT_IDS.items():
        if location and (match := pattern.match(location)):
            found[name] = match.group(1)
    return found


def send(world: World, spec: Post, fields: dict[str, Field], example: dict[str, Any]) -> int:
    """One example: POST it, check what it answers and the pages that show it; the status."""
    known = dict(world.ids) | world.run(spec.fresh) | example["path"]
    client, token = world.acting(spec.role)
    data: dict[str, Any] = {}
    for name, value in example["fields"].items():
        if value is AS_SHOWN:
            value = str(known.get(name, fields[name].default))
        if value is not MISSING:
            data[name] = value
    if example["press"]:
        data.setdefault(*example["press"])
    for name, value in example["extra"].items():
        data.setdefault(name, value)
    url = fill(spec.url, known)
    assert url
    headers = {"HX-Request": "true"} if example["htmx"] else {}
    if currently_in_test_context():
        note(f"POST {url} as {spec.role}, headers={headers}, data={data!r}")
    response = client.post(url, data=data | {"csrf_token": token}, headers=headers)
    status = response.status_code
    assert status < 500, f"POST {url} answered {status}"
    if status >= 400 and not spec.always_shows:
        return status
    location = local(response.location) if 300 <= status < 400 and response.location else None
    if location:
        check_page(client, location)
    known |= derived(data, location)
    for template in spec.shows:
        if page := fill(template, known):
            check_page(world.clients["admin"], page)
    return status


def read_fields(world: World, spec: Post) -> dict[str, Field]:
    """The controls of the form on its page, and the names the view reads besides."""
    known = dict(world.ids) | world.run(spec.fresh)
    fields: dict[str, Field] = {}
    if spec.page is not None:
        client, _token = world.acting(spec.role)
        page = fill(spec.page or spec.url, known)
        assert page
        response = client.get(page)
        assert response.status_code == 200, f"GET {page}: {response.status_code}"
        html = response.get_data(as_text=True)
        found = [
            fields_for(html, fill(spec.url, known | dict(zip(names, chosen, strict=True))) or "")
            for names, chosen in path_choices(spec)
        ]
        assert any(f is not None for f in found), f"no form for {spec.url} on {page}"
        for more in found:
            fields |= more or {}
    for name in spec.values(world) if spec.values else {}:
        fields.setdefault(name, Field(name, "given"))
    return fields


def fuzz(world: World, spec: Post) -> None:
    """Run hypothesis on one form: fields from its page, values from ``plausible``."""
    fields = read_fields(world, spec)
    given_values = spec.values(world) if spec.values else {}
    strategies = {name: BY_NAME[name] for name in fields if name in BY_NAME} | given_values
    buttons = [
        (name, option)
        for name, control in fields.items()
        if control.kind in {"button", "submit"}
        for option in control.options
    ]
    example = st.fixed_dictionaries(
        {
            "fields": form_data(fields, strategies, dict(spec.links)),
            "press": st.sampled_from([None, *buttons]),
            "extra": EXTRAS,
            "path": st.fixed_dictionaries(
                {name: st.sampled_from(choices) for name, choices in spec.path}
            ),
            "htmx": st.booleans(),
        }
    )

    @fuzz_settings(max(1, round(EXAMPLES * spec.weight)))
    @given(example=example)
    def post(example: dict[str, Any]) -> None:
        send(world, spec, fields, example)

    post()


def path_choices(spec: Post) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every way to fill the path's own placeholders (``action``)."""
    names = tuple(name for name, _choices in spec.path)
    return [(names, chosen) for chosen in product(*(choices for _name, choices in spec.path))]


def sweep(world: World, feature: str) -> None:
    """Every page of the feature, for admin and staff, with all that was stored."""
    for template in SWEEP[feature]:
        url = fill(template, world.ids)
        assert url, template
        for role in ("admin", "staff"):
            check_page(world.clients[role], url)


def failure(title: str, error: BaseException) -> str:
    return f"=== {title}\n" + "".join(traceback.format_exception(error))


@pytest.mark.parametrize("feature", list(SWEEP))
def test_forms(world, feature):
    """Property 1 and 2 for every form of ``feature`` (failures of each form are collected)."""
    failures = []
    for spec in FORMS:
        if spec.feature == feature:
            try:
                fuzz(world, spec)
            except Exception as error:
                failures.append(failure(spec.name, error))
    try:
        sweep(world, feature)
    except Exception as error:
        failures.append(failure(f"the pages of {feature} after all its forms", error))
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_every_post_route_is_fuzzed(app):
    """A new form (any route taking POST) must be added to FORMS or IMPORTS."""
    adapter = app.url_map.bind("localhost")
    covered = set()
    urls = [spec.url for spec in FORMS] + [url for pair in IMPORTS.values() for url in pair]
    for url in urls:
        rule, _args = adapter.match(
            PLACEHOLDER.sub("1", url.replace("{action}", "lock")), method="POST", return_rule=True
        )
        covered.add(rule.rule)
    posts = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert posts - covered == set(), "add these forms to FORMS"
    assert covered - posts == set()


# --- query strings ------------------------------------------------------------------------

ID_VALUES = st.one_of(
    st.integers(1, 40).map(str),
    st.sampled_from(["0", "-1", "01", "1.0", "+1", "١", str(2**31 - 1), str(2**31), "9" * 30]),
)
MONTHS = st.one_of(
    st.dates().map(lambda day: f"{day:%Y-%m}"),
    st.sampled_from(["2026-13", "2026-00", "0000-01", "10000-01", "2026-1", "-2026-01"]),
)
WEEKS = st.one_of(
    st.dates().map(lambda day: "{}-W{:02d}".format(*day.isocalendar()[:2])),
    st.sampled_from(["2026-W54", "2026-W00", "2026-W1", "0001-W01", "9999-W52", "2026W10"]),
)
CATEGORIES = ("event", "training", "deadline", "external", "holidays", "meetings", "body-1")
# Every name a view reads from the query string itself (request.args, id_arg); the fields of
# the GET forms come from the pages. test_every_query_parameter_is_fuzzed keeps this complete.
QUERY_VALUES: dict[str, st.SearchStrategy] = {
    "q": st.one_of(TEXT, st.sampled_from(["Wohnraum", "Test", "a", "ä*", "%_", '"x" OR y'])),
    "page": st.one_of(st.integers(-3, 10**7).map(str), st.sampled_from(["", "1e3", "x"])),
    "next": st.sampled_from(["/", "/directory/", "//evil.example", "https://x.example/", "/\\x"]),
    "lang": st.sampled_from(["de", "en", "ar", "fa", "tr", "uk", "xx", " EN ", "de-DE"]),
    "month": MONTHS,
    "week": WEEKS,
    "view": st.sampled_from(["agenda", "week", "month", ""]),
    "category": st.lists(st.sampled_from(CATEGORIES), max_size=4),
    "date": ODD_DATES,
    "organisation": ID_VALUES,
    "contact": ID_VALUES,
    "location": ID_VALUES,
    "slot": ID_VALUES,
    "topic": ID_VALUES,
    "body": ID_VALUES,
    "item": ID_VALUES,
    "a": ID_VALUES,
    "b": ID_VALUES,
    "days": st.integers(-5, 500).map(str),
    "municipality": st.sampled_from(["Düren", "Jülich", "düren", "Berlin", ""]),
    "language": st.sampled_from(["de", "ar", "ckb", "xx", ""]),
    "kind": st.sampled_from(["walk_in", "phone", "provider", "xx", ""]),
}
# Endpoint -> the query names its view reads, and where the form of its other names is.
QUERIES: dict[str, tuple[tuple[str, ...], tuple[str, str, str] | None]] = {
    "auth.login": (("next",), None),
    "directory.index": (("page",), ("/directory/", "/directory/", "get")),
    "directory.export_vcf": (("contact", "organisation"), ("/directory/", "/directory/", "get")),
    "directory.export_csv": (("contact", "organisation"), ("/directory/", "/directory/", "get")),
    "directory.contact_new": (("organisation",), None),
    "consultations.index": (("location",), ("/consultations/", "/consultations/", "get")),
    "consultations.embed": (("location",), ("/consultations/", "/consultations/", "get")),
    "consultations.ics": (("location", "slot"), ("/consultations/", "/consultations/", "get")),
    "consultations.poster": (("location",), None),
    "api.consultations": (
        ("municipality", "language", "kind", "topic", "location", "days", "lang"),
        None,
    ),
    "meetings.index": (("body",), None),
    "meetings.guests": (("q",), None),
    "meetings.history": (("a", "b"), None),
    "meetings.needs": ((), ("/meetings/needs", "/meetings/needs", "get")),
    "meetings.need_new": (("item",), None),
    "meetings.search": (("q",), None),
    "search.index": (("q",), None),
    "calendar.index": (("month", "week", "category", "view"), None),
    "calendar.event_edit": (("date",), None),
    "calendar.rule_preview": ((), ("/calendar/events/new", "/calendar/events/new", "post")),
    "admin.users": (("page",), None),
    "admin.sign_ins": (("page",), None),
    "admin.feedback": (("page",), None),
}
# The search and filter pages the acceptance names: more examples.
SEARCH_PAGES = {
    "directory.index",
    "directory.export_vcf",
    "calendar.index",
    "calendar.rule_preview",
    "search.index",
    "meetings.search",
    "consultations.index",
    "consultations.ics",
    "api.consultations",
}


@st.composite
def query_string(draw: st.DrawFn, strategies: dict[str, st.SearchStrategy]) -> str:
    """Some of the names with plausible or arbitrary values, extras, broken escapes."""
    pairs: list[tuple[str, Any]] = []
    for name in sorted(strategies):
        if draw(st.booleans()):
            value = draw(mostly(strategies[name], ARBITRARY))
            pairs.append((name, value))
    pairs += list(draw(EXTRAS).items())
    text = urlencode([(name, "" if v is AS_SHOWN else v) for name, v in pairs], doseq=True)
    raw = draw(st.one_of(st.none(), st.binary(max_size=20)))
    if raw is not None:  # invalid UTF-8 and percent escapes
        text += "&" + quote_from_bytes(raw, safe="=&%+")
    return text


def query_fields(world: World, endpoint: str) -> dict[str, st.SearchStrategy]:
    names, form = QUERIES.get(endpoint, ((), None))
    strategies = {name: QUERY_VALUES[name] for name in (*names, "lang")}
    if form:
        page, action, method = form
        html = world.clients["admin"].get(page).get_data(as_text=True)
        fields = fields_for(html, action, method)
        assert fields, f"no {method} form for {action} on {page}"
        strategies |= {
            name: BY_NAME[name] if name in BY_NAME else plausible(control)
            for name, control in fields.items()
            if control.kind not in {"hidden", "button", "submit"}
        }
    return strategies


def fuzz_query(world: World, endpoint: str, url: str, role: str) -> None:
    strategies = query_fields(world, endpoint)
    examples = EXAMPLES * 2 if endpoint in SEARCH_PAGES else max(2, EXAMPLES // 2)
    path = url.split("?")[0]

    @fuzz_settings(examples)
    @given(query=query_string(strategies), htmx=st.booleans())
    def get(query: str, htmx: bool) -> None:
        headers = {"HX-Request": "true"} if htmx else {}
        response = world.clients[role].get(f"{path}?{query}", headers=headers)
        assert response.status_code < 500, f"GET {path}?{query}: {response.status_code}"
        if response.status_code == 200:
            check_file(response, f"{path}?{query}")

    get()


def test_queries(world):
    """Property 1 for every GET route (ACCESS), with its query parameters fuzzed; the search
    and filter pages get more examples, as admin and as staff."""
    failures = []
    for endpoint, (method, url, _roles) in ACCESS.items():
        if method != "GET":
            continue
        filled = fill(url, world.ids)
        assert filled
        for role in ("admin", "staff") if endpoint in SEARCH_PAGES else ("admin",):
            try:
                fuzz_query(world, endpoint, filled, role)
            except Exception as error:
                failures.append(failure(f"GET {url} as {role}", error))
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)


def test_every_query_parameter_is_fuzzed(app):
    """A name a view reads from the query string must be in QUERY_VALUES and QUERIES."""
    read = re.compile(
        r"""(?:id_arg|_date_arg|request\.args\.get(?:list)?|request\.values\.get)\(\s*"(\w+)\""""
    )
    names = {
        name
        for source in (ROOT / "kimweb").rglob("*.py")
        for name in read.findall(source.read_text(encoding="utf-8"))
    }
    assert names - set(QUERY_VALUES) == set(), "add these query parameters to QUERY_VALUES"
    listed = {name for names, _form in QUERIES.values() for name in names}
    assert names - listed == set(), "add these query parameters to QUERIES"
    gets = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert set(QUERIES) <= gets
    assert gets <= set(ACCESS)


API_ERRORS = st.one_of(
    st.sampled_from(["municipality", "language", "kind", "lang", "topic", "location", "days"]),
    TEXT,
)


@fuzz_settings(EXAMPLES * 6)
@given(
    query=query_string(
        {
            name: QUERY_VALUES[name]
            for name in ("municipality", "language", "kind", "topic", "location", "days", "lang")
        }
    ),
    repeat=st.lists(st.tuples(API_ERRORS, JUNK), max_size=2),
)
def test_api_always_answers_json(app, client, query, repeat):
    """The JSON API, with any query string: 200 or 422, and always JSON."""
    query += "".join(f"&{urlencode({name: value})}" for name, value in repeat)
    response = client.get(f"/api/v1/consultations?{query}")
    assert response.status_code in (200, 422), f"{query}: {response.status_code}"
    assert response.is_json, query
    document = json.loads(response.get_data())
    assert isinstance(document, dict)
    if response.status_code == 422:
        assert set(document) == {"errors"} and document["errors"], document


SEGMENTS = st.one_of(
    JUNK,
    st.integers().map(str),
    st.sampled_from(["0", "-1", "01", str(2**31 - 1), str(2**31), "2027-02-29", "2028-02-29"]),
)
PATHS = (
    ("GET", "/directory/contacts/{s}"),
    ("GET", "/directory/{s}/{contact}/delete"),
    ("POST", "/directory/{s}/{contact}/verify"),
    ("GET", "/calendar/events/{event}/dates/{s}"),
    ("POST", "/calendar/events/{event}/dates/{s}"),
    ("GET", "/calendar/events/{s}.ics"),
    ("GET", "/calendar/feed/{s}.ics"),
    ("POST", "/meetings/{meeting}/minutes/{s}"),
    ("GET", "/meetings/{s}"),
    ("GET", "/consultations/locations/{s}"),
    ("GET", "/static/{s}"),
)


def test_path_segments(world):
    """Property 1 for the parts of a path: words, dates, tokens and ids out of range."""
    client, token = world.acting("admin")

    @fuzz_settings(EXAMPLES * 4)
    @given(where=st.sampled_from(PATHS), segment=SEGMENTS)
    def visit(where: tuple[str, str], segment: str) -> None:
        method, template = where
        url = fill(template, world.ids | {"s": segment or "x"})
        assert url
        response = client.open(url, method=method, data={"csrf_token": token, "action": "cancel"})
        assert response.status_code < 500, f"{method} {url}: {response.status_code}"

    visit()


# --- uploads: CSV into the directory, iCalendar into the calendar -------------------------

SOME_TEXT = st.text(CHARS, min_size=1, max_size=30)
# Column titles (as programs write them) and what a person would put in them.
CSV_COLUMNS: dict[str, st.SearchStrategy] = {
    "Organisation": st.one_of(st.sampled_from(["Caritas Düren", "Träger"]), SOME_TEXT),
    "Name": st.one_of(st.sampled_from(["Dr. Anna Schmidt", "Ali Öztürk"]), SOME_TEXT),
    "Kurzname": SOME_TEXT,
    "Art": st.sampled_from(["provider", "Beratungsstelle", "Kommune", "other", ""]),
    "Vorname": SOME_TEXT,
    "Nachname": SOME_TEXT,
    "Funktion": SOME_TEXT,
    "Raum": SOME_TEXT,
    "Telefon": st.sampled_from(PHONES),
    "Mobil": st.sampled_from(PHONES),
    "E-Mail": st.sampled_from(EMAILS),
    "Sprechzeiten": st.sampled_from(["Mo 9–12", "nach Vereinbarung", ""]),
    "Sprachen": st.sampled_from(["Deutsch, Arabisch", "Englisch; Farsi", "de", "Klingonisch"]),
    "Straße": SOME_TEXT,
    "PLZ": st.sampled_from(["52349", "5234", ""]),
    "Ort": st.sampled_from(["Düren", "Jülich", ""]),
    "Website": st.sampled_from(WEBSITES),
    "Zuständig für": st.sampled_from(["Düren, Jülich", "Kreis", ""]),
    "Themen": st.sampled_from(["Wohnen", "Gesundheit; Frauen", "Neues Thema", ""]),
    "Veröffentlichen": st.sampled_from(["ja", "nein", "x", "vielleicht", ""]),
    "Zuletzt geprüft": st.sampled_from(["2024-01-31", "31.01.2024", "gestern", ""]),
    "Unbekannt": SOME_TEXT,
}


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A table as Excel or another program saves it, with odd cells, sometimes garbage."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200))
    more = draw(st.lists(st.sampled_from(sorted(CSV_COLUMNS)), max_size=8, unique=True))
    titles = list(dict.fromkeys(["Organisation", "Name", *more]))
    rows = draw(
        st.lists(
            st.tuples(*(mostly(CSV_COLUMNS[title], JUNK) for title in titles)).map(list),
            min_size=1,
            max_size=4,
        )
    )
    if draw(st.booleans()):  # a ragged row
        rows[0] = rows[0][: draw(st.integers(0, len(titles)))] + draw(st.lists(JUNK, max_size=2))
    buffer = io.StringIO()
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([titles, *rows])
    text = draw(st.sampled_from(["", f"sep={delimiter}\r\n"])) + buffer.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return text.encode(encoding, errors="replace")


def ics_text(value: str, escape: bool) -> str:
    if escape:
        value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "")
    return value


ICS_DAYS = mostly(
    st.one_of(
        st.dates(TODAY - timedelta(days=80), TODAY + timedelta(days=380)),
        st.sampled_from(EDGE_DAYS).map(date.fromisoformat),
    ),
    st.dates(date(1900, 1, 1), date(2200, 12, 31)),
)
ICS_STYLES = mostly(
    st.sampled_from(["date", "floating", "utc", "tzid"]), st.sampled_from(["badzone", "junk"])
)


@st.composite
def ics_moment(
    draw: st.DrawFn, name: str, after: date | None = None, like: str | None = None
) -> tuple[str, date | None, str]:
    """DTSTART, or DTEND, EXDATE, RECURRENCE-ID ``after`` it and mostly ``like`` it, as
    programs write them: (line, day, style)."""
    day = after + timedelta(days=draw(st.integers(0, 3))) if after else draw(ICS_DAYS)
    moment = draw(st.one_of(st.times(), st.just(time(2, 30))))
    style = draw(mostly(st.just(like), ICS_STYLES) if like else ICS_STYLES)
    stamp = f"{day:%Y%m%d}T{moment:%H%M%S}"
    lines = {
        "date": f"{name};VALUE=DATE:{day:%Y%m%d}",
        "floating": f"{name}:{stamp}",
        "utc": f"{name}:{stamp}Z",
        "tzid": f"{name};TZID=Europe/Berlin:{stamp}",
    }
    if style in lines:
        return lines[style], day, style
    if style == "badzone":
        zone = draw(st.sampled_from(["Mars/Olympus", "", "UTC+1"]))
        return f"{name};TZID={zone}:{stamp}", day, style
    junk = draw(JUNK).splitlines() or [""]
    return f"{name}:{junk[0]}", None, style


# fmt: off
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU", "1MO", "-1FR", "+2WE", "5TH", "-5SU",
                 "53MO", "0MO", "XX"]
# fmt: on
RULE_VALUES = {
    "INTERVAL": st.integers(-1, 120).map(str),
    "COUNT": st.integers(-1, 1000).map(str),
    "UNTIL": st.builds(
        lambda day, timed: f"{day:%Y%m%d}" + ("T235959Z" if timed else ""),
        ICS_DAYS,
        st.booleans(),
    ),
    "BYDAY": st.lists(st.sampled_from(WEEKDAY_CODES), min_size=1, max_size=3).map(",".join),
    "BYMONTHDAY": st.lists(st.integers(-32, 32).map(str), min_size=1, max_size=3).map(",".join),
    "BYMONTH": st.lists(st.integers(0, 13).map(str), min_size=1, max_size=3).map(",".join),
    "BYSETPOS": st.integers(-367, 367).map(str),
    "BYWEEKNO": st.integers(-54, 54).map(str),
    "BYYEARDAY": st.integers(-367, 367).map(str),
    "BYHOUR": st.integers(-1, 25).map(str),
    "WKST": st.sampled_from(["MO", "SU", "XX"]),
}
FREQUENCIES = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "MINUTELY", "weekly", "X"]
RRULES = mostly(
    st.sampled_from(
        [
            "FREQ=WEEKLY;COUNT=5",
            "FREQ=DAILY;INTERVAL=2;COUNT=10",
            "FREQ=MONTHLY;BYDAY=-1FR",
            "FREQ=WEEKLY;BYDAY=MO,WE",
            f"FREQ=YEARLY;UNTIL={TODAY.year + 3}1231",
        ]
    ),
    st.one_of(
        st.builds(
            lambda freq, parts: ";".join([f"FREQ={freq}", *(f"{k}={v}" for k, v in parts.items())]),
            st.sampled_from(FREQUENCIES),
            st.fixed_dictionaries({}, optional=RULE_VALUES),
        ),
        TEXT.map(lambda text: " ".join(text.split())),
    ),
)
UIDS = mostly(st.sampled_from(["a@fuzz", "b@fuzz", "c@fuzz"]), st.one_of(TEXT, repeated(300)))
ICS_TEXTS = mostly(SOME_TEXT, st.one_of(st.sampled_from(TRICKY), repeated(1000)))


@st.composite
def vevents(draw: st.DrawFn, uid: str) -> tuple[list[str], list[date]]:
    escape = draw(st.booleans())
    start, day, style = draw(ics_moment("DTSTART"))
    lines = ["BEGIN:VEVENT", f"UID:{uid}", start]
    days = [day] if day else []
    if draw(st.booleans()):
        lines.append(draw(ics_moment("DTEND", day, style))[0])
    elif draw(st.booleans()):
        lines.append("DURATION:" + draw(st.sampled_from(["PT1H", "P1D", "P400D", "-PT1H", "X"])))
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION", "URL"):
        if draw(st.booleans()):
            lines.append(f"{name}:{ics_text(draw(ICS_TEXTS), escape)}")
    if draw(st.booleans()):
        lines.append(f"ORGANIZER;CN={ics_text(draw(TEXT), True)}:mailto:a@example.org")
    if draw(st.booleans()):
        lines.append(f"RRULE:{draw(RRULES)}")
    if draw(st.booleans()):
        lines.append(draw(ics_moment("EXDATE", day, style))[0])
    status = draw(mostly(st.just("CONFIRMED"), st.sampled_from(["CANCELLED", "TENTATIVE", "x"])))
    lines += [f"STATUS:{status}", "END:VEVENT"]
    if draw(st.booleans()):  # a moved or cancelled date of the series
        moved = draw(ics_moment("DTSTART", day, style))[0]
        recurrence_id = draw(ics_moment("RECURRENCE-ID", day, style))[0]
        lines += ["BEGIN:VEVENT", f"UID:{uid}", recurrence_id, moved, "END:VEVENT"]
    return lines, days


@st.composite
def ics_files(draw: st.DrawFn) -> tuple[bytes, list[date]]:
    """A calendar file with odd dates, rules, zones and text; sometimes garbage."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=200)), []
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//DE"]
    if draw(st.booleans()):
        zone = draw(st.sampled_from(["Europe/Berlin", "America/New_York", "Nowhere/Else", ""]))
        lines.append(f"X-WR-TIMEZONE:{zone}")
    days = []
    for uid in draw(st.lists(UIDS, min_size=1, max_size=3)):
        event, found = draw(vevents(" ".join(uid.split())))
        lines += event
        days += found
    lines.append("END:VCALENDAR")
    text = "\r\n".join(lines) + "\r\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return text.encode(encoding, errors="replace"), days


TOKEN_RE = re.compile(r'name="token"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="token"')


def touched(world: World, model: Any, limit: int = 5) -> list[int]:
    """The rows of ``model`` changed last (an import adds some and updates others)."""
    with world.app.app_context():
        order = (model.updated_at.desc(), model.id.desc())
        return list(db.session.scalars(sa.select(model.id).order_by(*order).limit(limit)))


def upload_and_confirm(
    world: World, feature: str, content: bytes, name: str, junk_token: str | None
) -> str | None:
    """Upload, read the preview's token, confirm; the page the confirmation leads to."""
    client, token = world.acting("admin")
    upload, confirm = IMPORTS[feature]
    response = client.post(upload, data={"csrf_token": token, "file": (io.BytesIO(content), name)})
    assert response.status_code < 500, f"POST {upload}: {response.status_code}"
    match = TOKEN_RE.search(response.get_data(as_text=True))
    if response.status_code != 200 or not match:
        return None
    sent = (match.group(1) or match.group(2)) if junk_token is None else junk_token
    response = client.post(confirm, data={"csrf_token": token, "token": sent})
    assert response.status_code < 500, f"POST {confirm}: {response.status_code}"
    if not 300 <= response.status_code < 400:
        return None
    return local(response.location)


def test_directory_import(world):
    """A CSV file of any content: no server error, and what it adds breaks no page."""
    from kimweb.directory.models import Contact, Organisation

    @fuzz_settings(EXAMPLES * 3)
    @given(
        content=csv_files(),
        name=mostly(st.sampled_from(["adressen.csv", "Export.TXT"]), TEXT),
        junk_token=mostly(st.none(), JUNK),
    )
    def upload(content: bytes, name: str, junk_token: str | None) -> None:
        location = upload_and_confirm(world, "directory", content, name or "x.csv", junk_token)
        if location is None:
            return
        admin = world.clients["admin"]
        check_page(admin, location)
        for org in touched(world, Organisation):
            check_page(admin, f"/directory/organisations/{org}")
            check_page(admin, f"/directory/export.vcf?organisation={org}")
        for contact in touched(world, Contact):
            check_page(admin, f"/directory/contacts/{contact}")
        for page in ("/directory/", "/directory/export.vcf", "/directory/export.csv", "/"):
            check_page(admin, page)

    upload()


def test_calendar_import(world):
    """An .ics file of any content: no server error, and what it adds breaks no page."""
    from kimweb.calendar.models import Event

    @fuzz_settings(EXAMPLES * 4)
    @given(
        file=ics_files(),
        name=mostly(st.just("termine.ics"), TEXT),
        junk_token=mostly(st.none(), JUNK),
    )
    def upload(file: tuple[bytes, list[date]], name: str, junk_token: str | None) -> None:
        content, days = file
        location = upload_and_confirm(world, "calendar", content, name or "x.ics", junk_token)
        if location is None:
            return
        admin = world.clients["admin"]
        check_page(admin, location)
        for event in touched(world, Event, 3):
            check_page(admin, f"/calendar/events/{event}")
            check_page(admin, f"/calendar/events/{event}.ics")
            check_page(admin, f"/calendar/events/{event}/edit")
        for day in {*days, TODAY}:
            check_page(admin, f"/calendar/?month={day:%Y-%m}")
        for page in ("/calendar.ics", fill("/calendar/feed/{token}.ics", world.ids), "/"):
            check_page(admin, page or "/")

    upload()


# --- NUL: PostgreSQL cannot store it; every field gets it once ------------------------------

NUL = "a\x00b"
FREE_TEXT = {"text", "textarea", "search", "url"}
# A valid value where the page has none and the kind does not say enough.
BASELINE = {
    "username": lambda: f"nul{next(NUMBERS)}",
    "email": lambda: f"nul{next(NUMBERS)}@example.org",
    "rule_text": lambda: "jeden Montag 10-11",
    "date": lambda: monday_in(2),
    "postal_code": lambda: "52349",
    "registration_url": lambda: "https://example.org/",
    "website": lambda: "www.example.org",
    "confirm": lambda: "1",
}
OPTIONAL_DATES = ("end_date", "until", "last_date", "valid_from", "valid_until", "due_date")


def baseline(control: Field) -> Any:
    """A value that passes the form's checks (as far as one field can tell)."""
    name, kind = control.name.rsplit("-", 1)[-1], control.kind
    if name in BASELINE:
        return BASELINE[name]()
    if kind in {"hidden", "given"}:
        return AS_SHOWN
    if control.default and kind not in {"checkbox", "radio", "select"}:
        return control.default
    if kind == "checkbox":
        return control.value
    if kind in {"radio", "select"}:
        shown = [option for option in control.value if option not in control.prompts]
        return (shown or control.choices or [""])[0]
    if kind == "date":
        return "" if name in OPTIONAL_DATES else (TODAY + timedelta(days=7)).isoformat()
    if kind == "time":
        return "11:00" if "end" in name else "10:00"
    if kind == "number":
        return str(control.low or 1)
    if kind == "password":
        return PASSWORD
    return {"email": "name@example.org", "tel": "02421 22-0"}.get(kind, "Text")


def first_path(spec: Post) -> dict[str, str]:
    return {name: choices[0] for name, choices in spec.path}


def short(error: BaseException) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return f"{type(error).__name__}: " + " | ".join(lines[:2])[:400]


def nul_in_forms(world: World) -> list[str]:
    """NUL in every free-text field of each form at once, then in each other field that is
    typed or sent (hidden, read by the view); without NUL the form must be accepted, or the
    test would try nothing."""
    failures = []
    for spec in FORMS:
        fields = read_fields(world, spec)
        texts = [
            name
            for name, control in fields.items()
            if control.kind in FREE_TEXT and name not in BY_NAME
        ]
        others = [  # one at a time: each has a format of its own
            name
            for name, control in fields.items()
            if control.kind in {"hidden", "given", "email", "tel", "password"} or name in BY_NAME
        ]
        for changed in ([[], texts] if texts else []) + [[name] for name in others]:
            base = {
                name: baseline(control)
                for name, control in fields.items()
                if control.kind not in {"button", "submit"}
            }
            example = {
                "fields": base | dict.fromkeys(changed, NUL),
                "press": None,
                "extra": {},
                "path": first_path(spec),
                "htmx": False,
            }
            try:
                status = send(world, spec, fields, example)
            except Exception as error:
                failures.append(f"{spec.name}, NUL in {', '.join(changed)}: {short(error)}")
                continue
            assert changed or status < 400, f"{spec.name}: {base} refused ({status})"
    return failures


NUL_UPLOADS = {
    "directory": "Organisation;Name;Funktion;Ort\r\nTräger\x00A;Anna\x00B;Chef\x00;Düren\x00\r\n",
    "calendar": "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "BEGIN:VEVENT",
            "UID:nul@fuzz",
            f"DTSTART;VALUE=DATE:{TODAY:%Y%m%d}",
            "SUMMARY:Termin\x00A",
            "LOCATION:Ort\x00B",
            "DESCRIPTION:Text\x00C",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    ),
}


def nul_in_uploads(world: World) -> list[str]:
    """NUL in the cells of a CSV file and the texts of an .ics file, in the file's name and
    in the token that confirms an upload."""
    failures = []
    for feature, text in NUL_UPLOADS.items():
        clean = text.replace("\x00", "").encode()
        cases = {
            "the file": (text.encode(), "nul.txt", None),
            "the file name": (clean, f"{NUL}.txt", None),
            "the token": (clean, "nul.txt", NUL),
        }
        for where, (content, name, token) in cases.items():
            try:
                upload_and_confirm(world, feature, content, name, token)
            except Exception as error:
                steps = " then ".join(IMPORTS[feature])
                failures.append(f"POST {steps}, NUL in {where}: {short(error)}")
    return failures


def nul_in_queries(world: World) -> list[str]:
    """NUL in each query parameter of every page that reads one."""
    failures = []
    for endpoint, (method, url, _roles) in ACCESS.items():
        if method != "GET" or endpoint not in QUERIES:
            continue
        path = (fill(url, world.ids) or "").split("?")[0]
        for name in query_fields(world, endpoint):
            query = urlencode({name: NUL})
            try:
                check_page(world.clients["admin"], f"{path}?{query}")
            except Exception as error:
                failures.append(f"GET {path}?{query}: {short(error)}")
    return failures


def test_nul_bytes(world):
    """NUL (U+0000) once in every field of every form, upload and query string: refused or
    stored, never a server error. One line per place that fails."""
    failures = nul_in_forms(world) + nul_in_uploads(world) + nul_in_queries(world)
    if failures:
        pytest.fail("\n".join(failures), pytrace=False)
