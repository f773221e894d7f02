"""Languages: which exist, which way they are written, how one is chosen."""

from __future__ import annotations

from flask import has_request_context, request, session
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
