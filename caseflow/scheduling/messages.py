"""Words for outbox messages, chosen when they are shown (in the reader's language).

Messages store a topic, a case code and a time; the text is built from those alone, so it
cannot carry a survivor's name, address or phone. Features add their topics with
:func:`register_topic`.
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


def register_topic(topic: str, message) -> None:
    """``message`` is a lazy_gettext msgid with ``%(case)s`` and ``%(at)s`` placeholders
    (and ``%(days)s``, the no-contact days, if it names them)."""
    _TOPICS[topic] = message


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def render(topic: str, case_code: str | None, subject_at: datetime | None) -> str:
    """The message in the current request's language (or the default one)."""
    template = _TOPICS.get(topic, FALLBACK)
    return str(template) % {"case": case_code or "-", "at": local_time(subject_at), "days": no_contact_days()}
