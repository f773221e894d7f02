"""The public timetable in a real Chromium: days, filters (htmx and without JavaScript),
"open now", cancellations, nine languages with right-to-left, print posters, small
screens, keyboard, axe, and the staff flow (exception, feed and API at once; slot rows)."""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from icalendar import Calendar
from playwright.sync_api import Browser, BrowserContext, Page, expect

from e2e.conftest import EXPECTED_STATUS, check_axe, no_horizontal_scroll, sign_in
from kimweb.consultations.holidays import holiday_key

pytestmark = pytest.mark.e2e

BERLIN = ZoneInfo("Europe/Berlin")
LANGUAGES = ("de", "en", "ar", "fa", "tr", "uk", "ru", "ro", "bg")
RTL = {"ar", "fa"}
KI_OFFER = "Information und Erstorientierung im Kommunalen Integrationszentrum"
MBE_OFFER = "Offene Sprechstunde Migrationsberatung"  # the demo cancels it next week
JUELICH = re.compile(r"municipality=J(%C3%BC|ü)lich")


def berlin_now() -> datetime:
    return datetime.now(BERLIN)


def results(page: Page):
    return page.locator("#results")


def days(page: Page):
    return results(page).locator("li.day")


def api(page: Page, **params: str | int) -> dict:
    answer = page.request.get("/api/v1/consultations", params=params)
    assert answer.ok, answer.status
    return answer.json()


def offer_by_title(document: dict, title: str) -> dict:
    return next(offer for offer in document["offers"] if offer["title"] == title)


@contextmanager
def visitor(browser: Browser, live_server: str, **options) -> Iterator[BrowserContext]:
    """A new browser context (as a visitor without sign-in) that also fails on console errors."""
    options = {"locale": "de-DE", "timezone_id": "Europe/Berlin", **options}
    context = browser.new_context(base_url=live_server, **options)
    errors: list[str] = []

    def watch(page: Page) -> None:
        page.on(
            "console",
            lambda msg: (
                errors.append(msg.text)
                if msg.type == "error" and not EXPECTED_STATUS.match(msg.text)
                else None
            ),
        )
        page.on("pageerror", lambda error: errors.append(str(error)))

    context.on("page", watch)
    try:
        yield context
    finally:
        context.close()
    assert errors == [], f"console errors: {errors}"


def feed_link(page: Page):
    """The page's link to the whole (filtered) iCalendar feed."""
    return results(page).locator("a[href*='consultations.ics']:not([href*='slot='])")


def entry_of(page: Page, day_index: int, title: str):
    return days(page).nth(day_index).locator("li.entry", has_text=title)


# --- the public page ------------------------------------------------------------------


def test_public_page_shows_the_next_seven_days_without_sign_in(page: Page):
    page.goto("/consultations/?lang=de")
    expect(page).to_have_url(re.compile(r"/consultations/\?lang=de$"))  # no redirect to login
    expect(page.locator("h1")).to_have_text("Offene Sprechstunden im Kreis Düren")
    today = berlin_now().date()
    expect(days(page)).to_have_count(7)
    headings = days(page).locator(".day__title")
    for i in range(7):
        day = today + timedelta(days=i)
        expect(headings.nth(i)).to_contain_text(format_date(day, "EEEE, d. MMMM", locale="de"))
        # Every entry of a day starts on that day (Europe/Berlin).
        for stamp in days(page).nth(i).locator(".entry__time time:first-child").all():
            assert stamp.get_attribute("datetime").startswith(day.isoformat())
    # Only the first day is "today".
    expect(days(page).first).to_have_class(re.compile(r"\bday--today\b"))
    expect(headings.first.locator(".kern-badge")).to_have_text("heute")
    expect(results(page).locator(".day--today")).to_have_count(1)
    expect(results(page).locator(".day__title .kern-badge")).to_have_count(1)
    # Each entry: time, offer with its kind, organisation, and topics and languages.
    entry = results(page).locator("li.entry").first
    expect(entry.locator(".entry__time time")).to_have_count(2)
    expect(entry.locator(".entry__facts")).to_contain_text("Organisation")
    # schema.org places for search engines.
    blocks = page.locator('script[type="application/ld+json"]').all_text_contents()
    assert blocks, "no JSON-LD in the page"
    place = json.loads(blocks[0])
    assert place["@type"] == "Place"
    assert place["openingHoursSpecification"], place
    check_axe(page)


