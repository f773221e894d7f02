"""Recurrence of calendar events: form <-> RRULE, words, expansion across summer time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from babel import Locale
from dateutil.rrule import rrulestr

from kimweb.calendar import recurrence
from kimweb.calendar.recurrence import (
    BERLIN,
    Recurrence,
    describe,
    from_rrule,
    occurrences,
    problems,
    to_rrule,
)

CET, CEST = timedelta(hours=1), timedelta(hours=2)
STARTS = [
    date(2028, 2, 29),  # leap day
    date(2027, 1, 31),  # 31st
    date(2027, 12, 31),
    date(2027, 3, 28),  # last Sunday of March, summer time begins
    date(2027, 10, 29),  # last Friday of October
    date(2027, 1, 1),
    date(2027, 6, 15),
    date(2027, 4, 30),
]


def days(found: list[recurrence.Occurrence]) -> list[date]:
    return [o.start.date() for o in found]


def timed(rule: str | None, first: date, view: tuple[date, date], at=time(10), length=1, **kw):
    """Occurrences of an event at ``at`` for ``length`` hours."""
    end = datetime.combine(first, at) + timedelta(hours=length)
    return occurrences(first, at, end.date(), end.time(), rule, *view, **kw)


# --- form <-> RRULE --------------------------------------------------------------------------


def forms(start: date) -> list[tuple[Recurrence, Recurrence]]:
    """(form as entered, form as read back) for each frequency."""
    weekday = start.weekday()
    pairs = [
        (Recurrence("daily"), Recurrence("daily")),
        (Recurrence("daily", interval=3), Recurrence("daily", interval=3)),
        (Recurrence("weekly"), Recurrence("weekly", weekdays=[weekday])),
        (Recurrence("weekly", weekdays=[4, 0, 2]), Recurrence("weekly", weekdays=[0, 2, 4])),
        (Recurrence("weekly", 2, [5, 6]), Recurrence("weekly", 2, [5, 6])),
        (Recurrence("monthly_day"), Recurrence("monthly_day")),
        (Recurrence("monthly_day", interval=6), Recurrence("monthly_day", interval=6)),
        (Recurrence("yearly"), Recurrence("yearly")),
        (Recurrence("yearly", interval=4), Recurrence("yearly", interval=4)),
    ]
    for nth in (1, 2, 3, 4, 5, -1):
        for wd in {weekday, (weekday + 3) % 7}:
            rec = Recurrence("monthly_nth", nth=nth, nth_weekday=wd)
            pairs.append((rec, Recurrence("monthly_nth", nth=nth, nth_weekday=wd)))
    return pairs


def ends(start: date) -> list[dict]:
    return [
        {},
        {"ends": "until", "until": start},
        {"ends": "until", "until": start + timedelta(days=100)},
        {"ends": "until", "until": date(start.year + 1, 7, 31)},  # summer: UTC+2
        {"ends": "count", "count": 1},
        {"ends": "count", "count": 500},
    ]


@pytest.mark.parametrize("start", STARTS, ids=str)
@pytest.mark.parametrize("is_timed", [True, False], ids=["timed", "all-day"])
def test_round_trip_of_every_frequency_and_end(start: date, is_timed: bool) -> None:
    checked = 0
    for entered, expected in forms(start):
        for end in ends(start):
            rec = Recurrence(**{**entered.__dict__, **end})
            want = Recurrence(**{**expected.__dict__, **end})
            rule = to_rrule(rec, start, timed=is_timed)
            assert from_rrule(rule, start) == want, rule
            assert to_rrule(from_rrule(rule, start), start, timed=is_timed) == rule
            # The form's limits: no date before the end, or beyond 20 years.
            assert set(problems(rec, start)) <= {"until", "count"}, rule
            assert not describe(rule, start).startswith("eigene")
            checked += 1
    assert checked == 21 * 6  # 9 forms and 12 weekdays of the month, 6 ends each


@pytest.mark.parametrize(
    ("rec", "start", "rule"),
    [
        (Recurrence("none"), date(2027, 1, 7), None),
        (Recurrence("daily"), date(2027, 1, 7), "FREQ=DAILY"),
        (Recurrence("weekly"), date(2027, 1, 7), "FREQ=WEEKLY;BYDAY=TH"),
        (Recurrence("weekly", 2, [2, 0]), date(2027, 1, 4), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE"),
        (
            Recurrence("monthly_nth", nth=1, nth_weekday=3, ends="count", count=10),
            date(2027, 1, 7),
            "FREQ=MONTHLY;BYDAY=1TH;COUNT=10",
        ),
        (
            Recurrence("monthly_nth", nth=-1, nth_weekday=4),
            date(2027, 1, 29),
            "FREQ=MONTHLY;BYDAY=-1FR",
        ),
        (Recurrence("monthly_day"), date(2027, 1, 31), "FREQ=MONTHLY;BYMONTHDAY=31"),
        (Recurrence("yearly"), date(2028, 2, 29), "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"),
        (
            Recurrence("daily", ends="until", until=date(2027, 12, 31)),
            date(2027, 1, 7),
            "FREQ=DAILY;UNTIL=20271231T225959Z",  # 23:59:59 CET
        ),
        (
            Recurrence("daily", ends="until", until=date(2027, 7, 31)),
            date(2027, 1, 7),
            "FREQ=DAILY;UNTIL=20270731T215959Z",  # 23:59:59 CEST
        ),
    ],
)
def test_to_rrule(rec: Recurrence, start: date, rule: str | None) -> None:
    assert to_rrule(rec, start) == rule


def test_all_day_until_is_a_date() -> None:
    rec = Recurrence("daily", ends="until", until=date(2027, 12, 31))
    assert to_rrule(rec, date(2027, 1, 7), timed=False) == "FREQ=DAILY;UNTIL=20271231"


def test_no_rule_is_no_repetition() -> None:
    assert from_rrule(None, date(2027, 1, 1)) == Recurrence()
    assert from_rrule("", date(2027, 1, 1)) == Recurrence()
    assert describe(None, date(2027, 1, 1)) == ""


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        (  # Outlook
            "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;WKST=MO",
            date(2027, 1, 4),
            Recurrence("weekly", weekdays=[0, 2]),
        ),
        ("FREQ=WEEKLY;WKST=SU;BYDAY=MO,TH", date(2027, 1, 4), Recurrence("weekly", 1, [0, 3])),
        ("FREQ=WEEKLY", date(2027, 1, 7), Recurrence("weekly", weekdays=[3])),
        (  # Google
            "RRULE:FREQ=MONTHLY;BYDAY=1TH",
            date(2027, 1, 7),
            Recurrence("monthly_nth", nth=1, nth_weekday=3),
        ),
        (  # Outlook writes the nth weekday with BYSETPOS
            "FREQ=MONTHLY;BYDAY=TH;BYSETPOS=1",
            date(2027, 1, 7),
            Recurrence("monthly_nth", nth=1, nth_weekday=3),
        ),
        (
            "FREQ=MONTHLY;BYDAY=+2TU",
            date(2027, 1, 12),
            Recurrence("monthly_nth", nth=2, nth_weekday=1),
        ),
        ("FREQ=MONTHLY", date(2027, 1, 15), Recurrence("monthly_day")),
        ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24", date(2027, 12, 24), Recurrence("yearly")),
        ("FREQ=YEARLY;BYMONTH=12", date(2027, 12, 24), Recurrence("yearly")),
        ("freq=daily;count=3", date(2027, 1, 1), Recurrence("daily", ends="count", count=3)),
        (  # UTC end before midnight Berlin: still the 10th in Berlin
            "FREQ=DAILY;UNTIL=20270110T225959Z",
            date(2027, 1, 1),
            Recurrence("daily", ends="until", until=date(2027, 1, 10)),
        ),
        (  # 23:30 UTC is already the next day in Berlin
            "FREQ=DAILY;UNTIL=20270110T233000Z",
            date(2027, 1, 1),
            Recurrence("daily", ends="until", until=date(2027, 1, 11)),
        ),
        (
            "FREQ=DAILY;UNTIL=20270110",
            date(2027, 1, 1),
            Recurrence("daily", ends="until", until=date(2027, 1, 10)),
        ),
    ],
)
def test_from_rrule_reads_rules_of_other_programs(rule: str, start: date, expected) -> None:
    assert from_rrule(rule, start) == expected


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",  # last working day
        "FREQ=HOURLY",
        "FREQ=DAILY;BYHOUR=9,17",
        "FREQ=DAILY;BYDAY=MO,TU",
        "FREQ=WEEKLY;BYDAY=1MO",
        "FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=MO,TH",  # Google: weeks start on Sunday
        "FREQ=MONTHLY;BYDAY=2TU,4TU",
        "FREQ=MONTHLY;BYDAY=6TU",
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2,4",
        "FREQ=MONTHLY;BYMONTHDAY=15",  # the form only knows the start's day
        "FREQ=MONTHLY;BYMONTHDAY=1,15",
        "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
        "FREQ=YEARLY;BYWEEKNO=20",
        "FREQ=DAILY;INTERVAL=100",
        "FREQ=DAILY;COUNT=501",
        "FREQ=DAILY;COUNT=3;UNTIL=20270110",
        "FREQ=DAILY;UNTIL=soon",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=SOMETIMES",
        "nonsense",
    ],
)
def test_from_rrule_gives_up_on_what_the_form_cannot_show(rule: str) -> None:
    assert from_rrule(rule, date(2027, 1, 5)) is None
    assert describe(rule, date(2027, 1, 5)) == "eigene Wiederholungsregel"
    assert describe(rule, date(2027, 1, 5), "en") == "custom repetition rule"


# --- problems ----------------------------------------------------------------------------------


START = date(2027, 1, 7)


@pytest.mark.parametrize(
    ("rec", "start", "field", "message"),
    [
        (Recurrence("daily", interval=0), START, "interval", "Repeat every 1 to 99."),
        (Recurrence("weekly", interval=100), START, "interval", "Repeat every 1 to 99."),
        (Recurrence("daily", ends="count"), START, "count", "Between 1 and 500 repetitions."),
        (
            Recurrence("daily", ends="count", count=0),
            START,
            "count",
            "Between 1 and 500 repetitions.",
        ),
        (
            Recurrence("daily", ends="count", count=501),
            START,
            "count",
            "Between 1 and 500 repetitions.",
        ),
        (
            Recurrence("daily", ends="until"),
            START,
            "until",
            "Enter the last date of the repetition.",
        ),
        (
            Recurrence("daily", ends="until", until=START - timedelta(days=1)),
            START,
            "until",
            "The end of the repetition must not be before the first date.",
        ),
        (
            Recurrence("daily", ends="until", until=date(2047, 1, 8)),
            START,
            "until",
            "The repetition may run for at most 20 years.",
        ),
        (  # nothing after the first date
            Recurrence("daily", ends="until", until=START),
            START,
            "until",
            "This repetition has no date.",
        ),
        (  # 29 February: the next one is in 2032
            Recurrence("yearly", ends="until", until=date(2029, 2, 28)),
            date(2028, 2, 29),
            "until",
            "This repetition has no date.",
        ),
        (  # no 31st in February
            Recurrence("monthly_day", ends="until", until=date(2027, 3, 30)),
            date(2027, 1, 31),
            "until",
            "This repetition has no date.",
        ),
        (  # February 2027 has no fifth Monday
            Recurrence("monthly_nth", nth=5, nth_weekday=0, ends="until", until=date(2027, 2, 28)),
            date(2027, 2, 1),
            "until",
            "This repetition has no date.",
        ),
    ],
)
def test_problems(rec: Recurrence, start: date, field: str, message: str) -> None:
    assert problems(rec, start) == {field: message}


@pytest.mark.parametrize(
    "rec",
    [
        Recurrence("yearly", ends="count", count=22),
        Recurrence("yearly", interval=67, ends="count", count=500),  # once broke every feed
        Recurrence("daily", interval=99, ends="count", count=75),
        Recurrence("monthly_day", ends="count", count=500),
    ],
)
def test_a_count_may_not_reach_beyond_20_years(rec: Recurrence) -> None:
    start = date(2027, 1, 7)
    assert problems(rec, start) == {"count": recurrence.TOO_FAR}


@pytest.mark.parametrize(
    "rec",
    [
        Recurrence(),
        Recurrence("none", interval=0, ends="count"),  # no repetition: the rest is ignored
        Recurrence("weekly"),  # weekdays default to the start's
        Recurrence("daily", interval=99, ends="count", count=73),  # 19.7 years
        Recurrence("weekly", ends="count", count=500),
        Recurrence("daily", ends="until", until=date(2047, 1, 7)),
        Recurrence("yearly", ends="until", until=date(2032, 2, 29)),
        Recurrence("monthly_nth", nth=5, nth_weekday=0, ends="until", until=date(2027, 3, 29)),
    ],
)
def test_no_problems(rec: Recurrence) -> None:
    start = date(2028, 2, 29) if rec.frequency == "yearly" else START
    start = date(2027, 2, 1) if rec.frequency == "monthly_nth" else start
    assert problems(rec, start) == {}


def test_messages_are_marked_for_extraction() -> None:
    source = Path(recurrence.__file__).read_text(encoding="utf-8")
    for message in ("Repeat every 1 to 99.", "This repetition has no date."):
        assert f'N_("{message}")' in source
    assert recurrence.N_("x") == "x"


# --- describe ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "start", "german", "english"),
    [
        ("FREQ=DAILY", START, "jeden Tag", "every day"),
        ("FREQ=DAILY;INTERVAL=3", START, "alle 3 Tage", "every 3 days"),
        (
            "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20271231T225959Z",
            date(2027, 1, 4),
            "jede Woche am Montag und Mittwoch, bis 31.12.2027",
            "every week on Monday and Wednesday, until Dec 31, 2027",
        ),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR;COUNT=10",
            date(2027, 1, 4),
            "alle 2 Wochen am Montag, Mittwoch und Freitag, 10-mal",
            "every 2 weeks on Monday, Wednesday and Friday, 10 times",
        ),
        (
            "FREQ=WEEKLY;COUNT=1",
            START,
            "jede Woche am Donnerstag, einmal",
            "every week on Thursday, once",
        ),
        (
            "FREQ=MONTHLY;BYDAY=1TH",
            START,
            "jeden Monat am ersten Donnerstag",
            "every month on the first Thursday",
        ),
        (
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR",
            date(2027, 1, 29),
            "alle 2 Monate am letzten Freitag",
            "every 2 months on the last Friday",
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=31",
            date(2027, 1, 31),
            "jeden Monat am 31.",
            "every month on the 31st",
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=12",
            date(2027, 1, 12),
            "jeden Monat am 12.",
            "every month on the 12th",
        ),
        (
            "FREQ=MONTHLY;BYMONTHDAY=22",
            date(2027, 1, 22),
            "jeden Monat am 22.",
            "every month on the 22nd",
        ),
        (
            "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24",
            date(2027, 12, 24),
            "jedes Jahr am 24. Dezember",
            "every year on December 24",
        ),
        (
            "FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29;UNTIL=20400229",
            date(2028, 2, 29),
            "alle 4 Jahre am 29. Februar, bis 29.02.2040",
            "every 4 years on February 29, until Feb 29, 2040",
        ),
    ],
)
def test_describe(rule: str, start: date, german: str, english: str) -> None:
    assert describe(rule, start) == german
    assert describe(rule, start, "de") == german
    assert describe(rule, start, "en") == english


def test_describe_follows_the_regional_date_format() -> None:
    rule = "FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20271231"
    expected = "every week on Monday and Wednesday, until 31 Dec 2027"
    assert describe(rule, date(2027, 1, 4), "en_GB") == expected
    assert describe(rule, date(2027, 1, 4), "de_AT").startswith("jede Woche am Montag")
    assert describe(rule, date(2027, 1, 4), Locale.parse("en_GB")) == expected  # get_locale()
    assert describe(rule, date(2027, 1, 4), "tr").startswith("every week")  # staff: de or en


# --- occurrences -------------------------------------------------------------------------------


def test_weekly_stays_at_ten_across_both_changes_of_time() -> None:
    found = timed("FREQ=WEEKLY", date(2027, 3, 17), (date(2027, 3, 1), date(2027, 11, 15)))
    assert found[0].start == datetime(2027, 3, 17, 10, tzinfo=BERLIN)
    assert all((o.start.time(), o.end.time()) == (time(10), time(11)) for o in found)
    assert all(o.end - o.start == timedelta(hours=1) for o in found)
    offsets = {o.start.date(): o.start.utcoffset() for o in found}
    assert offsets[date(2027, 3, 24)] == CET
    assert offsets[date(2027, 3, 31)] == CEST
    assert offsets[date(2027, 10, 27)] == CEST
    assert offsets[date(2027, 11, 3)] == CET
    assert len(found) == 35
    assert {o.start.weekday() for o in found} == {2}


def test_an_event_in_the_hour_skipped_in_spring() -> None:
    """02:30 does not exist on 28 March 2027: it is shown at 03:30 CEST, never before its
    start, and the days around it keep 02:30."""
    found = timed(
        "FREQ=DAILY", date(2027, 3, 27), (date(2027, 3, 27), date(2027, 3, 29)), time(2, 30)
    )
    skipped = found[1]
    assert skipped.original_date == date(2027, 3, 28)
    assert skipped.start.utcoffset() == CEST
    assert skipped.start.time() == time(3, 30)
    assert skipped.end > skipped.start
    assert [o.start.time() for o in (found[0], found[2])] == [time(2, 30)] * 2
    short = timed(
        "FREQ=DAILY", date(2027, 3, 27), (date(2027, 3, 28),) * 2, time(2, 30), length=0.5
    )
    assert (short[0].start.time(), short[0].end.time()) == (time(3, 30), time(4))


def test_an_event_in_the_hour_repeated_in_autumn() -> None:
    found = timed("FREQ=DAILY", date(2027, 10, 30), (date(2027, 10, 31),) * 2, time(2, 30))
    assert len(found) == 1
    assert found[0].start.time() == time(2, 30)
    assert found[0].start.utcoffset() == CEST  # the first of the two 02:30


def test_first_thursday_of_every_month_in_2027() -> None:
    found = timed(
        "FREQ=MONTHLY;BYDAY=1TH", date(2027, 1, 7), (date(2027, 1, 1), date(2027, 12, 31))
    )
    expected = [(1, 7), (2, 4), (3, 4), (4, 1), (5, 6), (6, 3), (7, 1), (8, 5), (9, 2), (10, 7)]
    expected += [(11, 4), (12, 2)]
    assert days(found) == [date(2027, m, d) for m, d in expected]


def test_cancel_one_occurrence() -> None:
    view = (date(2027, 3, 1), date(2027, 3, 31))
    found = timed("FREQ=WEEKLY", date(2027, 3, 3), view, cancelled={date(2027, 3, 10)})
    assert days(found) == [date(2027, 3, d) for d in (3, 17, 24, 31)]


def test_change_one_occurrence_to_another_day() -> None:
    moved = (datetime(2027, 4, 5, 14, tzinfo=BERLIN), datetime(2027, 4, 5, 15, tzinfo=BERLIN))
    changes = {date(2027, 3, 10): moved}
    march = timed(
        "FREQ=WEEKLY", date(2027, 3, 3), (date(2027, 3, 1), date(2027, 3, 31)), changes=changes
    )
    assert date(2027, 3, 10) not in days(march)  # moved out of the range
    assert not any(o.changed for o in march)
    april = timed(
        "FREQ=WEEKLY", date(2027, 3, 3), (date(2027, 4, 1), date(2027, 4, 30)), changes=changes
    )
    assert days(april) == [date(2027, 4, d) for d in (5, 7, 14, 21, 28)]  # moved into it
    change = april[0]
    assert (change.start, change.end) == moved
    assert change.original_date == date(2027, 3, 10)
    assert change.changed and not change.all_day


def test_change_within_the_range_and_to_a_whole_day() -> None:
    view = (date(2027, 3, 1), date(2027, 3, 31))
    whole_day = (datetime(2027, 3, 11, tzinfo=BERLIN), datetime(2027, 3, 12, tzinfo=BERLIN))
    found = timed("FREQ=WEEKLY", date(2027, 3, 3), view, changes={date(2027, 3, 10): whole_day})
    assert days(found) == [date(2027, 3, d) for d in (3, 11, 17, 24, 31)]
    assert found[1].all_day and found[1].changed


def test_changes_of_dates_the_rule_does_not_give_are_ignored() -> None:
    stale = (datetime(2027, 3, 12, 10, tzinfo=BERLIN), datetime(2027, 3, 12, 11, tzinfo=BERLIN))
    view = (date(2027, 3, 1), date(2027, 3, 31))
    for original in (date(2027, 3, 11), date(2027, 4, 7)):  # a Thursday; after COUNT
        found = timed("FREQ=WEEKLY;COUNT=5", date(2027, 3, 3), view, changes={original: stale})
        assert date(2027, 3, 12) not in days(found)


def test_a_cancelled_change_stays_cancelled() -> None:
    moved = (datetime(2027, 3, 12, 10, tzinfo=BERLIN), datetime(2027, 3, 12, 11, tzinfo=BERLIN))
    view = (date(2027, 3, 1), date(2027, 3, 31))
    found = timed(
        "FREQ=WEEKLY",
        date(2027, 3, 3),
        view,
        cancelled={date(2027, 3, 10)},
        changes={date(2027, 3, 10): moved},
    )
    assert days(found) == [date(2027, 3, d) for d in (3, 17, 24, 31)]


def test_all_day_events_over_several_days() -> None:
    found = occurrences(
        date(2027, 3, 29), None, date(2027, 4, 2), None, None, date(2027, 4, 1), date(2027, 4, 30)
    )
    (easter,) = found
    assert easter.all_day
    assert easter.start == datetime(2027, 3, 29, tzinfo=BERLIN)
    assert easter.end == datetime(2027, 4, 3, tzinfo=BERLIN)  # the midnight after the last day
    assert easter.start.utcoffset() == CEST
    weekend = ("FREQ=WEEKLY", date(2027, 3, 5), date(2027, 4, 30))  # Friday to Sunday
    found = occurrences(
        date(2027, 1, 1), None, date(2027, 1, 3), None, weekend[0], date(2027, 3, 7), weekend[2]
    )
    assert days(found)[0] == date(2027, 3, 5)  # began before the range, still going
    assert [o.end - o.start for o in found[:2]] == [timedelta(days=3)] * 2
    assert all(o.all_day and o.start.time() == time(0) for o in found)
    assert (
        occurrences(
            date(2027, 1, 1), None, date(2027, 1, 3), None, None, date(2027, 1, 4), date(2027, 1, 9)
        )
        == []
    )


def test_timed_events_over_midnight_and_up_to_midnight() -> None:
    night = timed("FREQ=DAILY", date(2027, 5, 1), (date(2027, 5, 10),) * 2, time(22), length=8)
    assert [o.original_date for o in night] == [date(2027, 5, 9), date(2027, 5, 10)]
    evening = timed("FREQ=DAILY", date(2027, 5, 1), (date(2027, 5, 10),) * 2, time(22), length=2)
    assert days(evening) == [date(2027, 5, 10)]  # the one ending at midnight is the day before's
    zero = timed(None, date(2027, 5, 10), (date(2027, 5, 10),) * 2, time(0), length=0)
    assert len(zero) == 1


def test_single_events() -> None:
    assert len(timed(None, date(2027, 5, 10), (date(2027, 5, 1), date(2027, 5, 31)))) == 1
    assert timed(None, date(2027, 5, 10), (date(2027, 5, 11), date(2027, 5, 31))) == []
    assert timed(None, date(2027, 5, 10), (date(2027, 5, 1), date(2027, 5, 9))) == []
    assert timed("", date(2027, 5, 10), (date(2027, 5, 10),) * 2)[0].original_date == date(
        2027, 5, 10
    )


def test_count_is_respected_when_the_view_starts_later() -> None:
    rule = to_rrule(Recurrence("weekly", ends="count", count=5), date(2027, 1, 4))
    found = timed(rule, date(2027, 1, 4), (date(2027, 1, 20), date(2027, 3, 31)))
    assert days(found) == [date(2027, 1, 25), date(2027, 2, 1)]


def test_the_first_date_is_always_an_occurrence_and_counts() -> None:
    """RFC 5545: DTSTART is the first occurrence even if the rule does not give it."""
    found = timed(
        "FREQ=WEEKLY;BYDAY=MO,FR;COUNT=3", date(2027, 1, 6), (date(2027, 1, 1), date(2027, 1, 31))
    )
    assert days(found) == [date(2027, 1, 6), date(2027, 1, 8), date(2027, 1, 11)]
    found = timed(
        "FREQ=WEEKLY;BYDAY=MO;COUNT=1", date(2027, 1, 6), (date(2027, 1, 1), date(2027, 1, 31))
    )
    assert days(found) == [date(2027, 1, 6)]


@pytest.mark.parametrize("is_timed", [True, False])
def test_until_is_inclusive(is_timed: bool) -> None:
    rec = Recurrence("daily", ends="until", until=date(2027, 7, 10))
    rule = to_rrule(rec, date(2027, 7, 1), timed=is_timed)
    at = time(23) if is_timed else None
    found = occurrences(
        date(2027, 7, 1), at, date(2027, 7, 1), at, rule, date(2027, 7, 1), date(2027, 7, 31)
    )
    assert days(found)[-1] == date(2027, 7, 10)
    assert len(found) == 10


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        (
            "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;WKST=MO",
            date(2027, 2, 8),
            [(2, 8), (2, 10), (2, 15), (2, 17), (2, 22), (2, 24)]
            + [(3, d) for d in (1, 3, 8, 10, 15, 17, 22, 24, 29, 31)],
        ),
        ("FREQ=MONTHLY;BYDAY=1TH", date(2026, 12, 3), [(1, 7), (2, 4), (3, 4)]),
        ("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24", date(2020, 12, 24), []),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=24", date(2020, 2, 24), [(2, 24)]),
        (
            "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",
            date(2027, 1, 29),
            [(1, 29), (2, 26), (3, 31)],
        ),
        (  # Google: weeks from Sunday, every other one
            "FREQ=WEEKLY;WKST=SU;INTERVAL=2;BYDAY=MO,TH",
            date(2027, 2, 1),
            [(2, 1), (2, 4), (2, 15), (2, 18), (3, 1), (3, 4), (3, 15), (3, 18), (3, 29)],
        ),
        (
            "RRULE:FREQ=DAILY;UNTIL=20270105T090000Z",
            date(2027, 1, 1),
            [(1, d) for d in range(1, 6)],
        ),
        ("FREQ=DAILY;UNTIL=20270105T085959Z", date(2027, 1, 1), [(1, d) for d in range(1, 5)]),
        ("FREQ=DAILY;UNTIL=20270105", date(2027, 1, 1), [(1, d) for d in range(1, 6)]),
        ("FREQ=DAILY;UNTIL=20270105T100000", date(2027, 1, 1), [(1, d) for d in range(1, 6)]),
        ("FREQ=DAILY;BYHOUR=10,16", date(2027, 3, 30), [(3, 30), (3, 30), (3, 31), (3, 31)]),
    ],
)
def test_rules_of_other_programs_expand(rule: str, start: date, expected: list) -> None:
    found = timed(rule, start, (date(2027, 1, 1), date(2027, 3, 31)))
    assert days(found) == [date(2027, m, d) for m, d in expected]
    assert all(o.start.tzinfo is BERLIN for o in found)


@pytest.mark.parametrize(
    ("rule", "first"),
    [
        ("FREQ=DAILY", datetime(1990, 1, 1, 10)),
        ("FREQ=DAILY;INTERVAL=3", datetime(1990, 1, 2, 10)),
        ("FREQ=WEEKLY", datetime(1990, 1, 3, 10)),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR", datetime(1990, 1, 3, 10)),
        ("FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,TU", datetime(1990, 1, 3, 10)),
        ("FREQ=MONTHLY;INTERVAL=5", datetime(1990, 1, 15, 10)),
        ("FREQ=MONTHLY;BYMONTHDAY=31", datetime(1990, 1, 31, 10)),
        ("FREQ=MONTHLY;INTERVAL=7;BYDAY=-1FR", datetime(1990, 1, 26, 10)),
        ("FREQ=YEARLY;INTERVAL=3", datetime(1900, 3, 1, 10)),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", datetime(1904, 2, 29, 10)),
        ("FREQ=HOURLY;INTERVAL=7", datetime(2000, 1, 1, 10)),
        ("FREQ=MINUTELY;INTERVAL=45;BYHOUR=9", datetime(2026, 1, 1, 9)),
    ],
)
def test_old_series_are_expanded_only_in_the_view(rule: str, first: datetime) -> None:
    """Skipping whole periods to the view gives exactly what expanding everything gives."""
    view = (date(2027, 2, 25), date(2028, 3, 5))
    found = timed(rule, first.date(), view, first.time(), limit=10_000)
    low, high, hour = datetime(2027, 2, 25), datetime(2028, 3, 6), timedelta(hours=1)
    everything = rrulestr(rule, dtstart=first).between(low - hour, high, inc=True)
    expected = [m for m in everything if m + hour > low and m < high]
    assert [o.start.replace(tzinfo=None) for o in found] == expected


def test_a_daily_series_from_1990_shows_a_month() -> None:
    found = timed("FREQ=DAILY", date(1990, 1, 1), (date(2027, 3, 1), date(2027, 3, 31)))
    assert days(found) == [date(2027, 3, 1) + timedelta(days=n) for n in range(31)]


@pytest.mark.parametrize(
    ("rule", "first", "view", "expected", "at_most"),
    [
        ("FREQ=DAILY", date(1800, 1, 1), (date(2027, 3, 1), date(2027, 3, 31)), 31, 1),
        ("FREQ=HOURLY", date(1990, 1, 1), (date(2027, 3, 1), date(2027, 3, 7)), 7 * 24, 1),
        ("FREQ=WEEKLY;INTERVAL=3", date(1990, 1, 1), (date(2027, 3, 1), date(2027, 3, 31)), 1, 21),
        ("FREQ=MONTHLY;INTERVAL=5", date(1990, 1, 15), (date(2027, 3, 1), date(2027, 9, 1)), 1,
         3 * 366),
        ("FREQ=YEARLY", date(1904, 2, 28), (date(2027, 1, 1), date(2027, 12, 31)), 1, 2 * 366),
    ],
)
def test_the_cost_does_not_depend_on_the_age_of_the_series(
    rule, first, view, expected, at_most
) -> None:
    """The expansion starts whole periods later, at most ``at_most`` days before the view:
    the work is the view's, whatever the age of the series (no timing: the machine is
    noisy)."""
    start = datetime.combine(first, time(10))
    low = datetime.combine(view[0], time())
    skipped_to = recurrence._skip(recurrence._parse(rule), start, low)
    assert timedelta() <= low - skipped_to <= timedelta(days=at_most)
    assert len(timed(rule, first, view)) == expected


def test_never_more_than_the_limit() -> None:
    found = timed("FREQ=DAILY", date(2027, 1, 1), (date(2027, 1, 1), date(2027, 12, 31)), limit=10)
    assert days(found) == [date(2027, 1, d) for d in range(1, 11)]
    assert (
        len(timed("FREQ=HOURLY", date(2027, 1, 1), (date(2027, 1, 1), date(2030, 12, 31)))) == 1000
    )


@pytest.mark.parametrize(
    "rule",
    [
        "nonsense",
        "FREQ=SOMETIMES",
        "FREQ=DAILY;INTERVAL=0",
        "FREQ=DAILY;INTERVAL=x",
        "FREQ=DAILY;COUNT=0",
        "FREQ=DAILY;BYDAY=XX",
        "FREQ=DAILY;UNTIL=tomorrow",
        "FREQ=DAILY;COUNT=2;UNTIL=20270101",
        "FREQ=DAILY;FREQ=WEEKLY",
        "FREQ=DAILY;NOPE",
    ],
)
def test_unreadable_rules_raise_value_error(rule: str) -> None:
    with pytest.raises(ValueError):
        timed(rule, date(2027, 1, 1), (date(2027, 1, 1), date(2027, 1, 31)))


@pytest.mark.parametrize(
    ("rule", "start", "expected"),
    [
        (None, date(2027, 1, 7), date(2027, 1, 7)),
        ("FREQ=MONTHLY;BYDAY=-1FR", date(2027, 1, 7), date(2027, 1, 29)),
        ("FREQ=MONTHLY;BYDAY=1TH;COUNT=3", date(2027, 1, 8), date(2027, 2, 4)),
        ("FREQ=WEEKLY;BYDAY=MO,WE", date(2027, 1, 7), date(2027, 1, 11)),
        ("FREQ=WEEKLY;BYDAY=TH", date(2027, 1, 7), date(2027, 1, 7)),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", date(2027, 3, 1), date(2028, 2, 29)),
        # Nothing from the start on: the start stays (and the form says so).
        ("FREQ=MONTHLY;BYDAY=5FR;UNTIL=20270220", date(2027, 2, 1), date(2027, 2, 1)),
    ],
)
def test_a_series_starts_on_the_first_date_of_its_pattern(rule, start, expected) -> None:
    assert recurrence.first_date(rule, start) == expected
