"""The calendar through the web: who sees which meetings, filters by category and body,
the month, week and agenda views with htmx, the event form with its repetition and its
messages, single dates cancelled and moved, import with preview, and the feeds.

Data is built with the services; every request goes through the test client. The people
read the pages in English, so that texts can be asserted on.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import icalendar
import pytest
import recurring_ical_events
import sqlalchemy as sa

from kimweb.auth.models import User
from kimweb.calendar import services
from kimweb.calendar.models import Event
from kimweb.extensions import db
from kimweb.meetings import services as meetings
from kimweb.meetings.models import BERLIN
from tests.conftest import csrf_token, login

HX = {"HX-Request": "true"}
MONTH = "2027-03"  # summer time begins on 28 March 2027


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def world(app, make_user):
    """The Jour fixe (organiser Olivia, member Mia) with a published meeting on 10 March
    2027 and a draft one on 24 March; the Lenkungsgruppe (member Lena) with a meeting on
    17 March; Mia's internal training every Monday at 10:00 in March; a public event of
    Olivia's; Adele is admin."""
    roles = {"olivia": "staff", "mia": "staff", "lena": "staff", "adele": "admin"}
    people = {name: make_user(name, role=role, language="en") for name, role in roles.items()}
    with app.app_context():
        user = {name: db.session.get(User, p.id) for name, p in people.items()}
        jour_fixe, steering = meetings.ensure_bodies()[:2]
        meetings.set_membership(jour_fixe, user["olivia"], "organiser")
        meetings.set_membership(jour_fixe, user["mia"], "member")
        meetings.set_membership(steering, user["lena"], "member")
        published = meetings.create_meeting(
            jour_fixe, berlin(2027, 3, 10, 10), berlin(2027, 3, 10, 12), "Kreishaus"
        )
        meetings.publish(published)
        draft = meetings.create_meeting(
            jour_fixe, berlin(2027, 3, 24, 10), berlin(2027, 3, 24, 12), "Kreishaus"
        )
        secret = meetings.create_meeting(
            steering, berlin(2027, 3, 17, 14), berlin(2027, 3, 17, 16), "Kreishaus"
        )
        meetings.publish(secret)
        training = services.save_event(
            None,
            {"title": "Fortbildung Aufenthaltsrecht", "category": "training"},
            (date(2027, 3, 1), time(10), date(2027, 3, 1), time(12)),
            "FREQ=WEEKLY;BYDAY=MO;COUNT=5",
            user["mia"],
        )
        public = services.save_event(
            None,
            {"title": "Infoabend Einbürgerung", "category": "event", "is_public": True},
            (date(2027, 3, 18), time(18), date(2027, 3, 18), time(19, 30)),
            None,
            user["olivia"],
        )
        return SimpleNamespace(
            people=people,
            jour_fixe=jour_fixe.id,
            steering=steering.id,
            published=published.id,
            draft=draft.id,
            secret=secret.id,
            training=training.id,
            public=public.id,
        )


def sign_in(client, world, name: str) -> str:
    response = login(client, world.people[name].username)
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf_token(client, "/accessibility")


