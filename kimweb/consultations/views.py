"""The public timetable (no sign-in) and its editing by staff."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from kimweb.consultations import cache, feeds, services
from kimweb.consultations.forms import (
    OFFER_KINDS,
    WEEKDAYS,
    ExceptionForm,
    FilterForm,
    LocationForm,
    OfferForm,
)
from kimweb.consultations.holidays import HOLIDAY_NAMES
from kimweb.consultations.models import Location, Offer, SlotException
from kimweb.directory.vocabulary import language_choices
from kimweb.extensions import db
from kimweb.forms import form_status
from kimweb.htmx import render_page, wants_fragment
from kimweb.routing import id_arg
from kimweb.security import content_security_policy

bp = Blueprint("consultations", __name__)

DAYS_SHOWN = 7
FEED_DAYS = 56


@bp.context_processor
def _timetable_context() -> dict:
    return {
        "offer_kinds": OFFER_KINDS,
        "weekdays": WEEKDAYS,
        "holiday_names": HOLIDAY_NAMES,
        "language_names": dict(language_choices()),
        "describe_slot": services.describe_slot,
        "describe_weeks": services.describe_weeks,
    }


def _filters() -> tuple[FilterForm, services.TimetableFilter]:
    form = FilterForm(request.args)
    form.validate()
    filters = services.TimetableFilter.from_form(form.valid_data())
    filters.location = id_arg("location")
    return form, filters


def _page_key(name: str) -> tuple:
    """What a cached page depends on, read from the request alone (no form, no lookups).

    The whole query string counts: the page's links repeat it.
    """
    now = services.now_in_berlin()
    args = tuple(sorted(request.args.items(multi=True)))
    return (
        name,
        services.current_version(),
        str(get_locale()),
        args,
        wants_fragment(),
        now.strftime("%Y-%m-%d %H:%M"),
    )


@bp.get("/consultations/")
def index() -> Response:
    def render() -> Response:
        form, filters = _filters()
        now = services.now_in_berlin()
        slots = services.load_slots(filters)
        days = services.timetable(slots, now.date(), DAYS_SHOWN, now)
        return render_page(
            "consultations/index.html",
            block="results",
            form=form,
            days=days,
            now=now,
            places=services.schema_org_places(slots),
            status=422 if form.errors else 200,
        )

    return cache.cached_response(_page_key("index"), render)


@bp.get("/consultations/embed")
def embed() -> Response:
    def render() -> Response:
        form, filters = _filters()
        now = services.now_in_berlin()
        days = services.timetable(services.load_slots(filters), now.date(), DAYS_SHOWN, now)
        return render_page("consultations/embed.html", days=days, now=now, form=form)

    response = cache.cached_response(_page_key("embed"), render)
    origins = current_app.config.get("KIMWEB_EMBED_ORIGINS") or []
    response.headers["Content-Security-Policy"] = content_security_policy(
        frame_ancestors=" ".join(origins) if origins else "'none'"
    )
    return response


@bp.get("/consultations/locations/<id:location_id>")
def location(location_id: int) -> Response:
    place = db.get_or_404(Location, location_id)
    filters = services.TimetableFilter(location=place.id)

    def render() -> Response:
        now = services.now_in_berlin()
        slots = services.load_slots(filters)
        return render_page(
            "consultations/location.html",
            place=place,
            now=now,
            week=services.weekly_overview(slots, now.date()),
            days=services.timetable(slots, now.date(), 14, now),
            places=services.schema_org_places(slots),
        )

    return cache.cached_response(_page_key(f"location-{place.id}"), render)


@bp.get("/consultations/print")
def poster() -> Response:
    place_id = id_arg("location")
    places = [db.get_or_404(Location, place_id)] if place_id else services.locations()
    now = services.now_in_berlin()
    posters = []
    for place in places:
        slots = services.load_slots(services.TimetableFilter(location=place.id))
        if slots:
            url = url_for("consultations.location", location_id=place.id, _external=True)
            week = services.weekly_overview(slots, now.date())
            posters.append((place, week, url, services.qr_data_uri(url)))
    overview_url = url_for("consultations.index", _external=True)
    return render_page(
        "consultations/print.html",
        posters=posters,
        now=now,
        overview_url=overview_url,
        overview_qr=services.qr_data_uri(overview_url),
    )


@bp.get("/consultations.ics")
def ics() -> Response:
    _form, filters = _filters()
    now = services.now_in_berlin()
    slots = services.load_slots(filters)
    one = id_arg("slot")
    if one:  # "add this time to my calendar" from an entry
        slots = [slot for slot in slots if slot.id == one]
    body = feeds.ics_feed(slots, now.date(), now.date() + timedelta(days=FEED_DAYS), now)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'attachment; filename="sprechstunden.ics"'
    response.cache_control.public = True
    response.cache_control.no_cache = True
    response.vary.add("Accept-Language")
    return response


# --- staff ----------------------------------------------------------------------------


@bp.get("/consultations/manage/")
@login_required
def manage() -> Response:
    today = services.now_in_berlin().date()
    slots = services.all_slots()
    return render_page(
        "consultations/manage.html",
        offers=services.offers(),
        places=services.locations(),
        closures=services.upcoming_holiday_closures(slots, today),
        exceptions=services.upcoming_exceptions(today),
    )


@bp.route("/consultations/manage/locations/new", methods=["GET", "POST"])
@bp.route("/consultations/manage/locations/<id:location_id>", methods=["GET", "POST"])
@login_required
def location_edit(location_id: int | None = None) -> Response:
    place = db.get_or_404(Location, location_id) if location_id else None
    form = LocationForm(obj=place)
    if form.validate_on_submit():
        place = services.save_location(place, form.data)
        flash(_("The place %(name)s has been saved.", name=place.name), "success")
        return redirect(url_for("consultations.manage"))
    return render_page(
        "consultations/location_form.html", form=form, place=place, status=form_status(form)
    )


@bp.route("/consultations/manage/offers/new", methods=["GET", "POST"])
@bp.route("/consultations/manage/offers/<id:offer_id>", methods=["GET", "POST"])
@login_required
def offer_edit(offer_id: int | None = None) -> Response:
    offer = db.get_or_404(Offer, offer_id) if offer_id else None
    form = OfferForm(obj=offer)
    if request.method == "GET":
        form.fill_from(offer)
    elif "add_slot" in request.form or "remove_slot" in request.form:
        form.change_rows(remove=request.form.get("remove_slot"))
        return render_page("consultations/offer_form.html", block="slots", form=form, offer=offer)
    elif form.validate():
        offer = services.save_offer(offer, form.data, form.slot_values())
        flash(_("The offer %(name)s has been saved.", name=offer.title), "success")
        return redirect(url_for("consultations.manage"))
    return render_page(
        "consultations/offer_form.html", form=form, offer=offer, status=form_status(form)
    )


@bp.post("/consultations/manage/offers/<id:offer_id>/delete")
@login_required
def offer_delete(offer_id: int) -> Response:
    offer = db.get_or_404(Offer, offer_id)
    services.delete_offer(offer)
    flash(_("The offer %(name)s has been deleted.", name=offer.title), "success")
    return redirect(url_for("consultations.manage"))


@bp.route("/consultations/manage/offers/<id:offer_id>/exceptions", methods=["GET", "POST"])
@login_required
def exception_new(offer_id: int) -> Response:
    offer = db.get_or_404(Offer, offer_id)
    form = ExceptionForm()
    form.slot_id.choices = [(0, _("Please choose"))] + [
        (slot.id, services.describe_slot(slot)) for slot in offer.slots
    ]
    if form.validate_on_submit():
        slot = next(s for s in offer.slots if s.id == form.slot_id.data)
        problem = services.exception_input_problem(
            slot,
            form.date.data,
            bool(form.is_cancelled.data),
            form.start_time.data,
            form.end_time.data,
        )
        if problem:
            field, message = problem
            form[field].errors = [*form[field].errors, message]
        else:
            services.save_exception(
                slot,
                form.date.data,
                bool(form.is_cancelled.data),
                form.reason.data,
                form.start_time.data,
                form.end_time.data,
            )
            flash(_("The exception has been saved; the public timetable shows it now."), "success")
            return redirect(url_for("consultations.manage"))
    return render_page(
        "consultations/exception_form.html", form=form, offer=offer, status=form_status(form)
    )


@bp.post("/consultations/manage/exceptions/<id:exception_id>/delete")
@login_required
def exception_delete(exception_id: int) -> Response:
    exception = db.get_or_404(SlotException, exception_id)
    services.delete_exception(exception)
    flash(_("The exception has been removed."), "success")
    return redirect(url_for("consultations.manage"))
