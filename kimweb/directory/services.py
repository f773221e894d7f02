"""The directory's logic: saving with a change record, the search index, searching,
archiving and verifying. No Flask request in here."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import force_locale
from flask_babel import gettext as _

from kimweb.auth.models import User, utcnow
from kimweb.directory.models import (
    Change,
    Contact,
    ContactLanguage,
    FocusArea,
    ImportUpload,
    Organisation,
    OrganisationLanguage,
    OrganisationMunicipality,
    SearchEntry,
    organisation_focus,
)
from kimweb.directory.search import fold, index_text, match_clause, tokens
from kimweb.directory.vocabulary import BUILTIN_FOCUS_AREAS, language_choices, language_name
from kimweb.extensions import db
from kimweb.routing import as_id

VERIFY_AFTER = timedelta(days=365)
COUNT_CAP = 500  # results counted at most; more is shown as "more than 500"

ORGANISATION_FIELDS = (
    "name",
    "short_name",
    "kind",
    "street",
    "postal_code",
    "town",
    "phone",
    "email",
    "website",
    "notes",
    "municipalities",
    "focus_areas",
    "languages",
)
# Fields stored as they are typed (trimmed); the others need conversion.
ORGANISATION_TEXT_FIELDS = tuple(
    name
    for name in ORGANISATION_FIELDS
    if name not in {"website", "municipalities", "focus_areas", "languages"}
)
CONTACT_FIELDS = (
    "organisation_id",
    "name",
    "function",
    "room",
    "phone",
    "mobile",
    "email",
    "office_hours",
    "languages",
    "is_publishable",
)
CONTACT_TEXT_FIELDS = tuple(
    name
    for name in CONTACT_FIELDS
    if name not in {"organisation_id", "languages", "is_publishable"}
)


# --- focus areas --------------------------------------------------------------------


def ensure_builtin_focus_areas() -> None:
    """Create the built-in focus areas that are missing (idempotent)."""
    existing = set(db.session.scalars(sa.select(FocusArea.key)))
    for key in BUILTIN_FOCUS_AREAS:
        if key not in existing:
            db.session.add(FocusArea(key=key))
    db.session.flush()


def focus_areas() -> list[FocusArea]:
    return list(db.session.scalars(sa.select(FocusArea).order_by(FocusArea.id)))


def value_labels() -> dict[str, str]:
    """Names for stored codes (focus area keys, language codes) in the current language."""
    return {
        **{area.key: area.label for area in focus_areas()},
        **dict(language_choices()),
    }


def add_focus_area(label: str) -> FocusArea:
    label = " ".join(label.split())
    key = "custom-" + "-".join(fold(label).split())[:50]
    area = db.session.scalar(sa.select(FocusArea).where(FocusArea.key == key))
    if area is None:
        area = FocusArea(key=key, custom_label=label)
        db.session.add(area)
        db.session.commit()
    return area


# --- snapshots and the change record -------------------------------------------------


def _value(entry: Organisation | Contact, name: str) -> Any:
    if name == "focus_areas":
        return sorted(area.key for area in entry.focus_areas)
    value = getattr(entry, name)
    return list(value) if isinstance(value, list) else value


def snapshot(entry: Organisation | Contact) -> dict[str, Any]:
    names = ORGANISATION_FIELDS if isinstance(entry, Organisation) else CONTACT_FIELDS
    return {name: _value(entry, name) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Field changes as [{field, old, new}], in field order."""
    return [
        {"field": name, "old": before.get(name), "new": after[name]}
        for name in after
        if before.get(name) != after[name]
    ]


def record(entry: Organisation | Contact, user: User | None, action: str, changes=None) -> None:
    is_org = isinstance(entry, Organisation)
    db.session.add(
        Change(
            organisation_id=entry.id if is_org else entry.organisation_id,
            contact_id=None if is_org else entry.id,
            user_id=user.id if user else None,
            action=action,
            changes=changes or [],
        )
    )


def history(entry: Organisation | Contact) -> list[Change]:
    query = sa.select(Change).options(so.joinedload(Change.user))
    if isinstance(entry, Organisation):
        query = query.where(Change.organisation_id == entry.id, Change.contact_id.is_(None))
    else:
        query = query.where(Change.contact_id == entry.id)
    return list(db.session.scalars(query.order_by(Change.changed_at.desc(), Change.id.desc())))


# --- saving -------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def normalise_website(url: str | None) -> str | None:
    url = _clean(url)
    if url and "://" not in url:
        url = "https://" + url
    return url


PHONE = re.compile(r"^\+?[0-9 ()/.\-–]+$")


def phone_problem(value: str | None) -> str | None:
    """Why ``value`` is not a phone number, or None (empty is fine)."""
    value = (value or "").strip()
    if value and (not PHONE.match(value) or sum(ch.isdigit() for ch in value) < 5):
        return _("Please enter a phone number with digits only, e.g. 02421 22-0.")
    return None