def test_filters_update_the_list_in_place_and_push_the_url(page: Page):
    page.goto("/consultations/?lang=de")
    page.evaluate("window.notReloaded = true")
    expect(days(page)).to_have_count(7)
    with page.expect_response(
        lambda r: "municipality=J" in r.url and r.request.headers.get("hx-request") == "true"
    ) as answer:
        page.select_option("#municipality", "Jülich")
    assert answer.value.status == 200
    expect(page).to_have_url(JUELICH)
    expect(page.locator("#result-status")).to_contain_text("gefunden")
    places = results(page).locator(".entry__facts dd a[href*='/consultations/locations/']")
    expect(places.first).to_be_visible()
    texts = results(page).locator(".entry__facts").all_inner_texts()
    assert texts and all("Jülich" in text for text in texts), texts

    # Topic: the option's own label must be in every entry's topics.
    topic = page.locator("#topic option", has_text="Aufenthalt").first
    label, value = topic.inner_text(), topic.get_attribute("value")
    with page.expect_response(lambda r: f"topic={value}" in r.url):
        page.select_option("#topic", value)
    expect(page).to_have_url(re.compile(rf"topic={value}"))
    expect(page).to_have_url(JUELICH)
    entries = results(page).locator("li.entry")
    expect(entries.first).to_be_visible()
    assert all(label in text for text in entries.all_inner_texts()), label

    # Language and kind.
    with page.expect_response(lambda r: "language=tr" in r.url):
        page.select_option("#language", "tr")
    expect(page).to_have_url(re.compile(r"language=tr"))
    expect(entries.first).to_be_visible()
    for entry in entries.all():
        expect(entry.locator(".entry__facts")).to_contain_text("Türkisch")
    kind_label = page.locator('#kind option[value="walk_in"]').inner_text()
    with page.expect_response(lambda r: "kind=walk_in" in r.url):
        page.select_option("#kind", "walk_in")
    expect(page).to_have_url(re.compile(r"kind=walk_in"))
    expect(entries.first).to_be_visible()
    for entry in entries.all():
        expect(entry.locator(".entry__title")).to_contain_text(kind_label)
    # Still the same document: the list was swapped, not the page reloaded.
    assert page.evaluate("window.notReloaded === true")
    expect(days(page)).to_have_count(7)
    check_axe(page)

    # The pushed URL is a real page: loaded afresh it shows the same filtered list.
    filtered = page.url
    shown = entries.all_inner_texts()
    page.goto(filtered)
    expect(page.locator("#municipality")).to_have_value("Jülich")
    expect(page.locator("#kind")).to_have_value("walk_in")
    assert results(page).locator("li.entry").all_inner_texts() == shown
    # Back to all places: the list grows again.
    page.select_option("#municipality", "")
    expect(page).not_to_have_url(JUELICH)
    expect(results(page).locator(".entry__facts", has_text="Düren").first).to_be_visible()


def test_filters_work_without_javascript(browser, live_server):
    with visitor(browser, live_server, java_script_enabled=False) as context:
        page = context.new_page()
        page.goto("/consultations/?lang=de")
        page.select_option("#municipality", "Jülich")
        page.select_option("#topic", label="Aufenthaltsrecht")
        page.select_option("#kind", "walk_in")
        page.get_by_role("button", name="Anzeigen").click()
        expect(page).to_have_url(JUELICH)
        expect(page).to_have_url(re.compile(r"topic=\d+.*kind=walk_in"))
        expect(page.locator("#municipality")).to_have_value("Jülich")
        expect(days(page)).to_have_count(7)
        entries = results(page).locator("li.entry")
        expect(entries.filter(has_text="Aufenthaltsrecht in Jülich").first).to_be_visible()
        for text in entries.all_inner_texts():
            assert "Jülich" in text and "Aufenthaltsrecht" in text, text
        page.select_option("#topic", "")
        page.select_option("#language", "uk")
        page.get_by_role("button", name="Anzeigen").click()
        expect(page).to_have_url(re.compile(r"language=uk"))
        for entry in results(page).locator("li.entry").all():
            expect(entry.locator(".entry__facts")).to_contain_text("Ukrainisch")


