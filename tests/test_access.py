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
    "pages.privacy": ("GET", "/privacy", {A: 200, S: 200, AD: 200}),
    "pages.imprint": ("GET", "/imprint", {A: 200, S: 200, AD: 200}),
    "pages.calendar": ("GET", "/calendar/", {A: LOGIN, S: 200, AD: 200}),
    "pages.meetings": ("GET", "/meetings/", {A: LOGIN, S: 200, AD: 200}),
    "pages.directory": ("GET", "/directory/", {A: LOGIN, S: 200, AD: 200}),
    "pages.consultations": ("GET", "/consultations/", {A: 200, S: 200, AD: 200}),
    "admin.users": ("GET", "/admin/users/", {A: LOGIN, S: 403, AD: 200}),
    "admin.user_new": ("GET", "/admin/users/new", {A: LOGIN, S: 403, AD: 200}),
    "admin.user_edit": ("GET", "/admin/users/{user}", {A: LOGIN, S: 403, AD: 200}),
    "admin.user_update": ("POST", "/admin/users/{user}", {A: LOGIN, S: 403, AD: 422}),
    "admin.user_password": ("POST", "/admin/users/{user}/password", {A: LOGIN, S: 403, AD: 422}),
    "admin.sign_ins": ("GET", "/admin/sign-ins", {A: LOGIN, S: 403, AD: 200}),
    "admin.feedback": ("GET", "/admin/feedback", {A: LOGIN, S: 403, AD: 200}),
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
            assert "GET" not in rule.methods or rule.endpoint in {"admin.user_new"}, rule


def _as(role, client, login_as):
    if role != A:
        return login_as("admin" if role == AD else "staff")
    return None


@pytest.mark.parametrize("role", [A, S, AD])
def test_access_matrix(app, client, login_as, make_user, role):
    _as(role, client, login_as)
    target = make_user("zielperson")
    token = csrf_token(client, "/accessibility")
    failures = []
    for endpoint, (method, url, expected) in ACCESS.items():
        url = url.replace("{user}", str(target.id))
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


def test_every_state_changing_route_needs_csrf(app, client, login_as, make_user):
    login_as("admin")
    target = make_user("zielperson")
    checked = 0
    for rule in rules(app):
        for method in rule.methods & UNSAFE:
            url = ACCESS[rule.endpoint][1].replace("{user}", str(target.id))
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
def test_security_headers_on_every_route(app, client, login_as, make_user, role):
    _as(role, client, login_as)
    target = make_user("zielperson")
    urls = [url.replace("{user}", str(target.id)) for _m, url, _r in ACCESS.values()]
    for url in [*urls, "/does-not-exist"]:
        response = client.get(url)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (url, name)
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
        assert "Strict-Transport-Security" not in response.headers
        if role == AD and not url.startswith("/static/"):
            assert response.headers.get("Cache-Control") == "no-store", url


def test_pages_have_no_inline_scripts_or_styles(app, client, login_as, make_user):
    login_as("admin")
    target = make_user("zielperson")
    for _method, url, _roles in ACCESS.values():
        if url.startswith("/static"):
            continue
        html = client.get(url.replace("{user}", str(target.id))).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html and " style=" not in html and "hx-on" not in html, url
