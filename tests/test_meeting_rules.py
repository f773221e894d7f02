"""Meeting rhythms in words: parsing (German and English), description, expansion, holidays.

Pure unit tests: no app, no database.
"""

from __future__ import annotations

import time as clock
from datetime import date, datetime, time

import pytest
from dateutil.rrule import rrulestr

from kimweb.meetings import rules
from kimweb.meetings.rules import (
    MAX_OCCURRENCES,
    Occurrence,
    Rule,
    RuleError,
    describe,
    expand,
    parse_rule,
)

TODAY = date(2026, 11, 21)


def parse(text: str) -> Rule:
    return parse_rule(text, today=TODAY)


def days(rule: Rule | str, first: date, start: date, end: date) -> list[date]:
    return [occurrence.day for occurrence in expand(rule, first, start, end)]


@pytest.mark.parametrize(
    ("text", "rrule", "start", "end"),
    [
        ("jeden 2. und 4. Dienstag, 10:00-12:00", "FREQ=MONTHLY;BYDAY=2TU,4TU", "10:00", "12:00"),
        ("every 2nd and 4th Tuesday, 10:00-12:00", "FREQ=MONTHLY;BYDAY=2TU,4TU", "10:00", "12:00"),
        (
            "Jeden zweiten und vierten DIENSTAG 10.00 bis 12.00 Uhr",
            "FREQ=MONTHLY;BYDAY=2TU,4TU",
            "10:00",
            "12:00",
        ),
        ("every second and fourth Tue, 10 to 12", "FREQ=MONTHLY;BYDAY=2TU,4TU", "10:00", "12:00"),
        (
            "jeden ersten Mittwoch im März und September, 14–16 Uhr",
            "FREQ=YEARLY;BYMONTH=3,9;BYDAY=1WE",
            "14:00",
            "16:00",
        ),
        (
            "every first Wednesday of March and September, 2-4 pm",
            "FREQ=YEARLY;BYMONTH=3,9;BYDAY=1WE",
            "14:00",
            "16:00",
        ),
        (
            "every 1st Wed of Mar and Sep, 2pm-4pm",
            "FREQ=YEARLY;BYMONTH=3,9;BYDAY=1WE",
            "14:00",
            "16:00",
        ),
        (
            "ersten Mi im Maerz und September 14:00-16:00",
            "FREQ=YEARLY;BYMONTH=3,9;BYDAY=1WE",
            "14:00",
            "16:00",
        ),
        ("jeden Montag 9-10", "FREQ=WEEKLY;BYDAY=MO", "09:00", "10:00"),
        ("every Monday 9:00-10:00", "FREQ=WEEKLY;BYDAY=MO", "09:00", "10:00"),
        ("montags 9 bis 10 Uhr", "FREQ=WEEKLY;BYDAY=MO", "09:00", "10:00"),
        ("Mondays, 9 am until 10 am", "FREQ=WEEKLY;BYDAY=MO", "09:00", "10:00"),
        ("Mo 9 Uhr – 10 Uhr", "FREQ=WEEKLY;BYDAY=MO", "09:00", "10:00"),
        (
            "wöchentlich dienstags und donnerstags 8:30–9:15",
            "FREQ=WEEKLY;BYDAY=TU,TH",
            "08:30",
            "09:15",
        ),
        ("weekly on Tue and Thu, 8:30-9:15", "FREQ=WEEKLY;BYDAY=TU,TH", "08:30", "09:15"),
        ("alle zwei Wochen donnerstags 10-11", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "10:00", "11:00"),
        ("every other Thursday 10-11", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "10:00", "11:00"),
        ("every 2 weeks on Thursday 10-11", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "10:00", "11:00"),
        ("14-tägig donnerstags 10-11", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "10:00", "11:00"),
        ("fortnightly on Thursdays 10-11", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "10:00", "11:00"),
        ("jede dritte Woche Do 10-11", "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH", "10:00", "11:00"),
        ("jeden letzten Freitag im Monat 13-14", "FREQ=MONTHLY;BYDAY=-1FR", "13:00", "14:00"),
        ("every last Friday of the month 1-2pm", "FREQ=MONTHLY;BYDAY=-1FR", "13:00", "14:00"),
        ("monatlich am 15., 10-11", "FREQ=MONTHLY;BYMONTHDAY=15", "10:00", "11:00"),
        ("monthly on the 15th 10-11", "FREQ=MONTHLY;BYMONTHDAY=15", "10:00", "11:00"),
        ("am 15. des Monats, 10-11", "FREQ=MONTHLY;BYMONTHDAY=15", "10:00", "11:00"),
        ("monatlich am 1. und 15., 10-11", "FREQ=MONTHLY;BYMONTHDAY=1,15", "10:00", "11:00"),
        ("am letzten Tag im Monat 16-17", "FREQ=MONTHLY;BYMONTHDAY=-1", "16:00", "17:00"),
        ("alle 2 Monate am 1. Montag 9-10", "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO", "09:00", "10:00"),
        ("jährlich am 15. März 10-11", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15", "10:00", "11:00"),
        ("every fifth Friday 18-20", "FREQ=MONTHLY;BYDAY=5FR", "18:00", "20:00"),
        ("jeden 1. Montag und 3. Mittwoch 10-11", "FREQ=MONTHLY;BYDAY=1MO,3WE", "10:00", "11:00"),
        ("werktags 9:00-9:15", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "09:00", "09:15"),
        ("every Monday 11am-1pm", "FREQ=WEEKLY;BYDAY=MO", "11:00", "13:00"),
        ("every Monday 12 am - 1 am", "FREQ=WEEKLY;BYDAY=MO", "00:00", "01:00"),
        ("montags 10-11 am Vormittag, bitte pünktlich", "FREQ=WEEKLY;BYDAY=MO", "10:00", "11:00"),
        ("jeden Samstag 9-13 Uhr (Raum 204)", "FREQ=WEEKLY;BYDAY=SA", "09:00", "13:00"),
        ("jeden Mittwoch 17 Uhr bis 18 Uhr 30", "FREQ=WEEKLY;BYDAY=WE", "17:00", "18:30"),
        ("von 10 bis 12 Uhr jeden Dienstag", "FREQ=WEEKLY;BYDAY=TU", "10:00", "12:00"),
        ("10-12 Uhr, jeden 2./4. Dienstag", "FREQ=MONTHLY;BYDAY=2TU,4TU", "10:00", "12:00"),
        ("monatlich am 15 10-11", "FREQ=MONTHLY;BYMONTHDAY=15", "10:00", "11:00"),
        ("every Mon & Wed, 7.30-8.30 p.m.", "FREQ=WEEKLY;BYDAY=MO,WE", "19:30", "20:30"),
    ],
)
def test_parse(text: str, rrule: str, start: str, end: str) -> None:
    rule = parse(text)
    assert rule == Rule(rrule, time.fromisoformat(start), time.fromisoformat(end))


@pytest.mark.parametrize(
    ("text", "first", "expected"),
    [
        (
            "jeden 2. und 4. Dienstag, 10:00-12:00",
            date(2027, 1, 1),
            ["01-12", "01-26", "02-09", "02-23", "03-09", "03-23"],
        ),
        ("every first Wednesday of March and September, 2-4 pm", date(2026, 1, 1), ["03-03"]),
        (
            "every other Thursday 10-11",
            date(2027, 1, 7),
            ["01-07", "01-21", "02-04", "02-18", "03-04", "03-18"],
        ),
        # the series starts on a Friday: that week's Thursday is before it, so the 21st
        (
            "every other Thursday 10-11",
            date(2027, 1, 8),
            ["01-21", "02-04", "02-18", "03-04", "03-18"],
        ),
        ("every last Friday of the month 1-2pm", date(2027, 1, 1), ["01-29", "02-26", "03-26"]),
        ("monthly on the 15th 10-11", date(2027, 1, 1), ["01-15", "02-15", "03-15"]),
        ("am letzten Tag im Monat 16-17", date(2027, 1, 1), ["01-31", "02-28", "03-31"]),
        ("jeden 5. Montag 10-11", date(2027, 1, 1), ["03-29"]),
        ("alle 2 Monate am 1. Montag 9-10", date(2026, 12, 1), ["02-01"]),
    ],
)
def test_expand(text: str, first: date, expected: list[str]) -> None:
    found = days(parse(text), first, date(2027, 1, 1), date(2027, 3, 31))
    assert found == [date.fromisoformat(f"2027-{day}") for day in expected]


def test_expand_marks_nrw_holidays_on_the_first_of_the_month() -> None:
    rule = parse("monatlich am 1., 10-11")
    found = expand(rule, date(2027, 1, 1), date(2027, 1, 1), date(2027, 12, 31))
    assert len(found) == 12
    assert found[0] == Occurrence(date(2027, 1, 1), "new_year")
    assert found[4] == Occurrence(date(2027, 5, 1), "labour_day")
    assert found[10] == Occurrence(date(2027, 11, 1), "all_saints")
    assert [o.holiday for o in found].count(None) == 9


def test_expand_marks_corpus_christi_and_ascension_on_thursdays() -> None:
    rule = parse("every Thursday 10-11")
    found = expand(rule, date(2027, 1, 1), date(2027, 5, 1), date(2027, 5, 31))
    assert [(o.day.day, o.holiday) for o in found] == [
        (6, "ascension"),
        (13, None),
        (20, None),
        (27, "corpus_christi"),
    ]


def test_expand_window_and_first_are_inclusive_and_ordered() -> None:
    rule = parse("jeden Montag 9-10")
    assert days(rule, date(2027, 1, 4), date(2027, 1, 4), date(2027, 1, 18)) == [
        date(2027, 1, 4),
        date(2027, 1, 11),
        date(2027, 1, 18),
    ]
    assert days(rule, date(2027, 1, 12), date(2027, 1, 1), date(2027, 1, 31)) == [
        date(2027, 1, 18),
        date(2027, 1, 25),
    ]
    assert days(rule, date(2027, 1, 1), date(2027, 2, 1), date(2027, 1, 1)) == []
    assert days(rule, date(2028, 1, 1), date(2027, 1, 1), date(2027, 12, 31)) == []


def test_expand_accepts_an_rrule_string() -> None:
    new_year = date(2027, 1, 1)
    assert days("RRULE:FREQ=MONTHLY;BYMONTHDAY=1", new_year, new_year, new_year) == [new_year]
    assert days("freq=weekly;byday=mo", new_year, new_year, date(2027, 1, 11)) == [
        date(2027, 1, 4),
        date(2027, 1, 11),
    ]


@pytest.mark.parametrize(
    "rrule", ["", "garbage", "FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;INTERVAL=x"]
)
def test_expand_rejects_unreadable_rules(rrule: str) -> None:
    with pytest.raises(RuleError) as error:
        expand(rrule, date(2027, 1, 1), date(2027, 1, 1), date(2027, 12, 31))
    assert error.value.message == "This rule cannot be read."


def test_expand_is_capped() -> None:
    rule = parse("every Monday 9-10")
    found = expand(rule, date(2027, 1, 1), date(2027, 1, 1), date(2047, 1, 1))
    assert len(found) == MAX_OCCURRENCES
    assert found[-1].day < date(2037, 1, 1)


def test_expand_is_fast_for_two_years_and_for_year_9999() -> None:
    rule = parse("jeden 2. und 4. Dienstag, 10:00-12:00")
    began = clock.perf_counter()
    assert len(days(rule, date(2027, 1, 1), date(2027, 1, 1), date(2028, 12, 31))) == 48
    far = days(parse("every Thursday 10-11"), date(2000, 1, 6), date(9999, 12, 1), date.max)
    assert far == [date(9999, 12, d) for d in (2, 9, 16, 23, 30)]
    assert days(rule, date(9999, 12, 1), date(9999, 12, 1), date.max) == [
        date(9999, 12, 14),
        date(9999, 12, 28),
    ]
    assert days("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", date(2027, 1, 1), TODAY, date.max) == []
    assert clock.perf_counter() - began < 2


@pytest.mark.parametrize(
    "rrule",
    [
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,FR",
        "FREQ=MONTHLY;INTERVAL=5;BYDAY=2TU,-1FR",
        "FREQ=MONTHLY;INTERVAL=7;BYMONTHDAY=31",
        "FREQ=YEARLY;INTERVAL=3;BYMONTH=2;BYDAY=-1MO",
        "FREQ=DAILY;INTERVAL=10",
    ],
)
@pytest.mark.parametrize(
    "first", [date(1990, 1, 31), date(1999, 2, 28), date(2003, 7, 9), date(2026, 12, 31)]
)
def test_expand_far_from_first_matches_plain_iteration(rrule: str, first: date) -> None:
    """expand skips whole periods ahead; the dates must be those of plain iteration."""
    start, end = date(2027, 11, 3), date(2029, 2, 1)
    plain = rrulestr(rrule, dtstart=datetime.combine(first, time()))
    expected = plain.between(
        datetime.combine(start, time()), datetime.combine(end, time()), inc=True
    )
    assert days(rrule, first, start, end) == [moment.date() for moment in expected]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", rules.EMPTY),
        ("   ", rules.EMPTY),
        ("jeden Montag 10-11 " + "x" * 200, rules.TOO_LONG),
        ("zweimal im Jahr", rules.NO_DAY),
        ("twice a year, 10-12", rules.NO_DAY),
        ("10:00-12:00", rules.NO_DAY),
        ("jeden März 10-12", rules.NO_DAY),
        ("jeden Montag", rules.NO_TIME),
        ("every Monday at 10 am", rules.NO_END),
        ("jeden Montag 10 Uhr", rules.NO_END),
        ("jeden Montag um 10", rules.NO_END),
        ("am 15. ab 18:30", rules.NO_END),
        ("Mo 10-11 und Di 14-15", rules.ONE_TIME),
        ("jeden Montag 12-10", rules.END_BEFORE),
        ("jeden Montag 10:00-10:00", rules.END_BEFORE),
        ("jeden Montag 25:00-26:00", rules.BAD_TIME),
        ("jeden Montag 10:75-11:00", rules.BAD_TIME),
        ("every Monday 13pm-14pm", rules.BAD_TIME),
        ("jeden 6. Montag 10-11", rules.BAD_NTH),
        ("every sixth Monday 10-11", rules.BAD_NTH),
        ("monatlich am 32., 10-11", rules.BAD_MONTHDAY),
        ("jeden Montag und am 15., 10-11", rules.MIXED),
        ("alle zwei Wochen am 2. Dienstag 10-11", rules.WEEK_OR_MONTH),
        ("wöchentlich am 15., 10-11", rules.WEEK_OR_MONTH),
        ("every other month on Mondays 10-11", rules.WEEK_OR_MONTH),
        ("alle 10 Tage montags 10-11", rules.BAD_INTERVAL),
        ("alle 0 Wochen montags 10-11", rules.BAD_INTERVAL),
        ("jährlich am 2. Dienstag 10-11", rules.NO_MONTH),
        ("am 30. Februar 10-11", rules.NO_DATE),
        ("every 31st of April and June 10-11", rules.NO_DATE),
        ("jeden 5. Montag im Februar 10-11", rules.NO_DATE),
    ],
)
def test_errors(text: str, message: str) -> None:
    with pytest.raises(RuleError) as error:
        parse(text)
    assert error.value.message == message


