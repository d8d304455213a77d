"""The Ficha de Registro de Casos: case conferences; the case's condition, informant and
complaint; the incident's place (UBIGEO) and her consent to statistics; her ethnicity,
interpreter, and mother tongue as a code.

Existing rows (docs/casework.md, "The Ficha de Registro's fields"):

* ``cases.condition``: by the rules used at opening, read from history: ``reingreso`` when
  another case of hers at the same centre had been closed before this one was opened
  (``reincidente`` if this case records an incident after that closing), else ``derivado``
  for an intake by police, health facility, court, prosecutor or another referral, else
  ``nuevo``.
* ``cases.complaint_filed``: ``yes`` when a police complaint referral of the case was
  completed, else ``unknown`` (nobody asked); ``cases.informant``: null (not recorded).
* ``incidents.place_ubigeo``: null (her district of residence is not the place of the
  violence); ``incidents.consent_for_statistics``: false (no consent was recorded, so they
  count only under ``CASEFLOW_STATISTICS_CONSENT=administrative``, as before).
* ``survivors.mother_tongue``: the free text mapped to its code by the language's name
  (accents and case ignored: "Quechua", "castellano", "aymara"...); text naming no known
  language becomes ``unknown`` (the text itself, a plain value, is not kept).
  ``ethnicity`` and ``interpreter_needed``: null (not asked).

Revision ID: 0016_ficha
Revises: 0011_exits
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0016_ficha"
down_revision = "0011_exits"
branch_labels = None
depends_on = None

CONDITIONS = ("nuevo", "reingreso", "reincidente", "derivado", "continuador")
INFORMANTS = ("survivor", "family", "neighbour", "acquaintance", "institution", "anonymous", "other")
COMPLAINT_FILED = ("yes", "no", "unknown")
ETHNICITIES = ("quechua", "aimara", "amazonian_indigenous", "other_indigenous", "afroperuvian", "white", "mestizo",
               "other", "unknown")
MOTHER_TONGUES = ("quechua", "aimara", "ashaninka", "awajun", "shipibo_konibo", "shawi", "matsigenka", "achuar",
                  "other_indigenous", "spanish", "portuguese", "other_foreign", "peruvian_sign_language",
                  "does_not_speak", "unknown")
REFERRING_CHANNELS = ("police", "health_facility", "court", "prosecutor", "other_referral")
#: As caseflow.survivors.codes.MOTHER_TONGUE_NAMES on the day of this revision (a revision
#: keeps its own copy: the application's table may change later).
MOTHER_TONGUE_NAMES = {
    "quechua": "quechua", "kechwa": "quechua", "quichua": "quechua", "runasimi": "quechua", "runa simi": "quechua",
    "aimara": "aimara", "aymara": "aimara",
    "ashaninka": "ashaninka", "asheninka": "ashaninka",
    "awajun": "awajun", "aguaruna": "awajun",
    "shipibo": "shipibo_konibo", "shipibo-konibo": "shipibo_konibo", "shipibo konibo": "shipibo_konibo",
    "shawi": "shawi", "chayahuita": "shawi",
    "matsigenka": "matsigenka", "machiguenga": "matsigenka", "matsiguenga": "matsigenka",
    "achuar": "achuar",
    "castellano": "spanish", "espanol": "spanish", "spanish": "spanish",
    "portugues": "portuguese", "portuguese": "portuguese",
    "lengua de senas": "peruvian_sign_language", "lengua de senas peruana": "peruvian_sign_language",
    "sign language": "peruvian_sign_language",
}


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _plain(value):
    decomposed = unicodedata.normalize("NFKD", value)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def _mother_tongues(bind):
    rows = bind.execute(sa.text("SELECT id, mother_tongue FROM survivors WHERE mother_tongue IS NOT NULL")).all()
    statement = sa.text("UPDATE survivors SET mother_tongue = :code WHERE id = :id")
    for survivor_id, value in rows:
        code = value if value in MOTHER_TONGUES else MOTHER_TONGUE_NAMES.get(_plain(value), "unknown")
        if code != value:
            bind.execute(statement, {"code": code, "id": survivor_id})


# Another case of hers at the same centre closed before this one was opened.
EARLIER_CLOSURE = """
    SELECT max(cc.closed_at) FROM case_closures cc JOIN cases e ON e.id = cc.case_id
    WHERE e.survivor_id = cases.survivor_id AND e.organization_id = cases.organization_id
      AND e.id <> cases.id AND cc.closed_at <= cases.opened_at
