"""Forms for managing users."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Regexp

from kimweb.auth.forms import language_choices, password_policy


def role_choices() -> list[tuple[str, str]]:
    return [("staff", str(_l("Staff"))), ("admin", str(_l("Admin")))]


class UserEditForm(FlaskForm):
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(_l("Please enter a name.")), Length(max=120)],
    )
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Please enter an email address.")),
            Length(max=254),
            Email(_l("Please enter a valid email address, e.g. name@example.org.")),
        ],
    )
    role = SelectField(_l("Role"), choices=role_choices)
    language = SelectField(_l("Language"), choices=language_choices)
    is_active = BooleanField(_l("Active (may sign in)"), default=True)
    submit = SubmitField(_l("Save"))


class UserCreateForm(UserEditForm):
    username = StringField(
        _l("User name"),
        validators=[
            DataRequired(_l("Please enter a user name.")),
            Length(max=64, message=_l("Please write at most %(max)d characters.")),
            Regexp(
                r"^[A-Za-z0-9._-]+$",
                message=_l("Only letters a-z, digits, dot, hyphen and underscore."),
            ),
        ],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(_l("Please enter a password.")), password_policy("username")],
        description=_l("At least 10 characters. Tell it to the person in a safe way."),
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Create user"))


class PasswordResetForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Please enter a password.")), password_policy()],
        description=_l("At least 10 characters. All sessions of this user are ended."),
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Set password"))

    def __init__(self, *args, username: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.username_for_policy = username
