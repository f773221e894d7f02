"""Signing in and out through the web: cookies, session limits, throttling, htmx."""

from __future__ import annotations

import pytest

from kimweb.auth.models import User
from kimweb.extensions import db
from tests.conftest import PASSWORD, csrf_token, login


def test_login_page_is_german_by_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="de" dir="ltr">' in html
    assert 'name="username"' in html and 'name="password"' in html


def test_sign_in_and_out(client, make_user):
    make_user("lena")
    response = login(client, "lena")
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").status_code == 200
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302 and response.location.startswith("/login")
    assert client.get("/").status_code == 302


def test_wrong_password_keeps_user_name_not_password(client, make_user):
    make_user("lena")
    response = login(client, "lena", "falsches passwort")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="lena"' in html
    assert "falsches passwort" not in html
    assert 'role="alert"' in html


def test_empty_form_names_each_field(client):
    response = client.post("/login", data={"csrf_token": csrf_token(client)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="username-error"' in html and 'id="password-error"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="username-error"' in html


def test_next_goes_to_local_pages_only(client, make_user):
    make_user("lena")
    token = csrf_token(client)
    data = {"username": "lena", "password": PASSWORD, "csrf_token": token}
    response = client.post("/login?next=/account/", data=data)
    assert response.location == "/account/"
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post(
            f"/login?next={evil}", data={**data, "csrf_token": csrf_token(client)}
        )
        assert response.location == "/", evil
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})


def _cookie(client):
    return client.get_cookie("kimweb_session").value


def test_cookie_replay_after_logout_fails(app, client, make_user):
    make_user("lena")
    login(client, "lena")
    stolen = _cookie(client)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    attacker = app.test_client()
    attacker.set_cookie("kimweb_session", stolen)
    response = attacker.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_password_change_ends_other_sessions_keeps_this_one(app, client, make_user):
    make_user("lena")
    other = app.test_client()
    login(other, "lena")
    login(client, "lena")
    old_cookie = _cookie(client)
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "ein ganz neues passwort",
            "confirm": "ein ganz neues passwort",
            "csrf_token": csrf_token(client, "/account/"),
        },
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this browser stays signed in
    assert other.get("/").status_code == 302  # the other session has ended
    replay = app.test_client()
    replay.set_cookie("kimweb_session", old_cookie)
    assert replay.get("/").status_code == 302


def test_password_change_errors(client, make_user):
    make_user("lena")
    login(client, "lena")
    token = csrf_token(client, "/account/")
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong",
            "new_password": "lena",
            "confirm": "x",
            "csrf_token": token,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="new_password-error"' in html and 'id="confirm-error"' in html


def test_deactivation_ends_sessions(app, client, make_user):
    user = make_user("lena")
    login(client, "lena")
    assert client.get("/").status_code == 200
    admin_client = app.test_client()
    admin = make_user("boss", role="admin")
    login(admin_client, admin.username)
    response = admin_client.post(
        f"/admin/users/{user.id}",
        data={
            "display_name": "Lena",
            "email": user.email,
            "role": "staff",
            "language": "de",
            "csrf_token": csrf_token(admin_client, f"/admin/users/{user.id}"),
        },
    )  # is_active unchecked
    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(("key", "age"), [("seen", 31 * 60), ("started", 12 * 3600 + 1)])
def test_idle_and_absolute_timeout(client, make_user, key, age):
    make_user("lena")
    login(client, "lena")
    with client.session_transaction() as session:
        session[key] -= age
    response = client.get("/account/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_expired_session_in_htmx_request_redirects_whole_page(client, make_user):
    make_user("lena")
    login(client, "lena")
    with client.session_transaction() as session:
        session["seen"] -= 31 * 60
    response = client.get(
        "/admin/users/",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/account/"},
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=/account/")
    assert b"<form" not in response.data


def test_sixth_failed_sign_in_gets_429_translated(client, make_user):
    make_user("lena")
    for _ in range(5):
        assert login(client, "lena", "wrong password!").status_code == 422
    response = login(client, "lena", PASSWORD)
    assert response.status_code == 429
    assert "Zu viele" in response.get_data(as_text=True) or "Too many" in response.get_data(
        as_text=True
    )
    english = client.post(
        "/login?lang=en",
        data={"username": "lena", "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert english.status_code == 429
    assert "Too many failed sign-ins" in english.get_data(as_text=True)


def test_last_login_is_recorded(app, client, make_user):
    user = make_user("lena")
    assert user.last_login_at is None
    login(client, "lena")
    with app.app_context():
        assert db.session.get(User, user.id).last_login_at is not None


def test_language_preference(client, make_user):
    make_user("lena")
    login(client, "lena")
    response = client.post(
        "/account/language", data={"language": "en", "csrf_token": csrf_token(client, "/account/")}
    )
    assert response.status_code == 302
    assert '<html lang="en"' in client.get("/").get_data(as_text=True)
    bad = client.post(
        "/account/language", data={"language": "xx", "csrf_token": csrf_token(client, "/account/")}
    )
    assert bad.status_code == 422
