"""Shared vocabularies: kinds of organisation, municipalities, focus areas, languages.

Focus areas are stored in a table (users may add more); the built-in ones are named here
so they are translated through the catalog. Languages are ISO codes named by Babel.
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

ORGANISATION_KINDS = {
    "provider": _l("Provider (welfare association)"),
    "municipality": _l("Municipality"),
    "office": _l("Public office"),
    "counselling": _l("Counselling service"),
    "migrant_organisation": _l("Migrant organisation"),
    "other": _l("Other"),
}

# The 15 municipalities of Kreis Düren (proper names, not translated).
MUNICIPALITIES = (
    "Aldenhoven",
    "Düren",
    "Heimbach",
    "Hürtgenwald",
    "Inden",
    "Jülich",
    "Kreuzau",
    "Langerwehe",
    "Linnich",
    "Merzenich",
    "Niederzier",
    "Nideggen",
    "Nörvenich",
    "Titz",
    "Vettweiß",
)

BUILTIN_FOCUS_AREAS = {
    "welcome": _l("Welcome counselling"),
    "labour": _l("Labour-market integration"),
    "psychosocial": _l("Psychosocial counselling"),
    "courses": _l("Language and integration courses"),
    "residence": _l("Residence law"),
    "naturalisation": _l("Naturalisation"),
    "recognition": _l("Recognition of foreign qualifications"),
    "housing": _l("Housing"),
    "family": _l("Family, daycare and school"),
    "women": _l("Women"),
    "health": _l("Health"),
    "livelihood": _l("Securing a livelihood"),
}

# Languages offered or spoken, most asked for first (ISO 639 codes Babel knows).
LANGUAGE_CODES = (
    "de",
    "en",
    "ar",
    "fa",
    "tr",
    "uk",
    "ru",
    "ro",
    "bg",
    "ku",
    "ckb",
    "ps",
    "ti",
    "so",
    "fr",
    "es",
    "it",
    "pl",
    "sq",
    "sr",
    "hr",
    "bs",
    "mk",
    "el",
    "ur",
    "hi",
    "ta",
    "am",
    "ka",
    "hy",
    "az",
    "vi",
    "zh",
)


def language_name(code: str, locale: str | None = None) -> str:
    """The name of language ``code`` in the current (or given) UI language."""
    try:
        return Locale.parse(code).get_display_name(locale or str(get_locale() or "de")) or code
    except (ValueError, TypeError):
        return code


@cache
def _language_choices(locale: str) -> tuple[tuple[str, str], ...]:
    return tuple((code, language_name(code, locale)) for code in LANGUAGE_CODES)


def language_choices() -> list[tuple[str, str]]:
    """(code, name) of every language, named in the current UI language."""
    return list(_language_choices(str(get_locale() or "de")))


def kind_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in ORGANISATION_KINDS.items()]


def municipality_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in MUNICIPALITIES]
