"""Demo data for meetings: the bodies of the KIM Kreis Düren with invented members, past
meetings with approved minutes, coming meetings with published agendas, open and done tasks
and needs in every state. Topics are about structures, never about clients (DOMAIN.md).

Everything goes through ``services``, as a person using the app would (two shortcuts, for
speed and for realistic dates, say why where they are); dates are counted from ``today``,
so the demo looks current on any day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

import sqlalchemy as sa

from kimweb.auth.models import User
from kimweb.directory.models import Contact, Organisation
from kimweb.extensions import db
from kimweb.meetings import rules, services
from kimweb.meetings.models import BERLIN, NEED_STATES, AgendaItem, Body, Meeting, Need

# --- people and bodies ------------------------------------------------------------------

# Case managers of the five providers and three municipalities (invented people).
CASE_MANAGERS = (
    # username, display name (employer)
    ("cm.yilmaz", "Elif Yılmaz (AWO)"),
    ("cm.hoffmann", "Jonas Hoffmann (Caritas)"),
    ("cm.haddad", "Rania Haddad (Caritas, psychosoziale Beratung)"),
    ("cm.brandt", "Katrin Brandt (Diakonie)"),
    ("cm.petrenko", "Iryna Petrenko (Ev. Gemeinde zu Düren)"),
    ("cm.schmitz", "Lea Schmitz (SkF)"),
    ("cm.demir", "Kaan Demir (Stadt Düren)"),
    ("cm.wirtz", "Thomas Wirtz (Stadt Jülich)"),
)
EVERY_CASE_MANAGER = tuple(username for username, _name in CASE_MANAGERS)

# The keys of the bodies, in the order of ``services.BUILTIN_BODIES``.
BODY_KEYS = ("jour_fixe", "steering", "migration", "women", "social_work", "courses")
ORGANISERS = {"jour_fixe": "organiser", "steering": "admin", "migration": "organiser"}
MEMBERS = {
    "jour_fixe": ("staff", *EVERY_CASE_MANAGER),
    "steering": ("organiser",),  # not "staff": members only may read the steering group
    "migration": ("staff", "cm.yilmaz", "cm.hoffmann", "cm.brandt", "cm.demir", "cm.wirtz"),
    "women": ("cm.schmitz", "cm.haddad", "cm.petrenko", "cm.yilmaz"),
    "social_work": ("cm.brandt", "cm.demir", "cm.hoffmann", "cm.petrenko"),
    "courses": ("cm.hoffmann", "cm.wirtz"),
}
KREISHAUS = "Kreishaus Düren, Bismarckstr. 16"
LOCATIONS = {
    "jour_fixe": f"{KREISHAUS}, Sitzungsraum 1",
    "steering": f"{KREISHAUS}, Kleiner Sitzungssaal",
    "migration": "Dürener Integrationszentrum, Seminarraum",
}
RHYTHMS = {  # typed as a user would, read by rules.parse_rule
    "jour_fixe": "jeden 2. und 4. Dienstag, 10:00-12:00",
    "migration": "jeden ersten Mittwoch im März und September, 14:00-16:00",
    "migration_extra": "jeden Mittwoch, 14:00-16:00",
    "steering": "jeden Donnerstag, 14:00-16:00",
}
EVES = ("12-24", "12-31")  # no public holidays, but no meetings either
ONE_DAY = timedelta(days=1)


# --- agenda topics ----------------------------------------------------------------------


class Task(NamedTuple):
    text: str
    assignee: str  # a username, or the name of someone outside kimweb
    due_days: int  # after the meeting
    done: bool = False


class Topic(NamedTuple):
    """An agenda item. Topics proposed by someone other than the organiser go through the
    body's backlog first, from where the organiser takes them into the meeting."""

    title: str
    notes: str = ""  # Markdown minutes
    description: str | None = None
    presenter: str | None = None
    duration_min: int | None = None
    proposed_by: str = "organiser"
    guest: str | None = None  # part of an organisation's name: one of its contacts is invited
    information: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    tasks: tuple[Task, ...] = ()


