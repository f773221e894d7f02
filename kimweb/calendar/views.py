"""The shared calendar: month, week and agenda views, events, feeds and import."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kimweb.calendar import feeds, recurrence, services
from kimweb.calendar.forms import (
    CATEGORY_NAMES,
    ENDS_NAMES,
    FREQUENCY_NAMES,
    EventForm,
    ImportForm,
    OccurrenceForm,
)
from kimweb.calendar.models import Event
from kimweb.consultations import services as timetable
from kimweb.consultations.holidays import HOLIDAY_NAMES
from kimweb.directory import services as uploads
from kimweb.extensions import db
from kimweb.forms import form_status
from kimweb.htmx import render_page
from kimweb.i18n import format_day
from kimweb.meetings import services as meetings
from kimweb.routing import as_id

bp = Blueprint("calendar", __name__)

FEED_PAST_DAYS = 92
FEED_FUTURE_DAYS = 400
MAX_IMPORT_BYTES = 2_000_000


@bp.context_processor
def _calendar_context() -> dict:
    return {
        "category_names": CATEGORY_NAMES,
        "holiday_names": HOLIDAY_NAMES,
        "describe_rule": recurrence.describe,
    }


def _entry_context() -> dict:
    """What every entry of a calendar view shows, translated and built once per page, not
    once per entry (a month can hold a thousand)."""
    return {
        "category_labels": {key: str(name) for key, name in CATEGORY_NAMES.items()},
        "meeting_label": _("Meeting"),
        "cancelled_label": _("cancelled"),
        "changed_label": _("changed"),
        "event_path": url_for("calendar.event", event_id=1).removesuffix("1"),
        "day_limit": services.DAY_LIMIT,
    }


def _categories() -> list[str]:
    return services.valid_filters(request.args.getlist("category"))


@bp.get("/calendar/")
@login_required
def index() -> Response:
    today = services.now_in_berlin().date()
    categories = _categories()
    week = services.parse_week(request.args.get("week"))
    month = services.parse_month(request.args.get("month"))
    view = "agenda" if request.args.get("view") == "agenda" else "week" if week else "month"
    status = 200
    if (request.args.get("month") and not month) or (request.args.get("week") and not week):
        status = 404  # and the page says so above the current month
    context: dict = {
        "not_found": status == 404,
        "view": view,
        "categories": categories,
        "today": today,
        "this_week": _week_key(today - timedelta(days=today.weekday())),
        "body_filters": [
            (f"body-{body.id}", body.name) for body in meetings.visible_bodies(current_user)
        ],
    }
    if view == "week":
        start, end = week, week + timedelta(days=6)
        entries = services.entries_for(current_user, start, end, categories)
        context |= {
            "start": start,
            "days": services.days_between(start, end, entries, today),
            "previous": _week_key(start - timedelta(days=7), bounded=True),
            "next": _week_key(start + timedelta(days=7), bounded=True),
            "current": _week_key(today - timedelta(days=today.weekday())),
        }
    elif view == "agenda":
        start, end = today, today + timedelta(days=services.AGENDA_DAYS)
        entries = services.entries_for(current_user, start, end, categories)
        days = services.days_between(start, end, entries, today)
        context |= {"start": start, "days": [d for d in days if d.entries]}
    else:
        first = month or today.replace(day=1)
        start, end = services.month_range(first)
        entries = services.entries_for(current_user, start, end, categories)
        context |= {
            "first": first,
            "weeks": services.month_grid(first, entries, today),
            "previous": _month_key(services.add_months(first, -1)),
            "next": _month_key(services.add_months(first, 1)),
            "current": f"{today:%Y-%m}",
        }
    context |= _entry_context()
    return render_page("calendar/index.html", block="calendar", status=status, **context)


def _week_key(monday: date, bounded: bool = False) -> str | None:
    """"2026-W49"; None for a week the calendar does not show (with ``bounded``)."""
    year, week, _day = monday.isocalendar()
    key = f"{year}-W{week:02d}"
    return None if bounded and services.parse_week(key) is None else key


def _month_key(first: date) -> str | None:
    """"2026-12"; None for a month the calendar does not show."""
    key = f"{first:%Y-%m}"
    return key if services.parse_month(key) else None


# --- events ------------------------------------------------------------------------------


def _may_change(event: Event) -> bool:
    return current_user.is_admin or event.created_by_id == current_user.id


def _event(event_id: int, change: bool = False) -> Event:
    event = db.get_or_404(Event, event_id)
    if change and not _may_change(event):
        abort(403)
    return event


def _location_choices() -> list[tuple[str, str]]:
    return [("", _("— none —"))] + [
        (str(place.id), f"{place.name}, {place.town or place.municipality}")
        for place in timetable.locations()
    ]


@bp.route("/calendar/events/new", methods=["GET", "POST"])
@bp.route("/calendar/events/<id:event_id>/edit", methods=["GET", "POST"])
@login_required
def event_edit(event_id: int | None = None) -> Response:
    event = _event(event_id, change=True) if event_id else None
    form = EventForm(obj=event)
    form.location_id.choices = _location_choices()
    if request.method == "GET":
        if event is None:
            form.start_date.data = _date_arg("date") or services.now_in_berlin().date()
            form.organiser.data = current_user.display_name
        else:
            form.all_day.data = event.all_day
            if event.end_date == event.start_date:
                form.end_date.data = None  # one day: a new start date must not leave it behind
            form.location_id.data = str(event.location_id or "")
            rule = recurrence.from_rrule(event.rrule, event.start_date)
            if rule is not None:
                form.fill_recurrence(rule)
    custom_rule = event is not None and event.rrule and recurrence.from_rrule(
        event.rrule, event.start_date
    ) is None
    if form.validate_on_submit():
        times = form.times()
        keep = custom_rule and request.form.get("keep_rule") == "1"
        rule = event.rrule if keep else form.rule()
        if not keep:
            times = services.aligned(times, rule)
        data = dict(form.data, location_id=_location_id(form.location_id.data))
        event = services.save_event(event, data, times, rule, current_user)
        flash(_("The event “%(title)s” has been saved.", title=event.title), "success")
        return redirect(url_for("calendar.event", event_id=event.id))
    preview = None
    if request.method == "GET" and event is not None:
        preview = services.preview(form.times(), event.rrule)
    return render_page(
        "calendar/event_form.html",
        form=form,
        event=event,
        custom_rule=custom_rule,
        preview=preview,
        frequency_names=FREQUENCY_NAMES,
        ends_names=ENDS_NAMES,
        status=form_status(form),
    )


@bp.get("/calendar/events/preview")
@login_required
def rule_preview() -> Response:
    """The repetition of the event form in words and dates, while it is filled in (htmx)."""
    form = EventForm(request.args, meta={"csrf": False})
    form.validate()
    problems = form.rule_problems()
    rule = None if problems else form.rule()
    preview = None if problems else services.preview(services.aligned(form.times(), rule), rule)
    form.location_id.choices = _location_choices()
    return render_page(
        "calendar/event_form.html",
        block="preview",
        form=form,
        event=None,
        preview=preview,
        problems=problems,
        frequency_names=FREQUENCY_NAMES,
        ends_names=ENDS_NAMES,
    )


def _location_id(value: str | None) -> int | None:
    place_id = as_id(value)
    return place_id if place_id and db.session.get(timetable.Location, place_id) else None


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


@bp.get("/calendar/events/<id:event_id>")
@login_required
def event(event_id: int) -> Response:
    event = _event(event_id)
    today = services.now_in_berlin().date()
    upcoming = services.event_entries(
        [event], today, today + timedelta(days=365), with_cancelled=False
    )[:12]
    cancelled, _changes = services.exception_maps(event)
    return render_page(
        "calendar/event.html",
        event=event,
        upcoming=upcoming,
        cancelled=sorted(cancelled),
        may_change=_may_change(event),
    )


@bp.route("/calendar/events/<id:event_id>/delete", methods=["GET", "POST"])
@login_required
def event_delete(event_id: int) -> Response:
    """GET asks first (a plain page, so it works without JavaScript); POST deletes."""
    event = _event(event_id, change=True)
    if request.method == "GET":
        return render_page("calendar/event_delete.html", event=event)
    title = event.title
    services.delete_event(event)
    flash(_("The event “%(title)s” has been deleted.", title=title), "success")
    return redirect(url_for("calendar.index"))


@bp.route("/calendar/events/<id:event_id>/dates/<day>", methods=["GET", "POST"])
@login_required
def occurrence(event_id: int, day: str) -> Response:
    """One date of a series: cancel it, give it other times, or undo either."""
    event = _event(event_id, change=True)
    original = services.parse_day(day)
    if original is None or not event.rrule or not services.is_occurrence(event, original):
        abort(404)
    form = OccurrenceForm(
        data={
            "start_date": original,
            "all_day": event.all_day,
            "start_time": event.start_time,
            "end_time": event.end_time,
            # Only a date of several days names its last day: moving a one-day date
            # must not leave its end behind on the old day.
            "end_date": original + span if (span := event.end_date - event.start_date) else None,
        }
    )
    action = request.form.get("action")
    if request.method == "POST" and action == "cancel":
        services.cancel_occurrence(event, original)
        flash(_("The date %(date)s has been cancelled.", date=format_day(original)), "success")
        return redirect(url_for("calendar.event", event_id=event.id))
    if request.method == "POST" and action == "restore":
        services.restore_occurrence(event, original)
        flash(_("The date %(date)s takes place as planned.", date=format_day(original)), "success")
        return redirect(url_for("calendar.event", event_id=event.id))
    if form.validate_on_submit() and form.check_move(original):
        services.change_occurrence(event, original, form.times())
        flash(_("The date %(date)s has been changed.", date=format_day(original)), "success")
        return redirect(url_for("calendar.event", event_id=event.id))
    return render_page(
        "calendar/occurrence.html",
        event=event,
        original=original,
        exception=next((r for r in event.exceptions if r.original_date == original), None),
        form=form,
        status=form_status(form),
    )


@bp.get("/calendar/events/<id:event_id>.ics")
@login_required
def event_ics(event_id: int) -> Response:
    event = _event(event_id)
    return _calendar_file(feeds.events_ics([event], []), f"termin-{event.id}.ics")


# --- feeds --------------------------------------------------------------------------------


def _calendar_file(body: bytes, name: str | None = None) -> Response:
    response = Response(body, mimetype="text/calendar")
    if name:
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/calendar.ics")
def public_ics() -> Response:
    today = services.now_in_berlin().date()
    start, end = today - timedelta(FEED_PAST_DAYS), today + timedelta(FEED_FUTURE_DAYS)
    events = services.load_events(start, end, public_only=True)
    response = _calendar_file(feeds.events_ics(events, [], name=feeds.PUBLIC_NAME))
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@bp.get("/calendar/feed/<token>.ics")
def private_ics(token: str) -> Response:
    """A user's own feed: internal events and the meetings of their bodies."""
    user = services.user_for_token(token)
    if user is None:
        abort(404)
    today = services.now_in_berlin().date()
    start, end = today - timedelta(FEED_PAST_DAYS), today + timedelta(FEED_FUTURE_DAYS)
    events = services.load_events(start, end)
    their_meetings = services.meetings_between(user, start, end)
    response = _calendar_file(feeds.events_ics(events, their_meetings, name=feeds.PRIVATE_NAME))
    response.cache_control.private = True
    response.cache_control.no_cache = True
    return response


