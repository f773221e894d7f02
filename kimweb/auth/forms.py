"""Forms for signing in and for the user's own account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from kimweb.auth import services
from kimweb.i18n import LANGUAGES, STAFF_LANGUAGES


def password_policy(username_field: str | None = None):
    """WTForms validator applying the password policy of ``services``."""

    def check(form, field) -> None:
        username = None
        if username_field:
            username = form[username_field].data
        elif getattr(form, "username_for_policy", None):
            username = form.username_for_policy
        problem = services.password_problem(field.data or "", username)
        if problem:
            raise ValidationError(problem)

    return check


def language_choices() -> list[tuple[str, str]]:
    return [(code, LANGUAGES[code]) for code in STAFF_LANGUAGES]


class LoginForm(FlaskForm):
    username = StringField(
        _l("User name"),
        validators=[DataRequired(_l("Please enter your user name.")), Length(max=128)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Please enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Sign in"))


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Please enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Please enter a new password.")), password_policy()],
        description=_l("At least 10 characters. A long sentence is a good password."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[
            DataRequired(_l("Please repeat the new password.")),
            EqualTo("new_password", _l("The two passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change password"))

    def __init__(self, *args, username: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.username_for_policy = username


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language of the user interface"), choices=language_choices)
    submit = SubmitField(_l("Save language"))
