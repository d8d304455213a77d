"""Signals of the account layer; features (the outbox) listen, the kernel imports none."""

from blinker import Namespace

_signals = Namespace()

#: Sent with ``user`` and ``change`` (``password_changed``, ``mfa_enabled``, ``mfa_removed``,
#: ``recovery_codes_renewed``) after the change is flushed: she is told of it (ASVS 2.5.5).
credentials_changed = _signals.signal("credentials-changed")
