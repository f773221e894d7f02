"""Demo data for the public timetable: places, open consultation hours, phone hours and
appointments of the partner organisations in Kreis Düren. Assumes the directory demo is
seeded (offers belong to its organisations, topics are its focus areas).

Phone numbers use the fictional exchange 555, e-mail domains end in ``.example``; places
and organisations are real kinds, the details are invented. No client data anywhere.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import NamedTuple

import sqlalchemy as sa

from kimweb.consultations import services
from kimweb.consultations.holidays import holiday_key
from kimweb.consultations.models import Offer
from kimweb.directory.models import FocusArea, Organisation
from kimweb.extensions import db

MON, TUE, WED, THU, FRI, SAT = range(6)
WORKDAYS = (MON, TUE, WED, THU, FRI)


class Place(NamedTuple):
    """A location, named by ``key`` in the offers below."""

    key: str
    name: str
    street: str
    postal_code: str
    municipality: str
    room: str
    is_step_free: bool = True
    accessibility_notes: str | None = None
    transit_hint: str | None = None


class At(NamedTuple):
    """A weekly time: place key (None for phone hours), weekday, "HH:MM" times; optionally
    only certain weeks of the month, and valid from/until a number of days from today."""

    place: str | None
    weekday: int
    start: str
    end: str
    weeks: tuple[int, ...] = ()
    from_day: int | None = None
    until_day: int | None = None


class Consultation(NamedTuple):
    organisation: str
    title: str
    kind: str  # "walk_in", "phone" or "appointment"
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    target_groups: str | None
    phone: str
    email: str
    notes: str | None
    times: tuple[At, ...]


class Change(NamedTuple):
    """An exception on the first date, ``first_day`` to 13 days after today, on which the
    offer's (first) slot on ``weekday`` is due: cancelled, or held at other times."""

    title: str
    weekday: int
    first_day: int
    reason: str
    start: str | None = None  # other times; None cancels
    end: str | None = None


def every(place: str | None, days: tuple[int, ...], start: str, end: str) -> tuple[At, ...]:
    return tuple(At(place, day, start, end) for day in days)


KI = "Kommunales Integrationszentrum Kreis Düren"
ABH = "Ausländerbehörde Kreis Düren"
MBE = "Migrationsberatung für Erwachsene Düren"
CARITAS = "Caritasverband für die Region Düren-Jülich e.V."
PSB = "Caritas – Psychosoziale Beratung für Menschen mit Zuwanderungsgeschichte"
DIAKONIE = "Diakonisches Werk des Evangelischen Kirchenkreises Jülich"
AWO = "Arbeiterwohlfahrt Kreisverband Düren e.V."
SKF = "Sozialdienst katholischer Frauen Düren e.V."
DIZ = "Dürener Integrationszentrum"
PSB_AREA = "Düren, Heimbach, Nideggen, Kreuzau, Hürtgenwald, Vettweiß"

