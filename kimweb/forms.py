"""Form helpers shared by every feature."""

from __future__ import annotations

from collections.abc import Iterator

from wtforms import Field, Form


def form_status(form: Form) -> int:
    """200 for a form shown the first time, 422 for one sent back with errors."""
    return 422 if form.is_submitted() else 200


def error_summary(form: Form) -> list[tuple[str, str, str]]:
    """(field id, label, message) of every field with errors, rows of lists included.

    Reads the fields themselves, so errors added after ``validate`` count too.
    """
    return list(_errors(form, ""))


def _errors(form: Form, prefix: str) -> Iterator[tuple[str, str, str]]:
    for field in form:
        yield from _field_errors(field, prefix)


def _field_errors(field: Field, prefix: str) -> Iterator[tuple[str, str, str]]:
    if field.type == "CSRFTokenField":
        return
    if field.type == "FieldList":
        for number, entry in enumerate(field.entries, start=1):
            yield from _field_errors(entry, f"{prefix}{field.label.text} {number}: ")
        return
    if field.type == "FormField":
        yield from _errors(field.form, prefix)
        return
    for message in field.errors:
        yield field.id, f"{prefix}{field.label.text}", str(message)
