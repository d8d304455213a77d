"""What happens to incidents, announced for the features built on them (blinker). Incidents
sit below statistics in the layers: they announce, statistics subscribes in its
``init_app``; a receiver runs in the same unit of work as the sender."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: ``incident_recorded.send(incident)``: a new incident of ``incident.survivor_id``, flushed.
incident_recorded = _signals.signal("incident-recorded")