# The past Jour fixe meetings, oldest first; the latest lines up with the last meeting.
PAST_JOUR_FIXE: tuple[tuple[Topic, ...], ...] = (
    (
        Topic(
            "Neue Regelungen zum Chancen-Aufenthaltsrecht",
            description="Übergang in ein Bleiberecht: was die Ausländerbehörde prüft und "
            "welche Unterlagen die Beratung vorbereiten kann.",
            presenter="Ausländerbehörde Kreis Düren",
            duration_min=45,
            guest="Ausländerbehörde",
            notes="Die Ausländerbehörde stellt den aktuellen Stand vor:\n\n"
            "- Wer eine Chancen-Aufenthaltserlaubnis hat, braucht vor deren Ablauf die "
            "Voraussetzungen für ein Bleiberecht nach **§ 25a oder § 25b AufenthG**.\n"
            "- Entscheidend sind Identitätsklärung, Sprachnachweis und die Sicherung des "
            "Lebensunterhalts.\n"
            "- Anträge sollten frühzeitig gestellt werden; die Bearbeitung dauert derzeit "
            "mehrere Wochen.\n\n"
            "**Diskussion:** Viele Ratsuchende kennen die Fristen nicht. Eine mehrsprachige "
            "Übersicht der Voraussetzungen wäre hilfreich.",
            information=(
                "Die Ausländerbehörde nennt dem Case-Management eine feste Ansprechperson "
                "für Rückfragen zum Bleiberecht.",
            ),
            tasks=(
                Task(
                    "Mehrsprachige Übersicht der Voraussetzungen für ein Bleiberecht erstellen",
                    "staff",
                    28,
                    done=True,
                ),
            ),
        ),
        Topic(
            "Dolmetschen in der Beratung: Erfahrungen und Lücken",
            proposed_by="cm.haddad",
            duration_min=30,
            notes="- Für Arabisch und Türkisch gibt es ehrenamtliche Sprachmittler*innen, "
            "für Farsi, Tigrinya und Ukrainisch oft nicht.\n"
            "- Telefondolmetschen wird bei den Trägern unterschiedlich bezahlt.\n"
            "- Psychosoziale Gespräche brauchen geschulte Dolmetscher*innen.\n\n"
            "Die Bedarfe werden gesammelt und als Bedarf an die Koordination gegeben.",
            tasks=(
                Task(
                    "Bedarfe an Sprachmittlung je Träger und Sprache zusammenstellen",
                    "cm.haddad",
                    14,
                    done=True,
                ),
            ),
        ),
    ),
    (
        Topic(
            "Vorstellung der Migrationsberatung des job-com",
            description="Das Team Zuwanderung stellt Zuständigkeiten und Wege der "
            "Zusammenarbeit vor.",
            presenter="job-com Kreis Düren, Team Zuwanderung",
            duration_min=45,
            guest="job-com",
            notes="Das Team Zuwanderung des job-com stellt sich vor:\n\n"
            "- Zuständig für Leistungsberechtigte mit Fluchtgeschichte, besonders im ersten "
            "Jahr nach der Anerkennung.\n"
            "- Gemeinsame Termine von Case-Management und Integrationsfachkraft sind nach "
            "Absprache möglich.\n"
            "- Unterlagen können auch über das Online-Postfach eingereicht werden.\n\n"
            "Rückfragen des Case-Managements laufen über die Teamleitung.",
            decisions=(
                "Case-Management und Team Zuwanderung tauschen sich einmal im Quartal aus.",
            ),
            tasks=(
                Task(
                    "Termin für den ersten Quartalsaustausch mit dem job-com abstimmen",
                    "organiser",
                    21,
                    done=True,
                ),
                Task(
                    "Ansprechpersonen des Teams Zuwanderung im Adressbuch aktualisieren",
                    "staff",
                    7,
                    done=True,
                ),
            ),
        ),
        Topic(
            "Statistik für den Sachbericht KIM",
            presenter="Kommunales Integrationszentrum",
            duration_min=20,
            notes="Für den Sachbericht an das Land werden die Fallzahlen je Träger und "
            "Handlungsfeld gebraucht. Die Vorlage ist gegenüber dem Vorjahr unverändert.",
            information=(
                "Die Vorlage für die Statistik liegt im Austauschordner der Koordination.",
            ),
            tasks=(
                Task(
                    "Fallzahlen des Halbjahres an die Koordination melden",
                    "cm.brandt",
                    14,
                    done=True,
                ),
                Task(
                    "Fallzahlen des Halbjahres an die Koordination melden",
                    "cm.yilmaz",
                    14,
                    done=True,
                ),
            ),
        ),
    ),
    (
        Topic(
            "Wohnraumsituation in Jülich",
            proposed_by="cm.wirtz",
            presenter="Thomas Wirtz (Stadt Jülich)",
            duration_min=40,
            notes="- Anerkannte Geflüchtete bleiben oft lange in Gemeinschaftsunterkünften, "
            "weil bezahlbare Wohnungen fehlen.\n"
            "- Große Familien und Alleinstehende finden besonders schwer eine Wohnung.\n"
            "- Die Stadt Jülich spricht mit Wohnungsbaugesellschaften über ein festes "
            "Kontingent.\n\n"
            "Aus Inden und Niederzier wird Ähnliches berichtet.",
            information=(
                "Die Stadt Jülich berichtet im Jour fixe über die Gespräche mit den "
                "Wohnungsbaugesellschaften.",
            ),
            tasks=(
                Task(
                    "Ansprechpersonen der Wohnungsbaugesellschaften im Nordkreis ins "
                    "Adressbuch aufnehmen",
                    "cm.wirtz",
                    21,
                ),
            ),
        ),
        Topic(
            "Fortbildungen im kommenden Halbjahr",
            presenter="Kommunales Integrationszentrum",
            duration_min=15,
            notes="Geplant sind die Fortbildungen *Traumasensible Beratung* und "
            "*Aufenthaltsrecht kompakt*. Anmeldungen über die Koordination.",
            information=(
                "Die Fortbildung „Traumasensible Beratung“ ist für alle Case-Manager*innen offen.",
            ),
        ),
    ),
    (
        Topic(
            "Sprachkurse für Frauen mit Kinderbetreuung",
            proposed_by="cm.schmitz",
            presenter="Volkshochschule Rur-Eifel",
            duration_min=40,
            guest="Volkshochschule Rur-Eifel",
            notes="- Die VHS Rur-Eifel bietet in Düren einen Integrationskurs mit "
            "Kinderbeaufsichtigung an; die Plätze sind belegt.\n"
            "- Im Nordkreis gibt es derzeit kein solches Angebot.\n"
            "- Frauen mit kleinen Kindern brechen Kurse häufiger ab oder beginnen sie gar "
            "nicht.",
            information=(
                "Der Bedarf ist im Arbeitskreis „Migration“ gemeldet; die "
                "Wartelisten sollen ihn belegen.",
            ),
            tasks=(
                Task(
                    "Wartelisten der Kurse mit Kinderbeaufsichtigung bei den Kursträgern erfragen",
                    "cm.schmitz",
                    21,
                    done=True,
                ),
            ),
        ),
        Topic(
            "Psychosoziale Beratung: Wartezeiten und Zuständigkeit",
            proposed_by="cm.haddad",
            duration_min=30,
            notes="- Die psychosoziale Beratung im KIM ist nur für Einwohner*innen von "
            "Düren, Heimbach, Nideggen, Kreuzau, Hürtgenwald und Vettweiß da.\n"
            "- Aus dem Nordkreis kommen regelmäßig Anfragen, die nicht angenommen werden "
            "können.\n"
            "- Die Wartezeit beträgt derzeit etwa sechs Wochen.",
            decisions=(
                "Der Bedarf „Psychosoziale Beratung im Nordkreis“ wird an die "
                "Koordination gegeben.",
            ),
            tasks=(
                Task(
                    "Abgewiesene Anfragen aus dem Nordkreis drei Monate lang zählen (ohne Namen)",
                    "cm.haddad",
                    90,
                ),
            ),
        ),
    ),
    (
        Topic(
            "Anerkennung ausländischer Berufsabschlüsse",
            description="Die Beratungsstelle stellt Verfahren, Kosten und Förderung vor.",
            presenter="Beratungsstelle Anerkennung und Qualifizierung Düren",
            duration_min=45,
            guest="Anerkennung",
            notes="- Erste Anlaufstelle für alle Berufe, auch für nicht reglementierte.\n"
            "- Kosten der Anerkennung können über das job-com oder die Agentur für Arbeit "
            "gefördert werden.\n"
            "- Übersetzungen der Zeugnisse sind oft der längste Schritt.",
            information=(
                "Die Beratungsstelle bietet eine offene Sprechstunde im Dürener "
                "Integrationszentrum an.",
            ),
            tasks=(
                Task(
                    "Informationsblatt der Beratungsstelle an alle Träger weitergeben",
                    "cm.hoffmann",
                    14,
                    done=True,
                ),
            ),
        ),
        Topic(
            "Wartezeiten bei den Fachberatungsstellen",
            proposed_by="staff",
            duration_min=20,
            notes="Mehrere Träger berichten von langen Wartezeiten bei Schuldnerberatung "
            "und Suchtberatung. Eine Übersicht soll zeigen, wo Verweise gerade schnell "
            "möglich sind.",
            tasks=(
                Task(
                    "Übersicht der Wartezeiten bei den Fachberatungsstellen zusammenstellen",
                    "staff",
                    28,
                ),
            ),
        ),
    ),
    (
        Topic(
            "Einbürgerung: Antragsverfahren und Bearbeitungszeiten",
            presenter="Einbürgerungsbehörde Kreis Düren",
            duration_min=45,
            guest="Einbürgerungsbehörde",
            notes="- Anträge werden online gestellt; Unterlagen können nachgereicht werden.\n"
            "- Die Bearbeitung dauert derzeit mehrere Monate.\n"
            "- Häufig fehlen der Sprachnachweis (B1) oder das Zertifikat des "
            "Einbürgerungstests.",
            information=(
                "Die Checkliste der Einbürgerungsbehörde wird mit dem Protokoll verschickt.",
            ),
            tasks=(
                Task(
                    "Termine der Einbürgerungstests bei den Volkshochschulen zusammenstellen",
                    "staff",
                    21,
                ),
                Task(
                    "Checkliste der Unterlagen in einfacher Sprache vorschlagen",
                    "Einbürgerungsbehörde",
                    42,
                ),
            ),
        ),
        Topic(
            "Übergänge Schule–Beruf für junge Zugewanderte",
            proposed_by="cm.demir",
            duration_min=30,
            notes="Junge Menschen über 18 fallen oft zwischen Schulpflicht und Ausbildung. "
            "Angebote von Jugendmigrationsdienst, Berufsberatung und Berufskollegs sind "
            "wenig bekannt.",
            decisions=("Der Jugendmigrationsdienst wird zum nächsten Jour fixe eingeladen.",),
            tasks=(
                Task(
                    "Angebote von Jugendmigrationsdienst und Berufsberatung gegenüberstellen",
                    "cm.demir",
                    28,
                ),
            ),
        ),
    ),
)

