"""One way to page through a query."""

from __future__ import annotations

from math import ceil

import sqlalchemy as sa
from flask import request
from flask_sqlalchemy.pagination import SelectPagination

from kimweb.extensions import db


class CappedPagination(SelectPagination):
    """A page of a query; with ``cap``, at most ``cap`` + 1 rows are counted.

    Counting every match of a broad search costs more than the search itself; "more than
    1,000" is all a reader needs. ``is_capped`` says that the count was cut.
    """

    def _query_count(self) -> int:
        select = self._query_args["select"].order_by(None)
        if self.cap is not None:
            select = select.limit(self.cap + 1)
        count = sa.select(sa.func.count()).select_from(select.subquery())
        return self._query_args["session"].execute(count).scalar() or 0

    @property
    def cap(self) -> int | None:
        return self._query_args.get("cap")

    @property
    def is_capped(self) -> bool:
        return self.cap is not None and (self.total or 0) > self.cap

    @property
    def pages(self) -> int:
        counted = min(self.total or 0, self.cap) if self.is_capped else (self.total or 0)
        return ceil(counted / self.per_page)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query: sa.Select, per_page: int = 50, cap: int | None = None) -> CappedPagination:
    """Page ``query`` by ``?page=``; a bad or too large page number shows the last page."""
    page = max(request.args.get("page", 1, type=int) or 1, 1)

    def make(number: int) -> CappedPagination:
        return CappedPagination(
            page=number,
            per_page=per_page,
            max_per_page=None,
            error_out=False,
            select=query,
            session=db.session,
            cap=cap,
        )

    result = make(page)
    if result.pages and page > result.pages:
        result = make(result.pages)
    return result
