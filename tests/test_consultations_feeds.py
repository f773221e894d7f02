"""The timetable for other programs: the .ics feed, the JSON API and its OpenAPI document."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import icalendar
import jsonschema_rs  # comes with schemathesis
import pytest
import recurring_ical_events
import schemathesis
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from kimweb.consultations import api, feeds, services
from kimweb.consultations.holidays import nrw_holidays
from kimweb.consultations.models import Slot
from kimweb.consultations.services import BERLIN
from kimweb.directory.models import FocusArea
from kimweb.directory.services import save_organisation
from kimweb.extensions import db

FEED_START, FEED_END = date(2026, 10, 1), date(2027, 6, 30)
FEED_NOW = datetime(2026, 9, 30, 14, 5, tzinfo=UTC)
API_NOW = datetime(2026, 12, 14, 9, 0, tzinfo=BERLIN)  # a Monday; 28 days reach 2027-01-10


@pytest.fixture(autouse=True)
def api_registered(app: Flask) -> Flask:
    """The lead registers ``api.bp`` in create_app; until then the tests do it."""
    if "api" not in app.blueprints:
        app.register_blueprint(api.bp)
    return app


def _topic_id(key: str) -> int:
    return db.session.scalar(sa.select(FocusArea.id).where(FocusArea.key == key))


def _slot(weekday: int, start: int, end: int, location_id: int | None, **extra) -> dict:
    return {
        "location_id": location_id,
        "weekday": weekday,
        "start_time": time(start),
        "end_time": time(end),
        "valid_from": None,
        "valid_until": None,
        "weeks": [],
        **extra,
    }


@pytest.fixture
def timetable(app: Flask) -> SimpleNamespace:
    """Two offers: walk-in hours Thu (Düren) and Fri (Jülich), phone hours on some Mondays."""
    with app.app_context():
        caritas = save_organisation(
            None,
            {"name": "Caritasverband Düren", "kind": "provider", "website": "caritas.example"},
            None,
        )
        awo = save_organisation(None, {"name": "AWO Kreisverband Düren"}, None)
        dueren = services.save_location(
            None,
            {
                "name": "Integrationsagentur",
                "street": "Bismarckstr. 16",
                "postal_code": "52351",
                "town": "Düren",
                "municipality": "Düren",
                "room": "Raum 12",
                "is_step_free": True,
            },
        )
        juelich = services.save_location(
            None, {"name": "Rathaus Jülich", "town": "Jülich", "municipality": "Jülich"}
        )
        walk_in = services.save_offer(
            None,
            {
                "organisation_id": caritas.id,
                "title": "Migrationsberatung",
                "kind": "walk_in",
                "phone": "02421 555-100",
                "email": "beratung@caritas.example",
                "languages": ["de", "ar"],
                "topic_ids": [_topic_id("welcome")],
            },
            [_slot(3, 10, 12, dueren.id), _slot(4, 10, 12, juelich.id)],
        )
        thursday, friday = sorted(walk_in.slots, key=lambda s: s.weekday)
        phone = services.save_offer(
            None,
            {
                "organisation_id": awo.id,
                "title": "Telefonsprechstunde",
                "kind": "phone",
                "phone": "02421 555-200",
                "languages": ["uk", "ru"],
                "topic_ids": [_topic_id("labour")],
            },
            [_slot(0, 9, 10, None, weeks=[1, 3])],
        )
        services.save_exception(thursday, date(2026, 11, 5), True, "Teamtag")
        services.save_exception(
            thursday, date(2026, 11, 12), False, "Raum belegt", time(13), time(15)
        )
        services.save_exception(friday, date(2027, 1, 8), True, "Fortbildung")
        return SimpleNamespace(
            thursday=thursday.id,
            friday=friday.id,
            phone_slot=phone.slots[0].id,
            walk_in=walk_in.id,
            phone=phone.id,
            dueren=dueren.id,
            juelich=juelich.id,
            welcome=_topic_id("welcome"),
            labour=_topic_id("labour"),
        )


# --- the .ics feed ------------------------------------------------------------------


@pytest.fixture
def calendar(app: Flask, timetable: SimpleNamespace) -> icalendar.Calendar:
    with app.app_context():
        slots = services.load_slots(services.TimetableFilter())
        return icalendar.Calendar.from_ical(feeds.ics_feed(slots, FEED_START, FEED_END, FEED_NOW))


def _events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    expanded = recurring_ical_events.of(calendar).between(FEED_START, FEED_END + timedelta(days=1))
    return {str(event["UID"]): event for event in expanded}


def _uid(slot_id: int, day: date) -> str:
    return f"slot-{slot_id}-{day:%Y%m%d}@kimweb"


def _days(weekday: int) -> list[date]:
    """Every ``weekday`` of the feed's range that is not an NRW public holiday."""
    days = (FEED_START + timedelta(days=i) for i in range((FEED_END - FEED_START).days + 1))
    return [d for d in days if d.weekday() == weekday and d not in nrw_holidays(d.year)]