# The next two Jour fixe meetings get these published agendas; the third a draft.
UPCOMING_JOUR_FIXE: tuple[tuple[Topic, ...], ...] = (
    (
        Topic(
            "Vorstellung des Jugendmigrationsdienstes",
            description="Angebote für junge Zugewanderte bis 27 Jahre und Wege der Zusammenarbeit.",
            presenter="Jugendmigrationsdienst Düren",
            duration_min=40,
            guest="Jugendmigrationsdienst",
        ),
        Topic(
            "Arbeitsmarktzugang für Geflüchtete aus der Ukraine",
            description="Erfahrungen aus der Beratung: Anerkennung, Sprachkurse, Kinderbetreuung.",
            proposed_by="cm.petrenko",
            duration_min=30,
        ),
        Topic("Informationen aus dem Kommunalen Integrationszentrum", duration_min=15),
    ),
    (
        Topic(
            "Digitale Terminvergabe der Ausländerbehörde",
            description="Wie Ratsuchende ohne eigene E-Mail-Adresse einen Termin bekommen.",
            proposed_by="staff",
            duration_min=30,
            guest="Ausländerbehörde",
        ),
        Topic(
            "Beratung in Gemeinschaftsunterkünften: Absprachen zwischen den Trägern",
            proposed_by="cm.brandt",
            duration_min=40,
        ),
        Topic("Bericht aus dem Arbeitskreis „Migration“", duration_min=15),
    ),
    (Topic("Planung eines Fachtags Integration im Kreis Düren", duration_min=30),),
)

