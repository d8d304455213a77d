"""Validation messages written by marshmallow and webargs, listed for translation.

They are produced in English by those libraries; the error handler passes every message
through gettext, so listing them here puts them in the catalogue (and in Spanish, the
default language). Nothing imports the names below.
"""

from flask_babel import lazy_gettext

LIBRARY_MESSAGES = (
    lazy_gettext("Missing data for required field."),
    lazy_gettext("Unknown field."),
    lazy_gettext("Field may not be null."),
    lazy_gettext("Invalid value."),
    lazy_gettext("Invalid input type."),
    lazy_gettext("Not a valid string."),
    lazy_gettext("Not a valid integer."),
    lazy_gettext("Not a valid number."),
    lazy_gettext("Not a valid boolean."),
    lazy_gettext("Not a valid UUID."),
    lazy_gettext("Not a valid date."),
    lazy_gettext("Not a valid datetime."),
    lazy_gettext("Not a valid aware datetime."),
    lazy_gettext("Not a valid list."),
    lazy_gettext("Not a valid mapping type."),
    lazy_gettext("Not a valid email address."),
    lazy_gettext("String does not match expected pattern."),
    lazy_gettext("Invalid JSON body."),
)