def month(client, **args) -> str:
    response = client.get("/calendar/", query_string={"month": MONTH, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def meeting_links(html: str) -> set[int]:
    return {int(m) for m in re.findall(r'href="/meetings/(\d+)"', html)}


# --- who sees what ----------------------------------------------------------------------


def test_meetings_of_visible_bodies_only(client, world):
    sign_in(client, world, "mia")
    html = month(client)
    assert "Jour fixe" in html
    assert "Lenkungsgruppe" not in html
    # The published agenda is linked; the draft is shown, but not linked, for a member.
    assert meeting_links(html) == {world.published}
    assert "Fortbildung Aufenthaltsrecht" in html

    sign_in(client, world, "olivia")  # organiser: the draft agenda is linked too
    assert meeting_links(month(client)) == {world.published, world.draft}

    sign_in(client, world, "adele")
    assert meeting_links(month(client)) == {world.published, world.draft, world.secret}


def test_filter_by_category_and_by_body(client, world):
    sign_in(client, world, "lena")
    html = month(client, category="training")
    assert "Fortbildung Aufenthaltsrecht" in html
    assert "Infoabend" not in html
    assert meeting_links(html) == set()

    html = month(client, category=f"body-{world.steering}")
    assert meeting_links(html) == {world.secret}
    assert "Fortbildung" not in html
    assert f'value="body-{world.steering}" id="category-body-{world.steering}" checked' in html

    # Another body's id gives nothing it may not see; nonsense is ignored.
    html = month(client, category=[f"body-{world.jour_fixe}", "body-999999999"])
    assert meeting_links(html) == {world.published}
    sign_in(client, world, "mia")
    html = month(client, category=[f"body-{world.steering}", "<script>"])
    assert meeting_links(html) == set()
    assert "Lenkungsgruppe" not in html
    assert "&lt;script&gt;" not in html


def test_month_grid_weeks_holidays_and_htmx_fragment(client, world):
    sign_in(client, world, "mia")
    html = month(client)
    # Weeks start on Monday and carry their number: 1 March 2027 is a Monday of KW 9.
    weeks = re.findall(r'month-grid__week"><span class="visually-hidden">[^<]*</span>(\d+)', html)
    assert weeks == ["9", "10", "11", "12", "13"]
    assert "Good Friday" in html or "Karfreitag" in html  # 26 March 2027
    response = client.get("/calendar/", query_string={"month": MONTH}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in body and body.lstrip().startswith('<div id="calendar">')
    assert "HX-Request" in response.headers["Vary"]


def test_week_view_keeps_ten_oclock_across_summer_time(client, world):
    sign_in(client, world, "mia")
    with client.application.app_context():
        services.save_event(
            None,
            {"title": "Sprachcafé", "category": "event"},
            (date(2027, 3, 22), time(10), date(2027, 3, 22), time(11)),
            "FREQ=WEEKLY;BYDAY=MO",
            db.session.get(User, world.people["mia"].id),
        )
    for week in ("2027-W12", "2027-W14"):
        html = client.get("/calendar/", query_string={"week": week}).get_data(as_text=True)
        assert re.search(r'calendar-entry__time">10:00</span>\s*<a [^>]*>Sprachcafé', html)


def test_agenda_and_bad_parameters(client, world):
    sign_in(client, world, "mia")
    assert client.get("/calendar/?view=agenda").status_code == 200
    for query in ("month=2027-13", "month=99999-01", "week=2026-W60", "month=%00"):
        response = client.get(f"/calendar/?{query}")
        assert response.status_code == 404, query
        assert "There is no such month or week." in response.get_data(as_text=True)
    assert "There is no such" not in client.get("/calendar/?month=2027-12").get_data(as_text=True)


def test_all_day_entries_stay_on_their_own_days(client, world):
    sign_in(client, world, "mia")
    with client.application.app_context():
        mia = db.session.get(User, world.people["mia"].id)
        one = services.save_event(None, {"title": "Frist Sachbericht", "category": "deadline"},
                                  (date(2027, 2, 10), None, date(2027, 2, 10), None), None, mia)
        three = services.save_event(None, {"title": "Aktionstage", "category": "event"},
                                    (date(2027, 2, 17), None, date(2027, 2, 19), None), None, mia)
        entries = services.entries_for(mia, date(2027, 2, 1), date(2027, 2, 28))
        days = {e.event_id: e.days for e in entries if e.event_id in (one.id, three.id)}
        assert days == {one.id: [date(2027, 2, 10)],
                        three.id: [date(2027, 2, 17), date(2027, 2, 18), date(2027, 2, 19)]}
        (new_year,) = services.holiday_entries(date(2027, 1, 1), date(2027, 1, 2))
        assert new_year.days == [date(2027, 1, 1)]


# --- the event form ---------------------------------------------------------------------


def form_data(token: str, **changes) -> dict:
    data = {
        "csrf_token": token,
        "title": "Austausch Sprachmittlung",
        "category": "event",
        "start_date": "2027-01-07",
        "start_time": "14:00",
        "end_time": "15:30",
        "frequency": "none",
        "interval": "1",
        "nth": "1",
        "nth_weekday": "0",
        "ends": "never",
    }
    return data | changes


def test_monthly_on_the_first_thursday(client, world):
    token = sign_in(client, world, "mia")
    response = client.post(
        "/calendar/events/new",
        data=form_data(token, frequency="monthly_nth", nth="1", nth_weekday="3", ends="count",
                       count="4"),
    )
    assert response.status_code == 302
    with client.application.app_context():
        event = db.session.scalars(sa.select(Event).order_by(Event.id.desc())).first()
        assert event.rrule == "FREQ=MONTHLY;BYDAY=1TH;COUNT=4"
        entries = services.event_entries([event], date(2027, 1, 1), date(2027, 12, 31))
        assert [e.start.date() for e in entries] == [
            date(2027, 1, 7), date(2027, 2, 4), date(2027, 3, 4), date(2027, 4, 1)
        ]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "every month on the first Thursday, 4 times" in html

    # A pattern the first date does not fit starts on the first date it gives.
    data = form_data(token, frequency="weekly", weekdays=["0", "2"], start_date="2027-01-07")
    assert client.post("/calendar/events/new", data=data).status_code == 302
    with client.application.app_context():
        event = db.session.scalars(sa.select(Event).order_by(Event.id.desc())).first()
        assert (event.start_date, event.end_date) == (date(2027, 1, 11), date(2027, 1, 11))
        assert event.rrule == "FREQ=WEEKLY;BYDAY=MO,WE"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_time": "13:00"}, "end_time", "The end must be after the start."),
        ({"frequency": "weekly", "ends": "count", "count": "9999"}, "count", "500"),
        ({"frequency": "daily", "interval": "0"}, "interval", "1"),
        (
            {"frequency": "weekly", "ends": "until", "until": "2026-12-01"},
            "until",
            "must not be before the first date",
        ),
        (
            {"start_date": "2028-02-29", "frequency": "yearly", "ends": "until",
             "until": "2029-03-01"},
            "until",
            "This repetition has no date.",
        ),
        ({"start_date": "3000-01-01"}, "start_date", "between 2000 and 2100"),
        ({"start_date": "tomorrow"}, "start_date", "Not a valid date value"),
        ({"title": ""}, "title", "This field is required."),
        ({"registration_url": "javascript:alert(1)"}, "registration_url", "https://"),
    ],
)
def test_bad_input_is_answered_next_to_the_field(client, world, changes, field, message):
    token = sign_in(client, world, "mia")
    data = form_data(token, **changes)
    response = client.post("/calendar/events/new", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    control = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{field}"[^>]*>', html)
    assert control and 'aria-invalid="true"' in control.group(0)
    assert f'aria-describedby="{field}-error' in control.group(0)
    if data["title"]:
        assert f'value="{data["title"]}"' in html  # the entry is kept
    with client.application.app_context():
        assert db.session.scalar(
            sa.select(sa.func.count()).where(Event.title == "Austausch Sprachmittlung")
        ) == 0


def test_only_the_author_or_an_admin_changes_an_event(client, world):
    token = sign_in(client, world, "olivia")
    assert client.get(f"/calendar/events/{world.training}/edit").status_code == 403
    response = client.post(f"/calendar/events/{world.training}/delete", data={"csrf_token": token})
    assert response.status_code == 403
    token = sign_in(client, world, "mia")
    assert client.get(f"/calendar/events/{world.training}/edit").status_code == 200
    token = sign_in(client, world, "adele")
    response = client.post(f"/calendar/events/{world.training}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get(f"/calendar/events/{world.training}").status_code == 404


def test_cancel_move_and_restore_one_date(client, world):
    token = sign_in(client, world, "mia")
    url = f"/calendar/events/{world.training}/dates/2027-03-15"
    assert client.post(url, data={"csrf_token": token, "action": "cancel"}).status_code == 302
    html = client.get("/calendar/", query_string={"week": "2027-W11"}).get_data(as_text=True)
    # Shown as cancelled where it was, as cancelled meetings are.
    shown = r'calendar-entry--cancelled">\s*<span class="calendar-entry__time">10:00</span>\s*'
    assert re.search(shown + r"<a [^>]*>Fortbildung Aufenthaltsrecht</a>.*?>cancelled<", html, re.S)
    html = client.get(f"/calendar/events/{world.training}").get_data(as_text=True)
    assert "Cancelled dates" in html
    assert "Monday, March 15, 2027, 10:00" not in html  # not among the next dates
    html = client.get(url).get_data(as_text=True)
    assert 'value="cancel"' not in html and 'value="restore"' in html

    response = client.post(url, data={"csrf_token": token, "action": "restore"})
    assert response.status_code == 302
    html = client.get(url).get_data(as_text=True)
    assert 'value="cancel"' in html and 'value="restore"' not in html
    moved = {"csrf_token": token, "action": "change", "start_date": "2027-03-16",
             "start_time": "13:00", "end_time": "15:00"}
    response = client.post(url, data=moved)
    assert response.status_code == 302
    html = client.get("/calendar/", query_string={"week": "2027-W11"}).get_data(as_text=True)
    assert re.search(r'13:00</span>\s*<a [^>]*>Fortbildung Aufenthaltsrecht', html)
    # The other dates are untouched.
    with client.application.app_context():
        event = db.session.get(Event, world.training)
        starts = [e.start for e in services.event_entries([event], date(2027, 3, 1),
                                                          date(2027, 3, 31))]
        assert starts == [berlin(2027, 3, 1, 10), berlin(2027, 3, 8, 10),
                          berlin(2027, 3, 16, 13), berlin(2027, 3, 22, 10),
                          berlin(2027, 3, 29, 10)]

    bad = moved | {"end_time": "12:00"}
    response = client.post(url, data=bad)
    assert response.status_code == 422
    assert "The end must be after the start." in response.get_data(as_text=True)
    # A date the rule does not give, and a date that is no date.
    assert client.get(f"/calendar/events/{world.training}/dates/2027-03-16").status_code == 404
    assert client.get(f"/calendar/events/{world.training}/dates/2027-02-30").status_code == 404


# --- import and feeds -------------------------------------------------------------------


PARTNER_FILE = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Caritas Dueren//Termine//DE\r
BEGIN:VEVENT\r
UID:sprechstunde-42@caritas.example\r
DTSTAMP:20261201T090000Z\r
DTSTART;TZID=Europe/Berlin:20270104T090000\r
DTEND;TZID=Europe/Berlin:20270104T110000\r
RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6\r
SUMMARY:Migrationsberatung vor Ort\r
END:VEVENT\r
END:VCALENDAR\r
"""


def upload(client, token: str, content: bytes):
    return client.post(
        "/calendar/import",
        data={"csrf_token": token, "file": (io.BytesIO(content), "caritas.ics")},
        content_type="multipart/form-data",
    )


def test_import_preview_then_confirm_then_update(client, world):
    token = sign_in(client, world, "mia")
    response = upload(client, token, PARTNER_FILE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Migrationsberatung vor Ort" in html and ">new<" in html
    with client.application.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 2  # nothing yet
    upload_token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post("/calendar/import/confirm",
                           data={"csrf_token": token, "token": upload_token})
    assert response.status_code == 302

    changed = PARTNER_FILE.replace(b"vor Ort", b"in J\xc3\xbclich")
    html = upload(client, token, changed).get_data(as_text=True)
    assert ">updated<" in html
    upload_token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    client.post("/calendar/import/confirm", data={"csrf_token": token, "token": upload_token})
    with client.application.app_context():
        rows = db.session.scalars(
            sa.select(Event).where(Event.uid == "sprechstunde-42@caritas.example")
        ).all()
        assert [r.title for r in rows] == ["Migrationsberatung in Jülich"]
        assert sorted(rows[0].rrule.split(";")) == ["BYDAY=MO,WE", "COUNT=6", "FREQ=WEEKLY"]

    # A file someone else may not change: shown in the preview, and not changed.
    other = sign_in(client, world, "olivia")
    html = upload(client, other, changed.replace(b"J\xc3\xbclich", b"Aachen")).get_data(
        as_text=True
    )
    assert "entered by someone else" in html


@pytest.mark.parametrize(
    "content", [b"", b"not a calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", b"\xff\xfe\x00"]
)
def test_bad_uploads_get_a_message_next_to_the_field(client, world, content):
    token = sign_in(client, world, "mia")
    response = upload(client, token, content)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="file-error"' in html and 'aria-invalid="true"' in html


def test_expired_upload_token_asks_to_choose_again(client, world):
    token = sign_in(client, world, "mia")
    response = client.post("/calendar/import/confirm",
                           data={"csrf_token": token, "token": "x" * 500})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/calendar/import")


def test_public_feed_has_public_events_only(client, world):
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert [str(e["SUMMARY"]) for e in calendar.events] == ["Infoabend Einbürgerung"]


def test_private_feed_with_meetings_and_a_new_address(client, world):
    sign_in(client, world, "mia")
    html = client.get("/calendar/subscribe").get_data(as_text=True)
    url = re.search(r'id="private-url" type="text" readonly value="([^"]+)"', html).group(1)
    path = url.split("://", 1)[1].split("/", 1)[1]
    reader = client.application.test_client()  # a calendar program: no sign-in, no cookie
    response = reader.get("/" + path)  # the secret in the address is enough
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"
    calendar = icalendar.Calendar.from_ical(response.data)
    expanded = recurring_ical_events.of(calendar).between(date(2027, 3, 1), date(2027, 4, 1))
    titles = sorted({str(e["SUMMARY"]) for e in expanded})
    assert titles == ["Fortbildung Aufenthaltsrecht", "Infoabend Einbürgerung",
                      "Jour fixe Case-Management"]
    # 10:00 in Düren before and after the change to summer time (09:00 and 08:00 UTC).
    mondays = sorted(e.start for e in expanded if str(e["SUMMARY"]).startswith("Fortbildung"))
    assert [m.astimezone(BERLIN).hour for m in mondays] == [10] * 5
    assert {m.utcoffset() for m in mondays} == {timedelta(hours=1), timedelta(hours=2)}

    token = sign_in(client, world, "mia")
    assert client.post("/calendar/subscribe", data={"csrf_token": token}).status_code == 302
    assert reader.get("/" + path).status_code == 404
    html = client.get("/calendar/subscribe").get_data(as_text=True)
    new = re.search(r'id="private-url" type="text" readonly value="([^"]+)"', html).group(1)
    assert new != url
    assert reader.get("/" + new.split("://", 1)[1].split("/", 1)[1]).status_code == 200


def test_event_download_is_one_calendar_file(client, world):
    sign_in(client, world, "olivia")
    response = client.get(f"/calendar/events/{world.training}.ics")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.data)
    (event,) = calendar.events
    assert str(event["SUMMARY"]) == "Fortbildung Aufenthaltsrecht"
    assert "COUNT=5" in event["RRULE"].to_ical().decode()


def test_the_form_shows_the_dates_of_the_repetition_while_it_is_typed(client, world):
    sign_in(client, world, "mia")
    args = form_data("", frequency="monthly_nth", nth="-1", nth_weekday="4", ends="count",
                     count="8", title="")
    del args["csrf_token"]
    response = client.get("/calendar/events/preview", query_string=args, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div class="rule-preview">')
    assert "every month on the last Friday, 8 times" in html
    # 7 January is a Thursday: the series starts on the first last Friday, as in Outlook.
    shown = re.findall(r"<li>([^<]*)</li>", html)
    assert shown[:3] == ["Friday, January 29, 2027, 14:00–15:30",
                         "Friday, February 26, 2027, 14:00–15:30",
                         "Friday, March 26, 2027, 14:00–15:30"]
    assert len(shown) == services.PREVIEW_DATES + 1 and shown[-1] == "…"
    assert all(text.startswith("Friday") for text in shown[:-1])

    args |= {"count": "9999"}
    html = client.get("/calendar/events/preview", query_string=args, headers=HX).get_data(
        as_text=True
    )
    assert "Number of dates: Number must be between 1 and 500." in html
    assert "Friday" not in html
    # Without htmx the address shows the whole form with the preview.
    response = client.get("/calendar/events/preview", query_string=args)
    assert response.status_code == 200 and 'id="rule-preview"' in response.get_data(as_text=True)


def test_delete_asks_first(client, world):
    token = sign_in(client, world, "mia")
    html = client.get(f"/calendar/events/{world.training}").get_data(as_text=True)
    assert f'href="/calendar/events/{world.training}/delete"' in html
    page = client.get(f"/calendar/events/{world.training}/delete")
    assert page.status_code == 200
    assert "every week on Monday, 5 times" in page.get_data(as_text=True)
    with client.application.app_context():
        assert db.session.get(Event, world.training) is not None  # asking deletes nothing
    response = client.post(f"/calendar/events/{world.training}/delete", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get(f"/calendar/events/{world.training}").status_code == 404


@pytest.mark.parametrize(
    "day", ["0001-01-01", "9999-12-31", "20270315", "2027-W11-1", "2027-3-15", "1999-03-15"]
)
def test_dates_of_a_series_only_in_one_spelling_and_the_calendar_years(client, world, day):
    sign_in(client, world, "mia")
    assert client.get(f"/calendar/events/{world.training}/dates/{day}").status_code == 404


def test_a_date_moves_by_at_most_92_days(client, world):
    token = sign_in(client, world, "mia")
    url = f"/calendar/events/{world.training}/dates/2027-03-15"
    far = {"csrf_token": token, "action": "change", "start_date": "2027-07-01",
           "start_time": "10:00", "end_time": "12:00"}
    response = client.post(url, data=far)
    assert response.status_code == 422
    assert "A date moves by at most 92 days" in response.get_data(as_text=True)


def test_no_way_out_of_the_calendar_years(client, world):
    sign_in(client, world, "mia")
    html = month(client, month="2100-12")
    assert "month=2101-01" not in html and 'id="calendar-previous"' in html
    html = month(client, month="2000-01")
    assert "month=1999-12" not in html and 'id="calendar-next"' in html
    html = client.get("/calendar/?week=2000-W01").get_data(as_text=True)
    assert 'id="calendar-previous"' not in html


def test_a_swap_tells_screen_readers_which_month_is_shown(client, world):
    sign_in(client, world, "mia")
    body = client.get("/calendar/?month=2027-03", headers=HX).get_data(as_text=True)
    assert re.search(r'<p id="calendar-status"[^>]*hx-swap-oob="true">March 2027</p>', body)
    page = month(client)  # the whole page: one empty status region, no out-of-band copy
    assert page.count('id="calendar-status"') == 1 and "hx-swap-oob" not in page


def test_the_same_upload_is_imported_once(client, world):
    token = sign_in(client, world, "mia")
    html = upload(client, token, PARTNER_FILE).get_data(as_text=True)
    upload_token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    data = {"csrf_token": token, "token": upload_token}
    assert client.post("/calendar/import/confirm", data=data).status_code == 302
    again = client.post("/calendar/import/confirm", data=data)  # a second click
    assert again.headers["Location"].endswith("/calendar/import")
    with client.application.app_context():
        assert db.session.scalar(
            sa.select(sa.func.count()).where(Event.uid == "sprechstunde-42@caritas.example")
        ) == 1
