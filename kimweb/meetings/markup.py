"""Minutes text: Markdown rendered to safe HTML, and a gentle check for client data.

Minutes are about structures and topics, never about individual clients (DOMAIN.md), so
`client_data_warnings` points out what looks like a birth date, a file number, a phone number
or an email address. It only warns; the person writing the minutes decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import nh3
from flask_babel import lazy_gettext as _l
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

MAX_MARKDOWN_CHARS = 100_000

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "em", "del", "s", "ul", "ol", "li", "blockquote", "code", "pre",
        "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
HEADING_SHIFT = 2  # "#" is the h3 under the page's own h1 and h2


def _shift_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_SHIFT, 6)}"


def _image_as_alt_text(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Images are not allowed in minutes: show their alt text instead."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
    ["table", "strikethrough"]
)
_markdown.core.ruler.push("shift_headings", _shift_headings)
_markdown.add_render_rule("image", _image_as_alt_text)


def render_markdown(text: str | None) -> Markup:
    """The minutes' Markdown as HTML that is safe to show: no raw HTML, only allowed tags."""
    if not text or not text.strip():
        return Markup("")
    html = _markdown.render(text[:MAX_MARKDOWN_CHARS])
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above  # nosec B704


WARNING_LABELS = {
    "birth_date": _l("a date of birth"),
    "file_number": _l("a file or customer number"),
    "phone": _l("a phone number"),
    "email": _l("an email address"),
}

# Every pattern has bounded repetitions and starts only at the beginning of a token, so the
# check stays linear on long or hostile input.
_DATE = (
    r"(?:\d{1,2}[./-]\s?\d{1,2}[./-]\s?(?:\d{4}|\d{2})"
    r"|\d{1,2}\.\s?[^\W\d_]{3,9}\.?\s\d{4}"
    r"|\d{4}-\d{1,2}-\d{1,2})(?!\d)"
)
_BIRTH_DATE_WORDS = re.compile(
    r"\b(?:geb(?:oren)?\.?|geburtsdatum|geb\.-?datum|dob|d\.o\.b\.|date\sof\sbirth|born)"
    r"(?:\s{1,3}(?:am|on))?\s{0,3}:?\s{0,3}" + _DATE,
    re.IGNORECASE,
)
_PLAIN_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
_FILE_NUMBER = re.compile(
    r"\b(?:aktenzeichen|az|kunden-?(?:nummer|nr)|kd\.?-?nr|bg-?(?:nummer|nr)"
    r"|vorgangs-?(?:nummer|nr)|azr-?(?:nummer|nr)|(?:file|case|customer)\s(?:no|number))\b"
    r"\.?\s{0,3}[:#]?\s{0,3}(?=[\w/.\-]{0,20}\d)",
    re.IGNORECASE,
)
# job-com customer numbers such as 123D456789, BG numbers such as 12345//0012345
_CUSTOMER_NUMBER = re.compile(r"\b(?:\d{3}[A-Z]\d{6}|\d{5}//\d{7})\b")
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)49[ \-/]?(?:\(0\)[ \-/]?)?|\(?0)"
    r"(?P<number>(?:1[5-7]\d|[2-9]\d{1,4})\)?[ \-/]{0,3}\d(?:[ \-]?\d){2,8})(?!\d)"
)
_EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]{1,64}@(?:[\w\-]{1,63}\.){1,8}[^\W\d_]{2,24}\b")
MIN_PHONE_DIGITS = 8  # without the leading 0: 0800-1200 is a time, 0221 12345 a phone
MIN_AGE = 14


def _looks_like_birth_date(text: str, today: date) -> bool:
    if _BIRTH_DATE_WORDS.search(text):
        return True
    for match in _PLAIN_DATE.finditer(text):
        day, month, year = (int(part) for part in match.groups())
        if 1900 <= year <= today.year - MIN_AGE:
            try:
                date(year, month, day)
            except ValueError:
                continue
            return True
    return False


def _looks_like_phone(text: str) -> bool:
    return any(
        sum(char.isdigit() for char in match["number"]) >= MIN_PHONE_DIGITS
        for match in _PHONE.finditer(text)
    )


def client_data_warnings(text: str | None, *, today: date | None = None) -> list[str]:
    """Keys of `WARNING_LABELS` for what in `text` looks like client data, sorted."""
    if not text:
        return []
    found = set()
    if _looks_like_birth_date(text, today or date.today()):
        found.add("birth_date")
    if _FILE_NUMBER.search(text) or _CUSTOMER_NUMBER.search(text):
        found.add("file_number")
    if _looks_like_phone(text):
        found.add("phone")
    if _EMAIL.search(text):
        found.add("email")
    return sorted(found)
