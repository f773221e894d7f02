"""Public pages, the accessibility feedback and the admin's user management."""

from __future__ import annotations

import sqlalchemy as sa

from kimweb.auth.models import User
from kimweb.extensions import db
from kimweb.pages.models import AccessibilityFeedback
from tests.conftest import PASSWORD, csrf_token, login


def test_accessibility_statement_has_the_required_parts(client):
    html = client.get("/accessibility").get_data(as_text=True)
    for part in (
        "Stand der Vereinbarkeit",
        "Nicht barrierefreie Inhalte",
        "Erstellung dieser Erklärung",
        "Feedback",
        "Durchsetzungsverfahren",
        "ombudsstelle-barrierefreie-it@mags.nrw.de",
    ):
        assert part in html, part


def test_feedback_is_stored_and_admins_read_it(app, client, login_as):
    response = client.post(
        "/accessibility",
        data={
            "message": "Der Kontrast im Kalender ist zu schwach.",
            "email": "leser@example.org",
            "csrf_token": csrf_token(client, "/accessibility"),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.scalar(sa.select(AccessibilityFeedback))
        assert stored.email == "leser@example.org" and stored.language == "de"
    login_as("admin")
    assert "Kontrast im Kalender" in client.get("/admin/feedback").get_data(as_text=True)


def test_feedback_errors_keep_the_entry(client):
    long_text = "Barriere " * 700
    response = client.post(
        "/accessibility",
        data={
            "message": long_text,
            "email": "keine-adresse",
            "csrf_token": csrf_token(client, "/accessibility"),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="message-error"' in html and 'id="email-error"' in html
    assert "keine-adresse" in html and "Barriere Barriere" in html


def test_admin_creates_a_user_who_can_sign_in(app, client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "neu.kollegin",
            "display_name": "Neue Kollegin",
            "email": "neu@example.org",
            "role": "staff",
            "language": "de",
            "password": "willkommen im team",
            "is_active": "y",
            "csrf_token": csrf_token(client, "/admin/users/new"),
        },
    )
    assert response.status_code == 302
    other = app.test_client()
    assert login(other, "neu.kollegin", "willkommen im team").status_code == 302


def test_admin_create_errors_keep_input(client, login_as, make_user):
    login_as("admin")
    make_user("vergeben")
    response = client.post(
        "/admin/users/new",
        data={
            "username": "vergeben",
            "display_name": "Doppelt",
            "email": "nicht-gueltig",
            "role": "staff",
            "language": "de",
            "password": "vergeben",
            "csrf_token": csrf_token(client, "/admin/users/new"),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Doppelt"' in html and 'id="email-error"' in html
    assert 'id="password-error"' in html


def test_admin_reset_password_ends_sessions(app, client, login_as, make_user):
    target = make_user("vergesslich")
    victim = app.test_client()
    login(victim, "vergesslich")
    login_as("admin")
    response = client.post(
        f"/admin/users/{target.id}/password",
        data={"password": "ein neues passwort", "csrf_token": csrf_token(client, "/")},
    )
    assert response.status_code == 302
    assert victim.get("/").status_code == 302
    assert login(app.test_client(), "vergesslich", "ein neues passwort").status_code == 302
    assert login(app.test_client(), "vergesslich", PASSWORD).status_code == 422


def test_admin_cannot_demote_themselves(app, client, login_as):
    admin = login_as("admin")
    response = client.post(
        f"/admin/users/{admin.id}",
        data={
            "display_name": "Ich",
            "email": admin.email,
            "role": "staff",
            "language": "de",
            "is_active": "y",
            "csrf_token": csrf_token(client, "/"),
        },
    )
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(User, admin.id).is_admin


def test_sign_in_log_for_admins(client, login_as, make_user):
    make_user("protokolliert")
    login(client, "protokolliert", "falsches passwort")
    login_as("admin")
    html = client.get("/admin/sign-ins").get_data(as_text=True)
    assert "protokolliert" in html and "falsches passwort" not in html


def test_start_page_shows_what_needs_attention(app, client, login_as):
    from datetime import date, time, timedelta

    from kimweb.consultations import services as timetable
    from kimweb.directory import services as directory

    login_as("staff")
    assert "Every entry has been checked" in client.get("/?lang=en").get_data(as_text=True)
    with app.app_context():
        org = directory.save_organisation(None, {"name": "Alte Beratungsstelle"}, None)
        directory.mark_verified(org, None, today=date(2020, 1, 1))
        place = timetable.save_location(None, {"name": "Rathaus", "municipality": "Titz"})
        day = date.today() + timedelta(days=3)
        offer = timetable.save_offer(
            None,
            {"organisation_id": org.id, "title": "Sprechstunde Titz"},
            [
                {
                    "location_id": place.id,
                    "weekday": day.weekday(),
                    "start_time": time(9),
                    "end_time": time(10),
                    "valid_from": None,
                    "valid_until": None,
                    "weeks": [],
                }
            ],
        )
        timetable.save_exception(offer.slots[0], day, True, "Krankheit")
    html = client.get("/?lang=en").get_data(as_text=True)
    assert "1 entry has not been checked for a year." in html and "Alte Beratungsstelle" in html
    assert "Sprechstunde Titz" in html and "Krankheit" in html