def website_problem(value: str | None) -> str | None:
    """Why ``value`` is not a web address (http or https), or None (empty is fine)."""
    url = normalise_website(value)
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or "." not in parts.netloc or " " in url:
        return _("Please enter a web address, e.g. www.example.org.")
    return None


def apply_organisation(org: Organisation, data: dict[str, Any]) -> None:
    for name in ORGANISATION_TEXT_FIELDS:
        if name in data:
            setattr(org, name, _clean(data[name]))
    if "website" in data:
        org.website = normalise_website(data["website"])
    if "municipalities" in data:
        org.municipalities = list(data["municipalities"] or [])
    if "languages" in data:
        org.languages = list(data["languages"] or [])
    if "focus_area_ids" in data:
        ids = [int(i) for i in data["focus_area_ids"] or []]
        org.focus_areas = (
            list(db.session.scalars(sa.select(FocusArea).where(FocusArea.id.in_(ids))))
            if ids
            else []
        )


def apply_contact(contact: Contact, data: dict[str, Any]) -> None:
    for name in CONTACT_TEXT_FIELDS:
        if name in data:
            setattr(contact, name, _clean(data[name]))
    if "organisation_id" in data:
        contact.organisation_id = int(data["organisation_id"])
    if "languages" in data:
        contact.languages = list(data["languages"] or [])
    if "is_publishable" in data:
        contact.is_publishable = bool(data["is_publishable"])


def _save(
    entry: Organisation | Contact,
    created: bool,
    apply: Callable[[Any, dict[str, Any]], None],
    data: dict[str, Any],
    user: User | None,
    action: str | None,
) -> None:
    """Apply ``data`` to ``entry``, record what changed, refresh the index, commit."""
    before = {} if created else snapshot(entry)
    if created:
        db.session.add(entry)
    apply(entry, data)
    db.session.flush()
    changes = diff(before, snapshot(entry))
    if created or changes:
        record(entry, user, action or ("created" if created else "updated"), changes)
        if isinstance(entry, Organisation):
            reindex_organisation(entry)
        else:
            db.session.refresh(entry, ["organisation"])
            reindex_contact(entry)
    db.session.commit()


def save_organisation(
    org: Organisation | None, data: dict[str, Any], user: User | None, action: str | None = None
) -> Organisation:
    """Create or update an organisation, record what changed, refresh the index."""
    entry = org or Organisation(verified_on=date.today())
    _save(entry, org is None, apply_organisation, data, user, action)
    return entry


def save_contact(
    contact: Contact | None, data: dict[str, Any], user: User | None, action: str | None = None
) -> Contact:
    """Create or update a contact person, record what changed, refresh the index."""
    entry = contact or Contact(verified_on=date.today())
    _save(entry, contact is None, apply_contact, data, user, action)
    return entry


def set_archived(entry: Organisation | Contact, archived: bool, user: User | None) -> None:
    if entry.is_archived == archived:
        return
    entry.archived_at = utcnow() if archived else None
    change = [{"field": "archived", "old": not archived, "new": archived}]
    record(entry, user, "archived" if archived else "restored", change)
    if isinstance(entry, Organisation):
        reindex_organisation(entry)
    else:
        reindex_contact(entry)
    db.session.commit()


def mark_verified(
    entry: Organisation | Contact, user: User | None, today: date | None = None
) -> None:
    before = entry.verified_on
    entry.verified_on = today or date.today()
    change = [
        {
            "field": "verified_on",
            "old": before.isoformat() if before else None,
            "new": entry.verified_on.isoformat(),
        }
    ]
    record(entry, user, "verified", change)
    if isinstance(entry, Organisation):
        db.session.execute(
            sa.update(SearchEntry)
            .where(SearchEntry.organisation_id == entry.id, SearchEntry.contact_id.is_(None))
            .values(verified_on=entry.verified_on)
        )
    else:
        db.session.execute(
            sa.update(SearchEntry)
            .where(SearchEntry.contact_id == entry.id)
            .values(verified_on=entry.verified_on)
        )
    db.session.commit()


def public_contacts(org: Organisation) -> list[Contact]:
    """The contact persons of ``org`` that may be shown to the public."""
    if org.is_archived:
        return []
    return [c for c in org.contacts if c.is_publishable and not c.is_archived]


def delete_for_good(entry: Organisation | Contact) -> None:
    """Remove an entry and its history (organisations: with their contact persons)."""
    db.session.delete(entry)
    db.session.commit()


def needs_checking(verified_on: date | None, today: date | None = None) -> bool:
    return verified_on is None or verified_on <= (today or date.today()) - VERIFY_AFTER


# --- the search index ---------------------------------------------------------------


