"""Error pages in the layout, translated; htmx gets the same page's content block."""

from __future__ import annotations

import logging

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from kimweb.extensions import db
from kimweb.htmx import render_page

log = logging.getLogger("kimweb.errors")

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please go back and try again."),
    ),
    403: (_l("Access denied"), _l("You are not allowed to open this page.")),
    404: (_l("Page not found"), _l("This page does not exist. Perhaps the link is out of date.")),
    405: (_l("Not allowed"), _l("This action is not possible here.")),
    409: (
        _l("Conflict"),
        _l("Someone else changed this in the meantime. Please reload and check."),
    ),
    413: (_l("Too large"), _l("The upload is too large.")),
    422: (_l("Cannot be processed"), _l("Please check your entries.")),
    429: (_l("Too many requests"), _l("Too many attempts. Please wait a little and try again.")),
    500: (_l("Something went wrong"), _l("An error occurred on our side. Please try again later.")),
}


def render_error(status: int, detail: str | None = None):
    title, text = MESSAGES.get(status) or MESSAGES[400 if status < 500 else 500]
    return render_page(
        "errors/error.html",
        block="content",
        status=status,
        title=title,
        text=detail or text,
        code=status,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return render_error(
            400, str(_l("The form has expired or was sent from elsewhere. Please try again."))
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code in (301, 302, 303, 307, 308) or error.code is None:
            return error
        return render_error(error.code)

    @app.errorhandler(InternalServerError)
    def _internal_error(error: InternalServerError):
        db.session.rollback()
        log.exception("internal error", exc_info=error.original_exception)
        return render_error(500)
