"""The global search: one box over contacts, organisations, agendas and minutes, events and
consultation offers; live with htmx; only what the reader may see; odd input never breaks it.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from kimweb.auth.models import User
from kimweb.calendar import services as calendar
from kimweb.consultations import services as timetable
from kimweb.directory import services as directory
from kimweb.extensions import db
from kimweb.meetings import services as meetings
from kimweb.meetings.models import BERLIN
from kimweb.search import services
from tests.conftest import login

HX = {"HX-Request": "true"}


def event(title: str, day: date, user: User, **extra) -> int:
    data = {"title": title, "category": "event", "is_public": False, **extra}
    return calendar.save_event(None, data, (day, time(10), day, time(11)), None, user).id


@pytest.fixture
def found(app, make_user):
    """One of each kind of result; the steering group's minutes are for Lennart only."""
    people = {name: make_user(name, language="en") for name in ("mirjam", "lennart", "olga")}
    with app.app_context():
        user = {name: db.session.get(User, person.id) for name, person in people.items()}
        jour_fixe, steering = meetings.ensure_bodies()[:2]
        meetings.set_membership(jour_fixe, user["mirjam"], "organiser")
        meetings.set_membership(steering, user["lennart"], "organiser")

        caritas = directory.save_organisation(
            None, {"name": "Caritasverband Düren", "kind": "provider", "town": "Düren"}, None
        )
        contact = directory.save_contact(
            None, {"organisation_id": caritas.id, "name": "Mira Schäfer"}, None
        )
        start = datetime.combine(date.today() - timedelta(days=7), time(10), tzinfo=BERLIN)
        meeting = meetings.create_meeting(jour_fixe, start, start + timedelta(hours=2), None)
        item = meetings.add_item(meeting, user["mirjam"], {"title": "Wohnraum in Jülich"})
        meetings.publish(meeting)

        secret = meetings.create_meeting(steering, start, start + timedelta(hours=2), None)
        secret_item = meetings.add_item(secret, user["lennart"], {"title": "Finanzen"})
        meetings.save_notes(secret_item, 0, "Vertraulicher Haushaltsentwurf", user["lennart"])
        meetings.publish(secret)
        meetings.change_minutes_state(secret, "circulate", user["lennart"])

        fair = event("Fachtag Wohnraum", date.today(), user["mirjam"], location="Kreishaus")
        advice = directory.save_organisation(None, {"name": "Migrationsberatung Jülich"}, None)
        offer = timetable.save_offer(
            None,
            {
                "organisation_id": advice.id,
                "title": "Offene Sprechstunde Aufenthaltsrecht",
                "kind": "walk_in",
                "target_groups": "Geflüchtete aus der Ukraine",
            },
            [],
        )
        return SimpleNamespace(
            people=people,
            caritas=caritas.id,
            contact=contact.id,
            meeting=meeting.id,
            item=item.id,
            secret=secret.id,
            event=fair,
            offer=offer.id,
        )


def sign_in(client, found, name: str = "olga") -> None:
    assert login(client, found.people[name].username).status_code == 302


def search(client, q: str, **headers) -> str:
    response = client.get("/search", query_string={"q": q}, headers=headers)
    assert response.status_code == 200, q
    return response.get_data(as_text=True)