def _focus_words(org: Organisation) -> list[str]:
    words = []
    for area in org.focus_areas:
        words.append(area.key)
        for locale in ("de", "en"):
            with force_locale(locale):
                words.append(area.label)
    return words


def organisation_text(org: Organisation) -> str:
    parts = [
        org.name,
        org.short_name,
        org.town,
        org.street,
        org.postal_code,
        org.email,
        *org.municipalities,
        *_focus_words(org),
        *(language_name(code, "de") for code in org.languages),
    ]
    return " ".join(index_text(p) for p in parts if p)


def contact_text(contact: Contact, org_text: str) -> str:
    parts = [
        contact.name,
        contact.function,
        contact.email,
        contact.room,
        *(language_name(code, "de") for code in contact.languages),
    ]
    return " ".join([*(index_text(p) for p in parts if p), org_text])


def _upsert(org: Organisation, contact: Contact | None, body: str) -> None:
    condition = (
        SearchEntry.contact_id == contact.id
        if contact is not None
        else sa.and_(SearchEntry.organisation_id == org.id, SearchEntry.contact_id.is_(None))
    )
    entry = db.session.scalar(sa.select(SearchEntry).where(condition))
    if entry is None:
        entry = SearchEntry(organisation_id=org.id, contact_id=contact.id if contact else None)
        db.session.add(entry)
    target = contact or org
    entry.organisation_id = org.id
    entry.sort_key = fold(target.name)[:200]
    entry.body = body
    entry.is_archived = org.is_archived or (contact is not None and contact.is_archived)
    entry.verified_on = target.verified_on


def reindex_organisation(org: Organisation) -> None:
    """Refresh the index rows of an organisation and of its contact persons."""
    text = organisation_text(org)
    _upsert(org, None, text)
    for contact in org.contacts:
        _upsert(org, contact, contact_text(contact, text))
    db.session.flush()


def reindex_contact(contact: Contact) -> None:
    org = contact.organisation
    _upsert(org, contact, contact_text(contact, organisation_text(org)))
    db.session.flush()


def reindex_all() -> int:
    orgs = db.session.scalars(
        sa.select(Organisation).options(
            so.selectinload(Organisation.contacts).selectinload(Contact.language_rows),
            so.selectinload(Organisation.focus_areas),
            so.selectinload(Organisation.municipality_rows),
            so.selectinload(Organisation.language_rows),
        )
    ).all()
    for org in orgs:
        reindex_organisation(org)
    db.session.commit()
    return len(orgs)


# --- searching ----------------------------------------------------------------------


@dataclass
class DirectoryQuery:
    q: str = ""
    kind: str = ""
    focus: int | None = None
    municipality: str = ""
    language: str = ""
    show: str = ""  # "" (all), "organisations", "contacts"
    archived: bool = False
    needs_check: bool = False

    @classmethod
    def from_form(cls, data: dict[str, Any]) -> DirectoryQuery:
        return cls(
            q=(data.get("q") or "").strip(),
            kind=data.get("kind") or "",
            focus=as_id(data.get("focus")),
            municipality=data.get("municipality") or "",
            language=data.get("language") or "",
            show=data.get("show") or "",
            archived=bool(data.get("archived")),
            needs_check=bool(data.get("needs_check")),
        )


# Above this many matches the database reads the name index in order and stops after a
# page, instead of fetching and sorting every match (seen in bench/bench_directory_search.py).
WALK_NAME_INDEX_FROM = 200


def search_query(query: DirectoryQuery, today: date | None = None, many: bool = False) -> sa.Select:
    """The index rows that match ``query``, ordered by name. One statement, any size.

    ``many``: the caller knows that many rows match (see ``WALK_NAME_INDEX_FROM``).
    """
    stmt = sa.select(SearchEntry)

    def key(column: sa.ColumnElement) -> sa.ColumnElement:
        # "column + 0" keeps the planner from looking rows up by that column, so that it
        # reads the name index in order and stops after one page.
        return column + 0 if many else column

    stmt = stmt.where(SearchEntry.is_archived.is_(query.archived))
    words = tokens(query.q)
    if words:
        dialect = db.session.get_bind().dialect.name
        stmt = stmt.where(match_clause(dialect, words, key(SearchEntry.id)))
    # Organisation rows have no contact. Written so that no index on contact_id is used:
    # PostgreSQL would otherwise walk that index and test the text of every row.
    is_organisation = sa.func.coalesce(SearchEntry.contact_id, 0) == 0
    if query.show == "organisations":
        stmt = stmt.where(is_organisation)
    elif query.show == "contacts":
        stmt = stmt.where(sa.not_(is_organisation))
    if query.kind:
        stmt = stmt.where(
            key(SearchEntry.organisation_id).in_(
                sa.select(Organisation.id).where(Organisation.kind == query.kind)
            )
        )
    if query.focus:
        stmt = stmt.where(
            key(SearchEntry.organisation_id).in_(
                sa.select(organisation_focus.c.organisation_id).where(
                    organisation_focus.c.focus_area_id == query.focus
                )
            )
        )
    if query.municipality:
        stmt = stmt.where(
            key(SearchEntry.organisation_id).in_(
                sa.select(OrganisationMunicipality.organisation_id).where(
                    OrganisationMunicipality.municipality == query.municipality
                )
            )
        )
    if query.language:
        offered_by_org = sa.select(OrganisationLanguage.organisation_id).where(
            OrganisationLanguage.language == query.language
        )
        spoken_by_contact = sa.select(ContactLanguage.contact_id).where(
            ContactLanguage.language == query.language
        )
        stmt = stmt.where(
            sa.or_(
                sa.and_(
                    is_organisation,
                    key(SearchEntry.organisation_id).in_(offered_by_org),
                ),
                key(SearchEntry.contact_id).in_(spoken_by_contact),
            )
        )
    if query.needs_check:
        cutoff = (today or date.today()) - VERIFY_AFTER
        stmt = stmt.where(
            sa.or_(SearchEntry.verified_on.is_(None), SearchEntry.verified_on <= cutoff)
        )
    return stmt.order_by(SearchEntry.sort_key, SearchEntry.id)


