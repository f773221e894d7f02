"""Languages: how one is chosen, right-to-left, and complete catalogs."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from kimweb.i18n import LANGUAGES, RTL_LANGUAGES
from tests.conftest import ROOT, csrf_token, login

CATALOGS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalog(code: str):
    with open(CATALOGS / code / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=code)


def test_default_is_german(client):
    assert '<html lang="de" dir="ltr">' in client.get("/login").get_data(as_text=True)


def test_accept_language(client):
    html = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(
        as_text=True
    )
    assert '<html lang="en" dir="ltr">' in html and "Sign in" in html


def test_lang_parameter_is_remembered(client):
    assert '<html lang="ar" dir="rtl">' in client.get("/login?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in client.get("/privacy").get_data(as_text=True)
    client.get("/login?lang=en")
    assert '<html lang="en" dir="ltr">' in client.get("/privacy").get_data(as_text=True)


def test_unknown_lang_is_ignored(client):
    assert '<html lang="de"' in client.get("/login?lang=xx").get_data(as_text=True)


def test_user_preference_beats_accept_language(client, make_user):
    make_user("emma")
    login(client, "emma")
    client.post(
        "/account/language", data={"language": "en", "csrf_token": csrf_token(client, "/account/")}
    )
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    # A fresh browser: the preference applies after signing in.
    fresh = client.application.test_client()
    login(fresh, "emma")
    html = fresh.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en"' in html


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_every_language_renders_with_direction(client, code):
    html = client.get(f"/accessibility?lang={code}").get_data(as_text=True)
    direction = "rtl" if code in RTL_LANGUAGES else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in html


@pytest.mark.parametrize("code", ["de", "en"])
def test_staff_catalogs_are_complete(code):
    problems = [
        m.id for m in catalog(code) if m.id and (not m.string or m.fuzzy or not all(m.string))
    ]
    assert problems == [], f"untranslated or fuzzy in {code}: {problems[:10]}"


def layout_msgids() -> set[str]:
    """The msgids used by the layout itself (base.html and the form/page macros)."""
    ids = set()
    for name in ("base.html", "_forms.html", "_pagination.html", "errors/error.html"):
        text = (ROOT / "kimweb" / "templates" / name).read_text()
        ids |= set(re.findall(r"_\('([^']+)'", text))
    return ids


@pytest.mark.parametrize("code", sorted(set(LANGUAGES) - {"de", "en"}))
def test_layout_is_translated_in_every_language(code):
    translated = {m.id: m.string for m in catalog(code) if m.id}
    missing = [i for i in layout_msgids() if not translated.get(i)]
    assert missing == []


def placeholders(text: str | tuple) -> set[str]:
    texts = text if isinstance(text, tuple) else (text,)
    return {p for t in texts if t for p in PLACEHOLDER.findall(t)}


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_placeholders_match(code):
    wrong = [
        m.id
        for m in catalog(code)
        if m.id
        and any(m.string if isinstance(m.string, tuple) else [m.string])
        and placeholders(m.id) != placeholders(m.string)
    ]
    assert wrong == []


def test_catalogs_match_the_template():
    """Every msgid in the code is in the catalogs (run `make i18n-update` after changes)."""
    with open(CATALOGS / "messages.pot", "rb") as f:
        template_ids = {m.id for m in read_po(f) if m.id}
    for code in LANGUAGES:
        assert template_ids <= {m.id for m in catalog(code) if m.id}, code
