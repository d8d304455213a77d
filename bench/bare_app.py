"""The baseline: a bare Flask + SQLAlchemy endpoint doing one indexed read on the same
database, served the same way. caseflow's figures are reported as ratios to it."""

import os

from flask import Flask, abort, jsonify
from sqlalchemy import create_engine, text

from caseflow.config import normalise_database_url

app = Flask(__name__)
engine = create_engine(normalise_database_url(os.environ["CASEFLOW_DATABASE_URL"]), pool_pre_ping=True)


@app.get("/bare/cases/<case_id>")
def read_case(case_id):
    with engine.connect() as conn:
        row = conn.execute(text("SELECT id, code, status, priority FROM cases WHERE id = :id"),
                           {"id": case_id.replace("-", "") if engine.dialect.name == "sqlite" else case_id}).first()
    if row is None:
        abort(404)
    return jsonify({"id": str(row.id), "code": row.code, "status": row.status, "priority": row.priority})