# fmt: off
PLACES: tuple[Place, ...] = (
    Place("kreishaus", "Kreishaus Düren", "Bismarckstr. 16", "52351", "Düren",
          "Haus A, Erdgeschoss, Zimmer 70 (Kommunales Integrationszentrum); "
          "Ausländerbehörde und Einbürgerung: Haus B, Foyer", True,
          "Aufzug in Haus A und Haus B, barrierefreies WC im Erdgeschoss von Haus A",
          "Bahnhof Düren, 10 Minuten Fußweg; Bus 204, Haltestelle Kreishaus"),
    Place("rathaus_dueren", "Rathaus Düren", "Kaiserplatz 2", "52349", "Düren",
          "Erdgeschoss, Zimmer 018 (Integrationsbüro)", True, "Aufzug am Seiteneingang",
          "Bus, Haltestelle Kaiserplatz (alle Stadtbuslinien)"),
    Place("caritas", "Caritas-Haus Düren", "Kölnstraße 54", "52351", "Düren",
          "1. Etage, Wartebereich Migrationsdienst", False,
          "Stufe am Eingang, Klingel vorhanden; Beratung auf Wunsch im Erdgeschoss",
          "Bus, Haltestelle Kölnplatz; Bahnhof Düren, 8 Minuten Fußweg"),
    Place("schenkelstrasse", "Beratungshaus Schenkelstraße", "Schenkelstraße 11", "52349",
          "Düren", "Erdgeschoss, Raum 2", True, None, "Bus, Haltestelle Markt"),
    Place("diz", "Dürener Integrationszentrum (DIZ)", "Josef-Schregel-Straße 52", "52349",
          "Düren", "Erdgeschoss, Infotheke; Beratungsräume im 1. Stock", True,
          "Aufzug im Treppenhaus", "Bus, Haltestelle Josef-Schregel-Straße"),
    Place("skf", "SkF-Beratungszentrum", "Friedrichstraße 19", "52351", "Düren",
          "Erdgeschoss, Raum 2", True, "Spielecke für Kinder im Wartebereich",
          "Bus, Haltestelle Friedrichplatz"),
    Place("gemeindehaus", "Integrationsraum im Evangelischen Gemeindehaus",
          "Wilhelm-Wester-Weg 1", "52349", "Düren", "Raum 4, Eingang über den Hof", False,
          "Zwei Stufen am Hofeingang, Klingel vorhanden", "Bus, Haltestelle Kaiserplatz"),
    Place("rathaus_juelich", "Rathaus Jülich", "Große Rurstraße 17", "52428", "Jülich",
          "Erdgeschoss, Besprechungsraum 0.14 neben dem Bürgerbüro", True, None,
          "Bus SB 11, Haltestelle Rathaus; Rurtalbahn RB 21, Bahnhof Jülich"),
    Place("diakonie_juelich", "Diakonie Beratungszentrum Jülich", "Kurfürstenstraße 9",
          "52428", "Jülich", "Erdgeschoss, Raum 1", True, "Aufzug am Seiteneingang",
          "Rurtalbahn RB 21, Bahnhof Jülich, 5 Minuten Fußweg"),
    Place("rathaus_kreuzau", "Rathaus Kreuzau", "Bahnhofstraße 7", "52372", "Kreuzau",
          "Erdgeschoss, Zimmer 12", True, None, "Rurtalbahn RB 21, Bahnhof Kreuzau"),
    Place("rathaus_nideggen", "Rathaus Nideggen", "Zülpicher Straße 1", "52385", "Nideggen",
          "Erdgeschoss, Zimmer 5", False,
          "Drei Stufen am Haupteingang, Klingel vorhanden",
          "Rurtalbahn RB 21, Bahnhof Nideggen-Brück, weiter mit Bus 231, Haltestelle Rathaus"),
    Place("rathaus_vettweiss", "Rathaus Vettweiß", "Gereonstraße 14", "52391", "Vettweiß",
          "Erdgeschoss, Zimmer 2", True, None, "Bus 263, Haltestelle Vettweiß Kirche"),
    Place("buergerbuero_linnich", "Bürgerbüro Linnich", "Rurdorfer Straße 64", "52441",
          "Linnich", "Erdgeschoss, Besprechungsraum hinter dem Bürgerbüro", True,
          "Rampe am Hintereingang (Parkplatz), Klingel vorhanden",
          "Rurtalbahn RB 21, Bahnhof Linnich, 5 Minuten Fußweg"),
    Place("rathaus_aldenhoven", "Rathaus Aldenhoven", "Dietrich-Mülfahrt-Straße 11–13",
          "52457", "Aldenhoven", "1. Etage, Zimmer 104", True, "Aufzug im Foyer",
          "Bus 220, Haltestelle Aldenhoven Rathaus"),
    Place("rathaus_inden", "Rathaus Inden", "Rathausstraße 1", "52459", "Inden",
          "Sitzungszimmer im Erdgeschoss", True, None, "Bus 286, Haltestelle Inden Rathaus"),
    Place("familienzentrum_langerwehe", "Familienzentrum Langerwehe", "Hauptstraße 41",
          "52379", "Langerwehe", "Elterncafé im Erdgeschoss", True,
          "Stellplatz für Kinderwagen am Eingang", "Bahnhof Langerwehe, 10 Minuten Fußweg"),
)

