"""Organisations, contact persons, focus areas, the search index and the change record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from kimweb.auth.models import utcnow
from kimweb.directory.vocabulary import BUILTIN_FOCUS_AREAS
from kimweb.extensions import db

organisation_focus = sa.Table(
    "organisation_focus_areas",
    db.metadata,
    sa.Column(
        "organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "focus_area_id",
        sa.ForeignKey("focus_areas.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class FocusArea(db.Model):
    __tablename__ = "focus_areas"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    key: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    custom_label: so.Mapped[str | None] = so.mapped_column(sa.String(120))

    @property
    def label(self) -> str:
        builtin = BUILTIN_FOCUS_AREAS.get(self.key)
        return str(builtin) if builtin is not None else (self.custom_label or self.key)


class OrganisationMunicipality(db.Model):
    __tablename__ = "organisation_municipalities"

    organisation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    municipality: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True, index=True)


class OrganisationLanguage(db.Model):
    __tablename__ = "organisation_languages"

    organisation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    language: so.Mapped[str] = so.mapped_column(sa.String(12), primary_key=True, index=True)


class ContactLanguage(db.Model):
    __tablename__ = "contact_languages"

    contact_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    language: so.Mapped[str] = so.mapped_column(sa.String(12), primary_key=True, index=True)


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    short_name: so.Mapped[str | None] = so.mapped_column(sa.String(60))
    kind: so.Mapped[str] = so.mapped_column(sa.String(32), default="other", index=True)
    street: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    postal_code: so.Mapped[str | None] = so.mapped_column(sa.String(10))
    town: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    website: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    notes: so.Mapped[str | None] = so.mapped_column(sa.Text)
    verified_on: so.Mapped[date | None] = so.mapped_column(sa.Date, index=True)
    archived_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    focus_areas: so.Mapped[list[FocusArea]] = so.relationship(
        secondary=organisation_focus, order_by=FocusArea.id
    )
    municipality_rows: so.Mapped[list[OrganisationMunicipality]] = so.relationship(
        cascade="all, delete-orphan", order_by=OrganisationMunicipality.municipality
    )
    language_rows: so.Mapped[list[OrganisationLanguage]] = so.relationship(
        cascade="all, delete-orphan", order_by=OrganisationLanguage.language
    )
    contacts: so.Mapped[list[Contact]] = so.relationship(
        back_populates="organisation",
        order_by="Contact.name",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def municipalities(self) -> list[str]:
        return [row.municipality for row in self.municipality_rows]

    @municipalities.setter
    def municipalities(self, names: list[str]) -> None:
        self.municipality_rows = [
            OrganisationMunicipality(municipality=n) for n in dict.fromkeys(names)
        ]

    @property
    def languages(self) -> list[str]:
        return [row.language for row in self.language_rows]

    @languages.setter
    def languages(self, codes: list[str]) -> None:
        self.language_rows = [OrganisationLanguage(language=c) for c in dict.fromkeys(codes)]

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name


class Contact(db.Model):
    __tablename__ = "contacts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    organisation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(160))
    function: so.Mapped[str | None] = so.mapped_column(sa.String(160))
    room: so.Mapped[str | None] = so.mapped_column(sa.String(60))
    phone: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    mobile: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254), index=True)
    office_hours: so.Mapped[str | None] = so.mapped_column(sa.String(300))
    is_publishable: so.Mapped[bool] = so.mapped_column(default=False)
    verified_on: so.Mapped[date | None] = so.mapped_column(sa.Date, index=True)
    archived_at: so.Mapped[datetime | None] = so.mapped_column(sa.DateTime(timezone=True))
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    organisation: so.Mapped[Organisation] = so.relationship(back_populates="contacts")
    language_rows: so.Mapped[list[ContactLanguage]] = so.relationship(
        cascade="all, delete-orphan", order_by=ContactLanguage.language
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def languages(self) -> list[str]:
        return [row.language for row in self.language_rows]

    @languages.setter
    def languages(self, codes: list[str]) -> None:
        self.language_rows = [ContactLanguage(language=c) for c in dict.fromkeys(codes)]


class SearchEntry(db.Model):
    """One row per organisation and per contact: folded text for the full-text index.

    SQLite indexes ``body`` with FTS5 (table ``directory_fts``), PostgreSQL with a
    generated ``tsvector`` column; both are created by the migration.
    """

    __tablename__ = "directory_search"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    organisation_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    contact_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), unique=True
    )
    sort_key: so.Mapped[str] = so.mapped_column(sa.String(200))
    body: so.Mapped[str] = so.mapped_column(sa.Text)
    is_archived: so.Mapped[bool] = so.mapped_column(default=False)
    verified_on: so.Mapped[date | None] = so.mapped_column(sa.Date)

    __table_args__ = (sa.Index("ix_directory_search_listing", "is_archived", "sort_key"),)


class Change(db.Model):
    """Who changed which fields of an entry when, with old and new values."""

    __tablename__ = "directory_changes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    organisation_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    contact_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    user_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    action: so.Mapped[str] = so.mapped_column(sa.String(20))
    changes: so.Mapped[list[dict[str, Any]]] = so.mapped_column(sa.JSON, default=list)
    changed_at: so.Mapped[datetime] = so.mapped_column(
        sa.DateTime(timezone=True), default=utcnow, index=True
    )

    user = so.relationship("User")


class ImportUpload(db.Model):
    """A CSV file waiting for confirmation: previewed, not yet written to the directory."""

    __tablename__ = "directory_imports"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    token: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    filename: so.Mapped[str] = so.mapped_column(sa.String(200))
    content: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
    created_at: so.Mapped[datetime] = so.mapped_column(sa.DateTime(timezone=True), default=utcnow)
