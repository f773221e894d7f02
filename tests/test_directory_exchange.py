"""Directory exchange: vCard 4.0 and CSV export, CSV import with preview and matching."""

from __future__ import annotations

import codecs
import csv
import io
import re
import uuid
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
import vobject
from flask_babel import force_locale

from kimweb.directory import exchange, services
from kimweb.directory.models import Change, Contact, FocusArea, Organisation
from kimweb.extensions import db

LONG_HOURS = (
    "Offene Sprechstunde Mo 10–12 und Mi 14–16 Uhr, Telefonsprechzeit Mo–Fr 9–10 Uhr; "
    "für Menschen aus Düren, Heimbach, Nideggen, Kreuzau, Hürtgenwald und Vettweiß"
)


@pytest.fixture
def english(app_ctx):
    """Messages in English, whatever the German catalog says."""
    with force_locale("en"):
        yield


def focus(key: str) -> int:
    return db.session.scalar(sa.select(FocusArea.id).where(FocusArea.key == key))


@pytest.fixture
def directory(app_ctx, make_user):
    """Two organisations, three contact persons, as the forms would save them."""
    user = make_user("pflege")
    women = services.add_focus_area("Frauencafé")
    caritas = services.save_organisation(
        None,
        {
            "name": "Caritasverband Düren-Jülich e.V., Fachdienst Migration",
            "short_name": "Caritas",
            "kind": "provider",
            "street": "Kölnstraße 12",
            "postal_code": "52351",
            "town": "Düren",
            "phone": "+49 2421 481-0",
            "email": "migration@caritas-dn.example.org",
            "website": "www.caritas-dn.example.org",
            "notes": "Eingang im Hof;\nbarrierefrei",
            "municipalities": ["Düren", "Nideggen"],
            "languages": ["de", "ar"],
            "focus_area_ids": [focus("welcome"), focus("family"), women.id],
        },
        user,
    )
    office = services.save_organisation(
        None,
        {
            "name": "Ausländerbehörde Kreis Düren",
            "kind": "office",
            "town": "Düren",
            "postal_code": "52351",
            "street": "Bismarckstraße 16",
            "phone": "02421 22-0",
        },
        user,
    )
    ayse = services.save_contact(
        None,
        {
            "organisation_id": caritas.id,
            "name": "Dr. Ayşe Yılmaz",
            "function": "Case-Managerin; Willkommensberatung, KIM",
            "room": "2.14",
            "phone": "02421 481-23",
            "mobile": "0151 2345678",
            "email": "ayse.yilmaz@caritas-dn.example.org",
            "office_hours": LONG_HOURS,
            "languages": ["tr", "de", "ar"],
            "is_publishable": True,
        },
        user,
    )
    juergen = services.save_contact(
        None,
        {"organisation_id": caritas.id, "name": "Jürgen Müller", "phone": "02421 481-24"},
        user,
    )
    hacker = services.save_contact(
        None,
        {
            "organisation_id": office.id,
            "name": "Petra Schmitz",
            "function": "=1+2",
            "email": "petra.schmitz@kreis-dueren.example.org",
            "room": "@A 1.05",
        },
        user,
    )
    return SimpleNamespace(
        user=user,
        caritas=caritas,
        office=office,
        ayse=ayse,
        juergen=juergen,
        hacker=hacker,
        women=women,
    )


def all_hits() -> list[services.Hit]:
    return services.contacts_for_export(services.DirectoryQuery())


def cards(text: str) -> dict[str, vobject.base.Component]:
    return {card.fn.value: card for card in vobject.readComponents(text)}


def counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Contact)),
        db.session.scalar(sa.select(sa.func.count()).select_from(Change)),
    )


