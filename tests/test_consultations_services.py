"""Timetable logic: weekly slots, weeks of the month, validity, exceptions, NRW holidays,
daylight saving, and the checks of staff input."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace

import pytest

from kimweb.consultations import services
from kimweb.consultations.holidays import easter_sunday, holiday_key, nrw_holidays


def slot(
    weekday=0,
    start=time(10),
    end=time(12),
    valid_from=None,
    valid_until=None,
    weeks=(),
    exceptions=(),
    slot_id=1,
    location_id=1,
):
    return SimpleNamespace(
        id=slot_id,
        weekday=weekday,
        start_time=start,
        end_time=end,
        valid_from=valid_from,
        valid_until=valid_until,
        weeks=list(weeks),
        exceptions=list(exceptions),
        location_id=location_id,
    )


def exception(day, cancelled=True, start=None, end=None, reason="Urlaub"):
    return SimpleNamespace(
        date=day, is_cancelled=cancelled, start_time=start, end_time=end, reason=reason
    )


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter(year, easter):
    assert easter_sunday(year) == easter


def test_nrw_holidays_2027():
    assert nrw_holidays(2027) == {
        date(2027, 1, 1): "new_year",
        date(2027, 3, 26): "good_friday",
        date(2027, 3, 29): "easter_monday",
        date(2027, 5, 1): "labour_day",
        date(2027, 5, 6): "ascension",
        date(2027, 5, 17): "whit_monday",
        date(2027, 5, 27): "corpus_christi",
        date(2027, 10, 3): "unity_day",
        date(2027, 11, 1): "all_saints",
        date(2027, 12, 25): "christmas",
        date(2027, 12, 26): "boxing_day",
    }


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2026, 6, 4), "corpus_christi"),  # not in e.g. Berlin or Lower Saxony
        (date(2026, 11, 1), "all_saints"),  # not in e.g. Hesse
        (date(2026, 10, 31), None),  # Reformation Day: not in NRW
        (date(2026, 11, 18), None),  # Day of Repentance: Saxony only
        (date(2026, 1, 6), None),  # Epiphany: Bavaria, not NRW
        (date(2026, 3, 8), None),  # Women's Day: Berlin only
    ],
)
def test_holidays_other_states_have_or_not(day, holiday):
    assert holiday_key(day) == holiday


def test_weekly_slot_and_validity():
    mondays = list(
        services.slot_dates(
            slot(valid_from=date(2026, 11, 10), valid_until=date(2026, 12, 7)),
            date(2026, 11, 1),
            date(2026, 12, 31),
        )
    )
    assert mondays == [
        date(2026, 11, 16),
        date(2026, 11, 23),
        date(2026, 11, 30),
        date(2026, 12, 7),
    ]


def test_weeks_of_the_month():
    first_and_third = list(
        services.slot_dates(slot(weekday=1, weeks=[1, 3]), date(2026, 12, 1), date(2027, 1, 31))
    )
    assert first_and_third == [
        date(2026, 12, 1),
        date(2026, 12, 15),
        date(2027, 1, 5),
        date(2027, 1, 19),
    ]
    fifth = list(
        services.slot_dates(slot(weekday=1, weeks=[5]), date(2026, 12, 1), date(2026, 12, 31))
    )
    assert fifth == [date(2026, 12, 29)]


def test_occurrences_with_holiday_cancellation_and_change():
    weekly = slot(
        weekday=3,
        exceptions=[
            exception(date(2026, 12, 3)),
            exception(
                date(2026, 12, 10),
                cancelled=False,
                start=time(14),
                end=time(15),
                reason="Teamsitzung",
            ),
        ],
    )
    found = services.occurrences([weekly], date(2026, 11, 26), date(2026, 12, 31))
    assert [(o.day, o.status, o.reason) for o in found] == [
        (date(2026, 11, 26), "regular", None),
        (date(2026, 12, 3), "cancelled", "Urlaub"),
        (date(2026, 12, 10), "changed", "Teamsitzung"),
        (date(2026, 12, 17), "regular", None),
        (date(2026, 12, 24), "regular", None),
        (date(2026, 12, 31), "regular", None),
    ]
    assert found[2].start.time() == time(14) and found[2].end.time() == time(15)
    christmas = services.occurrences([slot(weekday=4)], date(2026, 12, 25), date(2026, 12, 25))
    assert [(o.status, o.reason, o.takes_place) for o in christmas] == [
        ("holiday", "christmas", False)
    ]


def test_daylight_saving_keeps_wall_clock_time():
    tuesdays = services.occurrences([slot(weekday=1)], date(2027, 3, 23), date(2027, 3, 30))
    before, after = tuesdays
    assert before.start.strftime("%H:%M") == after.start.strftime("%H:%M") == "10:00"
    assert before.start.utcoffset() == timedelta(hours=1)
    assert after.start.utcoffset() == timedelta(hours=2)
    elapsed = after.start.astimezone(UTC) - before.start.astimezone(UTC)
    assert elapsed == timedelta(days=7) - timedelta(hours=1)


def test_open_now():
    (today,) = services.occurrences([slot(weekday=0)], date(2026, 11, 23), date(2026, 11, 23))
    berlin = services.BERLIN
    assert today.is_open(datetime(2026, 11, 23, 10, 0, tzinfo=berlin))
    assert today.is_open(datetime(2026, 11, 23, 11, 59, tzinfo=berlin))
    assert not today.is_open(datetime(2026, 11, 23, 12, 0, tzinfo=berlin))
    assert not today.is_open(datetime(2026, 11, 23, 9, 59, tzinfo=berlin))


def test_timetable_groups_days_and_marks_today():
    class FakeSlot(SimpleNamespace):
        pass

    weekly = FakeSlot(**vars(slot(weekday=0)))
    now = datetime(2026, 11, 23, 11, 0, tzinfo=services.BERLIN)
    days = services.timetable([weekly], date(2026, 11, 23), 7, now)
    assert len(days) == 7 and days[0].is_today and not days[1].is_today
    assert [len(d.entries) for d in days] == [1, 0, 0, 0, 0, 0, 0]
    assert days[0].entries[0].is_open


@pytest.mark.parametrize(
    ("a", "b", "problem"),
    [
        (slot(), slot(start=time(11), end=time(13)), True),
        (slot(), slot(start=time(12), end=time(13)), False),  # touching is fine
        (slot(), slot(weekday=1), False),
        (slot(), slot(location_id=2), False),  # another place
        (slot(weeks=[1, 3]), slot(weeks=[2, 4]), False),
        (slot(weeks=[1, 3]), slot(weeks=[3]), True),
        (slot(valid_until=date(2026, 12, 31)), slot(valid_from=date(2027, 1, 1)), False),
        (slot(start=time(12), end=time(10)), slot(weekday=2), True),  # end before start
    ],
)
def test_slot_problems(app_ctx, a, b, problem):
    assert bool(services.slot_problems([a, b])) is problem


def test_exception_must_fall_on_a_date_of_the_slot(app_ctx):
    monday = slot(valid_until=date(2026, 12, 31))
    assert services.exception_problem(monday, date(2026, 11, 30)) is None
    assert services.exception_problem(monday, date(2026, 12, 1))  # a Tuesday
    assert services.exception_problem(monday, date(2027, 1, 4))  # after the validity
