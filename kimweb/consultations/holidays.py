"""Public holidays of North Rhine-Westphalia, computed (no table to maintain)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from flask_babel import lazy_gettext as _l


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def nrw_holidays(year: int) -> dict[date, str]:
    """Date -> key of every statutory public holiday in NRW in ``year``."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "new_year",
        easter - timedelta(days=2): "good_friday",
        easter + timedelta(days=1): "easter_monday",
        date(year, 5, 1): "labour_day",
        easter + timedelta(days=39): "ascension",
        easter + timedelta(days=50): "whit_monday",
        easter + timedelta(days=60): "corpus_christi",
        date(year, 10, 3): "unity_day",
        date(year, 11, 1): "all_saints",
        date(year, 12, 25): "christmas",
        date(year, 12, 26): "boxing_day",
    }
    return days


HOLIDAY_NAMES = {
    "new_year": _l("New Year's Day"),
    "good_friday": _l("Good Friday"),
    "easter_monday": _l("Easter Monday"),
    "labour_day": _l("Labour Day"),
    "ascension": _l("Ascension Day"),
    "whit_monday": _l("Whit Monday"),
    "corpus_christi": _l("Corpus Christi"),
    "unity_day": _l("Day of German Unity"),
    "all_saints": _l("All Saints' Day"),
    "christmas": _l("Christmas Day"),
    "boxing_day": _l("Second Day of Christmas"),
}


def holiday_key(day: date) -> str | None:
    return nrw_holidays(day.year).get(day)


def holiday_name(day: date) -> str | None:
    key = holiday_key(day)
    return str(HOLIDAY_NAMES[key]) if key else None


def holidays_between(start: date, end: date) -> dict[date, str]:
    """Holidays from ``start`` to ``end`` inclusive: date -> key."""
    found: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        found.update({d: k for d, k in nrw_holidays(year).items() if start <= d <= end})
    return dict(sorted(found.items()))
