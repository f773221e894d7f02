"""Forms of the timetable: public filters, and for staff locations, offers with their weekly
slots (rows added and removed in place), and exceptions on single dates."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from kimweb.consultations import services
from kimweb.directory import services as directory
from kimweb.directory.forms import MultiCheckboxField, focus_choices, optional_choices, phone_number
from kimweb.directory.vocabulary import language_choices, municipality_choices
from kimweb.routing import as_id

TOO_LONG = _l("Please write at most %(max)d characters.")
OFFER_KINDS = {
    "walk_in": _l("Open walk-in hours"),
    "phone": _l("Phone hours"),
    "appointment": _l("By appointment only"),
}
WEEKDAYS = services.WEEKDAY_NAMES
WEEKS = services.WEEK_NAMES


def kind_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in OFFER_KINDS.items()]


class FilterForm(FlaskForm):
    """The public filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    municipality = SelectField(_l("Place"), validators=[Optional()])
    topic = SelectField(_l("Topic"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    kind = SelectField(_l("Kind"), validators=[Optional()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.municipality.choices = optional_choices(municipality_choices(), _l("All places"))
        self.topic.choices = optional_choices(focus_choices(), _l("All topics"))
        self.language.choices = optional_choices(language_choices(), _l("All languages"))
        self.kind.choices = optional_choices(kind_choices(), _l("All kinds"))

    def valid_data(self) -> dict:
        return {name: field.data for name, field in self._fields.items() if not field.errors}


class LocationForm(FlaskForm):
    name = StringField(
        _l("Name of the place"),
        validators=[DataRequired(_l("Please enter the name.")), Length(max=200, message=TOO_LONG)],
    )
    street = StringField(
        _l("Street and number"), validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    postal_code = StringField(
        _l("Postal code"), validators=[Optional(), Length(max=10, message=TOO_LONG)]
    )
    town = StringField(_l("Town"), validators=[Optional(), Length(max=100, message=TOO_LONG)])
    municipality = SelectField(_l("Municipality"), choices=municipality_choices)
    room = StringField(
        _l("Room or entrance"), validators=[Optional(), Length(max=200, message=TOO_LONG)]
    )
    is_step_free = BooleanField(_l("Step-free access"))
    accessibility_notes = StringField(
        _l("Notes on accessibility"),
        validators=[Optional(), Length(max=500, message=TOO_LONG)],
        description=_l("For example: lift at the side entrance, bell at the door."),
    )
    transit_hint = StringField(
        _l("Public transport"),
        validators=[Optional(), Length(max=300, message=TOO_LONG)],
        description=_l("For example: bus SB 11, stop Rathaus."),
    )
    submit = SubmitField(_l("Save"))


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def sensible_date(form, field) -> None:
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(_l("Please enter a date between 2000 and 2100."))


class SlotForm(Form):
    """One weekly time (a row of the offer form; no CSRF of its own)."""

    id = HiddenField()
    location_id = SelectField(_l("Place"), coerce=int)
    weekday = SelectField(
        _l("Weekday"), coerce=int, choices=[(k, str(v)) for k, v in WEEKDAYS.items()]
    )
    start_time = TimeField(_l("From"), validators=[InputRequired(_l("Please enter the start."))])
    end_time = TimeField(_l("Until"), validators=[InputRequired(_l("Please enter the end."))])
    weeks = MultiCheckboxField(
        _l("Only in these weeks of the month"),
        coerce=int,
        choices=[(k, str(v)) for k, v in WEEKS.items()],
        description=_l("None ticked: every week."),
    )
    valid_from = DateField(_l("First day"), validators=[Optional(), sensible_date])
    valid_until = DateField(_l("Last day"), validators=[Optional(), sensible_date])


class OfferForm(FlaskForm):
    organisation_id = SelectField(
        _l("Organisation"),
        coerce=int,
        validators=[DataRequired(_l("Please choose the organisation."))],
    )
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Please enter a title.")), Length(max=200, message=TOO_LONG)],
    )
    kind = SelectField(_l("Kind"), choices=kind_choices)
    topic_ids = MultiCheckboxField(_l("Topics"))
    languages = MultiCheckboxField(_l("Languages"), choices=language_choices)
    target_groups = StringField(
        _l("Target groups"), validators=[Optional(), Length(max=300, message=TOO_LONG)]
    )
    phone = StringField(
        _l("Phone"),
        validators=[Optional(), Length(max=40, message=TOO_LONG), phone_number],
        render_kw={"type": "tel"},
    )
    email = EmailField(
        _l("Email address"),
        validators=[
            Optional(),
            Length(max=254, message=TOO_LONG),
            Email(_l("Please enter a valid email address, e.g. name@example.org.")),
        ],
    )
    notes = TextAreaField(
        _l("Notes for the public"), validators=[Optional(), Length(max=2000, message=TOO_LONG)]
    )
    slots = FieldList(FormField(SlotForm), label=_l("Weekly time"), min_entries=0, max_entries=40)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_id.choices = [
            (0, str(_l("Please choose"))),
            *directory.organisation_options(),
        ]
        self.topic_ids.choices = focus_choices()
        places = [(0, str(_l("No place (phone hours)")))] + [
            (loc.id, loc.name) for loc in services.locations()
        ]
        for row in self.slots:
            row.form.location_id.choices = places
        self.place_choices = places

    def add_slot(self) -> None:
        self.slots.append_entry()
        self.slots[-1].form.location_id.choices = self.place_choices

    def fill_from(self, offer) -> None:
        """The offer's topics and slots into the form (GET); a new offer gets one row."""
        if offer is None:
            self.add_slot()
            return
        self.topic_ids.data = [str(area.id) for area in offer.topics]
        self.languages.data = offer.languages
        while len(self.slots):
            self.slots.pop_entry()
        for slot in offer.slots:
            self.add_slot()
            row = self.slots[-1].form
            row.id.data = str(slot.id)
            for name in ("weekday", "start_time", "end_time", "valid_from", "valid_until"):
                row[name].data = getattr(slot, name)
            row.location_id.data = slot.location_id or 0
            row.weeks.data = slot.weeks

    def change_rows(self, remove: str | None) -> None:
        """Add an empty slot row (up to the limit), or remove row ``remove`` (counted from 0);
        the input of the other rows is kept."""
        if remove is None:
            if len(self.slots) < self.slots.max_entries:
                self.add_slot()
            return
        if not (remove.isascii() and remove.isdigit()) or int(remove) >= len(self.slots):
            return
        kept = [row.form.data for i, row in enumerate(self.slots) if i != int(remove)]
        while len(self.slots):
            self.slots.pop_entry()
        for data in kept:
            self.add_slot()
            self.slots[-1].form.process(data=data)
            self.slots[-1].form.location_id.choices = self.place_choices

    def slot_values(self) -> list[dict]:
        values, seen = [], set()
        for row in self.slots:
            data = dict(row.form.data)
            data["id"] = as_id(data.get("id"))
            if data["id"] in seen:  # the same existing time twice: the copy is a new one
                data["id"] = None
            seen.add(data["id"])
            data["location_id"] = data["location_id"] or None
            values.append(data)
        return values

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        rows = list(self.slots)
        if not valid or not rows:
            return valid
        problems = services.slot_problems([_SlotView(r.form) for r in rows])
        for index, message in problems.items():
            rows[index].form.end_time.errors = [*rows[index].form.end_time.errors, message]
        return not problems


class _SlotView:
    """The attributes ``services.slot_problems`` reads, from a slot row of the form."""

    def __init__(self, form: SlotForm) -> None:
        self.weekday = form.weekday.data
        self.start_time = form.start_time.data
        self.end_time = form.end_time.data
        self.valid_from = form.valid_from.data
        self.valid_until = form.valid_until.data
        self.weeks = form.weeks.data or []
        self.location_id = form.location_id.data or None


class ExceptionForm(FlaskForm):
    slot_id = SelectField(
        _l("Which time"), coerce=int, validators=[DataRequired(_l("Please choose the time."))]
    )
    date = DateField(
        _l("Date"), validators=[InputRequired(_l("Please enter the date.")), sensible_date]
    )
    is_cancelled = SelectField(
        _l("What happens"),
        coerce=int,
        choices=[(1, str(_l("Cancelled"))), (0, str(_l("Other times")))],
    )
    start_time = TimeField(_l("From"), validators=[Optional()])
    end_time = TimeField(_l("Until"), validators=[Optional()])
    reason = StringField(
        _l("Reason (shown to the public)"),
        validators=[Optional(), Length(max=300, message=TOO_LONG)],
    )
    submit = SubmitField(_l("Save exception"))
