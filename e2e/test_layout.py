"""Sign-in, languages, keyboard, small screens and axe in a real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import check_axe, no_horizontal_scroll, sign_in

pytestmark = pytest.mark.e2e

STAFF_PAGES = ["/", "/account/", "/calendar/", "/meetings/", "/directory/"]
ADMIN_PAGES = ["/admin/users/", "/admin/users/new", "/admin/sign-ins", "/admin/feedback"]
PUBLIC_PAGES = ["/login", "/accessibility", "/privacy", "/imprint", "/consultations/"]


def test_sign_in_and_out(page: Page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_text("Anmelden")
    check_axe(page)
    page.fill("#username", "admin")
    page.fill("#password", "kimweb-demo")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#flash")).to_contain_text("Willkommen")
    expect(page.locator("h1")).to_contain_text("Andrea Admin")
    check_axe(page)
    page.locator("#user-menu summary").click()
    page.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("#flash")).to_contain_text("abgemeldet")
    page.goto("/account/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_wrong_password_shows_errors_and_keeps_name(page: Page):
    page.goto("/login")
    page.fill("#username", "staff")
    page.fill("#password", "falsches-passwort")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_contain_text("nicht korrekt")
    expect(page.locator("#username")).to_have_value("staff")
    expect(page.locator("#password")).to_have_value("")
    check_axe(page)
    page.fill("#username", "")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#username")).to_have_attribute("aria-invalid", "true")
    check_axe(page)


def test_keyboard_only_sign_in(page: Page):
    page.goto("/login")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused in {"Zum Inhalt springen", "Skip to content"}
    page.keyboard.press("Enter")  # skip link: on to the main content
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "username":
            break
    assert page.evaluate("document.activeElement.id") == "username"
    page.keyboard.type("staff")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type("kimweb-demo")
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Willkommen")
    # The user menu opens and signs out with the keyboard too.
    page.locator("#user-menu summary").focus()
    page.keyboard.press("Enter")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Abmelden":
            break
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_language_switch_to_english_and_arabic(page: Page):
    sign_in(page, "admin")
    page.locator("#language-menu summary").click()
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text("Calendar")
    check_axe(page)
    page.goto("/account/")  # remembered without ?lang=
    expect(page.locator("h1")).to_have_text("My account")
    page.locator("#language-menu summary").click()
    page.get_by_role("link", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    # Mirrored: the office name starts on the right, the menus sit on the left.
    brand = page.locator(".site-header__brand").bounding_box()
    tools = page.locator(".site-header__tools").bounding_box()
    assert brand["x"] > tools["x"]
    check_axe(page)
    page.locator("#user-menu summary").click()
    page.locator("#user-menu button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_axe_on_every_page(page: Page, lang: str):
    page.goto(f"/login?lang={lang}")
    for url in PUBLIC_PAGES:
        page.goto(url)
        check_axe(page)
    sign_in(page, "admin")
    for url in STAFF_PAGES + ADMIN_PAGES:
        page.goto(url)
        check_axe(page)
    page.goto("/admin/users/")
    page.locator("table a").first.click()
    check_axe(page)
    page.goto("/does-not-exist")
    expect(page.locator("h1")).to_have_text(
        "Seite nicht gefunden" if lang == "de" else "Page not found"
    )
    check_axe(page)


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_no_horizontal_scroll_at_320_px(page: Page, lang: str):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/login?lang={lang}")
    for url in PUBLIC_PAGES:
        page.goto(url)
        assert no_horizontal_scroll(page), url
    sign_in(page, "admin")
    for url in STAFF_PAGES + ADMIN_PAGES:
        page.goto(url)
        assert no_horizontal_scroll(page), url
    page.locator("#language-menu summary").click()
    assert no_horizontal_scroll(page), "language menu open"


def test_feedback_form_errors_swap_in_place_with_htmx(page: Page):
    page.goto("/accessibility?lang=de")
    page.fill("#email", "keine-adresse")
    page.fill("#name", "Kim Beispiel")
    with page.expect_response(lambda r: r.url.endswith("/accessibility")) as answer:
        page.get_by_role("button", name="Feedback senden").click()
    assert answer.value.status == 422
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#message-error")).to_be_visible()
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator("#name")).to_have_value("Kim Beispiel")
    check_axe(page)
    page.fill("#message", "Die Schrift im Kopfbereich ist zu klein.")
    page.fill("#email", "kim@example.org")
    page.get_by_role("button", name="Feedback senden").click()
    expect(page.locator("#feedback [role=status]")).to_contain_text("Vielen Dank")
    expect(page.locator("#message")).to_have_value("")


def test_feedback_form_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server)
    page = context.new_page()
    page.goto("/accessibility?lang=de")
    page.get_by_role("button", name="Feedback senden").click()
    expect(page.locator("#message-error")).to_be_visible()
    page.fill("#message", "Ohne JavaScript geht es auch.")
    page.get_by_role("button", name="Feedback senden").click()
    expect(page.locator("#flash")).to_contain_text("Vielen Dank")
    context.close()


def test_the_checks_can_fail(page: Page, no_console_errors: list[str]):
    """axe finds a real violation, and an inline script is refused by the CSP and reported."""
    page.goto("/privacy")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        '\'<img src="/static/favicon.svg"><a href="/"></a>\')'
    )
    with pytest.raises(AssertionError, match="image-alt"):
        check_axe(page)
    page.evaluate(
        "(() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.body.appendChild(s); })()"
    )
    assert page.evaluate("window.injected === undefined")
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in error for error in no_console_errors)
    no_console_errors.clear()
