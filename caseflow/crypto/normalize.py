"""Normalisation for exact search: the same person typed two ways must match.

Pure functions, tested with hypothesis.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9A-Z]")
_SPACES = re.compile(r"\s+")


def document_number(value: str) -> str:
    """``12.345.678``, ``12 345 678`` and ``12345678`` are one DNI; letters are kept (CE,
    passports) and compared without case."""
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", value).upper())


def person_name(value: str) -> str:
    """Case, accents and spacing ignored: ``José  PÉREZ`` == ``jose perez``.

    Hyphens and apostrophes become spaces, so ``García-López`` matches ``garcia lopez``.
    """
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = re.sub(r"[-'’.,]", " ", stripped)
    return _SPACES.sub(" ", stripped.casefold()).strip()


def full_name(given_names: str | None, family_names: str | None) -> str:
    return person_name(f"{given_names or ''} {family_names or ''}")