ORGANISATION_COLUMNS = (
    "name",
    "short_name",
    "kind",
    "street",
    "postal_code",
    "town",
    "phone",
    "email",
    "website",
    "municipalities",
    "languages",
)
CONTACT_COLUMNS = (
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


def described() -> list[tuple]:
    """The stored directory without ids and times, for comparing two databases."""
    orgs = db.session.scalars(sa.select(Organisation).order_by(Organisation.name)).all()
    return [
        (
            [getattr(org, name) for name in ORGANISATION_COLUMNS],
            sorted(area.key for area in org.focus_areas),
            sorted([getattr(c, name) for name in CONTACT_COLUMNS] for c in org.contacts),
        )
        for org in orgs
    ]


# --- vCard -------------------------------------------------------------------------------


def test_vcard_of_a_contact_person(directory):
    text = exchange.vcard(all_hits())
    card = cards(text)["Dr. Ayşe Yılmaz"]
    assert card.version.value == "4.0"
    assert card.prodid.value == "-//kimweb//Verzeichnis//DE"
    assert card.kind.value == "individual"
    assert (card.n.value.family, card.n.value.given, card.n.value.prefix) == (
        "Yılmaz",
        "Ayşe",
        "Dr.",
    )
    assert card.org.value == ["Caritasverband Düren-Jülich e.V., Fachdienst Migration"]
    assert card.title.value == "Case-Managerin; Willkommensberatung, KIM"
    assert card.email.value == "ayse.yilmaz@caritas-dn.example.org"
    assert card.email.params["TYPE"] == ["work"]
    phones = {tuple(tel.params["TYPE"]): tel.value for tel in card.tel_list}
    assert phones == {("work", "voice"): "02421 481-23", ("cell",): "0151 2345678"}
    address = card.adr.value
    assert (address.street, address.code, address.city, address.country) == (
        "Kölnstraße 12",
        "52351",
        "Düren",
        "Deutschland",
    )
    assert [(lang.value, lang.params["PREF"]) for lang in card.lang_list] == [
        ("de", ["1"]),
        ("ar", ["2"]),
        ("tr", ["3"]),
    ]
    assert LONG_HOURS in card.note.value
    assert "2.14" in card.note.value
    assert re.fullmatch(r"\d{8}T\d{6}Z", card.rev.value)
    expected = uuid.uuid5(uuid.NAMESPACE_URL, f"kimweb-contact-{directory.ayse.id}")
    assert card.uid.value == f"urn:uuid:{expected}"


def test_vcard_escapes_and_folds(directory):
    text = exchange.vcard(all_hits())
    assert "ORG:Caritasverband Düren-Jülich e.V.\\, Fachdienst Migration\r\n" in text
    assert "TITLE:Case-Managerin\\; Willkommensberatung\\, KIM\r\n" in text
    assert "\n" not in text.replace("\r\n", "")
    assert text.endswith("END:VCARD\r\n")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in lines)
    assert any(line.startswith(" ") for line in lines)
    unfolded = text.replace("\r\n ", "")
    note = next(
        line
        for line in unfolded.split("\r\n")
        if line.startswith("NOTE:") and "Sprechstunde" in line
    )
    assert exchange.escape(LONG_HOURS) in note


def test_folding_never_splits_a_character():
    line = "NOTE:" + "ü" * 100 + "€" * 30 + "x"
    folded = exchange.fold_line(line)
    parts = folded.split("\r\n")
    assert parts[-1] == ""
    assert all(len(part.encode()) <= 75 for part in parts)
    assert len(parts[0].encode()) in {74, 75}
    assert folded.replace("\r\n ", "") == line + "\r\n"
    assert exchange.fold_line("FN:kurz") == "FN:kurz\r\n"


def test_vcard_of_a_contact_without_email_and_of_an_organisation(directory):
    found = cards(exchange.vcard(all_hits()))
    juergen = found["Jürgen Müller"]
    assert "email" not in juergen.contents
    assert (juergen.n.value.family, juergen.n.value.given) == ("Müller", "Jürgen")
    assert juergen.tel.value == "02421 481-24"
    org = found["Caritasverband Düren-Jülich e.V., Fachdienst Migration"]
    assert org.kind.value == "org"
    assert org.org.value == ["Caritasverband Düren-Jülich e.V., Fachdienst Migration"]
    assert org.nickname.value == "Caritas"
    assert org.url.value == "https://www.caritas-dn.example.org"
    assert org.note.value == "Eingang im Hof;\nbarrierefrei"
    assert org.email.value == "migration@caritas-dn.example.org"
    assert org.adr.value.street == "Kölnstraße 12"
    assert "n" not in org.contents


def test_vcard_is_stable(directory):
    assert exchange.vcard(all_hits()) == exchange.vcard(all_hits())
    assert exchange.vcard([]) == ""


# --- CSV export --------------------------------------------------------------------------


