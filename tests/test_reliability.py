"""Reliability under a real gunicorn with two workers (on SQLite and on PostgreSQL).

1. Many signed-in writers at once: every POST of a valid form is answered with its
   redirect, no "database is locked" reaches a user or the error log, and every answered
   POST stored exactly one row.
2. A worker stopped with SIGTERM in the middle of a load loses no request: it finishes
   the one it is serving, the other worker and the master's replacement serve the rest.

The server is the ``gunicorn`` fixture of tests/test_gunicorn.py (sign-in counter in the
database); ``GUNICORN_CMD_ARGS`` adds a pid file and an error log (with the app's output)
to it. The load comes from tests/loadgen.py, without retries. The machine is noisy:
nothing here asserts a time.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from tests.conftest import PASSWORD
from tests.loadgen import (
    TIMEOUT,
    access_log_pids,
    alive,
    browser,
    read_load,
    sign_in,
    token_in,
    wait_for_workers,
)
from tests.test_gunicorn import gunicorn  # noqa: F401 - the fixture

WRITERS = 16
WRITE_SECONDS = 6.0
READERS = 8
READ_SECONDS = 8.0
PUBLIC = "/consultations/"
STAFF = ("/directory/?q=beratung", "/calendar/")
TROUBLE = re.compile(r"database is locked|OperationalError|Traceback|deadlock", re.IGNORECASE)


@pytest.fixture(autouse=True)
def gunicorn_files(monkeypatch, tmp_path) -> tuple[Path, Path]:
    """A pid file and an error log for the gunicorn fixture (set before it starts):
    gunicorn reads further options from GUNICORN_CMD_ARGS. ``--capture-output`` puts the
    app's own log (tracebacks of 500s included) into the error log."""
    pid_file, error_log = tmp_path / "gunicorn.pid", tmp_path / "error.log"
    given = os.environ.get("GUNICORN_CMD_ARGS", "")  # kept, e.g. to try another wsgi module
    monkeypatch.setenv(
        "GUNICORN_CMD_ARGS",
        f"{given} --pid {pid_file} --error-logfile {error_log} --capture-output".strip(),
    )
    return pid_file, error_log


@dataclass(frozen=True)
class Server:
    base: str
    access_log: Path
    error_log: Path
    master: int
    workers: list[int]


@pytest.fixture
def server(gunicorn, gunicorn_files) -> Server:  # noqa: F811 - the imported fixture
    """The gunicorn of tests/test_gunicorn.py (sign-in counter in the database) with its
    master and both workers up."""
    base, access_log = gunicorn
    pid_file, error_log = gunicorn_files
    master = int(pid_file.read_text())
    return Server(base, access_log, error_log, master, wait_for_workers(master, 2, seconds=60))


# --- 1. concurrent writers --------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    kind: str  # organisation, contact, event, notes
    key: str  # the unique name, title or text sent
    status: int | None  # None: no HTTP answer
    location: str = ""
    detail: str = ""  # the error, or the start of an unexpected answer

    @property
    def ok(self) -> bool:
        return self.status == 302


def post(browser: requests.Session, url: str, kind: str, data: dict) -> Write:
    key = data.get("name") or data.get("title") or data["notes"]
    try:
        answer = browser.post(url, data=data, allow_redirects=False, timeout=TIMEOUT)
    except requests.RequestException as error:
        return Write(kind, key, None, detail=f"{type(error).__name__}: {error}")
    detail = "" if answer.status_code == 302 else answer.text[:300]
    return Write(kind, key, answer.status_code, answer.headers.get("Location", ""), detail)


def forms(token: str, tag: str, day: date) -> dict[str, dict]:
    """Valid input of each form, with names unique to ``tag``."""
    return {
        "organisation": {
            "csrf_token": token, "name": f"Last Beratung {tag}", "kind": "counselling",
            "street": "Bismarckstr. 16", "postal_code": "52351", "town": "Düren",
            "municipalities": ["Düren"], "languages": ["de", "tr"], "notes": "Lasttest",
        },
        "contact": {
            "csrf_token": token, "name": f"Last Person {tag}", "function": "Beratung",
            "email": f"{tag.lower()}@example.org", "languages": ["de"],
        },
        "event": {
            "csrf_token": token, "title": f"Last Termin {tag}", "category": "event",
            "start_date": day.isoformat(), "start_time": "10:00", "end_time": "11:30",
            "location": "Kreishaus", "frequency": "none", "interval": "1", "nth": "1",
            "nth_weekday": "0", "ends": "never",
        },
        "notes": {"csrf_token": token, "notes": f"Notiz {tag}"},
    }  # fmt: skip


