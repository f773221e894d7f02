"""Forms of the calendar: an event with its repetition, one date of a series, an import."""

from __future__ import annotations

from datetime import date, time, timedelta

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from kimweb.calendar import recurrence
from kimweb.calendar.services import FIRST_DAY, LAST_DAY, MAX_MOVE_DAYS, MAX_SPAN_DAYS

CATEGORY_NAMES = {
    "event": _l("Event"),
    "training": _l("Training"),
    "deadline": _l("Deadline"),
    "external": _l("External"),
}
FREQUENCY_NAMES = {
    "none": _l("does not repeat"),
    "daily": _l("daily"),
    "weekly": _l("weekly"),
    "monthly_day": _l("monthly on the same day"),
    "monthly_nth": _l("monthly on a weekday (e.g. first Thursday)"),
    "yearly": _l("yearly"),
}
WEEKDAY_NAMES = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)
NTH_NAMES = {
    "1": _l("first"),
    "2": _l("second"),
    "3": _l("third"),
    "4": _l("fourth"),
    "5": _l("fifth"),
    "-1": _l("last"),
}
ENDS_NAMES = {
    "never": _l("never"),
    "until": _l("on a date"),
    "count": _l("after a number of dates"),
}


def _sensible(form: FlaskForm, field: DateField) -> None:
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_l("Please enter a date between 2000 and 2100."))


def _web_address(form: FlaskForm, field: StringField) -> None:
    value = (field.data or "").strip()
    if value and not value.lower().startswith(("https://", "http://")):
        raise ValidationError(_l("Please enter a web address starting with https://."))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TimesMixin:
    """Start and end, with or without times; checked together."""

    def times(self) -> tuple[date, time | None, date, time | None]:
        all_day = self.all_day.data
        end_date = self.end_date.data or self.start_date.data
        if all_day:
            return self.start_date.data, None, end_date, None
        return self.start_date.data, self.start_time.data, end_date, self.end_time.data

    def check_times(self) -> bool:
        ok = True
        if not self.all_day.data:
            for name in ("start_time", "end_time"):
                if getattr(self, name).data is None and not getattr(self, name).errors:
                    getattr(self, name).errors.append(
                        gettext("Please enter a time, or tick “all day”.")
                    )
                    ok = False
        if not ok or not self.start_date.data:
            return ok
        start_date, start_time, end_date, end_time = self.times()
        if (end_date, end_time or time(0)) < (start_date, start_time or time(0)) or (
            start_time and end_time and (end_date, end_time) == (start_date, start_time)
        ):
            target = self.end_time if end_date == start_date and start_time else self.end_date
            target.errors.append(gettext("The end must be after the start."))
            return False
        if end_date - start_date > timedelta(days=MAX_SPAN_DAYS):
            self.end_date.errors.append(
                gettext("An event lasts at most %(num)d days; use a repetition.", num=MAX_SPAN_DAYS)
            )
            return False
        return True


