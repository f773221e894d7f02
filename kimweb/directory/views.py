"""Directory views: search, organisation and contact pages, edit, archive, export, import."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from kimweb.auth.access import admin_required
from kimweb.directory import exchange, services
from kimweb.directory.forms import (
    ContactForm,
    FocusAreaForm,
    ImportForm,
    OrganisationForm,
    SearchForm,
)
from kimweb.directory.models import Contact, Organisation
from kimweb.directory.vocabulary import ORGANISATION_KINDS
from kimweb.extensions import db
from kimweb.forms import form_status
from kimweb.htmx import render_page
from kimweb.pagination import paginate
from kimweb.routing import id_arg

bp = Blueprint("directory", __name__, url_prefix="/directory")

KINDS = {"organisations": Organisation, "contacts": Contact}


@bp.before_request
@login_required
def _staff_only() -> None:
    """Everything in the directory is for signed-in staff only."""


@bp.context_processor
def _directory_context() -> dict:
    return {"kinds": ORGANISATION_KINDS, "needs_checking": services.needs_checking}


def _search(form: SearchForm) -> services.DirectoryQuery:
    form.validate()
    return services.DirectoryQuery.from_form(form.valid_data())


@bp.get("/")
def index() -> Response:
    form = SearchForm(request.args)
    query = _search(form)
    page = paginate(
        services.search_query(query),
        per_page=25,
        cap=services.COUNT_CAP,
        items_query=lambda total: services.search_query(
            query, many=total > services.WALK_NAME_INDEX_FROM
        ),
    )
    hits = services.load_hits(page.items)
    status = 422 if form.errors else 200
    return render_page(
        "directory/index.html", block="results", form=form, page=page, hits=hits, status=status
    )


def _entry(kind: str, entry_id: int) -> Organisation | Contact:
    if kind not in KINDS:
        abort(404)
    return db.get_or_404(KINDS[kind], entry_id)


def _entry_url(entry: Organisation | Contact) -> str:
    if isinstance(entry, Organisation):
        return url_for("directory.organisation", org_id=entry.id)
    return url_for("directory.contact", contact_id=entry.id)


@bp.get("/organisations/<id:org_id>")
def organisation(org_id: int) -> Response:
    org = db.get_or_404(Organisation, org_id)
    return render_page(
        "directory/organisation.html",
        org=org,
        changes=services.history(org),
        labels=services.value_labels(),
        needs_check=services.needs_checking(org.verified_on),
    )


@bp.get("/contacts/<id:contact_id>")
def contact(contact_id: int) -> Response:
    person = db.get_or_404(Contact, contact_id)
    return render_page(
        "directory/contact.html",
        contact=person,
        changes=services.history(person),
        labels=services.value_labels(),
        needs_check=services.needs_checking(person.verified_on),
    )


def _form_data(form) -> dict:
    return {
        name: value for name, value in form.data.items() if name not in {"csrf_token", "submit"}
    }


@bp.route("/organisations/new", methods=["GET", "POST"])
def organisation_new() -> Response:
    form = OrganisationForm()
    if form.validate_on_submit():
        org = services.save_organisation(None, _form_data(form), current_user)
        flash(_("%(name)s has been added.", name=org.name), "success")
        return redirect(url_for("directory.organisation", org_id=org.id))
    return render_page(
        "directory/organisation_form.html", form=form, org=None, status=form_status(form)
    )


@bp.route("/organisations/<id:org_id>/edit", methods=["GET", "POST"])
def organisation_edit(org_id: int) -> Response:
    org = db.get_or_404(Organisation, org_id)
    form = OrganisationForm(obj=org)
    if request.method == "GET":
        form.focus_area_ids.data = [str(area.id) for area in org.focus_areas]
    if form.validate_on_submit():
        services.save_organisation(org, _form_data(form), current_user)
        flash(_("Your changes have been saved."), "success")
        return redirect(url_for("directory.organisation", org_id=org.id))
    return render_page(
        "directory/organisation_form.html", form=form, org=org, status=form_status(form)
    )


@bp.route("/contacts/new", methods=["GET", "POST"])
def contact_new() -> Response:
    form = ContactForm()
    if request.method == "GET":
        form.organisation_id.data = id_arg("organisation") or 0
    if form.validate_on_submit():
        person = services.save_contact(None, _form_data(form), current_user)
        flash(_("%(name)s has been added.", name=person.name), "success")
        return redirect(url_for("directory.contact", contact_id=person.id))
    return render_page(
        "directory/contact_form.html", form=form, contact=None, status=form_status(form)
    )


@bp.route("/contacts/<id:contact_id>/edit", methods=["GET", "POST"])
def contact_edit(contact_id: int) -> Response:
    person = db.get_or_404(Contact, contact_id)
    form = ContactForm(obj=person)
    if form.validate_on_submit():
        services.save_contact(person, _form_data(form), current_user)
        flash(_("Your changes have been saved."), "success")
        return redirect(url_for("directory.contact", contact_id=person.id))
    return render_page(
        "directory/contact_form.html", form=form, contact=person, status=form_status(form)
    )


def _back(entry: Organisation | Contact) -> Response:
    target = request.form.get("next", "")
    if target.startswith("/directory/") and not target.startswith("//"):
        return redirect(target)
    return redirect(_entry_url(entry))


@bp.post("/<kind>/<id:entry_id>/archive")
def archive(kind: str, entry_id: int) -> Response:
    entry = _entry(kind, entry_id)
    services.set_archived(entry, True, current_user)
    flash(
        _("%(name)s has been archived. It can be restored at any time.", name=entry.name), "success"
    )
    return _back(entry)


@bp.post("/<kind>/<id:entry_id>/restore")
def restore(kind: str, entry_id: int) -> Response:
    entry = _entry(kind, entry_id)
    services.set_archived(entry, False, current_user)
    flash(_("%(name)s has been restored.", name=entry.name), "success")
    return _back(entry)


@bp.post("/<kind>/<id:entry_id>/verify")
def verify(kind: str, entry_id: int) -> Response:
    entry = _entry(kind, entry_id)
    services.mark_verified(entry, current_user)
    flash(_("%(name)s is marked as checked today.", name=entry.name), "success")
    return _back(entry)


@bp.route("/<kind>/<id:entry_id>/delete", methods=["GET", "POST"])
@admin_required
def delete(kind: str, entry_id: int) -> Response:
    entry = _entry(kind, entry_id)
    if request.method == "POST":
        name = entry.name
        services.delete_for_good(entry)
        flash(_("%(name)s has been deleted for good.", name=name), "success")
        return redirect(url_for("directory.index"))
    return render_page("directory/delete.html", entry=entry, kind=kind)


def _export_hits() -> list[services.Hit]:
    contact_id = id_arg("contact")
    org_id = id_arg("organisation")
    if contact_id:
        person = db.get_or_404(Contact, contact_id)
        return [services.Hit(person.organisation, person)]
    if org_id:
        org = db.get_or_404(Organisation, org_id)
        return [
            services.Hit(org),
            *(services.Hit(org, c) for c in org.contacts if not c.is_archived),
        ]
    return services.contacts_for_export(_search(SearchForm(request.args)))


@bp.get("/export.vcf")
def export_vcf() -> Response:
    return Response(
        exchange.vcard(_export_hits()),
        mimetype="text/vcard",
        headers={"Content-Disposition": 'attachment; filename="kimweb-verzeichnis.vcf"'},
    )


@bp.get("/export.csv")
def export_csv() -> Response:
    return Response(
        exchange.csv_export(_export_hits()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="kimweb-verzeichnis.csv"'},
    )


@bp.route("/import", methods=["GET", "POST"])
def import_upload() -> Response:
    form = ImportForm()
    if form.validate_on_submit():
        content = form.file.data.read()
        preview = exchange.plan_import(exchange.parse_csv(content))
        token = services.store_upload(
            current_user, form.file.data.filename or "import.csv", content
        )
        return render_page("directory/import.html", form=form, preview=preview, token=token)
    return render_page(
        "directory/import.html", form=form, preview=None, token=None, status=form_status(form)
    )


@bp.post("/import/confirm")
def import_confirm() -> Response:
    upload = services.take_upload(request.form.get("token", ""), current_user)
    if upload is None:
        flash(_("This import has expired. Please upload the file again."), "warning")
        return redirect(url_for("directory.import_upload"))
    preview = exchange.plan_import(exchange.parse_csv(upload.content))
    counts = exchange.run_import(preview, current_user)
    db.session.delete(upload)
    db.session.commit()
    flash(
        _(
            "Import finished: %(created)d new, %(updated)d updated, %(skipped)d unchanged.",
            **counts,
        ),
        "success",
    )
    return redirect(url_for("directory.index"))


@bp.route("/focus-areas", methods=["GET", "POST"])
def focus_areas() -> Response:
    form = FocusAreaForm()
    if form.validate_on_submit():
        area = services.add_focus_area(form.label.data)
        flash(_("The focus area %(name)s is available.", name=area.label), "success")
        return redirect(url_for("directory.focus_areas"))
    return render_page(
        "directory/focus_areas.html",
        form=form,
        areas=services.focus_areas(),
        status=form_status(form),
    )
