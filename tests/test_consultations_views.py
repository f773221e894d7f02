"""The timetable through the web: public pages, cache and ETag, embed, staff editing."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from kimweb.consultations import services
from kimweb.consultations.models import Offer, Slot, SlotException
from kimweb.directory import services as directory
from kimweb.directory.models import FocusArea
from kimweb.extensions import db
from tests.conftest import csrf_token

MONDAY = datetime(2026, 11, 23, 10, 30, tzinfo=services.BERLIN)  # a Monday morning


@pytest.fixture
def timetable(app, monkeypatch):
    """A place in Jülich with a Monday and a Thursday walk-in hour; now is MONDAY 10:30."""
    monkeypatch.setattr(services, "now_in_berlin", lambda: MONDAY)
    with app.app_context():
        residence = db.session.scalar(sa.select(FocusArea.id).where(FocusArea.key == "residence"))
        org = directory.save_organisation(None, {"name": "Migrationsberatung Jülich"}, None)
        place = services.save_location(
            None,
            {
                "name": "Rathaus Jülich",
                "municipality": "Jülich",
                "street": "Große Rurstr. 17",
                "is_step_free": True,
            },
        )
        offer = services.save_offer(
            None,
            {
                "organisation_id": org.id,
                "title": "Offene Sprechstunde Aufenthaltsrecht",
                "kind": "walk_in",
                "languages": ["ar", "uk"],
                "topic_ids": [residence],
            },
            [
                {
                    "location_id": place.id,
                    "weekday": 0,
                    "start_time": time(9),
                    "end_time": time(12),
                    "valid_from": None,
                    "valid_until": None,
                    "weeks": [],
                },
                {
                    "location_id": place.id,
                    "weekday": 3,
                    "start_time": time(14),
                    "end_time": time(16),
                    "valid_from": None,
                    "valid_until": None,
                    "weeks": [],
                },
            ],
        )
        return {
            "org": org.id,
            "place": place.id,
            "offer": offer.id,
            "monday": offer.slots[0].id,
            "thursday": offer.slots[1].id,
            "residence": residence,
        }


def test_public_page_shows_the_week(client, timetable):
    response = client.get("/consultations/?lang=de")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Montag, 23. November 2026" in html and "Offene Sprechstunde Aufenthaltsrecht" in html
    assert html.count('class="entry"') + html.count('class="entry ') == 2  # Mon and Thu
    assert "jetzt geöffnet" in html  # Monday 9-12, now 10:30
    assert "application/ld+json" in html and "OpeningHoursSpecification" in html
    assert "Set-Cookie" not in response.headers or "lang" not in response.headers["Set-Cookie"]


def test_filters_and_bad_filters(client, timetable):
    def shows(url: str) -> bool:
        return "Sprechstunde Aufenthaltsrecht" in client.get(url).get_data(as_text=True)

    assert shows("/consultations/?municipality=Jülich")
    assert not shows("/consultations/?municipality=Titz")
    assert shows(f"/consultations/?topic={timetable['residence']}&language=uk")
    assert not shows("/consultations/?kind=phone")
    bad = client.get("/consultations/?municipality=Atlantis&kind=x")
    assert bad.status_code == 422 and 'id="municipality-error"' in bad.get_data(as_text=True)


def test_fragment_for_htmx(client, timetable):
    html = client.get("/consultations/?kind=walk_in", headers={"HX-Request": "true"}).get_data(
        as_text=True
    )
    assert html.lstrip().startswith('<section id="results"') and "<html" not in html
    assert 'hx-swap-oob="innerHTML:#result-status"' in html


def test_cache_etag_and_immediate_invalidation(app, client, timetable):
    first = client.get("/consultations/")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"].startswith("public")
    assert client.get("/consultations/", headers={"If-None-Match": etag}).status_code == 304
    with app.app_context():
        slot = db.session.get(Slot, timetable["thursday"])
        services.save_exception(slot, date(2026, 11, 26), True, "Fortbildung des Teams")
    changed = client.get("/consultations/", headers={"If-None-Match": etag})
    html = changed.get_data(as_text=True)
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "fällt aus" in html and "Fortbildung des Teams" in html


def test_gzip_for_browsers_that_accept_it(client, timetable):
    import gzip

    response = client.get("/consultations/", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"Aufenthaltsrecht" in gzip.decompress(response.get_data())


def test_holiday_closes_everything(client, timetable, monkeypatch):
    monkeypatch.setattr(
        services, "now_in_berlin", lambda: datetime(2026, 12, 21, 8, 0, tzinfo=services.BERLIN)
    )
    html = client.get("/consultations/?lang=de").get_data(as_text=True)
    assert "Feiertag" in html and "1. Weihnachtstag" in html


def test_place_page_and_posters(client, timetable):
    html = client.get(f"/consultations/locations/{timetable['place']}").get_data(as_text=True)
    assert "Rathaus Jülich" in html and "Große Rurstr. 17" in html and "09:00–12:00" in html
    assert client.get("/consultations/locations/999999").status_code == 404
    poster = client.get("/consultations/print").get_data(as_text=True)
    assert poster.count('class="poster"') == 2  # overview + one place
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="[^"]+"', poster)


def test_embed_may_be_framed_only_by_listed_origins(app, client, timetable):
    response = client.get("/consultations/embed")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    app.config["KIMWEB_EMBED_ORIGINS"] = ["https://www.kreis-dueren.de"]
    response = client.get("/consultations/embed?kind=walk_in")
    assert (
        "frame-ancestors https://www.kreis-dueren.de;"
        in response.headers["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in response.headers
    assert "<nav" not in response.get_data(as_text=True)


def test_staff_pages_need_sign_in(client, timetable):
    response = client.get("/consultations/manage/")
    assert response.status_code == 302 and "/login" in response.location


def slot_form(prefix: int, **values) -> dict:
    row = {
        "weekday": "0",
        "start_time": "10:00",
        "end_time": "12:00",
        "location_id": "0",
        "valid_from": "",
        "valid_until": "",
        "id": "",
    }
    row.update(values)
    return {f"slots-{prefix}-{key}": value for key, value in row.items()}


def test_offer_form_rows_errors_and_save(app, client, login_as, timetable):
    login_as("staff")
    url = "/consultations/manage/offers/new"
    token = csrf_token(client, url)
    base = {
        "organisation_id": str(timetable["org"]),
        "title": "Neue Telefonsprechstunde",
        "kind": "phone",
        "phone": "02461 555-1",
        "csrf_token": token,
    }
    # Add a row: the input is kept, one more row appears (htmx answers the slots block).
    added = client.post(
        url, data={**base, **slot_form(0), "add_slot": "1"}, headers={"HX-Request": "true"}
    )
    html = added.get_data(as_text=True)
    assert 'id="slots-1-weekday"' in html and "<html" not in html
    assert re.search(r'id="slots-0-start_time"[^>]*value="10:00"', html) or 'value="10:00"' in html
    # Remove the first of two rows without JavaScript: the whole page comes back.
    removed = client.post(
        url, data={**base, **slot_form(0), **slot_form(1, weekday="2"), "remove_slot": "0"}
    )
    page = removed.get_data(as_text=True)
    assert "<html" in page and 'id="slots-1-weekday"' not in page
    assert re.search(r'<option selected value="2">', page)
    # End before start, and two overlapping times: 422, messages next to the rows.
    wrong = client.post(
        url,
        data={
            **base,
            **slot_form(0, end_time="09:00"),
            **slot_form(1, start_time="09:00", end_time="10:00"),
            **slot_form(2, start_time="09:30", end_time="11:00"),
        },
    )
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422
    assert "Das Ende muss nach dem Beginn liegen." in html
    assert "überschneidet" in html and 'value="Neue Telefonsprechstunde"' in html
    saved = client.post(url, data={**base, **slot_form(0), **slot_form(1, weekday="4")})
    assert saved.status_code == 302
    with app.app_context():
        offer = db.session.scalar(sa.select(Offer).where(Offer.title == "Neue Telefonsprechstunde"))
        assert [(s.weekday, s.location_id) for s in offer.slots] == [(0, None), (4, None)]


def test_exception_checks_and_shows_at_once(app, client, login_as, timetable):
    login_as("staff")
    url = f"/consultations/manage/offers/{timetable['offer']}/exceptions"
    token = csrf_token(client, url)
    wrong_day = client.post(
        url,
        data={
            "slot_id": timetable["monday"],
            "date": "2026-11-25",
            "is_cancelled": "1",
            "reason": "x",
            "csrf_token": token,
        },
    )
    assert wrong_day.status_code == 422 and 'id="date-error"' in wrong_day.get_data(as_text=True)
    no_times = client.post(
        url,
        data={
            "slot_id": timetable["monday"],
            "date": "2026-11-30",
            "is_cancelled": "0",
            "reason": "",
            "csrf_token": token,
        },
    )
    assert no_times.status_code == 422
    ok = client.post(
        url,
        data={
            "slot_id": timetable["thursday"],
            "date": "2026-11-26",
            "is_cancelled": "1",
            "reason": "Urlaub",
            "csrf_token": token,
        },
    )
    assert ok.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(SlotException.reason)) == "Urlaub"
    public = client.get("/consultations/?lang=de").get_data(as_text=True)
    assert "Urlaub" in public
    api = client.get("/api/v1/consultations").get_json()
    assert any(o["status"] == "cancelled" and o["date"] == "2026-11-26" for o in api["occurrences"])
    feed = client.get("/consultations.ics").get_data(as_text=True)
    assert "DTSTART;TZID=Europe/Berlin:20261126T140000" not in feed
    assert "DTSTART;TZID=Europe/Berlin:20261203T140000" in feed


def test_manage_lists_holiday_closures(client, login_as, timetable):
    login_as("staff")
    html = client.get("/consultations/manage/").get_data(as_text=True)
    assert "1. Weihnachtstag" in html or "Christmas Day" in html
    assert "Offene Sprechstunde Aufenthaltsrecht" in html


def test_one_time_to_the_calendar(client, timetable):
    from icalendar import Calendar

    html = client.get("/consultations/").get_data(as_text=True)
    assert f'href="/consultations.ics?slot={timetable["monday"]}"' in html
    feed = Calendar.from_ical(client.get(f"/consultations.ics?slot={timetable['monday']}").data)
    starts = {event.decoded("DTSTART").weekday() for event in feed.walk("VEVENT")}
    assert starts == {0}


def test_hostile_input_never_breaks_the_pages(app, client, login_as, timetable):
    for url in (
        "/consultations/?location=²",
        "/consultations/embed?location=²",
        "/consultations/print?location=²",
        "/consultations.ics?slot=²",
        "/consultations/?topic=99999999999999",
        "/consultations/locations/0",
    ):
        assert client.get(url).status_code < 500, url
    login_as("staff")
    url = f"/consultations/manage/offers/{timetable['offer']}"
    token = csrf_token(client, url)
    base = {
        "organisation_id": str(timetable["org"]),
        "title": "T",
        "kind": "walk_in",
        "csrf_token": token,
    }
    far = client.post(url, data={**base, **slot_form(0, weekday="6", valid_from="9999-12-31")})
    assert far.status_code == 422 and "2000" in far.get_data(as_text=True)
    assert client.post(url, data={**base, **slot_form(0), "remove_slot": "²"}).status_code == 200
    rows = {k: v for i in range(40) for k, v in slot_form(i, weekday=str(i % 7)).items()}
    full = client.post(url, data={**base, **rows, "add_slot": "1"})
    assert full.status_code == 200 and 'id="slots-40-weekday"' not in full.get_data(as_text=True)
    exception_url = f"{url}/exceptions"
    for day in ("9999-12-27", "2001-01-01"):
        answer = client.post(
            exception_url,
            data={
                "slot_id": timetable["monday"],
                "date": day,
                "is_cancelled": "1",
                "csrf_token": token,
            },
        )
        assert answer.status_code == 422, day


def test_cached_pages_depend_on_the_whole_query(client, timetable):
    planted = client.get("/consultations/?lang=uk&evil=INJECTED").get_data(as_text=True)
    assert "INJECTED" in planted  # the visitor's own links keep their arguments
    other = client.application.test_client()
    assert "INJECTED" not in other.get("/consultations/?lang=uk").get_data(as_text=True)


def test_a_page_that_sets_a_cookie_is_private(client, timetable):
    response = client.get("/consultations/?lang=ar")
    assert "Set-Cookie" in response.headers
    assert "private" in response.headers["Cache-Control"]
    again = client.get("/consultations/")  # language remembered, no new cookie
    assert "public" in again.headers["Cache-Control"]
