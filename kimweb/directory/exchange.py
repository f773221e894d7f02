"""Exchange with other programs: vCard 4.0 for address books, CSV for Excel.

Export works on ``services.Hit`` lists (organisations and contact persons as the search
finds them). Import is three steps, so nothing is written before the user has seen a
preview: ``parse_csv`` reads and checks the file, ``plan_import`` says per row whether it
creates, updates or leaves an entry, ``run_import`` writes through ``services``.
No Flask request in here.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so
from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale, gettext

from kimweb.auth.models import User
from kimweb.directory import services, vocabulary
from kimweb.directory.models import Contact, Organisation
from kimweb.directory.search import fold
from kimweb.extensions import db
from kimweb.requests import without_nul

# --- vCard 4.0 (RFC 6350) -------------------------------------------------------------

CRLF = "\r\n"
FOLD_AT = 75  # octets per line, CRLF not counted (RFC 6350 §3.2)
PRODID = "-//kimweb//Verzeichnis//DE"
COUNTRY = "Deutschland"
NEWLINE = re.compile(r"\r\n|\r|\n")
HONORIFIC = re.compile(r"(dr|prof|dipl|mag)\b.*\.")


def escape(value: str) -> str:
    """A text value escaped as RFC 6350 §3.4 asks: backslash, comma, semicolon, newline."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return NEWLINE.sub(r"\\n", value)


def compound(*parts: str | None) -> str:
    """A structured value (N, ADR): escaped components separated by semicolons."""
    return ";".join(escape(part or "") for part in parts)


def fold_line(line: str) -> str:
    """One content line with CRLF, folded at 75 octets, never inside a UTF-8 character."""
    data = line.encode()
    chunks, start, limit = [], 0, FOLD_AT
    while True:
        end = min(start + limit, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:  # a continuation byte
            end -= 1
        chunks.append(data[start:end].decode())
        if end == len(data):
            return (CRLF + " ").join(chunks) + CRLF
        start, limit = end, FOLD_AT - 1  # the leading space of the next line counts


def split_name(name: str) -> tuple[str, str, str]:
    """(family, given, honorific prefixes): the last word is the family name."""
    words = name.split()
    prefixes = []
    while len(words) > 1 and HONORIFIC.fullmatch(fold(words[0])):
        prefixes.append(words.pop(0))
    family = words.pop() if words else ""
    return family, " ".join(words), " ".join(prefixes)


def _text(name: str, value: str | None) -> list[tuple[str, str]]:
    return [(name, escape(value))] if value else []


def _address(org: Organisation) -> list[tuple[str, str]]:
    if not (org.street or org.postal_code or org.town):
        return []
    value = compound("", "", org.street, org.town, "", org.postal_code, COUNTRY)
    return [("ADR;TYPE=work", value)]


def _languages(codes: list[str]) -> list[tuple[str, str]]:
    """LANG lines, the most asked-for language (German first) preferred."""
    order = {code: i for i, code in enumerate(vocabulary.LANGUAGE_CODES)}
    ranked = sorted(codes, key=lambda code: (order.get(code, len(order)), code))
    return [(f"LANG;PREF={i}", code) for i, code in enumerate(ranked, start=1)]


def _revision(updated_at: datetime | None) -> list[tuple[str, str]]:
    if updated_at is None:
        return []
    if updated_at.tzinfo is None:  # SQLite gives naive datetimes; they are UTC
        updated_at = updated_at.replace(tzinfo=UTC)
    return [("REV", updated_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))]


def _uid(kind: str, entry_id: int) -> tuple[str, str]:
    return ("UID", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'kimweb-{kind}-{entry_id}')}")


def _card(kind: str, properties: list[tuple[str, str]]) -> str:
    lines = [
        ("BEGIN", "VCARD"),
        ("VERSION", "4.0"),
        ("PRODID", PRODID),
        ("KIND", kind),
        *properties,
        ("END", "VCARD"),
    ]
    return "".join(fold_line(f"{name}:{value}") for name, value in lines)


def _contact_note(contact: Contact) -> str:
    parts = []
    if contact.office_hours:
        parts.append(gettext("Office hours: %(hours)s", hours=contact.office_hours))
    if contact.room:
        parts.append(gettext("Room: %(room)s", room=contact.room))
    return "\n".join(parts)