def test_keyboard_only_filters(page: Page):
    page.goto("/consultations/?lang=de")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"
    page.keyboard.press("Enter")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "municipality":
            break
    assert page.evaluate("document.activeElement.id") == "municipality"
    # Typing a name in a focused select chooses it; htmx swaps the list right away.
    with page.expect_response(lambda r: "municipality=J" in r.url):
        page.keyboard.type("Jül")
    expect(page).to_have_url(JUELICH)
    assert page.evaluate("document.activeElement.id") == "municipality", "focus lost by the swap"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "topic"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Anzeigen"
    page.keyboard.press("Enter")
    expect(page).to_have_url(JUELICH)
    # On into the list: the first place link opens the place's page.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.entry__facts') !== null"):
            break
    name = page.evaluate("document.activeElement.textContent.trim()")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/consultations/locations/\d+$"))
    expect(page.locator("h1")).to_have_text(name)


def test_open_now_is_marked(page: Page, browser, live_server):
    now = berlin_now()
    if holiday_key(now.date()):
        pytest.skip("today is a public holiday in NRW: every consultation hour is closed")
    if now.time() >= datetime.strptime("23:58", "%H:%M").time():
        pytest.skip("too close to midnight for a slot that covers now")
    title = f"Offene Sprechstunde rund um die Uhr {secrets.token_hex(3)}"
    sign_in(page, "organiser")
    page.goto("/consultations/manage/offers/new")
    page.select_option("#organisation_id", label="Kommunales Integrationszentrum Kreis Düren")
    page.fill("#title", title)
    page.select_option("#kind", "walk_in")
    page.select_option("#slots-0-weekday", str(now.weekday()))
    page.fill("#slots-0-start_time", "00:00")
    page.fill("#slots-0-end_time", "23:59")
    page.select_option("#slots-0-location_id", label="Kreishaus Düren")
    page.get_by_role("button", name="Speichern").click()
    expect(page).to_have_url(re.compile(r"/consultations/manage/$"))
    expect(page.locator("#flash")).to_contain_text(title)

    with visitor(browser, live_server) as context:
        public = context.new_page()
        public.goto("/consultations/?lang=de")
        entry = entry_of(public, 0, title)
        expect(entry).to_have_count(1)
        expect(entry.locator(".kern-badge")).to_have_text("jetzt geöffnet")
        # Every entry marked "open now" covers this moment, and only those.
        checked = berlin_now()
        for item in results(public).locator("li.entry").all():
            start, end = (
                datetime.fromisoformat(t.get_attribute("datetime"))
                for t in item.locator(".entry__time time").all()
            )
            marked = item.locator(".kern-badge--success").count() == 1
            cancelled = item.locator(".kern-badge--danger").count() == 1
            if (
                abs((checked - start).total_seconds()) > 90
                and abs((checked - end).total_seconds()) > 90
            ):
                assert marked == (start <= checked < end and not cancelled), item.inner_text()
        public.goto("/consultations/?lang=en")
        expect(entry_of(public, 0, title).locator(".kern-badge")).to_have_text("open now")
        check_axe(public)


def test_cancelled_date_shows_cancelled_with_reason(page: Page):
    """The demo cancels the first Monday of the Migrationsberatung after this week."""
    offer = offer_by_title(api(page, days=14), MBE_OFFER)
    monday = next(slot for slot in offer["slots"] if slot["weekday"] == 0)
    cancelled = [e for e in monday["exceptions"] if e["cancelled"]]
    if not cancelled:
        pytest.skip("no Monday without a holiday in the demo's window")
    day = date.fromisoformat(cancelled[0]["date"])
    page.goto(f"/consultations/locations/{monday['location']['id']}?lang=de")
    index = (day - berlin_now().date()).days
    entry = (
        page.locator("#next-heading + .days > li.day")
        .nth(index)
        .locator("li.entry", has_text=MBE_OFFER)
    )
    expect(entry).to_have_class(re.compile(r"\bentry--cancelled\b"))
    expect(entry.locator(".kern-badge--danger")).to_have_text("fällt aus")
    expect(entry.locator(".entry__reason")).to_have_text("Hinweis: Urlaub")
    expect(entry.locator(".entry__time del")).to_be_visible()
    check_axe(page)


