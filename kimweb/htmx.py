"""One way to answer a request: the whole page, or one block of it for htmx."""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, render_template, request
from jinja2_fragments.flask import render_block


def wants_fragment() -> bool:
    """True for an htmx request that will swap part of a page.

    Boosted requests and history restores need the whole page.
    """
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render_page(
    template: str, block: str | None = None, status: int = 200, **context: Any
) -> Response:
    """Render ``template``; for an htmx request render only ``block`` of it (with
    ``fragment`` true, e.g. for an out-of-band status message that only a swap needs).

    Adds ``Vary: HX-Request`` so caches keep the two answers apart.
    """
    if block and wants_fragment():
        body = render_block(template, block, fragment=True, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response
