"""The directory in a real browser: live search, filters, forms, import, exports, axe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import vobject
from playwright.sync_api import Page, expect

from e2e.conftest import check_axe, no_horizontal_scroll, sign_in

pytestmark = pytest.mark.e2e


def results(page: Page):
    return page.locator("#results")


def test_live_search_and_filters(page: Page):
    sign_in(page, "staff")
    page.goto("/directory/")
    with page.expect_request(lambda r: "q=cari" in r.url and r.headers.get("hx-request") == "true"):
        page.locator("#q").press_sequentially("cari", delay=40)
    expect(page).to_have_url(re.compile(r"/directory/\?.*q=cari"))
    expect(results(page)).to_contain_text("Caritas")
    expect(results(page)).not_to_contain_text("job-com")
    expect(page.locator("#result-status")).to_contain_text("gefunden")
    check_axe(page)
    page.locator(".search-filters summary").click()
    page.select_option("#focus", label="Psychosoziale Beratung")
    page.select_option("#municipality", "Nideggen")
    expect(page).to_have_url(re.compile(r"municipality=Nideggen"))
    expect(results(page)).to_contain_text("Psychosoziale Beratung")
    hits = results(page).locator(".hit").all_inner_texts()
    assert hits and all("Caritas" in hit for hit in hits)
    check_axe(page)
    # The back button restores the list before the filters, from the server.
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"municipality=Nideggen"))


def test_search_folds_umlauts_and_spelling(page: Page):
    sign_in(page, "staff")
    page.goto("/directory/?q=Dueren+Bismarckstrasse")
    expect(results(page)).to_contain_text("Kommunales Integrationszentrum")


def test_create_with_an_error_then_edit(page: Page):
    sign_in(page, "organiser")
    page.goto("/directory/organisations/new")
    page.fill("#name", "Beratungsstelle am Markt")
    page.select_option("#kind", "counselling")
    page.fill("#postal_code", "5235")
    page.fill("#email", "kein-at-zeichen")
    page.get_by_label("Titz").check()
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#postal_code-error")).to_be_visible()
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator("#name")).to_have_value("Beratungsstelle am Markt")
    expect(page.get_by_label("Titz")).to_be_checked()
    check_axe(page)
    page.fill("#postal_code", "52445")
    page.fill("#email", "info@markt.example")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("h1")).to_contain_text("Beratungsstelle am Markt")
    page.get_by_role("link", name="Bearbeiten").click()
    page.fill("#town", "Titz")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#history-heading")).to_be_visible()
    expect(page.locator(".history")).to_contain_text("Titz")
    check_axe(page)


CSV = (
    "Organisation;Name;Funktion;E-Mail;Telefon\r\n"
    "Diakonisches Werk Jülich;Pia Neumann;Migrationsberatung;p.neumann@diakonie-jl.example;"
    "02461 555-31\r\n"
    "Diakonisches Werk Jülich;Ohne Mail;;kaputt@;\r\n"
).encode("cp1252")


def test_import_preview_and_confirm(page: Page, tmp_path):
    sign_in(page, "staff")
    page.goto("/directory/import")
    check_axe(page)
    path = tmp_path / "liste.csv"
    path.write_bytes(CSV)
    page.set_input_files("#file", str(path))
    page.get_by_role("button", name=re.compile("Vorschau")).click()
    expect(page.locator("table")).to_contain_text("Pia Neumann")
    expect(page.locator("table")).to_contain_text("nicht importiert")
    check_axe(page)
    page.get_by_role("button", name=re.compile("importieren", re.I)).click()
    expect(page.locator("#flash")).to_contain_text("Import abgeschlossen: 2 neu")
    page.goto("/directory/?q=neumann")
    expect(results(page)).to_contain_text("Pia Neumann")


def test_exports_download(page: Page):
    sign_in(page, "staff")
    page.goto("/directory/?q=cari")
    with page.expect_download() as info:
        page.get_by_role("link", name="Adressbuch (vCard)").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    cards = list(vobject.readComponents(text))
    assert cards and all("Caritas" in card.org.value[0] for card in cards if hasattr(card, "org"))
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (CSV)").click()
    assert Path(info.value.path()).read_bytes().startswith(b"\xef\xbb\xbf")


def test_keyboard_only(page: Page):
    sign_in(page, "staff")
    page.goto("/directory/")
    page.locator("#q").focus()
    page.keyboard.type("diakonie")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=diakonie"))
    expect(page.locator("#result-count")).not_to_contain_text("Mehr als")
    first = results(page).locator(".hit__title a").first
    name = first.inner_text()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.hit__title') !== null"):
            break
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(name.split(" (")[0])


@pytest.mark.parametrize("lang", ["de", "en"])
def test_axe_on_directory_pages(page: Page, lang: str):
    page.goto(f"/login?lang={lang}")
    sign_in(page, "admin")
    for url in (
        "/directory/",
        "/directory/?q=caritas",
        "/directory/?needs_check=y",
        "/directory/?archived=y",
        "/directory/organisations/new",
        "/directory/contacts/new",
        "/directory/focus-areas",
        "/directory/import",
    ):
        page.goto(url)
        check_axe(page)
    page.goto("/directory/?q=caritas&show=organisations")
    results(page).locator(".hit__title a").first.click()
    check_axe(page)
    page.locator(".hits .hit__title a").first.click()
    check_axe(page)
    page.get_by_role("link", name=re.compile("endgültig|for good", re.IGNORECASE)).click()
    check_axe(page)


def test_no_horizontal_scroll_at_320_px(page: Page):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, "staff")
    for url in ("/directory/?q=caritas", "/directory/organisations/new", "/directory/import"):
        page.goto(url)
        assert no_horizontal_scroll(page), url
    page.goto("/directory/?q=caritas&show=organisations")
    results(page).locator(".hit__title a").first.click()
    page.wait_for_url(re.compile(r"/directory/organisations/\d+$"))
    page.wait_for_load_state("load")
    assert no_horizontal_scroll(page), page.url


def test_search_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server, locale="de-DE")
    page = context.new_page()
    sign_in(page, "staff")
    page.goto("/directory/")
    page.fill("#q", "caritas")
    page.locator(".search-filters summary").click()
    page.select_option("#municipality", "Nideggen")
    page.get_by_role("button", name="Suchen", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=caritas.*municipality=Nideggen"))
    expect(results(page)).to_contain_text("Caritas")
    context.close()
