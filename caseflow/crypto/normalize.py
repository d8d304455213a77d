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


def name_variants(given_names: str | None, family_names: str | None) -> list[str]:
    """Every form a name search may take for her: the full name, the family names alone,
    and each one given name with the family names (``Ana Quispe Mamani`` of ``Ana María``
    ``Quispe Mamani``). Each is matched exactly, as the full name is."""
    full = full_name(given_names, family_names)
    family = person_name(family_names or "")
    variants = [full] if full else []
    if family:
        variants.append(family)
        variants += [f"{given} {family}" for given in person_name(given_names or "").split()]
    return list(dict.fromkeys(variants))
