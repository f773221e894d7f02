"""The global search page: one box, results grouped by kind, live with htmx."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_login import current_user, login_required

from kimweb.consultations.forms import OFFER_KINDS
from kimweb.htmx import render_page
from kimweb.search import services

bp = Blueprint("search", __name__)


@bp.get("/search")
@login_required
def index() -> Response:
    results = services.search(current_user, request.args.get("q", ""))
    return render_page(
        "search/index.html", block="results", results=results, offer_kinds=OFFER_KINDS
    )