def group(html: str, name: str) -> str:
    """The HTML of one group of results (directory, meetings, events, offers)."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="found-{name}"[^>]*>(.*?)</section>', html, re.S
    )
    assert match, f"no group {name}"
    return match.group(1)


def test_anonymous_users_are_sent_to_sign_in(client, found):
    response = client.get("/search?q=caritas")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


def test_finds_every_kind(client, found):
    sign_in(client, found)
    html = search(client, "schäfer")
    assert f'href="/directory/contacts/{found.contact}"' in group(html, "directory")

    html = search(client, "caritas")
    part = group(html, "directory")
    assert f'href="/directory/organisations/{found.caritas}"' in part
    assert f'href="/directory/contacts/{found.contact}"' in part  # the contact is there too

    html = search(client, "wohnraum")
    assert f'href="/meetings/{found.meeting}#item-{found.item}"' in group(html, "meetings")
    assert f'href="/calendar/events/{found.event}"' in group(html, "events")
    assert "Fachtag Wohnraum" in html and "Kreishaus" in html

    for q in ("ukraine", "migrationsberatung jülich", "SPRECHSTUNDE aufenthalt"):
        html = search(client, q)
        assert f'href="/consultations/manage/offers/{found.offer}"' in group(html, "offers"), q


def test_every_word_must_match(client, found):
    sign_in(client, found)
    assert "Fachtag Wohnraum" in search(client, "fachtag kreishaus")
    assert "Fachtag Wohnraum" not in search(client, "fachtag heimbach")


def test_counts_and_links_to_the_full_lists(app, client, found):
    with app.app_context():
        mirjam = db.session.get(User, found.people["mirjam"].id)
        for n in range(12):
            event(f"Schulung Teil {n}", date.today() + timedelta(days=n), mirjam)
    sign_in(client, found)
    html = search(client, "schulung")
    events = group(html, "events")
    assert events.count('class="hit"') == services.SHOWN
    assert ">12<" in events  # the count of all matches
    assert "Schulung Teil 11" in events  # latest first
    assert "12 results" in html

    html = search(client, "caritas")
    assert ">2<" in group(html, "directory")
    assert "Wohnraum" not in html


def test_steering_minutes_only_for_members(client, found):
    sign_in(client, found, "olga")
    html = search(client, "haushaltsentwurf")
    assert "No agendas or minutes found." in html
    assert f"/meetings/{found.secret}/" not in html

    sign_in(client, found, "lennart")
    html = search(client, "haushaltsentwurf")
    assert f'href="/meetings/{found.secret}/minutes#item-' in group(html, "meetings")


def test_htmx_gets_only_the_results_block(client, found):
    sign_in(client, found)
    response = client.get("/search?q=caritas", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers.get("Vary", "")
    assert "<html" not in body and "<header" not in body
    assert body.lstrip().startswith('<div id="results"')
    assert 'hx-swap-oob="innerHTML:#result-status"' in body
    assert "Caritasverband Düren" in body

    page = client.get("/search?q=caritas")
    html = page.get_data(as_text=True)
    assert "HX-Request" in page.headers.get("Vary", "")
    assert '<search aria-label="Search kimweb">' in html
    assert 'method="get" action="/search"' in html  # works without JavaScript
    assert 'hx-trigger="input changed delay:300ms from:#q, submit"' in html
    assert 'hx-push-url="true"' in html and 'hx-target="#results"' in html
    assert re.search(r'id="result-status"[^>]*role="status"', html)
    assert 'id="site-search"' not in html  # no second box in the header here


def test_too_short_gives_a_hint_and_searches_nothing(app, client, found, monkeypatch):
    sign_in(client, found)

    def no_query(*_args, **_kwargs):
        raise AssertionError("searched")

    monkeypatch.setattr(services, "search_directory", no_query)
    for q in ("a", " c ", "**", "a b", "é"):
        html = search(client, q)
        assert "Please enter at least two letters." in html, q
        assert 'id="found-directory"' not in html, q
    html = search(client, "")
    assert "Please enter at least two letters." not in html
    assert 'id="found-directory"' not in html


ODD_QUERIES = (
    '"',
    "'",
    "''; DROP TABLE users; --",
    '"caritas',
    "caritas*",
    "***",
    "NEAR(caritas wohnraum)",
    "caritas NEAR wohnraum",
    "-caritas",
    "caritas OR",
    "AND",
    "^caritas",
    "wohn:*",
    "wohn & raum | !x",
    "a_b",
    "__",
    "100%",
    "%_%",
    "\\",
    "\x00caritas",
    "caritas\x00",
    "\u202ecaritas",
    "Ⅻ ǅ ﬁ ẞ",
    "𝔠𝔞𝔯𝔦𝔱𝔞𝔰",
    "ثبت نام",
    "der die das und",
    "x" * 5000,
    "caritas " * 400,
)


def test_odd_input_never_fails(client, found):
    sign_in(client, found)
    for q in ODD_QUERIES:
        for headers in ({}, HX):
            response = client.get("/search", query_string={"q": q}, headers=headers)
            assert response.status_code == 200, (q, headers)


def test_long_queries_are_cut(client, found):
    sign_in(client, found)
    html = search(client, "caritas" + "x" * 500)
    value = re.search(r'id="q" name="q" type="search" value="([^"]*)"', html).group(1)
    assert len(value) == services.MAX_QUERY


def test_header_box_only_for_signed_in_users(client, found):
    html = client.get("/accessibility").get_data(as_text=True)
    assert 'id="site-search"' not in html
    sign_in(client, found)
    html = client.get("/").get_data(as_text=True)
    box = re.search(r"<search [^>]*>(.*?)</search>", html, re.S)
    assert box and 'action="/search"' in box.group(1)
    assert '<label class="visually-hidden" for="site-search">' in box.group(1)


def test_wildcards_in_words_match_themselves(app_ctx, found):
    mirjam = db.session.get(User, found.people["mirjam"].id)
    event("Quote 50% erreicht", date.today(), mirjam)
    assert services.search_events(["fach_ag"]).count == 0
    assert services.search_events(["50"]).count == 1
    assert services.words("  Fach_tag 50% a  ") == ["fach_tag", "50"]
    assert services.clean_query("a\x00b\n  c") == "a b c"


def test_events_are_found_whatever_the_case_of_any_alphabet(app_ctx, found):
    """SQLite's own lower() knows only A-Z: "über" must find "Über", "şükrü" "ŞÜKRÜ"."""
    mirjam = db.session.get(User, found.people["mirjam"].id)
    event("Über die Anerkennung", date.today(), mirjam)
    event("ŞÜKRÜ erzählt", date.today(), mirjam, location="Ölmühle Ärzte")
    assert services.search_events(services.words("über")).count == 1
    assert services.search_events(services.words("şükrü")).count == 1
    assert services.search_events(services.words("ölmühle ärzte")).count == 1
