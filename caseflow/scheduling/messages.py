"""Words for outbox messages, chosen when they are shown (in the reader's language).

Messages store a topic, a case code, a time and a detail of codes; the text is built from
those alone, so it cannot carry a survivor's name, address or phone. Features add their
topics with :func:`register_topic`, in their ``init_app`` (the web app and the scheduler
alike, so a notice reads the same in the app and in its e-mail).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext

from caseflow.core.clock import local_zone, no_contact_days

_TOPICS = {
    "visit_due": lazy_gettext("Visit for case %(case)s is due from %(at)s."),
    "visit_overdue": lazy_gettext("Visit for case %(case)s is overdue since %(at)s."),
    "visit_missed": lazy_gettext("A visit for case %(case)s was missed on %(at)s."),
    "safety_concern": lazy_gettext("A safety concern was reported for case %(case)s on %(at)s; reassess the risk."),
    "no_contact": lazy_gettext("No contact with case %(case)s since %(at)s (over %(days)s days)."),
}
FALLBACK = lazy_gettext("Notice about case %(case)s at %(at)s.")
#: Per topic: the placeholders beyond ``case`` and ``at``, from the message's detail (codes).
_VALUES: dict = {}


def register_topic(topic: str, message, values=None) -> None:
    """``message`` is a lazy_gettext msgid with ``%(case)s`` and ``%(at)s`` placeholders (and
    ``%(days)s``, the no-contact days, if it names them); ``values(detail) -> dict`` gives any
    others (words for codes, never her data)."""
    _TOPICS[topic] = message
    if values is not None:
        _VALUES[topic] = values
    else:
        _VALUES.pop(topic, None)


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def render(topic: str, case_code: str | None, subject_at: datetime | None, detail: dict | None = None) -> str:
    """The message in the current request's language (or the default one)."""
    template = _TOPICS.get(topic, FALLBACK)
    values = {"case": case_code or "-", "at": local_time(subject_at), "days": no_contact_days()}
    if topic in _TOPICS and topic in _VALUES:
        values.update(_VALUES[topic](detail or {}))
    return str(template) % values