def contact_card(contact: Contact, org: Organisation) -> str:
    family, given, prefixes = split_name(contact.name)
    return _card(
        "individual",
        [
            ("FN", escape(contact.name)),
            ("N", compound(family, given, "", prefixes, "")),
            ("ORG", escape(org.name)),
            *_text("TITLE", contact.function),
            *_text("TEL;VALUE=text;TYPE=work,voice", contact.phone),
            *_text("TEL;VALUE=text;TYPE=cell", contact.mobile),
            *_text("EMAIL;TYPE=work", contact.email),
            *_address(org),
            *_languages(contact.languages),
            *_text("NOTE", _contact_note(contact)),
            *_revision(contact.updated_at),
            _uid("contact", contact.id),
        ],
    )


def organisation_card(org: Organisation) -> str:
    website = NEWLINE.sub("", org.website) if org.website else None  # a URI: not escaped
    return _card(
        "org",
        [
            ("FN", escape(org.name)),
            ("ORG", escape(org.name)),
            *_text("NICKNAME", org.short_name),
            *_text("TEL;VALUE=text;TYPE=work,voice", org.phone),
            *_text("EMAIL;TYPE=work", org.email),
            *([("URL", website)] if website else []),
            *_address(org),
            *_languages(org.languages),
            *_text("NOTE", org.notes),
            *_revision(org.updated_at),
            _uid("organisation", org.id),
        ],
    )


def vcard(hits: list[services.Hit]) -> str:
    """vCard 4.0 text: one card per contact person (individual) or organisation (org)."""
    return "".join(
        contact_card(hit.contact, hit.organisation)
        if hit.contact
        else organisation_card(hit.organisation)
        for hit in hits
    )


# --- CSV export for (German) Excel ------------------------------------------------------

HEADERS = (
    "Organisation",
    "Kurzname",
    "Art",
    "Name",
    "Funktion",
    "Raum",
    "Telefon",
    "Mobil",
    "E-Mail",
    "Sprechzeiten",
    "Sprachen",
    "Straße",
    "PLZ",
    "Ort",
    "Website",
    "Zuständig für",
    "Themen",
    "Veröffentlichen",
    "Zuletzt geprüft",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value: str | None) -> str:
    """A cell Excel will not run as a formula: a leading apostrophe where needed."""
    value = value or ""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_row(hit: services.Hit) -> list[str]:
    org, person = hit.organisation, hit.contact
    entry = hit.entry
    with force_locale("de"):
        kind = str(vocabulary.ORGANISATION_KINDS.get(org.kind, org.kind))
        topics = ", ".join(area.label for area in org.focus_areas)
    cells = [
        org.name,
        org.short_name,
        kind,
        person and person.name,
        person and person.function,
        person and person.room,
        entry.phone,
        person and person.mobile,
        entry.email,
        person and person.office_hours,
        ", ".join(entry.languages),
        org.street,
        org.postal_code,
        org.town,
        org.website,
        ", ".join(org.municipalities),
        topics,
        ("ja" if person.is_publishable else "nein") if person else "",
        entry.verified_on.strftime("%d.%m.%Y") if entry.verified_on else "",
    ]
    return [guard_cell(cell) for cell in cells]


