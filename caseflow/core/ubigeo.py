"""Peru's official UBIGEO catalogue (INEI): every district's 6-digit code with its
department (first 2 digits) and province (first 4), shipped as data in
``caseflow/core/data/ubigeo_inei.csv`` (its source and date are in the file's header and in
docs/casework.md). Read once, on first use; nothing here touches the database."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

import marshmallow as ma
from flask_babel import lazy_gettext

#: Where the table came from, as the file's header says (shown in docs and the code lists).
SOURCE = "INEI, UBIGEO 2025 (Directorio Nacional de Municipalidades 2025)"


@dataclass(frozen=True)
class Place:
    ubigeo: str
    department: str
    province: str
    district: str

    @property
    def department_code(self) -> str:
        return self.ubigeo[:2]

    @property
    def province_code(self) -> str:
        return self.ubigeo[:4]


@cache
def catalogue() -> dict[str, Place]:
    text = resources.files("caseflow.core").joinpath("data/ubigeo_inei.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["ubigeo"]: Place(row["ubigeo"], row["department"], row["province"], row["district"]) for row in rows}


@cache
def _names_by_prefix() -> dict[str, str]:
    names: dict[str, str] = {}
    for place in catalogue().values():
        names.setdefault(place.department_code, place.department)
        names.setdefault(place.province_code, place.province)
        names[place.ubigeo] = place.district
    return names


def place(code: str | None) -> Place | None:
    return catalogue().get(code) if code else None


def name_of(code: str | None) -> str | None:
    """The department (2 digits), province (4) or district (6) a code names, or None."""
    return _names_by_prefix().get(code) if code else None


def is_district(code: str | None) -> bool:
    return bool(code) and code in catalogue()


class District(ma.validate.Validator):
    """A 6-digit code of a district in the catalogue (a department's or province's code, or
    a code that does not exist, is refused)."""

    error = lazy_gettext("Not a district of Peru's UBIGEO catalogue (INEI): give the 6-digit code of the district.")

    def __call__(self, value):
        if not (isinstance(value, str) and len(value) == 6 and value.isdigit() and is_district(value)):
            raise ma.ValidationError(str(self.error))
        return value
