"""Meetings: bodies, agendas, minutes, tasks and the needs register (staff only)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from kimweb.auth.models import User
from kimweb.consultations.holidays import HOLIDAY_NAMES
from kimweb.directory import services as directory
from kimweb.directory.vocabulary import MUNICIPALITIES
from kimweb.extensions import db
from kimweb.forms import form_status
from kimweb.htmx import render_page, wants_fragment
from kimweb.meetings import feeds, rules, services
from kimweb.meetings.forms import (
    ATTENDANCE_NAMES,
    MINUTES_STATE_NAMES,
    NEED_STATE_NAMES,
    OUTCOME_KINDS,
    ROLE_NAMES,
    STANDING_TITLES,
    CancelForm,
    ItemForm,
    MeetingForm,
    MembershipForm,
    NeedFilterForm,
    NeedForm,
    NeedStatusForm,
    NotesForm,
    OutcomeForm,
    ReasonForm,
    SeriesForm,
)
from kimweb.meetings.markup import WARNING_LABELS, client_data_warnings, render_markdown
from kimweb.meetings.models import ATTENDANCE, AgendaItem, Body, Guest, Meeting, Need, Outcome
from kimweb.routing import as_id, id_arg

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

PREVIEW_DAYS = 370
MAX_TEXT = 50_000


@bp.before_request
@login_required
def _staff_only() -> None:
    """Every page of the meetings is for signed-in staff."""


@bp.context_processor
def _meetings_context() -> dict:
    return {
        "minutes_state_names": MINUTES_STATE_NAMES,
        "need_state_names": NEED_STATE_NAMES,
        "outcome_kinds": OUTCOME_KINDS,
        "attendance_names": ATTENDANCE_NAMES,
        "role_names": ROLE_NAMES,
        "markdown": render_markdown,
        "holiday_names": HOLIDAY_NAMES,
        "item_title": _item_title,
        "can_organise": lambda body: services.can_organise(body, current_user),
        "can_see": lambda body: services.can_see(body, current_user),
    }


def _item_title(item: AgendaItem) -> str:
    """The standing items' titles in the reader's language; others as written."""
    return str(STANDING_TITLES[item.kind]) if item.is_standing else item.title


# --- lookups with permission checks ------------------------------------------------------


def _body(body_id: int) -> Body:
    body = db.get_or_404(Body, body_id)
    if not services.can_see(body, current_user):
        abort(404)
    return body


def _organised_body(body_id: int) -> Body:
    body = _body(body_id)
    if not services.can_organise(body, current_user):
        abort(403)
    return body


def _meeting(meeting_id: int, organise: bool = False) -> Meeting:
    meeting = db.get_or_404(Meeting, meeting_id)
    if not services.can_see(meeting.body, current_user):
        abort(404)
    if organise and not services.can_organise(meeting.body, current_user):
        abort(403)
    return meeting


def _item(item_id: int, organise: bool = True) -> AgendaItem:
    item = db.get_or_404(AgendaItem, item_id)
    if not services.can_see(item.body, current_user):
        abort(404)
    if organise and not services.can_organise(item.body, current_user):
        abort(403)
    return item


def _minutes_item(item_id: int) -> AgendaItem:
    """An item whose minutes the current user may edit (organiser, not locked)."""
    item = _item(item_id)
    if item.meeting is None:
        abort(404)
    if item.meeting.minutes_state == "locked":
        abort(409)
    return item


def _locked_item(item_id: int) -> tuple[AgendaItem, bool]:
    """An item of minutes the current user organises, and whether they are locked: text sent
    to locked minutes is answered with 409 and shown back, so it can be copied, not lost."""
    item = _item(item_id)
    if item.meeting is None:
        abort(404)
    return item, item.meeting.minutes_state == "locked"


def _back(default: str) -> Response:
    return redirect(request.form.get("next") if _safe_next() else default)


def _safe_next() -> bool:
    target = request.form.get("next") or ""
    return target.startswith("/meetings/") and "//" not in target and "\\" not in target


# --- overview ---------------------------------------------------------------------------


@bp.get("/")
def index() -> Response:
    now = services.now_in_berlin()
    services.top_up_series(now.date())
    bodies = services.visible_bodies(current_user)
    body_id = id_arg("body")
    if body_id and body_id not in {body.id for body in bodies}:
        body_id = None
    return render_page(
        "meetings/index.html",
        block="meetings",
        bodies=bodies,
        body_id=body_id,
        upcoming=services.meetings_of(current_user, True, now, body_id, limit=30),
        past=services.meetings_of(current_user, False, now, body_id, limit=30),
    )


@bp.get("/bodies/<id:body_id>")
def body(body_id: int) -> Response:
    body = _body(body_id)
    return _body_page(body, ItemForm(), MembershipForm())


def _body_page(body: Body, form: ItemForm, member_form: MembershipForm, status: int = 200):
    now = services.now_in_berlin()
    organiser = services.can_organise(body, current_user)
    if organiser:
        member_form.user_id.choices = _user_choices()
    series = db.session.scalars(
        sa.select(services.Series).where(services.Series.body_id == body.id)
    ).all()
    skipped = [
        (row, occurrence)
        for row in series
        for occurrence in services.series_dates(
            row, now.date(), now.date() + timedelta(PREVIEW_DAYS)
        )
        if occurrence.holiday
    ]
    return render_page(
        "meetings/body.html",
        body=body,
        form=form,
        member_form=member_form,
        organiser=organiser,
        members=services.members(body),
        series=series,
        skipped=skipped,
        upcoming=services.meetings_of(current_user, True, now, body.id, limit=20),
        backlog=services.backlog(body),
        status=status,
    )


def _user_choices() -> list[tuple[str, str]]:
    users = db.session.scalars(
        sa.select(User).where(User.is_active.is_(True)).order_by(User.display_name)
    )
    return [(str(user.id), f"{user.display_name} ({user.username})") for user in users]


@bp.post("/bodies/<id:body_id>/propose")
def propose(body_id: int) -> Response:
    body = _body(body_id)
    form = ItemForm()
    if form.validate_on_submit():
        services.propose_topic(body, current_user, form.data)
        flash(_("Your topic has been added to the backlog."), "success")
        return redirect(url_for("meetings.body", body_id=body.id) + "#backlog")
    return _body_page(body, form, MembershipForm(formdata=None), status=422)


@bp.post("/bodies/<id:body_id>/members")
def members(body_id: int) -> Response:
    body = _organised_body(body_id)
    form = MembershipForm()
    form.user_id.choices = _user_choices()
    user = db.session.get(User, as_id(form.user_id.data) or 0)
    remove = request.form.get("remove") == "1"
    if user is None:
        form.user_id.errors = [_("Please choose a person.")]
        return _body_page(body, ItemForm(formdata=None), form, status=422)
    if form.role.data not in ROLE_NAMES:
        abort(400)
    services.set_membership(body, user, None if remove else form.role.data)
    flash(_("The members have been updated."), "success")
    return redirect(url_for("meetings.body", body_id=body.id) + "#members")


# --- series and single meetings -------------------------------------------------------


@bp.route("/bodies/<id:body_id>/series/new", methods=["GET", "POST"])
def series_new(body_id: int) -> Response:
    body = _organised_body(body_id)
    today = services.now_in_berlin().date()
    form = SeriesForm(data={"first_date": today, "location": body.default_location})
    preview = None
    if request.method == "POST" and form.validate():
        if request.form.get("confirm") == "1":
            _series, made = services.save_series(
                body,
                form.rule,
                form.rule_text.data,
                form.first_date.data,
                form.last_date.data,
                form.location.data,
                today,
            )
            flash(
                _("The series has been saved: %(num)d meetings planned.", num=len(made)), "success"
            )
            return redirect(url_for("meetings.body", body_id=body.id))
        preview = _preview(form, today)
    return render_page(
        "meetings/series_form.html",
        body=body,
        form=form,
        preview=preview,
        described=rules.describe(form.rule, _locale()) if form.rule else "",
        status=form_status(form) if form.errors else 200,
    )


def _locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "de")


def _preview(form: SeriesForm, today) -> list[rules.Occurrence]:
    start = max(form.first_date.data, today)
    end = today + timedelta(days=PREVIEW_DAYS)
    if form.last_date.data:
        end = min(end, form.last_date.data)
    dates = rules.expand(form.rule, form.first_date.data, start, end)
    return dates[:40]


@bp.route("/bodies/<id:body_id>/meetings/new", methods=["GET", "POST"])
def meeting_new(body_id: int) -> Response:
    body = _organised_body(body_id)
    form = MeetingForm(data={"location": body.default_location})
    if form.validate_on_submit():
        meeting = services.create_meeting(body, *_times(form), form.location.data)
        flash(_("The meeting has been created."), "success")
        return redirect(url_for("meetings.agenda", meeting_id=meeting.id))
    return render_page(
        "meetings/meeting_form.html", body=body, meeting=None, form=form, status=form_status(form)
    )


def _times(form: MeetingForm) -> tuple[datetime, datetime]:
    day = form.day.data
    return (
        datetime.combine(day, form.start_time.data, tzinfo=services.BERLIN),
        datetime.combine(day, form.end_time.data, tzinfo=services.BERLIN),
    )


@bp.route("/<id:meeting_id>/edit", methods=["GET", "POST"])
def meeting_edit(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id, organise=True)
    form = MeetingForm(
        data={
            "day": meeting.starts.date(),
            "start_time": meeting.starts.time(),
            "end_time": meeting.ends.time(),
            "location": meeting.location,
        }
    )
    if form.validate_on_submit():
        services.move_meeting(meeting, *_times(form), form.location.data)
        flash(_("The meeting has been moved."), "success")
        return redirect(url_for("meetings.agenda", meeting_id=meeting.id))
    return render_page(
        "meetings/meeting_form.html",
        body=meeting.body,
        meeting=meeting,
        form=form,
        cancel_form=CancelForm(formdata=None),
        status=form_status(form),
    )


@bp.post("/<id:meeting_id>/cancel")
def meeting_cancel(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id, organise=True)
    form = CancelForm()
    if not form.validate():
        return render_page(
            "meetings/meeting_form.html",
            body=meeting.body,
            meeting=meeting,
            form=MeetingForm(formdata=None, data={"day": meeting.starts.date()}),
            cancel_form=form,
            status=422,
        )
    services.cancel_meeting(meeting, form.reason.data)
    flash(_("The meeting has been cancelled."), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting.id))


@bp.post("/<id:meeting_id>/restore")
def meeting_restore(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id, organise=True)
    services.restore_meeting(meeting)
    flash(_("The meeting takes place again."), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting.id))


# --- agenda -----------------------------------------------------------------------------


@bp.get("/<id:meeting_id>")
def agenda(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    if not services.can_see_agenda(meeting, current_user):
        abort(403)
    return _agenda_page(meeting, ItemForm(formdata=None))


def _agenda_page(
    meeting: Meeting, form: ItemForm, status: int = 200, guest_query: str = "", moved: str = ""
) -> Response:
    organiser = services.can_organise(meeting.body, current_user)
    guest_hits = []
    if organiser and guest_query.strip():
        query = directory.DirectoryQuery(q=guest_query.strip(), show="contacts")
        entries = list(db.session.scalars(directory.search_query(query).limit(10)))
        guest_hits = directory.load_hits(entries)
    return render_page(
        "meetings/agenda.html",
        block="agenda",
        meeting=meeting,
        organiser=organiser,
        form=form,
        previous=services.previous_meeting(meeting),
        carried=services.carried_tasks(meeting),
        planned=services.planned_minutes(meeting),
        length=services.meeting_minutes(meeting),
        backlog=services.backlog(meeting.body) if organiser else [],
        guest_query=guest_query,
        guest_hits=guest_hits,
        moved=moved,
        status=status,
    )


@bp.get("/<id:meeting_id>.ics")
def ics(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    if not services.can_see_agenda(meeting, current_user):
        abort(403)
    url = url_for("meetings.agenda", meeting_id=meeting.id, _external=True)
    body = feeds.meeting_ics(meeting, url, services.now_in_berlin())
    response = Response(body, mimetype="text/calendar")
    name = f"sitzung-{meeting.starts:%Y-%m-%d}.ics"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.get("/<id:meeting_id>/print")
def agenda_print(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    if not services.can_see_agenda(meeting, current_user):
        abort(403)
    return render_page(
        "meetings/agenda_print.html",
        meeting=meeting,
        previous=services.previous_meeting(meeting),
        carried=services.carried_tasks(meeting),
    )


@bp.post("/<id:meeting_id>/publish")
def publish(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id, organise=True)
    if request.form.get("draft") == "1":
        services.unpublish(meeting)
        flash(_("The agenda is a draft again; only organisers see it."), "success")
    else:
        services.publish(meeting)
        flash(_("The agenda has been published; members can read it now."), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting.id))


@bp.post("/<id:meeting_id>/items")
def item_new(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id, organise=True)
    form = ItemForm()
    if form.validate_on_submit():
        services.add_item(meeting, current_user, form.data)
        flash(_("The item has been added."), "success")
        return redirect(url_for("meetings.agenda", meeting_id=meeting.id) + "#agenda")
    return _agenda_page(meeting, form, status=422)


@bp.route("/items/<id:item_id>/edit", methods=["GET", "POST"])
def item_edit(item_id: int) -> Response:
    item = _item(item_id)
    if item.is_standing:
        abort(404)
    form = ItemForm(obj=item)
    if form.validate_on_submit():
        services.update_item(item, form.data)
        flash(_("The item has been saved."), "success")
        if item.meeting_id:
            return redirect(url_for("meetings.agenda", meeting_id=item.meeting_id) + "#agenda")
        return redirect(url_for("meetings.body", body_id=item.body_id) + "#backlog")
    return render_page("meetings/item_form.html", item=item, form=form, status=form_status(form))


@bp.post("/items/<id:item_id>/move")
def item_move(item_id: int) -> Response:
    item = _item(item_id)
    if item.meeting is None:
        abort(404)
    step = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if step is None:
        abort(400)
    services.move_item(item, step)
    meeting = item.meeting
    if wants_fragment():
        db.session.refresh(meeting)
        position = meeting.items.index(item) + 1
        moved = _("“%(title)s” is now item %(num)d.", title=_item_title(item), num=position)
        return _agenda_page(meeting, ItemForm(formdata=None), moved=moved)
    return redirect(url_for("meetings.agenda", meeting_id=meeting.id) + f"#item-{item.id}")


@bp.post("/items/<id:item_id>/take")
def item_take(item_id: int) -> Response:
    item = _item(item_id)
    meeting = db.get_or_404(Meeting, as_id(request.form.get("meeting")) or 0)
    if item.meeting_id is not None or meeting.body_id != item.body_id:
        abort(409)
    services.take_into_meeting(item, meeting)
    flash(_("“%(title)s” is now on the agenda.", title=_item_title(item)), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting.id) + "#agenda")


@bp.post("/items/<id:item_id>/backlog")
def item_backlog(item_id: int) -> Response:
    item = _item(item_id)
    meeting_id = item.meeting_id
    if meeting_id is None or item.is_standing:
        abort(409)
    services.return_to_backlog(item)
    flash(_("“%(title)s” is back in the backlog.", title=_item_title(item)), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting_id) + "#agenda")


@bp.post("/items/<id:item_id>/delete")
def item_delete(item_id: int) -> Response:
    item = _item(item_id)
    if item.is_standing:
        abort(409)
    meeting_id, body_id = item.meeting_id, item.body_id
    services.delete_item(item)
    flash(_("The item has been deleted."), "success")
    if meeting_id:
        return redirect(url_for("meetings.agenda", meeting_id=meeting_id) + "#agenda")
    return redirect(url_for("meetings.body", body_id=body_id) + "#backlog")


@bp.get("/<id:meeting_id>/guests")
def guests(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id, organise=True)
    query = request.args.get("q", "")[:200]
    response = _agenda_page(meeting, ItemForm(formdata=None), guest_query=query)
    return response


@bp.post("/<id:meeting_id>/guests")
def guest_add(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id, organise=True)
    from kimweb.directory.models import Contact

    contact = db.get_or_404(Contact, as_id(request.form.get("contact")) or 0)
    item = None
    if request.form.get("item"):
        item = db.session.get(AgendaItem, as_id(request.form.get("item")) or 0)
        if item is None or item.meeting_id != meeting.id:
            abort(400)
    if services.invite_contact(meeting, contact, item):
        flash(_("%(name)s has been invited.", name=contact.name), "success")
    else:
        flash(_("%(name)s is already invited.", name=contact.name), "info")
    return redirect(url_for("meetings.agenda", meeting_id=meeting.id) + "#guests")


@bp.post("/guests/<id:guest_id>/delete")
def guest_delete(guest_id: int) -> Response:
    guest = db.get_or_404(Guest, guest_id)
    meeting = _meeting(guest.meeting_id, organise=True)
    db.session.delete(guest)
    db.session.commit()
    flash(_("The guest has been removed."), "success")
    return redirect(url_for("meetings.agenda", meeting_id=meeting.id) + "#guests")


# --- minutes ----------------------------------------------------------------------------


@bp.get("/<id:meeting_id>/minutes")
def minutes(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    if not services.can_see_minutes(meeting, current_user):
        abort(403)
    return _minutes_page(meeting)


def _minutes_page(
    meeting: Meeting,
    status: int = 200,
    reopen_form: ReasonForm | None = None,
    item_states: dict[int, dict] | None = None,
) -> Response:
    editable = services.can_edit_minutes(meeting, current_user)
    return render_page(
        "meetings/minutes.html",
        **_minutes_context(meeting, editable),
        reopen_form=reopen_form or ReasonForm(formdata=None),
        attendance=services.attendance(meeting),
        log=services.minutes_log(meeting),
        status=status,
        item_states=item_states or {},
    )


def _minutes_context(meeting: Meeting, editable: bool) -> dict:
    return {
        "meeting": meeting,
        "editable": editable,
        "previous": services.previous_meeting(meeting),
        "carried": services.carried_tasks(meeting),
        "member_choices": _member_choices(meeting.body),
        "client_data_notice": _client_data_notice,
        "needs_of": _needs_of(meeting),
    }


def _needs_of(meeting: Meeting) -> Callable[[AgendaItem], list]:
    """For the template: the needs of one item, all read in one query beforehand."""
    needs = services.needs_by_item(meeting)
    return lambda item: needs.get(item.id, [])


def _client_data_notice(text: str | None) -> str:
    """What the notes seem to contain that minutes must not (empty: nothing)."""
    return ", ".join(str(WARNING_LABELS[key]) for key in client_data_warnings(text))


def _member_choices(body: Body) -> list[tuple[str, str]]:
    return [("", _("— nobody —"))] + [
        (str(row.user_id), row.user.display_name) for row in services.members(body)
    ]


def _item_fragment(item: AgendaItem, status: int = 200, **state) -> Response:
    meeting = item.meeting
    editable = services.can_edit_minutes(meeting, current_user)
    return render_page(
        "meetings/minutes.html",
        block="minutes_item",
        item=item,
        number=meeting.items.index(item) + 1,
        **_minutes_context(meeting, editable),
        status=status,
        **state,
    )


@bp.post("/items/<id:item_id>/notes")
def notes(item_id: int) -> Response:
    item, locked = _locked_item(item_id)
    if locked:
        return _after_notes(item, 409, locked_text=request.form.get("notes", "")[:MAX_TEXT])
    form = NotesForm()
    version = as_id(form.version.data) if form.version.data != "0" else 0
    if not form.validate() or version is None:
        if version is None:
            form.version.errors = [_("The form is out of date; please reload the page.")]
        return _after_notes(item, 422, notes_form=form)
    result = services.save_notes(item, version, form.notes.data or "", current_user)
    if not result.saved:
        return _after_notes(item, 409, notes_form=form, conflict=result)
    db.session.refresh(item)
    if wants_fragment():
        return _item_fragment(item, saved=True)
    flash(_("The notes on “%(title)s” have been saved.", title=_item_title(item)), "success")
    return redirect(url_for("meetings.minutes", meeting_id=item.meeting_id) + f"#item-{item.id}")


def _after_notes(item: AgendaItem, status: int, **state) -> Response:
    if wants_fragment():
        return _item_fragment(item, status, **state)
    return _minutes_page(item.meeting, status, item_states={item.id: state})


@bp.post("/items/<id:item_id>/outcomes")
def outcome_new(item_id: int) -> Response:
    item, locked = _locked_item(item_id)
    if locked:
        return _after_notes(item, 409, locked_text=request.form.get("text", "")[:MAX_TEXT])
    form = OutcomeForm()
    form.assignee_id.choices = _member_choices(item.body)
    member_ids = {value for value, _label in form.assignee_id.choices if value}
    valid = form.validate_on_submit()
    if form.assignee_id.data and form.assignee_id.data not in member_ids:
        form.assignee_id.errors = [_("Please choose a member of this body.")]
        valid = False
    if valid:
        data = dict(form.data, assignee_id=as_id(form.assignee_id.data))
        services.add_outcome(item, data, current_user)
        if wants_fragment():
            db.session.refresh(item)
            return _item_fragment(item)
        flash(_("The outcome has been recorded."), "success")
        return redirect(
            url_for("meetings.minutes", meeting_id=item.meeting_id) + f"#item-{item.id}"
        )
    return _after_notes(item, 422, outcome_form=form)


@bp.post("/outcomes/<id:outcome_id>/delete")
def outcome_delete(outcome_id: int) -> Response:
    outcome = db.get_or_404(Outcome, outcome_id)
    item = _minutes_item(outcome.item_id)
    services.delete_outcome(outcome)
    flash(_("The outcome has been deleted."), "success")
    return redirect(url_for("meetings.minutes", meeting_id=item.meeting_id) + f"#item-{item.id}")


@bp.post("/outcomes/<id:outcome_id>/status")
def outcome_status(outcome_id: int) -> Response:
    outcome = db.get_or_404(Outcome, outcome_id)
    if outcome.kind != "task" or not services.can_see(outcome.item.body, current_user):
        abort(404)
    if not services.can_close_task(outcome, current_user):
        abort(403)
    done = request.form.get("done") == "1"
    services.set_task_status(outcome, done)
    if done:
        flash(_("The task “%(text)s” is done.", text=outcome.text[:80]), "success")
    else:
        flash(_("The task “%(text)s” is open again.", text=outcome.text[:80]), "success")
    return _back(url_for("meetings.tasks"))


@bp.post("/<id:meeting_id>/attendance")
def attendance(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id, organise=True)
    if meeting.minutes_state == "locked":
        abort(409)
    statuses = {}
    for key, value in request.form.items():
        if key.startswith("member-") and value:
            user_id = as_id(key.removeprefix("member-"))
            if user_id is None or value not in ATTENDANCE:
                abort(400)
            statuses[user_id] = value
    present = {as_id(value) for value in request.form.getlist("guest")} - {None}
    services.record_attendance(meeting, statuses, present)
    flash(_("The attendance has been saved."), "success")
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id) + "#attendance")


MINUTES_MESSAGES = {
    "circulate": _l("The minutes have been circulated to the members."),
    "approve": _l("The minutes have been approved."),
    "lock": _l("The minutes are locked and can no longer be changed."),
}


@bp.post("/<id:meeting_id>/minutes/<any(circulate, approve, lock):action>")
def minutes_state(meeting_id: int, action: str) -> Response:
    meeting = _meeting(meeting_id, organise=True)
    try:
        services.change_minutes_state(meeting, action, current_user)
    except services.StateError:
        abort(409)
    flash(str(MINUTES_MESSAGES[action]), "success")
    return _back(url_for("meetings.minutes", meeting_id=meeting.id))


@bp.post("/<id:meeting_id>/minutes/reopen")
def minutes_reopen(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    if not current_user.is_admin:
        abort(403)
    form = ReasonForm()
    if not form.validate():
        return _minutes_page(meeting, 422, reopen_form=form)
    try:
        services.change_minutes_state(meeting, "reopen", current_user, form.reason.data)
    except services.StateError:
        abort(409)
    flash(_("The minutes have been reopened; the reason is logged."), "success")
    return redirect(url_for("meetings.minutes", meeting_id=meeting.id))


@bp.get("/<id:meeting_id>/minutes/print")
def minutes_print(meeting_id: int) -> Response:
    meeting = _meeting(meeting_id)
    if not services.can_see_minutes(meeting, current_user):
        abort(403)
    return render_page(
        "meetings/minutes_print.html",
        **_minutes_context(meeting, False),
        attendance=services.attendance(meeting),
    )


@bp.get("/items/<id:item_id>/history")
def history(item_id: int) -> Response:
    item = _item(item_id, organise=False)
    if item.meeting is None or not services.can_see_minutes(item.meeting, current_user):
        abort(404)
    revisions = services.revisions(item)
    by_version = {revision.version: revision for revision in revisions}
    newer = by_version.get(as_id(request.args.get("b")) or 0)
    older = by_version.get(as_id(request.args.get("a")) or 0)
    if newer is None and revisions:
        newer = revisions[0]
    if older is None and len(revisions) > 1:
        older = next((r for r in revisions if r.version < newer.version), None)
    rows = services.diff(older.notes if older else "", newer.notes) if newer else []
    return render_page(
        "meetings/history.html",
        item=item,
        revisions=revisions,
        older=older,
        newer=newer,
        rows=rows,
    )


# --- tasks and needs --------------------------------------------------------------------


@bp.get("/tasks")
def tasks() -> Response:
    return render_page(
        "meetings/tasks.html",
        tasks=services.open_tasks_for(current_user),
        today=services.now_in_berlin().date(),
    )


@bp.get("/needs")
def needs() -> Response:
    bodies = services.visible_bodies(current_user)
    form = NeedFilterForm(request.args)
    form.body.choices = [("", _("all"))] + [(str(b.id), b.name) for b in bodies]
    form.municipality.choices = [("", _("all"))] + [(m, m) for m in MUNICIPALITIES]
    filters = services.NeedFilter(
        status=form.status.data if form.status.data in NEED_STATE_NAMES else "",
        body_id=as_id(form.body.data),
        municipality=form.municipality.data if form.municipality.data in MUNICIPALITIES else "",
    )
    return render_page(
        "meetings/needs.html",
        block="results",
        form=form,
        needs=services.needs(filters, current_user),
        coordinator=services.is_coordinator(current_user),
    )


@bp.route("/needs/new", methods=["GET", "POST"])
def need_new() -> Response:
    bodies = services.visible_bodies(current_user)
    item = None
    item_id = as_id(request.values.get("item"))
    if item_id:
        item = _item(item_id, organise=False)
    form = NeedForm(data={"body_id": str(item.body_id) if item else ""})
    form.body_id.choices = [(str(b.id), b.name) for b in bodies]
    form.municipalities.choices = [(m, m) for m in MUNICIPALITIES]
    if form.validate_on_submit():
        body = _body(as_id(form.body_id.data) or 0)
        need = services.raise_need(form.data, body, current_user, item)
        flash(_("The need has been recorded."), "success")
        return redirect(url_for("meetings.need", need_id=need.id))
    return render_page("meetings/need_form.html", form=form, item=item, status=form_status(form))


@bp.route("/needs/<id:need_id>", methods=["GET", "POST"])
def need(need_id: int) -> Response:
    need = db.get_or_404(Need, need_id)
    if not services.can_see_need(need, current_user):
        abort(404)
    coordinator = services.is_coordinator(current_user)
    form = NeedStatusForm()
    form.status.choices = [
        (state, NEED_STATE_NAMES[state]) for state in services.NEED_TRANSITIONS[need.status]
    ]
    if request.method == "POST":
        if not coordinator:
            abort(403)
        if form.validate_on_submit():
            try:
                services.change_need(
                    need, form.status.data, form.note.data, current_user, services.now_in_berlin()
                )
            except services.StateError:
                form.status.errors = [_("There is no steering group to submit to.")]
            else:
                flash(_("The status has been changed."), "success")
                return redirect(url_for("meetings.need", need_id=need.id))
    return render_page(
        "meetings/need.html",
        need=need,
        form=form,
        coordinator=coordinator,
        status=form_status(form) if request.method == "POST" else 200,
    )


@bp.get("/search")
def search() -> Response:
    query = request.args.get("q", "")[:200]
    return render_page(
        "meetings/search.html",
        block="results",
        q=query,
        hits=services.search(current_user, query),
    )
