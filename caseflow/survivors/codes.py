"""The intersectional fields the programmes report on, as codes with Spanish and English
labels (msgids in English, Spanish in the catalogue): ethnic self-identification and mother
tongue as INEI's 2017 census asks them, disability, and whether she needs an interpreter.

Sources (docs/casework.md, "The Ficha de Registro's fields"): INEI, *Censos Nacionales 2017:
XII de Población, VII de Vivienda y III de Comunidades Indígenas*, census form questions 24
("El idioma o lengua materna con el que aprendió a hablar en su niñez") and 25 ("Por sus
costumbres y sus antepasados, usted se siente o considera"). Codes are English snake_case
like every value list of the contract; the census answer each stands for is its label.
"""

from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext

#: Census 2017, question 25 (ethnic self-identification), in the census' order.
ETHNICITIES = {
    "quechua": lazy_gettext("Quechua"),
    "aimara": lazy_gettext("Aymara"),
    "amazonian_indigenous": lazy_gettext("Native or indigenous of the Amazon"),
    "other_indigenous": lazy_gettext("Part of another indigenous or original people"),
    "afroperuvian": lazy_gettext("Black, moreno, zambo, mulato / Afro-Peruvian or of African descent"),
    "white": lazy_gettext("White"),
    "mestizo": lazy_gettext("Mestizo"),
    "other": lazy_gettext("Other"),
    "unknown": lazy_gettext("Does not know / does not answer"),
}

#: Census 2017, question 24 (the language she learnt to speak in as a child), in its order.
MOTHER_TONGUES = {
    "quechua": lazy_gettext("Quechua"),
    "aimara": lazy_gettext("Aymara"),
    "ashaninka": lazy_gettext("Asháninka"),
    "awajun": lazy_gettext("Awajún / Aguaruna"),
    "shipibo_konibo": lazy_gettext("Shipibo-Konibo"),
    "shawi": lazy_gettext("Shawi / Chayahuita"),
    "matsigenka": lazy_gettext("Matsigenka / Machiguenga"),
    "achuar": lazy_gettext("Achuar"),
    "other_indigenous": lazy_gettext("Another native or original language"),
    "spanish": lazy_gettext("Spanish (castellano)"),
    "portuguese": lazy_gettext("Portuguese"),
    "other_foreign": lazy_gettext("Another foreign language"),
    "peruvian_sign_language": lazy_gettext("Peruvian sign language"),
    "does_not_speak": lazy_gettext("Does not hear or speak"),
    "unknown": lazy_gettext("Does not know / does not answer"),
}

#: The kinds of disability the centre records (codes unchanged since revision 0001).
DISABILITIES = {
    "none": lazy_gettext("No disability"),
    "physical": lazy_gettext("Physical"),
    "sensory": lazy_gettext("Sensory (sight, hearing, speech)"),
    "intellectual": lazy_gettext("Intellectual"),
    "psychosocial": lazy_gettext("Psychosocial"),
    "multiple": lazy_gettext("Multiple"),
    "unknown": lazy_gettext("Not known"),
}

#: What people wrote in the free-text field before it became a code (and what a client
#: still sends as a name): a language's names, accents and case ignored, to its code.
#: Revision 0016_ficha applies the same table to the rows it migrates.
MOTHER_TONGUE_NAMES = {
    "quechua": "quechua", "kechwa": "quechua", "quichua": "quechua", "runasimi": "quechua", "runa simi": "quechua",
    "aimara": "aimara", "aymara": "aimara",
    "ashaninka": "ashaninka", "asheninka": "ashaninka",
    "awajun": "awajun", "aguaruna": "awajun",
    "shipibo": "shipibo_konibo", "shipibo-konibo": "shipibo_konibo", "shipibo konibo": "shipibo_konibo",
    "shawi": "shawi", "chayahuita": "shawi",
    "matsigenka": "matsigenka", "machiguenga": "matsigenka", "matsiguenga": "matsigenka",
    "achuar": "achuar",
    "castellano": "spanish", "espanol": "spanish", "spanish": "spanish",
    "portugues": "portuguese", "portuguese": "portuguese",
    "lengua de senas": "peruvian_sign_language", "lengua de senas peruana": "peruvian_sign_language",
    "sign language": "peruvian_sign_language",
}


def _plain(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def mother_tongue_code(value):
    """A code as is; a language's name (``Quechua``, ``castellano``) as its code; anything
    else unchanged (the schema then refuses it, listing the codes)."""
    if not isinstance(value, str) or value in MOTHER_TONGUES:
        return value
    return MOTHER_TONGUE_NAMES.get(_plain(value), value)


def labelled(codes: dict) -> list[dict]:
    """``[{code, label}]`` in the request's language."""
    return [{"code": code, "label": str(label)} for code, label in codes.items()]