CONSULTATIONS: tuple[Consultation, ...] = (
    # --- the county ---------------------------------------------------------------------
    Consultation(KI, "Information und Erstorientierung im Kommunalen Integrationszentrum",
                 "walk_in", ("welcome", "courses", "family"), ("de", "en", "tr", "ar"),
                 "Alle Zugewanderten und Ratsuchenden im Kreis Düren",
                 "02421 555-100", "ki@kreis-dueren.example",
                 "Ohne Termin während der Öffnungszeiten. Wir klären Ihr Anliegen und "
                 "vermitteln an die passende Beratungsstelle im Kreis.",
                 (*every("kreishaus", (MON, TUE, WED, THU), "08:00", "16:00"),
                  At("kreishaus", FRI, "08:00", "13:00"))),
    Consultation(KI, "Telefonsprechstunde des Kommunalen Integrationszentrums", "phone",
                 ("welcome", "courses", "family"), ("de", "en", "tr", "ar"),
                 None, "02421 555-100", "ki@kreis-dueren.example",
                 "Auskunft zu Beratungsangeboten, Integrationskursen und Ansprechpersonen.",
                 every(None, WORKDAYS, "09:00", "12:00")),
    Consultation(ABH, "Vorsprache in der Ausländerbehörde (nur mit Termin)", "appointment",
                 ("residence",), ("de", "en"),
                 "Ausländische Staatsangehörige mit Wohnsitz im Kreis Düren",
                 "02421 555-120", "termine-abh@kreis-dueren.example",
                 "Termine über das Servicetelefon oder per E-Mail. Bitte Pass, Aufenthaltstitel "
                 "und alle Bescheide mitbringen. Haus B, Foyer.",
                 (*every("kreishaus", (MON, TUE, THU), "08:00", "12:00"),
                  At("kreishaus", THU, "14:00", "17:00"))),
    Consultation(ABH, "Servicetelefon und Terminvergabe der Ausländerbehörde", "phone",
                 ("residence",), ("de", "en"), None,
                 "02421 555-120", "termine-abh@kreis-dueren.example",
                 "Terminvergabe und kurze Auskünfte zum Stand Ihres Antrags.",
                 every(None, WORKDAYS, "08:00", "12:00")),
    Consultation("Einbürgerungsbehörde Kreis Düren", "Telefonsprechstunde Einbürgerung",
                 "phone", ("naturalisation",), ("de", "en"),
                 "Einwohner*innen aller Kommunen des Kreises außer der Stadt Düren",
                 "02421 555-130", "einbuergerung@kreis-dueren.example",
                 "Einwohner*innen der Stadt Düren wenden sich an die Stadt Düren.",
                 every(None, (MON, WED), "08:00", "12:00")),
    Consultation("Jugendamt Kreis Düren", "Kita-Sprechstunde für zugewanderte Familien",
                 "walk_in", ("family",), ("de", "ar", "en"),
                 "Familien mit Kindern unter sechs Jahren",
                 "02421 555-153", "jugendamt@kreis-dueren.example",
                 "Kita-Platz, Kindertagespflege, Elternbeiträge. Haus C, Zimmer 214.",
                 (At("kreishaus", TUE, "09:00", "12:00"),)),
    # --- cities and municipalities --------------------------------------------------------
    Consultation("Stadt Düren", "Willkommensberatung im Rathaus Düren", "walk_in",
                 ("welcome", "housing", "livelihood"), ("de", "ar", "fr", "en"),
                 "Neu Zugewanderte in der Stadt Düren",
                 "02421 555-200", "integration@stadt-dueren.example",
                 "Case-Management im Kommunalen Integrationsmanagement (KIM).",
                 (At("rathaus_dueren", MON, "09:00", "12:00"),
                  At("rathaus_dueren", THU, "14:00", "16:00"))),
    Consultation("Stadt Jülich", "Willkommensberatung im Rathaus Jülich", "walk_in",
                 ("welcome", "labour"), ("de", "ar", "ku", "en"),
                 "Neu Zugewanderte in Jülich",
                 "02461 555-100", "integration@juelich.example",
                 "Ankommen in Jülich: Anmeldung, Schule, Sprachkurs, erste Schritte in Arbeit.",
                 (At("rathaus_juelich", TUE, "09:00", "12:00"),
                  At("rathaus_juelich", THU, "13:00", "15:00"))),
    Consultation("Gemeinde Kreuzau", "Willkommensberatung im Rathaus Kreuzau", "walk_in",
                 ("welcome", "housing"), ("de", "ar", "en"), "Neu Zugewanderte in Kreuzau",
                 "02422 555-104", "soziales@kreuzau.example", None,
                 (At("rathaus_kreuzau", MON, "09:00", "12:00"),
                  At("rathaus_kreuzau", WED, "14:00", "16:00"))),
    # --- counselling services -------------------------------------------------------------
    Consultation(MBE, "Offene Sprechstunde Migrationsberatung", "walk_in",
                 ("welcome", "residence", "recognition", "livelihood"),
                 ("de", "ar", "ru", "tr", "pl"), "Zugewanderte ab 27 Jahren",
                 "02421 555-720", "mbe@mbe-dueren.example",
                 "Ohne Termin; bitte bringen Sie Ihre Unterlagen mit.",
                 (At("schenkelstrasse", MON, "10:00", "12:00"),
                  At("schenkelstrasse", WED, "14:00", "16:00"))),
    Consultation(MBE, "Offene Sprechstunde Aufenthaltsrecht in Jülich", "walk_in",
                 ("residence", "welcome"), ("de", "tr", "ku", "ar"),
                 "Zugewanderte ab 27 Jahren aus dem Jülicher Land",
                 "02421 555-720", "mbe@mbe-dueren.example",
                 "Aufenthaltstitel, Verlängerung, Familiennachzug, Chancen-Aufenthaltsrecht. "
                 "Bitte Pass und Bescheide mitbringen.",
                 (At("rathaus_juelich", MON, "09:00", "12:00"),
                  At("rathaus_juelich", THU, "14:00", "16:00", weeks=(2, 4)))),
    Consultation(MBE, "Telefonsprechstunde Aufenthaltsrecht", "phone", ("residence",),
                 ("de", "tr", "ku", "ru"), "Zugewanderte ab 27 Jahren",
                 "02421 555-724", "mbe@mbe-dueren.example", None,
                 every(None, (TUE, THU), "09:00", "11:00")),
    Consultation("Jugendmigrationsdienst Düren", "Offene Sprechstunde Jugendmigrationsdienst",
                 "walk_in", ("welcome", "courses", "family"), ("de", "en", "ar", "fa", "uk"),
                 "Jugendliche und junge Erwachsene bis 27 Jahre",
                 "02421 555-740", "jmd@jmd-dueren.example",
                 "Schule, Ausbildung, Sprachkurs. In Jülich am zweiten und vierten Mittwoch.",
                 (At("diz", TUE, "14:00", "17:00"),
                  At("diakonie_juelich", WED, "14:00", "16:00", weeks=(2, 4)))),
    Consultation(DIZ, "Offene Sprechstunde Beruf und Ausbildung", "walk_in",
                 ("labour", "recognition", "courses"), ("de", "ar", "fa", "tr", "ku", "uk"),
                 "Arbeitsuchende mit Zuwanderungsgeschichte",
                 "02421 555-700", "info@diz-dueren.example",
                 "Berufsorientierung, Bewerbung, Vermittlung in Arbeit und Ausbildung.",
                 (At("diz", MON, "09:00", "12:00"), At("diz", WED, "13:00", "15:00"))),
    Consultation(DIZ, "Kompetenzfeststellung (nach Termin)", "appointment", ("labour",),
                 ("de", "ar", "fr"), "Kundinnen und Kunden der job-com",
                 "02421 555-704", "info@diz-dueren.example",
                 "Termine über die Infotheke des DIZ oder Ihre Ansprechperson bei der job-com.",
                 every("diz", (TUE, THU), "09:00", "12:00")),
    Consultation("job-com Kreis Düren", "Sprechstunde Team Zuwanderung im DIZ", "walk_in",
                 ("labour", "livelihood"), ("de", "en", "uk", "ru"),
                 "Leistungsberechtigte der job-com mit Zuwanderungsgeschichte",
                 "02421 555-180", "service@job-com.example",
                 "Fragen zu Bescheiden und Förderung; bitte Kundennummer mitbringen.",
                 (At("diz", WED, "09:00", "12:00"),)),
    Consultation("Beratungsstelle Anerkennung und Qualifizierung Düren",
                 "Anerkennungsberatung (nach Termin)", "appointment", ("recognition", "labour"),
                 ("de", "en", "fa"), "Menschen mit ausländischem Berufs- oder Studienabschluss",
                 "02421 555-760", "anerkennung@aq-dueren.example",
                 "Bitte Zeugnisse und, falls vorhanden, Übersetzungen mitbringen.",
                 (At("diz", THU, "09:00", "12:00"),)),
    Consultation("Beratungsstelle Anerkennung und Qualifizierung Düren",
                 "Offene Sprechstunde Anerkennung in Jülich", "walk_in", ("recognition",),
                 ("de", "en", "uk"), "Menschen mit ausländischem Berufs- oder Studienabschluss",
                 "02421 555-761", "anerkennung@aq-dueren.example",
                 "Neues Angebot: jeden ersten Mittwoch im Monat im Rathaus Jülich.",
                 (At("rathaus_juelich", WED, "10:00", "12:00", weeks=(1,), from_day=21),)),
    # --- welfare associations -------------------------------------------------------------
    Consultation(CARITAS, "Offene Sprechstunde Migrationsdienst", "walk_in",
                 ("welcome", "livelihood", "family"), ("de", "ar", "fa", "bg", "en"),
                 "Neu Zugewanderte und Geflüchtete",
                 "02421 555-400", "migrationsdienst@caritas-dueren.example", None,
                 (At("caritas", MON, "09:00", "12:00"), At("caritas", THU, "14:00", "16:00"))),
    Consultation(CARITAS, "Außensprechstunde Migrationsdienst in Kreuzau und Vettweiß",
                 "walk_in", ("welcome", "livelihood"), ("de", "fa", "en"),
                 "Zugewanderte in Kreuzau und Vettweiß",
                 "02421 555-403", "migrationsdienst@caritas-dueren.example",
                 "Kreuzau am ersten und dritten Dienstag, Vettweiß am zweiten und vierten "
                 "Mittwoch im Monat.",
                 (At("rathaus_kreuzau", TUE, "14:00", "16:00", weeks=(1, 3)),
                  At("rathaus_vettweiss", WED, "09:00", "11:00", weeks=(2, 4)))),
    Consultation(PSB, f"Psychosoziale Beratung (nur für Einwohner*innen von {PSB_AREA})",
                 "appointment", ("psychosocial", "health"), ("de", "en", "ar", "fa", "uk", "ti"),
                 "Erwachsene, Jugendliche und Familien mit Zuwanderungsgeschichte in Krisen",
                 "02421 555-420", "psb@caritas-dueren.example",
                 "Termine über die Telefonsprechstunde. Auf Wunsch mit Sprachmittlung.",
                 (At("caritas", MON, "13:00", "16:00"), At("caritas", WED, "09:00", "12:00"))),
    Consultation(PSB, "Telefonische Anmeldung Psychosoziale Beratung", "phone",
                 ("psychosocial",), ("de", "en"), f"Einwohner*innen von {PSB_AREA}",
                 "02421 555-420", "psb@caritas-dueren.example", None,
                 every(None, (MON, TUE, WED, THU), "09:00", "11:00")),
    Consultation(PSB, "Offene Sprechstunde Psychosoziale Beratung in Nideggen", "walk_in",
                 ("psychosocial",), ("de", "en", "uk"), f"Einwohner*innen von {PSB_AREA}",
                 "02421 555-421", "psb@caritas-dueren.example",
                 "Erstgespräch ohne Termin; weitere Gespräche nach Vereinbarung.",
                 (At("rathaus_nideggen", THU, "14:00", "16:00"),)),
    Consultation(DIAKONIE, "Offene Sprechstunde Migration in Jülich", "walk_in",
                 ("labour", "welcome", "housing"), ("de", "ru", "uk", "en"),
                 "Zugewanderte im Jülicher Land",
                 "02461 555-500", "migration@diakonie-juelich.example", None,
                 (At("diakonie_juelich", TUE, "10:00", "12:00"),
                  At("diakonie_juelich", THU, "14:00", "16:00"))),
    Consultation(DIAKONIE, "Sprechstunde Arbeitsmarktintegration in Linnich", "walk_in",
                 ("labour",), ("de", "ru", "uk"), "Arbeitsuchende Zugewanderte in Linnich",
                 "02461 555-504", "migration@diakonie-juelich.example",
                 "Erprobung bis Ende des Quartals: am ersten und dritten Montag im Monat.",
                 (At("buergerbuero_linnich", MON, "09:00", "12:00", weeks=(1, 3),
                     until_day=100),)),
    Consultation(AWO, "Außensprechstunde Willkommensberatung in Inden und Aldenhoven",
                 "walk_in", ("welcome", "labour"), ("de", "ro", "bg", "tr"),
                 "Neu Zugewanderte im Nordkreis",
                 "02421 555-305", "migration@awo-dueren.example",
                 "Aldenhoven am zweiten und vierten Dienstag im Monat.",
                 (At("rathaus_inden", WED, "10:00", "12:00"),
                  At("rathaus_aldenhoven", TUE, "09:00", "12:00", weeks=(2, 4)))),
    Consultation(AWO, "Offene Sprechstunde für Zugewanderte aus Südosteuropa", "walk_in",
                 ("labour", "livelihood"), ("de", "ro", "bg", "ru"),
                 "Zugewanderte aus Rumänien und Bulgarien",
                 "02421 555-303", "migration@awo-dueren.example",
                 "Im DIZ, Beratungsraum 1.06.",
                 (At("diz", THU, "14:00", "16:00"),)),
    Consultation(AWO, "Telefonsprechstunde Migrationsdienst der AWO", "phone",
                 ("welcome", "labour", "family"), ("de", "tr", "ro", "bg", "ar"), None,
                 "02421 555-300", "migration@awo-dueren.example", None,
                 every(None, WORKDAYS, "09:00", "10:00")),
    Consultation("Evangelische Gemeinde zu Düren", "Flüchtlingsberatung im Integrationsraum",
                 "walk_in", ("welcome", "women", "family"), ("de", "en", "ar", "fa", "ps"),
                 "Geflüchtete in Düren",
                 "02421 555-551", "fluechtlingsberatung@evangelisch-dueren.example",
                 "Teil des Projekts „Ankommen in Düren“.",
                 (At("gemeindehaus", MON, "10:00", "12:00"),
                  At("gemeindehaus", WED, "14:00", "16:00"))),
    Consultation(SKF, "Offene Sprechstunde für Frauen mit Zuwanderungsgeschichte", "walk_in",
                 ("women", "family", "welcome"), ("de", "so", "ar", "en"),
                 "Frauen mit Zuwanderungsgeschichte",
                 "02421 555-601", "beratung@skf-dueren.example",
                 "Beratung von Frauen für Frauen; Kinder dürfen mitkommen.",
                 (At("skf", WED, "09:00", "12:00"),)),
    Consultation(SKF, "Frauencafé mit Beratung im Familienzentrum Langerwehe", "walk_in",
                 ("women", "family"), ("de", "ar", "tr"),
                 "Frauen mit Zuwanderungsgeschichte, gern mit kleinen Kindern",
                 "02421 555-600", "beratung@skf-dueren.example",
                 "Am ersten und dritten Donnerstag im Monat.",
                 (At("familienzentrum_langerwehe", THU, "09:30", "11:30", weeks=(1, 3)),)),
    # --- language courses and migrant organisations ---------------------------------------
    Consultation("VHS Jülicher Land", "Anmeldung Integrationskurse in Linnich", "walk_in",
                 ("courses",), ("de", "en"), "Zugewanderte mit Berechtigung für einen "
                 "Integrationskurs", "02461 555-920", "anmeldung@vhs-juelicher-land.example",
                 "Anmeldung und Einstufung für die Kurse im Frühjahr.",
                 (At("buergerbuero_linnich", TUE, "09:00", "12:00", from_day=-30,
                     until_day=90),)),
    Consultation("Deutsch-Ukrainischer Treffpunkt Jülicher Land e.V.",
                 "Beratungscafé für Geflüchtete aus der Ukraine", "walk_in",
                 ("welcome", "family"), ("de", "uk", "ru"),
                 "Geflüchtete aus der Ukraine und ihre Familien",
                 "02461 555-820", "kontakt@treffpunkt-juelich.example",
                 "Ehrenamtliche begleiten zu Ämtern und helfen beim Ausfüllen von Formularen.",
                 (At("diakonie_juelich", SAT, "10:00", "13:00"),)),
)

