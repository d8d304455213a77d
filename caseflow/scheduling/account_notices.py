"""She is told when her password or second factor changes (ASVS 2.5.5), in her outbox
(and by email where it is configured), whoever made the change."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext

from caseflow.auth.events import credentials_changed
from caseflow.core.clock import utcnow
from caseflow.scheduling.messages import register_topic

TOPICS = {
    "password_changed": lazy_gettext(
        "Your password was changed on %(at)s. If it was not you, tell your supervisor at once."),
    "mfa_enabled": lazy_gettext("A second factor was added to your account on %(at)s."),
    "mfa_removed": lazy_gettext(
        "The second factor of your account was removed on %(at)s. If it was not you, tell your supervisor at once."),
    "recovery_codes_renewed": lazy_gettext(
        "New recovery codes were made for your account on %(at)s; the old ones no longer work."),
}
for _topic, _message in TOPICS.items():
    register_topic(_topic, _message)


@credentials_changed.connect
def tell_her(user, change: str, **_extra) -> None:
    from caseflow.scheduling.outbox import enqueue
    from caseflow.scheduling.registry import Outgoing

    now = utcnow()
    enqueue([Outgoing(dedupe_key=f"{change}:{user.id}:{now:%Y%m%dT%H%M%S%f}:{uuid.uuid4().hex[:8]}",
                      recipient_id=user.id, kind="reminder", topic=change, subject_at=now)], now)
