"""Sign-in, sign-out, session limits and the user's own account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from kimweb.auth import services
from kimweb.auth.forms import LanguageForm, LoginForm, PasswordChangeForm
from kimweb.extensions import db, login_manager
from kimweb.htmx import render_page
from kimweb.i18n import SESSION_KEY as LANG_KEY

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = None  # session version and limits are checked below


@login_manager.user_loader
def _load_user(user_id: str):
    return services.load_user(user_id)


@login_manager.unauthorized_handler
def _unauthorized() -> Response:
    """Send the whole page to the login form, also from inside an htmx request."""
    if request.htmx:
        target = request.headers.get("HX-Current-URL")
    elif request.method == "GET":
        target = request.full_path.rstrip("?")
    else:
        target = request.referrer
    login_url = url_for("auth.login", next=safe_next(target))
    if request.htmx:
        response = Response(status=401)
        response.headers["HX-Redirect"] = login_url
        return response
    flash(str(login_manager.login_message), "info")
    return redirect(login_url)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site; anything else (other hosts, schemes) is dropped."""
    if not target:
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if (parts.scheme or parts.netloc) and parts.netloc != request.host:
        return None
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//") or "\\" in target:
        return None
    if path.startswith(url_for("auth.login")):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


@bp.before_app_request
def _enforce_session_limits() -> None:
    if not current_user.is_authenticated:
        return
    now = services.now_ts()
    config = current_app.config
    if services.session_expired(
        session.get("started"),
        session.get("seen"),
        now,
        config["KIMWEB_SESSION_IDLE"],
        config["KIMWEB_SESSION_ABSOLUTE"],
    ):
        logout_user()
        reset_session()
        flash(_("Your session has expired. Please sign in again."), "info")
        return
    if now - session.get("seen", 0) > 30:
        session["seen"] = now


def client_address() -> str:
    return request.remote_addr or "unknown"


def failure_counter() -> services.FailureCounter:
    config = current_app.config
    if config.get("KIMWEB_REDIS_URL"):
        return services.RedisCounter(config["KIMWEB_REDIS_URL"], config["KIMWEB_LOGIN_WINDOW"])
    return services.DatabaseCounter(config["KIMWEB_LOGIN_WINDOW"])


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response:
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("pages.index"))
    form = LoginForm()
    status = 200
    if form.is_submitted():
        status = 422
        if form.validate():
            result = services.sign_in(
                form.username.data,
                form.password.data,
                client_address(),
                failure_counter(),
                current_app.config["KIMWEB_LOGIN_MAX_FAILURES"],
            )
            if result.throttled:
                minutes = int(current_app.config["KIMWEB_LOGIN_WINDOW"].total_seconds() // 60)
                form.form_errors.append(
                    _(
                        "Too many failed sign-ins. Please wait %(minutes)d minutes and try again.",
                        minutes=minutes,
                    )
                )
                status = 429
            elif result.user is None:
                form.form_errors.append(_("User name or password is not correct."))
            else:
                start_session(result.user)
                flash(_("Welcome, %(name)s.", name=result.user.display_name), "success")
                return redirect(next_url or url_for("pages.index"))
        form.password.data = ""
    return render_page("auth/login.html", form=form, next_url=next_url, status=status)


def reset_session() -> None:
    """Empty the session; only the chosen language is carried over."""
    keep_lang = session.get(LANG_KEY)
    session.clear()
    if keep_lang:
        session[LANG_KEY] = keep_lang


def start_session(user) -> None:
    """A fresh session for ``user``."""
    reset_session()
    login_user(user)
    session.permanent = True
    now = services.now_ts()
    session["started"] = now
    session["seen"] = now


@bp.post("/logout")
@login_required
def logout() -> Response:
    current_user.end_sessions()
    db.session.commit()
    logout_user()
    reset_session()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


def _account_page(password_form=None, language_form=None, status: int = 200) -> Response:
    password_form = password_form or PasswordChangeForm(username=current_user.username)
    language_form = language_form or LanguageForm(language=current_user.language)
    return render_page(
        "auth/account.html",
        password_form=password_form,
        language_form=language_form,
        status=status,
    )


@bp.get("/account/")
@login_required
def account() -> Response:
    return _account_page()


@bp.post("/account/password")
@login_required
def change_password() -> Response:
    form = PasswordChangeForm(username=current_user.username)
    if form.validate():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("The current password is not correct."))
        else:
            user = current_user._get_current_object()
            user.set_password(form.new_password.data)
            user.end_sessions()
            db.session.commit()
            start_session(user)  # this browser stays signed in, others do not
            flash(_("Your password has been changed. Other sessions have been ended."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(password_form=form, status=422)


@bp.post("/account/language")
@login_required
def change_language() -> Response:
    form = LanguageForm()
    if form.validate():
        current_user.language = form.language.data
        db.session.commit()
        session[LANG_KEY] = form.language.data
        flash(_("Your language has been saved."), "success")
        return redirect(url_for("auth.account"))
    return _account_page(language_form=form, status=422)
