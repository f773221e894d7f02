"""Forms of the meetings: series, single meetings, agenda items, minutes, outcomes, needs."""

from __future__ import annotations

from datetime import date, time

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
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

from kimweb.meetings import rules
from kimweb.meetings.models import NEED_STATES

OUTCOME_KINDS = {
    "information": _l("Information"),
    "decision": _l("Decision"),
    "task": _l("Task"),
}
NEED_STATE_NAMES = {
    "raised": _l("raised"),
    "in_coordination": _l("in coordination"),
    "submitted": _l("submitted to the steering group"),
    "decided": _l("decided"),
    "closed": _l("closed"),
}
MINUTES_STATE_NAMES = {
    "draft": _l("draft"),
    "circulated": _l("circulated"),
    "approved": _l("approved"),
    "locked": _l("locked"),
}
ATTENDANCE_NAMES = {
    "present": _l("present"),
    "excused": _l("excused"),
    "absent": _l("absent"),
}
STANDING_TITLES = {
    "approve_minutes": _l("Approval of the minutes of the previous meeting"),
    "open_tasks": _l("Open tasks from earlier meetings"),
}
ROLE_NAMES = {"member": _l("member"), "organiser": _l("organiser")}


def _sensible(form: FlaskForm, field: DateField) -> None:
    if field.data and not date(2000, 1, 1) <= field.data <= date(2100, 12, 31):
        raise ValidationError(_l("Please enter a date between 2000 and 2100."))


class SeriesForm(FlaskForm):
    rule_text = StringField(
        _l("Rhythm"),
        validators=[DataRequired(), Length(max=200)],
        description=_l(
            "In words, with the time, for example: every 2nd and 4th Tuesday, 10:00-12:00 "
            "or every first Wednesday of March and September, 14:00-16:00."
        ),
    )
    first_date = DateField(_l("First possible date"), validators=[InputRequired(), _sensible])
    last_date = DateField(_l("Last date (optional)"), validators=[Optional(), _sensible])
    location = StringField(_l("Place"), validators=[Optional(), Length(max=200)])

    rule: rules.Rule | None = None

    def validate_rule_text(self, field: StringField) -> None:
        try:
            self.rule = rules.parse_rule(field.data or "")
        except rules.RuleError as problem:
            raise ValidationError(gettext(problem.message, **problem.params)) from None

    def validate_last_date(self, field: DateField) -> None:
        if field.data and self.first_date.data and field.data < self.first_date.data:
            raise ValidationError(_l("The last date must not be before the first."))


class MeetingForm(FlaskForm):
    day = DateField(_l("Date"), validators=[InputRequired(), _sensible])
    start_time = TimeField(_l("From"), validators=[InputRequired()])
    end_time = TimeField(_l("Until"), validators=[InputRequired()])
    location = StringField(_l("Place"), validators=[Optional(), Length(max=200)])

    def validate_end_time(self, field: TimeField) -> None:
        start: time | None = self.start_time.data
        if field.data and start and field.data <= start:
            raise ValidationError(_l("The end must be after the start."))


class CancelForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=300)])


class ItemForm(FlaskForm):
    title = StringField(_l("Topic"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 4}
    )
    duration_min = IntegerField(
        _l("Duration in minutes"), validators=[Optional(), NumberRange(min=1, max=480)]
    )
    presenter = StringField(_l("Presented by"), validators=[Optional(), Length(max=200)])


class NotesForm(FlaskForm):
    notes = TextAreaField(_l("Notes"), validators=[Length(max=50_000)], render_kw={"rows": 8})
    version = HiddenField()


class OutcomeForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=list(OUTCOME_KINDS.items()))
    text = TextAreaField(
        _l("Text"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 2}
    )
    assignee_id = SelectField(_l("Assigned to (member)"), choices=[], validate_choice=False)
    assignee_name = StringField(_l("or a guest (name)"), validators=[Length(max=200)])
    due_date = DateField(_l("Due by"), validators=[Optional(), _sensible])

    def validate_assignee_name(self, field: StringField) -> None:
        if self.kind.data == "task" and not (self.assignee_id.data or (field.data or "").strip()):
            raise ValidationError(_l("A task needs someone to do it: a member or a guest."))


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"), validators=[DataRequired(), Length(max=500)], render_kw={"rows": 3}
    )


class MembershipForm(FlaskForm):
    user_id = SelectField(_l("Person"), choices=[], validate_choice=False)
    role = SelectField(_l("Role"), choices=list(ROLE_NAMES.items()))


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NeedForm(FlaskForm):
    title = StringField(_l("Need or gap"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"), validators=[DataRequired(), Length(max=5000)], render_kw={"rows": 5}
    )
    body_id = SelectField(_l("Raised in"), choices=[], coerce=str)
    municipalities = MultiCheckboxField(_l("Affected municipalities"), choices=[])
    target_groups = StringField(
        _l("Affected target groups"), validators=[Optional(), Length(max=300)]
    )


class NeedStatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[])
    note = TextAreaField(
        _l("Note or decision"), validators=[Length(max=5000)], render_kw={"rows": 3}
    )

    def validate_note(self, field: TextAreaField) -> None:
        if self.status.data == "decided" and not (field.data or "").strip():
            raise ValidationError(_l("Please write down the decision."))


class NeedFilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(
        _l("Status"),
        choices=[("", _l("all"))] + [(state, NEED_STATE_NAMES[state]) for state in NEED_STATES],
    )
    body = SelectField(_l("Body"), choices=[], validate_choice=False)
    municipality = SelectField(_l("Municipality"), choices=[], validate_choice=False)
