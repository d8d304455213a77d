"""What happens to action plans, announced for the features built on them (blinker). Plans
sit below statistics in the layers: they announce, statistics subscribes in its
``init_app``; a receiver runs in the same unit of work as the sender."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: ``plan_item_added.send(item)``: a line was added to a case's action plan, flushed.
plan_item_added = _signals.signal("plan-item-added")