@dataclass
class Hit:
    """One result: an organisation, or a contact person with their organisation."""

    organisation: Organisation
    contact: Contact | None = None

    @property
    def entry(self) -> Organisation | Contact:
        return self.contact or self.organisation


def load_hits(entries: list[SearchEntry], full: bool = False) -> list[Hit]:
    """Organisations and contacts of one page of results, in a fixed number of queries.

    The result list shows focus areas only; ``full`` also loads what exports need.
    """
    org_options = [so.selectinload(Organisation.focus_areas)]
    contact_options = []
    if full:
        org_options += [
            so.selectinload(Organisation.municipality_rows),
            so.selectinload(Organisation.language_rows),
        ]
        contact_options = [so.selectinload(Contact.language_rows)]
    org_ids = {e.organisation_id for e in entries}
    contact_ids = {e.contact_id for e in entries if e.contact_id}
    orgs, contacts = {}, {}
    if org_ids:
        query = sa.select(Organisation).where(Organisation.id.in_(org_ids)).options(*org_options)
        orgs = {org.id: org for org in db.session.scalars(query)}
    if contact_ids:
        query = sa.select(Contact).where(Contact.id.in_(contact_ids)).options(*contact_options)
        contacts = {contact.id: contact for contact in db.session.scalars(query)}
    return [Hit(orgs[e.organisation_id], contacts.get(e.contact_id)) for e in entries]


def contacts_for_export(query: DirectoryQuery, limit: int = 10_000) -> list[Hit]:
    entries = list(db.session.scalars(search_query(query).limit(limit)))
    return load_hits(entries, full=True)


def organisation_options() -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(Organisation.id, Organisation.name)
        .where(Organisation.archived_at.is_(None))
        .order_by(Organisation.name)
    )
    return [(row.id, row.name) for row in rows]


# --- uploads waiting for confirmation ------------------------------------------------


def store_upload(user: User, filename: str, content: bytes) -> str:
    """Keep an uploaded file until it is confirmed; returns its token. Old ones are dropped."""
    db.session.execute(
        sa.delete(ImportUpload).where(ImportUpload.created_at < utcnow() - timedelta(days=1))
    )
    token = secrets.token_urlsafe(24)
    db.session.add(
        ImportUpload(token=token, user_id=user.id, filename=filename[:200], content=content)
    )
    db.session.commit()
    return token


def take_upload(token: str, user: User) -> ImportUpload | None:
    """The upload ``token`` of ``user``, or None."""
    return db.session.scalar(
        sa.select(ImportUpload).where(ImportUpload.token == token, ImportUpload.user_id == user.id)
    )


def take_upload_once(token: str, user: User) -> bytes | None:
    """The content of the upload ``token`` of ``user``, deleted in the same step: of two
    requests with the same token only one gets it (the other None)."""
    upload = take_upload(token, user)
    if upload is None:
        return None
    content = upload.content
    gone = db.session.execute(sa.delete(ImportUpload).where(ImportUpload.id == upload.id))
    db.session.commit()
    return content if gone.rowcount == 1 else None


def needs_checking_summary(limit: int = 5) -> tuple[int, list[Hit]]:
    """How many active entries need checking (counted up to ``COUNT_CAP`` + 1, as the
    search counts: the start page must not count a hundred thousand), and the ``limit``
    first of them by name."""
    query = search_query(DirectoryQuery(needs_check=True))
    counted = query.order_by(None).limit(COUNT_CAP + 1).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0
    return total, load_hits(list(db.session.scalars(query.limit(limit))))