def test_ics_has_one_event_per_date_that_takes_place(calendar, timetable):
    events = _events(calendar)
    thursdays = [d for d in _days(3) if d != date(2026, 11, 5)]
    fridays = [d for d in _days(4) if d != date(2027, 1, 8)]
    mondays = [d for d in _days(0) if (d.day - 1) // 7 + 1 in {1, 3}]
    expected = (
        {_uid(timetable.thursday, d) for d in thursdays}
        | {_uid(timetable.friday, d) for d in fridays}
        | {_uid(timetable.phone_slot, d) for d in mondays}
    )
    assert set(events) == expected
    assert len(calendar.walk("VEVENT")) == len(expected)


def test_ics_leaves_out_holidays_and_cancelled_dates(calendar, timetable):
    uids = set(_events(calendar))
    assert _uid(timetable.friday, date(2026, 12, 25)) not in uids  # Christmas Day
    assert _uid(timetable.thursday, date(2027, 5, 27)) not in uids  # Corpus Christi (NRW)
    assert _uid(timetable.thursday, date(2026, 11, 5)) not in uids  # cancelled
    assert _uid(timetable.friday, date(2027, 1, 8)) not in uids  # cancelled
    assert _uid(timetable.thursday, date(2026, 12, 24)) in uids  # Christmas Eve: no holiday
    assert _uid(timetable.thursday, date(2027, 6, 3)) in uids


def test_ics_changed_date_has_its_new_time_and_reason(calendar, timetable):
    event = _events(calendar)[_uid(timetable.thursday, date(2026, 11, 12))]
    assert event.start == datetime(2026, 11, 12, 13, tzinfo=BERLIN)
    assert event.end == datetime(2026, 11, 12, 15, tzinfo=BERLIN)
    assert "Raum belegt" in str(event["DESCRIPTION"])


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 10, 22), 8),  # summer time, UTC+2
        (date(2026, 10, 29), 9),  # after the change on 25 October: UTC+1
        (date(2027, 3, 25), 9),
        (date(2027, 4, 1), 8),  # after the change on 28 March
    ],
)
def test_ics_keeps_wall_clock_time_across_daylight_saving(calendar, timetable, day, utc_hour):
    event = _events(calendar)[_uid(timetable.thursday, day)]
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    start = event.start
    assert (start.astimezone(BERLIN).hour, start.astimezone(BERLIN).minute) == (10, 0)
    assert start.astimezone(UTC).hour == utc_hour
    assert start.utcoffset() == timedelta(hours=10 - utc_hour)


def test_ics_vtimezone_describes_berlin_on_both_sides_of_the_change(calendar):
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    tz = zone.to_tz()
    assert datetime(2026, 10, 22, 10, tzinfo=tz).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 10, 29, 10, tzinfo=tz).utcoffset() == timedelta(hours=1)
    assert datetime(2027, 3, 25, 10, tzinfo=tz).utcoffset() == timedelta(hours=1)
    assert datetime(2027, 4, 1, 10, tzinfo=tz).utcoffset() == timedelta(hours=2)


