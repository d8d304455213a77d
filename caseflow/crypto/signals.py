"""What changes in the blind indexes, announced for the features that read the terms
(blinker, Flask's own). The kernel announces; a feature above subscribes in its
``init_app``. A receiver runs inside the same unit of work as the sender, so what it changes
commits or rolls back with the terms."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: ``terms_changed.send(survivor_id)``: her terms were written (registration, correction,
#: an index rebuild) or cleared (erasure).
terms_changed = _signals.signal("terms-changed")
#: ``index_switched.send(name)``: searches of the index now use a new version (and width);
#: every term of the old version is gone.
index_switched = _signals.signal("index-switched")
