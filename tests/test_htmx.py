"""render_page: the whole page, or one block for htmx; error answers in the layout."""

from __future__ import annotations

import json
import re

from kimweb import HTMX_CONFIG


def test_full_page_and_fragment(client, login_as):
    login_as("admin")
    full = client.get("/admin/users/")
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    assert "HX-Request" in full.headers["Vary"]
    fragment = client.get("/admin/users/", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert "<html" not in html and html.lstrip().startswith('<div id="results"')
    assert "HX-Request" in fragment.headers["Vary"]


def test_boosted_and_history_restore_get_the_whole_page(client, login_as):
    login_as("admin")
    for extra in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
        html = client.get("/admin/users/", headers={"HX-Request": "true", **extra}).get_data(
            as_text=True
        )
        assert "<html" in html, extra


def test_htmx_config_meta(client):
    html = client.get("/login").get_data(as_text=True)
    match = re.search(r'<meta name="htmx-config" content="([^"]+)">', html)
    config = json.loads(match.group(1).replace("&#34;", '"'))
    assert config == HTMX_CONFIG
    assert config["allowEval"] is False and config["includeIndicatorStyles"] is False
    assert config["selfRequestsOnly"] is True and config["historyCacheSize"] == 0
    swapped = {rule["code"] for rule in config["responseHandling"] if rule["swap"]}
    assert {"409", "422"} <= swapped


def test_csrf_token_travels_in_htmx_header(client, login_as):
    assert "hx-headers" not in client.get("/login").get_data(as_text=True)  # nothing to send
    login_as("staff")
    html = client.get("/account/").get_data(as_text=True)
    assert re.search(r"hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'", html)


def test_htmx_form_error_is_answered_with_the_fragment(client):
    html = client.get("/accessibility").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(
        "/accessibility",
        data={"message": "", "name": "Kim", "email": "nicht-gueltig"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert body.lstrip().startswith('<section id="feedback"')
    assert 'value="Kim"' in body and 'value="nicht-gueltig"' in body
    assert 'id="message-error"' in body and 'id="email-error"' in body


def test_error_pages_in_layout_and_translated(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.get_data(as_text=True)
    english = client.get("/nope?lang=en").get_data(as_text=True)
    assert "Page not found" in english and '<nav class="site-nav"' in english


def test_error_fragment_for_htmx(client):
    response = client.get("/nope", headers={"HX-Request": "true"})
    assert response.status_code == 404 and "<html" not in response.get_data(as_text=True)


def test_staff_is_forbidden_admin_pages(client, login_as):
    login_as("staff")
    response = client.get("/admin/users/")
    assert response.status_code == 403
    assert "<html" in response.get_data(as_text=True)


def test_unexpected_error_gives_the_translated_500_page(database_url):
    from kimweb import create_app
    from kimweb.config import TestConfig

    app = create_app(TestConfig(database_url))
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaputt")

    response = app.test_client().get("/boom?lang=de")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Ein Fehler ist aufgetreten" in html and '<nav class="site-nav"' in html
    assert "kaputt" not in html and "Traceback" not in html
