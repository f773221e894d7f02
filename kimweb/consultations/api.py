"""The public, read-only JSON API of the timetable: no login, open to every origin."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask import Blueprint, Response, jsonify, request, session
from werkzeug.datastructures import MultiDict

from kimweb.consultations import feeds, services
from kimweb.consultations.models import OFFER_KINDS
from kimweb.directory.vocabulary import LANGUAGE_CODES, MUNICIPALITIES
from kimweb.extensions import csrf
from kimweb.i18n import LANGUAGES

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # reading only; nothing here changes data

CHOICES: dict[str, tuple[str, ...]] = {
    "municipality": MUNICIPALITIES,
    "language": LANGUAGE_CODES,
    "kind": OFFER_KINDS,
    "lang": tuple(LANGUAGES),
}
NUMBERS: dict[str, tuple[int, int]] = {
    "topic": (1, feeds.MAX_ID),
    "location": (1, feeds.MAX_ID),
    "days": (1, feeds.MAX_DAYS),
}
INTEGER_RE = re.compile(r"[0-9]{1,12}")


def _choice_error(value: str, allowed: tuple[str, ...]) -> str | None:
    if value in allowed:
        return None
    return f"Unknown value {value!r}; allowed: {', '.join(allowed)}."


def _number_error(value: str, bounds: tuple[int, int]) -> str | None:
    low, high = bounds
    if not INTEGER_RE.fullmatch(value):
        return f"Must be a whole number from {low} to {high}, not {value!r}."
    if not low <= int(value) <= high:
        return f"Must be from {low} to {high}, not {int(value)}."
    return None


def query_errors(args: MultiDict[str, str]) -> dict[str, list[str]]:
    """Parameter name -> messages for every invalid query parameter (empty: all valid)."""
    checks: dict[str, Callable[[str], str | None]] = {
        **{name: lambda v, a=allowed: _choice_error(v, a) for name, allowed in CHOICES.items()},
        **{name: lambda v, b=bounds: _number_error(v, b) for name, bounds in NUMBERS.items()},
    }
    errors: dict[str, list[str]] = {}
    for name, check in checks.items():
        values = args.getlist(name)
        if len(values) > 1:
            errors[name] = ["Give this parameter at most once."]
        elif values and (message := check(values[0])):
            errors[name] = [message]
    return errors


@bp.after_request
def _public_headers(response: Response) -> Response:
    """Open for reading from any origin, cacheable briefly, and never setting a cookie."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Type"
    response.headers["Access-Control-Max-Age"] = "86400"
    # Caches may keep it but must ask again: a staff change shows at once.
    response.headers["Cache-Control"] = "public, no-cache"
    response.vary.add("Accept-Language")
    # The app remembers ?lang in the session; a public, cacheable answer sets no cookie.
    session.modified = False
    return response


@bp.get("/consultations")
def consultations() -> tuple[Response, int] | Response:
    errors = query_errors(request.args)
    if errors:
        return jsonify(errors=errors), 422
    filters = services.TimetableFilter.from_form(request.args.to_dict())
    days = int(request.args.get("days", feeds.DEFAULT_DAYS))
    now = services.now_in_berlin()
    today = now.date()
    slots = services.load_slots(filters)
    return jsonify(feeds.api_document(slots, today, today + timedelta(days=days - 1), now))


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(feeds.openapi_document(request.url_root))