# Proposed topics that stay in the Jour fixe backlog.
JOUR_FIXE_BACKLOG = (
    Topic(
        "Gesundheitsversorgung von Menschen ohne Krankenversicherung",
        description="Welche Wege gibt es im Kreis, wer berät?",
        proposed_by="cm.demir",
    ),
    Topic("Mehrsprachige Informationsblätter zum KIM aktualisieren", proposed_by="staff"),
    Topic("Zusammenarbeit mit den Integrationsräten", proposed_by="cm.wirtz"),
)

PAST_MIGRATION = (
    Topic(
        "Kinderbetreuung während der Sprachkurse im Nordkreis",
        proposed_by="cm.yilmaz",
        duration_min=30,
        notes="In Jülich, Linnich, Titz und Aldenhoven gibt es keinen Integrationskurs mit "
        "Kinderbeaufsichtigung. Die Träger sehen hier eine Lücke, besonders für Mütter "
        "kleiner Kinder.",
        tasks=(
            Task(
                "Zahl der Frauen auf Wartelisten bei den Kursträgern im Nordkreis erfragen",
                "staff",
                42,
            ),
        ),
    ),
    Topic(
        "Erreichbarkeit der Beratung im Südkreis",
        proposed_by="cm.brandt",
        duration_min=30,
        notes="Aus Heimbach, Nideggen und Hürtgenwald ist die Beratung in Düren mit Bus "
        "und Bahn schwer zu erreichen. Eine mobile Sprechstunde im Rathaus könnte helfen.",
        decisions=("Der Arbeitskreis meldet eine mobile Sprechstunde im Südkreis als Bedarf.",),
        tasks=(
            Task(
                "Räume in den Rathäusern Heimbach und Nideggen anfragen", "cm.brandt", 21, done=True
            ),
        ),
    ),
    Topic(
        "Fahrtkosten zu Integrationskursen",
        proposed_by="cm.hoffmann",
        duration_min=20,
        notes="Teilnehmende aus kleinen Orten nennen die Fahrtkosten als Grund, einen Kurs "
        "nicht zu besuchen.",
        information=(
            "Das BAMF gewährt unter Voraussetzungen einen Fahrtkostenzuschuss; "
            "die Kursträger beraten dazu.",
        ),
    ),
)
NEXT_MIGRATION = (Topic("Rückmeldung der Lenkungsgruppe zu den gemeldeten Bedarfen"),)