def csv_export(hits: list[services.Hit]) -> bytes:
    """CSV as German Excel opens it: UTF-8 with BOM, semicolons, CRLF, one row per hit."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator=CRLF)
    writer.writerow(HEADERS)
    writer.writerows(csv_row(hit) for hit in hits)
    return buffer.getvalue().encode("utf-8-sig")


# --- CSV import: reading ----------------------------------------------------------------

# Column titles (any case, umlauts or not, with or without punctuation) per field.
HEADER_ALIASES = {
    "organisation": ("Organisation", "Organization", "Einrichtung", "Träger", "Institution"),
    "short_name": ("Kurzname", "Kürzel", "Abkürzung", "Short name"),
    "kind": ("Art", "Typ", "Kind", "Type"),
    "name": ("Name", "Ansprechperson", "Ansprechpartner", "Ansprechpartnerin", "Contact"),
    "given_name": ("Vorname", "First name", "Given name"),
    "family_name": ("Nachname", "Familienname", "Last name", "Family name", "Surname"),
    "function": ("Funktion", "Position", "Function", "Rolle"),
    "room": ("Raum", "Zimmer", "Room"),
    "phone": ("Telefon", "Tel.", "Telefonnummer", "Phone"),
    "mobile": ("Mobil", "Handy", "Mobiltelefon", "Mobile"),
    "email": ("E-Mail", "Email", "Mail", "E-Mail-Adresse"),
    "office_hours": ("Sprechzeiten", "Sprechzeit", "Sprechstunden", "Office hours"),
    "languages": ("Sprachen", "Sprache", "Languages"),
    "street": ("Straße", "Strasse", "Street"),
    "postal_code": ("PLZ", "Postleitzahl", "Postal code", "ZIP"),
    "town": ("Ort", "Stadt", "Town", "City"),
    "website": ("Website", "Webseite", "Internet", "Homepage", "URL"),
    "municipalities": ("Zuständig für", "Zuständigkeit", "Kommunen", "Municipalities"),
    "focus_areas": ("Themen", "Schwerpunkte", "Topics", "Focus areas"),
    "is_publishable": ("Veröffentlichen", "öffentlich", "Publish", "Public"),
    "verified_on": ("Zuletzt geprüft", "Last checked"),  # read, not imported
}
PERSON_FIELDS = ("name", "function", "room", "mobile", "office_hours", "is_publishable")
CONTACT_KEYS = tuple(name for name in services.CONTACT_FIELDS if name != "organisation_id")
ORGANISATION_KEYS = (
    "short_name",
    "kind",
    "street",
    "postal_code",
    "town",
    "website",
    "municipalities",
    "focus_area_ids",
)
YES = {"ja", "j", "yes", "y", "x", "1", "true", "wahr"}
NO = {"nein", "n", "no", "0", "false", "falsch"}
EXTRA_LANGUAGE_NAMES = {"farsi": "fa", "kurmandschi": "ku", "kurmanji": "ku", "sorani": "ckb"}
POSTAL_CODE = re.compile(r"\d{5}")
SEP_LINE = re.compile(r"sep=(.)[ \t]*(?=\r|\n|$)")


def header_key(title: str) -> str:
    """A column title reduced to letters and digits: "E-Mail" and "e mail" are "email"."""
    return re.sub(r"[^0-9a-z]", "", fold(title))


HEADER_FIELDS = {
    header_key(alias): name for name, aliases in HEADER_ALIASES.items() for alias in aliases
}


@dataclass
class ImportRow:
    line: int
    data: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    action: str | None = None  # "create", "update" or "skip", set by plan_import

    @property
    def is_person(self) -> bool:
        return "name" in self.data


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    problems: list[str]  # about the file as a whole (unknown columns, no organisation)

    @property
    def counts(self) -> Counter[str]:
        return Counter(row.action for row in self.rows if not row.problems)


@dataclass
class ImportVocabulary:
    """Folded spellings the import understands, each mapped to the stored value."""

    kinds: dict[str, str]
    municipalities: dict[str, str]
    topics: dict[str, int]

    @classmethod
    def load(cls) -> ImportVocabulary:
        kinds: dict[str, str] = {}
        for key, label in vocabulary.ORGANISATION_KINDS.items():
            kinds[fold(key.replace("_", " "))] = key
            for locale in ("de", "en"):
                with force_locale(locale):
                    kinds.setdefault(fold(str(label)), key)
        topics: dict[str, int] = {}
        for area in services.focus_areas():
            for locale in ("de", "en"):
                with force_locale(locale):
                    topics.setdefault(fold(area.label), area.id)
        return cls(kinds, {fold(name): name for name in vocabulary.MUNICIPALITIES}, topics)


@cache
def language_names() -> dict[str, str]:
    """Codes, German and English names of the known languages, folded, to their code."""
    names = dict(EXTRA_LANGUAGE_NAMES)
    for code in vocabulary.LANGUAGE_CODES:
        names[code] = code
        for locale in ("de", "en"):
            names.setdefault(fold(vocabulary.language_name(code, locale)), code)
    return names


def decode(data: bytes) -> str:
    """Text of a file as Excel saves it: UTF-8 (BOM or not), UTF-16 or Windows-1252; no
    NUL characters (a database refuses them)."""
    return without_nul(_decode(data))


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The separator that occurs most often outside quotes in the first line."""
    counts = dict.fromkeys(";,\t", 0)
    quoted = False
    for char in text.lstrip("\r\n"):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    return max(counts, key=counts.__getitem__)  # a tie (or none): ";"