def write_for(
    base: str, browser: requests.Session, token: str, writer: int, item_id: int, deadline: float
) -> list[Write]:
    """Valid forms, in turn until the deadline: an organisation, a contact person of it,
    an event, the notes of the writer's own agenda item (versioned, nobody else's)."""
    done: list[Write] = []
    version, number = 0, 0
    day = date.today() + timedelta(days=30)
    while time.monotonic() < deadline:
        number += 1
        data = forms(token, f"W{writer:02d}-{number:04d}", day)
        org = post(
            browser, f"{base}/directory/organisations/new", "organisation", data["organisation"]
        )
        done.append(org)
        match = re.search(r"/directory/organisations/(\d+)$", org.location)
        if match and time.monotonic() < deadline:
            contact = data["contact"] | {"organisation_id": match.group(1)}
            done.append(post(browser, f"{base}/directory/contacts/new", "contact", contact))
        if time.monotonic() < deadline:
            done.append(post(browser, f"{base}/calendar/events/new", "event", data["event"]))
        if time.monotonic() < deadline:
            notes = data["notes"] | {"version": str(version)}
            done.append(post(browser, f"{base}/meetings/items/{item_id}/notes", "notes", notes))
            if done[-1].ok:
                version += 1
    return done


def meeting_items(app, users) -> list[int]:
    """A meeting of the Jour fixe with one agenda item per writer; every writer organises
    the body, so each may write the minutes."""
    from kimweb.auth.models import User
    from kimweb.extensions import db
    from kimweb.meetings import services as meetings

    with app.app_context():
        people = [db.session.get(User, user.id) for user in users]
        jour_fixe = meetings.ensure_bodies()[0]
        for person in people:
            meetings.set_membership(jour_fixe, person, "organiser")
        start = datetime.combine(
            meetings.now_in_berlin().date() + timedelta(days=7), clock(10), meetings.BERLIN
        )
        meeting = meetings.create_meeting(jour_fixe, start, start + timedelta(hours=2), None)
        items = [
            meetings.add_item(meeting, person, {"title": f"Punkt {n}", "duration_min": 10}).id
            for n, person in enumerate(people)
        ]
        db.session.remove()
    return items


@dataclass
class Stored:
    """What the database holds after the load."""

    rows: dict[str, Counter]  # per kind: how often each name, title or notes text is there
    ids: dict[tuple[str, str], int]  # (kind, name or title) -> id of the row
    versions: dict[int, int]  # agenda item -> version of its notes


def stored(app, items: list[int]) -> Stored:
    from kimweb.calendar.models import Event
    from kimweb.directory.models import Contact, Organisation
    from kimweb.extensions import db
    from kimweb.meetings.models import AgendaItem, Revision

    queries = {
        "organisation": sa.select(Organisation.name, Organisation.id).where(
            Organisation.name.like("Last Beratung %")
        ),
        "contact": sa.select(Contact.name, Contact.id).where(Contact.name.like("Last Person %")),
        "event": sa.select(Event.title, Event.id).where(Event.title.like("Last Termin %")),
        "notes": sa.select(Revision.notes, Revision.item_id).where(Revision.item_id.in_(items)),
    }
    with app.app_context():
        found = {kind: db.session.execute(query).all() for kind, query in queries.items()}
        versions = db.session.execute(
            sa.select(AgendaItem.id, AgendaItem.version).where(AgendaItem.id.in_(items))
        ).all()
        db.session.remove()
    return Stored(
        rows={kind: Counter(key for key, _ref in rows) for kind, rows in found.items()},
        ids={(kind, key): ref for kind, rows in found.items() for key, ref in rows},
        versions=dict(versions),
    )


