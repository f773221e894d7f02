"""Forms of the directory: search, organisation, contact person, import, focus area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from kimweb.directory import services
from kimweb.directory.vocabulary import kind_choices, language_choices, municipality_choices

TOO_LONG = _l("Please write at most %(max)d characters.")


def phone_number(form, field) -> None:
    problem = services.phone_problem(field.data)
    if problem:
        raise ValidationError(problem)


def website(form, field) -> None:
    problem = services.website_problem(field.data)
    if problem:
        raise ValidationError(problem)


def email_field(label) -> EmailField:
    return EmailField(
        label,
        validators=[
            Optional(),
            Length(max=254, message=TOO_LONG),
            Email(_l("Please enter a valid email address, e.g. name@example.org.")),
        ],
    )


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (in a fieldset with a legend)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def focus_choices() -> list[tuple[str, str]]:
    return [(str(area.id), area.label) for area in services.focus_areas()]


def optional_choices(choices: list[tuple[str, str]], label) -> list[tuple[str, str]]:
    return [("", str(label)), *choices]


class SearchForm(FlaskForm):
    """The directory's search and filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Search"),
        description=_l(
            "Names, functions, organisations, focus areas and towns, from two letters on. "
            "Upper and lower case and umlauts do not matter."
        ),
        validators=[Optional(), Length(max=200, message=TOO_LONG)],
        render_kw={"type": "search", "autocomplete": "off"},
    )
    kind = SelectField(_l("Kind of organisation"), validators=[Optional()])
    focus = SelectField(_l("Focus area"), validators=[Optional()])
    municipality = SelectField(_l("Municipality served"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    show = SelectField(_l("Show"), validators=[Optional()])
    needs_check = BooleanField(_l("Only entries that need checking"))
    archived = BooleanField(_l("Show archived entries instead"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = optional_choices(kind_choices(), _l("All kinds"))
        self.focus.choices = optional_choices(focus_choices(), _l("All focus areas"))
        self.municipality.choices = optional_choices(
            municipality_choices(), _l("All municipalities")
        )
        self.language.choices = optional_choices(language_choices(), _l("All languages"))
        self.show.choices = [
            ("", str(_l("Organisations and people"))),
            ("organisations", str(_l("Organisations only"))),
            ("contacts", str(_l("Contact persons only"))),
        ]

    def valid_data(self) -> dict:
        """The filters that are valid; an invalid one is left out (and shown as an error)."""
        return {name: field.data for name, field in self._fields.items() if not field.errors}


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Please enter the name.")), Length(max=200, message=TOO_LONG)],
    )
    short_name = StringField(
        _l("Short name"), validators=[Optional(), Length(max=60, message=TOO_LONG)]
    )
    kind = SelectField(_l("Kind of organisation"), choices=kind_choices)
    street = StringField(
        _l("Street and number"),
        validators=[Optional(), Length(max=200, message=TOO_LONG)],
        render_kw={"autocomplete": "street-address"},
    )
    postal_code = StringField(
        _l("Postal code"),
        validators=[
            Optional(),
            Regexp(r"^\s*\d{5}\s*$", message=_l("Please enter a five-digit postal code.")),
        ],
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code"},
    )
    town = StringField(_l("Town"), validators=[Optional(), Length(max=100, message=TOO_LONG)])
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=40, message=TOO_LONG), phone_number],
        render_kw={"type": "tel"},
    )
    email = email_field(_l("Email address"))
    website = StringField(
        _l("Website"), validators=[Optional(), Length(max=300, message=TOO_LONG), website]
    )
    municipalities = MultiCheckboxField(_l("Municipalities served"), choices=municipality_choices)
    focus_area_ids = MultiCheckboxField(_l("Focus areas"))
    languages = MultiCheckboxField(_l("Languages offered"), choices=language_choices)
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=5000, message=TOO_LONG)],
        description=_l("About structures and offers only, never about clients."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.focus_area_ids.choices = focus_choices()


class ContactForm(FlaskForm):
    organisation_id = SelectField(
        _l("Organisation"),
        coerce=int,
        validators=[DataRequired(_l("Please choose the organisation."))],
    )
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Please enter the name.")), Length(max=160, message=TOO_LONG)],
    )
    function = StringField(
        _l("Function"), validators=[Optional(), Length(max=160, message=TOO_LONG)]
    )
    room = StringField(_l("Room"), validators=[Optional(), Length(max=60, message=TOO_LONG)])
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=40, message=TOO_LONG), phone_number],
        render_kw={"type": "tel"},
    )
    mobile = StringField(
        _l("Mobile"),
        validators=[Optional(), Length(max=40, message=TOO_LONG), phone_number],
        render_kw={"type": "tel"},
    )
    email = email_field(_l("Email address"))
    office_hours = StringField(
        _l("Office hours"),
        validators=[Optional(), Length(max=300, message=TOO_LONG)],
        description=_l("For example: Mon 9–12, Thu 14–16"),
    )
    languages = MultiCheckboxField(_l("Languages spoken"), choices=language_choices)
    is_publishable = BooleanField(
        _l("May be published"),
        description=_l("Only with the person's consent. Otherwise only staff see this entry."),
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        options = services.organisation_options()
        current = kwargs.get("obj")
        if current is not None and current.organisation_id not in dict(options):
            # An archived organisation is offered only to the people who belong to it.
            options.append((current.organisation_id, current.organisation.name))
        self.organisation_id.choices = [(0, str(_l("Please choose"))), *options]


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        validators=[
            FileRequired(_l("Please choose a CSV file.")),
            FileAllowed(["csv", "txt"], _l("Please choose a CSV file (.csv).")),
        ],
        description=_l("Semicolon or comma separated, as Excel saves it (UTF-8 or Windows)."),
    )
    submit = SubmitField(_l("Show preview"))


class FocusAreaForm(FlaskForm):
    label = StringField(
        _l("New focus area"),
        validators=[DataRequired(_l("Please enter a name.")), Length(max=120, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Add focus area"))