"""


def _conditions(bind):
    referring = ", ".join(f"'{c}'" for c in REFERRING_CHANNELS)
    bind.execute(sa.text(f"""
        UPDATE cases SET condition = CASE
            WHEN ({EARLIER_CLOSURE}) IS NOT NULL THEN 'reingreso'
            WHEN intake_channel IN ({referring}) THEN 'derivado'
            ELSE 'nuevo' END
    """))
    bind.execute(sa.text(f"""
        UPDATE cases SET condition = 'reincidente'
        WHERE condition = 'reingreso' AND EXISTS (
            SELECT 1 FROM incidents i WHERE i.case_id = cases.id AND i.occurred_at > ({EARLIER_CLOSURE}))
    """))
    bind.execute(sa.text("""
        UPDATE cases SET complaint_filed = 'yes' WHERE EXISTS (
            SELECT 1 FROM referrals r WHERE r.case_id = cases.id AND r.service_type = 'complaint'
              AND r.status = 'completed')
    """))


def upgrade():
    bind = op.get_bind()
    op.create_table(
        "case_conferences",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organization_ids", sa.JSON(), nullable=False),
        sa.Column("recorded_by_id", sa.Uuid(), nullable=True),
        sa.Column("decisions_ct", sa.LargeBinary(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_case_conferences_case_id_cases")),
        sa.ForeignKeyConstraint(["survivor_id"], ["survivors.id"],
                                name=op.f("fk_case_conferences_survivor_id_survivors")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"],
                                name=op.f("fk_case_conferences_recorded_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_conferences")),
    )
    with op.batch_alter_table("case_conferences", schema=None) as batch_op:
        batch_op.create_index("ix_case_conferences_case_held", ["case_id", "held_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_conferences_survivor_id"), ["survivor_id"], unique=False)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("condition", sa.String(length=12), nullable=False, server_default="nuevo"))
        batch_op.add_column(sa.Column("informant", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("complaint_filed", sa.String(length=8), nullable=False,
                                      server_default="unknown"))
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("place_ubigeo", sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column("consent_for_statistics", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("survivors", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ethnicity", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("interpreter_needed", sa.Boolean(), nullable=True))

    _conditions(bind)
    _mother_tongues(bind)

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("condition", server_default=None)
        batch_op.alter_column("complaint_filed", server_default=None)
        batch_op.create_check_constraint("condition", _in("condition", CONDITIONS))
        batch_op.create_check_constraint("informant", _in("informant", INFORMANTS))
        batch_op.create_check_constraint("complaint_filed", _in("complaint_filed", COMPLAINT_FILED))
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.alter_column("consent_for_statistics", server_default=None)
    with op.batch_alter_table("survivors", schema=None) as batch_op:
        batch_op.create_check_constraint("mother_tongue", _in("mother_tongue", MOTHER_TONGUES))
        batch_op.create_check_constraint("ethnicity", _in("ethnicity", ETHNICITIES))


def downgrade():
    with op.batch_alter_table("survivors", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_survivors_ethnicity"), type_="check")
        batch_op.drop_constraint(op.f("ck_survivors_mother_tongue"), type_="check")
        batch_op.drop_column("interpreter_needed")
        batch_op.drop_column("ethnicity")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("consent_for_statistics")
        batch_op.drop_column("place_ubigeo")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_cases_complaint_filed"), type_="check")
        batch_op.drop_constraint(op.f("ck_cases_informant"), type_="check")
        batch_op.drop_constraint(op.f("ck_cases_condition"), type_="check")
        batch_op.drop_column("complaint_filed")
        batch_op.drop_column("informant")
        batch_op.drop_column("condition")
    with op.batch_alter_table("case_conferences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_conferences_survivor_id"))
        batch_op.drop_index("ix_case_conferences_case_held")
    op.drop_table("case_conferences")
