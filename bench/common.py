"""Helpers shared by bench/bench_pages.py and bench/report.py.

Most of it is imported from the other benchmarks rather than copied: gunicorn, the load
runners (wrk or Python) and the Chromium resource records from ``bench_consultations``,
the SQL statement counter from ``bench_directory_search``, sign-in and the /proc readers
from ``tests/loadgen.py``. What is new here: load runs with headers of their own (a
session cookie, ``HX-Request``), the worker processes of a gunicorn started by this
process, page weights of several pages (signed in or not) in one Chromium, and a
description of the machine.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for folder in (str(ROOT), str(BENCH)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

import bench_consultations as consultations  # noqa: E402
from bench_consultations import (  # noqa: E402
    CONNECTIONS,
    COUNTED,
    WRK_SCRIPT,
    Resource,
    Run,
    counted_bytes,
    free_port,
    get,
    gunicorn,
    gunicorn_version,
    wrk_path,
)
from bench_directory_search import StatementCounter  # noqa: E402

from tests.loadgen import children, rss_kb, sign_in  # noqa: E402

__all__ = [
    "CONNECTIONS",
    "COUNTED",
    "WRK_SCRIPT",
    "Resource",
    "Run",
    "StatementCounter",
    "children",
    "counted_bytes",
    "free_port",
    "get",
    "gunicorn",
    "gunicorn_version",
    "rss_kb",
    "sign_in",
    "wrk_path",
]

POSTGRES_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
SESSION_COOKIE = "kimweb_session"  # Config.SESSION_COOKIE_NAME


# --- load -------------------------------------------------------------------------------


@contextmanager
def consultation_headers(headers: Mapping[str, str]) -> Iterator[None]:
    """``bench_consultations``' runners send the module's ``HEADERS``; for one run they
    send ``headers`` instead."""
    before = consultations.HEADERS
    consultations.HEADERS = dict(headers)
    try:
        yield
    finally:
        consultations.HEADERS = before


def load_run(
    base: str,
    name: str,
    path: str,
    seconds: float,
    headers: Mapping[str, str],
    script: Path,
    use_wrk: bool,
) -> Run:
    """One timed run of CONNECTIONS connections against ``path`` with ``headers``: wrk
    when ``use_wrk``, else bench_consultations' Python load generator."""
    with consultation_headers(headers):
        if use_wrk:
            return consultations.run_wrk(base, name, path, seconds, script)
        return consultations.run_python(base, name, path, seconds)


def session_cookie(base: str, username: str, password: str) -> str:
    """Signs in once through the sign-in form (CSRF token from the page, as a browser
    does); returns the session cookie's value."""
    with sign_in(base, username, password) as session:
        value = session.cookies.get(SESSION_COOKIE)
    if not value:
        raise RuntimeError(f"no {SESSION_COOKIE} cookie after signing in as {username}")
    return value


# --- processes --------------------------------------------------------------------------


def gunicorn_master() -> int:
    """The gunicorn master among this process's children (bench_consultations.gunicorn
    starts it as ``python -m gunicorn``)."""
    for pid in children(os.getpid()):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if b"gunicorn" in command:
            return pid
    raise RuntimeError("no gunicorn master among this process's children")


def memory_mib(pids: list[int]) -> dict[int, float | None]:
    """VmRSS of each pid in MiB (None: gone)."""
    return {pid: (kb / 1024 if (kb := rss_kb(pid)) is not None else None) for pid in pids}


# --- page weight in Chromium -------------------------------------------------------------


@dataclass
class Weight:
    """Resources of the first load (empty cache) and of a repeat visit of one page."""

    name: str
    path: str
    first: list[Resource]
    repeat: list[Resource]


def by_kind(resources: list[Resource]) -> dict[str, int]:
    """Bytes transferred (compressed, with headers) per counted kind: HTML, CSS, JS, fonts."""
    return {
        label: sum(r.transferred for r in resources if r.kind == kind)
        for kind, label in COUNTED.items()
    }


def weigh_pages(
    base: str, pages: list[tuple[str, str, bool]], cookie: str | None
) -> list[Weight] | str:
    """For each ``(name, path, signed_in)``: a fresh browser context (empty cache; the
    session cookie when signed in) loads the page, then loads it again. Returns the
    resources as DevTools counts them, or why nothing was measured. Debian's Chromium with
    the flags of the e2e tests, German, Berlin time, a phone-sized window."""
    try:
        from playwright.sync_api import sync_playwright

        from e2e.conftest import CHROMIUM_ARGS, chromium_path
    except ImportError as error:
        return f"not measured: {error}"
    executable = chromium_path()
    if not executable:
        return "not measured: Chromium not found (Debian package 'chromium')"
    weights: list[Weight] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            for name, path, signed_in in pages:
                context = browser.new_context(
                    locale="de-DE",
                    timezone_id="Europe/Berlin",
                    viewport={"width": 390, "height": 844},
                )
                if signed_in:
                    if not cookie:
                        raise RuntimeError("a signed-in page needs the session cookie")
                    context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": base}])
                try:
                    loads = _two_loads(context, base + path)
                finally:
                    context.close()
                final = loads.pop()
                if final.rstrip("/").endswith("/login") or "/login?" in final:
                    raise RuntimeError(f"{path} sent Chromium to the sign-in page")
                weights.append(Weight(name, path, *loads))
        finally:
            browser.close()
    return weights


def _two_loads(context, url: str) -> list:
    """[first load, repeat visit, final URL] of ``url`` in ``context``."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    seen: dict[str, Resource] = {}

    def received(event: dict) -> None:
        response = event["response"]
        headers = {key.lower(): value for key, value in response["headers"].items()}
        resource = seen.setdefault(event["requestId"], Resource())
        resource.url = response["url"]
        resource.kind = event.get("type", "Other")
        resource.status = response["status"]
        resource.encoding = headers.get("content-encoding", "")
        resource.from_cache = bool(
            response.get("fromDiskCache") or response.get("fromPrefetchCache")
        )

    def finished(event: dict) -> None:
        seen.setdefault(event["requestId"], Resource()).transferred = int(
            event.get("encodedDataLength") or 0
        )

    def from_cache(event: dict) -> None:
        seen.setdefault(event["requestId"], Resource()).from_cache = True

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.requestServedFromCache", from_cache)
    loads = []
    for _visit in range(2):
        seen.clear()
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(300)
        loads.append([r for r in seen.values() if r.url and not r.url.startswith("data:")])
    loads.append(page.url)
    return loads


# --- the machine ------------------------------------------------------------------------


def _first_line(command: list[str]) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - fixed commands of the machine
            command, capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"? ({error.__class__.__name__})"
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0].strip() if lines else "?"


def postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN) as connection:
            return str(connection.execute("SHOW server_version").fetchone()[0])
    except Exception as error:  # any failure: say so, measure the rest
        return f"not reachable ({error.__class__.__name__})"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    memory = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE)
    wrk = wrk_path()
    chromium = shutil.which("chromium")
    return {
        "CPU": model.group(1).strip() if model else platform.processor() or "?",
        "cores": str(os.cpu_count()),
        "memory": f"{int(memory.group(1)) / 1024 / 1024:.1f} GiB" if memory else "?",
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": postgres_version(),
        "gunicorn": gunicorn_version(),
        "wrk": _first_line([wrk, "-v"]) if wrk else "not installed (Python load generator)",
        "Chromium": _first_line([chromium, "--version"]) if chromium else "not installed",
        "load average at the start": " ".join(f"{n:.2f}" for n in os.getloadavg()),
    }
