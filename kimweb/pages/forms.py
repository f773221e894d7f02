"""The accessibility feedback form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional


class FeedbackForm(FlaskForm):
    message = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(_l("Please describe the barrier you found.")),
            Length(max=5000, message=_l("Please write at most %(max)d characters.")),
        ],
        description=_l("Which page, what did not work, what would help you?"),
    )
    page_url = StringField(
        _l("Page concerned (optional)"),
        validators=[
            Optional(),
            Length(max=500, message=_l("Please write at most %(max)d characters.")),
        ],
    )
    name = StringField(
        _l("Your name (optional)"),
        validators=[
            Optional(),
            Length(max=120, message=_l("Please write at most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("Your email address for a reply (optional)"),
        validators=[
            Optional(),
            Length(max=254, message=_l("Please write at most %(max)d characters.")),
            Email(_l("Please enter a valid email address, e.g. name@example.org.")),
        ],
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField(_l("Send feedback"))