def read_export(data: bytes) -> list[list[str]]:
    assert data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    assert "\n" not in text.replace("\r\n", "").replace(LONG_HOURS, "")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_export_for_excel(directory):
    rows = read_export(exchange.csv_export(all_hits()))
    assert rows[0] == [
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
    ]
    by_name = {(row[0], row[3]): dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(by_name) == 5
    ayse = by_name["Caritasverband Düren-Jülich e.V., Fachdienst Migration", "Dr. Ayşe Yılmaz"]
    assert ayse["Funktion"] == "Case-Managerin; Willkommensberatung, KIM"
    assert ayse["E-Mail"] == "ayse.yilmaz@caritas-dn.example.org"
    assert ayse["Telefon"] == "02421 481-23"
    assert ayse["Sprachen"] == "ar, de, tr"
    assert ayse["Sprechzeiten"] == LONG_HOURS
    assert (ayse["Straße"], ayse["PLZ"], ayse["Ort"]) == ("Kölnstraße 12", "52351", "Düren")
    assert ayse["Zuständig für"] == "Düren, Nideggen"
    assert "Frauencafé" in ayse["Themen"]
    assert ayse["Veröffentlichen"] == "ja"
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", ayse["Zuletzt geprüft"])
    assert (
        by_name["Caritasverband Düren-Jülich e.V., Fachdienst Migration", "Jürgen Müller"][
            "Veröffentlichen"
        ]
        == "nein"
    )
    org = by_name["Caritasverband Düren-Jülich e.V., Fachdienst Migration", ""]
    assert org["Kurzname"] == "Caritas"
    assert org["E-Mail"] == "migration@caritas-dn.example.org"
    assert org["Sprachen"] == "ar, de"
    assert org["Website"] == "https://www.caritas-dn.example.org"
    assert all(
        org[column] == ""
        for column in ("Name", "Funktion", "Raum", "Mobil", "Sprechzeiten", "Veröffentlichen")
    )


def test_csv_export_guards_against_formulas(directory):
    rows = read_export(exchange.csv_export(all_hits()))
    by_name = {(row[0], row[3]): row for row in rows[1:]}
    petra = by_name["Ausländerbehörde Kreis Düren", "Petra Schmitz"]
    assert petra[4] == "'=1+2"
    assert petra[5] == "'@A 1.05"
    caritas = by_name["Caritasverband Düren-Jülich e.V., Fachdienst Migration", ""]
    assert caritas[6] == "'+49 2421 481-0"
    assert all(
        not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row
    )
    assert exchange.guard_cell("-5") == "'-5"
    assert exchange.guard_cell("\tx") == "'\tx"
    assert exchange.guard_cell("Düren") == "Düren"
    assert exchange.guard_cell(None) == ""


# --- CSV import: reading the files Excel writes ---------------------------------------------


def test_parse_cp1252_with_umlauts(app_ctx):
    text = (
        "Organisation;Name;Straße;PLZ;Ort;Sprachen\r\n"
        "Sozialdienst katholischer Frauen Düren;Jürgen Weiß;Kölnstraße 5;52351;Düren;"
        "Arabisch, Türkisch\r\n"
    )
    preview = exchange.parse_csv(text.encode("cp1252"))
    assert preview.problems == []
    [row] = preview.rows
    assert row.line == 2
    assert row.problems == []
    assert row.data == {
        "organisation": "Sozialdienst katholischer Frauen Düren",
        "name": "Jürgen Weiß",
        "street": "Kölnstraße 5",
        "postal_code": "52351",
        "town": "Düren",
        "languages": ["ar", "tr"],
    }
    # Excel's "Unicode text": UTF-16 with tabs
    unicode_text = text.replace(";", "\t").encode("utf-16")
    assert exchange.parse_csv(unicode_text).rows[0].data == row.data


def test_parse_comma_separated_utf8_without_bom_and_other_headers(app_ctx):
    data = (
        "Einrichtung,Ansprechperson,Email,Tel.,Postleitzahl,Strasse,Stadt,Handy,Zimmer,"
        "Position,Homepage,Languages,öffentlich\n"
        "Diakonie Düren,Anna Łukasiewicz,Anna@Diakonie.example.org,02421 1234,52349,"
        "Hauptstraße 1,Düren,0160 1,E 12,Beratung,diakonie.example.org,"
        '"English; fa, Ukrainisch",x\n'
    ).encode()
    preview = exchange.parse_csv(data)
    assert preview.problems == []
    [row] = preview.rows
    assert row.problems == []
    assert row.data == {
        "organisation": "Diakonie Düren",
        "name": "Anna Łukasiewicz",
        "email": "Anna@Diakonie.example.org",
        "phone": "02421 1234",
        "postal_code": "52349",
        "street": "Hauptstraße 1",
        "town": "Düren",
        "mobile": "0160 1",
        "room": "E 12",
        "function": "Beratung",
        "website": "https://diakonie.example.org",
        "languages": ["en", "fa", "uk"],
        "is_publishable": True,
    }


def test_parse_quoted_newlines_doubled_quotes_crlf_and_empty_rows(app_ctx):
    data = (
        "\ufeffOrganisation;Name;Sprechzeiten;;\r\n"
        '"Sozialdienst ""SkF"" Düren";Maria Schmitz;"Mo 10-12\r\nMi 14-16";;\r\n'
        ";;;;\r\n"
        "AWO Kreisverband Düren;Ali Rahimi;;;\r\n"
        "\r\n;;;;\r\n\r\n"
    ).encode()
    preview = exchange.parse_csv(data)
    assert preview.problems == []
    first, second = preview.rows
    assert first.data == {
        "organisation": 'Sozialdienst "SkF" Düren',
        "name": "Maria Schmitz",
        "office_hours": "Mo 10-12\r\nMi 14-16",
    }
    assert (first.line, second.line) == (2, 5)
    assert second.data == {"organisation": "AWO Kreisverband Düren", "name": "Ali Rahimi"}


def test_parse_delimiter_is_sniffed_outside_quotes(app_ctx):
    data = '"Organisation, Träger";"Name, Vorname"\n"A, B";"C"\n'.encode()
    # Headers hold commas, but the separator is the semicolon.
    assert exchange.sniff_delimiter(data.decode()) == ";"
    data = b"sep=,\r\nOrganisation,Vorname,Nachname\r\nAWO,Ali,Rahimi\r\n"
    [row] = exchange.parse_csv(data).rows
    assert (row.line, row.data) == (3, {"organisation": "AWO", "name": "Ali Rahimi"})


def test_parse_reports_problems_per_row(english):
    data = (
        "Organisation;Name;E-Mail;PLZ;Sprachen;Veröffentlichen;Kommentar\n"
        "Caritas Düren;Anna Berg;anna(at)caritas;52351;;ja;\n"
        "Caritas Düren;Bernd Kurz;bernd@caritas.example.org;5235;Klingonisch, de;vielleicht;\n"
        ";Carla Ohne;carla@example.org;52351;;;\n"
        "Caritas Düren;;;;;ja;\n"
        "Caritas Düren;Dora Gut;dora@caritas.example.org;52351;ar;nein;\n"
    ).encode()
    preview = exchange.parse_csv(data)
    assert preview.problems == ['The column "Kommentar" is not known and is left out.']
    anna, bernd, carla, nobody, dora = preview.rows
    assert anna.problems == ['Line 2: "anna(at)caritas" is not a valid email address.']
    assert bernd.problems == [
        'Line 3: the postal code "5235" does not have 5 digits.',
        'Line 3: unknown language "Klingonisch".',
        'Line 3: "vielleicht" is neither yes nor no.',
    ]
    assert carla.problems == ["Line 4: the organisation is missing."]
    assert nobody.problems == ["Line 5: the name of the contact person is missing."]
    assert dora.problems == []
    assert dora.data["is_publishable"] is False


def test_parse_rejects_values_too_long_for_the_database(english):
    data = f"Organisation;PLZ\n{'x' * 201};52351\n".encode()
    [row] = exchange.parse_csv(data).rows
    assert row.problems == ['Line 2: "Organisation" is longer than 200 characters.']


def test_parse_empty_and_headless_files(english):
    assert exchange.parse_csv(b"").problems == ["The file is empty."]
    assert exchange.parse_csv(b"\r\n;;\r\n").rows == []
    preview = exchange.parse_csv(b"Name;Telefon\nAnna;02421 555-1\n")
    assert "The file has no column for the organisation." in preview.problems
    assert preview.rows[0].problems == ["Line 2: the organisation is missing."]


def test_preview_writes_nothing(directory, english):
    before = counts()
    data = (
        "Organisation;Name;E-Mail\n"
        "Neue Beratungsstelle;Neue Person;neu@example.org\n"
        "Caritasverband Düren-Jülich e.V., Fachdienst Migration;Jürgen Müller;"
        "juergen@caritas-dn.example.org\n"
        "Ausländerbehörde Kreis Düren;Petra Schmitz;petra.schmitz@kreis-dueren.example.org\n"
        "Kaputt;Ohne Mail;kein-at\n"
    ).encode()
    preview = exchange.plan_import(exchange.parse_csv(data))
    assert [row.action for row in preview.rows] == ["create", "update", "skip", "skip"]
    assert preview.rows[3].problems
    assert preview.counts == {"create": 1, "update": 1, "skip": 1}
    db.session.rollback()
    assert counts() == before
    assert exchange.run_import(preview, directory.user) == {
        "created": 2,
        "updated": 1,
        "skipped": 1,
    }
    assert counts()[:2] == (before[0] + 1, before[1] + 1)
    db.session.refresh(directory.juergen)
    assert directory.juergen.email == "juergen@caritas-dn.example.org"
    assert directory.juergen.phone == "02421 481-24"  # not in the file: left as it was


# --- CSV import: matching and writing -----------------------------------------------------


def test_round_trip_on_the_same_database_changes_nothing(directory):
    data = exchange.csv_export(all_hits())
    before = counts()
    preview = exchange.plan_import(exchange.parse_csv(data))
    assert preview.problems == []
    assert [row.problems for row in preview.rows] == [[]] * 5
    assert {row.action for row in preview.rows} == {"skip"}
    assert exchange.run_import(preview, directory.user) == {
        "created": 0,
        "updated": 0,
        "skipped": 5,
    }
    assert counts() == before


def test_round_trip_into_an_empty_database(directory):
    data = exchange.csv_export(all_hits())
    expected = described()
    for org in db.session.scalars(sa.select(Organisation)).all():
        services.delete_for_good(org)
    assert counts() == (0, 0, 0)

    preview = exchange.plan_import(exchange.parse_csv(data))
    assert {row.action for row in preview.rows} == {"create"}
    result = exchange.run_import(preview, directory.user)
    assert result["created"] == 5  # two organisations, three contact persons
    assert described() == expected
    actions = set(db.session.scalars(sa.select(Change.action)))
    assert "imported" in actions
    assert "created" not in actions
    hits = services.contacts_for_export(services.DirectoryQuery(q="Ayse Case"))
    assert [hit.contact.name for hit in hits] == ["Dr. Ayşe Yılmaz"]  # indexed

    before = counts()
    again = exchange.plan_import(exchange.parse_csv(data))
    assert {row.action for row in again.rows} == {"skip"}
    assert exchange.run_import(again, directory.user) == {"created": 0, "updated": 0, "skipped": 5}
    assert counts() == before


def test_second_run_of_a_new_file_creates_no_duplicates(directory):
    data = (
        "Träger;Name;E-Mail;Telefon\r\n"
        "Dachverband der Migrantenselbstorganisationen;;info@dmso.example.org;02421 5\r\n"
        "Dachverband der Migrantenselbstorganisationen;Olena Koval;olena@dmso.example.org;\r\n"
        "dachverband der migrantenselbstorganisationen;Samir Haddad;;02421 6\r\n"
    ).encode("cp1252")
    first = exchange.run_import(exchange.plan_import(exchange.parse_csv(data)), directory.user)
    assert first == {"created": 3, "updated": 0, "skipped": 0}
    org = db.session.scalar(
        sa.select(Organisation).where(
            Organisation.name == "Dachverband der Migrantenselbstorganisationen"
        )
    )
    assert org.email == "info@dmso.example.org"
    assert sorted(c.name for c in org.contacts) == ["Olena Koval", "Samir Haddad"]
    before = counts()
    second = exchange.run_import(exchange.plan_import(exchange.parse_csv(data)), directory.user)
    assert second == {"created": 0, "updated": 0, "skipped": 3}
    assert counts() == before


def test_a_person_row_creates_its_missing_organisation_once(directory):
    data = (
        "Organisation;Art;Straße;PLZ;Ort;Name;Zuständig für;Themen\n"
        "Jobcenter job-com;Public office;Bismarckstraße 10;52351;Düren;Eva Roth;Düren, Jülich;"
        "Labour-market integration\n"
        "Jobcenter job-com;;;;;Frank Nolte;;\n"
    ).encode()
    preview = exchange.plan_import(exchange.parse_csv(data))
    assert [row.problems for row in preview.rows] == [[], []]
    assert exchange.run_import(preview, directory.user) == {
        "created": 3,
        "updated": 0,
        "skipped": 0,
    }
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Jobcenter job-com"))
    assert (org.kind, org.street, org.postal_code) == ("office", "Bismarckstraße 10", "52351")
    assert org.municipalities == ["Düren", "Jülich"]
    assert [area.key for area in org.focus_areas] == ["labour"]
    assert sorted(c.name for c in org.contacts) == ["Eva Roth", "Frank Nolte"]


def test_email_beats_name(directory):
    caritas = "Caritasverband Düren-Jülich e.V., Fachdienst Migration"
    # Jürgen Müller is also the name of a contact; the email belongs to Ayşe Yılmaz.
    data = (
        "Organisation;Name;E-Mail;Funktion\n"
        f"{caritas};Jürgen Müller;AYSE.Yilmaz@caritas-dn.example.org;Teamleitung\n"
    ).encode()
    preview = exchange.plan_import(exchange.parse_csv(data))
    assert preview.rows[0].action == "update"
    assert exchange.run_import(preview, directory.user) == {
        "created": 0,
        "updated": 1,
        "skipped": 0,
    }
    db.session.refresh(directory.ayse)
    db.session.refresh(directory.juergen)
    assert directory.ayse.name == "Jürgen Müller"
    assert directory.ayse.function == "Teamleitung"
    assert directory.juergen.function is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contact)) == 3