PAST_STEERING = (
    Topic(
        "Bericht der Koordination zum Case-Management",
        presenter="Olaf Organisator (KI)",
        duration_min=30,
        notes="- Acht Case-Manager*innen bei fünf Trägern und drei Kommunen.\n"
        "- Schwerpunkte der Beratung: Aufenthaltssicherung, Wohnen, Zugang zu Arbeit.\n"
        "- Die Zusammenarbeit mit dem job-com ist durch einen Quartalsaustausch verstetigt.",
        information=("Der Sachbericht an das Land geht fristgerecht ein.",),
    ),
)
NEXT_STEERING = (
    Topic(
        "Finanzierungskonzept für den Dolmetschpool",
        presenter="Olaf Organisator (KI)",
        duration_min=30,
    ),
)
STEERING_ITEM_NOTES = (
    "Die Koordination stellt den Bedarf vor, wie er aus dem Case-Management und den "
    "Arbeitskreisen gemeldet wurde. Die Mitglieder der Lenkungsgruppe beraten."
)


# --- needs ------------------------------------------------------------------------------


class NeedSpec(NamedTuple):
    """A need raised from the item ``source`` (a topic title) and moved on to ``status``.
    Decided needs were submitted to the last steering group meeting, which decided them."""

    status: str
    title: str
    description: str
    target_groups: str
    municipalities: tuple[str, ...]
    source: str
    raised_by: str
    decision: str | None = None
    tasks: tuple[Task, ...] = ()  # given with the decision
    closing_note: str | None = None


NEEDS = (
    NeedSpec(
        "raised",
        "Kinderbetreuung während der Integrationskurse im Nordkreis",
        "Im Nordkreis gibt es keinen Integrationskurs mit Kinderbeaufsichtigung; Mütter "
        "kleiner Kinder beginnen Kurse später oder brechen sie ab.",
        "Frauen mit kleinen Kindern, Teilnehmende an Integrationskursen",
        ("Jülich", "Linnich", "Titz", "Aldenhoven"),
        "Kinderbetreuung während der Sprachkurse im Nordkreis",
        "cm.yilmaz",
    ),
    NeedSpec(
        "in_coordination",
        "Bezahlbarer Wohnraum für anerkannte Geflüchtete",
        "Anerkannte Geflüchtete bleiben lange in Gemeinschaftsunterkünften, weil "
        "bezahlbare Wohnungen fehlen, besonders für große Familien und Alleinstehende.",
        "Anerkannte Geflüchtete, große Familien, Alleinstehende",
        ("Jülich", "Inden", "Niederzier"),
        "Wohnraumsituation in Jülich",
        "cm.wirtz",
    ),
    NeedSpec(
        "submitted",
        "Psychosoziale Beratung im Nordkreis",
        "Die psychosoziale Beratung im KIM ist auf sechs Kommunen beschränkt; Anfragen "
        "aus dem Nordkreis müssen abgewiesen werden.",
        "Erwachsene mit Fluchterfahrung und psychischer Belastung",
        ("Jülich", "Linnich", "Aldenhoven", "Titz", "Inden", "Niederzier"),
        "Psychosoziale Beratung: Wartezeiten und Zuständigkeit",
        "cm.haddad",
    ),
    NeedSpec(
        "decided",
        "Kreisweiter Dolmetschpool für Beratungsgespräche",
        "Für Farsi, Tigrinya und Ukrainisch fehlen Sprachmittler*innen; Telefondolmetschen "
        "wird bei den Trägern unterschiedlich bezahlt.",
        "Ratsuchende mit geringen Deutschkenntnissen",
        ("Düren", "Kreuzau", "Nörvenich", "Vettweiß", "Merzenich"),
        "Dolmetschen in der Beratung: Erfahrungen und Lücken",
        "cm.haddad",
        decision="Die Lenkungsgruppe befürwortet einen kreisweiten Dolmetschpool. Die "
        "Koordination legt zur nächsten Sitzung ein Finanzierungskonzept vor.",
        tasks=(
            Task("Finanzierungskonzept für den Dolmetschpool vorlegen", "organiser", 70),
            Task("Bedarf an Sprachmittlung je Sprache beziffern", "cm.haddad", 28, done=True),
        ),
    ),
    NeedSpec(
        "closed",
        "Mobile Sprechstunde im Südkreis",
        "Die Beratung in Düren ist aus Heimbach, Nideggen und Hürtgenwald mit Bus und Bahn "
        "schwer zu erreichen.",
        "Neu Zugewanderte ohne Auto, Familien",
        ("Heimbach", "Nideggen", "Hürtgenwald"),
        "Erreichbarkeit der Beratung im Südkreis",
        "cm.brandt",
        decision="Zustimmung: Das Case-Management bietet einmal im Monat eine mobile "
        "Sprechstunde in den Rathäusern Heimbach und Nideggen an.",
        closing_note="Umgesetzt: Die mobile Sprechstunde findet monatlich statt.",
    ),
    NeedSpec(
        "closed",
        "Fahrtkosten zu Integrationskursen",
        "Teilnehmende aus kleinen Orten nennen die Fahrtkosten als Grund, einen Kurs nicht "
        "zu besuchen.",
        "Teilnehmende an Integrationskursen",
        ("Titz", "Linnich", "Vettweiß"),
        "Fahrtkosten zu Integrationskursen",
        "cm.hoffmann",
        closing_note="Kein neuer Bedarf: Der Fahrtkostenzuschuss des BAMF deckt das ab; "
        "die Kursträger beraten dazu.",
    ),
)
COORDINATION_NOTE = "Die Koordination klärt Umfang und Zuständigkeiten mit den Trägern."
SUBMISSION_NOTE = "Zur Entscheidung an die Lenkungsgruppe."


