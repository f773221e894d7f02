"""Runs every benchmark and writes docs/PERFORMANCE.md (what `make bench` does).

Each ``bench/bench_*.py`` runs in turn, as its own process, with its output shown as it
comes and kept. Then docs/PERFORMANCE.md is written: the date and the machine (CPU,
cores, memory, Python, SQLite, PostgreSQL, gunicorn, wrk, Chromium), a table of the
targets met and missed, read from the scripts' verdict lines (a line naming a target and
ending in ``: met`` or ``: MISSED``; a ``SQL statements ...: same`` or ``DIFFERENT`` line
counts as the target of a constant number of statements), the commands to reproduce the
figures, and one section per benchmark with its printed summary verbatim (from its
``=== Summary`` line on; the end of its output if it has none).

    cd /work/main && .venv/bin/python bench/report.py [--quick] [--only NAME ...]

``--quick`` passes ``--quick`` to every benchmark (less data, shorter loads; the file then
says that these are not the reference figures). ``--only bench_pages`` runs only the
named ones. The exit status is 0 when every benchmark ran, missed targets included; 1 if
one failed (the file is written all the same).
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from common import machine  # noqa: E402

OUTPUT = ROOT / "docs" / "PERFORMANCE.md"
TIMEOUT_S = 30 * 60  # one benchmark, whatever happens (each also has limits of its own)
DATABASES = ("sqlite", "postgresql")
TARGET = re.compile(r"^(?P<text>.*\btarget\b.*?):\s*(?P<verdict>met|MISSED)\b(?P<rest>.*)$", re.I)
STATEMENTS = re.compile(r"^(?P<text>SQL statements per .*):\s*(?P<verdict>same|DIFFERENT)$")
SECTION = re.compile(r"^=== (?P<name>\w+)\b")


@dataclass
class Outcome:
    script: Path
    command: list[str]
    output: str
    status: int
    seconds: float

    @property
    def name(self) -> str:
        return self.script.stem


@dataclass(frozen=True)
class Verdict:
    benchmark: str
    target: str
    met: bool


def scripts() -> list[Path]:
    """Every bench/bench_*.py, in the order ``make bench`` has always run them."""
    return sorted(BENCH.glob("bench_*.py"))


def purpose(script: Path) -> str:
    """The first line of the script's docstring."""
    text = ast.get_docstring(ast.parse(script.read_text())) or ""
    return text.splitlines()[0] if text else ""


def shown(command: list[str]) -> str:
    """The command as typed in the project folder."""
    return " ".join(
        str(Path(p).relative_to(ROOT)) if p.startswith(str(ROOT)) else p for p in command
    )


def run(script: Path, args: list[str]) -> Outcome:
    """Runs one benchmark, its output shown as it comes; ended (its process group) after
    TIMEOUT_S."""
    command = [str(ROOT / ".venv" / "bin" / "python"), str(script), *args]
    if not Path(command[0]).exists():
        command[0] = sys.executable
    print(f"\n##### {shown(command)}", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own scripts
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        start_new_session=True,  # its gunicorn, wrk and Chromium go with it on a timeout
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )

    def stop() -> None:
        print(f"\n##### {script.name}: stopped after {TIMEOUT_S} s", flush=True)
        os.killpg(process.pid, signal.SIGTERM)

    timer = threading.Timer(TIMEOUT_S, stop)
    timer.start()
    lines = []
    try:
        for line in process.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            lines.append(line)
        status = process.wait()
    finally:
        timer.cancel()
    seconds = time.perf_counter() - started
    print(f"##### {script.name}: exit status {status}, {seconds:.0f} s", flush=True)
    return Outcome(script, command, "".join(lines), status, seconds)


def summary_of(outcome: Outcome) -> str:
    """The printed summary: from the last ``=== Summary`` line on, else the last lines."""
    lines = [line for line in outcome.output.splitlines() if not line.startswith("INFO  [alembic")]
    starts = [i for i, line in enumerate(lines) if line.startswith("=== Summary")]
    if starts and outcome.status == 0:
        return "\n".join(lines[starts[-1] :])
    return "\n".join(["(no summary; the end of the output:)", *lines[-40:]])


