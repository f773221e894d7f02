"""Bulk writing of scale data: ids given up front, inserts in batches, then the id
sequences (PostgreSQL) and fresh planner statistics.

Rows are plain dicts inserted through the session's connection by Core ``INSERT`` with many
parameter sets (no ORM objects, nothing read back), so a feature's rows and the rows that
point to them can be made in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from kimweb.extensions import db

BATCH = 5_000  # rows per INSERT executemany


def next_id(table: sa.Table) -> int:
    """The first free id of ``table`` (1 on an empty one)."""
    return (db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1


def insert(table: sa.Table, rows: list[dict]) -> int:
    """Insert ``rows`` in batches (every row with the same keys); returns how many."""
    for start in range(0, len(rows), BATCH):
        db.session.execute(table.insert(), rows[start : start + BATCH])
    return len(rows)


def fix_sequences(tables: Iterable[sa.Table]) -> None:
    """PostgreSQL: the id sequences continue after the ids given here."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in tables:
        last = sa.select(sa.func.max(table.c.id)).scalar_subquery()
        sequence = sa.func.pg_get_serial_sequence(table.name, "id")
        db.session.execute(
            sa.select(sa.func.setval(sequence, sa.func.coalesce(last, 0) + 1, False))
        )


def analyze() -> None:
    """Fresh planner statistics after a fill; commits first. PostgreSQL: VACUUM ANALYZE,
    which also merges the GIN indexes' pending lists, as autovacuum would by now in use."""
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()


class Rows:
    """Rows waiting for the bulk insert, by table, each table's ids counted on from its
    first free one. ``write`` inserts what waits (parents first), ``finish`` also fixes the
    sequences and commits."""

    def __init__(self, tables: Sequence[sa.Table]) -> None:
        self.tables = tuple(tables)  # in the order of inserting: parents first
        self.next = {table: next_id(table) for table in self.tables if "id" in table.c}
        self.waiting: dict[sa.Table, list[dict]] = {table: [] for table in self.tables}
        self.written = dict.fromkeys((table.name for table in self.tables), 0)

    def new_id(self, table: sa.Table) -> int:
        """The id of a row of ``table`` still to be made."""
        row_id = self.next[table]
        self.next[table] += 1
        return row_id

    def add(self, table: sa.Table, row: dict) -> int | None:
        """Queue ``row`` (given the next id unless it has one); returns its id."""
        if table in self.next and "id" not in row:
            row = {"id": self.new_id(table), **row}
        self.waiting[table].append(row)
        return row.get("id")

    def write(self) -> None:
        for table in self.tables:
            self.written[table.name] += insert(table, self.waiting[table])
            self.waiting[table] = []

    def finish(self) -> dict[str, int]:
        """Write the rest, fix the sequences, commit; returns the rows written per table."""
        self.write()
        fix_sequences(self.next)
        db.session.commit()
        return self.written