def test_done_when_a_ukrainian_visitor_on_a_phone_finds_hours_in_juelich(page: Page):
    """The issue's "Done when": in Ukrainian on a phone-sized screen, walk-in hours for
    residence questions in Jülich this week, holidays shown, into the phone's calendar."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/consultations/?lang=uk")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    value = str(
        next(
            topic["id"]
            for offer in api(page)["offers"]
            for topic in offer["topics"]
            if topic["key"] == "residence"
        )
    )
    page.select_option("#municipality", "Jülich")
    page.select_option("#topic", value)
    page.select_option("#kind", "walk_in")
    expect(page).to_have_url(re.compile(rf"topic={value}"))
    expect(page).to_have_url(re.compile(r"kind=walk_in"))
    entries = results(page).locator("li.entry")
    expect(entries.first).to_be_visible()
    titles = {t.strip() for t in entries.locator(".entry__title strong").all_inner_texts()}
    assert "Offene Sprechstunde Aufenthaltsrecht in Jülich" in titles, titles
    assert all("Jülich" in text for text in entries.locator(".entry__facts").all_inner_texts())
    assert no_horizontal_scroll(page)
    # A public holiday in these days closes everything and says so.
    today = berlin_now().date()
    for i in range(7):
        day = days(page).nth(i)
        if holiday_key(today + timedelta(days=i)):
            expect(day.locator(".day__holiday")).to_be_visible()
            expect(day.locator("li.entry")).to_have_count(0)
        else:
            expect(day.locator(".day__holiday")).to_have_count(0)
    # Into the phone's calendar: the feed keeps the filters; Berlin times with VTIMEZONE.
    with page.expect_download() as info:
        feed_link(page).click()
    calendar = Calendar.from_ical(Path(info.value.path()).read_bytes())
    events = calendar.walk("VEVENT")
    assert events, "empty feed"
    summaries = {str(event["SUMMARY"]).split(" – ")[0] for event in events}
    assert summaries <= titles, f"the feed has offers the filtered page does not show: {summaries}"
    assert all("Jülich" in str(event.get("LOCATION", "")) for event in events)
    assert all(event["DTSTART"].params.get("TZID") == "Europe/Berlin" for event in events)
    assert any(tz["TZID"] == "Europe/Berlin" for tz in calendar.walk("VTIMEZONE"))
    # One time of one offer, from its entry.
    entry = entries.filter(has_text="Offene Sprechstunde Aufenthaltsrecht in Jülich").first
    one = entry.locator(".entry__calendar a[href*='consultations.ics']")
    if one.count():
        slot = re.search(r"slot=(\d+)", one.get_attribute("href")).group(1)
        with page.expect_download() as info:
            one.click()
        events = Calendar.from_ical(Path(info.value.path()).read_bytes()).walk("VEVENT")
        assert events and all(str(e["UID"]).startswith(f"slot-{slot}-") for e in events)
    check_axe(page)


def same_minute_pair(first: Page, second: Page, url: str) -> None:
    """``first`` then ``second`` open ``url`` within one minute (the page cache's key)."""
    for _ in range(3):
        before = berlin_now().strftime("%H:%M")
        first.goto(url)
        second.goto(url)
        if berlin_now().strftime("%H:%M") == before:
            return
    pytest.fail("could not load both pages within one minute")


def test_staff_and_visitors_never_share_a_cached_page(page: Page, browser, live_server):
    """The server keeps rendered pages; a visitor must never get a staff member's page
    (name, menu, CSRF token) and staff never a visitor's page."""
    sign_in(page, "admin")
    with visitor(browser, live_server) as context:
        public = context.new_page()
        same_minute_pair(page, public, "/consultations/?lang=de&kind=walk_in&language=fa")
        expect(page.locator("#user-menu")).to_contain_text("Andrea Admin")
        leaked = public.locator("#user-menu").count()
        assert leaked == 0 and "Andrea Admin" not in public.content(), (
            "a visitor must never get a page cached for a signed-in user (menu, CSRF token)"
        )
        expect(public.locator(".site-header__login")).to_be_visible()

        same_minute_pair(public, page, "/consultations/?lang=de&kind=walk_in&language=ar")
        expect(public.locator(".site-header__login")).to_be_visible()
        assert page.locator("#user-menu").count() == 1, (
            "a signed-in user must get their own page, not one cached for visitors"
        )


# --- nine languages -------------------------------------------------------------------

UI_TEXTS = {
    "title": "h1",
    "intro": "p.intro",
    "place label": 'label[for="municipality"]',
    "topic label": 'label[for="topic"]',
    "language label": 'label[for="language"]',
    "kind label": 'label[for="kind"]',
    "all places": '#municipality option[value=""]',
    "all kinds": '#kind option[value=""]',
    "walk-in kind": '#kind option[value="walk_in"]',
    "first topic": "#topic option:nth-child(2)",
    "show button": ".timetable-filters button[type=submit]",
    "days heading": "#days-heading",
    "today badge": ".day--today .day__title .kern-badge",
    "calendar link": "#results a[href*='consultations.ics']",
    "first weekday": ".day__title",
}


def ui_texts(page: Page) -> dict[str, str]:
    return {
        name: " ".join(page.locator(selector).first.text_content().split())
        for name, selector in UI_TEXTS.items()
    }


@pytest.fixture(scope="module")
def english_texts(browser, live_server) -> dict[str, str]:
    with visitor(browser, live_server) as context:
        page = context.new_page()
        page.goto("/consultations/?lang=en")
        texts = ui_texts(page)
    assert texts["title"] == "Open consultation hours in Kreis Düren", texts
    return texts


def text_gaps(page: Page, selector: str) -> dict[str, float]:
    """Space left and right of the first text of ``selector`` inside its box (px)."""
    return page.locator(selector).first.evaluate(
        """el => {
            const text = [...el.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
            const range = document.createRange();
            range.selectNodeContents(text);
            const t = range.getBoundingClientRect(), box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            return {left: t.left - box.left - parseFloat(style.paddingLeft),
                    right: box.right - t.right - parseFloat(style.paddingRight)};
        }"""
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language(page: Page, lang: str, english_texts: dict[str, str]):
    page.goto(f"/consultations/?lang={lang}")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", lang)
    expect(html).to_have_attribute("dir", "rtl" if lang in RTL else "ltr")
    expect(days(page)).to_have_count(7)
    first_day = format_date(berlin_now().date(), "EEEE", locale=lang)
    expect(days(page).first.locator(".day__title")).to_contain_text(first_day)

    # Mirrored in right-to-left: headings start at the right, the first filter is the
    # rightmost, the office name is right of the menus.
    heading = text_gaps(page, ".day__title")
    title = text_gaps(page, "h1")
    place = page.locator("#municipality").bounding_box()
    topic = page.locator("#topic").bounding_box()
    brand = page.locator(".site-header__brand").bounding_box()
    tools = page.locator(".site-header__tools").bounding_box()
    if lang in RTL:
        assert heading["right"] < 2 < heading["left"], f"day heading not at the right: {heading}"
        assert title["right"] < 2 < title["left"], f"h1 not at the right: {title}"
        assert place["x"] > topic["x"], "filters not mirrored"
        assert brand["x"] > tools["x"], "header not mirrored"
    else:
        assert heading["left"] < 2 < heading["right"], f"day heading not at the left: {heading}"
        assert place["x"] < topic["x"]
        assert brand["x"] < tools["x"]

    # No English UI string left (a handful of known strings compared with ?lang=en).
    if lang != "en":
        texts = ui_texts(page)
        english = {name: text for name, text in texts.items() if text == english_texts[name]}
        assert english == {}, f"untranslated (English) strings in {lang}: {english}"
    check_axe(page)


# --- print, small screens -------------------------------------------------------------


def test_print_posters(page: Page, tmp_path):
    document = api(page, days=56)
    places = {
        slot["location"]["id"]: slot["location"]["name"]
        for offer in document["offers"]
        for slot in offer["slots"]
        if slot["location"]
    }
    page.emulate_media(media="print")
    page.goto("/consultations/print?lang=de")
    posters = page.locator("article.poster")
    expect(posters).to_have_count(len(places) + 1)  # the overview, then one per place
    titles = posters.locator(".poster__title").all_inner_texts()
    assert sorted(titles[1:]) == sorted(places.values())
    expect(posters.first.locator(".poster__places li")).to_have_count(len(places))
    for image in page.locator(".poster__qr img").all():
        alt = image.get_attribute("alt") or ""
        assert "http" in alt and "/consultations/" in alt, alt
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "QR not loaded"
    expect(page.locator(".poster__qr img")).to_have_count(len(places) + 1)
    # Print CSS: one poster per page, screen-only parts hidden.
    assert posters.first.evaluate("el => getComputedStyle(el).breakAfter") == "page"
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator("main .no-print").first).to_be_hidden()
    shot = tmp_path / "posters.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.exists() and shot.stat().st_size > 10_000
    page.emulate_media(media="screen")
    check_axe(page)


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_no_horizontal_scroll_at_320_px(page: Page, lang: str):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/consultations/?lang={lang}")
    assert no_horizontal_scroll(page), page.url
    page.select_option("#municipality", "Jülich")
    expect(page).to_have_url(JUELICH)
    assert no_horizontal_scroll(page), page.url
    page.locator("li.entry .entry__facts a[href*='/locations/']").first.click()
    page.wait_for_url(re.compile(r"/consultations/locations/\d+$"))
    assert no_horizontal_scroll(page), page.url


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_poster_page_on_screen_no_horizontal_scroll_at_320_px(page: Page, lang: str):
    """The public page links to the posters; on a phone they must fit the screen too."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/consultations/print?lang={lang}")
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main table')]
            .filter(t => t.getBoundingClientRect().width > document.documentElement.clientWidth)
            .filter(t => !t.parentElement.classList.contains('table-scroll')).length"""
    )
    assert no_horizontal_scroll(page), (
        f"/consultations/print must not scroll sideways at 320 px ({wide} tables too wide)"
    )


