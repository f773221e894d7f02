"""URL pieces shared by every feature: ids within the database's integer range."""

from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer; larger numbers cannot be ids


class IdConverter(IntegerConverter):
    """``<id:name>``: a positive database id; anything else is a 404, never a 500."""

    def __init__(self, map, *args, **kwargs) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def id_arg(name: str) -> int | None:
    """A positive id from the query string, or None for anything else."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None
