"""Helpers for key-operation tests: a keyring FILE (rotation writes it), canary survivors,
and a reader of raw database content that tries every key it is given."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import uuid
from pathlib import Path

from sqlalchemy import text

from caseflow.crypto import aead
from caseflow.crypto.keyring import Keyring
from caseflow.extensions import db
from testkit.factories import make_survivor


@contextlib.contextmanager
def keyring_file(app, path: Path):
    """Switch the app to a keyring file holding the current test keyring."""
    from caseflow.crypto.keys import keyring

    ring = keyring()
    ring.write(path)
    saved = app.config["CASEFLOW_KEYRING"], app.config["CASEFLOW_KEYRING_FILE"]
    app.config["CASEFLOW_KEYRING"], app.config["CASEFLOW_KEYRING_FILE"] = None, str(path)
    app.extensions.pop("caseflow_keyring", None)
    try:
        yield path
    finally:
        app.config["CASEFLOW_KEYRING"], app.config["CASEFLOW_KEYRING_FILE"] = saved
        for key in ("caseflow_keyring", "caseflow_keyring_stamp", "caseflow_keyring_checked"):
            app.extensions.pop(key, None)


def canary_survivor(by, tag: str):
    """A survivor whose every identifying value contains a unique, greppable canary."""
    canary = f"CANARY{tag}{uuid.uuid4().hex[:10].upper()}"
    survivor = make_survivor(
        by, given_names=f"{canary}Given", family_names=f"{canary}Family", alias=f"{canary}Alias",
        phone=f"{canary}Phone", address=f"{canary}Address", safe_contact=f"{canary}Safe",
        document_type="OTHER", document_number=f"{canary}Doc",
    )
    return survivor, canary


def recover_plaintexts(rows_by_table: dict[str, list[dict]], ring: Keyring) -> list[bytes]:
    """What an attacker holding ``ring`` gets from raw rows: every field it can decrypt."""
    keys = {}
    for row in rows_by_table.get("data_keys", []):
        key_id = uuid.UUID(str(row["id"]))
        wrapped = bytes(row["wrapped"])
        with contextlib.suppress(Exception):
            keys[key_id] = aead.unwrap_key(ring.kek(aead.wrapped_kek_id(wrapped)), wrapped, key_id)
    found = []
    for table, rows in rows_by_table.items():
        for row in rows:
            for column, value in row.items():
                if not column.endswith("_ct") or value is None:
                    continue
                value = bytes(value)
                with contextlib.suppress(Exception):
                    key = keys[aead.field_key_id(value)]
                    context = aead.field_context(table, column, uuid.UUID(str(row["id"])),
                                                 _owner(table, row) if aead.field_format(value) != aead.LEGACY_FORMAT
                                                 else None)
                    found.append(aead.open_field(key, value, context))
    return found


def _owner(table: str, row: dict):
    """The owner part of a row's associated data, as the format defines it (any reader of
    the code knows it): the model's declared owner columns with their raw values."""
    model = next(m.class_ for m in db.Model.registry.mappers if getattr(m.class_, "__tablename__", None) == table)
    return tuple((name, None if row[name] is None else uuid.UUID(str(row[name])))
                 for name in model.__encryption_owner__.columns)


def live_rows() -> dict[str, list[dict]]:
    """Every row of every table, raw (ciphertext as stored)."""
    out = {}
    for table in db.metadata.sorted_tables:
        result = db.session.execute(text(f"SELECT * FROM {table.name}"))
        out[table.name] = [dict(r._mapping) for r in result]
    db.session.rollback()
    return out


def sqlite_backup_rows(path: Path) -> dict[str, list[dict]]:
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    try:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: [dict(r) for r in connection.execute(f"SELECT * FROM {t}")] for t in tables}
    finally:
        connection.close()




def raw_database_bytes(app, db_kind: str, tmp_path: Path) -> bytes:
    """The database as bytes on disk: SQLite file + WAL; PostgreSQL: a plain-text pg_dump."""
    db.session.remove()
    if db_kind == "sqlite":
        path = Path(db.engine.url.database)
        data = path.read_bytes()
        wal = Path(str(path) + "-wal")
        return data + (wal.read_bytes() if wal.exists() else b"")
    url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    dump = subprocess.run(["/usr/bin/pg_dump", "--data-only", "--dbname", url], check=True, capture_output=True)
    return dump.stdout


def backup_bytes(path: Path, db_kind: str) -> bytes:
    if db_kind == "sqlite":
        return path.read_bytes()
    listing = subprocess.run(["/usr/bin/pg_restore", "--data-only", "--file", "-", str(path)],
                             check=True, capture_output=True)
    return listing.stdout
