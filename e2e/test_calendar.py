"""The shared calendar in a real browser: a series from the form, one date cancelled,
months by keyboard (with and without JavaScript), category filters with htmx, the feeds and
the .ics of an event, the form's errors, the global search, summer time, and axe.

Every test that needs an event makes it through the form with an "E2E ..." title of its
own, so the tests do not depend on each other; demo data is only read (it is counted from
today, so the tests count from today too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Locator, Page, expect

from e2e.conftest import EXPECTED_STATUS, check_axe, sign_in

pytestmark = pytest.mark.e2e

BERLIN = ZoneInfo("Europe/Berlin")
JOUR_FIXE = "Jour fixe Case-Management"
WEEKDAYS_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
MONTHS_DE = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
THURSDAY, MONDAY = 3, 0


# --- helpers ----------------------------------------------------------------------------


_COOKIES: dict[str, list] = {}


def login(page: Page, username: str = "admin") -> None:
    """Sign in with the form once per user, then reuse the session cookie."""
    if username in _COOKIES:
        page.context.add_cookies(_COOKIES[username])
        return
    sign_in(page, username)
    _COOKIES[username] = page.context.cookies()


@contextmanager
def other_context(browser: Browser, live_server: str, username: str, **options) -> Iterator[Page]:
    """A second browser session (own cookies and options), signed in as ``username``."""
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


def today_in_berlin() -> date:
    return datetime.now(BERLIN).date()


def first_weekday(year: int, month: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def first_thursdays(count: int) -> list[date]:
    """The first Thursdays of the coming months, from next month on."""
    month, found = next_month(today_in_berlin()), []
    for _ in range(count):
        found.append(first_weekday(month.year, month.month, THURSDAY))
        month = next_month(month)
    return found


def german_full(day: date) -> str:
    """A date as the calendar writes it in German ('full'): Donnerstag, 7. Januar 2027."""
    return f"{WEEKDAYS_DE[day.weekday()]}, {day.day}. {MONTHS_DE[day.month - 1]} {day.year}"


FULL_DATE_DE = re.compile(
    rf"({'|'.join(WEEKDAYS_DE)}), (\d{{1,2}})\. ({'|'.join(MONTHS_DE)}) (\d{{4}})"
)


def parse_german(text: str) -> tuple[str, date]:
    """The weekday name and the date of the first German full date in ``text``."""
    match = FULL_DATE_DE.search(text)
    assert match, f"no German date in {text!r}"
    weekday, day, month, year = match.groups()
    return weekday, date(int(year), MONTHS_DE.index(month) + 1, int(day))


def fill_event_form(
    page: Page,
    title: str,
    day: date,
    start: str | None = "10:00",
    end: str | None = "11:00",
    *,
    last_day: date | None = None,
    frequency: str = "none",
    weekdays: tuple[int, ...] = (),
    nth: str | None = None,
    nth_weekday: int | None = None,
    count: int | None = None,
    description: str = "",
    location: str = "",
) -> None:
    """Fill in the new-event form as a person does (``start`` None: all day)."""
    page.goto("/calendar/events/new")
    page.fill("#title", title)
    page.fill("#start_date", day.isoformat())
    if start is None:
        page.check("#all_day")
    else:
        page.fill("#start_time", start)
        page.fill("#end_time", end or "")
    if last_day is not None:
        page.fill("#end_date", last_day.isoformat())
    page.select_option("#frequency", frequency)
    for weekday in weekdays:
        page.check(f"#weekdays-{weekday}")
    if nth is not None:
        page.select_option("#nth", nth)
    if nth_weekday is not None:
        page.select_option("#nth_weekday", str(nth_weekday))
    if count is not None:
        page.select_option("#ends", "count")
        page.fill("#count", str(count))
        page.locator("#count").press("Tab")
    if description:
        page.fill("#description", description)
    if location:
        page.fill("#location", location)


def save_event(page: Page, title: str) -> int:
    """Save the filled-in form; returns the id of the event page it leads to."""
    save_button(page).click()
    page.wait_for_url(re.compile(r"/calendar/events/\d+$"))
    expect(page.locator("h1")).to_have_text(title)
    return int(page.url.rsplit("/", 1)[1])


def new_event(page: Page, title: str, day: date, *args, **kwargs) -> int:
    """An event made with the form; returns its id."""
    fill_event_form(page, title, day, *args, **kwargs)
    return save_event(page, title)


def save_button(page: Page) -> Locator:
    return page.locator("form.entry-form[action*='/calendar/events/'] button[type=submit]")


def upcoming(page: Page) -> Locator:
    """The 'next dates' of the event page shown."""
    return page.locator("section[aria-labelledby=dates-heading] > ul.hits").first.locator("li.hit")


def month_cell(page: Page, day: date) -> Locator:
    """The cell of ``day`` in the month grid shown (German page)."""
    name = page.locator("span.visually-hidden", has_text=re.compile(rf"^{german_full(day)}$"))
    return page.locator("td.month-grid__day", has=name)


def week_day(page: Page, day: date) -> Locator:
    """The day of the week or agenda view shown (German page)."""
    title = page.locator("h3.day__title", has_text=re.compile(rf"^{german_full(day)}"))
    return page.locator("li.day", has=title)


def parse_ics(body: bytes) -> Calendar:
    calendar = Calendar.from_ical(body)
    assert calendar.name == "VCALENDAR"
    return calendar


def vevents(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def summaries(calendar: Calendar) -> list[str]:
    return [str(c.get("SUMMARY")) for c in vevents(calendar)]


def mark_page(page: Page) -> None:
    """Set a flag that a full page load would lose."""
    page.evaluate("window.notReloaded = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.notReloaded === true"), "the page was loaded again"


# --- 1. a monthly series on the first Thursday ----------------------------------------


def test_monthly_series_on_the_first_thursday_from_the_form(page: Page):
    login(page)
    dates = first_thursdays(5)
    title = "E2E Austausch am ersten Donnerstag"
    page.goto("/calendar/")
    page.locator("a[href$='/calendar/events/new']").first.click()
    expect(page).to_have_url(re.compile(r"/calendar/events/new$"))
    expect(page.locator("#start_date")).to_have_value(today_in_berlin().isoformat())
    fill_event_form(
        page,
        title,
        dates[0],
        "14:00",
        "15:30",
        frequency="monthly_nth",
        nth="1",
        nth_weekday=THURSDAY,
        count=len(dates),
    )
    # The form shows the repetition in words and its first dates before saving.
    preview = page.locator("#rule-preview")
    expect(preview).to_contain_text("jeden Monat am ersten Donnerstag, 5-mal")
    expect(preview).to_contain_text(f"{german_full(dates[0])}, 14:00–15:30")
    expect(preview).to_contain_text(german_full(dates[-1]))
    event = save_event(page, title)
    expect(page.locator("#flash")).to_contain_text(title)
    expect(page.locator("dl")).to_contain_text("jeden Monat am ersten Donnerstag, 5-mal")

    shown = upcoming(page)
    expect(shown).to_have_count(len(dates))
    texts = shown.all_inner_texts()
    for text in texts:
        weekday, day = parse_german(text)
        assert weekday == "Donnerstag" and day.weekday() == THURSDAY, text
        assert day.day <= 7, f"not the first Thursday of its month: {text}"
        assert "14:00–15:30" in text, text
    assert [parse_german(text)[1] for text in texts] == dates, texts

    # The month grid of the first date has the event on that Thursday and nowhere else.
    page.goto(f"/calendar/?month={dates[0]:%Y-%m}")
    expect(page.locator("#calendar-heading")).to_have_text(
        f"{MONTHS_DE[dates[0].month - 1]} {dates[0].year}"
    )
    ours = page.locator(f"#calendar a[href='/calendar/events/{event}']")
    expect(ours).to_have_count(1)
    expect(
        month_cell(page, dates[0]).locator(f"a[href='/calendar/events/{event}']")
    ).to_be_visible()
    expect(month_cell(page, dates[0])).to_contain_text("14:00")
    # ... and none after the fifth date.
    after = next_month(dates[-1])
    page.goto(f"/calendar/?month={after:%Y-%m}")
    expect(page.locator(f"#calendar a[href='/calendar/events/{event}']")).to_have_count(0)


# --- 2. one date of the series cancelled -------------------------------------------------


def test_cancel_one_date_of_a_series_and_undo_it(page: Page):
    login(page)
    dates = first_thursdays(4)
    title = "E2E Sprechstunde am ersten Donnerstag"
    event = new_event(
        page, title, dates[0], frequency="monthly_nth", nth="1", nth_weekday=THURSDAY, count=4
    )
    gone = dates[1]
    row = upcoming(page).filter(has_text=german_full(gone))
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/calendar/events/{event}/dates/{gone.isoformat()}$"))
    expect(page.locator("h1")).to_contain_text(german_full(gone))
    page.locator("button[name=action][value=cancel]").click()

    expect(page).to_have_url(re.compile(rf"/calendar/events/{event}$"))
    expect(page.locator("#flash .kern-alert")).to_be_visible()
    expect(upcoming(page)).to_have_count(3)
    expect(upcoming(page).filter(has_text=german_full(gone))).to_have_count(0)
    section = page.locator("section[aria-labelledby=dates-heading]")
    expect(section.locator("del")).to_have_text(german_full(gone))

    # The month grid: the date stays where it was, struck through and marked cancelled
    # (as cancelled meetings are); the other dates are untouched.
    page.goto(f"/calendar/?month={gone:%Y-%m}")
    link = f"a[href='/calendar/events/{event}']"
    expect(month_cell(page, gone)).to_be_visible()
    cancelled = month_cell(page, gone).locator(".calendar-entry--cancelled")
    expect(cancelled.locator(link)).to_have_count(1)
    expect(cancelled.locator(".kern-badge")).to_have_text("fällt aus")
    expect(page.locator(f"#calendar {link}")).to_have_count(1)
    page.goto(f"/calendar/?month={dates[2]:%Y-%m}")
    expect(month_cell(page, dates[2]).locator(link)).to_have_count(1)

    # Other programs learn it too: the date is an EXDATE of the event's file.
    answer = page.request.get(f"/calendar/events/{event}.ics")
    assert answer.ok
    master = vevents(parse_ics(answer.body()))[0]
    exdates = master.get("EXDATE")
    exdates = exdates if isinstance(exdates, list) else [exdates]
    excluded = {moment.dt.date() for prop in exdates if prop for moment in prop.dts}
    assert excluded == {gone}, excluded

    # Undo: the date is back.
    page.goto(f"/calendar/events/{event}")
    page.locator("section[aria-labelledby=dates-heading] del").locator("xpath=..").get_by_role(
        "link"
    ).click()
    expect(page).to_have_url(re.compile(rf"/dates/{gone.isoformat()}$"))
    page.locator("button[name=action][value=restore]").click()
    expect(page).to_have_url(re.compile(rf"/calendar/events/{event}$"))
    expect(upcoming(page)).to_have_count(4)
    expect(page.locator("section[aria-labelledby=dates-heading] del")).to_have_count(0)


# --- 2b. all-day entries ----------------------------------------------------------------------


def test_all_day_entries_stay_on_their_own_days(page: Page):
    """An all-day event, a three-day one and a public holiday: each only on its own days
    (an all-day end is exclusive in iCalendar terms, but the last day in the form)."""
    login(page)
    one_day, first, last = date(2027, 2, 10), date(2027, 2, 17), date(2027, 2, 19)
    single = new_event(page, "E2E Klausurtag", one_day, None)
    expect(page.locator("dl")).to_contain_text(german_full(one_day))
    fair = new_event(page, "E2E Messe an drei Tagen", first, None, last_day=last)

    def days_with(entry: str) -> list[date]:
        """The days of the month grid shown that list ``entry`` (a selector or a text)."""
        cells = page.locator("td.month-grid__day")
        cells = (
            cells.filter(has=page.locator(entry))
            if entry.startswith("a[")
            else (cells.filter(has=page.locator(".calendar-entry", has_text=entry)))
        )
        return [parse_german(t)[1] for t in cells.locator("p.month-grid__date").all_inner_texts()]

    page.goto("/calendar/?month=2027-02")
    expect(page.locator("#calendar-heading")).to_have_text("Februar 2027")
    shown = {
        "one day": days_with(f"a[href='/calendar/events/{single}']"),
        "three days": days_with(f"a[href='/calendar/events/{fair}']"),
    }
    page.goto("/calendar/?month=2027-01")
    expect(page.locator("#calendar-heading")).to_have_text("Januar 2027")
    shown["Neujahr"] = days_with("Neujahr")
    page.goto("/calendar/?month=2026-12")
    shown["1. Weihnachtstag"] = days_with("1. Weihnachtstag")
    expected = {
        "one day": [one_day],
        "three days": [first, first + timedelta(days=1), last],
        "Neujahr": [date(2027, 1, 1)],
        "1. Weihnachtstag": [date(2026, 12, 25)],
    }
    assert shown == expected, "all-day entries on other days than their own"

    page.goto("/calendar/?week=2027-W07")  # 15 to 21 February
    for day in (first, first + timedelta(days=1), last):
        expect(week_day(page, day)).to_contain_text("E2E Messe an drei Tagen")
    expect(week_day(page, last + timedelta(days=1))).not_to_contain_text("E2E Messe an drei Tagen")


# --- 3. months by keyboard, with htmx and without JavaScript -------------------------------


def test_next_month_by_keyboard_with_htmx_and_back(page: Page):
    login(page)
    page.goto("/calendar/?month=2026-12")
    expect(page.locator("#calendar-heading")).to_have_text("Dezember 2026")
    mark_page(page)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "calendar-next":
            break
    else:
        pytest.fail("the 'next month' link cannot be reached with Tab")
    expect(page.locator("#calendar-next")).to_be_focused()
    with page.expect_response(
        lambda r: "month=2027-01" in r.url and r.request.headers.get("hx-request") == "true"
    ) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    expect(page).to_have_url(re.compile(r"/calendar/\?month=2027-01$"))
    expect(page.locator("#calendar-heading")).to_have_text("Januar 2027")
    expect(page.locator("#calendar")).to_have_count(1)
    expect(page.locator("h1")).to_have_count(1)
    assert_not_reloaded(page)
    # Focus stays on the link (the same id in the new content): Enter again goes on.
    expect(page.locator("#calendar-next")).to_be_focused()
    expect(month_cell(page, date(2027, 1, 1))).to_contain_text("Neujahr")
    check_axe(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/calendar/\?month=2026-12$"))
    expect(page.locator("#calendar-heading")).to_have_text("Dezember 2026")
    expect(month_cell(page, date(2026, 12, 25))).to_contain_text("Weihnachtstag")
    page.go_forward()
    expect(page.locator("#calendar-heading")).to_have_text("Januar 2027")


def test_next_month_without_javascript(page: Page, browser: Browser, live_server: str):
    login(page)  # for the cookie
    with other_context(browser, live_server, "admin", java_script_enabled=False) as plain:
        plain.goto("/calendar/?month=2026-12")
        expect(plain.locator("#calendar-heading")).to_have_text("Dezember 2026")
        plain.focus("#calendar-next")
        plain.keyboard.press("Enter")
        expect(plain).to_have_url(re.compile(r"/calendar/\?month=2027-01$"))
        expect(plain.locator("#calendar-heading")).to_have_text("Januar 2027")
        plain.locator("#calendar-previous").click()
        expect(plain).to_have_url(re.compile(r"/calendar/\?month=2026-12$"))
        expect(plain.locator("#calendar-heading")).to_have_text("Dezember 2026")


# --- 4. category filters with htmx ----------------------------------------------------------


def test_category_filters_update_the_calendar_in_place(page: Page):
    login(page)
    training_day = today_in_berlin() + timedelta(days=9)  # demo: Aufenthaltsrecht kompakt
    month = f"{training_day:%Y-%m}"
    page.goto(f"/calendar/?month={month}")
    entries = page.locator("#calendar .calendar-entry:not(.calendar-entry--holiday)")
    expect(page.locator("#calendar .calendar-entry--meeting").first).to_be_visible()
    expect(page.locator("#calendar .calendar-entry--training").first).to_be_visible()
    mark_page(page)

    with page.expect_response(
        lambda r: "category=training" in r.url and r.request.headers.get("hx-request") == "true"
    ):
        page.check("#category-training")
    expect(page).to_have_url(
        re.compile(rf"month={month}.*category=training|category=training.*month={month}")
    )
    expect(page.locator("#category-training")).to_be_checked()
    expect(entries.first).to_be_visible()
    expect(entries.filter(has_text="Fortbildung: Aufenthaltsrecht kompakt")).to_have_count(1)
    assert all(
        "calendar-entry--training" in c
        for c in entries.evaluate_all("nodes => nodes.map(n => n.className)")
    ), "other categories are still shown"
    expect(page.locator("#calendar-next")).to_have_attribute(
        "href", re.compile("category=training")
    )
    assert_not_reloaded(page)

    jour_fixe = page.get_by_label(JOUR_FIXE, exact=True)
    body = jour_fixe.get_attribute("value")
    jour_fixe.check()
    expect(page).to_have_url(re.compile(rf"category=training.*category={body}"))
    meetings = page.locator("#calendar .calendar-entry--meeting")
    expect(meetings.first).to_be_visible()
    expect(meetings.first).to_contain_text(JOUR_FIXE)
    texts = meetings.all_inner_texts()
    assert all(JOUR_FIXE in text for text in texts), f"meetings of other bodies: {texts}"
    page.uncheck("#category-training")
    expect(page).not_to_have_url(re.compile("category=training"))
    expect(page.locator("#calendar .calendar-entry--training")).to_have_count(0)
    expect(meetings.first).to_be_visible()
    assert_not_reloaded(page)

    # The address is the state: loaded again, the same filter is ticked.
    page.reload()
    expect(page.get_by_label(JOUR_FIXE, exact=True)).to_be_checked()
    expect(page.locator("#category-training")).not_to_be_checked()
    expect(page.locator("#calendar .calendar-entry--training")).to_have_count(0)
    page.get_by_label(JOUR_FIXE, exact=True).uncheck()
    expect(page).not_to_have_url(re.compile("category="))
    expect(page.locator("#calendar .calendar-entry--training").first).to_be_visible()


# --- 5. the feeds ------------------------------------------------------------------------------


def test_private_feed_renewed_and_public_feed(page: Page):
    login(page)
    page.goto("/calendar/")
    page.locator("a[href$='/calendar/subscribe']").first.click()
    expect(page).to_have_url(re.compile(r"/calendar/subscribe$"))
    old = page.locator("#private-url").input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/calendar/feed/[\w-]{20,}\.ics", old), old
    expect(page.locator("a[href^='webcal://']")).to_have_attribute(
        "href", old.replace("http://", "webcal://")
    )

    answer = page.request.get(old)
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    feed = parse_ics(answer.body())
    meetings = [c for c in vevents(feed) if str(c.get("SUMMARY")) == JOUR_FIXE]
    assert meetings, summaries(feed)
    assert all(c.decoded("DTSTART").tzinfo is not None for c in meetings)
    assert "Fortbildung: Aufenthaltsrecht kompakt" in summaries(feed)  # internal event

    page.locator("form[action$='/calendar/subscribe'] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/calendar/subscribe$"))
    expect(page.locator("#flash .kern-alert")).to_be_visible()
    new = page.locator("#private-url").input_value()
    assert new != old
    assert page.request.get(old).status == 404
    renewed = page.request.get(new)
    assert renewed.status == 200
    assert JOUR_FIXE in summaries(parse_ics(renewed.body()))

    public_url = page.locator("section[aria-labelledby=public-heading] a").get_attribute("href")
    assert public_url.endswith("/calendar.ics")
    public = page.request.get(public_url)
    assert public.status == 200
    assert public.headers["content-type"].startswith("text/calendar")
    calendar = parse_ics(public.body())
    titles = summaries(calendar)
    assert "Infoabend Einbürgerung" in titles, titles
    assert "Fortbildung: Aufenthaltsrecht kompakt" not in titles
    assert JOUR_FIXE not in titles
    assert {str(c.get("CLASS")) for c in vevents(calendar)} == {"PUBLIC"}


# --- 6. an event's own .ics ------------------------------------------------------------------


def test_event_ics_download_and_import_preview(page: Page):
    login(page)
    day = today_in_berlin() + timedelta(days=20)
    title = "E2E Fachtag Sprachförderung"
    event = new_event(
        page, title, day, "09:30", "16:00", description="Mit Mittagspause.", location="Aula"
    )
    with page.expect_download() as download:
        page.locator(f"a[href='/calendar/events/{event}.ics']").click()
    assert download.value.suggested_filename == f"termin-{event}.ics"
    body = Path(download.value.path()).read_bytes()
    events = vevents(parse_ics(body))
    assert len(events) == 1
    ours = events[0]
    assert str(ours["SUMMARY"]) == title
    assert str(ours["LOCATION"]) == "Aula"
    assert ours.decoded("DTSTART") == datetime.combine(day, time(9, 30), tzinfo=BERLIN)
    assert ours.decoded("DTEND") == datetime.combine(day, time(16), tzinfo=BERLIN)
    uid = str(ours["UID"])
    assert uid

    # The same UID is in the private feed: a calendar program sees one event, not two.
    page.goto("/calendar/subscribe")
    feed = parse_ics(page.request.get(page.locator("#private-url").input_value()).body())
    assert [str(c["UID"]) for c in vevents(feed) if str(c["SUMMARY"]) == title] == [uid]

    # Importing the file again finds the event by its UID: nothing new.
    page.goto("/calendar/import")
    page.set_input_files("#file", download.value.path())
    page.locator("form[action$='/calendar/import'] button[type=submit]").click()
    row = page.locator("#plan-heading ~ .table-scroll tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("td").first).to_have_text(title)
    expect(row.locator("td").last).to_have_text(re.compile(r"^(unverändert|unchanged)$"))


# --- 7. axe, German and English -------------------------------------------------------------


@pytest.mark.parametrize("lang", ["de", "en"])
def test_axe_on_the_calendar_pages(page: Page, lang: str):
    login(page)
    page.goto(f"/calendar/?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.goto("/search?q=Austausch+Sprachmittlung")
    series = page.locator("section[aria-labelledby=found-events] a").first
    expect(series).to_have_text("Austausch Sprachmittlung")
    event_url = series.get_attribute("href")
    for url in (
        "/calendar/",
        "/calendar/?week=2026-W49",
        "/calendar/?view=agenda",
        "/calendar/events/new",
        event_url,
        "/calendar/subscribe",
        "/calendar/import",
        "/",
        "/search?q=Jour",
    ):
        answer = page.goto(url)
        assert answer.status == 200, url
        expect(page.locator("html")).to_have_attribute("lang", lang)
        check_axe(page)
    expect(page.locator("section[aria-labelledby=found-meetings] .hit").first).to_be_visible()

    # One date of the demo series (its page has the cancel and the other-time forms).
    page.goto(event_url)
    upcoming(page).first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/dates/\d{4}-\d{2}-\d{2}$"))
    check_axe(page)

    # The form after a failed submit.
    page.goto("/calendar/events/new")
    page.fill("#title", "E2E Axe")
    page.fill("#start_time", "10:00")
    page.fill("#end_time", "09:00")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        save_button(page).click()
    assert answer.value.status == 422
    expect(page.locator("#end_time-error")).to_be_visible()
    check_axe(page)


# --- 8. the form's errors --------------------------------------------------------------------


def test_event_form_errors_next_to_the_fields_input_kept(page: Page):
    login(page)
    day = today_in_berlin() + timedelta(days=40)
    title = "E2E Falsche Zeiten"
    page.goto("/calendar/events/new")
    page.fill("#title", title)
    page.fill("#start_date", day.isoformat())
    page.fill("#start_time", "10:00")
    page.fill("#end_time", "09:00")
    page.select_option("#frequency", "weekly")
    page.select_option("#ends", "count")
    page.fill("#count", "9999")
    page.fill("#description", "Zeile eins\nZeile zwei")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        save_button(page).click()
    assert answer.value.status == 422
    expect(page).to_have_url(re.compile(r"/calendar/events/new$"))

    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(page.locator("#end_time-error")).to_contain_text("Das Ende muss nach dem Beginn liegen.")
    expect(page.locator("#end_time")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#end_time")).to_have_attribute(
        "aria-describedby", re.compile(r"\bend_time-error\b")
    )
    expect(page.locator("#count-error")).to_contain_text("500")
    expect(page.locator("#count")).to_have_attribute("aria-invalid", "true")
    expect(summary.locator("a[href='#end_time']")).to_have_count(1)
    expect(summary.locator("a[href='#count']")).to_have_count(1)
    # The error stands next to its own field.
    expect(
        page.locator(".kern-form-input", has=page.locator("#end_time")).locator("#end_time-error")
    ).to_be_visible()
    expect(
        page.locator(".kern-form-input", has=page.locator("#count")).locator("#count-error")
    ).to_be_visible()

    expect(page.locator("#title")).to_have_value(title)
    expect(page.locator("#start_date")).to_have_value(day.isoformat())
    expect(page.locator("#start_time")).to_have_value("10:00")
    expect(page.locator("#end_time")).to_have_value("09:00")
    expect(page.locator("#frequency")).to_have_value("weekly")
    expect(page.locator("#ends")).to_have_value("count")
    expect(page.locator("#count")).to_have_value("9999")
    expect(page.locator("#description")).to_have_value("Zeile eins\nZeile zwei")

    # Following the link of the summary puts the cursor into the field.
    summary.locator("a[href='#end_time']").click()
    expect(page.locator("#end_time")).to_be_focused()

    page.fill("#end_time", "11:00")
    page.fill("#count", "3")
    save_button(page).click()
    page.wait_for_url(re.compile(r"/calendar/events/\d+$"))
    expect(page.locator("h1")).to_have_text(title)
    expect(upcoming(page)).to_have_count(3)
    expect(upcoming(page).first).to_contain_text("10:00–11:00")


# --- 9. the global search, live -----------------------------------------------------------


def test_global_search_live_finds_minutes_and_contacts(page: Page):
    login(page, "staff")
    page.goto("/")
    page.goto("/search")
    mark_page(page)
    box = page.locator("#q")
    with page.expect_request(
        lambda r: "q=Wohnraum" in r.url and r.headers.get("hx-request") == "true"
    ):
        box.press_sequentially("Wohnraum", delay=30)
    expect(page).to_have_url(re.compile(r"/search\?q=Wohnraum$"))
    meetings = page.locator("section[aria-labelledby=found-meetings]")
    expect(meetings.locator(".hit__title").first).to_contain_text("Wohnraumsituation in Jülich")
    expect(meetings.locator(".hit").first).to_contain_text(JOUR_FIXE)
    expect(page.locator("#result-status")).not_to_be_empty()
    assert_not_reloaded(page)

    box.fill("")
    with page.expect_request(
        lambda r: "q=Lennartz" in r.url and r.headers.get("hx-request") == "true"
    ):
        box.press_sequentially("Lennartz", delay=30)
    directory = page.locator("section[aria-labelledby=found-directory]")
    expect(directory.locator(".hit__title").first).to_have_text("Birgit Lennartz")
    expect(directory.locator(".hit").first).to_contain_text("Kommunales Integrationszentrum")
    expect(meetings.locator(".hit")).to_have_count(0)
    assert_not_reloaded(page)
    check_axe(page)

    directory.get_by_role("link", name="Birgit Lennartz").click()
    expect(page).to_have_url(re.compile(r"/directory/contacts/\d+"))
    expect(page.locator("h1")).to_contain_text("Birgit Lennartz")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/search\?q=Lennartz$"))
    expect(page.locator("#q")).to_have_value("Lennartz")
    expect(directory.locator(".hit__title").first).to_have_text("Birgit Lennartz")


# --- 10. summer time -------------------------------------------------------------------------


def test_weekly_ten_oclock_stays_at_ten_across_summer_time(page: Page):
    login(page)
    title = "E2E Wochenrunde Sommerzeit"
    first = date(2027, 3, 15)  # a Monday; summer time begins on Sunday, 28 March 2027
    event = new_event(page, title, first, "10:00", "11:00", frequency="weekly", weekdays=(MONDAY,))
    link = f"a[href='/calendar/events/{event}']"
    for week, monday in (("2027-W12", date(2027, 3, 22)), ("2027-W13", date(2027, 3, 29)),
                         ("2027-W14", date(2027, 4, 5))):  # fmt: skip
        page.goto(f"/calendar/?week={week}")
        expect(page.locator("#calendar-heading")).to_contain_text(str(monday.isocalendar().week))
        entry = week_day(page, monday).locator(".calendar-entry", has=page.locator(link))
        expect(entry).to_have_count(1)
        expect(entry.locator(".calendar-entry__time")).to_have_text("10:00")
        expect(page.locator(f"#calendar {link}")).to_have_count(1)

    # The file for other programs: 10:00 Berlin time, before and after the change.
    calendar = parse_ics(page.request.get(f"/calendar/events/{event}.ics").body())
    master = vevents(calendar)[0]
    start = master.decoded("DTSTART")
    assert start == datetime(2027, 3, 15, 10, tzinfo=BERLIN)
    assert str(getattr(start.tzinfo, "key", start.tzinfo)) == "Europe/Berlin"
    assert master["RRULE"].get("FREQ") == ["WEEKLY"]
    assert master["RRULE"].get("BYDAY") == ["MO"]
    zones = [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Berlin"]
