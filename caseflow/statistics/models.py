"""What the statistics keep of their own: the pairs of reports of the same incident
(caseflow.statistics.duplicates), kept exact by the features' signals so that a table does
not search for them among a national year's incidents at every request."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.extensions import db


class ReportedEarlier(db.Model):
    """``incident_id`` is a later centre's report of the incident ``earlier_incident_id``
    reported at the centre that registered her first (the rule: docs/statistics.md). Whether
    the earlier report itself counts (her consent to statistical use) is read at each request,
    never kept here."""

    __tablename__ = "statistics_reported_earlier"

    incident_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    earlier_incident_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True, index=True)
