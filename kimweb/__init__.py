"""kimweb: the intranet of the Kommunales Integrationsmanagement Kreis Düren."""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Flask, request
from flask_babel import get_locale

from kimweb.config import INSTANCE_DIR, Config
from kimweb.extensions import babel, compress, csrf, db, htmx_extension, login_manager, migrate
from kimweb.requests import without_nul_request

# htmx settings: no eval, no inline styles, same-origin only, no history snapshots;
# 409 and 422 answers carry a form with messages and are swapped like 2xx.
HTMX_CONFIG = {
    "allowEval": False,
    "allowScriptTags": False,
    "includeIndicatorStyles": False,
    "selfRequestsOnly": True,
    "historyCacheSize": 0,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "409", "swap": True, "error": False},
        {"code": "422", "swap": True, "error": False},
        {"code": "[45]..", "swap": False, "error": True},
        {"code": "...", "swap": False},
    ],
}


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL for concurrent readers, a busy timeout instead of errors, foreign keys on,
    a lower() for every alphabet."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # lower() of every letter, as on PostgreSQL (SQLite's own knows only A-Z).
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def create_app(config: Config | dict[str, Any] | None = None) -> Flask:
    """Build the app from ``config`` (default: ``Config()`` from the environment)."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    settings = config if isinstance(config, dict) else (config or Config()).as_dict()
    app.config.from_mapping(settings)
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from kimweb.routing import IdConverter

    app.url_map.converters["id"] = IdConverter
    _init_extensions(app)
    _register_blueprints(app)
    _register_template_context(app)

    from kimweb import cli, errors, security

    errors.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )
    return app


def _init_extensions(app: Flask) -> None:
    from kimweb.i18n import remember_requested_language, select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    htmx_extension.init_app(app)  # sets its own request class: ours goes on top of it
    app.request_class = without_nul_request(app.request_class)
    compress.init_app(app)
    app.before_request(remember_requested_language)


def _migrations_dir():
    from kimweb.config import BASE_DIR

    return BASE_DIR / "migrations"


def _register_blueprints(app: Flask) -> None:
    from kimweb import admin, auth, calendar, consultations, directory, meetings, pages, search

    # Models of every feature must be imported for migrations and create_all.
    from kimweb.auth import models as _auth_models  # noqa: F401
    from kimweb.calendar import models as _calendar_models  # noqa: F401
    from kimweb.consultations import models as _consultations_models  # noqa: F401
    from kimweb.directory import models as _directory_models  # noqa: F401
    from kimweb.meetings import models as _meetings_models  # noqa: F401
    from kimweb.pages import models as _pages_models  # noqa: F401

    app.register_blueprint(auth.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(directory.bp)
    app.register_blueprint(consultations.bp)
    app.register_blueprint(meetings.bp)
    app.register_blueprint(calendar.bp)
    app.register_blueprint(search.bp)
    from kimweb.consultations import api

    app.register_blueprint(api.bp)


def _register_template_context(app: Flask) -> None:
    from kimweb.i18n import LANGUAGES, format_day, text_direction

    htmx_config = json.dumps(HTMX_CONFIG, separators=(",", ":"))

    def query_string(**changes: Any) -> str:
        """The current query string with ``changes`` (None removes an argument), or ""."""
        args = request.args.to_dict(flat=False)
        for name, value in changes.items():
            if value is None:
                args.pop(name, None)
            else:
                args[name] = [value]
        encoded = urlencode(args, doseq=True)
        return f"?{encoded}" if encoded else ""

    def language_url(code: str) -> str:
        """This page in another language (the other query arguments kept)."""
        return request.path + query_string(lang=code)

    # Globals (not context): also visible inside imported macros.
    from kimweb.forms import error_summary

    app.jinja_env.globals.update(
        query_string=query_string, language_url=language_url, error_summary=error_summary
    )
    app.jinja_env.filters["dayformat"] = format_day

    @app.context_processor
    def _layout_context() -> dict[str, Any]:
        locale = str(get_locale() or "de")
        return {
            "languages": LANGUAGES,
            "current_language": locale,
            "text_direction": text_direction(locale),
            "htmx_config": htmx_config,
            "office": {
                "name": app.config["KIMWEB_OFFICE_NAME"],
                "address": app.config["KIMWEB_OFFICE_ADDRESS"],
                "email": app.config.get("KIMWEB_OFFICE_EMAIL"),
                "phone": app.config.get("KIMWEB_OFFICE_PHONE"),
            },
            "endpoint": request.endpoint or "",
        }
