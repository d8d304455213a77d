"""The seeded deadline rules' labels and sources in the reader's language.

Rules are data (migration 0005 seeds them in English, administrators edit them), so their
texts are translated where they are shown, not stored twice: a stored text that is one of
the seeded ones reads in the request's language; a text an administrator wrote reads as
written. A source's citation (``Ley 30364, art. 15``, ``Primero GBV``) stays as the law or
the guidance names itself; only the explanation around it is translated.
"""

from __future__ import annotations

from flask_babel import gettext


def N_(text: str) -> str:  # noqa: N802 - babel's marker: extracted for translation, translated when shown
    return text


_SEEDED = frozenset((
    N_("HIV post-exposure prophylaxis"),
    N_("WHO/MSF clinical guidance: HIV post-exposure prophylaxis within 72 h of the incident"),
    N_("Emergency contraception"),
    N_("WHO clinical guidance: emergency contraception within 120 h of the incident"),
    N_("Police sends the case to the family court"),
    N_("Ley 30364, art. 15: the police sends the case to the family court within 24 h"),
    N_("Family court decides protective measures"),
    N_("Ley 31715 (2023), amending Ley 30364: protective measures decided within 24 h, any risk level"),
    N_("Acknowledge a high-priority referral"),
    N_("Primero GBV priority levels: high, 24 h"),
    N_("Acknowledge a medium-priority referral"),
    N_("Primero GBV priority levels: medium, 72 h"),
))


def shown(text: str | None) -> str | None:
    """The text in the request's language when it is a seeded rule's, else as stored."""
    return gettext(text) if text in _SEEDED else text


def shown_rule(data: dict) -> dict:
    """A dumped rule (or rule reference) with its label and source shown."""
    for name in ("label", "source"):
        if name in data:
            data[name] = shown(data[name])
    return data