# --- staff ----------------------------------------------------------------------------


def next_due_day(slot: dict, today: date) -> date | None:
    """A date within the 7 days shown (not today, not a holiday) on which ``slot`` is due
    and that has no exception yet; one in the next calendar week when possible."""
    taken = {exception["date"] for exception in slot["exceptions"]}
    candidates = [
        day
        for day in (today + timedelta(days=n) for n in range(1, 7))
        if day.weekday() == slot["weekday"]
        and not holiday_key(day)
        and day.isoformat() not in taken
    ]
    next_week = [day for day in candidates if day.isocalendar()[1] != today.isocalendar()[1]]
    return (next_week or candidates or [None])[0]


def test_staff_cancellation_shows_at_once_on_page_feed_and_api(page: Page, browser, live_server):
    today = berlin_now().date()
    offer = offer_by_title(api(page, days=14), KI_OFFER)
    chosen = [(slot, next_due_day(slot, today)) for slot in offer["slots"]]
    chosen = [(slot, day) for slot, day in chosen if day]
    if not chosen:
        pytest.skip("no free working day within the next week")
    slot, day = chosen[0]
    index = (day - today).days
    reason = f"Betriebsausflug {secrets.token_hex(2)}"
    uid = f"slot-{slot['id']}-{day:%Y%m%d}@kimweb"

    with visitor(browser, live_server) as context:
        public = context.new_page()
        public.goto("/consultations/?lang=de")  # the page is now cached by the server
        entry = entry_of(public, index, KI_OFFER)
        expect(entry).to_have_count(1)
        expect(entry.locator(".kern-badge--danger")).to_have_count(0)

        # Staff: the exception form of the offer, first with a date it is not due.
        sign_in(page, "organiser")
        page.goto("/consultations/manage/")
        page.get_by_role("link", name=re.compile(re.escape(KI_OFFER))).filter(
            has_text="absagen"
        ).click()
        expect(page).to_have_url(
            re.compile(rf"/consultations/manage/offers/{offer['id']}/exceptions$")
        )
        page.select_option("#slot_id", str(slot["id"]))
        wrong_day = day + timedelta(days=1 if slot["weekday"] != 6 else 2)
        page.fill("#date", wrong_day.isoformat())
        page.select_option("#is_cancelled", "1")
        page.fill("#reason", reason)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("#date-error")).to_be_visible()
        expect(page.locator("#date")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#reason")).to_have_value(reason)
        expect(page.locator("#slot_id")).to_have_value(str(slot["id"]))
        check_axe(page)
        page.fill("#date", day.isoformat())
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/consultations/manage/$"))
        expect(page.locator("#flash")).to_contain_text("sofort")
        expect(page.locator(".hit", has_text=reason)).to_contain_text(KI_OFFER)

        # The public page, at once: a visitor who reloads sees the cancellation.
        public.reload()
        entry = entry_of(public, index, KI_OFFER)
        expect(entry).to_have_class(re.compile(r"\bentry--cancelled\b"))
        expect(entry.locator(".kern-badge--danger")).to_have_text("fällt aus")
        expect(entry.locator(".entry__reason")).to_have_text(f"Hinweis: {reason}")
        check_axe(public)

        # The feed: downloaded from the page's link, the date is gone, the others stay.
        with public.expect_download() as info:
            feed_link(public).click()
        calendar = Calendar.from_ical(Path(info.value.path()).read_bytes())
        uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
        assert uid not in uids, f"cancelled date still in the feed: {uid}"
        later = day + timedelta(days=7)
        if not holiday_key(later):
            assert f"slot-{slot['id']}-{later:%Y%m%d}@kimweb" in uids

        # The API.
        document = api(public, days=14)
        occurrence = next(
            o
            for o in document["occurrences"]
            if o["slot_id"] == slot["id"] and o["date"] == day.isoformat()
        )
        assert occurrence["status"] == "cancelled", occurrence
        assert occurrence["reason"] == reason
        exceptions = next(
            s for s in offer_by_title(document, KI_OFFER)["slots"] if s["id"] == slot["id"]
        )["exceptions"]
        assert {"date": day.isoformat(), "cancelled": True, "reason": reason}.items() <= next(
            e for e in exceptions if e["date"] == day.isoformat()
        ).items()


def test_new_visitor_sees_a_cancellation_at_once(page: Page, browser, live_server):
    """A visitor who opens the page by a link after the change (no reload) sees it too."""
    today = berlin_now().date()
    offer = offer_by_title(api(page, days=14), KI_OFFER)
    chosen = [(slot, next_due_day(slot, today)) for slot in offer["slots"]]
    chosen = [(slot, day) for slot, day in chosen if day]
    if not chosen:
        pytest.skip("no free working day within the next week")
    slot, day = chosen[0]
    reason = f"Teamtag {secrets.token_hex(2)}"
    with visitor(browser, live_server) as context:
        public = context.new_page()
        public.goto("/consultations/?lang=de")
        expect(entry_of(public, (day - today).days, KI_OFFER)).to_have_count(1)
        sign_in(page, "organiser")
        page.goto(f"/consultations/manage/offers/{offer['id']}/exceptions")
        page.select_option("#slot_id", str(slot["id"]))
        page.fill("#date", day.isoformat())
        page.select_option("#is_cancelled", "1")
        page.fill("#reason", reason)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("#flash")).to_contain_text("sofort")
        # The visitor follows a link to the timetable (here: the navigation), no reload.
        public.goto("/accessibility")
        public.get_by_role("navigation").get_by_role("link", name="Sprechstunden").click()
        entry = entry_of(public, (day - today).days, KI_OFFER)
        expect(entry.locator(".entry__reason")).to_have_text(
            f"Hinweis: {reason}",
            timeout=2_000,
        )


