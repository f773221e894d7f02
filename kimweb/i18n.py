"""Languages: which exist, which way they are written, how one is chosen."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from flask import has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

# Code -> name of the language in that language (as a switcher shows it).
LANGUAGES: dict[str, str] = {
    "de": "Deutsch",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "tr": "Türkçe",
    "uk": "Українська",
    "ru": "Русский",
    "ro": "Română",
    "bg": "Български",
}
STAFF_LANGUAGES = ("de", "en")
RTL_LANGUAGES = frozenset({"ar", "fa"})
DEFAULT_LANGUAGE = "de"
SESSION_KEY = "lang"


def N_(message: str) -> str:
    """Mark an English msgid for extraction (``pybabel -k N_``); it is translated where it
    is shown, in the reader's language."""
    return message


def text_direction(code: str) -> str:
    return "rtl" if code in RTL_LANGUAGES else "ltr"


def remember_requested_language() -> None:
    """Keep a ``?lang=xx`` choice in the session for the following requests."""
    code = request.args.get("lang", "").strip().lower()
    if code in LANGUAGES and session.get(SESSION_KEY) != code:
        session[SESSION_KEY] = code


def select_locale() -> str:
    """``?lang=`` (remembered), then the user's preference, then Accept-Language."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    code = request.args.get("lang", "").strip().lower()
    if code in LANGUAGES:
        return code
    code = session.get(SESSION_KEY, "")
    if code in LANGUAGES:
        return code
    if current_user and current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    return request.accept_languages.best_match(list(LANGUAGES), DEFAULT_LANGUAGE)


def format_day(day: date, width: str = "medium") -> str:
    """A calendar day (a date, no time of day, so no time zone) in the reader's language:
    the ``dayformat`` filter. Cached, as a calendar page names hundreds of days."""
    return _format_day(day, width, str(get_locale() or DEFAULT_LANGUAGE))


@lru_cache(maxsize=8192)
def _format_day(day: date, width: str, locale: str) -> str:
    return babel_format_date(day, width, locale=locale)
