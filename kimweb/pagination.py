"""One way to page through a query."""

from __future__ import annotations

from collections.abc import Callable
from math import ceil

import sqlalchemy as sa
from flask import request
from flask_sqlalchemy.pagination import Pagination

from kimweb.extensions import db


class CappedPagination(Pagination):
    """A page of a query. Counts first; with ``cap``, at most ``cap`` + 1 rows.

    Counting every match of a broad search costs more than the search itself; "more than
    ``cap``" is all a reader needs (``is_capped``). Knowing the count first, the rows of the
    page are not queried when there are none, and ``items_query(total)`` may choose the
    plan that suits a large or a small result.
    """

    def __init__(
        self,
        select: sa.Select,
        page: int,
        per_page: int,
        cap: int | None = None,
        items_query: Callable[[int], sa.Select] | None = None,
    ) -> None:
        self._query_args = {"select": select, "cap": cap, "items_query": items_query}
        self.page, self.per_page, self.max_per_page = page, per_page, None
        self.total = self._query_count()
        if self.pages and self.page > self.pages:
            self.page = self.pages  # a page past the end shows the last one
        self.items = self._query_items() if self.total else []

    def _query_count(self) -> int:
        select = self._query_args["select"].order_by(None)
        if self.cap is not None:
            select = select.limit(self.cap + 1)
        count = sa.select(sa.func.count()).select_from(select.subquery())
        return db.session.execute(count).scalar() or 0

    def _query_items(self) -> list:
        items_query = self._query_args["items_query"]
        select = items_query(self.total) if items_query else self._query_args["select"]
        select = select.limit(self.per_page).offset((self.page - 1) * self.per_page)
        return list(db.session.execute(select).unique().scalars())

    @property
    def cap(self) -> int | None:
        return self._query_args["cap"]

    @property
    def is_capped(self) -> bool:
        return self.cap is not None and self.total > self.cap

    @property
    def pages(self) -> int:
        counted = min(self.total, self.cap) if self.is_capped else self.total
        return ceil(counted / self.per_page)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(
    query: sa.Select,
    per_page: int = 50,
    cap: int | None = None,
    items_query: Callable[[int], sa.Select] | None = None,
) -> CappedPagination:
    """Page ``query`` by ``?page=``; a bad or too large page number shows the last page."""
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 1_000_000)
    return CappedPagination(query, page, per_page, cap=cap, items_query=items_query)
