"""Benchmark: the public timetable under load, beside /health, served by gunicorn.

What it does:

1. Fills a separate SQLite database (in a temp dir) by the migrations, the directory demo
   and 50 invented places with 300 weekly times (about 100 offers, 15 cancelled or changed
   dates in the next two weeks) by ``kimweb.scale.consultations.seed_consultations``,
   through the app's own ``kimweb.consultations.services.save_location`` / ``save_offer`` /
   ``save_exception``.
2. Starts gunicorn with 2 workers on 127.0.0.1 (a free port) with ``KIMWEB_ENV=production``
   on that database, and loads with 20 concurrent connections, in alternating runs of the
   same length: the public page ``/consultations/`` (``Accept-Encoding: gzip``, as browsers
   send it), ``/health``, the page with filters, ``/health`` (and again, for more rounds),
   so noise on the machine hits both alike. ``wrk`` is used when installed (Debian package
   ``wrk``), else a Python load generator (threads with keep-alive ``http.client``
   connections; it needs CPU itself, so its numbers are lower bounds).
3. Weighs the first load of the public page in a real Chromium (Debian's, the flags of the
   e2e tests): the bytes transferred (compressed, with headers, as DevTools counts them) for
   HTML, CSS, JS and fonts with an empty cache, and on a repeat visit.

Targets (from the issue): the page reaches at least 60 % of /health's requests per second,
the page's p99 is under 50 ms at 20 connections, the first load is under 300 KB. The
machine is noisy: read the ratio measured side by side in one run. The exit status is 0
also when a target is missed: the numbers are the result.

    cd /work/main && .venv/bin/python bench/bench_consultations.py [--quick]

``--quick``: 5 s per run and one round instead of 15 s and two rounds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONNECTIONS = 20
WORKERS = 2
PLACES = 50
SLOTS = 300
TARGET_RATIO = 0.60
TARGET_P99_MS = 50.0
TARGET_FIRST_LOAD = 300_000  # bytes (300 KB)
SEED = 20261121

PAGE = "/consultations/"
FILTERED = "/consultations/?municipality=J%C3%BClich&kind=walk_in"
HEALTH = "/health"
HEADERS = {"Accept-Encoding": "gzip", "Accept-Language": "de-DE,de;q=0.9"}
# One round: page, health, filtered page, health (health after each page run).
ROUND = (("page", PAGE), ("health", HEALTH), ("page (filtered)", FILTERED), ("health", HEALTH))


@dataclass(frozen=True)
class Scale:
    seconds: float
    rounds: int


FULL = Scale(seconds=15.0, rounds=2)
QUICK = Scale(seconds=5.0, rounds=1)

# --- data: kimweb.scale.consultations makes it ------------------------------------------


def fill_database(url: str) -> dict[str, int]:
    from flask_migrate import upgrade

    from kimweb import create_app
    from kimweb.auth import services as auth
    from kimweb.config import TestConfig
    from kimweb.directory.demo import seed_directory
    from kimweb.extensions import db
    from kimweb.scale.consultations import seed_consultations

    app = create_app(TestConfig(url))
    with app.app_context():
        upgrade()
        user = auth.create_user("bench", "bench@example.org", "Bench", secrets.token_hex(16))
        seed_directory(user)
        rng = random.Random(SEED)  # noqa: S311 - invented data, the same in every run
        counts = seed_consultations(PLACES, SLOTS, rng, date.today())
        db.session.remove()
        db.engine.dispose()
    return {
        "places": counts["consultation_locations"],
        "offers": counts["consultation_offers"],
        "slots": counts["consultation_slots"],
        "exceptions": counts["consultation_exceptions"],
    }


# --- gunicorn -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(base + path, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, dict(answer.headers.items()), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


@contextmanager
def gunicorn(database_url: str, folder: Path) -> Iterator[str]:
    """gunicorn with WORKERS workers on a free port; yields the base URL, stops it after."""
    port = free_port()
    env = {
        **os.environ,
        "KIMWEB_ENV": "production",
        "KIMWEB_SECRET_KEY": secrets.token_hex(32),
        "KIMWEB_DATABASE_URL": database_url,
        "KIMWEB_INSTANCE_DIR": str(folder / "instance"),
    }
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(WORKERS),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app",
    ]  # fmt: skip
    log = (folder / "gunicorn.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if get(base, HEALTH)[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(
                    "gunicorn did not start:\n" + (folder / "gunicorn.log").read_text()[-2000:]
                )
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def gunicorn_version() -> str:
    import gunicorn as gunicorn_package

    return gunicorn_package.__version__


# --- load -----------------------------------------------------------------------------


@dataclass
class Run:
    """One timed run against one URL."""

    name: str
    path: str
    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "errors": %d, "status": %d, '
    .. '"p50_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def wrk_path() -> str | None:
    return shutil.which("wrk")


def run_wrk(base: str, name: str, path: str, seconds: float, script: Path) -> Run:
    headers = [arg for key, value in HEADERS.items() for arg in ("-H", f"{key}: {value}")]
    command = [
        wrk_path() or "wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds:.0f}s",
        "--timeout", "10s", "-s", str(script), *headers, base + path,
    ]  # fmt: skip
    output = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    return Run(
        name,
        path,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=data["errors"] + data["status"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
    )


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def run_python(base: str, name: str, path: str, seconds: float) -> Run:
    """CONNECTIONS threads, each with a keep-alive http.client connection (reopened when
    the server closes it), for ``seconds``."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[list[float]] = [[] for _ in range(CONNECTIONS)]
    errors = [0] * CONNECTIONS
    start_line = threading.Barrier(CONNECTIONS + 1)
    deadline = [0.0]

    def work(i: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        start_line.wait()
        while True:
            begin = time.perf_counter()
            if begin >= deadline[0]:
                break
            try:
                connection.request("GET", path, headers=HEADERS)
                answer = connection.getresponse()
                answer.read()
                if answer.status != 200:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=10)
                continue
            latencies[i].append((time.perf_counter() - begin) * 1000)
        connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start_line.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    times = [ms for per_thread in latencies for ms in per_thread]
    return Run(
        name,
        path,
        requests=len(times),
        seconds=elapsed,
        errors=sum(errors),
        p50_ms=percentile(times, 50),
        p99_ms=percentile(times, 99),
        max_ms=max(times, default=0.0),
    )