# --- seeding ----------------------------------------------------------------------------


@dataclass
class Seed:
    people: dict[str, User]
    today: date
    now: datetime


def seed_meetings(users: list[User], today: date | None = None) -> None:
    """Bodies with members, meetings past and coming, tasks and needs. ``users`` are the
    demo logins (admin, organiser, staff); case managers are added."""
    now = (
        services.now_in_berlin()
        if today is None
        else datetime.combine(today, time(0), tzinfo=BERLIN)
    )
    people = {user.username: user for user in users}
    people.update({user.username: user for user in add_case_managers(users[0])})
    seed = Seed(people, now.date(), now)
    bodies = dict(zip(BODY_KEYS, services.ensure_bodies(), strict=True))
    set_members(bodies, people)
    items = seed_jour_fixe(bodies["jour_fixe"], seed)
    items |= seed_migration(bodies["migration"], seed)
    past_steering, next_steering = seed_steering_meetings(bodies["steering"], seed)
    for spec in NEEDS:
        seed_need(spec, items[spec.source], past_steering, seed)
    finish_steering(past_steering, next_steering, seed)


def add_case_managers(template: User) -> list[User]:
    """The case managers, who sign in with the demo password of ``template``: its hash is
    copied, as hashing it (scrypt) eight more times would double the time of seed-demo."""
    users = [
        User(
            username=username,
            email=f"{username}@kimweb.example",
            display_name=name,
            role="staff",
            password_hash=template.password_hash,
        )
        for username, name in CASE_MANAGERS
    ]
    db.session.add_all(users)
    db.session.commit()
    return users


def set_members(bodies: dict[str, Body], people: dict[str, User]) -> None:
    for key, body in bodies.items():
        if key in ORGANISERS:
            services.set_membership(body, people[ORGANISERS[key]], "organiser")
        for username in MEMBERS[key]:
            services.set_membership(body, people[username], "member")


def first_workday(rhythm: str, day: date) -> tuple[datetime, datetime]:
    """Start and end of the first meeting of ``rhythm`` on or after ``day``, not on a
    public holiday nor on Christmas Eve or New Year's Eve."""
    rule = rules.parse_rule(rhythm, today=day)
    dates = rules.expand(rule, day, day, day + timedelta(days=60))
    free = next(o.day for o in dates if not o.holiday and o.day.strftime("%m-%d") not in EVES)
    return meeting_times(free, rule)


def meeting_times(day: date, rule: rules.Rule) -> tuple[datetime, datetime]:
    return (
        datetime.combine(day, rule.start_time, tzinfo=BERLIN),
        datetime.combine(day, rule.end_time, tzinfo=BERLIN),
    )


# --- the Jour fixe ----------------------------------------------------------------------


def seed_jour_fixe(body: Body, seed: Seed) -> dict[str, AgendaItem]:
    """Past meetings held and minuted, the series from today on, the next agendas."""
    rhythm, location = RHYTHMS["jour_fixe"], LOCATIONS["jour_fixe"]
    rule = rules.parse_rule(rhythm, today=seed.today)
    first = seed.today - timedelta(days=120)
    services.save_series(body, rule, rhythm, first, None, location, seed.today)

    # The series makes meetings from today on; the past ones (about three months, one
    # topic set each) are made one by one on the dates of the rule, holidays skipped.
    yesterday = seed.today - ONE_DAY
    past_days = [o.day for o in rules.expand(rule, first, first, yesterday) if not o.holiday]
    items: dict[str, AgendaItem] = {}
    meetings: list[Meeting] = []
    for day, topics in zip(past_days[-len(PAST_JOUR_FIXE) :], PAST_JOUR_FIXE, strict=True):
        meeting = services.create_meeting(body, *meeting_times(day, rule), location)
        items |= hold_meeting(meeting, topics, seed, previous=meetings[-1] if meetings else None)
        meetings.append(meeting)
    # Approved at the next meeting and locked some weeks later; the latest is circulated,
    # for the next meeting to approve.
    for meeting in meetings[:-1]:
        is_old = meeting.starts.date() < seed.today - timedelta(days=42)
        actions = ("circulate", "approve", "lock") if is_old else ("circulate", "approve")
        change_minutes(meeting, actions, seed.people["organiser"])
    change_minutes(meetings[-1], ("circulate",), seed.people["organiser"])

    plan_jour_fixe(body, seed)
    return items