class EventForm(TimesMixin, FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    category = SelectField(_l("Category"), choices=list(CATEGORY_NAMES.items()))
    start_date = DateField(_l("Date"), validators=[InputRequired(), _sensible])
    all_day = BooleanField(_l("All day"))
    start_time = TimeField(_l("From"), validators=[Optional()])
    end_time = TimeField(_l("Until"), validators=[Optional()])
    end_date = DateField(
        _l("Last day (if it lasts several days)"), validators=[Optional(), _sensible]
    )
    location_id = SelectField(_l("Place from the timetable"), choices=[], validate_choice=False)
    location = StringField(_l("or another place"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=10_000)], render_kw={"rows": 5}
    )
    organiser = StringField(_l("Organised by"), validators=[Optional(), Length(max=200)])
    registration_url = StringField(
        _l("Registration link"), validators=[Optional(), Length(max=500), _web_address]
    )
    is_public = BooleanField(
        _l("Public"), description=_l("Public events are in the public calendar feed.")
    )
    frequency = SelectField(_l("Repeats"), choices=list(FREQUENCY_NAMES.items()))
    interval = IntegerField(
        _l("Every"), default=1, validators=[Optional(), NumberRange(min=1, max=99)]
    )
    weekdays = MultiCheckboxField(
        _l("On"), choices=[(str(n), name) for n, name in enumerate(WEEKDAY_NAMES)]
    )
    nth = SelectField(_l("Which"), choices=list(NTH_NAMES.items()))
    nth_weekday = SelectField(
        _l("Weekday"), choices=[(str(n), name) for n, name in enumerate(WEEKDAY_NAMES)]
    )
    ends = SelectField(_l("Ends"), choices=list(ENDS_NAMES.items()))
    until = DateField(_l("Last date"), validators=[Optional(), _sensible])
    count = IntegerField(
        _l("Number of dates"), validators=[Optional(), NumberRange(min=1, max=500)]
    )

    def recurrence(self) -> recurrence.Recurrence:
        return recurrence.Recurrence(
            frequency=self.frequency.data or "none",
            interval=self.interval.data or 1,
            weekdays=[int(day) for day in self.weekdays.data or []],
            nth=int(self.nth.data or 1),
            nth_weekday=int(self.nth_weekday.data or 0),
            ends=self.ends.data or "never",
            until=self.until.data,
            count=self.count.data,
        )

    def fill_recurrence(self, rec: recurrence.Recurrence) -> None:
        self.frequency.data = rec.frequency
        self.interval.data = rec.interval
        self.weekdays.data = [str(day) for day in rec.weekdays]
        self.nth.data = str(rec.nth)
        self.nth_weekday.data = str(rec.nth_weekday)
        self.ends.data = rec.ends
        self.until.data = rec.until
        self.count.data = rec.count

    WHEN_FIELDS = ("start_date", "start_time", "end_time", "end_date")
    RULE_FIELDS = ("frequency", "interval", "weekdays", "nth", "nth_weekday", "ends", "until",
                   "count")

    def rule_problems(self) -> list[str]:
        """After ``validate``: the messages about the dates and the repetition alone."""
        found = [
            f"{self[name].label.text}: {error}"
            for name in self.WHEN_FIELDS + self.RULE_FIELDS
            for error in self[name].errors
        ]
        if not found and self.frequency.data != "none":
            problems = recurrence.problems(self.recurrence(), self.start_date.data)
            found = [f"{self[name].label.text}: {gettext(m)}" for name, m in problems.items()]
        return found

    def rule(self) -> str | None:
        """The RRULE of the valid form (None: no repetition)."""
        times = self.times()
        return recurrence.to_rrule(self.recurrence(), times[0], timed=times[1] is not None)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        ok = self.check_times() and ok
        if ok and self.frequency.data != "none":
            for name, message in recurrence.problems(
                self.recurrence(), self.start_date.data
            ).items():
                getattr(self, name, self.frequency).errors.append(gettext(message))
                ok = False
        return ok


class OccurrenceForm(TimesMixin, FlaskForm):
    start_date = DateField(_l("New date"), validators=[InputRequired(), _sensible])
    all_day = BooleanField(_l("All day"))
    start_time = TimeField(_l("From"), validators=[Optional()])
    end_time = TimeField(_l("Until"), validators=[Optional()])
    end_date = DateField(_l("Last day"), validators=[Optional(), _sensible])

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) and self.check_times()

    def check_move(self, original: date) -> bool:
        """A date moves by at most ``MAX_MOVE_DAYS``; further is another event."""
        if abs((self.start_date.data - original).days) <= MAX_MOVE_DAYS:
            return True
        self.start_date.errors.append(
            gettext(
                "A date moves by at most %(num)d days; for a later date, add a new event.",
                num=MAX_MOVE_DAYS,
            )
        )
        return False


class ImportForm(FlaskForm):
    file = FileField(_l("Calendar file (.ics)"))