def test_ics_calendar_and_event_properties(calendar, timetable):
    assert str(calendar["PRODID"]) == "-//kimweb//Sprechstunden//DE"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Offene Sprechstunden – Kreis Düren"
    events = _events(calendar)
    walk_in = events[_uid(timetable.thursday, date(2026, 12, 17))]
    assert str(walk_in["SUMMARY"]) == "Migrationsberatung – Caritasverband Düren"
    assert str(walk_in["LOCATION"]) == (
        "Integrationsagentur, Raum 12, Bismarckstr. 16, 52351 Düren"
    )
    assert walk_in["DTSTAMP"].dt == FEED_NOW
    description = str(walk_in["DESCRIPTION"])
    assert "02421 555-100" in description
    assert "beratung@caritas.example" in description
    phone = events[_uid(timetable.phone_slot, date(2026, 12, 21))]
    assert str(phone["LOCATION"]) == "02421 555-200"


# --- the JSON API -------------------------------------------------------------------


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    monkeypatch.setattr(services, "now_in_berlin", lambda: API_NOW)
    return API_NOW


def test_api_returns_the_timetable(client: FlaskClient, timetable, fixed_now):
    response = client.get("/api/v1/consultations?lang=en")
    assert response.status_code == 200
    data = response.get_json()
    assert (data["from"], data["until"]) == ("2026-12-14", "2027-01-10")
    assert [offer["title"] for offer in data["offers"]] == [
        "Migrationsberatung",
        "Telefonsprechstunde",
    ]
    walk_in, phone = data["offers"]
    assert walk_in["organisation"]["name"] == "Caritasverband Düren"
    assert walk_in["languages"] == ["ar", "de"]
    assert walk_in["topics"] == [
        {"id": timetable.welcome, "key": "welcome", "label": "Welcome counselling"}
    ]
    thursday, friday = walk_in["slots"]
    assert (thursday["weekday"], thursday["weekday_name"]) == (3, "Thursday")
    assert (thursday["start"], thursday["end"]) == ("10:00", "12:00")
    assert thursday["location"]["municipality"] == "Düren"
    assert thursday["location"]["is_step_free"] is True
    assert thursday["exceptions"] == []  # the November exceptions lie outside the range
    assert friday["exceptions"] == [
        {
            "date": "2027-01-08",
            "cancelled": True,
            "start": None,
            "end": None,
            "reason": "Fortbildung",
        }
    ]
    assert phone["slots"][0]["location"] is None
    assert phone["slots"][0]["weeks_of_month"] == [1, 3]


def test_api_occurrences_with_status_holiday_and_offset(client, timetable, fixed_now):
    data = client.get("/api/v1/consultations?lang=en").get_json()
    by_key = {(o["slot_id"], o["date"]): o for o in data["occurrences"]}
    christmas = by_key[(timetable.friday, "2026-12-25")]
    assert christmas["status"] == "holiday"
    assert christmas["holiday"] == "Christmas Day"
    assert by_key[(timetable.friday, "2027-01-08")]["status"] == "cancelled"
    assert by_key[(timetable.friday, "2027-01-08")]["reason"] == "Fortbildung"
    regular = by_key[(timetable.thursday, "2026-12-17")]
    assert regular["start"] == "2026-12-17T10:00:00+01:00"
    assert (regular["status"], regular["holiday"], regular["offer_id"]) == (
        "regular",
        None,
        timetable.walk_in,
    )
    phone_days = sorted(d for slot, d in by_key if slot == timetable.phone_slot)
    assert phone_days == ["2026-12-21", "2027-01-04"]  # weeks 3 and 1 of the month