def warm_up(base: str) -> None:
    """Every URL a few times (both workers render and keep the page)."""
    for _ in range(20):
        for path in (PAGE, FILTERED, HEALTH):
            status = get(base, path, HEADERS)[0]
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")


@dataclass
class Total:
    """All runs of one kind together."""

    name: str
    runs: list[Run] = field(default_factory=list)

    @property
    def rps(self) -> float:
        seconds = sum(run.seconds for run in self.runs)
        return sum(run.requests for run in self.runs) / seconds if seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return sum(run.p50_ms for run in self.runs) / len(self.runs) if self.runs else 0.0

    @property
    def p99_ms(self) -> float:
        """The worst p99 of the runs (percentiles of separate runs cannot be merged)."""
        return max((run.p99_ms for run in self.runs), default=0.0)

    @property
    def errors(self) -> int:
        return sum(run.errors for run in self.runs)


def load(
    base: str, scale: Scale, folder: Path, python_load: bool = False
) -> tuple[dict[str, Total], str]:
    script = folder / "report.lua"
    script.write_text(WRK_SCRIPT)
    use_wrk = wrk_path() is not None and not python_load
    generator = (
        f"wrk ({wrk_path()}, 2 threads, {CONNECTIONS} connections)"
        if use_wrk
        else f"Python threads + http.client keep-alive ({CONNECTIONS} connections; "
        + (
            "asked for by --python-load"
            if python_load
            else "wrk not installed: apt-get install wrk"
        )
        + "; this client needs CPU itself, so the rates are lower bounds)"
    )
    print(f"load generator: {generator}")
    totals = {name: Total(name) for name, _path in ROUND}
    for number in range(1, scale.rounds + 1):
        for name, path in ROUND:
            if use_wrk:
                run = run_wrk(base, name, path, scale.seconds, script)
            else:
                run = run_python(base, name, path, scale.seconds)
            totals[name].runs.append(run)
            print(
                f"  round {number}: {name:<16} {run.rps:8.0f} req/s   p50 {run.p50_ms:6.1f} ms"
                f"   p99 {run.p99_ms:6.1f} ms   max {run.max_ms:6.1f} ms   "
                f"{run.requests:>7} requests, {run.errors} errors"
            )
    return totals, "wrk" if use_wrk else "python"