def records(text: str) -> list[tuple[int, list[str]]]:
    """(line where the record starts, cells) of every record that is not empty."""
    sep = SEP_LINE.match(text)  # Excel's "sep=;" hint line: read, then left as an empty line
    if sep:
        text = text[sep.end() :]
    delimiter = sep.group(1) if sep else sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    result, start = [], 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            result.append((start, cells))
        start = reader.line_num + 1
    return result


def read_header(cells: list[str]) -> tuple[dict[str, tuple[int, str]], list[str]]:
    """{field: (column index, title)} and the problems of the header row."""
    columns: dict[str, tuple[int, str]] = {}
    problems = []
    for index, title in enumerate(cells):
        key = header_key(title)
        if not key:
            continue
        name = HEADER_FIELDS.get(key)
        if name is None:
            problems.append(
                gettext(
                    'The column "%(column)s" is not known and is left out.', column=title.strip()
                )
            )
        else:
            columns.setdefault(name, (index, title.strip()))
    if "organisation" not in columns:
        problems.append(gettext("The file has no column for the organisation."))
    return columns, problems


def cell_value(cells: list[str], index: int) -> str:
    """A cell's text, trimmed, without the apostrophe that guards against formulas."""
    value = cells[index] if index < len(cells) else ""
    if value.startswith("'") and value[1:2].startswith(FORMULA_START):
        value = value[1:]
    return value.strip()


def split_list(value: str, known: dict[str, Any]) -> tuple[list[Any], list[str]]:
    """(known values, unknown words) of a list cell. Items are separated by commas,
    semicolons or line breaks; an item that itself holds a comma ("Familie, Kita und
    Schule") is recognised whole."""
    found, unknown = [], []
    for part in re.split(r"[;\r\n]+", value):
        words = [word.strip() for word in part.split(",")]
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                key = fold(", ".join(words[i:j]))
                if key in known:
                    found.append(known[key])
                    i = j
                    break
            else:
                if words[i]:
                    unknown.append(words[i])
                i += 1
    return list(dict.fromkeys(found)), unknown


def _language_list(row: ImportRow, value: str, vocab: ImportVocabulary) -> list[str]:
    codes, unknown = split_list(value, language_names())
    for word in unknown:
        row.problems.append(
            gettext('Line %(line)d: unknown language "%(language)s".', line=row.line, language=word)
        )
    return codes


def _municipality_list(row: ImportRow, value: str, vocab: ImportVocabulary) -> list[str]:
    names, unknown = split_list(value, vocab.municipalities)
    for word in unknown:
        row.problems.append(
            gettext(
                'Line %(line)d: "%(name)s" is not a municipality of the county.',
                line=row.line,
                name=word,
            )
        )
    return names


def _topic_list(row: ImportRow, value: str, vocab: ImportVocabulary) -> list[int]:
    ids, unknown = split_list(value, vocab.topics)
    for word in unknown:
        row.problems.append(
            gettext('Line %(line)d: unknown topic "%(topic)s".', line=row.line, topic=word)
        )
    return ids


def _kind(row: ImportRow, value: str, vocab: ImportVocabulary) -> str | None:
    kind = vocab.kinds.get(fold(value))
    if kind is None:
        row.problems.append(
            gettext(
                'Line %(line)d: unknown kind of organisation "%(kind)s".', line=row.line, kind=value
            )
        )
    return kind


def _email(row: ImportRow, value: str, vocab: ImportVocabulary) -> str | None:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        row.problems.append(
            gettext(
                'Line %(line)d: "%(email)s" is not a valid email address.',
                line=row.line,
                email=value,
            )
        )
        return None
    return value


def _postal_code(row: ImportRow, value: str, vocab: ImportVocabulary) -> str | None:
    if POSTAL_CODE.fullmatch(value):
        return value
    row.problems.append(
        gettext(
            'Line %(line)d: the postal code "%(code)s" does not have 5 digits.',
            line=row.line,
            code=value,
        )
    )
    return None


def _yes_no(row: ImportRow, value: str, vocab: ImportVocabulary) -> bool | None:
    folded = fold(value)
    if folded in YES or folded in NO:
        return folded in YES
    row.problems.append(
        gettext('Line %(line)d: "%(value)s" is neither yes nor no.', line=row.line, value=value)
    )
    return None


def _checked(problem_of):
    """A reader that keeps a value only when ``problem_of(value)`` finds nothing wrong."""

    def read(row: ImportRow, value: str, vocab: ImportVocabulary) -> str | None:
        problem = problem_of(value)
        if problem:
            row.problems.append(
                gettext("Line %(line)d: %(problem)s", line=row.line, problem=problem)
            )
            return None
        return value

    return read


