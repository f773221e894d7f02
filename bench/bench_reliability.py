"""Benchmark: a gunicorn worker stopped (SIGTERM) or killed (SIGKILL) under load.

What it does:

1. Fills a separate SQLite database (in a temp dir) by the migrations and the app's demo
   data (``kimweb.demo.seed_demo``: directory, timetable, meetings, calendar), plus one
   staff account per signed-in load thread.
2. Starts gunicorn with 2 sync workers on 127.0.0.1 (a free port) with
   ``KIMWEB_ENV=production`` on that database, with an access log that names the worker
   of each request and an error log (the app's output included).
3. SIGTERM run (``--seconds``, 60 s; 10 s with ``--quick``): 8 threads, each a browser of
   its own (``requests.Session``, see tests/loadgen.py), 4 anonymous on the public
   timetable ``/consultations/``, 4 signed in on the staff pages ``/directory/?q=beratung``
   and ``/calendar/``, one request after the other, no pause. In the middle one worker
   gets SIGTERM: it finishes the request it is serving and exits; the master forks a new
   one, which loads the app before it serves.
4. SIGKILL run (``--sigkill-seconds``, 20 s; 10 s with ``--quick``), the same load, in
   its middle one worker gets SIGKILL: whatever it was serving is lost. Only reported.

No request is retried (``HTTPAdapter(max_retries=0)``): a request without an HTTP answer
is counted as failed. gunicorn's sync workers close the connection after each answer, so
the "keep-alive" clients open a new connection per request.

How to read it: per run, requests sent and answered (answered = an HTTP status came
back), the status counts, the requests without a 2xx/3xx answer, p50/p99/max latency per
page, the answers per second before the signal, in the 10 s after it (also second by
second) and after that, the requests each worker served, and the resident memory (VmRSS
of /proc/<pid>/status) of the master and of each worker after the load. The master forks
the successor only once the stopped worker has exited, and the successor imports the app
itself (no ``--preload``; seconds on a busy machine): until then one worker serves, so
the answers per second drop and latencies rise, but nothing is lost. Target: the SIGTERM
run loses nothing (sent = answered, every answer 2xx/3xx). The SIGKILL run shows what a
crash costs. The machine is noisy and the load generator needs CPU itself: latencies and
rates are indications, the counts are exact. The exit status is 0 also when the target
is missed: the numbers are the result.

    cd /work/main && .venv/bin/python bench/bench_reliability.py [--quick] [--seconds N]

The script stops by itself: each run is bounded, and an alarm ends the whole script
(and its gunicorn) after the time the runs need plus a margin.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.loadgen import (  # noqa: E402
    Load,
    access_log_pids,
    alive,
    browser,
    children,
    percentile,
    read_load,
    rss_kb,
    sign_in,
    wait_for_workers,
)
from tests.test_gunicorn import GUNICORN, free_port, wait_for  # noqa: E402

WORKERS = 2
PUBLIC_THREADS = 4
STAFF_THREADS = 4
PUBLIC = ("/consultations/",)
STAFF = ("/directory/?q=beratung", "/calendar/")
PATHS = ("/consultations/", "/directory/", "/calendar/")  # as the access log names them
PASSWORD = "correct horse battery"  # noqa: S105 - invented accounts of a throwaway database
AFTER_SIGNAL = 10.0  # seconds counted as "right after the signal"


# --- database and server ----------------------------------------------------------------


def fill_database(url: str) -> list[str]:
    """Migrations, the demo data and the load accounts; returns the load usernames."""
    from flask_migrate import upgrade

    from kimweb import create_app
    from kimweb.auth import services as auth
    from kimweb.config import TestConfig
    from kimweb.demo import seed_demo
    from kimweb.extensions import db

    app = create_app(TestConfig(url))
    names = [f"last{n}" for n in range(STAFF_THREADS)]
    with app.app_context():
        upgrade()
        seed_demo()
        for name in names:
            auth.create_user(name, f"{name}@example.org", name.title(), PASSWORD)
        db.session.remove()
        db.engine.dispose()
    return names


@dataclass(frozen=True)
class Server:
    base: str
    master: int
    access_log: Path
    error_log: Path


@contextmanager
def gunicorn(database_url: str, folder: Path) -> Iterator[Server]:
    """gunicorn with WORKERS sync workers on 127.0.0.1; stopped (and waited for) after."""
    port = free_port()
    env = {
        **os.environ,
        "KIMWEB_ENV": "production",
        "KIMWEB_SECRET_KEY": secrets.token_hex(32),
        "KIMWEB_DATABASE_URL": database_url,
        "KIMWEB_INSTANCE_DIR": str(folder / "instance"),
    }
    env.pop("KIMWEB_REDIS_URL", None)
    env.pop("GUNICORN_CMD_ARGS", None)
    access_log, error_log = folder / "access.log", folder / "error.log"
    command = [
        str(GUNICORN), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
        "--access-logfile", str(access_log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s",
        "--error-logfile", str(error_log), "--capture-output", "--log-level", "info",
        "wsgi:app",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/health", process, seconds=60)
        wait_for_workers(process.pid, WORKERS, seconds=60)
        yield Server(base, process.pid, access_log, error_log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            for pid in children(process.pid):
                os.kill(pid, signal.SIGKILL)
            process.kill()
            process.wait()


def gunicorn_version() -> str:
    import gunicorn as gunicorn_package

    return gunicorn_package.__version__


# --- one run ----------------------------------------------------------------------------


@dataclass
class Run:
    name: str
    signum: signal.Signals
    load: Load
    signal_at: float  # seconds after the start of the load
    target: int  # the worker that got the signal
    gone_after: float | None  # seconds from the signal until it was gone
    forked_after: float | None  # ... until the master had forked its successor
    served: Counter  # requests of the load per worker pid (access log)
    workers: list[int]  # the workers after the run


def watch(master: int, target: int, known: set[int], seconds: float) -> dict[str, float]:
    """Seconds until ``target`` is gone and until the master has a new child (polled)."""
    began, found = time.perf_counter(), {}
    while time.perf_counter() - began < seconds and len(found) < 2:
        if "gone" not in found and not alive(target):
            found["gone"] = time.perf_counter() - began
        if "forked" not in found and set(children(master)) - known:
            found["forked"] = time.perf_counter() - began
        time.sleep(0.01)
    return found


def run(server: Server, name: str, signum: signal.Signals, seconds: float, users: list[str]) -> Run:
    """``seconds`` of load; in the middle one worker gets ``signum``."""
    routes = [(browser(), PUBLIC) for _ in range(PUBLIC_THREADS)]
    routes += [(sign_in(server.base, user, PASSWORD), STAFF) for user in users]
    before = access_log_pids(server.access_log, "GET", PATHS)
    target = wait_for_workers(server.master, WORKERS, seconds=60)[0]
    watched: dict[str, float] = {}
    watcher = threading.Thread(target=lambda: None)

    def send_signal() -> str:
        nonlocal watcher
        known = set(children(server.master))
        os.kill(target, signum)
        watcher = threading.Thread(
            target=lambda: watched.update(watch(server.master, target, known, 60)), daemon=True
        )
        watcher.start()
        return f"{signum.name} to worker {target}"

    try:
        load = read_load(server.base, routes, seconds, [(seconds / 2, send_signal)])
    finally:
        for session, _paths in routes:
            session.close()
    if watcher.ident is not None:
        watcher.join(timeout=60)
    workers = wait_for_workers(server.master, WORKERS, seconds=60, without=[target])
    served = access_log_pids(server.access_log, "GET", PATHS)
    served.subtract(before)
    return Run(
        name,
        signum,
        load,
        load.actions[0][0] if load.actions else seconds / 2,
        target,
        watched.get("gone"),
        watched.get("forked"),
        +served,
        workers,
    )


def until_serving(server: Server, workers: list[int], seconds: float = 60) -> None:
    """Wait until every worker has answered a request (the new one has loaded the app)."""
    deadline = time.monotonic() + seconds
    with browser() as probe:
        while time.monotonic() < deadline:
            probe.get(f"{server.base}/health", timeout=30)
            seen = access_log_pids(server.access_log, "GET", ["/health"])
            if all(seen[pid] for pid in workers):
                return
            time.sleep(0.05)
    raise TimeoutError(f"not every worker of {workers} serves after {seconds:.0f} s")


# --- output -----------------------------------------------------------------------------


def kib(value: int | None) -> str:
    return "gone" if value is None else f"{value / 1024:.1f} MiB"


def rate(load: Load, start: float, end: float) -> float:
    """Answers per second among the requests begun between ``start`` and ``end``."""
    count = sum(1 for a in load.answers if a.status is not None and start <= a.began < end)
    return count / (end - start) if end > start else 0.0


def timeline(load: Load, signal_at: float) -> str:
    """Answers per second, second by second, from 2 s before the signal to 12 s after."""
    first = max(0, int(signal_at) - 2)
    last = min(int(load.seconds), int(signal_at) + 12)
    return " ".join(f"{rate(load, t, t + 1):.0f}" for t in range(first, last))


def report(result: Run, server: Server) -> None:
    load = result.load
    print(
        f"\n--- {result.name}: {load.seconds:.1f} s of load, {result.signum.name} at "
        f"{result.signal_at:.1f} s to worker {result.target}"
    )
    print(
        f"requests sent {load.sent}, answered {load.answered}, without any answer "
        f"{len(load.failed)}, without a 2xx/3xx answer (those included) {len(load.not_ok)}"
    )
    statuses = ", ".join(f"{status}: {count}" for status, count in sorted(load.statuses.items()))
    print(f"status counts: {statuses or '-'}")
    for failed in load.failed[:5]:
        print(
            f"  no answer: GET {failed.path} begun at {failed.began:.2f} s, after "
            f"{failed.ms:.0f} ms: {failed.error[:150]}"
        )
    print(f"{'page':<24} {'answered':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for path in (*PUBLIC, *STAFF, None):
        times = load.latencies(path)
        print(
            f"{path or 'all':<24} {len(times):>8} {percentile(times, 50):>8.1f} "
            f"{percentile(times, 99):>8.1f} {max(times, default=0):>8.1f}"
        )
    end = min(result.signal_at + AFTER_SIGNAL, load.seconds)
    later = f", later {rate(load, end, load.seconds):.1f}" if load.seconds - end >= 1 else ""
    print(
        f"answers per second: before the signal {rate(load, 0, result.signal_at):.1f}, "
        f"in the {end - result.signal_at:.0f} s after it {rate(load, result.signal_at, end):.1f}"
        f"{later}"
    )
    print(f"  second by second from 2 s before the signal: {timeline(load, result.signal_at)}")
    gone = f"{result.gone_after:.2f} s" if result.gone_after is not None else "?"
    forked = f"{result.forked_after:.2f} s" if result.forked_after is not None else "?"
    print(f"after the signal: worker {result.target} gone in {gone}, successor forked in {forked}")
    served = ", ".join(
        f"{pid}{' (signalled)' if pid == result.target else ''}: {count}"
        for pid, count in sorted(result.served.items())
    )
    print(f"served per worker (access log): {served}")
    memory = [f"master {server.master} {kib(rss_kb(server.master))}"]
    memory += [f"worker {pid} {kib(rss_kb(pid))}" for pid in result.workers]
    print(f"memory (VmRSS) after the load: {', '.join(memory)}")


def summary(runs: list[Run], started: float) -> None:
    print(f"\n=== Summary, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, {platform.platform()}")
    print(
        f"Python {platform.python_version()}, gunicorn {gunicorn_version()} ({WORKERS} sync "
        f"workers), SQLite with the demo data; {os.cpu_count()} CPUs; "
        f"{PUBLIC_THREADS + STAFF_THREADS} load threads, no retries"
    )
    print(
        f"{'run':<8} {'seconds':>7} {'sent':>6} {'answered':>8} {'no answer':>9} "
        f"{'not 2xx/3xx':>11} {'p50 ms':>7} {'p99 ms':>7}"
    )
    for result in runs:
        load, times = result.load, result.load.latencies()
        print(
            f"{result.signum.name:<8} {load.seconds:>7.1f} {load.sent:>6} {load.answered:>8} "
            f"{len(load.failed):>9} {len(load.not_ok):>11} {percentile(times, 50):>7.1f} "
            f"{percentile(times, 99):>7.1f}"
        )
    term = next(r for r in runs if r.signum == signal.SIGTERM)
    met = not term.load.not_ok and term.load.sent == term.load.answered
    print(f"target (SIGTERM loses no request, every answer 2xx/3xx): {'met' if met else 'MISSED'}")
    kill = next((r for r in runs if r.signum == signal.SIGKILL), None)
    if kill is not None:
        print(
            f"SIGKILL (reported only): {len(kill.load.failed)} request(s) without an answer, "
            f"{len(kill.load.not_ok) - len(kill.load.failed)} with an error status"
        )
    print(f"whole run {time.perf_counter() - started:.0f} s")


# --- main -------------------------------------------------------------------------------


def stop(signum: int, _frame: object) -> None:
    raise SystemExit(f"time limit reached (signal {signum}): stopping")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 s per run")
    parser.add_argument("--seconds", type=float, help="length of the SIGTERM run (60)")
    parser.add_argument("--sigkill-seconds", type=float, help="length of the SIGKILL run (20)")
    args = parser.parse_args()
    seconds = args.seconds or (10.0 if args.quick else 60.0)
    kill_seconds = args.sigkill_seconds or (10.0 if args.quick else 20.0)
    if min(seconds, kill_seconds) < 2:
        parser.error("each run needs at least 2 seconds")
    # Whatever happens, stop: set-up, both runs, each run's last requests, and a margin.
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(int(seconds + kill_seconds + 2 * 30 + 300))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kimweb-bench-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        fill_started = time.perf_counter()
        users = fill_database(url)
        print(f"filled {url} with the demo data in {time.perf_counter() - fill_started:.1f} s")
        runs: list[Run] = []
        with gunicorn(url, folder) as server:
            workers = wait_for_workers(server.master, WORKERS, seconds=60)
            until_serving(server, workers)
            print(
                f"gunicorn {gunicorn_version()}, master {server.master}, workers {workers} "
                f"on {server.base}; memory before the load: "
                + ", ".join(f"{pid} {kib(rss_kb(pid))}" for pid in [server.master, *workers])
            )
            for name, signum, length in (
                ("SIGTERM run", signal.SIGTERM, seconds),
                ("SIGKILL run", signal.SIGKILL, kill_seconds),
            ):
                result = run(server, name, signum, length, users)
                report(result, server)
                runs.append(result)
                until_serving(server, result.workers)
            log = server.error_log.read_text()
        problems = [line for line in log.splitlines() if "Traceback" in line or "locked" in line]
        lines = [line for line in log.splitlines() if "orker" in line and "pid" in line]
        print("\ngunicorn's log about workers:")
        for line in lines:
            print(f"  {line[:160]}")
        if problems:
            print(f"problems in the error log: {problems[:5]}")
    summary(runs, started)
    signal.alarm(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