@pytest.mark.parametrize("gunicorn", ["database"], indirect=True)
def test_concurrent_writers_never_meet_a_locked_database(server, app, make_user):
    """16 signed-in browsers post valid forms for 6 s to two workers: every POST is
    answered with its redirect, the error log has no lock error, and every answered
    POST stored exactly one row (the one its redirect names)."""
    base = server.base
    users = [make_user(f"schreiber{n:02d}") for n in range(WRITERS)]
    items = meeting_items(app, users)

    results: list[list[Write]] = [[] for _ in range(WRITERS)]
    problems: list[str] = []
    deadline: list[float] = []  # set when all are signed in
    start_line = threading.Barrier(
        WRITERS, action=lambda: deadline.append(time.monotonic() + WRITE_SECONDS)
    )

    def writer(n: int) -> None:
        try:
            browser = sign_in(base, users[n].username, PASSWORD)  # 16 sign-ins at once
            page = browser.get(f"{base}/directory/organisations/new", timeout=TIMEOUT)
            token = token_in(page.text)
        except Exception as error:
            problems.append(f"writer {n} could not start: {error!r}")
            start_line.abort()
            return
        try:
            start_line.wait(timeout=120)
            results[n] = write_for(base, browser, token, n, items[n], deadline[0])
        except threading.BrokenBarrierError:
            return
        except Exception as error:  # a bug of the test itself: never hide it
            problems.append(f"writer {n} broke off: {error!r}")

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WRITE_SECONDS + 4 * TIMEOUT + 120)
    assert not problems, f"{problems}\nerror log:\n{server.error_log.read_text()[-3000:]}"
    assert not any(thread.is_alive() for thread in threads), "a writer did not stop"
    writes = [write for per_writer in results for write in per_writer]
    log = server.error_log.read_text()

    # No answer but the redirect of a saved form: no 500, no 503, no lost connection.
    failed = [write for write in writes if not write.ok]
    assert not failed, (
        f"{len(failed)} of {len(writes)} POSTs not answered with 302: {failed[:5]}\n"
        f"error log:\n{log[-3000:]}"
    )
    assert not TROUBLE.findall(log), log[-5000:]

    # Exactly one row per answered POST, the one its redirect names; nothing else.
    found = stored(app, items)
    for kind in ("organisation", "contact", "event", "notes"):
        sent = Counter(write.key for write in writes if write.kind == kind)
        assert sent, f"no {kind} was written"
        extra, lost = found.rows[kind] - sent, sent - found.rows[kind]
        assert not extra and not lost, f"{kind}: stored twice or unasked {extra}, lost {lost}"
    for write in writes:
        if write.kind != "notes":
            assert write.location.endswith(f"/{found.ids[(write.kind, write.key)]}"), write
    saves = Counter(
        items[n] for n, per_writer in enumerate(results) for w in per_writer if w.kind == "notes"
    )
    assert found.versions == dict(saves)  # each save one version, none lost

    # Both workers wrote at the same time (else this proved nothing about locking).
    writers_seen = access_log_pids(
        server.access_log, "POST", ["/directory/organisations/new", "/calendar/events/new"]
    )
    assert len(writers_seen) == 2, writers_seen
    print(
        f"\n{len(writes)} POSTs by {WRITERS} browsers in {WRITE_SECONDS:.0f} s: "
        f"{dict(Counter(w.kind for w in writes))}, per worker {dict(writers_seen)}"
    )


# --- 2. a worker stopped under load -----------------------------------------------------


def logged(access_log: Path, answered: int) -> Counter:
    """The load's requests per worker in the access log, once all are there (a worker
    writes its line just after the answer: allow it a moment on a busy machine)."""
    deadline = time.monotonic() + 15
    while True:
        served = access_log_pids(access_log, "GET", [PUBLIC, "/directory/", "/calendar/"])
        if sum(served.values()) >= answered or time.monotonic() > deadline:
            return served
        time.sleep(0.1)


@pytest.mark.parametrize("gunicorn", ["database"], indirect=True)
def test_a_worker_stopped_under_load_loses_no_request(server, app, make_user):
    """8 browsers GET the public timetable and two staff pages for 8 s; in the middle one
    worker gets SIGTERM. It finishes its request and exits, the master starts another:
    every request sent is answered with 200, none is lost, none is retried."""
    base = server.base
    users = [make_user(f"leser{n}") for n in range(READERS // 2)]
    # Half the browsers on the public page (anonymous), half signed in on staff pages.
    routes = [(browser(), [PUBLIC]) for _user in users]
    routes += [(sign_in(base, user.username, PASSWORD), STAFF) for user in users]
    token = token_in(routes[-1][0].get(f"{base}/directory/organisations/new").text)
    for name in ("Beratungsstelle Düren", "Migrationsberatung Jülich", "Jugendberatung"):
        data = {"csrf_token": token, "name": name, "kind": "counselling"}
        answer = routes[-1][0].post(f"{base}/directory/organisations/new", data=data)
        assert answer.status_code == 200  # redirected to the new entry: the search finds it
    stopped: list[int] = []

    def stop_a_worker() -> str:
        pid = server.workers[0]
        os.kill(pid, signal.SIGTERM)
        stopped.append(pid)
        return f"SIGTERM to worker {pid}"

    load = read_load(base, routes, READ_SECONDS, [(READ_SECONDS / 2, stop_a_worker)])
    try:
        replacement = wait_for_workers(server.master, 2, seconds=60, without=stopped)
    finally:
        for session, _paths in routes:
            session.close()

    assert stopped and not alive(stopped[0])
    assert set(replacement) != set(server.workers)  # the master started a new worker
    assert load.sent > 0
    assert load.answered == load.sent, load.failed[:5]
    assert load.not_ok == [], load.not_ok[:5]
    assert load.statuses == Counter({200: load.sent})  # staff pages: no sign-in redirect
    served = logged(server.access_log, load.answered)
    assert sum(served.values()) == load.answered  # each answered once, nothing unlogged
    assert served[stopped[0]] > 0  # the stopped worker was part of the load
    log = server.error_log.read_text()
    assert not TROUBLE.findall(log), log[-5000:]
    assert f"Worker exiting (pid: {stopped[0]})" in log
    print(
        f"\n{load.sent} requests in {load.seconds:.1f} s, {load.statuses}; "
        f"{load.actions}; served per worker {dict(served)}; workers now {replacement}"
    )
