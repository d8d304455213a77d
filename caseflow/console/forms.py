"""HTML forms described by the API's input schemas, and form posts turned into their input.

A form field is named as the schema's field (the contract: a form and its route speak
alike); nested objects use ``parent.child`` names. Nothing here validates: the route's own
schema does, in :func:`caseflow.console.bridge.call`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import marshmallow as ma
from flask_babel import lazy_gettext
from werkzeug.datastructures import MultiDict

from caseflow.core.errors import Unprocessable

NOT_ALLOWED = lazy_gettext("Contains a character that is not allowed.")

LONG_TEXT = 1000  # strings allowed past this many characters are a text area


@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, select, checkbox, checkboxes, date, datetime, number
    required: bool = False
    choices: tuple = ()
    max_length: int | None = None
    checked: bool = False  # a box ticked until she unticks it (the schema's default is true)
    children: list = field(default_factory=list)


def _max_length(schema_field) -> int | None:
    for validator in schema_field.validators:
        if isinstance(validator, ma.validate.Length) and validator.max is not None:
            return validator.max
    return None


def _choices(schema_field) -> tuple:
    for validator in schema_field.validators:
        if isinstance(validator, ma.validate.OneOf):
            return tuple(validator.choices)
    return ()


def describe(schema: ma.Schema, prefix: str = "", skip: tuple = ()) -> list[FormField]:
    fields = []
    for name, schema_field in schema.fields.items():
        if schema_field.dump_only or name in skip:
            continue
        full = prefix + name
        required = schema_field.required
        if isinstance(schema_field, ma.fields.Nested):
            fields.append(FormField(full, "group", required, children=describe(schema_field.schema, full + ".")))
        elif isinstance(schema_field, ma.fields.List):
            fields.append(FormField(full, "checkboxes", required, _choices(schema_field.inner)))
        elif isinstance(schema_field, ma.fields.Boolean):
            fields.append(FormField(full, "checkbox", required, checked=schema_field.load_default is True))
        elif isinstance(schema_field, (ma.fields.AwareDateTime, ma.fields.DateTime)):
            fields.append(FormField(full, "datetime", required))
        elif isinstance(schema_field, ma.fields.Date):
            fields.append(FormField(full, "date", required))
        elif isinstance(schema_field, ma.fields.Integer):
            fields.append(FormField(full, "number", required))
        elif _choices(schema_field):
            fields.append(FormField(full, "select", required, _choices(schema_field)))
        else:
            length = _max_length(schema_field)
            kind = "textarea" if length and length > LONG_TEXT else "text"
            fields.append(FormField(full, kind, required, max_length=length))
    return fields


def _local_to_aware(value: str) -> str:
    """A ``datetime-local`` value is the centre's wall time: it gets the centre's offset."""
    if not value:
        return value
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return value  # left for the schema to refuse, with its message
    from caseflow.cases.recording import local_zone

    return datetime.fromisoformat(value).replace(tzinfo=local_zone()).isoformat()


def refuse_control_characters(form: MultiDict) -> None:
    """A NUL byte (or another control character but tab and newlines) in any field is
    refused beside that field: no database stores it as text, and nobody types it."""
    bad = {name: [NOT_ALLOWED] for name, value in form.items(multi=True)
           if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in value)}
    if bad:
        raise Unprocessable(errors=bad)


def form_data(fields: list[FormField], form: MultiDict, prefix: str = "") -> dict:
    """The posted form as the schema's input: blanks are left out (as a client omits them),
    an unticked box is false, a group is a nested object."""
    if not prefix:
        refuse_control_characters(form)
    data = {}
    for item in fields:
        key = item.name[len(prefix):]
        if item.kind == "group":
            group = form_data(item.children, form, item.name + ".")
            if item.required or any(group.values()):  # an optional group left blank is not sent
                data[key] = group
        elif item.kind == "checkbox":
            data[key] = form.get(item.name) in ("on", "true", "1")
        elif item.kind == "checkboxes":
            data[key] = [value for value in form.getlist(item.name) if value]
        else:
            value = form.get(item.name, "")
            if value == "":
                continue
            data[key] = _local_to_aware(value) if item.kind == "datetime" else value
    return data


def flat_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    """The schema's error tree as ``{"acts.penetration": [message, ...]}``."""
    flat = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(value, dict):
                flat.update(flat_errors(value, f"{prefix}{key}."))
            else:
                flat[f"{prefix}{key}"] = [str(message) for message in (value if isinstance(value, list) else [value])]
    return flat
