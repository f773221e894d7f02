"""Every endpoint against every role, CSRF on every state-changing route, headers everywhere.

A new endpoint that is missing from ACCESS fails ``test_every_endpoint_is_in_the_matrix``.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token

# endpoint -> (method, url, {role: expected status}); "{user}" is replaced by a user's id.
A, S, AD = "anonymous", "staff", "admin"
LOGIN = 302  # anonymous users are sent to the login page
ACCESS: dict[str, tuple[str, str, dict[str, int]]] = {
    "static": ("GET", "/static/css/app.css", {A: 200, S: 200, AD: 200}),
    "auth.login": ("GET", "/login", {A: 200, S: 302, AD: 302}),
    "auth.logout": ("POST", "/logout", {A: LOGIN, S: 302, AD: 302}),
    "auth.account": ("GET", "/account/", {A: LOGIN, S: 200, AD: 200}),
    "auth.change_password": ("POST", "/account/password", {A: LOGIN, S: 422, AD: 422}),
    "auth.change_language": ("POST", "/account/language", {A: LOGIN, S: 422, AD: 422}),
    "pages.index": ("GET", "/", {A: LOGIN, S: 200, AD: 200}),
    "pages.accessibility": ("GET", "/accessibility", {A: 200, S: 200, AD: 200}),
    "pages.accessibility_feedback": ("POST", "/accessibility", {A: 422, S: 422, AD: 422}),
    "pages.health": ("GET", "/health", {A: 200, S: 200, AD: 200}),
    "pages.privacy": ("GET", "/privacy", {A: 200, S: 200, AD: 200}),
    "pages.imprint": ("GET", "/imprint", {A: 200, S: 200, AD: 200}),
    "directory.index": ("GET", "/directory/", {A: LOGIN, S: 200, AD: 200}),
    "directory.organisation": (
        "GET",
        "/directory/organisations/{org}",
        {A: LOGIN, S: 200, AD: 200},
    ),
    "directory.contact": ("GET", "/directory/contacts/{contact}", {A: LOGIN, S: 200, AD: 200}),
    "directory.organisation_new": (
        "GET",
        "/directory/organisations/new",
        {A: LOGIN, S: 200, AD: 200},
    ),
    "directory.organisation_edit": (
        "GET",
        "/directory/organisations/{org}/edit",
        {A: LOGIN, S: 200, AD: 200},
    ),
    "directory.contact_new": ("GET", "/directory/contacts/new", {A: LOGIN, S: 200, AD: 200}),
    "directory.contact_edit": (
        "GET",
        "/directory/contacts/{contact}/edit",
        {A: LOGIN, S: 200, AD: 200},
    ),
    "directory.verify": (
        "POST",
        "/directory/contacts/{contact}/verify",
        {A: LOGIN, S: 302, AD: 302},
    ),
    "directory.archive": (
        "POST",
        "/directory/contacts/{contact}/archive",
        {A: LOGIN, S: 302, AD: 302},
    ),
    "directory.restore": (
        "POST",
        "/directory/contacts/{contact}/restore",
        {A: LOGIN, S: 302, AD: 302},
    ),
    "directory.delete": (
        "GET",
        "/directory/contacts/{contact}/delete",
        {A: LOGIN, S: 403, AD: 200},
    ),
    "directory.export_vcf": ("GET", "/directory/export.vcf", {A: LOGIN, S: 200, AD: 200}),
    "directory.export_csv": ("GET", "/directory/export.csv", {A: LOGIN, S: 200, AD: 200}),
    "directory.import_upload": ("GET", "/directory/import", {A: LOGIN, S: 200, AD: 200}),
    "directory.import_confirm": ("POST", "/directory/import/confirm", {A: LOGIN, S: 302, AD: 302}),
    "directory.focus_areas": ("GET", "/directory/focus-areas", {A: LOGIN, S: 200, AD: 200}),
    "consultations.index": ("GET", "/consultations/", {A: 200, S: 200, AD: 200}),
    "consultations.embed": ("GET", "/consultations/embed", {A: 200, S: 200, AD: 200}),
    "consultations.location": (
        "GET",
        "/consultations/locations/{location}",
        {A: 200, S: 200, AD: 200},
    ),
    "consultations.poster": ("GET", "/consultations/print", {A: 200, S: 200, AD: 200}),
    "consultations.ics": ("GET", "/consultations.ics", {A: 200, S: 200, AD: 200}),
    "api.consultations": ("GET", "/api/v1/consultations", {A: 200, S: 200, AD: 200}),
    "api.openapi": ("GET", "/api/v1/openapi.json", {A: 200, S: 200, AD: 200}),
    "consultations.manage": ("GET", "/consultations/manage/", {A: LOGIN, S: 200, AD: 200}),
    "consultations.location_edit": (
        "GET",
        "/consultations/manage/locations/{location}",
        {A: LOGIN, S: 200, AD: 200},
    ),
    "consultations.offer_edit": (
        "GET",
        "/consultations/manage/offers/{offer}",
        {A: LOGIN, S: 200, AD: 200},
    ),
    "consultations.exception_new": (
        "GET",
        "/consultations/manage/offers/{offer}/exceptions",
        {A: LOGIN, S: 200, AD: 200},
    ),
    "consultations.exception_delete": (
        "POST",
        "/consultations/manage/exceptions/{exception}/delete",
        {A: LOGIN, S: 302, AD: 302},
    ),
    "consultations.offer_delete": (
        "POST",
        "/consultations/manage/offers/{other_offer}/delete",
        {A: LOGIN, S: 302, AD: 302},
    ),
    "meetings.index": ("GET", "/meetings/", {A: LOGIN, S: 200, AD: 200}),
    "meetings.body": ("GET", "/meetings/bodies/{body}", {A: LOGIN, S: 200, AD: 200}),
    "meetings.propose": ("POST", "/meetings/bodies/{body}/propose", {A: LOGIN, S: 422, AD: 422}),
    "meetings.members": ("POST", "/meetings/bodies/{body}/members", {A: LOGIN, S: 403, AD: 422}),
    "meetings.series_new": (
        "GET",
        "/meetings/bodies/{body}/series/new",
        {A: LOGIN, S: 403, AD: 200},
    ),
    "meetings.meeting_new": (
        "GET",
        "/meetings/bodies/{body}/meetings/new",
        {A: LOGIN, S: 403, AD: 200},
    ),
    "meetings.meeting_edit": ("GET", "/meetings/{meeting}/edit", {A: LOGIN, S: 403, AD: 200}),
    "meetings.meeting_cancel": (
        "POST",
        "/meetings/{other_meeting}/cancel",
        {A: LOGIN, S: 403, AD: 302},
    ),
    "meetings.meeting_restore": (
        "POST",
        "/meetings/{other_meeting}/restore",
        {A: LOGIN, S: 403, AD: 302},
    ),
    "meetings.agenda": ("GET", "/meetings/{meeting}", {A: LOGIN, S: 200, AD: 200}),
    "meetings.ics": ("GET", "/meetings/{meeting}.ics", {A: LOGIN, S: 200, AD: 200}),
    "meetings.agenda_print": ("GET", "/meetings/{meeting}/print", {A: LOGIN, S: 200, AD: 200}),
    "meetings.publish": ("POST", "/meetings/{meeting}/publish", {A: LOGIN, S: 403, AD: 302}),
    "meetings.item_new": ("POST", "/meetings/{meeting}/items", {A: LOGIN, S: 403, AD: 422}),
    "meetings.item_edit": ("GET", "/meetings/items/{item}/edit", {A: LOGIN, S: 403, AD: 200}),
    "meetings.item_move": ("POST", "/meetings/items/{item}/move", {A: LOGIN, S: 403, AD: 400}),
    "meetings.item_take": (
        "POST",
        "/meetings/items/{backlog_item}/take",
        {A: LOGIN, S: 403, AD: 404},
    ),
    "meetings.item_backlog": (
        "POST",
        "/meetings/items/{other_item}/backlog",
        {A: LOGIN, S: 403, AD: 302},
    ),
    "meetings.item_delete": (
        "POST",
        "/meetings/items/{other_item}/delete",
        {A: LOGIN, S: 403, AD: 302},
    ),
    "meetings.guests": ("GET", "/meetings/{meeting}/guests", {A: LOGIN, S: 403, AD: 200}),
    "meetings.guest_add": ("POST", "/meetings/{meeting}/guests", {A: LOGIN, S: 403, AD: 404}),
    "meetings.guest_delete": (
        "POST",
        "/meetings/guests/{guest}/delete",
        {A: LOGIN, S: 403, AD: 302},
    ),
    "meetings.minutes": ("GET", "/meetings/{meeting}/minutes", {A: LOGIN, S: 200, AD: 200}),
    "meetings.notes": ("POST", "/meetings/items/{item}/notes", {A: LOGIN, S: 403, AD: 422}),
    "meetings.outcome_new": (
        "POST",
        "/meetings/items/{item}/outcomes",
        {A: LOGIN, S: 403, AD: 422},
    ),
    "meetings.outcome_status": (
        "POST",
        "/meetings/outcomes/{outcome}/status",
        {A: LOGIN, S: 403, AD: 302},
    ),
    "meetings.outcome_delete": (
        "POST",
        "/meetings/outcomes/{outcome}/delete",
        {A: LOGIN, S: 403, AD: 302},
    ),
    "meetings.attendance": ("POST", "/meetings/{meeting}/attendance", {A: LOGIN, S: 403, AD: 302}),
    "meetings.minutes_state": (
        "POST",
        "/meetings/{meeting}/minutes/approve",
        {A: LOGIN, S: 403, AD: 302},
    ),
    "meetings.minutes_reopen": (
        "POST",
        "/meetings/{meeting}/minutes/reopen",
        {A: LOGIN, S: 403, AD: 422},
    ),
    "meetings.minutes_print": (
        "GET",
        "/meetings/{meeting}/minutes/print",
        {A: LOGIN, S: 200, AD: 200},
    ),
    "meetings.history": ("GET", "/meetings/items/{item}/history", {A: LOGIN, S: 200, AD: 200}),
    "meetings.tasks": ("GET", "/meetings/tasks", {A: LOGIN, S: 200, AD: 200}),
    "meetings.needs": ("GET", "/meetings/needs", {A: LOGIN, S: 200, AD: 200}),
    "meetings.need_new": ("GET", "/meetings/needs/new", {A: LOGIN, S: 200, AD: 200}),
    "meetings.need": ("GET", "/meetings/needs/{need}", {A: LOGIN, S: 200, AD: 200}),
    "meetings.search": ("GET", "/meetings/search?q=Wohnraum", {A: LOGIN, S: 200, AD: 200}),
    "search.index": ("GET", "/search?q=Wohnraum", {A: LOGIN, S: 200, AD: 200}),
    "calendar.index": ("GET", "/calendar/", {A: LOGIN, S: 200, AD: 200}),
    "calendar.event_edit": ("GET", "/calendar/events/{event}/edit", {A: LOGIN, S: 403, AD: 200}),
    "calendar.event": ("GET", "/calendar/events/{event}", {A: LOGIN, S: 200, AD: 200}),
    "calendar.rule_preview": (
        "GET",
        "/calendar/events/preview?start_date=2027-01-07&all_day=y&frequency=weekly",
        {A: LOGIN, S: 200, AD: 200},
    ),
    "calendar.event_ics": ("GET", "/calendar/events/{event}.ics", {A: LOGIN, S: 200, AD: 200}),
    "calendar.occurrence": (
        "GET",
        "/calendar/events/{event}/dates/{event_date}",
        {A: LOGIN, S: 403, AD: 200},
    ),
    "calendar.event_delete": (
        "POST",
        "/calendar/events/{other_event}/delete",
        {A: LOGIN, S: 403, AD: 302},
    ),
    "calendar.public_ics": ("GET", "/calendar.ics", {A: 200, S: 200, AD: 200}),
    "calendar.private_ics": ("GET", "/calendar/feed/{token}.ics", {A: 200, S: 200, AD: 200}),
    "calendar.subscribe": ("GET", "/calendar/subscribe", {A: LOGIN, S: 200, AD: 200}),
    "calendar.import_upload": ("GET", "/calendar/import", {A: LOGIN, S: 200, AD: 200}),
    "calendar.import_confirm": ("POST", "/calendar/import/confirm", {A: LOGIN, S: 302, AD: 302}),
    "admin.users": ("GET", "/admin/users/", {A: LOGIN, S: 403, AD: 200}),
    "admin.user_new": ("GET", "/admin/users/new", {A: LOGIN, S: 403, AD: 200}),
    "admin.user_edit": ("GET", "/admin/users/{user}", {A: LOGIN, S: 403, AD: 200}),
    "admin.user_update": ("POST", "/admin/users/{user}", {A: LOGIN, S: 403, AD: 422}),
    "admin.user_password": ("POST", "/admin/users/{user}/password", {A: LOGIN, S: 403, AD: 422}),
    "admin.sign_ins": ("GET", "/admin/sign-ins", {A: LOGIN, S: 403, AD: 200}),
    "admin.feedback": ("GET", "/admin/feedback", {A: LOGIN, S: 403, AD: 200}),
}
# Endpoints whose GET shows a form (or a confirmation) and whose POST changes state.
FORMS_SHOWN_BY_GET = {
    "consultations.location_edit",
    "consultations.offer_edit",
    "consultations.exception_new",
    "admin.user_new",
    "directory.organisation_new",
    "directory.organisation_edit",
    "directory.contact_new",
    "directory.contact_edit",
    "directory.delete",
    "directory.import_upload",
    "directory.focus_areas",
    "meetings.series_new",
    "meetings.meeting_new",
    "meetings.meeting_edit",
    "meetings.item_edit",
    "meetings.need_new",
    "meetings.need",
    "calendar.event_edit",
    "calendar.event_delete",
    "calendar.occurrence",
    "calendar.subscribe",
    "calendar.import_upload",
}
# Routes that change state: everything but GET/HEAD/OPTIONS.
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def rules(app):
    return list(app.url_map.iter_rules())


def test_every_endpoint_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in rules(app)}
    assert endpoints - set(ACCESS) == set(), "add new endpoints to ACCESS"
    assert set(ACCESS) - endpoints == set(), "remove old endpoints from ACCESS"


def test_no_state_change_on_get(app):
    """A route that changes state must not also answer GET (except forms shown by GET)."""
    for rule in rules(app):
        method, _url, _roles = ACCESS[rule.endpoint]
        if method in UNSAFE:
            assert "GET" not in rule.methods or rule.endpoint in FORMS_SHOWN_BY_GET, rule


def fill(url: str, ids: dict) -> str:
    for key, value in ids.items():
        url = url.replace("{" + key + "}", str(value))
    return url


@pytest.fixture
def ids(app, make_user):
    """Ids for the URL placeholders: a user, an organisation and a contact person."""
    from kimweb.directory import services

    target = make_user("zielperson")
    with app.app_context():
        from kimweb.auth.models import User
        from kimweb.extensions import db

        owner = db.session.get(User, target.id)
        org = services.save_organisation(None, {"name": "Testträger", "kind": "provider"}, owner)
        person = services.save_contact(
            None, {"organisation_id": org.id, "name": "Test Person"}, owner
        )
        return {
            "user": target.id,
            "org": org.id,
            "contact": person.id,
            **timetable_ids(org.id),
            **meeting_ids(owner, person),
            **calendar_ids(owner),
        }


def timetable_ids(org_id: int) -> dict[str, int]:
    """A place, two offers (one to delete) with a weekly slot, and an exception."""
    from datetime import date, time, timedelta

    from kimweb.consultations import services as timetable

    place = timetable.save_location(None, {"name": "Rathaus", "municipality": "Jülich"})
    slot = {
        "location_id": place.id,
        "weekday": 0,
        "start_time": time(10),
        "end_time": time(12),
        "valid_from": None,
        "valid_until": None,
        "weeks": [],
    }
    offer = timetable.save_offer(None, {"organisation_id": org_id, "title": "Sprechstunde"}, [slot])
    other = timetable.save_offer(None, {"organisation_id": org_id, "title": "Alt"}, [slot])
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    exception = timetable.save_exception(offer.slots[0], monday, True, "Urlaub")
    return {
        "location": place.id,
        "offer": offer.id,
        "other_offer": other.id,
        "exception": exception.id,
    }


def meeting_ids(owner, contact) -> dict[str, int]:
    """The open Jour fixe with a published meeting (circulated minutes), its items, a guest,
    a task, a topic in the backlog and a need. The signed-in staff user is no member."""
    from datetime import timedelta

    from kimweb.meetings import services as meetings

    jour_fixe = meetings.ensure_bodies()[0]
    start = meetings.now_in_berlin().replace(microsecond=0) + timedelta(days=7)
    meeting = meetings.create_meeting(jour_fixe, start, start + timedelta(hours=2), "KI")
    later = start + timedelta(days=14)
    other = meetings.create_meeting(jour_fixe, later, later + timedelta(hours=2), None)
    item = meetings.add_item(meeting, owner, {"title": "Wohnraum in Jülich"})
    other_item = meetings.add_item(meeting, owner, {"title": "Zu verschieben"})
    backlog = meetings.propose_topic(jour_fixe, owner, {"title": "Später"})
    meetings.invite_contact(meeting, contact, None)
    task = meetings.add_outcome(
        item, {"kind": "task", "text": "Klären", "assignee_id": owner.id}, owner
    )
    meetings.save_notes(item, 0, "Erste Notizen", owner)
    meetings.publish(meeting)
    meetings.change_minutes_state(meeting, "circulate", owner)
    need = meetings.raise_need(
        {"title": "Mehr Sprachkurse", "description": "Fehlen"}, jour_fixe, owner
    )
    return {
        "body": jour_fixe.id,
        "meeting": meeting.id,
        "other_meeting": other.id,
        "item": item.id,
        "other_item": other_item.id,
        "backlog_item": backlog.id,
        "guest": meeting.guests[0].id,
        "outcome": task.id,
        "need": need.id,
    }


def calendar_ids(owner) -> dict[str, int | str]:
    """A weekly series and a single event of another user, and that user's feed token."""
    from datetime import date, time, timedelta

    from kimweb.calendar import services as calendar

    monday = date.today() + timedelta(days=7 - date.today().weekday())
    data = {"title": "Fortbildung", "category": "training", "is_public": True}
    series = calendar.save_event(
        None, data, (monday, time(10), monday, time(12)), "FREQ=WEEKLY;COUNT=5", owner
    )
    single = calendar.save_event(None, data, (monday, None, monday, None), None, owner)
    return {
        "event": series.id,
        "event_date": monday.isoformat(),
        "other_event": single.id,
        "token": calendar.feed_token(owner),
    }


