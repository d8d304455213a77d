"""Statistics: the pairs of reports of the same incident, kept instead of searched for.

``statistics_reported_earlier`` (later report, earlier report): an incident reported at a
centre that registered her after another centre did, and the other centre's report of the
same incident (same document term, same local day, same GBVIMS type, different centre;
caseflow.statistics.duplicates). The application keeps it current from the blind indexes'
and the incidents' signals; this revision fills it for the incidents already recorded, by the
same rule (frozen here as SQL, as a revision must be). Measured in docs/performance.md.

Revision ID: 0023_counted_once
Revises: 0022_stats_speed
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "0023_counted_once"
down_revision = "0022_stats_speed"
branch_labels = None
depends_on = None


def _zone() -> str:
    try:
        from flask import current_app

        return current_app.config.get("CASEFLOW_TIMEZONE", "America/Lima")
    except RuntimeError:  # outside an application (plain alembic)
        return "America/Lima"


def _local_day(column: str, postgresql: bool, zone: str) -> str:
    if postgresql:
        return f"date(timezone('{zone}', {column}))"
    # SQLite keeps UTC text; the zone's offset now (exact for a zone without daylight saving time).
    minutes = int(datetime.now(timezone.utc).astimezone(ZoneInfo(zone)).utcoffset().total_seconds() // 60)
    return f"date({column}, '{minutes:+d} minutes')"


def upgrade():
    op.create_table(
        "statistics_reported_earlier",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("earlier_incident_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["earlier_incident_id"], ["incidents.id"], ondelete="CASCADE",
                                name=op.f("fk_statistics_reported_earlier_earlier_incident_id_incidents")),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], ondelete="CASCADE",
                                name=op.f("fk_statistics_reported_earlier_incident_id_incidents")),
        sa.PrimaryKeyConstraint("incident_id", "earlier_incident_id", name=op.f("pk_statistics_reported_earlier")),
    )
    with op.batch_alter_table("statistics_reported_earlier") as batch_op:
        batch_op.create_index(batch_op.f("ix_statistics_reported_earlier_earlier_incident_id"),
                              ["earlier_incident_id"], unique=False)
    bind = op.get_bind()
    postgresql = bind.dialect.name == "postgresql"
    zone = _zone()
    true = "TRUE" if postgresql else "1"
    op.execute(f"""
        INSERT INTO statistics_reported_earlier (incident_id, earlier_incident_id)
        SELECT DISTINCT mine.id, other.id
        FROM survivors AS mine_survivor
        JOIN incidents AS mine ON mine.survivor_id = mine_survivor.id
        JOIN cases AS mine_case ON mine_case.id = mine.case_id
        JOIN survivor_search_terms AS mine_term ON mine_term.survivor_id = mine_survivor.id
             AND mine_term.index_name = 'document'
             AND mine_term.version = (SELECT active_version FROM blind_index_states WHERE name = 'document')
        JOIN survivor_search_terms AS other_term ON other_term.index_name = 'document'
             AND other_term.version = mine_term.version AND other_term.term = mine_term.term
             AND other_term.survivor_id != mine_survivor.id
        JOIN survivors AS other_survivor ON other_survivor.id = other_term.survivor_id
             AND (other_survivor.created_at < mine_survivor.created_at
                  OR (other_survivor.created_at = mine_survivor.created_at AND other_survivor.id < mine_survivor.id))
        JOIN incidents AS other ON other.survivor_id = other_survivor.id
        JOIN cases AS other_case ON other_case.id = other.case_id
        WHERE mine_survivor.registered_elsewhere = {true}
          AND other.gbv_type = mine.gbv_type
          AND {_local_day('other.occurred_at', postgresql, zone)} = {_local_day('mine.occurred_at', postgresql, zone)}
          AND other_case.organization_id != mine_case.organization_id
    """)


def downgrade():
    with op.batch_alter_table("statistics_reported_earlier") as batch_op:
        batch_op.drop_index(batch_op.f("ix_statistics_reported_earlier_earlier_incident_id"))
    op.drop_table("statistics_reported_earlier")
