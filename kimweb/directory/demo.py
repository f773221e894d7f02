"""Demo data for the directory: the real kinds of partners of the KIM in Kreis Düren,
invented people. Phone numbers use the fictional exchange 555, addresses and e-mail
domains end in ``.example``; no client data anywhere.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa

from kimweb.auth.models import User
from kimweb.directory import services
from kimweb.directory.models import Contact, FocusArea, Organisation
from kimweb.directory.vocabulary import MUNICIPALITIES
from kimweb.extensions import db

ALL = MUNICIPALITIES
NORTH = ("Jülich", "Aldenhoven", "Inden", "Linnich", "Niederzier", "Titz")
SOUTH = (
    "Heimbach",
    "Hürtgenwald",
    "Kreuzau",
    "Langerwehe",
    "Merzenich",
    "Nideggen",
    "Nörvenich",
    "Vettweiß",
)
# Psychosocial counselling in the KIM is only for residents of these six.
PSYCHOSOCIAL_AREA = ("Düren", "Heimbach", "Nideggen", "Kreuzau", "Hürtgenwald", "Vettweiß")
COUNTY_HOUSE = {"street": "Bismarckstr. 16", "postal_code": "52351", "town": "Düren"}
COUNTY_HOURS = "Mo–Do 8–16 Uhr, Fr 8–13 Uhr"


class Person(NamedTuple):
    """An invented contact person (or a function mailbox) of one organisation.

    The fields are those of ``services.save_contact``, in the order the data below uses.
    """

    name: str
    function: str
    phone: str | None = None
    email: str | None = None
    room: str | None = None
    office_hours: str | None = None
    languages: tuple[str, ...] = ("de",)
    mobile: str | None = None
    is_publishable: bool = False


# One dict per organisation: the fields of services.save_organisation, plus the keys of its
# focus areas and its people. Kept compact by hand so an entry reads as one block.
# fmt: off
ORGANISATIONS: tuple[dict[str, Any], ...] = (
    # --- the county's own offices ---------------------------------------------------
    {
        "name": "Kommunales Integrationszentrum Kreis Düren", "short_name": "KI",
        "kind": "office", **COUNTY_HOUSE, "phone": "02421 555-100",
        "email": "ki@kreis-dueren.example", "website": "https://www.kreis-dueren.example/ki",
        "municipalities": ALL, "focus": ("welcome", "courses", "family", "women"),
        "languages": ("de", "en", "tr", "ar"),
        "notes": "Koordination des Kommunalen Integrationsmanagements (KIM) und Fachaufsicht "
                 "über das Case-Management. Organisiert den Jour fixe, die Arbeitskreise und "
                 f"die Lenkungsgruppe. Erreichbar {COUNTY_HOURS}.",
        "people": (
            Person("Geschäftsstelle KI", "Funktionspostfach und Telefonzentrale",
                   "02421 555-100", "ki@kreis-dueren.example", "Haus A, Zimmer 70",
                   COUNTY_HOURS, ("de", "en"), is_publishable=True),
            Person("Birgit Lennartz", "Sachgebietsleitung Kommunales Integrationsmanagement",
                   "02421 555-101", "b.lennartz@kreis-dueren.example", "Haus A, Zimmer 73",
                   COUNTY_HOURS, ("de", "en")),
            Person("Murat Yıldırım", "Koordination Case-Management (KIM)", "02421 555-102",
                   "m.yildirim@kreis-dueren.example", "Haus A, Zimmer 74", COUNTY_HOURS,
                   ("de", "tr", "en"), mobile="0151 555-2102"),
            Person("Anastasia Weber", "Koordination Arbeitskreise und Integrationskurskonferenz",
                   "02421 555-103", "a.weber@kreis-dueren.example", "Haus A, Zimmer 76",
                   "Mo–Mi 8–15 Uhr", ("de", "ru", "uk")),
        ),
    },
    {
        "name": "Ausländerbehörde Kreis Düren", "kind": "office", **COUNTY_HOUSE,
        "phone": "02421 555-120", "email": "auslaenderbehoerde@kreis-dueren.example",
        "website": "https://www.kreis-dueren.example/auslaenderbehoerde",
        "municipalities": ALL, "focus": ("residence",), "languages": ("de", "en"),
        "notes": "Vorsprache nur mit Termin. Zusätzliche, vom Land finanzierte Stellen im KIM "
                 "für die aufenthaltsrechtliche Verstetigung; enger Austausch mit dem "
                 "Case-Management.",
        "people": (
            Person("Terminvergabe Ausländerbehörde", "Servicetelefon und Terminvergabe",
                   "02421 555-120", "termine-abh@kreis-dueren.example", "Haus B, Foyer",
                   "Mo–Fr 8–12 Uhr (telefonisch)", ("de", "en"), is_publishable=True),
            Person("Frank Heinen", "Sachbearbeiter Aufenthaltsrecht (Nachnamen A–K)",
                   "02421 555-121", "f.heinen@kreis-dueren.example", "Haus B, Zimmer 210",
                   "Di und Do 8–12 Uhr nach Termin"),
            Person("Leyla Rahimi",
                   "Sachbearbeiterin Aufenthaltsrecht im KIM (Chancen-Aufenthaltsrecht)",
                   "02421 555-124", "l.rahimi@kreis-dueren.example", "Haus B, Zimmer 214",
                   "nach Vereinbarung", ("de", "fa", "en")),
        ),
    },
    {
        "name": "Einbürgerungsbehörde Kreis Düren", "kind": "office", **COUNTY_HOUSE,
        "phone": "02421 555-130", "email": "einbuergerung@kreis-dueren.example",
        "website": "https://www.kreis-dueren.example/einbuergerung",
        # The city of Düren naturalises its own residents.
        "municipalities": tuple(m for m in ALL if m != "Düren"),
        "focus": ("naturalisation",), "languages": ("de", "en"),
        "notes": "Zuständig für alle kreisangehörigen Kommunen außer der Stadt Düren; "
                 "Einwohner*innen der Stadt Düren wenden sich an die Stadt Düren.",
        "people": (
            Person("Einbürgerung Kreis Düren", "Funktionspostfach Einbürgerung",
                   "02421 555-130", "einbuergerung@kreis-dueren.example", "Haus B, Zimmer 230",
                   "Mo und Mi 8–12 Uhr (telefonisch)", is_publishable=True),
            Person("Sabine Krings", "Sachbearbeiterin Einbürgerung", "02421 555-131",
                   "s.krings@kreis-dueren.example", "Haus B, Zimmer 232", "nach Vereinbarung"),
        ),
    },
    {
        "name": "Sozialamt Kreis Düren", "kind": "office", **COUNTY_HOUSE,
        "phone": "02421 555-140", "email": "sozialamt@kreis-dueren.example",
        "website": "https://www.kreis-dueren.example/sozialamt",
        "municipalities": ALL, "focus": ("livelihood", "housing"), "languages": ("de",),
        "notes": "Grundsicherung, Hilfe zum Lebensunterhalt, Wohngeld.",
        "people": (
            Person("Michael Dohmen", "Sachbearbeiter Grundsicherung", "02421 555-141",
                   "m.dohmen@kreis-dueren.example", "Haus C, Zimmer 105", COUNTY_HOURS),
            Person("Bianca Esser", "Teamleitung Soziale Leistungen", "02421 555-142",
                   "b.esser@kreis-dueren.example", "Haus C, Zimmer 101", "nach Vereinbarung",
                   ("de", "en")),
        ),
    },
    {
        "name": "Jugendamt Kreis Düren", "kind": "office", **COUNTY_HOUSE,
        "phone": "02421 555-150", "email": "jugendamt@kreis-dueren.example",
        "website": "https://www.kreis-dueren.example/jugendamt",
        "municipalities": ALL, "focus": ("family",), "languages": ("de", "en"),
        "notes": "Allgemeiner Sozialer Dienst, Kindertagesbetreuung, Unterhaltsvorschuss.",
        "people": (
            Person("Julia Wergen", "Sozialarbeiterin Allgemeiner Sozialer Dienst",
                   "02421 555-151", "j.wergen@kreis-dueren.example", "Haus C, Zimmer 210",
                   "Mo–Do 8–16 Uhr", mobile="0160 555-2151"),
            Person("Kinan Haddad", "Fachberatung Kita und Integration", "02421 555-153",
                   "k.haddad@kreis-dueren.example", "Haus C, Zimmer 214", "Di 9–12 Uhr",
                   ("de", "ar", "en")),
        ),
    },
    {
        "name": "Schulamt für den Kreis Düren", "short_name": "Schulamt", "kind": "office",
        **COUNTY_HOUSE, "phone": "02421 555-160", "email": "schulamt@kreis-dueren.example",
        "website": "https://www.kreis-dueren.example/schulamt",
        "municipalities": ALL, "focus": ("family",), "languages": ("de",),
        "notes": "Schulaufsicht über die Grund- und Förderschulen; Zuweisung neu zugewanderter "
                 "Kinder im Seiteneinstieg.",
        "people": (
            Person("Andreas Bongartz", "Schulaufsicht, Seiteneinstieg", "02421 555-161",
                   "a.bongartz@kreis-dueren.example", "Haus D, Zimmer 12", "nach Vereinbarung"),
        ),
    },
    {
        "name": "Gesundheitsamt Kreis Düren", "kind": "office", **COUNTY_HOUSE,
        "phone": "02421 555-170", "email": "gesundheitsamt@kreis-dueren.example",
        "website": "https://www.kreis-dueren.example/gesundheitsamt",
        "municipalities": ALL, "focus": ("health",), "languages": ("de", "en"),
        "notes": "Schuleingangsuntersuchungen, Impfberatung, sozialpsychiatrischer Dienst.",
        "people": (
            Person("Cornelia Pütz", "Ärztin, Kinder- und Jugendgesundheitsdienst",
                   "02421 555-171", "c.puetz@kreis-dueren.example", "Haus E, Zimmer 3",
                   "Mo, Mi 8–12 Uhr", ("de", "en")),
        ),
    },
    # --- job centre and employment agency ---------------------------------------------
    {
        "name": "job-com Kreis Düren", "short_name": "job-com", "kind": "office",
        "street": "Moltkestraße 24", "postal_code": "52351", "town": "Düren",
        "phone": "02421 555-180", "email": "service@job-com.example",
        "website": "https://www.job-com.example",
        "municipalities": ALL, "focus": ("labour", "livelihood"),
        "languages": ("de", "en", "ar", "tr", "uk"),
        "notes": "Jobcenter des Kreises Düren (Grundsicherung für Arbeitsuchende). "
                 "Fördert das Dürener Integrationszentrum (DIZ).",
        "people": (
            Person("Servicecenter job-com", "Telefonische Erreichbarkeit und Terminvergabe",
                   "02421 555-180", "service@job-com.example", "Erdgeschoss, Empfang",
                   "Mo–Fr 8–16 Uhr", ("de", "en"), is_publishable=True),
            Person("Sandra Küpper", "Integrationsfachkraft, Team Zuwanderung", "02421 555-183",
                   "s.kuepper@job-com.example", "Zimmer 214", "nach Vereinbarung"),
            Person("Oksana Melnyk", "Fallmanagerin, Team Zuwanderung", "02421 555-184",
                   "o.melnyk@job-com.example", "Zimmer 216", "Mo–Do 8–12 Uhr",
                   ("de", "uk", "ru")),
        ),
    },
    {
        "name": "Agentur für Arbeit Düren", "kind": "office",
        "street": "Am Bahnhofsvorplatz 3", "postal_code": "52351", "town": "Düren",
        "phone": "02421 555-190", "email": "dueren@arbeitsagentur.example",
        "website": "https://www.arbeitsagentur.example/dueren",
        "municipalities": ALL, "focus": ("labour", "recognition"), "languages": ("de", "en"),
        "notes": "Berufsberatung, Arbeitsvermittlung, Beratung zur Anerkennung ausländischer "
                 "Abschlüsse; Mitglied der Lenkungsgruppe.",
        "people": (
            Person("Eingangszone Agentur für Arbeit", "Empfang und Terminvergabe",
                   "02421 555-190", "dueren@arbeitsagentur.example", "Erdgeschoss",
                   "Mo–Fr 8–12:30 Uhr, Do 14–18 Uhr", ("de", "en"), is_publishable=True),
            Person("Torsten Lauscher", "Berufsberater im Erwerbsleben, Schwerpunkt Zuwanderung",
                   "02421 555-192", "t.lauscher@arbeitsagentur.example", "Zimmer 3.14",
                   "nach Vereinbarung", ("de", "en")),
        ),
    },
    # --- cities and municipalities ------------------------------------------------------
    {
        "name": "Stadt Düren", "kind": "municipality",
        "street": "Kaiserplatz 2", "postal_code": "52349", "town": "Düren",
        "phone": "02421 555-200", "email": "integration@stadt-dueren.example",
        "website": "https://www.stadt-dueren.example",
        "municipalities": ("Düren",),
        "focus": ("welcome", "naturalisation", "livelihood", "housing"),
        "languages": ("de", "en", "ar", "tr"),
        "notes": "Sozialamt mit dem Projekt „Ankommen in Düren“ (fünf Integrationsräume), "
                 "Integrationsbeauftragte, Einbürgerung für Einwohner*innen der Stadt. "
                 "Beschäftigt Case-Manager*innen im KIM.",
        "people": (
            Person("Bürgerbüro Stadt Düren", "Service-Theke", "02421 555-200",
                   "buergerbuero@stadt-dueren.example", "Rathaus, Erdgeschoss",
                   "Mo–Fr 8–12 Uhr, Do 14–18 Uhr", ("de", "en"), is_publishable=True),
            Person("Christiane Roeb", "Integrationsbeauftragte der Stadt Düren",
                   "02421 555-201", "c.roeb@stadt-dueren.example", "Rathaus, Zimmer 312",
                   "nach Vereinbarung", ("de", "en", "fr")),
            Person("Hamza Benali", "Case-Manager Willkommensberatung (KIM)", "02421 555-204",
                   "h.benali@stadt-dueren.example", "Rathaus, Zimmer 318",
                   "Mo 9–12 Uhr, Do 14–16 Uhr", ("de", "ar", "fr"), mobile="0152 555-2204"),
            Person("Melanie Gerhards", "Sachbearbeiterin Einbürgerung", "02421 555-207",
                   "m.gerhards@stadt-dueren.example", "Rathaus, Zimmer 120",
                   "Di und Do 8–12 Uhr nach Termin"),
        ),
    },
    {
        "name": "Stadt Jülich", "kind": "municipality",
        "street": "Große Rurstraße 17", "postal_code": "52428", "town": "Jülich",
        "phone": "02461 555-100", "email": "integration@juelich.example",
        "website": "https://www.juelich.example",
        "municipalities": ("Jülich",), "focus": ("welcome", "labour"),
        "languages": ("de", "en", "ar", "ku"),
        "notes": "Integrationsbeauftragter und Case-Management im KIM.",
        "people": (
            Person("Stefan Jansen", "Integrationsbeauftragter der Stadt Jülich",
                   "02461 555-101", "s.jansen@juelich.example", "Zimmer 204",
                   "nach Vereinbarung", ("de", "en")),
            Person("Rana Al-Khatib", "Case-Managerin Arbeitsmarktintegration (KIM)",
                   "02461 555-104", "r.al-khatib@juelich.example", "Zimmer 207",
                   "Di 9–12 Uhr, Do 13–15 Uhr", ("de", "ar", "en"), mobile="0157 555-3104"),
        ),
    },
    {
        "name": "Gemeinde Kreuzau", "kind": "municipality",
        "street": "Bahnhofstraße 7", "postal_code": "52372", "town": "Kreuzau",
        "phone": "02422 555-100", "email": "soziales@kreuzau.example",
        "website": "https://www.kreuzau.example",
        "municipalities": ("Kreuzau",), "focus": ("welcome", "housing"),
        "languages": ("de", "ar"),
        "notes": "Sozialamt und Case-Management im KIM; Unterbringung Geflüchteter.",
        "people": (
            Person("Tobias Nießen", "Case-Manager Willkommensberatung (KIM)", "02422 555-104",
                   "t.niessen@kreuzau.example", "Zimmer 12", "Mo 9–12 Uhr, Mi 14–16 Uhr",
                   ("de", "en")),
            Person("Lea Hambach", "Sachbearbeiterin Unterbringung", "02422 555-106",
                   "l.hambach@kreuzau.example", "Zimmer 14", "Mo–Fr 8–12 Uhr",
                   is_publishable=True),
        ),
    },
    {
        "name": "Stadt Linnich", "kind": "municipality",
        "street": "Rurdorfer Straße 64", "postal_code": "52441", "town": "Linnich",
        "phone": "02462 555-100", "email": "soziales@linnich.example",
        "website": "https://www.linnich.example",
        "municipalities": ("Linnich",), "focus": ("livelihood", "housing"),
        "languages": ("de",),
        "notes": "Sozialamt: Leistungen nach dem Asylbewerberleistungsgesetz, Unterbringung.",
        "people": (
            Person("Monika Frings", "Sachbearbeiterin Asylbewerberleistungen", "02462 555-102",
                   "m.frings@linnich.example", "Zimmer 8", "Mo–Fr 8–12 Uhr, Do 14–17 Uhr",
                   is_publishable=True),
        ),
    },
    {
        "name": "Stadt Nideggen", "kind": "municipality",
        "street": "Zülpicher Straße 1", "postal_code": "52385", "town": "Nideggen",
        "phone": "02427 555-100", "email": "soziales@nideggen.example",
        "website": "https://www.nideggen.example",
        "municipalities": ("Nideggen",), "focus": ("livelihood", "housing"),
        "languages": ("de",),
        "notes": "Sozialamt; im Rathaus finden Außensprechstunden der Caritas statt.",
        "people": (
            Person("Georg Schüller", "Sachbearbeiter Soziales und Unterbringung",
                   "02427 555-103", "g.schueller@nideggen.example", "Zimmer 5",
                   "Mo, Di, Fr 8–12 Uhr", is_publishable=True),
        ),
    },
    {
        "name": "Gemeinde Vettweiß", "kind": "municipality",
        "street": "Gereonstraße 14", "postal_code": "52391", "town": "Vettweiß",
        "phone": "02252 555-100", "email": "soziales@vettweiss.example",
        "website": "https://www.vettweiss.example",
        "municipalities": ("Vettweiß",), "focus": ("livelihood", "housing"),
        "languages": ("de",),
        "people": (
            Person("Daniela Pohl", "Sozialamt, Betreuung Geflüchteter", "02252 555-102",
                   "d.pohl@vettweiss.example", "Zimmer 2", "Mo–Do 8–12 Uhr",
                   ("de", "en"), is_publishable=True),
        ),
    },
    # --- welfare associations (providers of the case management) ------------------------
    {
        "name": "Arbeiterwohlfahrt Kreisverband Düren e.V.", "short_name": "AWO",
        "kind": "provider",
        "street": "Rütger-von-Scheven-Straße 44", "postal_code": "52349", "town": "Düren",
        "phone": "02421 555-300", "email": "migration@awo-dueren.example",
        "website": "https://www.awo-dueren.example",
        "municipalities": ("Düren", *NORTH), "focus": ("welcome", "labour", "family"),
        "languages": ("de", "ar", "tr", "ro", "bg"),
        "notes": "Case-Management im KIM (Willkommensberatung, Arbeitsmarktintegration mit "
                 "Schwerpunkt Südosteuropa); Außensprechstunden in Inden und Aldenhoven.",
        "people": (
            Person("Migrationsdienst AWO", "Funktionspostfach und Anmeldung", "02421 555-300",
                   "migration@awo-dueren.example", "Erdgeschoss",
                   "Mo–Do 9–15 Uhr, Fr 9–12 Uhr", ("de", "tr"), is_publishable=True),
            Person("Ana Popescu", "Case-Managerin Arbeitsmarktintegration (KIM)",
                   "02421 555-303", "a.popescu@awo-dueren.example", "Zimmer 1.04",
                   "Di 9–12 Uhr, Do 14–16 Uhr", ("de", "ro", "en"), mobile="0176 555-4303"),
            Person("Kevin Schmitz", "Case-Manager Willkommensberatung (KIM)", "02421 555-305",
                   "k.schmitz@awo-dueren.example", "Zimmer 1.06",
                   "Mo 9–12 Uhr Düren, Mi 10–12 Uhr Rathaus Inden", ("de", "en")),
            Person("Dilyana Georgieva", "Sozialarbeiterin Zuwanderung Südosteuropa",
                   "02421 555-307", "d.georgieva@awo-dueren.example", "Zimmer 1.08",
                   "nach Vereinbarung", ("de", "bg", "ru")),
        ),
    },
    {
        "name": "Caritasverband für die Region Düren-Jülich e.V.", "short_name": "Caritas",
        "kind": "provider",
        "street": "Kölnstraße 54", "postal_code": "52351", "town": "Düren",
        "phone": "02421 555-400", "email": "migrationsdienst@caritas-dueren.example",
        "website": "https://www.caritas-dueren.example",
        "municipalities": ALL, "focus": ("welcome", "labour", "livelihood", "family"),
        "languages": ("de", "en", "ar", "fa", "bg"),
        "notes": "Migrationsdienst und Case-Management im KIM (Willkommensberatung, "
                 "Arbeitsmarktintegration).",
        "people": (
            Person("Markus Breuer", "Leitung Migrationsdienst", "02421 555-401",
                   "m.breuer@caritas-dueren.example", "Zimmer 201", "nach Vereinbarung",
                   ("de", "en")),
            Person("Zainab Hosseini", "Case-Managerin Willkommensberatung (KIM)",
                   "02421 555-403", "z.hosseini@caritas-dueren.example", "Zimmer 204",
                   "Mo 9–12 Uhr, Do 14–16 Uhr", ("de", "fa", "en"), mobile="0151 555-4403"),
            Person("Dimitar Petrov", "Case-Manager Arbeitsmarktintegration (KIM)",
                   "02421 555-405", "d.petrov@caritas-dueren.example", "Zimmer 206",
                   "Di 10–12 Uhr offene Sprechstunde", ("de", "bg", "ru"), is_publishable=True),
        ),
    },
    {
        "name": "Caritas – Psychosoziale Beratung für Menschen mit Zuwanderungsgeschichte",
        "short_name": "Caritas PSB", "kind": "provider",
        "street": "Kölnstraße 56", "postal_code": "52351", "town": "Düren",
        "phone": "02421 555-420", "email": "psb@caritas-dueren.example",
        "website": "https://www.caritas-dueren.example/psb",
        "municipalities": PSYCHOSOCIAL_AREA, "focus": ("psychosocial", "health"),
        "languages": ("de", "en", "ar", "fa", "uk", "ti"),
        "notes": "Psychosoziale Beratung im KIM: Hilfe in Krisen und nach traumatischen "
                 "Erfahrungen, Anbindung an psychologische und medizinische Hilfen. Nur für "
                 "Menschen mit Wohnsitz in Düren, Heimbach, Nideggen, Kreuzau, Hürtgenwald "
                 "und Vettweiß. Außensprechstunde im Rathaus Nideggen.",
        "people": (
            Person("Terminvergabe Psychosoziale Beratung", "Telefonische Anmeldung",
                   "02421 555-420", "psb@caritas-dueren.example", "Zimmer 10",
                   "Mo–Do 9–11 Uhr (telefonisch)", ("de", "en"), is_publishable=True),
            Person("Miriam Lohmann", "Psychosoziale Beraterin (KIM), Diplom-Psychologin",
                   "02421 555-421", "m.lohmann@caritas-dueren.example", "Zimmer 12",
                   "Di 10–12 Uhr Düren, Do 14–16 Uhr Rathaus Nideggen", ("de", "en", "uk")),
            Person("Amanuel Tesfay", "Psychosozialer Berater (KIM)", "02421 555-423",
                   "a.tesfay@caritas-dueren.example", "Zimmer 14", "nach Vereinbarung",
                   ("de", "ti", "ar", "en"), mobile="0170 555-4423"),
        ),
    },
    {
        "name": "Diakonisches Werk des Evangelischen Kirchenkreises Jülich",
        "short_name": "Diakonie", "kind": "provider",
        "street": "Kurfürstenstraße 9", "postal_code": "52428", "town": "Jülich",
        "phone": "02461 555-500", "email": "migration@diakonie-juelich.example",
        "website": "https://www.diakonie-juelich.example",
        "municipalities": ("Düren", *NORTH), "focus": ("labour", "welcome", "housing"),
        "languages": ("de", "en", "ru", "uk"),
        "notes": "Fachbereich Migration mit Case-Management im KIM (Arbeitsmarktintegration).",
        "people": (
            Person("Beratung Diakonie Jülich", "Offene Sprechstunde (ohne Termin)",
                   "02461 555-500", "migration@diakonie-juelich.example", "Erdgeschoss",
                   "Di 10–12 Uhr, Do 14–16 Uhr", ("de", "ru"), is_publishable=True),
            Person("Jan-Philipp Offergeld", "Leitung Fachbereich Migration", "02461 555-501",
                   "j.offergeld@diakonie-juelich.example", "Zimmer 3", "nach Vereinbarung"),
            Person("Svetlana Richter", "Case-Managerin Arbeitsmarktintegration (KIM)",
                   "02461 555-504", "s.richter@diakonie-juelich.example", "Zimmer 5",
                   "Mo 9–12 Uhr, Mi 14–16 Uhr", ("de", "ru", "uk"), mobile="0162 555-5504"),
        ),
    },
    {
        "name": "Evangelische Gemeinde zu Düren", "kind": "provider",
        "street": "Wilhelm-Wester-Weg 1", "postal_code": "52349", "town": "Düren",
        "phone": "02421 555-550", "email": "fluechtlingsberatung@evangelisch-dueren.example",
        "website": "https://www.evangelisch-dueren.example",
        "municipalities": ("Düren",), "focus": ("welcome", "women", "family"),
        "languages": ("de", "en", "ar", "fa", "ps"),
        "notes": "Flüchtlingsberatung, soziale Betreuung in einem Integrationsraum des "
                 "Projekts „Ankommen in Düren“, Case-Management im KIM.",
        "people": (
            Person("Ruth Kaulen", "Sozialarbeiterin Flüchtlingsberatung", "02421 555-551",
                   "r.kaulen@evangelisch-dueren.example", "Gemeindehaus, Raum 4",
                   "Mo 10–12 Uhr, Mi 14–16 Uhr", ("de", "en")),
            Person("Farid Sultani", "Case-Manager Willkommensberatung (KIM)", "02421 555-553",
                   "f.sultani@evangelisch-dueren.example", "Gemeindehaus, Raum 6",
                   "Di 9–12 Uhr, Do 14–16 Uhr", ("de", "fa", "ps"), mobile="0176 555-5553"),
        ),
    },
    {
        "name": "Sozialdienst katholischer Frauen Düren e.V.", "short_name": "SkF",
        "kind": "provider",
        "street": "Friedrichstraße 19", "postal_code": "52351", "town": "Düren",
        "phone": "02421 555-600", "email": "beratung@skf-dueren.example",
        "website": "https://www.skf-dueren.example",
        "municipalities": ("Düren", *SOUTH), "focus": ("women", "family", "welcome"),
        "languages": ("de", "en", "ar", "so"),
        "notes": "Beratung für Frauen mit Zuwanderungsgeschichte, Case-Management im KIM "
                 "(Willkommensberatung).",
        "people": (
            Person("Frauenberatung SkF", "Anmeldung und Funktionspostfach", "02421 555-600",
                   "beratung@skf-dueren.example", "Empfang", "Mo–Fr 9–12 Uhr",
                   is_publishable=True),
            Person("Hawa Abdi", "Beraterin für Frauen mit Zuwanderungsgeschichte",
                   "02421 555-601", "h.abdi@skf-dueren.example", "Raum 2",
                   "Mi 9–12 Uhr offene Sprechstunde", ("de", "so", "ar", "en"),
                   is_publishable=True),
            Person("Gabriele Hoven", "Case-Managerin Willkommensberatung (KIM)",
                   "02421 555-603", "g.hoven@skf-dueren.example", "Raum 3",
                   "Mo 9–12 Uhr, Do 14–16 Uhr", ("de", "en"), mobile="0151 555-6603"),
        ),
    },
    # --- counselling services -----------------------------------------------------------
    {
        "name": "Dürener Integrationszentrum", "short_name": "DIZ", "kind": "counselling",
        "street": "Josef-Schregel-Straße 52", "postal_code": "52349", "town": "Düren",
        "phone": "02421 555-700", "email": "info@diz-dueren.example",
        "website": "https://www.diz-dueren.example",
        "municipalities": ALL,
        "focus": ("labour", "courses", "recognition", "housing", "residence"),
        "languages": ("de", "en", "ar", "fa", "tr", "ku", "uk"),
        "notes": "Trägerübergreifend, gefördert von der job-com: Berufsorientierung, "
                 "Kompetenzfeststellung, Vermittlung in Arbeit und Ausbildung, Qualifizierung; "
                 "Beratung unter einem Dach.",
        "people": (
            Person("Infotheke DIZ", "Empfang und Anmeldung", "02421 555-700",
                   "info@diz-dueren.example", "Erdgeschoss",
                   "Mo–Do 8:30–15 Uhr, Fr 8:30–12 Uhr", ("de", "ar", "en"),
                   is_publishable=True),
            Person("Nikola Jovanović", "Teamleitung DIZ", "02421 555-701",
                   "n.jovanovic@diz-dueren.example", "Raum 1.01", "nach Vereinbarung",
                   ("de", "sr", "en")),
            Person("Aisha Rahmani", "Beraterin Berufsorientierung und Kompetenzfeststellung",
                   "02421 555-704", "a.rahmani@diz-dueren.example", "Raum 1.05",
                   "Mo 9–12 Uhr, Mi 13–15 Uhr", ("de", "ar", "fr")),
        ),
    },
    {
        "name": "Migrationsberatung für Erwachsene Düren", "short_name": "MBE",
        "kind": "counselling",
        "street": "Schenkelstraße 11", "postal_code": "52349", "town": "Düren",
        "phone": "02421 555-720", "email": "mbe@mbe-dueren.example",
        "website": "https://www.mbe-dueren.example",
        "municipalities": ALL,
        "focus": ("welcome", "residence", "recognition", "livelihood"),
        "languages": ("de", "en", "ar", "ru", "pl", "tr"),
        "notes": "Beratung für Zugewanderte ab 27 Jahren, besonders in den ersten drei Jahren.",
        "people": (
            Person("Offene Sprechstunde MBE", "Offene Sprechstunde ohne Termin",
                   "02421 555-720", "mbe@mbe-dueren.example", "Raum 2",
                   "Mo 10–12 Uhr, Mi 14–16 Uhr", ("de", "ar", "ru"), is_publishable=True),
            Person("Marta Kowalska", "Migrationsberaterin (MBE)", "02421 555-722",
                   "m.kowalska@mbe-dueren.example", "Raum 3", "Di und Do 9–12 Uhr",
                   ("de", "pl", "ru")),
            Person("Emre Aydın", "Migrationsberater (MBE)", "02421 555-724",
                   "e.aydin@mbe-dueren.example", "Raum 4", "Mo–Do nach Vereinbarung",
                   ("de", "tr", "ku")),
        ),
    },
    {
        "name": "Jugendmigrationsdienst Düren", "short_name": "JMD", "kind": "counselling",
        "street": "Hohenzollernstraße 30", "postal_code": "52351", "town": "Düren",
        "phone": "02421 555-740", "email": "jmd@jmd-dueren.example",
        "website": "https://www.jmd-dueren.example",
        "municipalities": ALL, "focus": ("welcome", "courses", "family"),
        "languages": ("de", "en", "ar", "fa", "uk"),
        "notes": "Beratung und Begleitung junger Zugewanderter von 12 bis 27 Jahren: "
                 "Schule, Ausbildung, Sprachkurs.",
        "people": (
            Person("Offene Sprechstunde JMD", "Offene Sprechstunde ohne Termin",
                   "02421 555-740", "jmd@jmd-dueren.example", "Raum 1", "Di 14–17 Uhr",
                   ("de", "en"), is_publishable=True),
            Person("Elias Nassar", "Berater Jugendmigrationsdienst", "02421 555-741",
                   "e.nassar@jmd-dueren.example", "Raum 2", "Mo und Do 10–13 Uhr",
                   ("de", "ar", "en"), mobile="0157 555-7741"),
            Person("Yuliia Shevchenko", "Beraterin Jugendmigrationsdienst", "02421 555-742",
                   "y.shevchenko@jmd-dueren.example", "Raum 3", "Mi 10–13 Uhr",
                   ("de", "uk", "ru")),
        ),
    },
    {
        "name": "Beratungsstelle Anerkennung und Qualifizierung Düren", "kind": "counselling",
        "street": "Wirtelstraße 8", "postal_code": "52349", "town": "Düren",
        "phone": "02421 555-760", "email": "anerkennung@aq-dueren.example",
        "website": "https://www.aq-dueren.example",
        "municipalities": ALL, "focus": ("recognition", "labour"),
        "languages": ("de", "en", "ar", "uk"),
        "notes": "Beratung zur Anerkennung ausländischer Berufs- und Studienabschlüsse und zu "
                 "Anpassungsqualifizierungen.",
        "people": (
            Person("Katrin Vogt", "Anerkennungsberaterin", "02421 555-761",
                   "k.vogt@aq-dueren.example", "Raum 5", "Do 9–12 Uhr und nach Vereinbarung",
                   ("de", "en")),
            Person("Ahmad Karimi", "Berater Anpassungsqualifizierung", "02421 555-762",
                   "a.karimi@aq-dueren.example", "Raum 6", "nach Vereinbarung",
                   ("de", "fa", "en")),
        ),
    },
    # --- migrant organisations ----------------------------------------------------------
    {
        "name": "Dachverband der Migrantenselbstorganisationen Düren e.V.",
        "short_name": "Dachverband MSO", "kind": "migrant_organisation",
        "street": "Arnoldsweilerstraße 21", "postal_code": "52353", "town": "Düren",
        "phone": "02421 555-800", "email": "info@dachverband-mso-dueren.example",
        "website": "https://www.dachverband-mso-dueren.example",
        "municipalities": ALL, "focus": ("welcome", "family"),
        "languages": ("de", "tr", "ar", "ru", "sq"),
        "notes": "Zusammenschluss der Migrantenselbstorganisationen im Kreis Düren; "
                 "der Vorstand ist Mitglied der Lenkungsgruppe.",
        "people": (
            Person("Geschäftsstelle Dachverband MSO", "Funktionspostfach", "02421 555-800",
                   "info@dachverband-mso-dueren.example", "Büro", "Di und Do 15–18 Uhr",
                   ("de", "tr"), is_publishable=True),
            Person("Selin Korkmaz", "Vorstandsmitglied, Ansprechperson Netzwerk",
                   "02421 555-801", "s.korkmaz@dachverband-mso-dueren.example", None,
                   "nach Vereinbarung", ("de", "tr", "en"), mobile="0173 555-8801"),
            Person("Arben Krasniqi", "Vorstandsmitglied, Projektkoordination",
                   "02421 555-802", "a.krasniqi@dachverband-mso-dueren.example", None,
                   "nach Vereinbarung", ("de", "sq", "sr")),
        ),
    },
    {
        "name": "Deutsch-Ukrainischer Treffpunkt Jülicher Land e.V.",
        "kind": "migrant_organisation",
        "street": "Kleine Rurstraße 6", "postal_code": "52428", "town": "Jülich",
        "phone": "02461 555-820", "email": "kontakt@treffpunkt-juelich.example",
        "website": "https://www.treffpunkt-juelich.example",
        "municipalities": NORTH, "focus": ("welcome", "family"),
        "languages": ("de", "uk", "ru"),
        "notes": "Elterncafé, Hausaufgabenhilfe, Begleitung zu Ämtern durch Ehrenamtliche.",
        "people": (
            Person("Iryna Bondarenko", "Vorsitzende, Elterncafé", "02461 555-821",
                   "i.bondarenko@treffpunkt-juelich.example", "Vereinsraum",
                   "Sa 10–13 Uhr", ("de", "uk", "ru"), mobile="0160 555-8821"),
        ),
    },
    {
        "name": "Arabischsprachiger Familienverein Düren e.V.", "kind": "migrant_organisation",
        "street": "Veldener Straße 40", "postal_code": "52349", "town": "Düren",
        "phone": "02421 555-840", "email": "info@familienverein-dueren.example",
        "municipalities": ("Düren", "Merzenich", "Niederzier"), "focus": ("family", "women"),
        "languages": ("de", "ar", "ku"),
        "notes": "Frauentreff, Hausaufgabenhilfe, Informationsabende zu Schule und Kita.",
        "people": (
            Person("Nour Darwish", "Ansprechperson Frauentreff und Hausaufgabenhilfe",
                   "02421 555-841", "n.darwish@familienverein-dueren.example", None,
                   "Fr 15–18 Uhr", ("de", "ar")),
        ),
    },
    {
        "name": "Internationaler Frauentreff Merzenich e.V.", "kind": "migrant_organisation",
        "street": "Morschenicher Straße 3", "postal_code": "52399", "town": "Merzenich",
        "phone": "02421 555-860", "email": "frauentreff@merzenich-international.example",
        "municipalities": ("Merzenich", "Nörvenich"), "focus": ("women",),
        "languages": ("de", "tr", "ar"),
        "notes": "Der Verein hat sich aufgelöst; die Angebote übernimmt der SkF.",
        "people": (
            Person("Gülşen Arslan", "Sprecherin", "02421 555-861",
                   "g.arslan@merzenich-international.example", None, "Mi 16–18 Uhr",
                   ("de", "tr")),
        ),
    },
    # --- language courses and other -----------------------------------------------------
    {
        "name": "Volkshochschule Rur-Eifel", "short_name": "VHS Rur-Eifel", "kind": "other",
        "street": "Violengasse 2", "postal_code": "52349", "town": "Düren",
        "phone": "02421 555-900", "email": "deutsch@vhs-rur-eifel.example",
        "website": "https://www.vhs-rur-eifel.example",
        "municipalities": ("Düren", *SOUTH), "focus": ("courses",),
        "languages": ("de", "en", "ar"),
        "notes": "Integrationskurse, Alphabetisierungskurse, Berufssprachkurse; "
                 "Einstufungstest nach Anmeldung.",
        "people": (
            Person("Kursberatung Integrationskurse", "Anmeldung und Einstufung",
                   "02421 555-900", "deutsch@vhs-rur-eifel.example", "Raum 0.12",
                   "Mo und Do 9–12 Uhr, Di 14–17 Uhr", ("de", "en"), is_publishable=True),
            Person("Judith Mertens", "Fachbereichsleitung Deutsch als Zweitsprache",
                   "02421 555-903", "j.mertens@vhs-rur-eifel.example", "Raum 1.10",
                   "nach Vereinbarung", ("de", "en", "es")),
        ),
    },
    {
        "name": "VHS Jülicher Land", "kind": "other",
        "street": "Neusser Straße 25", "postal_code": "52428", "town": "Jülich",
        "phone": "02461 555-920", "email": "anmeldung@vhs-juelicher-land.example",
        "website": "https://www.vhs-juelicher-land.example",
        "municipalities": NORTH, "focus": ("courses",), "languages": ("de", "en"),
        "notes": "Integrationskurse und Berufssprachkurse in Jülich und Linnich.",
        "people": (
            Person("Anmeldung VHS Jülicher Land", "Service und Kursanmeldung",
                   "02461 555-920", "anmeldung@vhs-juelicher-land.example", "Empfang",
                   "Mo–Fr 9–12 Uhr, Mo 14–16 Uhr", is_publishable=True),
            Person("Volker Kreitz", "Programmbereich Integrationskurse", "02461 555-922",
                   "v.kreitz@vhs-juelicher-land.example", "Raum 4", "Di 9–12 Uhr",
                   ("de", "en")),
        ),
    },
    {
        "name": "Integrationsrat der Stadt Düren", "kind": "other",
        "street": "Kaiserplatz 2", "postal_code": "52349", "town": "Düren",
        "phone": "02421 555-210", "email": "integrationsrat@stadt-dueren.example",
        "website": "https://www.stadt-dueren.example/integrationsrat",
        "municipalities": ("Düren",), "focus": ("welcome",),
        "languages": ("de", "tr", "ar"),
        "notes": "Gewählte Vertretung der Einwohner*innen mit Zuwanderungsgeschichte; "
                 "der Vorsitz ist Mitglied der Lenkungsgruppe.",
        "people": (
            Person("Geschäftsstelle Integrationsrat", "Funktionspostfach", "02421 555-210",
                   "integrationsrat@stadt-dueren.example", "Rathaus, Zimmer 314",
                   "Mo–Do 9–12 Uhr", ("de", "tr"), is_publishable=True),
        ),
    },
)
# fmt: on


# Entries last checked 13 to 20 months ago, so "needs checking" has something to show.
STALE = (
    ("Gesundheitsamt Kreis Düren", 14),
    ("Deutsch-Ukrainischer Treffpunkt Jülicher Land e.V.", 19),
    ("Stadt Linnich", 16),
    ("Frank Heinen", 17),
    ("Kevin Schmitz", 13),
    ("Nour Darwish", 20),
)
# Archived: an organisation (its people disappear with it) and one person.
ARCHIVED = ("Internationaler Frauentreff Merzenich e.V.", "Sandra Küpper")


def seed_directory(user: User | None) -> tuple[int, int]:
    """Fill the directory with demo organisations and contact persons; returns their numbers."""
    services.ensure_builtin_focus_areas()
    focus_ids = dict(db.session.execute(sa.select(FocusArea.key, FocusArea.id)).all())
    entries: dict[str, Organisation | Contact] = {}
    for spec in ORGANISATIONS:
        data = {key: value for key, value in spec.items() if key not in ("focus", "people")}
        data["focus_area_ids"] = [focus_ids[key] for key in spec["focus"]]
        org = services.save_organisation(None, data, user)
        entries[org.name] = org
        for person in spec["people"]:
            data = {**person._asdict(), "organisation_id": org.id}
            entries[person.name] = services.save_contact(None, data, user)
    today = date.today()
    for name, months in STALE:
        services.mark_verified(entries[name], user, today=today - timedelta(days=months * 30))
    for name in ARCHIVED:
        services.set_archived(entries[name], True, user)
    return len(ORGANISATIONS), sum(len(spec["people"]) for spec in ORGANISATIONS)
