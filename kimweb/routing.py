"""URL pieces shared by every feature: ids within the database's integer range."""

from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer; larger numbers cannot be ids


class IdConverter(IntegerConverter):
    """``<id:name>``: a positive database id; anything else is a 404, never a 500."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def as_id(value: object) -> int | None:
    """``value`` as a positive id (ASCII digits within range), or None for anything else."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def id_arg(name: str) -> int | None:
    """A positive id from the query string, or None for anything else."""
    return as_id(request.args.get(name, ""))