@pytest.mark.parametrize(
    ("query", "offers", "slots"),
    [
        ("municipality=Jülich", ["walk_in"], ["friday"]),
        ("kind=phone", ["phone"], ["phone_slot"]),
        ("language=ar", ["walk_in"], ["thursday", "friday"]),
        ("topic={labour}", ["phone"], ["phone_slot"]),
        ("location={dueren}", ["walk_in"], ["thursday"]),
        ("municipality=Titz", [], []),
    ],
)
def test_api_filters(client, timetable, fixed_now, query, offers, slots):
    url = "/api/v1/consultations?" + query.format(**vars(timetable))
    data = client.get(url).get_json()
    assert [offer["id"] for offer in data["offers"]] == [getattr(timetable, o) for o in offers]
    shown = {slot["id"] for offer in data["offers"] for slot in offer["slots"]}
    assert shown == {getattr(timetable, s) for s in slots}
    assert {o["slot_id"] for o in data["occurrences"]} == shown


def test_api_days_sets_the_range(client, timetable, fixed_now):
    data = client.get("/api/v1/consultations?days=7").get_json()
    assert (data["from"], data["until"]) == ("2026-12-14", "2026-12-20")
    assert max(o["date"] for o in data["occurrences"]) <= "2026-12-20"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("municipality=Berlin", "municipality"),
        ("municipality=", "municipality"),
        ("kind=visit", "kind"),
        ("lang=xx", "lang"),
        ("language=klingon", "language"),
        ("days=0", "days"),
        ("days=57", "days"),
        ("days=abc", "days"),
        ("days=1.5", "days"),
        ("topic=welcome", "topic"),
        ("location=-1", "location"),
        ("location=99999999999999", "location"),
        ("kind=phone&kind=walk_in", "kind"),
    ],
)
def test_api_rejects_bad_parameters(client, query, field):
    response = client.get(f"/api/v1/consultations?{query}")
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert list(errors) == [field]
    assert all(isinstance(m, str) and m for m in errors[field])
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_api_reports_every_bad_parameter(client):
    errors = client.get("/api/v1/consultations?days=0&kind=x").get_json()["errors"]
    assert set(errors) == {"days", "kind"}
    assert "1 to 56" in errors["days"][0]
    assert "walk_in" in errors["kind"][0]


@pytest.mark.parametrize("url", ["/api/v1/consultations", "/api/v1/openapi.json"])
def test_api_is_open_and_revalidated(client, url):
    response = client.get(url + "?lang=ar")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, no-cache"
    assert "Set-Cookie" not in response.headers


def test_api_answers_cors_preflight(client):
    response = client.options(
        "/api/v1/consultations",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code in {200, 204}
    assert "GET" in response.headers["Allow"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]


def test_api_needs_no_csrf_token_and_allows_only_reading(client):
    assert client.post("/api/v1/consultations").status_code == 405


def test_openapi_document_describes_the_api(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    operation = document["paths"]["/api/v1/consultations"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"municipality", "topic", "language", "kind", "location", "days", "lang"}
    assert set(operation["responses"]) == {"200", "422"}
    assert "/api/v1/openapi.json" in document["paths"]


def test_api_document_matches_its_schema(app, timetable):
    """The document itself (not only over HTTP) validates against the components."""
    schemas = feeds.openapi_document()["components"]["schemas"]
    root = {"$ref": "#/components/schemas/Timetable", "components": {"schemas": schemas}}
    with app.app_context():
        slots = list(db.session.scalars(sa.select(Slot)))
        document = feeds.api_document(slots, FEED_START, FEED_END, FEED_NOW)
    jsonschema_rs.Draft202012Validator(root, validate_formats=True).validate(document)
    statuses = {occurrence["status"] for occurrence in document["occurrences"]}
    assert statuses == {"regular", "changed", "cancelled", "holiday"}


# --- the API against its own OpenAPI document (schemathesis) -------------------------


# schemathesis.pytest.from_fixture does not work with pytest 9 (it reads Node._nodeid),
# so the test draws cases from the schema's Hypothesis strategy itself.


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_openapi_document(app, timetable, fixed_now, mode):
    """Valid requests get 200 and invalid ones 422, every answer as documented, no 5xx."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    @given(case=schema.as_strategy(generation_mode=mode))
    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def check(case: schemathesis.Case) -> None:
        # The WSGI transport asks for gzip but does not unpack it: ask for plain JSON.
        response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
        assert response.status_code < 500

    check()
