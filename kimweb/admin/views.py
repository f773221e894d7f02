"""Admins manage users and read the sign-in log and accessibility feedback."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from kimweb.admin.forms import PasswordResetForm, UserCreateForm, UserEditForm
from kimweb.auth import services as auth
from kimweb.auth.access import admin_required
from kimweb.auth.models import SignInAttempt, User
from kimweb.extensions import db
from kimweb.htmx import render_page
from kimweb.pages.services import feedback_query
from kimweb.pagination import paginate

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users/")
@admin_required
def users() -> Response:
    page = paginate(sa.select(User).order_by(User.is_active.desc(), User.display_name))
    return render_page("admin/users.html", block="results", page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def user_new() -> Response:
    form = UserCreateForm()
    if form.is_submitted():
        if form.validate():
            try:
                user = auth.create_user(
                    form.username.data,
                    form.email.data,
                    form.display_name.data,
                    form.password.data,
                    role=form.role.data,
                    language=form.language.data,
                    is_active=form.is_active.data,
                )
            except auth.UserError as error:
                form[error.field].errors.append(error.message)
            else:
                flash(_("User %(name)s has been created.", name=user.username), "success")
                return redirect(url_for("admin.users"))
        return render_page("admin/user_new.html", form=form, status=422)
    return render_page("admin/user_new.html", form=form)


def _edit_page(user: User, form=None, password_form=None, status: int = 200) -> Response:
    return render_page(
        "admin/user_edit.html",
        user=user,
        form=form or UserEditForm(obj=user),
        password_form=password_form or PasswordResetForm(username=user.username),
        status=status,
    )


@bp.get("/users/<id:user_id>")
@admin_required
def user_edit(user_id: int) -> Response:
    return _edit_page(db.get_or_404(User, user_id))


@bp.post("/users/<id:user_id>")
@admin_required
def user_update(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    form = UserEditForm()
    if form.validate():
        try:
            auth.update_user(
                user,
                current_user,
                email=form.email.data,
                display_name=form.display_name.data,
                role=form.role.data,
                language=form.language.data,
                is_active=form.is_active.data,
            )
        except auth.UserError as error:
            form[error.field].errors.append(error.message)
        else:
            flash(_("Changes to %(name)s have been saved.", name=user.username), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    db.session.rollback()
    return _edit_page(user, form=form, status=422)


@bp.post("/users/<id:user_id>/password")
@admin_required
def user_password(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm(username=user.username)
    if form.validate():
        auth.reset_password(user, form.password.data)
        flash(_("The password of %(name)s has been set.", name=user.username), "success")
        return redirect(url_for("admin.user_edit", user_id=user.id))
    return _edit_page(user, password_form=form, status=422)


@bp.get("/sign-ins")
@admin_required
def sign_ins() -> Response:
    page = paginate(sa.select(SignInAttempt).order_by(SignInAttempt.created_at.desc()))
    return render_page("admin/sign_ins.html", block="results", page=page)


@bp.get("/feedback")
@admin_required
def feedback() -> Response:
    page = paginate(feedback_query(), per_page=20)
    return render_page("admin/feedback.html", block="results", page=page)