def _as(role, client, login_as):
    if role != A:
        return login_as("admin" if role == AD else "staff")
    return None


@pytest.mark.parametrize("role", [A, S, AD])
def test_access_matrix(app, client, login_as, ids, role):
    _as(role, client, login_as)
    token = csrf_token(client, "/accessibility")
    failures = []
    for endpoint, (method, url, expected) in ACCESS.items():
        url = fill(url, ids)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.open(url, method=method, data={"csrf_token": token})
        if endpoint == "auth.logout" and role != A:
            _as(role, client, login_as)  # signed out: sign in again for the rest
            token = csrf_token(client, "/accessibility")
        if response.status_code != expected[role]:
            failures.append(f"{method} {url}: {response.status_code} != {expected[role]}")
        if expected[role] == LOGIN and role == A and method == "GET" and endpoint != "auth.login":
            assert response.location.startswith("/login?next="), url
    assert failures == []


def test_every_state_changing_route_needs_csrf(app, client, login_as, ids):
    login_as("admin")
    checked = 0
    for rule in rules(app):
        for method in rule.methods & UNSAFE:
            url = fill(ACCESS[rule.endpoint][1], ids)
            response = client.open(url, method=method, data={"username": "x"})
            assert response.status_code == 400, f"{method} {url} without CSRF token"
            checked += 1
    assert checked >= 6


def test_htmx_requests_carry_csrf_in_header(app, client, login_as):
    login_as("staff")
    token = csrf_token(client, "/account/")
    response = client.post(
        "/account/language",
        data={"language": "en"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 302


SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@pytest.mark.parametrize("role", [A, AD])
def test_security_headers_on_every_route(app, client, login_as, ids, role):
    _as(role, client, login_as)
    urls = [fill(url, ids) for _m, url, _r in ACCESS.values()]
    for url in [*urls, "/does-not-exist"]:
        response = client.get(url)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (url, name)
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
        assert "Strict-Transport-Security" not in response.headers
        if role == AD and not url.startswith("/static/"):
            assert response.headers.get("Cache-Control") == "no-store", url


def test_pages_have_no_inline_scripts_or_styles(app, client, login_as, ids):
    login_as("admin")
    for _method, url, _roles in ACCESS.values():
        if url.startswith("/static"):
            continue
        html = client.get(fill(url, ids)).get_data(as_text=True)
        # Only data blocks (JSON-LD) may stand inline; they are not executed.
        inline = r'<script(?![^>]*\b(src=|type="application/ld\+json"))[^>]*>'
        assert not re.search(inline, html), url
        assert "<style" not in html and " style=" not in html and "hx-on" not in html, url
