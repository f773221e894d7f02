"""The meetings in a real browser: a series from words, agendas reordered with htmx and
without, minutes with the lost-update guard, tasks carried over, approval, needs, access, axe.

Every test makes the meetings it needs through the UI, on days of its own far ahead (the
series of the walkthrough and any demo meetings stay in the coming year), and finds its own
items by their "E2E ..." titles, so the tests do not depend on each other or on demo data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Locator, Page, expect

from e2e.conftest import EXPECTED_STATUS, check_axe, sign_in
from kimweb.consultations.holidays import nrw_holidays

pytestmark = pytest.mark.e2e

JOUR_FIXE = "Jour fixe Case-Management"
STEERING = "Lenkungsgruppe"
STAFF_NAME = "Sevgi Sachbearbeitung"
ADMIN_NAME = "Andrea Admin"
WEEKDAYS_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
HOLIDAYS_DE = {
    "new_year": "Neujahr",
    "good_friday": "Karfreitag",
    "easter_monday": "Ostermontag",
    "labour_day": "Tag der Arbeit",
    "ascension": "Christi Himmelfahrt",
    "whit_monday": "Pfingstmontag",
    "corpus_christi": "Fronleichnam",
    "unity_day": "Tag der Deutschen Einheit",
    "all_saints": "Allerheiligen",
    "christmas": "1. Weihnachtstag",
    "boxing_day": "2. Weihnachtstag",
}


# --- helpers ----------------------------------------------------------------------------


@contextmanager
def signed_in(browser: Browser, live_server: str, username: str, **options) -> Iterator[Page]:
    """A second signed-in session (its own cookies) that also fails on console errors."""
    options = {"locale": "de-DE", "timezone_id": "Europe/Berlin", **options}
    context = browser.new_context(base_url=live_server, **options)
    errors: list[str] = []
    page = context.new_page()
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not EXPECTED_STATUS.match(msg.text)
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, username)
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"console errors ({username}): {errors}"


_COOKIES: dict[str, list] = {}


def login(page: Page, username: str) -> None:
    """Sign in as ``username``: the first time with the form, then with the same session
    cookie (signing in costs most of a second; the form itself is tested in test_layout)."""
    if username in _COOKIES:
        page.context.add_cookies(_COOKIES[username])
        return
    sign_in(page, username)
    _COOKIES[username] = page.context.cookies()


_BODY_IDS: dict[str, int] = {}


def body_id(page: Page, name: str) -> int:
    """The id of a body, read from the filter of the overview (as an admin sees it)."""
    if name not in _BODY_IDS:
        page.goto("/meetings/")
        option = page.locator("#body-filter option", has_text=re.compile(rf"^{re.escape(name)}$"))
        value = option.get_attribute("value")
        _BODY_IDS[name] = int(value)
    return _BODY_IDS[name]


def set_member(page: Page, body: int, username: str, role: str = "member") -> None:
    """Add a member (or change the role) with the form on the body page."""
    page.goto(f"/meetings/bodies/{body}")
    option = page.locator("#user_id option", has_text=re.compile(rf"\({username}\)$"))
    name = option.inner_text().split(" (")[0]
    page.select_option("#user_id", option.get_attribute("value"))
    page.select_option("#role", role)
    page.locator("form.entry-form[action$='/members'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"#members$"))
    expect(page.locator("#members .hit__title", has_text=name)).to_have_count(1)


def new_meeting(page: Page, body: int, day: date, start: str = "10:00", end: str = "12:00") -> int:
    """A single meeting made with the form; returns its id (the form leads to its agenda)."""
    page.goto(f"/meetings/bodies/{body}/meetings/new")
    page.fill("#day", day.isoformat())
    page.fill("#start_time", start)
    page.fill("#end_time", end)
    page.locator("form[action$='/meetings/new'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/meetings/\d+(#.*)?$"))
    return int(re.search(r"/meetings/(\d+)", page.url)[1])


def agenda_item(page: Page, title: str) -> Locator:
    return page.locator(".agenda-item", has=page.locator("h3", has_text=title))


def item_id(locator: Locator) -> int:
    return int(locator.get_attribute("id").removeprefix("item-"))


def add_item(page: Page, meeting: int, title: str, duration: int | None = None) -> int:
    """An item added with the form on the agenda page; returns its id."""
    if not re.search(rf"/meetings/{meeting}(#.*)?$", page.url):
        page.goto(f"/meetings/{meeting}")
    page.fill("#title", title)
    if duration:
        page.fill("#duration_min", str(duration))
    page.locator(f"form[action$='/{meeting}/items'] button[type=submit]").click()
    item = agenda_item(page, title)
    expect(item).to_have_count(1)
    return item_id(item)


def headings(page: Page) -> list[str]:
    return page.locator(".agenda-item h3").all_inner_texts()


def position_of(page: Page, title: str) -> int:
    """1-based position of the item called ``title`` on the agenda shown."""
    return next(n for n, text in enumerate(headings(page), start=1) if title in text)


def save_notes(page: Page, item: int, text: str, status: int = 200) -> None:
    """Type notes into an item on the minutes page and save them (htmx)."""
    page.fill(f"#notes-{item}", text)
    with page.expect_response(
        lambda r: r.url.endswith(f"/items/{item}/notes") and r.request.method == "POST"
    ) as answer:
        page.locator(f"#item-{item} form.notes-form button[type=submit]").click()
    assert answer.value.status == status
    assert answer.value.request.headers.get("hx-request") == "true"


def record_outcome(
    page: Page,
    item: int,
    kind: str,
    text: str,
    assignee: str | None = None,
    due: date | None = None,
) -> None:
    """Record an information, decision or task with the form of the item (htmx)."""
    section = page.locator(f"#item-{item}")
    details = section.locator("details.outcome-form")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    page.select_option(f"#kind-{item}", kind)
    page.fill(f"#text-{item}", text)
    if assignee:
        page.select_option(f"#assignee-{item}", label=assignee)
    if due:
        page.fill(f"#due-{item}", due.isoformat())
    with page.expect_response(lambda r: r.url.endswith(f"/items/{item}/outcomes")) as answer:
        section.locator("form[action$='/outcomes'] button[type=submit]").click()
    assert answer.value.status == 200
    expect(section.locator(".outcomes")).to_contain_text(text)


def change_need(page: Page, status: str, note: str = "", saved: bool = True) -> None:
    """Move the need shown on to ``status`` with the status form of its page."""
    page.select_option("#status", status)
    page.fill("#note", note)
    page.get_by_role("button", name="Status ändern").click()
    if saved:
        expect(page.locator("#flash")).to_contain_text("Der Status wurde geändert.")


def today_in_berlin() -> date:
    return datetime.now(ZoneInfo("Europe/Berlin")).date()


def next_weekday_holiday(today: date) -> tuple[date, str]:
    """The next public holiday in NRW on a weekday (Monday to Friday)."""
    days = {**nrw_holidays(today.year), **nrw_holidays(today.year + 1)}
    return next(
        (day, key) for day, key in sorted(days.items()) if day > today and day.weekday() < 5
    )


def german_date(day: date) -> str:
    return f"{day.day}. {MONTHS_DE[day.month - 1]} {day.year}"


# --- 1. the walkthrough: a series from words -------------------------------------------


def test_series_from_words_with_preview_then_the_first_agenda(page: Page):
    login(page, "admin")
    jour_fixe = body_id(page, JOUR_FIXE)
    set_member(page, jour_fixe, "organiser", "organiser")
    page.context.clear_cookies()
    login(page, "organiser")

    page.goto(f"/meetings/bodies/{jour_fixe}")
    expect(page.locator("h1")).to_have_text(JOUR_FIXE)
    check_axe(page)
    page.get_by_role("link", name="Neue Terminserie").click()
    expect(page).to_have_url(re.compile(rf"/meetings/bodies/{jour_fixe}/series/new$"))
    expect(page.locator("#first_date")).to_have_value(today_in_berlin().isoformat())
    page.fill("#rule_text", "jeden 2. und 4. Dienstag, 10:00-12:00")
    page.get_by_role("button", name="Termine anzeigen").click()

    preview = page.locator("section[aria-labelledby=preview-heading]")
    expect(page.locator("#preview-heading")).to_contain_text("2. und 4. Dienstag")
    expect(page.locator("#preview-heading")).to_contain_text("10:00")
    expect(page.locator("#preview-heading")).to_be_focused()
    dates = preview.locator("ul.kern-body > li")
    expect(dates.first).to_contain_text("Dienstag")
    texts = dates.all_inner_texts()
    assert 20 <= len(texts) <= 27, texts
    assert all(text.startswith("Dienstag,") for text in texts), texts
    skipped = dates.filter(has=page.locator("del")).all_inner_texts()  # holidays in range, if any
    assert all("entfällt" in text for text in skipped), skipped
    preview_skipped = len(skipped)
    check_axe(page)

    page.get_by_role("button", name="Terminserie speichern").click()
    expect(page).to_have_url(re.compile(rf"/meetings/bodies/{jour_fixe}$"))
    flash = page.locator("#flash")
    expect(flash).to_contain_text("Sitzungen geplant")
    planned = int(re.search(r"(\d+)", flash.inner_text())[1])
    assert planned == len(texts) - preview_skipped, (planned, texts)
    expect(page.locator("section[aria-labelledby=series-heading]")).to_contain_text(
        "jeden 2. und 4. Dienstag, 10:00-12:00"
    )
    ours = page.locator(
        "section[aria-labelledby=upcoming-heading] .hit__title a",
        has_text=re.compile(r"Dienstag, .*10:00–12:00"),
    )
    expect(ours.first).to_be_visible()
    first_text = ours.first.inner_text()
    ours.first.click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+$"))
    expect(page.locator("h1")).to_contain_text("Tagesordnung")
    expect(page.locator("dl")).to_contain_text(first_text)
    items = page.locator(".agenda-item h3")
    expect(items.nth(0)).to_contain_text("Genehmigung des Protokolls")
    expect(items.nth(1)).to_contain_text("Offene Aufgaben")
    check_axe(page)

    # A rule with a public holiday in range: the date is struck out and named, not planned.
    holiday, key = next_weekday_holiday(today_in_berlin())
    page.goto(f"/meetings/bodies/{jour_fixe}/series/new")
    page.fill("#rule_text", f"jeden {WEEKDAYS_DE[holiday.weekday()]}, 14:00-15:00")
    page.fill("#first_date", holiday.isoformat())
    page.get_by_role("button", name="Termine anzeigen").click()
    first = page.locator("section[aria-labelledby=preview-heading] ul.kern-body > li").first
    expect(first.locator("del")).to_contain_text(german_date(holiday))
    expect(first).to_contain_text(f"entfällt: {HOLIDAYS_DE[key]}")
    check_axe(page)


# --- 2. backlog, items and a guest from the directory ----------------------------------


def test_proposed_topic_taken_into_a_meeting_item_added_guest_invited(
    page: Page, browser: Browser, live_server: str
):
    topic = "E2E Wohnsitzauflage und Umzüge"
    login(page, "admin")
    jour_fixe = body_id(page, JOUR_FIXE)
    meeting = new_meeting(page, jour_fixe, date(2091, 3, 6))

    with signed_in(browser, live_server, "staff") as staff:
        staff.goto(f"/meetings/bodies/{jour_fixe}")
        expect(staff.get_by_role("link", name="Neue Terminserie")).to_have_count(0)
        backlog = staff.locator("#backlog")
        backlog.locator("#title").fill(topic)
        backlog.locator("#duration_min").fill("20")
        backlog.locator("#presenter").fill("Sevgi")
        backlog.get_by_role("button", name="Vorschlagen").click()
        expect(staff).to_have_url(re.compile(r"#backlog$"))
        expect(staff.locator("#flash")).to_contain_text("Themenspeicher")
        proposed = backlog.locator(".hit", has_text=topic)
        expect(proposed).to_contain_text(f"vorgeschlagen von {STAFF_NAME}")
        check_axe(staff)

    page.goto(f"/meetings/{meeting}")
    offered = page.locator("section[aria-labelledby=backlog-heading] .hit", has_text=topic)
    offered.get_by_role("button", name=re.compile("In diese Sitzung übernehmen")).click()
    expect(page.locator("#flash")).to_contain_text(topic)
    taken = agenda_item(page, topic)
    expect(taken).to_contain_text(f"vorgeschlagen von {STAFF_NAME}")
    expect(taken.locator("h3")).to_contain_text("(20 Min.)")
    expect(page.locator("section[aria-labelledby=backlog-heading]")).not_to_contain_text(topic)
    assert position_of(page, topic) == 3

    other = add_item(page, meeting, "E2E Kooperation mit den Schulen", duration=30)
    assert position_of(page, "E2E Kooperation mit den Schulen") == 4
    expect(page.locator("#agenda")).to_contain_text("Geplant: 50 von 120 Minuten")

    page.fill("#guest-q", "job")
    page.locator("#guests").get_by_role("button", name="Suchen", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/meetings/{meeting}/guests\?q=job#guests$"))
    hit = page.locator("#guests .hit", has_text="Oksana Melnyk")
    expect(hit).to_contain_text("job-com")
    check_axe(page)
    guest_item = hit.locator("select")
    guest_item.select_option(label=topic)
    hit.get_by_role("button", name=re.compile("Einladen")).click()
    expect(page.locator("#flash")).to_contain_text("Oksana Melnyk")
    guests = page.locator("section[aria-labelledby=guests-list-heading]")
    expect(guests).to_contain_text("Oksana Melnyk")
    expect(guests).to_contain_text("job-com")
    expect(guests).to_contain_text(f"für: {topic}")
    expect(agenda_item(page, topic)).to_contain_text("Oksana Melnyk")
    expect(page.locator(f"#item-{other}")).not_to_contain_text("Oksana Melnyk")
    check_axe(page)


# --- 3. reordering with the keyboard, and without JavaScript ----------------------------


def test_reorder_with_the_keyboard_in_place_and_without_javascript(
    page: Page, browser: Browser, live_server: str
):
    login(page, "admin")
    meeting = new_meeting(page, body_id(page, JOUR_FIXE), date(2092, 5, 4))
    first = add_item(page, meeting, "E2E Erstes Thema")
    second = add_item(page, meeting, "E2E Zweites Thema")
    third = add_item(page, meeting, "E2E Drittes Thema")
    assert position_of(page, "E2E Erstes Thema") == 3
    page.goto(f"/meetings/{meeting}")
    page.evaluate("window.notReloaded = true")

    page.locator(f"#down-{first}").focus()
    with page.expect_request(lambda r: r.url.endswith(f"/items/{first}/move")) as request:
        page.keyboard.press("Enter")
    assert request.value.headers.get("hx-request") == "true"
    assert request.value.response().status == 200
    expect(page.locator(".agenda-item").nth(3)).to_have_id(f"item-{first}")
    expect(page.locator(".agenda-item").nth(2)).to_have_id(f"item-{second}")
    assert position_of(page, "E2E Erstes Thema") == 4
    expect(page.locator(".agenda-item").nth(3).locator("h3")).to_contain_text("4")
    expect(page.locator(f"#down-{first}")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == f"down-{first}"
    expect(page.locator("#agenda-status")).to_have_text(re.compile(r"E2E Erstes Thema.*\b4\b"))
    assert page.evaluate("window.notReloaded === true"), "the page was reloaded"
    check_axe(page)

    # Space on "Move up" of the last item.
    page.locator(f"#up-{third}").focus()
    with page.expect_request(lambda r: r.url.endswith(f"/items/{third}/move")) as request:
        page.keyboard.press("Space")
    assert request.value.headers.get("hx-request") == "true"
    expect(page.locator(".agenda-item").nth(3)).to_have_id(f"item-{third}")
    expect(page.locator(f"#up-{third}")).to_be_focused()
    expect(page.locator("#agenda-status")).to_have_text(re.compile(r"E2E Drittes Thema.*\b4\b"))
    assert page.evaluate("window.notReloaded === true"), "the page was reloaded"
    order = [f"item-{n}" for n in (second, third, first)]
    assert page.locator(".agenda-item").evaluate_all("els => els.map(e => e.id)")[2:] == order

    with signed_in(browser, live_server, "admin", java_script_enabled=False) as plain:
        plain.goto(f"/meetings/{meeting}")
        with (
            plain.expect_request(lambda r: r.url.endswith(f"/items/{first}/move")) as request,
            plain.expect_navigation(),
        ):
            plain.locator(f"#up-{first}").click()
        assert request.value.headers.get("hx-request") is None
        assert request.value.response().status == 302
        expect(plain).to_have_url(re.compile(rf"/meetings/{meeting}#item-{first}$"))
        ids = plain.locator(".agenda-item").evaluate_all("els => els.map(e => e.id)")
        assert ids[2:] == [f"item-{n}" for n in (second, first, third)], ids


def test_moving_a_standing_item_announces_it_in_the_readers_language(page: Page):
    login(page, "admin")
    meeting = new_meeting(page, body_id(page, JOUR_FIXE), date(2092, 8, 3))
    page.goto(f"/meetings/{meeting}?lang=en")
    approval = page.locator(".agenda-item").first
    expect(approval.locator("h3")).to_contain_text("Approval of the minutes")
    page.locator(f"#down-{item_id(approval)}").click()
    expect(page.locator("#agenda-status")).to_contain_text("is now item 2")
    # The announcement is there (just above); only its wording is checked here.
    expect(page.locator("#agenda-status")).to_contain_text("Approval of the minutes", timeout=1000)


# --- 4. publishing, reading as staff, the calendar file ---------------------------------


def test_published_agenda_for_staff_with_calendar_file(
    page: Page, browser: Browser, live_server: str
):
    login(page, "admin")
    meeting = new_meeting(page, body_id(page, JOUR_FIXE), date(2093, 2, 10), "09:30", "11:00")
    add_item(page, meeting, "E2E Bericht aus den Kommunen", duration=15)

    with signed_in(browser, live_server, "staff") as staff:
        answer = staff.goto(f"/meetings/{meeting}")
        assert answer.status == 403  # a draft is for the organisers only

        page.get_by_role("button", name="Tagesordnung veröffentlichen").click()
        expect(page.locator("#flash")).to_contain_text("veröffentlicht")
        expect(page.get_by_role("button", name="Zurück zum Entwurf")).to_be_visible()

        answer = staff.goto(f"/meetings/{meeting}")
        assert answer.status == 200
        expect(staff.locator("h1")).to_contain_text("10. Februar 2093")
        expect(agenda_item(staff, "E2E Bericht aus den Kommunen")).to_be_visible()
        expect(staff.locator("button[id^=up-], button[id^=down-]")).to_have_count(0)
        check_axe(staff)
        with staff.expect_download() as info:
            staff.get_by_role("link", name=re.compile(r"\.ics")).click()
        assert info.value.suggested_filename == "sitzung-2093-02-10.ics"
        calendar = Calendar.from_ical(Path(info.value.path()).read_bytes())
        events = calendar.walk("VEVENT")
        assert len(events) == 1
        event = events[0]
        assert str(event["SUMMARY"]) == JOUR_FIXE
        assert event.decoded("DTSTART").isoformat() == "2093-02-10T09:30:00+01:00"
        assert "E2E Bericht aus den Kommunen" in str(event["DESCRIPTION"])


# --- 5. minutes: notes in place, outcomes, the client-data warning ----------------------


def test_minutes_notes_outcomes_and_client_data_warning(page: Page):
    login(page, "admin")
    jour_fixe = body_id(page, JOUR_FIXE)
    set_member(page, jour_fixe, "staff", "member")
    meeting = new_meeting(page, jour_fixe, date(2094, 6, 8))
    item = add_item(page, meeting, "E2E Wartezeiten Sprachkurse")

    page.goto(f"/meetings/{meeting}/minutes")
    expect(page.locator("h1")).to_contain_text("Protokoll")
    page.evaluate("window.notReloaded = true")
    save_notes(page, item, "Die Wartezeiten sind **zu lang**.\n\n- Jülich: 6 Monate")
    section = page.locator(f"#item-{item}")
    expect(section.locator("[role=status]")).to_contain_text("Gespeichert um")
    expect(page.locator(f"#notes-{item}")).to_have_value(
        "Die Wartezeiten sind **zu lang**.\n\n- Jülich: 6 Monate"
    )
    expect(section.get_by_role("link", name=re.compile("Verlauf"))).to_be_visible()
    expect(page.locator(f"#notes-{item}-warning")).to_have_count(0)

    record_outcome(page, item, "decision", "E2E Die Koordination fragt beim Träger nach.")
    expect(section.locator(".outcome--decision")).to_contain_text("Beschluss")
    due = date(2094, 7, 1)
    record_outcome(page, item, "task", "E2E Liste der Kursträger schicken", STAFF_NAME, due)
    task = section.locator(".outcome--task")
    expect(task).to_contain_text("Aufgabe")
    expect(task).to_contain_text(STAFF_NAME)
    expect(task).to_contain_text("01.07.2094")
    expect(task).to_contain_text("offen")

    save_notes(page, item, "Frau K., geb. 01.02.1980, wartet seit März.")
    expect(section.locator("[role=status]")).to_contain_text("Gespeichert um")
    warning = page.locator(f"#notes-{item}-warning")
    expect(warning).to_contain_text("ein Geburtsdatum")
    expect(page.locator(f"#notes-{item}")).to_have_attribute(
        "aria-describedby", re.compile(rf"notes-{item}-warning")
    )
    assert page.evaluate("window.notReloaded === true"), "the page was reloaded"
    check_axe(page)
    # The warning does not stop the save: the text is there after a reload.
    page.reload()
    expect(page.locator(f"#notes-{item}")).to_have_value(
        "Frau K., geb. 01.02.1980, wartet seit März."
    )
    expect(page.locator(f"#notes-{item}-warning")).to_be_visible()
    expect(page.locator(f"#item-{item} .outcomes li")).to_have_count(2)


# --- 6. two sessions on the same notes: the lost-update guard ---------------------------


def test_two_sessions_saving_the_same_notes_get_a_conflict_in_place(
    page: Page, browser: Browser, live_server: str
):
    login(page, "admin")
    jour_fixe = body_id(page, JOUR_FIXE)
    set_member(page, jour_fixe, "organiser", "organiser")
    meeting = new_meeting(page, jour_fixe, date(2095, 9, 12))
    item = add_item(page, meeting, "E2E Gemeinsames Protokoll")
    page.goto(f"/meetings/{meeting}/minutes")
    expect(page.locator(f"#notes-{item}")).to_have_value("")

    with signed_in(browser, live_server, "organiser") as other:
        other.goto(f"/meetings/{meeting}/minutes")
        save_notes(other, item, "Stand von Olaf:\nKurs beginnt im Mai.")
        expect(other.locator(f"#item-{item} [role=status]")).to_contain_text("Gespeichert um")

    page.evaluate("window.notReloaded = true")
    mine = "Stand von Andrea:\nKurs beginnt im Juni."
    save_notes(page, item, mine, status=409)
    conflict = page.locator(f"#item-{item}-conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("Olaf Organisator")
    expect(page.locator(f"#item-{item}-theirs")).to_have_text(
        "Stand von Olaf:\nKurs beginnt im Mai."
    )
    expect(page.locator(f"#notes-{item}")).to_have_value(mine)
    assert page.evaluate("window.notReloaded === true"), "the page was reloaded"
    check_axe(page)

    merged = "Stand von Olaf und Andrea:\nKurs beginnt im Mai, zweiter im Juni."
    save_notes(page, item, merged)
    expect(conflict).to_have_count(0)
    expect(page.locator(f"#item-{item} [role=status]")).to_contain_text("Gespeichert um")
    expect(page.locator(f"#notes-{item}")).to_have_value(merged)

    page.locator(f"#item-{item}").get_by_role("link", name=re.compile("Verlauf")).click()
    expect(page).to_have_url(re.compile(rf"/meetings/items/{item}/history$"))
    expect(page.locator("table.diff ins")).to_contain_text("Kurs beginnt im Mai, zweiter im Juni.")
    expect(page.locator("table.diff del")).to_contain_text("Kurs beginnt im Mai.")
    expect(page.locator("section[aria-labelledby=versions-heading] .hit")).to_have_count(2)
    check_axe(page)


def test_notes_typed_while_the_minutes_were_locked_are_kept(
    page: Page, browser: Browser, live_server: str
):
    login(page, "admin")
    meeting = new_meeting(page, body_id(page, JOUR_FIXE), date(2095, 11, 7))
    item = add_item(page, meeting, "E2E Protokoll wird gesperrt")
    page.goto(f"/meetings/{meeting}/minutes")
    with signed_in(browser, live_server, "admin") as other:
        other.goto(f"/meetings/{meeting}/minutes")
        other.get_by_role("button", name="Genehmigen", exact=True).click()
        other.get_by_role("button", name=re.compile("Sperren")).click()
        expect(other.locator("h1 .kern-badge")).to_have_text("gesperrt")
    mine = "Noch ein Nachtrag, der nicht verloren gehen darf."
    save_notes(page, item, mine, status=409)
    expect(page.locator("#main h1")).to_have_count(1, timeout=2000)  # not an error page inside
    expect(page.locator(f"#item-{item}-locked")).to_contain_text(mine)
    expect(page.locator(f"#item-{item}-locked")).to_contain_text("nicht gespeichert")


# --- 7. tasks carried over, approval at the next meeting -------------------------------


def test_task_carried_over_and_minutes_approved_at_the_next_meeting(
    page: Page, browser: Browser, live_server: str
):
    login(page, "admin")
    jour_fixe = body_id(page, JOUR_FIXE)
    set_member(page, jour_fixe, "staff", "member")
    earlier = new_meeting(page, jour_fixe, date(2096, 3, 5))
    later = new_meeting(page, jour_fixe, date(2096, 3, 19))
    item = add_item(page, earlier, "E2E Flyer in leichter Sprache")
    task = "E2E Flyer-Entwurf an alle verschicken"
    page.goto(f"/meetings/{earlier}/minutes")
    record_outcome(page, item, "task", task, STAFF_NAME, date(2096, 3, 15))

    page.goto(f"/meetings/{later}")
    standing = page.locator(".agenda-item")
    expect(standing.nth(0)).to_contain_text("5. März 2096")
    expect(standing.nth(1)).to_contain_text(task)
    expect(standing.nth(1)).to_contain_text(STAFF_NAME)
    expect(standing.nth(1)).to_contain_text("15.03.2096")

    with signed_in(browser, live_server, "staff") as staff:
        staff.goto("/meetings/tasks")
        mine = staff.locator(".hit", has_text=task)
        expect(mine).to_contain_text("15.03.2096")
        expect(mine.get_by_role("link")).to_have_attribute(
            "href", f"/meetings/{earlier}/minutes#item-{item}"
        )
        check_axe(staff)

    page.goto(f"/meetings/{earlier}/minutes")
    page.get_by_role("button", name="An die Mitglieder verteilen").click()
    expect(page.locator("#flash")).to_contain_text("verteilt")
    expect(page.locator("h1")).to_contain_text("verteilt")

    page.goto(f"/meetings/{later}/minutes")
    approval = page.locator(".minutes-item").nth(0)
    expect(approval).to_contain_text("verteilt")
    expect(page.locator(".minutes-item").nth(1)).to_contain_text(task)
    check_axe(page)
    approval.get_by_role("button", name="Dieses Protokoll genehmigen").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{later}/minutes#item-\d+$"))
    expect(page.locator("#flash")).to_contain_text("genehmigt")
    approval = page.locator(".minutes-item").nth(0)
    expect(approval).to_contain_text("genehmigt")
    expect(approval.get_by_role("button", name="Dieses Protokoll genehmigen")).to_have_count(0)

    approval.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/meetings/{earlier}/minutes$"))
    expect(page.locator("h1 .kern-badge")).to_have_text("genehmigt")
    expect(page.locator("section[aria-labelledby=state-heading]")).to_contain_text(ADMIN_NAME)


# --- 8. a need from an item to the steering group's decision ----------------------------


def test_need_from_an_item_to_the_steering_group_decision(page: Page):
    login(page, "admin")
    jour_fixe = body_id(page, JOUR_FIXE)
    steering = body_id(page, STEERING)
    page.goto(f"/meetings/bodies/{steering}")
    if page.locator("section[aria-labelledby=upcoming-heading] .hit").count() == 0:
        new_meeting(page, steering, date(2097, 10, 6), "14:00", "16:00")
    meeting = new_meeting(page, jour_fixe, date(2097, 9, 14))
    item = add_item(page, meeting, "E2E Beratung in Kreuzau")
    title = "E2E Keine Migrationsberatung in Kreuzau und Heimbach"

    page.goto(f"/meetings/{meeting}/minutes")
    page.locator(f"#item-{item}").get_by_role(
        "link", name=re.compile("Bedarf oder Lücke aus diesem TOP erfassen")
    ).click()
    expect(page).to_have_url(re.compile(rf"/meetings/needs/new\?item={item}$"))
    expect(page.locator("main")).to_contain_text("E2E Beratung in Kreuzau")
    expect(page.locator("#body_id")).to_have_value(str(jour_fixe))
    page.fill("#title", title)
    page.fill("#description", "Ratsuchende fahren bis nach Düren.")
    page.get_by_label("Kreuzau", exact=True).check()
    page.get_by_label("Heimbach", exact=True).check()
    page.fill("#target_groups", "Neuzugewanderte")
    check_axe(page)
    page.locator("form[action$='/needs/new'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/meetings/needs/\d+$"))
    need_url = page.url
    expect(page.locator("h1")).to_contain_text(title)
    expect(page.locator("h1 .kern-badge")).to_have_text("eingebracht")
    expect(page.locator("dl")).to_contain_text("Heimbach, Kreuzau")
    expect(page.locator("dl").get_by_role("link")).to_have_attribute(
        "href", f"/meetings/{meeting}/minutes#item-{item}"
    )

    change_need(page, "in_coordination", "Die Koordination klärt die Zahlen.")
    expect(page.locator("h1 .kern-badge")).to_have_text("bei der Koordinierung")
    change_need(page, "submitted")
    expect(page.locator("h1 .kern-badge")).to_contain_text("Lenkungsgruppe")
    link = page.locator("dl a[href*='#item-']", has_text="Auf der Tagesordnung")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("main .kern-body a").first).to_have_text(STEERING)
    steering_item = agenda_item(page, f"Bedarf: {title}")
    expect(steering_item).to_be_visible()
    assert page.url.endswith(f"#{steering_item.get_attribute('id')}")

    page.goto(need_url)
    decision = "Die Lenkungsgruppe fördert eine Sprechstunde in Kreuzau ab 2098."
    change_need(page, "decided", decision)
    expect(page.locator("h1 .kern-badge")).to_have_text("entschieden")
    expect(page.locator("dl")).to_contain_text(decision)
    expect(page.locator("section[aria-labelledby=history-heading] li")).to_have_count(4)
    check_axe(page)

    page.goto(f"/meetings/{meeting}/minutes")
    expect(page.locator(f"#item-{item}")).to_contain_text(title)
    page.goto("/meetings/needs?status=decided")
    expect(page.locator("#results")).to_contain_text(title)


def test_a_decision_without_its_text_is_refused(page: Page):
    login(page, "admin")
    jour_fixe = body_id(page, JOUR_FIXE)
    page.goto("/meetings/needs/new")
    page.fill("#title", "E2E Entscheidung ohne Text")
    page.fill("#description", "Ein Beschluss braucht seinen Wortlaut.")
    page.select_option("#body_id", str(jour_fixe))
    page.locator("form[action$='/needs/new'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/meetings/needs/\d+$"))
    change_need(page, "in_coordination")
    change_need(page, "submitted")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        change_need(page, "decided", "", saved=False)
    assert answer.value.status == 422
    expect(page.locator("#note-error")).to_contain_text("Bitte halten Sie den Beschluss fest.")
    expect(page.locator("h1 .kern-badge")).to_contain_text("Lenkungsgruppe")


# --- 9. access: staff outside the steering group ---------------------------------------


def test_staff_outside_the_steering_group_get_not_found(
    page: Page, browser: Browser, live_server: str
):
    login(page, "admin")
    meeting = new_meeting(page, body_id(page, STEERING), date(2098, 4, 14), "14:00", "16:00")
    with signed_in(browser, live_server, "staff") as staff:
        for url in (f"/meetings/{meeting}/minutes", f"/meetings/{meeting}"):
            answer = staff.goto(url)
            assert answer.status == 404, url
            expect(staff.locator("h1")).to_be_visible()
            expect(staff.locator("main")).not_to_contain_text(STEERING)
        check_axe(staff)
        staff.goto("/meetings/")
        expect(staff.locator("#body-filter option", has_text=STEERING)).to_have_count(0)


# --- 10. axe on every meetings page, German and English --------------------------------


@pytest.fixture(scope="module")
def scene(browser: Browser, live_server: str) -> dict[str, int]:
    """One meeting with notes in two versions, a task for the admin and a need."""
    with signed_in(browser, live_server, "admin") as page:
        jour_fixe = body_id(page, JOUR_FIXE)
        set_member(page, jour_fixe, "admin", "organiser")
        meeting = new_meeting(page, jour_fixe, date(2089, 5, 9))
        item = add_item(page, meeting, "E2E Zebrastreifen am Schulweg", duration=10)
        page.goto(f"/meetings/{meeting}/minutes")
        save_notes(page, item, "Erste Fassung.\nDie Stadt prüft.")
        expect(page.locator(f"#item-{item} [role=status]")).not_to_be_empty()
        save_notes(page, item, "Erste Fassung.\nDie Stadt prüft bis Juni.")
        expect(page.locator(f"#item-{item} [role=status]")).not_to_be_empty()
        record_outcome(page, item, "task", "E2E Ampelschaltung nachfragen", ADMIN_NAME)
        page.goto(f"/meetings/needs/new?item={item}")
        page.fill("#title", "E2E Sichere Schulwege")
        page.fill("#description", "Mehr Lotsen an den Schulen.")
        page.get_by_label("Düren", exact=True).check()
        page.locator("form[action$='/needs/new'] button[type=submit]").click()
        page.wait_for_url(re.compile(r"/meetings/needs/\d+$"))
        need = int(page.url.rsplit("/", 1)[1])
    return {"body": jour_fixe, "meeting": meeting, "item": item, "need": need}


@pytest.mark.parametrize("lang", ["de", "en"])
def test_axe_on_the_meetings_pages(
    page: Page, browser: Browser, live_server: str, scene: dict[str, int], lang: str
):
    meeting, item = scene["meeting"], scene["item"]
    login(page, "admin")
    page.goto(f"/meetings/?lang={lang}")
    for url in (
        "/meetings/",
        f"/meetings/bodies/{scene['body']}",
        f"/meetings/{meeting}",
        f"/meetings/items/{item}/history",
        "/meetings/tasks",
        "/meetings/needs",
        f"/meetings/needs/{scene['need']}",
    ):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        check_axe(page)
    expect(page.locator("h1")).to_contain_text("E2E Sichere Schulwege")

    page.goto("/meetings/tasks")
    expect(page.locator("main")).to_contain_text("E2E Ampelschaltung nachfragen")
    page.goto(f"/meetings/items/{item}/history")
    expect(page.locator("table.diff ins")).to_be_visible()

    page.goto("/meetings/search?q=zebrastreifen")
    expect(page.locator("#results .hit").first).to_contain_text("E2E Zebrastreifen am Schulweg")
    check_axe(page)

    page.goto(f"/meetings/bodies/{scene['body']}/series/new")
    page.fill("#rule_text", "every first Wednesday of March and September, 14:00-16:00")
    page.locator("form.entry-form button[type=submit]").click()
    expect(page.locator("#preview-heading")).to_be_visible()
    check_axe(page)

    page.goto(f"/meetings/{meeting}/minutes")
    with signed_in(browser, live_server, "admin") as other:
        other.goto(f"/meetings/{meeting}/minutes")
        save_notes(other, item, f"Fassung aus der anderen Sitzung ({lang}).")
    save_notes(page, item, f"Meine Fassung ({lang}).", status=409)
    expect(page.locator(f"#item-{item}-conflict")).to_be_visible()
    check_axe(page)
