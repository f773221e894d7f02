"""``flask kim``: create users, load demo or scale data, back up and restore."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from kimweb import backup as backups
from kimweb import demo, scale
from kimweb.auth import services as auth
from kimweb.auth.models import ROLES
from kimweb.extensions import db
from kimweb.scale.directory import CONTACTS_PER_ORGANISATION

kim = AppGroup("kim", help="kimweb administration.")


@kim.command("create-user")
@click.option("--username", prompt=True, help="Login name (letters, digits, . - _).")
@click.option("--email", prompt=True)
@click.option("--display-name", prompt="Display name")
@click.option("--role", type=click.Choice(ROLES), default="staff", show_default=True)
@click.option("--language", type=click.Choice(["de", "en"]), default="de", show_default=True)
def create_user(username: str, email: str, display_name: str, role: str, language: str) -> None:
    """Create a user; the password is asked for, never taken from the command line."""
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = auth.create_user(username, email, display_name, password, role, language)
    except auth.UserError as error:
        raise click.ClickException(f"{error.field}: {error.message}") from error
    click.echo(f"Created {user.role} '{user.username}'.")


@kim.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) on a non-empty database.")
def seed_demo(if_empty: bool) -> None:
    """Fill an empty database with demo data; refuses a non-empty one."""
    if not demo.database_is_empty():
        if if_empty:
            click.echo("The database already has data; no demo data added.")
            return
        raise click.ClickException(
            "The database is not empty. Demo data is only added to an empty database."
        )
    logins = demo.seed_demo()
    click.echo(
        "Demo data added. Logins (password '{}'): {}".format(demo.DEMO_PASSWORD, ", ".join(logins))
    )


@kim.command("seed-scale")
@click.option(
    "--factor",
    type=click.FloatRange(0, 10, min_open=True),
    default=1.0,
    show_default=True,
    help="Times the full size (0.01 for a quick look).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def seed_scale(factor: float, yes: bool) -> None:
    """Fill an empty, separate database with scale data for benchmarks: 100,000 contact
    persons, 5,000 meetings with 50,000 agenda items, 50,000 events, 300 consultation
    times (at factor 1), and the demo logins. Refuses a non-empty database."""
    click.echo(f"Database: {db.engine.url.render_as_string(hide_password=True)}")
    if not scale.database_is_empty():
        raise click.ClickException(
            "The database is not empty. Scale data is only added to an empty database: "
            "point KIMWEB_DATABASE_URL to a new one and run 'flask db upgrade' first."
        )
    planned = scale.sizes(factor)
    contacts = planned["organisations"] * CONTACTS_PER_ORGANISATION
    click.echo(
        f"Scale data at factor {factor:g}: {contacts:,} contact persons, "
        f"{planned['meetings']:,} meetings, {planned['events']:,} events, "
        f"{planned['slots']:,} consultation times."
    )
    if not yes:
        click.confirm("Fill this database?", abort=True)
    started = time.perf_counter()
    counts = scale.seed_scale(factor)
    click.echo(f"Scale data added in {time.perf_counter() - started:.0f} s (rows per table):")
    for table, rows in counts.items():
        click.echo(f"  {table:<32} {rows:>9,}")
    click.echo(
        "Logins (password '{}'): {}".format(
            demo.DEMO_PASSWORD, ", ".join(name for name, _display, _role in demo.DEMO_USERS)
        )
    )


def _sqlite_database() -> Path | None:
    return backups.sqlite_path(current_app.config["SQLALCHEMY_DATABASE_URI"])


@kim.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Copy the running SQLite database to PATH and check the copy."""
    try:
        database = _sqlite_database()
        if database is None:
            raise click.ClickException(backups.PG_DUMP_HELP)
        result = backups.backup_sqlite(database, path)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {path} (integrity check: {result}).")


@kim.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore(path: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup at PATH (checked first)."""
    try:
        database = _sqlite_database()
        if database is None:
            raise click.ClickException(backups.PG_DUMP_HELP)
        if not yes:
            click.confirm(f"Replace everything in {database} with {path}?", abort=True)
        backups.restore_sqlite(path, database)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {database} from {path}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(kim)