def test_name_and_organisation_match_when_there_is_no_email(directory):
    data = (
        "Organisation;Name;Raum\n"
        "CARITASVERBAND DUEREN-JUELICH E.V., FACHDIENST MIGRATION;Juergen  Mueller;1.01\n"
        "Ausländerbehörde Kreis Düren;Jürgen Müller;1.02\n"
    ).encode()
    preview = exchange.plan_import(exchange.parse_csv(data))
    assert [row.action for row in preview.rows] == ["update", "create"]
    exchange.run_import(preview, directory.user)
    db.session.refresh(directory.juergen)
    assert directory.juergen.room == "1.01"
    assert directory.juergen.name == "Jürgen Müller"  # the stored spelling stays


def test_archived_contacts_are_matched_by_email(directory):
    services.set_archived(directory.hacker, True, directory.user)
    data = (
        "Organisation;Name;E-Mail\n"
        "Ausländerbehörde Kreis Düren;Petra Schmitz;petra.schmitz@kreis-dueren.example.org\n"
    ).encode()
    preview = exchange.plan_import(exchange.parse_csv(data))
    assert preview.rows[0].action == "skip"
    assert exchange.run_import(preview, directory.user)["created"] == 0


def test_an_organisation_row_updates_the_organisation(directory):
    data = (
        "Organisation;Telefon;E-Mail;Sprachen;Website\n"
        "Ausländerbehörde Kreis Düren;02421 22-1234;abh@kreis-dueren.example.org;de, Russisch;"
        "www.kreis-dueren.example.org\n"
    ).encode()
    preview = exchange.plan_import(exchange.parse_csv(data))
    assert preview.rows[0].action == "update"
    assert exchange.run_import(preview, directory.user) == {
        "created": 0,
        "updated": 1,
        "skipped": 0,
    }
    org = db.session.get(Organisation, directory.office.id)
    assert (org.phone, org.email, org.languages) == (
        "02421 22-1234",
        "abh@kreis-dueren.example.org",
        ["de", "ru"],
    )
    assert org.website == "https://www.kreis-dueren.example.org"
    change = services.history(org)[0]
    assert change.action == "updated"
    assert {item["field"] for item in change.changes} == {"phone", "email", "website", "languages"}


def test_import_checks_web_addresses_and_phone_numbers(english):
    data = (
        "Organisation;Website;Telefon;Name;Mobil\n"
        "Böse;javascript://%0aalert(1);02421 555-1;Eva;0170 555 12\n"
        "Gut;www.gut.example;abc;Max;1\n"
    ).encode()
    rows = exchange.parse_csv(data).rows
    assert "website" not in rows[0].data and rows[0].problems
    assert rows[1].data["website"] == "https://www.gut.example"
    assert "phone" not in rows[1].data and "mobile" not in rows[1].data
    assert len(rows[1].problems) == 2