def test_error_messages_are_english_msgids_with_an_example() -> None:
    assert rules.NO_DAY == "Name a weekday, for example: every 2nd and 4th Tuesday, 10:00-12:00"
    assert rules.NO_TIME == "Add the time, for example 10:00-12:00."
    assert rules.END_BEFORE == "The end time must be after the start time."
    assert rules.NO_DATE == "This rule has no date in the next two years."


def test_error_params_fill_the_placeholders() -> None:
    with pytest.raises(RuleError) as error:
        parse("jeden Montag 10:75-11:00")
    assert error.value.params == {"time": "10:75"}
    assert str(error.value) == "10:75 is not a valid time."
    with pytest.raises(RuleError) as error:
        parse("x" * 201)
    assert error.value.params == {"max": 200}
    with pytest.raises(RuleError) as error:
        parse("monatlich am 32., 10-11")
    assert str(error.value) == "A month has no day 32."


def test_fifth_weekday_of_february_once_it_occurs_within_two_years() -> None:
    rule = parse_rule("jeden 5. Montag im Februar 10-11", today=date(2043, 6, 1))
    assert rule.rrule == "FREQ=YEARLY;BYMONTH=2;BYDAY=5MO"
    found = days(rule, date(2043, 6, 1), date(2043, 6, 1), date(2073, 12, 31))
    assert found == [date(2044, 2, 29), date(2072, 2, 29)]