def verdicts(outcome: Outcome) -> list[Verdict]:
    """The verdict lines of one benchmark, each with its database when its section names
    one and the line does not."""
    found, database = [], ""
    for line in outcome.output.splitlines():
        section = SECTION.match(line)
        if section:
            database = section["name"] if section["name"] in DATABASES else ""
            continue
        match = TARGET.match(line.strip()) or STATEMENTS.match(line.strip())
        if not match:
            continue
        text = (match["text"] + (match.groupdict().get("rest") or "")).strip()
        text = re.sub(r"^target:\s*", "", text)
        if database and database not in text:
            text = f"{text} ({database})"
        if match.re is STATEMENTS:
            text = f"{text} (no query per row)"
        found.append(Verdict(outcome.name, text, match["verdict"] in ("met", "same")))
    if outcome.status != 0:
        found.append(
            Verdict(outcome.name, f"the benchmark ran (exit status {outcome.status})", False)
        )
    return found


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def document(
    outcomes: list[Outcome], facts: dict[str, str], args: argparse.Namespace, total_s: float
) -> str:
    now = datetime.now().astimezone()
    all_verdicts = [v for outcome in outcomes for v in verdicts(outcome)]
    missed = [v for v in all_verdicts if not v.met]
    options = " ".join(f"--{a}" for a in ("quick",) if getattr(args, a))
    out = [
        "# Performance",
        "",
        f"Measured on {now:%Y-%m-%d} at {now:%H:%M %Z} by `bench/report.py`"
        + (f" (`{options}`)" if options else "")
        + f", which ran every benchmark in {total_s / 60:.1f} minutes and wrote this file. "
        "`make bench` measures again and rewrites it.",
        "",
    ]
    if args.quick:
        out += [
            "**A quick run** (`--quick`: less data, shorter loads): a check of the scripts, "
            "not the reference figures.",
            "",
        ]
    if args.only:
        out += [f"**Only** {', '.join(args.only)} ran (`--only`).", ""]
    out += [
        "The machine is noisy (other work shares its cores): the benchmarks measure each page "
        "beside the trivial `/health` route in the same run, so read the ratios rather than "
        "absolute numbers across runs.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {key} | {cell(value)} |" for key, value in facts.items()),
        "",
        "## Targets",
        "",
        f"{len(all_verdicts) - len(missed)} of {len(all_verdicts)} met."
        + (" Not yet met:" if missed else ""),
        "",
        *(f"- {v.benchmark}: {v.target}" for v in missed),
        *([""] if missed else []),
        "| benchmark | target | result |",
        "| --- | --- | --- |",
        *(
            f"| {v.benchmark} | {cell(v.target)} | {'met' if v.met else '**missed**'} |"
            for v in all_verdicts
        ),
        "",
        "## How to reproduce",
        "",
        "From a fresh clone (Debian, as root for `apt-get`; PostgreSQL on 127.0.0.1:5432 "
        "with trust authentication for user `postgres`, else the PostgreSQL parts are "
        "skipped and say so):",
        "",
        "```sh",
        "make bench   # sets up the venv, Chromium and wrk, then runs bench/report.py",
        "```",
        "",
        "The same without the set-up, and each benchmark alone (`--quick` for a fast check "
        "with less data):",
        "",
        "```sh",
        ".venv/bin/python bench/report.py [--quick] [--only bench_pages]",
        *(f"{shown(o.command[:2])} [--quick]" for o in outcomes),
        "```",
        "",
    ]
    for outcome in outcomes:
        out += [
            f"## {outcome.name}",
            "",
            purpose(outcome.script),
            "",
            f"`{shown(outcome.command)}`: {outcome.seconds:.0f} s, exit status "
            f"{outcome.status}. Its summary, as printed:",
            "",
            "```text",
            summary_of(outcome),
            "```",
            "",
        ]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="--quick for every benchmark")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these, e.g. bench_pages")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="docs/PERFORMANCE.md")
    args = parser.parse_args()
    chosen = scripts()
    if args.only:
        wanted = {name.removesuffix(".py").removeprefix("bench/") for name in args.only}
        chosen = [script for script in chosen if script.stem in wanted]
        if not chosen:
            parser.error(f"no benchmark named {', '.join(sorted(wanted))}")
    started = time.perf_counter()
    facts = machine()
    print("machine: " + "; ".join(f"{key} {value}" for key, value in facts.items()), flush=True)
    outcomes = [run(script, ["--quick"] if args.quick else []) for script in chosen]
    total_s = time.perf_counter() - started
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(document(outcomes, facts, args, total_s) + "\n")
    print("\n=== Targets")
    for outcome in outcomes:
        for v in verdicts(outcome):
            print(f"{'met' if v.met else 'MISSED':<6} {v.benchmark}: {v.target}")
    print(f"\nwrote {args.output} ({total_s / 60:.1f} minutes for every benchmark)")
    return 0 if all(outcome.status == 0 for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
