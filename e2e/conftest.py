"""Browser tests: Debian's Chromium driven by Playwright against a live kimweb.

The server runs in a thread on a fresh SQLite database with the demo data.
Every test fails on a console error or a Content-Security-Policy violation.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask_migrate import upgrade
from playwright.sync_api import Page
from werkzeug.serving import make_server

from kimweb import create_app, demo
from kimweb.config import TestConfig
from kimweb.extensions import db
from tests.conftest import missing

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return os.environ.get("KIMWEB_CHROMIUM") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    path = chromium_path()
    if not path:
        missing("Chromium not found (Debian package 'chromium')")
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A browser set up as in the office: German, Berlin time."""
    return {**browser_context_args, "locale": "de-DE", "timezone_id": "Europe/Berlin"}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("live")
    app = create_app(TestConfig(f"sqlite:///{folder / 'e2e.db'}"))
    with app.app_context():
        upgrade()
        demo.seed_demo()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


# Chromium logs every 4xx answer; the tests ask for those on purpose (a 422 form, a 404).
EXPECTED_STATUS = re.compile(
    r"^Failed to load resource: the server responded with a status of 4\d\d"
)


@pytest.fixture(autouse=True)
def no_console_errors(page: Page) -> Iterator[list[str]]:
    """Collect console errors (CSP violations show up there) and page errors."""
    errors: list[str] = []

    def on_console(msg) -> None:
        if msg.type == "error" and not EXPECTED_STATUS.match(msg.text):
            errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert errors == [], f"console errors: {errors}"


def check_axe(page: Page) -> None:
    """axe-core with the WCAG 2.1 A and AA rules: no violation allowed."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
    ]
    assert violations == [], f"axe on {page.url}: {violations}"


def sign_in(page: Page, username: str = "admin", password: str = demo.DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