@bp.route("/calendar/subscribe", methods=["GET", "POST"])
@login_required
def subscribe() -> Response:
    renew = request.method == "POST"
    token = services.feed_token(current_user, renew=renew)
    if renew:
        flash(_("Your feed has a new address; the old one no longer works."), "success")
        return redirect(url_for("calendar.subscribe"))
    return render_page(
        "calendar/subscribe.html",
        private_url=url_for("calendar.private_ics", token=token, _external=True),
        public_url=url_for("calendar.public_ics", _external=True),
    )


# --- import ---------------------------------------------------------------------------------


@bp.route("/calendar/import", methods=["GET", "POST"])
@login_required
def import_upload() -> Response:
    """Upload an .ics file, see what it would add or update, confirm."""
    form = ImportForm()
    plan, token = None, None
    if form.validate_on_submit():
        upload = request.files.get("file")
        content = upload.read(MAX_IMPORT_BYTES + 1) if upload else b""
        if not content:
            form.file.errors.append(_("Please choose a calendar file (.ics)."))
        elif len(content) > MAX_IMPORT_BYTES:
            form.file.errors.append(_("The file is larger than 2 MB."))
        else:
            try:
                plan = feeds.plan_import(content, current_user)
            except feeds.ImportProblem as problem:
                form.file.errors.append(str(problem))
            else:
                token = uploads.store_upload(current_user, upload.filename or "", content)
    return render_page(
        "calendar/import.html",
        form=form,
        plan=plan,
        token=token,
        status=422 if form.file.errors else 200,
    )


@bp.post("/calendar/import/confirm")
@login_required
def import_confirm() -> Response:
    # Taken (deleted) before the import: a second click of "Import" finds nothing.
    content = uploads.take_upload_once(request.form.get("token", "")[:64], current_user)
    if content is None:
        flash(_("The upload has expired; please choose the file again."), "warning")
        return redirect(url_for("calendar.import_upload"))
    try:
        done = feeds.run_import(content, current_user)
    except feeds.ImportProblem:
        abort(422)
    flash(
        _(
            "%(new)d events added, %(changed)d updated, %(removed)d removed.",
            new=done.created,
            changed=done.updated,
            removed=done.removed,
        ),
        "success",
    )
    return redirect(url_for("calendar.index", view="agenda"))