READERS = {
    "languages": _language_list,
    "municipalities": _municipality_list,
    "focus_areas": _topic_list,
    "kind": _kind,
    "email": _email,
    "postal_code": _postal_code,
    "is_publishable": _yes_no,
    "website": lambda row, value, vocab: (
        _checked(services.website_problem)(row, value, vocab) and services.normalise_website(value)
    ),
    "phone": _checked(services.phone_problem),
    "mobile": _checked(services.phone_problem),
}
DATA_NAMES = {"focus_areas": "focus_area_ids"}


def max_length(name: str) -> int | None:
    """The most characters the column behind field ``name`` can hold."""
    if name == "organisation":
        return Organisation.__table__.c.name.type.length
    for table in (Contact.__table__, Organisation.__table__):
        if name in table.c:
            return getattr(table.c[name].type, "length", None)
    return None


def read_row(
    line: int, cells: list[str], columns: dict[str, tuple[int, str]], vocab: ImportVocabulary
) -> ImportRow:
    """One record as normalised field values; empty cells are left out of ``data``."""
    row = ImportRow(line)
    for name, (index, _title) in columns.items():
        value = cell_value(cells, index)
        if not value or name == "verified_on":
            continue
        reader = READERS.get(name)
        value = reader(row, value, vocab) if reader else value
        if value is not None:
            row.data[DATA_NAMES.get(name, name)] = value
    given, family = row.data.pop("given_name", ""), row.data.pop("family_name", "")
    if "name" not in row.data and (given or family):
        row.data["name"] = f"{given} {family}".strip()
    check_row(row, columns)
    return row


def check_row(row: ImportRow, columns: dict[str, tuple[int, str]]) -> None:
    if "organisation" not in row.data:
        row.problems.append(gettext("Line %(line)d: the organisation is missing.", line=row.line))
    if "name" not in row.data and any(name in row.data for name in PERSON_FIELDS):
        row.problems.append(
            gettext("Line %(line)d: the name of the contact person is missing.", line=row.line)
        )
    for name, value in row.data.items():
        limit = max_length(name)
        if isinstance(value, str) and limit and len(value) > limit:
            row.problems.append(
                gettext(
                    'Line %(line)d: "%(column)s" is longer than %(max)d characters.',
                    line=row.line,
                    column=columns.get(name, (0, name))[1],
                    max=limit,
                )
            )


def parse_csv(data: bytes) -> ImportPreview:
    """Read a CSV file and check every row. Writes nothing."""
    try:
        found = records(decode(data))
    except csv.Error as error:
        return ImportPreview(
            [], [gettext("The file is not a readable CSV file: %(error)s", error=str(error))]
        )
    if not found:
        return ImportPreview([], [gettext("The file is empty.")])
    (_line, header), *body = found
    columns, problems = read_header(header)
    vocab = ImportVocabulary.load()
    return ImportPreview([read_row(line, cells, columns, vocab) for line, cells in body], problems)


# --- CSV import: planning and writing ---------------------------------------------------


def organisation_data(row: ImportRow) -> dict[str, Any]:
    """What a row says about its organisation. Phone, email and languages belong to the
    organisation only on a row without a contact person."""
    keys = (
        ORGANISATION_KEYS if row.is_person else (*ORGANISATION_KEYS, "phone", "email", "languages")
    )
    data = {key: row.data[key] for key in keys if key in row.data}
    return {"name": row.data["organisation"], **data}


def contact_data(row: ImportRow) -> dict[str, Any]:
    return {key: row.data[key] for key in CONTACT_KEYS if key in row.data}


