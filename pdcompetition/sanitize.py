"""Request input as a browser sends it: no control characters, files only in file fields.

PostgreSQL refuses NUL in text columns (the request would end in a 500), spreadsheets and
PDFs refuse the other C0 control characters, and none of them is ever typed on purpose;
pasted text sometimes carries them. Tabs and line breaks are kept. One Request class cleans
every form value and query parameter before any form, view or limiter reads it, and URL
path segments carrying them answer 404.

Flask-WTF hands a form the uploaded files merged with the text fields, so a file posted
under a text field's name would reach its filters and validators as an object they cannot
handle; here each form sees files only in its file fields. The app takes no JSON bodies.
"""

import re

from flask import Flask, abort, request
from flask.wrappers import Request
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict, MultiDict
from wtforms.fields import FileField, MultipleFileField

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value):
    """`value` without C0 control characters (tab, LF and CR stay); other types unchanged."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        return CONTROL_CHARACTERS.sub("", value)
    return value


def _pairs(mapping):
    if mapping is None:
        return []
    if isinstance(mapping, MultiDict):
        return list(mapping.items(multi=True))
    if isinstance(mapping, dict):
        pairs = []
        for key, value in mapping.items():
            values = value if isinstance(value, list | tuple) else [value]
            pairs.extend((key, item) for item in values)
        return pairs
    return list(mapping)


class CleanMultiDict(ImmutableMultiDict):
    """The immutable multi-dict of form fields and query parameters, cleaned when built."""

    def __init__(self, mapping=None):
        super().__init__([(clean_text(k), clean_text(v)) for k, v in _pairs(mapping)])


class CleanRequest(Request):
    """Form fields (`request.form`), uploads' field names and `request.args`, cleaned."""

    parameter_storage_class = CleanMultiDict


_flask_wtf_formdata = FlaskForm.Meta.wrap_formdata


def _files_only_in_file_fields(meta, form, formdata):
    """FlaskForm's own form data, with uploads kept only under the form's file fields."""
    data = _flask_wtf_formdata(meta, form, formdata)
    if isinstance(data, CombinedMultiDict) and request and data.dicts[0] is request.files:
        names = {f.name for f in form if isinstance(f, FileField | MultipleFileField)}
        files = MultiDict(
            [(name, upload) for name, upload in request.files.items(multi=True) if name in names]
        )
        return CombinedMultiDict((files, request.form))
    return data


def register_input_cleaning(app: Flask) -> None:
    """Use the cleaning request class and form data; refuse control characters in URL path
    segments and JSON bodies (no page of the app takes one)."""
    app.request_class = CleanRequest
    FlaskForm.Meta.wrap_formdata = _files_only_in_file_fields

    @app.before_request
    def refuse_unexpected_input():
        for value in (request.view_args or {}).values():
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                abort(404)
        # List pages take ?page=N (Flask-SQLAlchemy's name); a page past a million
        # does not exist, and its offset would overflow PostgreSQL's bigint.
        page = request.args.get("page", "")
        if len(page) > 6 and page.strip().lstrip("+").isdecimal():
            abort(404)
        if request.method != "GET" and request.is_json:
            abort(415)