# --- page weight in Chromium ------------------------------------------------------------

COUNTED = {"Document": "HTML", "Stylesheet": "CSS", "Script": "JS", "Font": "fonts"}


@dataclass
class Resource:
    url: str = ""
    kind: str = "Other"
    status: int = 0
    encoding: str = ""
    headers_bytes: int = 0
    transferred: int = 0
    from_cache: bool = False


def weigh(base: str) -> dict[str, list[Resource]] | str:
    """Resources of a first load (empty cache) and of a repeat visit, or why not measured."""
    try:
        from playwright.sync_api import sync_playwright

        from e2e.conftest import CHROMIUM_ARGS, chromium_path
    except ImportError as error:
        return f"not measured: {error}"
    path = chromium_path()
    if not path:
        return "not measured: Chromium not found (Debian package 'chromium')"
    loads: dict[str, list[Resource]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                locale="de-DE",
                timezone_id="Europe/Berlin",
                viewport={"width": 390, "height": 844},
            )
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
                resource.headers_bytes = int(response.get("encodedDataLength") or 0)
                resource.from_cache = bool(
                    response.get("fromDiskCache") or response.get("fromPrefetchCache")
                )

            def finished(event: dict) -> None:
                resource = seen.setdefault(event["requestId"], Resource())
                resource.transferred = int(event.get("encodedDataLength") or 0)

            def from_cache(event: dict) -> None:
                seen.setdefault(event["requestId"], Resource()).from_cache = True

            cdp.on("Network.responseReceived", received)
            cdp.on("Network.loadingFinished", finished)
            cdp.on("Network.requestServedFromCache", from_cache)
            for name in ("first load", "repeat visit"):
                seen.clear()
                page.goto(base + PAGE, wait_until="networkidle")
                page.wait_for_timeout(300)
                loads[name] = [r for r in seen.values() if r.url and not r.url.startswith("data:")]
            context.close()
        finally:
            browser.close()
    return loads


def counted_bytes(resources: list[Resource]) -> int:
    return sum(r.transferred for r in resources if r.kind in COUNTED)


def report_weight(loads: dict[str, list[Resource]]) -> None:
    for name, resources in loads.items():
        print(f"\n{name} of {PAGE} in Chromium (bytes transferred, incl. headers):")
        for r in sorted(resources, key=lambda r: -r.transferred):
            path = r.url.split("/", 3)[-1]
            cache = " (from cache)" if r.from_cache or not r.transferred else ""
            print(
                f"  {COUNTED.get(r.kind, r.kind.lower()):<11} {r.status:>3} {r.transferred:>8} B"
                f"  {r.encoding or '-':<5} /{path[:70]}{cache}"
            )
        by_kind = {
            label: sum(r.transferred for r in resources if r.kind == kind)
            for kind, label in COUNTED.items()
        }
        parts = ", ".join(f"{label} {size / 1000:.1f}" for label, size in by_kind.items())
        print(f"  HTML+CSS+JS+fonts: {counted_bytes(resources) / 1000:.1f} KB ({parts} KB)")


