"""Start page, legal and accessibility pages."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kimweb.consultations import services as timetable
from kimweb.directory import services as directory
from kimweb.htmx import render_page, wants_fragment
from kimweb.meetings.forms import MINUTES_STATE_NAMES
from kimweb.pages import services
from kimweb.pages.forms import FeedbackForm

bp = Blueprint("pages", __name__)

# Statement data that changes with each assessment (BITV NRW model statement).
ASSESSMENT = {"date": date(2026, 11, 21), "review": date(2027, 11, 21)}


@bp.get("/")
@login_required
def index() -> Response:
    to_check, first_to_check = directory.needs_checking_summary()
    now = timetable.now_in_berlin()
    today = now.date()
    return render_page(
        "pages/index.html",
        start=services.start_page(current_user, now),
        minutes_state_names=MINUTES_STATE_NAMES,
        to_check=to_check,
        check_cap=directory.COUNT_CAP,
        week_limit=services.START_WEEK_LIMIT,
        first_to_check=first_to_check,
        exceptions=[e for e in timetable.upcoming_exceptions(today) if (e.date - today).days < 14],
    )


@bp.get("/health")
def health() -> Response:
    """A trivial answer for load balancers, monitoring and as the benchmarks' baseline."""
    return Response("ok\n", mimetype="text/plain")


@bp.get("/accessibility")
def accessibility() -> Response:
    return render_page("pages/accessibility.html", form=FeedbackForm(), assessment=ASSESSMENT)


@bp.post("/accessibility")
def accessibility_feedback() -> Response:
    form = FeedbackForm()
    if form.validate():
        services.save_feedback(
            form.message.data,
            form.page_url.data,
            form.name.data,
            form.email.data,
            str(get_locale()),
        )
        if wants_fragment():
            return render_page(
                "pages/accessibility.html",
                block="feedback",
                form=FeedbackForm(formdata=None),
                assessment=ASSESSMENT,
                sent=True,
            )
        flash(_("Thank you. Your feedback has been sent to the office."), "success")
        return redirect(url_for("pages.accessibility") + "#feedback")
    return render_page(
        "pages/accessibility.html",
        block="feedback",
        form=form,
        assessment=ASSESSMENT,
        status=422,
    )


@bp.get("/privacy")
def privacy() -> Response:
    return render_page("pages/privacy.html")


@bp.get("/imprint")
def imprint() -> Response:
    return render_page("pages/imprint.html")