CHANGES: tuple[Change, ...] = (
    Change("Offene Sprechstunde Migrationsberatung", MON, 7, "Urlaub"),
    Change("Offene Sprechstunde Migration in Jülich", THU, 7, "Fortbildung des Teams"),
    Change("Information und Erstorientierung im Kommunalen Integrationszentrum", FRI, 7,
           "Personalversammlung: ab 11 Uhr geschlossen", "08:00", "11:00"),
    Change("Willkommensberatung im Rathaus Jülich", THU, 1,
           "Ausnahmsweise später wegen einer Teamsitzung", "14:00", "16:00"),
)
# fmt: on


def seed_consultations(today: date | None = None) -> tuple[int, int, int]:
    """Add the demo places, offers and their weekly times, a few cancelled and changed dates;
    returns the numbers of places, offers and slots created."""
    today = today or date.today()
    organisations = dict(db.session.execute(sa.select(Organisation.name, Organisation.id)).all())
    topics = dict(db.session.execute(sa.select(FocusArea.key, FocusArea.id)).all())
    places = {
        place.key: services.save_location(None, {**place._asdict(), "town": place.municipality})
        for place in PLACES
    }
    offers: dict[str, Offer] = {}
    for spec in CONSULTATIONS:
        data = {
            **spec._asdict(),
            "organisation_id": organisations[spec.organisation],
            "topic_ids": [topics[key] for key in spec.topics],
        }
        slots = [slot_values(at, places, today) for at in spec.times]
        offers[spec.title] = services.save_offer(None, data, slots)
    for change in CHANGES:
        slot = next(s for s in offers[change.title].slots if s.weekday == change.weekday)
        start, end = today + timedelta(days=change.first_day), today + timedelta(days=13)
        day = next((d for d in services.slot_dates(slot, start, end) if not holiday_key(d)), None)
        if day is not None:
            services.save_exception(
                slot, day, change.start is None, change.reason, *clock(change.start, change.end)
            )
    return len(places), len(offers), sum(len(spec.times) for spec in CONSULTATIONS)


def slot_values(at: At, places: dict, today: date) -> dict:
    def shifted(days: int | None) -> date | None:
        return None if days is None else today + timedelta(days=days)

    return {
        "location_id": places[at.place].id if at.place else None,
        "weekday": at.weekday,
        "start_time": time.fromisoformat(at.start),
        "end_time": time.fromisoformat(at.end),
        "valid_from": shifted(at.from_day),
        "valid_until": shifted(at.until_day),
        "weeks": list(at.weeks),
    }


def clock(*values: str | None) -> list[time | None]:
    return [time.fromisoformat(value) if value else None for value in values]