def plan_jour_fixe(body: Body, seed: Seed) -> None:
    """The next meetings' agendas (two published, one draft) and the backlog left."""
    meeting = services.next_meeting(body, seed.now)
    for index, topics in enumerate(UPCOMING_JOUR_FIXE):
        if meeting is None:
            break
        for topic in topics:
            item = put_on_agenda(meeting, topic, seed)
            invite_guest(meeting, item, topic)
        if index < 2:
            services.publish(meeting)
        meeting = services.next_meeting(body, meeting.starts)
    for topic in JOUR_FIXE_BACKLOG:
        propose(body, topic, seed)


# --- the working group "Migration" ------------------------------------------------------


def seed_migration(body: Body, seed: Seed) -> dict[str, AgendaItem]:
    """One past meeting about two months ago, the series of two meetings a year."""
    start, end = first_workday(RHYTHMS["migration_extra"], seed.today - timedelta(days=63))
    meeting = services.create_meeting(body, start, end, LOCATIONS["migration"])
    items = hold_meeting(meeting, PAST_MIGRATION, seed)
    change_minutes(meeting, ("circulate", "approve"), seed.people["organiser"])

    rhythm = RHYTHMS["migration"]
    rule = rules.parse_rule(rhythm, today=seed.today)
    services.save_series(body, rule, rhythm, start.date(), None, LOCATIONS["migration"], seed.today)
    coming = services.next_meeting(body, seed.now)
    if coming is not None:
        for topic in NEXT_MIGRATION:
            put_on_agenda(coming, topic, seed)
    return items


# --- the steering group -----------------------------------------------------------------


def seed_steering_meetings(body: Body, seed: Seed) -> tuple[Meeting, Meeting]:
    """The last meeting (about six weeks ago) and the next one (in about four weeks)."""
    location, admin = LOCATIONS["steering"], seed.people["admin"]
    past = services.create_meeting(
        body, *first_workday(RHYTHMS["steering"], seed.today - timedelta(days=45)), location
    )
    for topic in PAST_STEERING:
        item = put_on_agenda(past, topic, seed, organiser="admin")
        write_minutes(item, topic, past.starts.date(), seed, admin)
    coming = services.create_meeting(
        body, *first_workday(RHYTHMS["steering"], seed.today + timedelta(days=24)), location
    )
    for topic in NEXT_STEERING:
        put_on_agenda(coming, topic, seed, organiser="admin")
    return past, coming


def finish_steering(past: Meeting, coming: Meeting, seed: Seed) -> None:
    """Once the needs are on them: the last meeting minuted, the next agenda published."""
    admin = seed.people["admin"]
    services.publish(past)
    record_attendance(past, 0)
    change_minutes(past, ("circulate", "approve"), admin)
    services.publish(coming)


# --- needs ------------------------------------------------------------------------------


def seed_need(spec: NeedSpec, source: AgendaItem, past_steering: Meeting, seed: Seed) -> Need:
    """Raise the need from ``source`` and move it on, step by step, to ``spec.status``."""
    organiser = seed.people["organiser"]
    data = {
        "title": spec.title,
        "description": spec.description,
        "target_groups": spec.target_groups,
        "municipalities": list(spec.municipalities),
    }
    need = services.raise_need(data, source.body, seed.people[spec.raised_by], source)
    if spec.status == "closed" and spec.decision is None:
        path: tuple[str, ...] = ("closed",)
    else:
        path = NEED_STATES[1 : NEED_STATES.index(spec.status) + 1]
    for status in path:
        if status == "in_coordination":
            services.change_need(need, status, COORDINATION_NOTE, organiser, seed.now)
        elif status == "submitted":
            # Needs decided since went to the last meeting: submitted a week before it.
            when = past_steering.starts - timedelta(days=7) if spec.decision else seed.now
            services.change_need(need, status, SUBMISSION_NOTE, organiser, when)
        elif status == "decided":
            decide(need, spec, seed)
        else:
            services.change_need(need, status, spec.closing_note, organiser, seed.now)
    return need