# --- output ---------------------------------------------------------------------------


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def summary(
    counts: dict[str, int],
    totals: dict[str, Total],
    generator: str,
    loads: dict[str, list[Resource]] | str,
    page_sizes: tuple[int, int],
    scale: Scale,
    started: float,
) -> None:
    page, filtered, health = totals["page"], totals["page (filtered)"], totals["health"]
    ratio = page.rps / health.rps if health.rps else 0.0
    ratio_filtered = filtered.rps / health.rps if health.rps else 0.0
    print(f"\n=== Summary, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {platform.platform()}")
    print(
        f"Python {platform.python_version()}, gunicorn {gunicorn_version()} ({WORKERS} sync "
        f"workers), SQLite; {os.cpu_count()} CPUs"
    )
    print(
        f"data: {counts['places']} places, {counts['slots']} weekly times in "
        f"{counts['offers']} offers, {counts['exceptions']} exceptions; page "
        f"{page_sizes[0] / 1000:.1f} KB HTML, {page_sizes[1] / 1000:.1f} KB gzip"
    )
    print(
        f"load: {generator}, {CONNECTIONS} connections, {scale.rounds} round(s) of "
        f"{scale.seconds:.0f} s per route, alternating page/health/filtered/health"
    )
    print(f"{'route':<16} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}  path")
    for total, path in ((page, PAGE), (filtered, FILTERED), (health, HEALTH)):
        print(
            f"{total.name:<16} {total.rps:>8.0f} {total.p50_ms:>7.1f} {total.p99_ms:>7.1f} "
            f"{total.errors:>6}  {path}"
        )
    print("(p50: mean of the runs, p99: worst run)")
    print(
        f"ratio page/health req/s: {ratio:.0%} (filtered: {ratio_filtered:.0%}); "
        f"target >= {TARGET_RATIO:.0%}: {verdict(ratio >= TARGET_RATIO)}"
    )
    print(
        f"page p99: {page.p99_ms:.1f} ms (filtered: {filtered.p99_ms:.1f} ms); "
        f"target < {TARGET_P99_MS:.0f} ms: {verdict(page.p99_ms < TARGET_P99_MS)}"
    )
    if isinstance(loads, str):
        print(f"first load weight: {loads}")
    else:
        first = counted_bytes(loads["first load"])
        repeat = counted_bytes(loads["repeat visit"])
        print(
            f"first load (HTML, CSS, JS, fonts; transferred): {first / 1000:.1f} KB, "
            f"repeat visit {repeat / 1000:.1f} KB; target < {TARGET_FIRST_LOAD / 1000:.0f} KB: "
            f"{verdict(first < TARGET_FIRST_LOAD)}"
        )
    print(f"whole run {time.perf_counter() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 s per run, one round")
    parser.add_argument(
        "--python-load", action="store_true", help="the Python load generator even if wrk is there"
    )
    args = parser.parse_args()
    scale = QUICK if args.quick else FULL
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kimweb-bench-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        fill_started = time.perf_counter()
        counts = fill_database(url)
        print(
            f"filled {url}: {counts['places']} places, {counts['offers']} offers, "
            f"{counts['slots']} weekly times, {counts['exceptions']} exceptions "
            f"in {time.perf_counter() - fill_started:.1f} s"
        )
        with gunicorn(url, folder) as base:
            print(f"gunicorn {gunicorn_version()}, {WORKERS} workers on {base}")
            warm_up(base)
            status, headers, body = get(base, PAGE, HEADERS)
            plain = get(base, PAGE)[2]
            etag = headers.get("ETag", "")
            again = get(base, PAGE, {**HEADERS, "If-None-Match": etag})[0]
            entries = plain.count(b'<li class="entry')
            print(
                f"{PAGE}: {status}, {len(plain):,} B HTML, {len(body):,} B "
                f"{headers.get('Content-Encoding', 'uncompressed')}, "
                f"{entries} entries; with If-None-Match: {again}"
            )
            totals, generator = load(base, scale, folder, args.python_load)
            loads = weigh(base)
            if not isinstance(loads, str):
                report_weight(loads)
        summary(counts, totals, generator, loads, (len(plain), len(body)), scale, started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
