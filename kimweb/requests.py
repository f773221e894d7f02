"""The request every view reads: form text without NUL characters.

No person types U+0000, but a client can send it, and PostgreSQL refuses to store it in a
text column (SQLite takes it). Dropped once here, so no form, import or token can carry it
into a query.
"""

from __future__ import annotations

from werkzeug.datastructures import FileStorage, ImmutableMultiDict
from werkzeug.wrappers import Request

NUL = "\x00"


def without_nul(text: str) -> str:
    return text.replace(NUL, "") if NUL in text else text


class WithoutNul(Request):
    """Form values and upload names with NUL dropped, as soon as the form is read."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        form = self.__dict__.get("form")
        if form is not None and any(NUL in value for _key, value in form.items(multi=True)):
            self.__dict__["form"] = ImmutableMultiDict(
                [(key, without_nul(value)) for key, value in form.items(multi=True)]
            )
        files = self.__dict__.get("files")
        for _key, upload in files.items(multi=True) if files is not None else ():
            if isinstance(upload, FileStorage) and upload.filename:
                upload.filename = without_nul(upload.filename)


def without_nul_request(base: type[Request]) -> type[Request]:
    """``base`` (Flask's request class, or an extension's subclass of it) without NUL."""
    return type("KimRequest", (WithoutNul, base), {})