def _comparable(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


def current_value(entry: Organisation | Contact, key: str) -> Any:
    if key == "focus_area_ids":
        return sorted(area.id for area in entry.focus_areas)
    return _comparable(getattr(entry, key))


def changed(entry: Organisation | Contact, data: dict[str, Any]) -> dict[str, Any]:
    """The part of ``data`` that differs from ``entry``. A name that folds to the stored
    one ("Juergen Mueller" for "Jürgen Müller") is the same name: the stored spelling stays."""
    return {
        key: value
        for key, value in data.items()
        if (
            fold(entry.name) != fold(value)
            if key == "name"
            else current_value(entry, key) != _comparable(value)
        )
    }


class Directory:
    """The stored organisations and contacts, found the way the import matches rows:
    a person by email, else by name and organisation; an organisation by name. Archived
    entries count too; an entry that is not archived wins."""

    def __init__(self) -> None:
        self.organisations: dict[str, Organisation] = {}
        self.by_email: dict[str, Contact] = {}
        self.by_name: dict[tuple[str, str], Contact] = {}
        orgs = db.session.scalars(
            sa.select(Organisation)
            .options(so.selectinload(Organisation.contacts).selectinload(Contact.language_rows))
            .order_by(Organisation.archived_at.is_not(None), Organisation.id)
        ).all()
        for org in orgs:
            self.add_organisation(org)
        people = [contact for org in orgs for contact in org.contacts]
        for contact in sorted(people, key=lambda c: (c.is_archived, c.id)):
            self.add_contact(contact)

    def add_organisation(self, org: Organisation) -> None:
        self.organisations.setdefault(fold(org.name), org)

    def add_contact(self, contact: Contact) -> None:
        if contact.email:
            self.by_email.setdefault(contact.email.lower(), contact)
        self.by_name.setdefault((fold(contact.name), fold(contact.organisation.name)), contact)

    def organisation(self, name: str) -> Organisation | None:
        return self.organisations.get(fold(name))

    def contact(self, row: ImportRow) -> Contact | None:
        email = row.data.get("email")
        if email and email.lower() in self.by_email:
            return self.by_email[email.lower()]
        return self.by_name.get((fold(row.data["name"]), fold(row.data["organisation"])))


def decide(row: ImportRow, directory: Directory) -> tuple[str, Organisation | Contact | None]:
    """("create" | "update" | "skip", the stored entry the row is about) for a valid row."""
    if row.is_person:
        entry: Organisation | Contact | None = directory.contact(row)
        is_changed = entry is not None and bool(
            changed(entry, contact_data(row))
            or fold(entry.organisation.name) != fold(row.data["organisation"])
        )
    else:
        entry = directory.organisation(row.data["organisation"])
        is_changed = entry is not None and bool(changed(entry, organisation_data(row)))
    if entry is None:
        return "create", None
    return ("update" if is_changed else "skip"), entry


def plan_import(preview: ImportPreview) -> ImportPreview:
    """Set each row's action against the stored directory. Writes nothing. Rows with
    problems are skipped."""
    directory = Directory()
    for row in preview.rows:
        row.action = "skip" if row.problems else decide(row, directory)[0]
    return preview


def _import_organisation(
    row: ImportRow, entry: Organisation | None, directory: Directory, user: User | None
) -> Organisation:
    data = organisation_data(row)
    if entry is None:
        org = services.save_organisation(None, data, user, action="imported")
    else:
        org = services.save_organisation(entry, changed(entry, data), user)
    directory.add_organisation(org)
    return org


def _import_contact(
    row: ImportRow,
    entry: Contact | None,
    directory: Directory,
    user: User | None,
    counts: dict[str, int],
) -> None:
    org = directory.organisation(row.data["organisation"])
    if org is None:
        org = _import_organisation(row, None, directory, user)
        counts["created"] += 1
    if entry is None:
        data = {**contact_data(row), "organisation_id": org.id}
        contact = services.save_contact(None, data, user, action="imported")
    else:
        data = {**changed(entry, contact_data(row)), "organisation_id": org.id}
        contact = services.save_contact(entry, data, user)
    directory.add_contact(contact)


def run_import(preview: ImportPreview, user: User | None) -> dict[str, int]:
    """Write the rows without problems; each row is matched again at write time, so a
    file that names a new organisation on several rows creates it once.

    Returns how many entries (organisations and contact persons) were created and
    updated, and how many valid rows were left as they were ("skipped"). Empty cells
    never clear a stored value; organisation columns on a contact person's row are only
    used to create a missing organisation.
    """
    directory = Directory()
    counts = {"created": 0, "updated": 0, "skipped": 0}
    for row in preview.rows:
        if row.problems:
            continue
        row.action, entry = decide(row, directory)
        if row.action == "skip":
            counts["skipped"] += 1
            continue
        if row.is_person:
            _import_contact(row, entry, directory, user, counts)
        else:
            _import_organisation(row, entry, directory, user)
        counts["created" if row.action == "create" else "updated"] += 1
    return counts