def decide(need: Need, spec: NeedSpec, seed: Seed) -> None:
    """The steering group's decision, recorded as a decision on the need's item."""
    item, admin = need.steering_item, seed.people["admin"]
    if item is None or item.meeting is None:
        raise RuntimeError("a submitted need has a steering item with a meeting")
    services.save_notes(item, item.version, STEERING_ITEM_NOTES, admin)
    services.add_outcome(item, {"kind": "decision", "text": spec.decision or ""}, admin)
    for task in spec.tasks:
        add_task(item, task, item.meeting.starts.date(), seed, admin)


# --- meetings held ----------------------------------------------------------------------


def hold_meeting(
    meeting: Meeting, topics: tuple[Topic, ...], seed: Seed, previous: Meeting | None = None
) -> dict[str, AgendaItem]:
    """Agenda published, guests invited, minutes written, attendance recorded."""
    organiser = seed.people["organiser"]
    items = {}
    for topic in topics:
        item = put_on_agenda(meeting, topic, seed)
        invite_guest(meeting, item, topic)
        items[topic.title] = item
    services.publish(meeting)
    day = meeting.starts.date()
    if previous is not None:
        approval = meeting.items[0]
        text = f"Das Protokoll der Sitzung vom {previous.starts:%d.%m.%Y} wird genehmigt."
        services.save_notes(approval, approval.version, text, organiser)
    for topic in topics:
        write_minutes(items[topic.title], topic, day, seed, organiser)
    record_attendance(meeting, day.toordinal())
    return items


def put_on_agenda(
    meeting: Meeting, topic: Topic, seed: Seed, organiser: str = "organiser"
) -> AgendaItem:
    if topic.proposed_by == organiser:
        return services.add_item(meeting, seed.people[organiser], item_data(topic))
    item = propose(meeting.body, topic, seed)
    services.take_into_meeting(item, meeting)
    return item


def propose(body: Body, topic: Topic, seed: Seed) -> AgendaItem:
    return services.propose_topic(body, seed.people[topic.proposed_by], item_data(topic))


def item_data(topic: Topic) -> dict[str, object]:
    return {name: getattr(topic, name) for name in services.ITEM_FIELDS}


def invite_guest(meeting: Meeting, item: AgendaItem, topic: Topic) -> None:
    contact = find_contact(topic.guest) if topic.guest else None
    if contact is not None:
        services.invite_contact(meeting, contact, item)


def find_contact(organisation: str) -> Contact | None:
    """A person (rather than a function mailbox) of the first organisation whose name
    contains ``organisation``; any contact if there is none."""
    current = (
        sa.select(Contact)
        .join(Organisation)
        .where(Contact.archived_at.is_(None), Organisation.archived_at.is_(None))
    )
    order = (Contact.is_publishable, Organisation.id, Contact.id)
    return db.session.scalar(
        current.where(Organisation.name.contains(organisation)).order_by(*order).limit(1)
    ) or db.session.scalar(current.order_by(*order).limit(1))


def write_minutes(item: AgendaItem, topic: Topic, day: date, seed: Seed, author: User) -> None:
    if topic.notes:
        services.save_notes(item, item.version, topic.notes, author)
    for text in topic.information:
        services.add_outcome(item, {"kind": "information", "text": text}, author)
    for text in topic.decisions:
        services.add_outcome(item, {"kind": "decision", "text": text}, author)
    for task in topic.tasks:
        add_task(item, task, day, seed, author)


def add_task(item: AgendaItem, task: Task, day: date, seed: Seed, author: User) -> None:
    assignee = seed.people.get(task.assignee)
    data = {
        "kind": "task",
        "text": task.text,
        "assignee_id": assignee.id if assignee else None,
        "assignee_name": None if assignee else task.assignee,
        "due_date": day + timedelta(days=task.due_days),
    }
    outcome = services.add_outcome(item, data, author)
    if task.done:
        services.set_task_status(outcome, True)
        # Done a few days before it was due rather than at seeding time, so that the
        # meetings in between show it carried over until it was done.
        done_day = min(day + timedelta(days=max(1, task.due_days - 3)), seed.today - ONE_DAY)
        outcome.done_at = services.at(done_day, time(17))
        db.session.commit()


def record_attendance(meeting: Meeting, number: int) -> None:
    """Most members present, a few excused, now and then one absent; guests present."""
    turns = {3: "excused", 5: "absent"}
    statuses = {
        membership.user_id: turns.get((index + number) % 7, "present")
        for index, (membership, _status) in enumerate(services.attendance(meeting))
    }
    services.record_attendance(meeting, statuses, [guest.id for guest in meeting.guests])


def change_minutes(meeting: Meeting, actions: tuple[str, ...], user: User) -> None:
    for action in actions:
        services.change_minutes_state(meeting, action, user)
