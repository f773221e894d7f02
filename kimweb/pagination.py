"""One way to page through a query."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request
from flask_sqlalchemy.pagination import Pagination

from kimweb.extensions import db


def paginate(query: sa.Select, per_page: int = 50) -> Pagination:
    """Page ``query`` by ``?page=``; a bad or too large page number shows the last page."""
    page = request.args.get("page", 1, type=int) or 1
    result = db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False)
    if result.pages and page > result.pages:
        result = db.paginate(query, page=result.pages, per_page=per_page, error_out=False)
    return result
