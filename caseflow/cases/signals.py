"""What happens to a case, announced for the features built on cases (blinker, Flask's own).

Cases sit below visits, approvals and the timeline in the layers (docs/architecture.md): they
announce, and the features above subscribe in their ``init_app``. A receiver runs inside the
same unit of work as the sender, so what it changes commits or rolls back with the case.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: ``case_opened.send(case)``: a case was opened (flushed: ``id``, ``organization_id``, ``opened_at``).
case_opened = _signals.signal("case-opened")
#: ``case_closed.send(case)``: the case was closed (its future visits are cancelled).
case_closed = _signals.signal("case-closed")
#: ``case_reopened.send(case)``: a closed case is open again.
case_reopened = _signals.signal("case-reopened")
#: ``risk_level_changed.send(case)``: ``case.risk_level`` holds a new level (visits re-plan).
risk_level_changed = _signals.signal("risk-level-changed")
#: ``contact_made.send(case, at=...)``: she was reached at ``at`` (the no-contact clock restarts).
contact_made = _signals.signal("contact-made")