def test_parse_defaults_to_today_and_handles_the_last_years() -> None:
    assert parse_rule("every Monday 9-10").rrule == "FREQ=WEEKLY;BYDAY=MO"
    assert parse_rule("every Monday 9-10", today=date(9999, 12, 1)).rrule == "FREQ=WEEKLY;BYDAY=MO"
    with pytest.raises(RuleError):
        parse_rule("jeden 1. Montag im Januar 9-10", today=date(9999, 2, 1))


@pytest.mark.parametrize(
    ("text", "de", "en"),
    [
        (
            "every 2nd and 4th Tuesday, 10:00-12:00",
            "jeden 2. und 4. Dienstag, 10:00–12:00",
            "every 2nd and 4th Tuesday, 10:00–12:00",
        ),
        ("montags 9 bis 10 Uhr", "jeden Montag, 09:00–10:00", "every Monday, 09:00–10:00"),
        (
            "every other Thursday 10-11",
            "alle zwei Wochen am Donnerstag, 10:00–11:00",
            "every two weeks on Thursday, 10:00–11:00",
        ),
        (
            "jeden letzten Freitag im Monat 13-14",
            "jeden letzten Freitag im Monat, 13:00–14:00",
            "every last Friday of the month, 13:00–14:00",
        ),
        (
            "monatlich am 15., 10-11",
            "monatlich am 15., 10:00–11:00",
            "monthly on the 15th, 10:00–11:00",
        ),
        (
            "jeden ersten Mittwoch im März und September, 14–16 Uhr",
            "jeden 1. Mittwoch im März und September, 14:00–16:00",
            "every 1st Wednesday in March and September, 14:00–16:00",
        ),
        (
            "jährlich am 15. März 10-11",
            "jährlich am 15. März, 10:00–11:00",
            "yearly on the 15th of March, 10:00–11:00",
        ),
        (
            "am 1., 22. und letzten Tag 8-9",
            "monatlich am 1., 22. und letzten Tag, 08:00–09:00",
            "monthly on the 1st, 22nd and last day, 08:00–09:00",
        ),
    ],
)
def test_describe(text: str, de: str, en: str) -> None:
    rule = parse(text)
    assert describe(rule) == de
    assert describe(rule, "de") == de
    assert describe(rule, "en") == en
    assert describe(rule, "en_GB") == en
    assert describe(rule, "fr") == de