def test_offer_form_rows_in_place_and_end_before_start(page: Page):
    sign_in(page, "organiser")
    page.goto("/consultations/manage/offers/new")
    page.evaluate("window.notReloaded = true")
    expect(page.locator(".slot-row")).to_have_count(1)
    page.fill("#title", "Sprechstunde Probe")
    page.select_option("#slots-0-weekday", "0")
    page.fill("#slots-0-start_time", "09:00")
    page.fill("#slots-0-end_time", "11:00")
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.request.headers.get("hx-request") == "true"
    ) as answer:
        page.get_by_role("button", name="Zeit hinzufügen").click()
    assert answer.value.status == 200
    expect(page.locator(".slot-row")).to_have_count(2)
    expect(page.locator("#slots-0-start_time")).to_have_value("09:00")
    expect(page.locator("#title")).to_have_value("Sprechstunde Probe")
    page.select_option("#slots-1-weekday", "2")
    page.fill("#slots-1-start_time", "14:00")
    page.fill("#slots-1-end_time", "16:00")
    page.locator("#slots-1-weeks input[value='3']").check()
    page.get_by_role("button", name="Zeit 1 entfernen").click()
    expect(page.locator(".slot-row")).to_have_count(1)
    expect(page.locator("#slots-0-weekday")).to_have_value("2")
    expect(page.locator("#slots-0-start_time")).to_have_value("14:00")
    expect(page.locator("#slots-0-end_time")).to_have_value("16:00")
    expect(page.locator("#slots-0-weeks input[value='3']")).to_be_checked()
    assert page.evaluate("window.notReloaded === true"), "the page was reloaded"
    check_axe(page)

    # End before start: 422, the message next to the field, everything typed kept.
    page.select_option("#organisation_id", index=1)
    page.fill("#slots-0-start_time", "12:00")
    page.fill("#slots-0-end_time", "10:00")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Speichern").click()
    assert answer.value.status == 422
    expect(page.locator("#slots-0-end_time-error")).to_have_text(
        "Das Ende muss nach dem Beginn liegen."
    )
    expect(page.locator("#slots-0-end_time")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#slots-0-start_time")).to_have_value("12:00")
    expect(page.locator("#slots-0-end_time")).to_have_value("10:00")
    expect(page.locator("#slots-0-weekday")).to_have_value("2")
    expect(page.locator("#title")).to_have_value("Sprechstunde Probe")
    check_axe(page)
    page.fill("#slots-0-end_time", "15:00")
    page.get_by_role("button", name="Speichern").click()
    expect(page).to_have_url(re.compile(r"/consultations/manage/$"))
    expect(page.locator(".hit", has_text="Sprechstunde Probe")).to_contain_text(
        "Mittwoch (3. Woche im Monat) 12:00–15:00"
    )


def test_offer_form_error_summary_names_slot_errors(page: Page):
    """Like every other form, a slot row with an error gets the summary at the top
    (role=alert, focused), and the summary reads as text."""
    sign_in(page, "organiser")
    page.goto("/consultations/manage/offers/new")
    page.select_option("#organisation_id", index=1)
    page.fill("#title", "Sprechstunde Zusammenfassung")
    page.fill("#slots-0-start_time", "12:00")
    page.fill("#slots-0-end_time", "")
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#slots-0-end_time-error")).to_be_visible()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    text = summary.inner_text()
    assert "{" not in text and "Slots" not in text, (
        f"the error summary must name each field of a time row, not a dict: {text!r}"
    )

    page.fill("#slots-0-end_time", "10:00")  # now: end before start
    page.get_by_role("button", name="Speichern").click()
    expect(page.locator("#slots-0-end_time-error")).to_have_text(
        "Das Ende muss nach dem Beginn liegen."
    )
    assert page.get_by_role("alert").count() == 1, (
        "end before start must also appear in the error summary (role=alert)"
    )
