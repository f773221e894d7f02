"""The failed-sign-in limit holds across gunicorn workers (database and Redis)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
import requests

from tests.conftest import PASSWORD, ROOT, missing

GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode())
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    raise TimeoutError(url)


@pytest.fixture(params=["database", "redis"])
def gunicorn(request, database_url, app, tmp_path):
    env = {
        **os.environ,
        "KIMWEB_DATABASE_URL": database_url,
        "KIMWEB_SECRET_KEY": "gunicorn-test-secret",
        "KIMWEB_INSTANCE_DIR": str(tmp_path),
    }
    env.pop("KIMWEB_REDIS_URL", None)
    if request.param == "redis":
        url = "redis://127.0.0.1:6379/14"
        try:
            redis.Redis.from_url(url).flushdb()
        except redis.exceptions.ConnectionError:
            missing("Redis not reachable at 127.0.0.1:6379")
        env["KIMWEB_REDIS_URL"] = url
    port = free_port()
    log = tmp_path / "access.log"
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(log),
            "--access-logformat",
            "%(p)s %(m)s %(U)s %(s)s",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/login", process)
        yield f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        process.wait(timeout=10)


def attempt(base: str, password: str) -> int:
    """One sign-in from a fresh browser: new connection, cookie and CSRF token."""
    with requests.Session() as browser:
        html = browser.get(f"{base}/login", headers={"Connection": "close"}).text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        response = browser.post(
            f"{base}/login",
            data={"username": "schichtarbeit", "password": password, "csrf_token": token},
            headers={"Connection": "close"},
            allow_redirects=False,
        )
        return response.status_code


def stall(base: str) -> socket.socket:
    """Keep one sync worker busy with a request that never ends, until closed."""
    host, port = base.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)))
    connection.sendall(b"GET /login HTTP/1.1\r\nHost: localhost\r\n")
    time.sleep(0.5)  # let a worker accept it
    return connection


def test_sixth_failed_sign_in_is_refused_by_every_worker(gunicorn, make_user):
    """Three failures on one worker, two on the other: the sixth attempt is refused."""
    base, log = gunicorn
    make_user("schichtarbeit")
    first, second = stall(base), stall(base)  # both workers busy
    first.close()  # worker A is free: it serves the first three attempts
    statuses = [attempt(base, f"falsch-{i}-passwort") for i in range(3)]
    first = stall(base)  # A busy again
    second.close()  # worker B is free: it serves the rest
    statuses += [attempt(base, f"falsch-{i}-passwort") for i in range(3, 5)]
    assert statuses == [422] * 5
    assert attempt(base, "noch-einmal-falsch") == 429
    assert attempt(base, PASSWORD) == 429  # the right password does not help now
    first.close()
    time.sleep(0.5)  # let the access log flush
    posts = [line.split() for line in log.read_text().splitlines() if " POST /login " in line]
    assert len(posts) == 7
    workers = {fields[0] for fields in posts}
    assert len(workers) == 2, f"all sign-ins went to one worker: {workers}"