def test_describe_falls_back_to_the_rrule() -> None:
    rule = Rule("FREQ=DAILY;COUNT=3", time(9), time(10))
    assert describe(rule) == "FREQ=DAILY;COUNT=3, 09:00–10:00"
    assert describe(Rule("nonsense", time(9), time(10)), "en") == "nonsense, 09:00–10:00"


DE_NTH = {1: "ersten", 2: "zweiten", 3: "dritten", 4: "vierten", 5: "fünften", -1: "letzten"}
EN_NTH = {1: "first", 2: "2nd", 3: "third", 4: "4th", 5: "fifth", -1: "last"}
DE_DAYS = ("Montag", "dienstags", "Mi", "Donnerstag", "Fr", "samstags", "Sonntag")
EN_DAYS = ("Monday", "Tue", "Wednesdays", "Thu", "Friday", "Sat", "Sundays")


def generated_inputs() -> list[str]:
    texts = []
    for de_day, en_day in zip(DE_DAYS, EN_DAYS, strict=True):
        for n in DE_NTH:
            texts.append(f"jeden {DE_NTH[n]} {de_day} im Monat, 10-12 Uhr")
            texts.append(f"every {EN_NTH[n]} {en_day} of the month, 10am-12pm")
            texts.append(f"jeden {DE_NTH[n]} {de_day} im Jan, März, Mai, Juli, Sep und Nov, 8:15-9")
            texts.append(f"every {EN_NTH[n]} {en_day} of Jan, Mar, May, Jul, Sep and Nov 8:15-9")
            texts.append(f"alle zwei Monate am {DE_NTH[n]} {de_day}, 14-15")
        texts.append(f"jeden {de_day} 17:30 bis 19 Uhr")
        texts.append(f"every other {en_day} 5:30-7pm")
        texts.append(f"every {en_day} and {EN_DAYS[0]} in May, 9-10")
        texts.append(f"alle 5 Wochen {de_day} 9-10")
    for n in (1, 2, 3, 11, 12, 13, 21, 22, 23, 28, 31, -1):
        texts.append(f"monatlich am {'letzten' if n == -1 else f'{n}.'} Tag, 10-11")
        texts.append(f"every 4 months on the {'last' if n == -1 else f'{n}.'} day, 10-11")
        texts.append(f"yearly on the {EN_NTH.get(n, f'{n}.')} day of January and July, 10-11")
    return texts


def test_round_trip_parse_describe_parse() -> None:
    texts = generated_inputs()
    assert len(texts) > 250
    for text in texts:
        rule = parse(text)
        assert days(rule, TODAY, TODAY, date(2028, 12, 31)), text
        for locale in ("de", "en"):
            assert parse(describe(rule, locale)) == rule, (text, describe(rule, locale))
