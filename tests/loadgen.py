"""Load generator and process helpers shared by tests/test_reliability.py and
bench/bench_reliability.py.

Every load thread is a browser of its own: ``requests.Session`` objects with their own
cookies; staff sessions sign in through the sign-in form with the CSRF token read from
the page, as a browser does.

No retries, anywhere: the sessions mount ``HTTPAdapter(max_retries=0)``, so a request
that fails on the wire (refused, reset, closed without an answer, timed out) is counted
as failed and never sent again behind the caller's back. The client asks for keep-alive
(HTTP/1.1, connection pool); gunicorn's sync workers answer ``Connection: close``, so in
practice every request opens a new connection, and no request is ever written to a
connection the server has already closed.

Processes are read from ``/proc`` (psutil is not a dependency): the workers of a gunicorn
master are its children, their memory ``VmRSS`` of ``/proc/<pid>/status``.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from tests.conftest import CSRF_RE

TIMEOUT = 30.0  # seconds a single request may take before it counts as failed


# --- browsers ---------------------------------------------------------------------------


def browser() -> requests.Session:
    """A session that never retries a request (see the module docstring)."""
    session = requests.Session()
    for prefix in ("http://", "https://"):
        session.mount(prefix, HTTPAdapter(max_retries=0))
    return session


def token_in(html: str) -> str:
    """The CSRF token in a page (form field or htmx header), as a browser would send it."""
    match = CSRF_RE.search(html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1) or match.group(2)


def sign_in(base: str, username: str, password: str) -> requests.Session:
    """A new browser signed in as ``username`` through the sign-in form."""
    session = browser()
    token = token_in(session.get(f"{base}/login", timeout=TIMEOUT).text)
    answer = session.post(
        f"{base}/login",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"sign-in of {username} answered {answer.status_code}")
    return session


# --- processes --------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (all its threads), from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return sorted(set(found))


def alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"


def rss_kb(pid: int) -> int | None:
    """Resident memory of ``pid`` in KiB (VmRSS of /proc/<pid>/status), None if gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def wait_for_workers(
    master: int, count: int, seconds: float, without: Sequence[int] = ()
) -> list[int]:
    """The ``count`` live workers of ``master`` once there are that many (none of them in
    ``without``); raises TimeoutError after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        workers = [pid for pid in children(master) if alive(pid) and pid not in without]
        if len(workers) == count and not any(alive(pid) for pid in without):
            return workers
        if time.monotonic() > deadline:
            raise TimeoutError(f"workers of {master}: {workers}, still alive: {list(without)}")
        time.sleep(0.1)


# --- load -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """One request of the load: an HTTP status, or the error that came instead."""

    path: str
    began: float  # seconds after the start of the load
    ms: float
    status: int | None  # None: no HTTP answer at all
    error: str = ""


@dataclass
class Load:
    """What the load generator saw."""

    seconds: float
    answers: list[Answer]
    actions: list[tuple[float, str]] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return len(self.answers)

    @property
    def answered(self) -> int:
        return sum(1 for a in self.answers if a.status is not None)

    @property
    def failed(self) -> list[Answer]:
        """Requests without any HTTP answer (connection refused, reset, timeout)."""
        return [a for a in self.answers if a.status is None]

    @property
    def statuses(self) -> Counter:
        return Counter(a.status for a in self.answers if a.status is not None)

    @property
    def not_ok(self) -> list[Answer]:
        """Requests without a 2xx/3xx answer (failed ones included)."""
        return [a for a in self.answers if a.status is None or not 200 <= a.status < 400]

    def latencies(self, path: str | None = None) -> list[float]:
        return [
            a.ms for a in self.answers if a.status is not None and (path is None or a.path == path)
        ]


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def read_load(
    base: str,
    routes: Sequence[tuple[requests.Session, Sequence[str]]],
    seconds: float,
    actions: Sequence[tuple[float, Callable[[], str]]] = (),
) -> Load:
    """One thread per ``(browser, paths)`` in ``routes``; each GETs its paths in turn, one
    request at a time, for ``seconds``. ``actions`` run in the calling thread at their
    time (seconds after the start); each returns a line for the report.

    Threads start at the same moment (a barrier) and stop by themselves at the deadline;
    a request started before the deadline is waited for (at most ``TIMEOUT``)."""
    answers: list[list[Answer]] = [[] for _ in routes]
    start_line = threading.Barrier(len(routes) + 1)
    clock = {"start": 0.0, "deadline": 0.0}

    def work(number: int, session: requests.Session, paths: Sequence[str]) -> None:
        start_line.wait()
        turn = number  # threads start at different paths
        while True:
            begin = time.perf_counter()
            if begin >= clock["deadline"]:
                return
            path = paths[turn % len(paths)]
            turn += 1
            try:
                response = session.get(base + path, allow_redirects=False, timeout=TIMEOUT)
                status, error = response.status_code, ""
            except requests.RequestException as exc:
                status, error = None, f"{type(exc).__name__}: {exc}"
            ms = (time.perf_counter() - begin) * 1000
            answers[number].append(Answer(path, begin - clock["start"], ms, status, error))

    threads = [
        threading.Thread(target=work, args=(n, session, paths), daemon=True)
        for n, (session, paths) in enumerate(routes)
    ]
    for thread in threads:
        thread.start()
    clock["start"] = time.perf_counter()
    clock["deadline"] = clock["start"] + seconds
    start_line.wait()
    done: list[tuple[float, str]] = []
    try:
        for at, action in sorted(actions, key=lambda pair: pair[0]):
            time.sleep(max(0.0, clock["start"] + at - time.perf_counter()))
            done.append((time.perf_counter() - clock["start"], action()))
    finally:
        for thread in threads:
            thread.join(timeout=seconds + TIMEOUT + 10)
    elapsed = time.perf_counter() - clock["start"]
    return Load(elapsed, sorted((a for per in answers for a in per), key=lambda a: a.began), done)


def access_log_pids(log: Path, method: str, paths: Sequence[str]) -> Counter:
    """Requests per worker pid in a gunicorn access log written with the format
    ``%(p)s %(m)s %(U)s %(s)s`` (as in tests/test_gunicorn.py)."""
    served: Counter = Counter()
    for line in log.read_text().splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[1] == method and fields[2] in paths:
            served[int(fields[0].strip("<>"))] += 1
    return served
