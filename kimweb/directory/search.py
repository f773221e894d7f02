"""Folding and full-text search of the directory, in the database's own text index.

SQLite: FTS5 table ``directory_fts`` over ``directory_search.body``.
PostgreSQL: generated ``tsvector`` column ``directory_search.body_tsv`` with a GIN index.
Text is folded before indexing and before searching, so case, accents and German
spellings do not matter: "Dueren" finds "Düren", "strasse" finds "Straße".
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa

GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
# Letters that Unicode does not decompose into a base letter and an accent.
PLAIN = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th"})
TOKEN = re.compile(r"\w+")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(PLAIN))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str | None) -> str:
    """Lower case, German umlauts spelled out, other accents removed, spaces collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text).lower().translate(GERMAN)
    return " ".join(_strip_accents(text).split())


STREET_ABBREVIATION = re.compile(r"(\w*)str\.", re.IGNORECASE)


def index_text(text: str | None) -> str:
    """What the index stores for ``text``: the folded words, where umlauts occur also the
    words with the accents simply dropped ("Şükrü" is found as "suekrue" and "sukru"), and
    abbreviated streets spelled out ("Bismarckstr." is found as "Bismarckstraße")."""
    folded = fold(text)
    words = [folded]
    plain = " ".join(_strip_accents((text or "").lower().replace("ß", "ss")).split())
    if plain != folded:
        words.append(plain)
    words += [f"{m.group(1)}strasse" for m in STREET_ABBREVIATION.finditer(folded)]
    return " ".join(words)


def tokens(query: str) -> list[str]:
    """The folded words of a query, from two letters on (at most 8, cut to 40 characters).

    A single letter would match a large part of the index and says little.
    """
    return [t[:40] for t in TOKEN.findall(fold(query)) if len(t) >= 2][:8]


def match_clause(dialect: str, words: list[str], id_column: sa.ColumnElement) -> sa.ColumnElement:
    """A WHERE clause: every word is the start of some word of the entry."""
    if dialect == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        return sa.text("directory_search.body_tsv @@ to_tsquery('simple', :fts_query)").bindparams(
            fts_query=query
        )
    query = " ".join(f'"{word}"*' for word in words)
    matching = sa.text("SELECT rowid FROM directory_fts WHERE directory_fts MATCH :fts_query")
    return id_column.in_(matching.bindparams(fts_query=query).columns(sa.column("rowid")))
